"""Worked solutions to the exercises of notebook 07, convolutions and convolutional networks.

Each section computes one answer the way the exercise asks: a valid cross-correlation by hand
(two loops over the output), the same with one ring of zero padding, LeNet-5's side lengths from
the output-size formula ⌊(n + 2p − f)/s⌋ + 1, the parameter count of a convolution, and the
gradient of a shared kernel weight through a ReLU. Each answer is confirmed with grafograd.
ANSWERS, at the end, maps every exercise id of viz/answers/07.json to its answer.

Soluciones de los ejercicios del notebook 07, convoluciones y redes convolucionales. Cada sección
calcula una respuesta tal como la pide el ejercicio: una correlación cruzada válida a mano (dos
bucles sobre la salida), lo mismo con un anillo de padding de ceros, los lados de LeNet-5 con la
fórmula del tamaño de la salida ⌊(n + 2p − f)/s⌋ + 1, la cantidad de parámetros de una
convolución y el gradiente de un peso compartido del kernel a través de una ReLU. Cada respuesta
se confirma con grafograd. ANSWERS, al final, asocia cada ejercicio de viz/answers/07.json con
su respuesta.
"""

from __future__ import annotations

import numpy as np

import nn
import nn.functional as F
from autograd import Tensor, Value, no_grad

X = np.array([[1.0, 0.0, 2.0], [3.0, 1.0, 0.0], [0.0, 2.0, 1.0]])
K = np.array([[1.0, -1.0], [2.0, 0.0]])


def cross_correlate(image: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    # Valid cross-correlation: the kernel, not flipped, over every place it fits.
    # ES: Correlación cruzada válida: el kernel, sin voltear, en cada lugar donde entra.
    kh, kw = kernel.shape
    out = np.zeros((image.shape[0] - kh + 1, image.shape[1] - kw + 1))
    for i in range(out.shape[0]):
        for j in range(out.shape[1]):
            out[i, j] = np.sum(image[i : i + kh, j : j + kw] * kernel)
    return out


def engine_conv(image: np.ndarray, kernel: np.ndarray, padding: int = 0) -> np.ndarray:
    x = Tensor(image[None, None].astype(np.float32))
    w = Tensor(kernel[None, None].astype(np.float32))
    return F.conv2d(x, w, padding=padding).numpy()[0, 0]


# --- Exercise 1 -----------------------------------------------------------------------------
# A 2×2 kernel fits in 3 − 2 + 1 = 2 places per side: a 2×2 output.
# ES: Un kernel de 2×2 entra en 3 − 2 + 1 = 2 lugares por lado: una salida de 2×2.
answer_1 = cross_correlate(X, K)
assert np.allclose(answer_1, engine_conv(X, K))

# --- Exercise 2 -----------------------------------------------------------------------------
# One ring of zeros makes X 5×5; the output is (3 + 2·1 − 2)/1 + 1 = 4 on a side. Its middle
# 2×2 block is exercise 1's answer: those windows never touch the padding.
# ES: Un anillo de ceros deja X de 5×5; la salida tiene (3 + 2·1 − 2)/1 + 1 = 4 de lado. Su
# ES: bloque central de 2×2 es la respuesta del ejercicio 1: esas ventanas no tocan el padding.
answer_2 = cross_correlate(np.pad(X, 1), K)
assert answer_2.shape == (4, 4) and np.allclose(answer_2[1:3, 1:3], answer_1)
assert np.allclose(answer_2, engine_conv(X, K, padding=1))


# --- Exercise 3 -----------------------------------------------------------------------------
# The formula four times: conv 5×5 (p = 0, s = 1), pool 2×2 (s = 2), conv 5×5, pool 2×2.
# ES: La fórmula cuatro veces: conv 5×5 (p = 0, s = 1), agrupación 2×2 (s = 2), conv 5×5,
# ES: agrupación 2×2.
def output_size(n: int, f: int, p: int = 0, s: int = 1) -> int:
    return (n + 2 * p - f) // s + 1


answer_3 = []
side = 32
for f, s in [(5, 1), (2, 2), (5, 1), (2, 2)]:
    side = output_size(side, f, s=s)
    answer_3.append(side)
h = Tensor(np.zeros((1, 1, 32, 32), np.float32))
with no_grad():
    for layer, want in zip(
        [nn.Conv2d(1, 6, 5), nn.MaxPool2d(2), nn.Conv2d(6, 16, 5), nn.MaxPool2d(2)],
        answer_3,
        strict=True,
    ):
        h = layer(h)
        assert h.shape[-1] == want

# --- Exercise 4 -----------------------------------------------------------------------------
# 16 kernels of 6 × 5 × 5 weights, plus one bias per output channel.
# ES: 16 kernels de 6 × 5 × 5 pesos, más un sesgo por canal de salida.
answer_4 = 16 * (6 * 5 * 5) + 16
assert answer_4 == nn.Conv2d(6, 16, 5).num_parameters()

# --- Exercise 5 -----------------------------------------------------------------------------
# y1 = 3·1 − 2·2 = −1 (the ReLU blocks it), y2 = 3·2 − 2·(−1) = 8 (it passes). Only the second
# window contributes: ∂L/∂w1 = x2 = 2, ∂L/∂w2 = x3 = −1. The engine agrees.
# ES: y1 = 3·1 − 2·2 = −1 (la ReLU la bloquea), y2 = 3·2 − 2·(−1) = 8 (pasa). Solo contribuye la
# ES: segunda ventana: ∂L/∂w1 = x2 = 2, ∂L/∂w2 = x3 = −1. El motor coincide.
x1, x2, x3 = Value(1.0), Value(2.0), Value(-1.0)
w1, w2 = Value(3.0), Value(-2.0)
loss = (w1 * x1 + w2 * x2).relu() + (w1 * x2 + w2 * x3).relu()
loss.backward()
answer_5 = {"w1": w1.grad, "w2": w2.grad}
assert answer_5 == {"w1": 2.0, "w2": -1.0}

ANSWERS = {
    "1": answer_1.tolist(),
    "2": answer_2.tolist(),
    "3": answer_3,
    "4": answer_4,
    "5": answer_5,
}
