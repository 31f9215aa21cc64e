"""Worked solutions to the exercises of notebook 02, McCulloch–Pitts neurons and the perceptron.

Each section builds the unit the exercise asks for with `nn.McCullochPitts` or `nn.Perceptron`,
with the by-hand reasoning in the comments. ``ANSWERS`` maps every exercise to the answer its
check cell expects, so ``viz.exercises.sheet("02")`` can check these solutions too.

Soluciones desarrolladas de los ejercicios del notebook 02, neuronas de McCulloch–Pitts y el
perceptrón. Cada sección construye con `nn.McCullochPitts` o `nn.Perceptron` la unidad que pide el
ejercicio; los comentarios muestran el razonamiento a mano. ``ANSWERS`` asocia cada ejercicio con
la respuesta que espera su celda de comprobación, así que ``viz.exercises.sheet("02")`` también
puede comprobar estas soluciones.
"""

from __future__ import annotations

import itertools

import numpy as np

import nn

X2 = [(0, 0), (0, 1), (1, 0), (1, 1)]
X = np.array(X2, dtype=float)

# --- Exercise 1: the cinema neuron with threshold 1 ------------------------------------------
# It fires when x2 = x3 = 0 (no veto) and x1 + x4 >= 1: (1,0,0,0), (0,0,0,1), (1,0,0,1): 3 inputs.
# ES: Se dispara cuando x2 = x3 = 0 (sin veto) y x1 + x4 >= 1: (1,0,0,0), (0,0,0,1), (1,0,0,1).
cinema = nn.McCullochPitts(threshold=1, inhibitory=(1, 2))
answer_1 = sum(cinema(x) for x in itertools.product((0, 1), repeat=4))
assert answer_1 == 3

# --- Exercise 2: NOR with one McCulloch–Pitts unit -------------------------------------------
# Both inputs inhibitory (any 1 silences it) and threshold 0 (it fires with no active input).
# ES: Las dos entradas inhibidoras (cualquier 1 la silencia) y umbral 0 (se dispara sin entradas).
NOR = nn.McCullochPitts(0, inhibitory=(0, 1))
assert [NOR(x) for x in X2] == [1, 0, 0, 0]

# --- Exercise 3: one perceptron update by hand -----------------------------------------------
# z = 0.5*2 + (-1)*1 + 0 = 0, so y_hat = step(0) = 1 but y = 0: the error is -1 and
# w = (0.5, -1) - 0.5*(2, 1) = (-0.5, -1.5), b = 0 - 0.5 = -0.5.
# ES: z = 0.5*2 + (-1)*1 + 0 = 0, así que y_hat = step(0) = 1, pero y = 0: el error es -1 y
# ES: w = (0.5, -1) - 0.5*(2, 1) = (-0.5, -1.5), b = 0 - 0.5 = -0.5.
p = nn.Perceptron(2, lr=0.5, weights=[0.5, -1.0], bias=0.0)
assert p.update([2.0, 1.0], 0) == 1
answer_3 = {"w1": p.weights[0], "w2": p.weights[1], "b": p.bias}

# --- Exercise 4: learning NAND with lr = 1 ---------------------------------------------------
# Epoch 1 misclassifies only (1, 1) (z = 0 gives 1): w = (-1, -1), b = -1. The mistakes per
# epoch are 1, 3, 3, 2, 1, then 0: the rule stops at w = (-2, -1), b = 2, the line
# -2*x1 - x2 + 2 = 0, which (1, 0) lies on (step(0) = 1, right for NAND): no safety margin.
# ES: La época 1 solo clasifica mal (1, 1) (z = 0 da 1): w = (-1, -1), b = -1. Los errores por
# ES: época son 1, 3, 3, 2, 1 y después 0: la regla se detiene en w = (-2, -1), b = 2, la recta
# ES: -2*x1 - x2 + 2 = 0, sobre la que cae (1, 0) (step(0) = 1, correcto para NAND): sin margen.
y_nand = np.array([1, 1, 1, 0])
p_nand = nn.Perceptron(2, lr=1.0).fit(X, y_nand, epochs=10)
assert (p_nand.predict(X) == y_nand).all()
assert p_nand.epoch_errors == [1, 3, 3, 2, 1, 0, 0, 0, 0, 0]
answer_4 = {"w1": p_nand.weights[0], "w2": p_nand.weights[1], "b": p_nand.bias}

# --- Exercise 5: eta only sets the scale when the weights start at zero ----------------------
# Every update adds eta*(y - y_hat)*x, so from zero the weights are always eta times a sum of
# integers times x; the sign of w.x + b, hence every prediction and every mistake, is the same
# for both runs, and the weights of the eta = 100 run are 100 times those of the eta = 1 run.
# ES: Cada actualización suma eta*(y - y_hat)*x, así que desde cero los pesos son siempre eta por
# ES: una suma de enteros por x; el signo de w.x + b, y con él cada predicción y cada error, es el
# ES: mismo en las dos ejecuciones, y los pesos con eta = 100 son 100 veces los de eta = 1.
y_and = np.array([0, 0, 0, 1])
p_one = nn.Perceptron(2, lr=1.0).fit(X, y_and, epochs=10)
p_big = nn.Perceptron(2, lr=100.0).fit(X, y_and, epochs=10)
assert (p_one.predict(X) == y_and).all() and (p_big.predict(X) == y_and).all()
assert p_big.epoch_errors == p_one.epoch_errors
assert np.array_equal(p_big.weights, 100 * p_one.weights)
answer_5 = p_big.bias / p_one.bias

ANSWERS = {"1": answer_1, "2": NOR, "3": answer_3, "4": answer_4, "5": answer_5}
