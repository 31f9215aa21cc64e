"""Worked solutions to the exercises of notebook 04, backpropagation.

All of them use the lecture's network of the Diplomado Ciencia de Datos con Python's
backpropagation example, f = S(w20 + w21·tanh(w10 + w11·x1 + w12·x2)) with e = ½(y − f)²:
gradients with respect to the inputs, every gradient at new numbers, the same network with ReLU
in place of tanh (alive and dead), and 100 steps of gradient descent. Each answer is computed
with the lecture's hand formulas and checked against the engine's backward(). ANSWERS, at the
end, maps every exercise id of viz/answers/04.json to its answer.

Soluciones de los ejercicios del notebook 04, retropropagación. Todas usan la red del ejemplo
de backpropagation del Diplomado Ciencia de Datos con Python,
f = S(w20 + w21·tanh(w10 + w11·x1 + w12·x2)) con e = ½(y − f)²: gradientes respecto de las
entradas, todos los gradientes con números nuevos, la misma red con ReLU en lugar de tanh (viva
y muerta) y 100 pasos de descenso por gradiente. Cada respuesta se calcula con las fórmulas a
mano de la clase y se compara con el backward() del motor. ANSWERS, al final, asocia cada
ejercicio de viz/answers/04.json con su respuesta.
"""

from __future__ import annotations

import math

from autograd import Value

NAMES = ("w10", "w11", "w12", "w20", "w21")
W = {"w10": 0.1, "w11": 0.4, "w12": -0.2, "w20": -0.3, "w21": 0.8}  # section 1 / sección 1
X1, X2, Y = 0.5, -1.0, 1.0


def by_hand(w, x1, x2, y, hidden="tanh"):
    """The lecture's formulas: (de/dw for the five weights, de/dx for the two inputs).
    ES: Las fórmulas de la clase: (de/dw de los cinco pesos, de/dx de las dos entradas)."""
    z_g = w["w10"] + w["w11"] * x1 + w["w12"] * x2
    if hidden == "tanh":
        g, g_prime = math.tanh(z_g), 1 - math.tanh(z_g) ** 2
    else:  # relu: slope 1 when on, 0 when off / pendiente 1 si está encendida, 0 si no
        g, g_prime = max(0.0, z_g), (1.0 if z_g > 0 else 0.0)
    f = 1 / (1 + math.exp(-(w["w20"] + w["w21"] * g)))
    delta_f = -(y - f) * f * (1 - f)  # de/dz_f
    delta_g = delta_f * w["w21"] * g_prime  # de/dz_g
    weights = {
        "w10": delta_g,
        "w11": delta_g * x1,
        "w12": delta_g * x2,
        "w20": delta_f,
        "w21": delta_f * g,
    }
    inputs = {"x1": delta_g * w["w11"], "x2": delta_g * w["w12"]}
    return weights, inputs


def engine(w, x1, x2, y, hidden="tanh"):
    """The same gradients from backward(). ES: Los mismos gradientes con backward()."""
    p = {name: Value(w[name]) for name in NAMES}
    xs = {"x1": Value(x1), "x2": Value(x2)}
    z_g = p["w10"] + p["w11"] * xs["x1"] + p["w12"] * xs["x2"]
    g = z_g.tanh() if hidden == "tanh" else z_g.relu()
    f = (p["w20"] + p["w21"] * g).sigmoid()
    (0.5 * (y - f) ** 2).backward()
    return {k: v.grad for k, v in p.items()}, {k: v.grad for k, v in xs.items()}


def agree(a, b):
    return all(math.isclose(a[k], b[k], rel_tol=1e-12, abs_tol=1e-15) for k in a)


# --- Exercise 1 -----------------------------------------------------------------------------
# de/dx1 = -(y - f) S'(z_f) w21 tanh'(z_g) w11: the prefix of de/dw11 with w11 in place of x1.
# ES: de/dx1 = -(y - f) S'(z_f) w21 tanh'(z_g) w11: el prefijo de de/dw11 con w11 en lugar de x1.
grads_1, answer_1 = by_hand(W, X1, X2, Y)
assert agree(answer_1, engine(W, X1, X2, Y)[1])

