"""Worked solutions to the exercises of notebook 08, tensors under the hood.

Each section computes one answer the way the exercise asks: a broadcast shape, the gradients that
broadcasting sums back (for a gradient of ones and for an arbitrary upstream gradient), the
backward rule of a matrix product, ∂L/∂A = G·Bᵀ, and a max-pooling kernel compiled with Numba.
Each answer is confirmed with the tensor engine. ANSWERS, at the end, maps every exercise id of
viz/answers/08.json to its answer.

Soluciones de los ejercicios del notebook 08, los tensores por dentro. Cada sección calcula una
respuesta tal como la pide el ejercicio: una forma difundida, los gradientes que el broadcasting
suma de vuelta (para un gradiente de unos y para un gradiente entrante cualquiera), la regla de
retropropagación de un producto de matrices, ∂L/∂A = G·Bᵀ, y un kernel de agrupación máxima
compilado con Numba. Cada respuesta se confirma con el motor de tensores. ANSWERS, al final,
asocia cada ejercicio de viz/answers/08.json con su respuesta.
"""

from __future__ import annotations

import numpy as np
from numba import njit

import nn.functional as F
from autograd import Tensor

# --- Exercise 1 -----------------------------------------------------------------------------
# Aligned on the right: (2, 1, 3) over (1, 4, 1) (a missing axis is a 1); every 1 stretches.
# ES: Alineadas a la derecha: (2, 1, 3) sobre (1, 4, 1) (un eje que falta es un 1); cada 1 se
# ES: estira.
shape_a, shape_b = (2, 1, 3), (1, 4, 1)
answer_1 = [max(i, j) for i, j in zip(shape_a, shape_b, strict=True)]
a = Tensor(np.zeros((2, 1, 3)), requires_grad=True)
b = Tensor(np.zeros((4, 1)), requires_grad=True)
total = a + b
assert list(total.shape) == answer_1

# --- Exercise 2 -----------------------------------------------------------------------------
# Every element of a + b gets gradient 1. An element of a was copied 4 times (the axis of b's 4);
# an element of b 2 · 3 = 6 times (the prepended axis and a's 3).
# ES: Cada elemento de a + b recibe gradiente 1. Un elemento de a se copió 4 veces (el eje del 4
# ES: de b); un elemento de b, 2 · 3 = 6 veces (el eje agregado y el 3 de a).
answer_2 = {"a": 4.0, "b": 2.0 * 3.0}
total.sum().backward()
assert np.all(a.grad == answer_2["a"]) and np.all(b.grad == answer_2["b"])

# --- Exercise 3 -----------------------------------------------------------------------------
# c (2, 1) was stretched along the columns: sum G over axis 1, keeping that axis.
# ES: c (2, 1) se estiró a lo largo de las columnas: se suma G sobre el eje 1, conservándolo.
G3 = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
answer_3 = G3.sum(axis=1, keepdims=True)
X3 = Tensor(np.zeros((2, 3)), requires_grad=True)
c3 = Tensor(np.zeros((2, 1)), requires_grad=True)
(X3 + c3).backward(G3)
assert np.allclose(c3.grad, answer_3)

# --- Exercise 4 -----------------------------------------------------------------------------
# ∂L/∂A = G·Bᵀ, the only product of G and B whose shape is A's.
# ES: ∂L/∂A = G·Bᵀ, el único producto de G y B que tiene la forma de A.
A4 = np.array([[1.0, 2.0], [0.0, -1.0]])
B4 = np.array([[2.0, 1.0], [-1.0, 3.0]])
G4 = np.array([[1.0, 0.0], [2.0, 1.0]])
answer_4 = G4 @ B4.T
At, Bt = Tensor(A4, requires_grad=True), Tensor(B4, requires_grad=True)
(At @ Bt).backward(G4)
assert np.allclose(At.grad, answer_4) and np.allclose(Bt.grad, A4.T @ G4)


# --- Exercise 5 -----------------------------------------------------------------------------
# One output per 2×2 window; the running maximum starts at the window's first element, so an
# all-negative window works too.
# ES: Una salida por ventana de 2×2; el máximo parcial empieza en el primer elemento de la
# ES: ventana, así que también funciona con una ventana toda negativa.
@njit(cache=False)
def max_pool_2x2_kernel(image):
    out = np.empty((image.shape[0] // 2, image.shape[1] // 2), dtype=image.dtype)
    for i in range(out.shape[0]):
        for j in range(out.shape[1]):
            best = image[2 * i, 2 * j]
            for di in range(2):
                for dj in range(2):
                    best = max(best, image[2 * i + di, 2 * j + dj])
            out[i, j] = best
    return out


def max_pool_2x2(image):
    # lists of rows in (as the check passes them), a float array for Numba, lists of rows out
    return np.asarray(max_pool_2x2_kernel(np.asarray(image, dtype=np.float64))).tolist()


img = np.random.default_rng(0).normal(size=(6, 8))
assert np.allclose(max_pool_2x2(img), F.max_pool2d(Tensor(img[None, None]), 2).numpy()[0, 0])

ANSWERS = {
    "1": answer_1,
    "2": answer_2,
    "3": answer_3.tolist(),
    "4": answer_4.tolist(),
    "5": max_pool_2x2,
}
