"""Worked solutions to the exercises of notebook 05, "Losses and optimizers".

Each answer is computed the way its exercise asks: a gradient by backpropagation on scalar
`Value`s, the softmax cross-entropy gradient as "prediction minus truth", an exponentially weighted
average by its recursion, and the two optimizer questions by running `nn.optim` against a plain
numpy loop. ``ANSWERS`` maps every exercise number to its answer, as the notebook's ``check``
expects it.

Soluciones de los ejercicios del notebook 05, "Funciones de pérdida y optimizadores".

Cada respuesta se calcula como lo pide su ejercicio: un gradiente por retropropagación sobre
`Value` escalares, el gradiente de la entropía cruzada con softmax como "predicción menos valor
real", un promedio ponderado exponencialmente con su recursión, y las dos preguntas de optimizadores
ejecutando `nn.optim` frente a un bucle en numpy puro. ``ANSWERS`` asocia cada número de ejercicio
con su respuesta, tal como la espera el ``check`` del notebook.
"""

from __future__ import annotations

import numpy as np

import nn
from autograd import Value

# --- Exercise 1: the gradients of the squared and the absolute error --------------------------
# One example x = 2, y = 3 and the model ŷ = w·x + b with w = 0.5, b = 0.
# ES: Un ejemplo x = 2, y = 3 y el modelo ŷ = w·x + b con w = 0.5, b = 0.
grads_1 = {}
for name, loss_of in (("mse", lambda r: r**2), ("mae", lambda r: r.abs())):
    w, b, x = Value(0.5, label="w"), Value(0.0, label="b"), Value(2.0, label="x")
    loss = loss_of(w * x + b - 3.0)
    loss.backward()
    grads_1[f"w_{name}"], grads_1[f"b_{name}"] = w.grad, b.grad
# r = ŷ - y = -2: the squared error gives 2r·x = -8 and 2r = -4; the absolute error gives
# sign(r)·x = -2 and sign(r) = -1.
# ES: r = ŷ - y = -2: el error cuadrático da 2r·x = -8 y 2r = -4; el absoluto da
# ES: sign(r)·x = -2 y sign(r) = -1.
answer_1 = grads_1

# --- Exercise 2: the cross-entropy gradient with respect to the logits ------------------------
# softmax(ln 2, 0, 0) = (2, 1, 1) / 4; the true class is the second, so y = (0, 1, 0).
# ES: softmax(ln 2, 0, 0) = (2, 1, 1) / 4; la clase verdadera es la segunda, así que y = (0, 1, 0).
z = np.array([np.log(2.0), 0.0, 0.0])
softmax = np.exp(z) / np.exp(z).sum()
# prediction minus truth
# ES: predicción menos valor real
answer_2 = (softmax - np.array([0.0, 1.0, 0.0])).tolist()

# --- Exercise 3: an exponentially weighted average with bias correction -----------------------
# Two days, θ1 = 30 and θ2 = 20, β = 0.9, starting from V0 = 0.
# ES: Dos días, θ1 = 30 y θ2 = 20, β = 0.9, partiendo de V0 = 0.
beta, v = 0.9, 0.0
for theta in (30.0, 20.0):
    v = beta * v + (1 - beta) * theta
answer_3 = {"V2": v, "V2_hat": v / (1 - beta**2)}  # 4.7 and 4.7 / 0.19

# --- Exercise 4: the notes' momentum as nn.optim's momentum -----------------------------------
# The notes: v = β·v + (1 - β)·g, θ ← θ - η·v. nn.optim: b = μ·b + g, θ ← θ - lr·b. Since
# v = (1 - β)·b, the two agree when lr = η(1 - β). Checked on the bowl 0.05x² + 2y², 60 steps.
# ES: Las notas: v = β·v + (1 - β)·g, θ ← θ - η·v. nn.optim: b = μ·b + g, θ ← θ - lr·b. Como
# ES: v = (1 - β)·b, coinciden cuando lr = η(1 - β). Comprobado en el cuenco 0.05x² + 2y², 60 pasos.
beta, eta = 0.9, 0.5
answer_4 = eta * (1 - beta)


def _grad_bowl(p: np.ndarray) -> np.ndarray:
    return np.array([0.1 * p[0], 4.0 * p[1]])


def _sgd_path(lr: float, momentum: float = 0.0, steps: int = 60) -> np.ndarray:
    x, y = Value(-4.5, label="x"), Value(1.5, label="y")
    opt = nn.optim.SGD([x, y], lr=lr, momentum=momentum)
    path = [(x.data, y.data)]
    for _ in range(steps):
        opt.zero_grad()
        (0.05 * x**2 + 2.0 * y**2).backward()
        opt.step()
        path.append((x.data, y.data))
    return np.array(path)


theta_np, v_np = np.array([-4.5, 1.5]), np.zeros(2)
notes_path = [theta_np.copy()]
for _ in range(60):
    v_np = beta * v_np + (1 - beta) * _grad_bowl(theta_np)
    theta_np = theta_np - eta * v_np
    notes_path.append(theta_np.copy())
if not np.allclose(np.array(notes_path), _sgd_path(answer_4, momentum=beta)):
    raise AssertionError("exercise 4: the two momentum forms should follow the same path")

# --- Exercise 5: the stability limit of plain gradient descent --------------------------------
# A step multiplies y by (1 - 4η) and x by (1 - 0.1η): |1 - 4η| < 1 is the tighter condition,
# so 0 < η < 0.5. Just below the limit |y| shrinks, just above it grows.
# ES: Un paso multiplica y por (1 - 4η) y x por (1 - 0.1η): |1 - 4η| < 1 es la condición más
# ES: estricta, así que 0 < η < 0.5. Justo por debajo del límite |y| se achica; justo por
# ES: encima, crece.
answer_5 = 2 / 4.0
below, above = _sgd_path(answer_5 - 0.01), _sgd_path(answer_5 + 0.01)
if not abs(below[-1, 1]) < abs(below[0, 1]) < abs(above[-1, 1]):
    raise AssertionError("exercise 5: η just below 0.5 should converge and just above diverge")

ANSWERS = {"1": answer_1, "2": answer_2, "3": answer_3, "4": answer_4, "5": answer_5}