# --- Exercise 2 -----------------------------------------------------------------------------
# x = (1, 2), y = 1 and w = (0, 0.5, -0.25, 0, 2): z_g = 0, g = 0, tanh'(0) = 1, z_f = 0,
# f = 1/2, S'(0) = 1/4, so de/dz_f = -(1/2)(1/4) = -1/8 and de/dz_g = -1/8 · 2 · 1 = -1/4.
# ES: x = (1, 2), y = 1 y w = (0, 0.5, -0.25, 0, 2): z_g = 0, g = 0, tanh'(0) = 1, z_f = 0,
# ES: f = 1/2, S'(0) = 1/4, así que de/dz_f = -(1/2)(1/4) = -1/8 y de/dz_g = -1/8 · 2 · 1 = -1/4.
W2 = {"w10": 0.0, "w11": 0.5, "w12": -0.25, "w20": 0.0, "w21": 2.0}
answer_2, _ = by_hand(W2, 1.0, 2.0, 1.0)
assert answer_2 == {"w10": -0.25, "w11": -0.25, "w12": -0.5, "w20": -0.125, "w21": 0.0}
assert agree(answer_2, engine(W2, 1.0, 2.0, 1.0)[0])

# --- Exercise 3 -----------------------------------------------------------------------------
# tanh -> ReLU: g = relu(z_g) and tanh'(z_g) becomes relu'(z_g) = 1 (z_g = 0.5 > 0).
# ES: tanh -> ReLU: g = relu(z_g) y tanh'(z_g) pasa a ser relu'(z_g) = 1 (z_g = 0.5 > 0).
answer_3, _ = by_hand(W, X1, X2, Y, hidden="relu")
assert agree(answer_3, engine(W, X1, X2, Y, hidden="relu")[0])

# --- Exercise 4 -----------------------------------------------------------------------------
# w10 = -1: z_g = -0.6 < 0, the ReLU is off, g = 0 and relu'(z_g) = 0: no gradient reaches the
# first layer, and de/dw21 = de/dz_f · g = 0 as well; only the output bias w20 still learns.
# ES: w10 = -1: z_g = -0.6 < 0, la ReLU está apagada, g = 0 y relu'(z_g) = 0: ningún gradiente
# ES: llega a la primera capa, y de/dw21 = de/dz_f · g = 0 también; solo aprende el sesgo w20.
W4 = dict(W, w10=-1.0)
answer_4, _ = by_hand(W4, X1, X2, Y, hidden="relu")
assert agree(answer_4, engine(W4, X1, X2, Y, hidden="relu")[0])


# --- Exercise 5 -----------------------------------------------------------------------------
# 100 steps of w <- w - 0.5 de/dw on the single example, the gradients reset before every
# backward(); the answer is the error after the 100th step.
# ES: 100 pasos de w <- w - 0.5 de/dw sobre el único ejemplo, reiniciando los gradientes antes
# ES: de cada backward(); la respuesta es el error después del paso 100.
def lecture_error(w10, w11, w12, w20, w21, x1=X1, x2=X2, y=Y):
    f = (w20 + w21 * (w10 + w11 * x1 + w12 * x2).tanh()).sigmoid()
    return 0.5 * (y - f) ** 2


params = [Value(W[name]) for name in NAMES]
history = []
for _ in range(100):
    err = lecture_error(*params)
    for p in params:
        p.grad = 0.0
    err.backward()
    for p in params:
        p.data -= 0.5 * p.grad
    history.append(err.data)
answer_5 = lecture_error(*params).data
assert answer_5 < history[0] / 2

ANSWERS = {"1": answer_1, "2": answer_2, "3": answer_3, "4": answer_4, "5": answer_5}
