"""Worked solutions to the exercises of notebook 01, computational graphs.

Each section builds the graph the exercise describes with `autograd.Value` and reads the answer
off the engine, with the by-hand reasoning in the comments. ``ANSWERS`` maps every exercise to the
answer its check cell expects, so ``viz.exercises.sheet("01")`` can check these solutions too.

Soluciones desarrolladas de los ejercicios del notebook 01, grafos computacionales. Cada sección
construye con `autograd.Value` el grafo que describe el ejercicio y lee la respuesta del motor;
los comentarios muestran el razonamiento a mano. ``ANSWERS`` asocia cada ejercicio con la
respuesta que espera su celda de comprobación, así que ``viz.exercises.sheet("01")`` también
puede comprobar estas soluciones.
"""

from __future__ import annotations

import math

import autograd
from autograd import Value

# --- Exercise 1: forward pass of g(x, y) = (x*y + y)^2 at x = 2, y = -1 -----------------------
# p = x*y = -2, s = p + y = -3, g = s^2 = 9.
# ES: p = x*y = -2, s = p + y = -3, g = s^2 = 9.
x = Value(2.0, label="x")
y = Value(-1.0, label="y")
p = x * y
s = p + y
g = s**2
answer_1 = g.data
assert answer_1 == 9.0

# --- Exercise 2: backward pass of the same graph ----------------------------------------------
# dg/ds = 2s = -6. Through p = x*y: dg/dx = -6 * y = 6. y has two paths:
# through s = p + y it gets -6 * 1 = -6, through p = x*y it gets -6 * x = -12; they add to -18.
# ES: dg/ds = 2s = -6. A través de p = x*y: dg/dx = -6 * y = 6. y tiene dos caminos:
# ES: por s = p + y recibe -6 * 1 = -6, por p = x*y recibe -6 * x = -12; suman -18.
g.backward()
answer_2 = {"x": x.grad, "y": y.grad}
assert answer_2 == {"x": 6.0, "y": -18.0}

# --- Exercise 3: the sigmoid from primitive operations at x = 0.5 ----------------------------
# The chain x -> n = -x -> e = exp(n) -> u = 1 + e -> 1/u has local derivatives
# -1, e^(-x), 1 and -1/u^2; their product is e^(-x) / (1 + e^(-x))^2 = sigma * (1 - sigma).
# The composed graph has more nodes than the built-in one (a single sigmoid node), so it is
# slower to build and to traverse, and e^(-x) overflows for very negative x: that is why
# an engine gives the sigmoid its own node, with the local derivative sigma * (1 - sigma).
# ES: La cadena x -> n = -x -> e = exp(n) -> u = 1 + e -> 1/u tiene derivadas locales
# ES: -1, e^(-x), 1 y -1/u^2; su producto es e^(-x) / (1 + e^(-x))^2 = sigma * (1 - sigma).
# ES: El grafo compuesto tiene más nodos que el incorporado (un solo nodo sigmoide): cuesta más
# ES: construirlo y recorrerlo, y e^(-x) se desborda para x muy negativo. Por eso un motor le
# ES: da a la sigmoide su propio nodo, con la derivada local sigma * (1 - sigma).
sx = Value(0.5, label="x")
composed = 1 / (1 + (-sx).exp())
composed.backward()
answer_3 = sx.grad
bx = Value(0.5, label="x")
builtin = bx.sigmoid()
builtin.backward()
assert math.isclose(answer_3, bx.grad, rel_tol=1e-12)
assert math.isclose(answer_3, builtin.data * (1 - builtin.data), rel_tol=1e-12)
NODES = {
    "composed": len(autograd.topological_order(composed)),
    "built-in": len(autograd.topological_order(builtin)),
}
assert NODES["composed"] > NODES["built-in"]

# --- Exercise 4: gradients of two losses accumulate in w.grad --------------------------------
# dL1/dw = x = 2 and dL2/dw = 2w = 3; without zero_grad() the second pass adds: 2 + 3 = 5.
# ES: dL1/dw = x = 2 y dL2/dw = 2w = 3; sin zero_grad() la segunda pasada suma: 2 + 3 = 5.
w = Value(1.5, label="w")
L1 = w * 2.0
L2 = w * w
L1.backward()
L2.backward()
answer_4 = w.grad
assert answer_4 == 5.0

ANSWERS = {"1": answer_1, "2": answer_2, "3": answer_3, "4": answer_4}
