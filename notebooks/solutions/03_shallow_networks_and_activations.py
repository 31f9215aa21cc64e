"""Worked solutions to the exercises of notebook 03, shallow networks and activation functions.

Each section computes one answer the way the exercise asks: counting parameters, reading slopes
off the lecture's ReLU network with the engine, counting the linear pieces of a ReLU network,
the derivatives of PReLU, and backpropagation through a two-piece Maxout unit. ANSWERS, at the
end, maps every exercise id of viz/answers/03.json to its answer.

Soluciones de los ejercicios del notebook 03, redes poco profundas y funciones de activación.
Cada sección calcula una respuesta tal como la pide el ejercicio: contar parámetros, leer
pendientes de la red ReLU de la clase con el motor, contar los tramos lineales de una red ReLU,
las derivadas de PReLU y la retropropagación a través de una unidad Maxout de dos piezas.
ANSWERS, al final, asocia cada ejercicio de viz/answers/03.json con su respuesta.
"""

from __future__ import annotations

import numpy as np

import autograd
import nn
from autograd import Value

# The lecture's ReLU network (FCEN-UBA, shallow networks).
# ES: La red ReLU de la clase (FCEN-UBA, redes poco profundas).
THETA = {
    "w11": 1.5,
    "b1": 3.0,
    "w12": 1.0,
    "b2": -1.2,
    "w13": 2.0,
    "b3": -4.0,
    "w14": -0.6,
    "w24": 1.7,
    "w34": -1.2,
    "b4": -0.5,
}


def shallow(x: Value, t: dict[str, float]) -> Value:
    h1 = (t["w11"] * x + t["b1"]).relu()
    h2 = (t["w12"] * x + t["b2"]).relu()
    h3 = (t["w13"] * x + t["b3"]).relu()
    return t["w14"] * h1 + t["w24"] * h2 + t["w34"] * h3 + t["b4"]


# --- Exercise 1 -----------------------------------------------------------------------------
# s*n + n weights and biases in the hidden layer, n*m + m in the output layer.
# ES: s*n + n pesos y sesgos en la capa oculta, n*m + m en la capa de salida.
s, n, m = 4, 10, 3
answer_1 = s * n + n + n * m + m
assert answer_1 == len(nn.scalar.MLP(s, [n, m]).parameters())

# --- Exercise 2 -----------------------------------------------------------------------------
# On (1.2, 2) units 1 and 2 are on: slope = w14*w11 + w24*w12 = -0.9 + w24, zero at w24 = 0.9.
# ES: En (1.2, 2) están encendidas las unidades 1 y 2: pendiente = w14*w11 + w24*w12
# ES: = -0.9 + w24, que se anula en w24 = 0.9.
answer_2 = -THETA["w14"] * THETA["w11"] / THETA["w12"]
for x0 in (1.3, 1.6, 1.9):
    xv = Value(x0)
    shallow(xv, dict(THETA, w24=answer_2)).backward()
    assert abs(xv.grad) < 1e-12

# --- Exercise 3 -----------------------------------------------------------------------------
# Each hidden ReLU of a one-input network has one kink, at x = -b/w; n kinks cut the line into
# at most n + 1 straight pieces. Section 6's network has n = 10 hidden neurons.
# ES: Cada ReLU oculta de una red de una entrada tiene un quiebre, en x = -b/w; n quiebres
# ES: cortan la recta en a lo sumo n + 1 tramos rectos. La red de la sección 6 tiene n = 10.
answer_3 = 10 + 1


# --- Exercise 4 -----------------------------------------------------------------------------
# PReLU(z) = z for z >= 0, a*z for z < 0: d/dz is 1 or a, d/da is 0 or z.
# ES: PReLU(z) = z si z >= 0, a*z si z < 0: d/dz vale 1 o a, d/da vale 0 o z.
def prelu_grads(z: float, a: float) -> list[float]:
    if z > 0:
        return [1.0, 0.0]
    return [a, z]


# The engine agrees (nn.functional.prelu, backward()).
# ES: El motor coincide (nn.functional.prelu, backward()).
for z, a in [(-2.0, 0.25), (1.5, 0.25), (-0.5, 0.1)]:
    zt = autograd.Tensor(np.array([z]), requires_grad=True)
    at = autograd.Tensor(np.array([a]), requires_grad=True)
    nn.functional.prelu(zt, at).sum().backward()
    assert np.allclose([zt.grad.item(), at.grad.item()], prelu_grads(z, a))

# --- Exercise 5 -----------------------------------------------------------------------------
# Maxout with pieces p1 = 2x - 1 and p2 = -x + 0.5 at x = -1: p1 = -3, p2 = 1.5, so p2 wins and
# y = 1.5. Only the winner passes gradient: dy/dw2 = x = -1, dy/db2 = 1, dy/dx = w2 = -1, and
# the losing piece's w1, b1 get 0. Written with Values as max(p1, p2) = p2 + relu(p1 - p2).
# ES: Maxout con piezas p1 = 2x - 1 y p2 = -x + 0.5 en x = -1: p1 = -3, p2 = 1.5, así que gana
# ES: p2 e y = 1.5. Solo la ganadora recibe gradiente: dy/dw2 = x = -1, dy/db2 = 1,
# ES: dy/dx = w2 = -1, y w1, b1 de la pieza perdedora reciben 0. Con Values,
# ES: max(p1, p2) = p2 + relu(p1 - p2).
x = Value(-1.0, label="x")
w1, b1, w2, b2 = Value(2.0), Value(-1.0), Value(-1.0), Value(0.5)
p1, p2 = w1 * x + b1, w2 * x + b2
y = p2 + (p1 - p2).relu()
y.backward()
assert y.data == 1.5
# The same unit as nn.Maxout gives the same gradients.
# ES: La misma unidad como nn.Maxout da los mismos gradientes.
unit = nn.Maxout(1, 1, pieces=2, dtype=np.float64)
with autograd.no_grad():
    unit.weight.copy_(autograd.Tensor(np.array([[2.0], [-1.0]])))
    unit.bias.copy_(autograd.Tensor(np.array([-1.0, 0.5])))
xt = autograd.Tensor(np.array([[-1.0]]), requires_grad=True)
unit(xt).sum().backward()
assert xt.grad.item() == x.grad
assert unit.weight.grad.numpy().ravel().tolist() == [w1.grad, w2.grad]
assert unit.bias.grad.numpy().tolist() == [b1.grad, b2.grad]
answer_5 = {"x": x.grad, "w1": w1.grad, "b1": b1.grad, "w2": w2.grad, "b2": b2.grad}

ANSWERS = {"1": answer_1, "2": answer_2, "3": answer_3, "4": prelu_grads, "5": answer_5}
