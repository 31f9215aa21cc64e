"""Worked solutions to the exercises of notebook 09, bias-variance and double descent.

Each section computes one answer the way the exercise asks: counting parameters, sweeping the
random-feature model for another number of training points, the minimum-norm and the ridge fit of
a tiny system, and a bias-variance decomposition from a simulation. `ANSWERS` maps every exercise
of ``viz/answers/09.json`` to its answer.

Soluciones de los ejercicios del notebook 09, sesgo, varianza y doble descenso. Cada sección
calcula una respuesta como lo pide el ejercicio: contar parámetros, barrer el modelo de features
aleatorias con otro número de puntos de entrenamiento, el ajuste de norma mínima y el de ridge de
un sistema chico, y una descomposición sesgo-varianza a partir de una simulación. `ANSWERS` asocia
cada ejercicio de ``viz/answers/09.json`` con su respuesta.
"""

import numpy as np

SEED = 0

# Exercise 1: parameter counts.
# The lecture's count for s inputs, p hidden units and m outputs: s·p + p + p·m + m.
# ES: el conteo de la clase para s entradas, p unidades ocultas y m salidas: s·p + p + p·m + m.
s, p, m = 5, 40, 1
full = s * p + p + p * m + m
# Frozen first layer, no biases: only the p output weights c are learned.
# ES: primera capa fija y sin sesgos: solo se aprenden los p pesos de salida c.
learned = p
# With an output bias there are p + 1 learned parameters; p + 1 = n gives p = n - 1.
# ES: con un sesgo de salida hay p + 1 parámetros aprendidos; p + 1 = n da p = n - 1.
n = 40
threshold = n - 1
answer_1 = {"full": full, "learned": learned, "threshold": threshold}

# Exercise 2: where the peak is for n = 60 training points.
# The notebook's experiment, with the number of training points as an argument.
# ES: el experimento del notebook, con el número de puntos de entrenamiento como argumento.
D, NOISE = 5, 0.2
SEEDS = range(10 * SEED, 10 * SEED + 10)
P_GRID = np.array(list(range(2, 80, 2)) + [90, 100, 120, 150, 200, 300, 400, 600, 800])
beta = np.random.default_rng(SEED + 1234).standard_normal(D) / np.sqrt(D)
X_test = np.random.default_rng(SEED + 999).standard_normal((1000, D))
y_test = 1.5 * np.tanh(X_test @ beta)


def test_errors(seed, n_train):
    """The test MSE of the minimum-norm fit for every p in P_GRID, for one training set."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n_train, D))
    y = 1.5 * np.tanh(X @ beta) + NOISE * rng.standard_normal(n_train)
    W_all = rng.standard_normal((D, P_GRID.max())) / np.sqrt(D)
    # The ReLU of every unit once; the first `width` columns over sqrt(width) are the features.
    # ES: la ReLU de cada unidad una sola vez; las primeras `width` columnas sobre sqrt(width).
    relu_train, relu_test = np.maximum(0.0, X @ W_all), np.maximum(0.0, X_test @ W_all)
    errors = []
    for width in P_GRID:
        scale = np.sqrt(width)
        c = np.linalg.lstsq(relu_train[:, :width] / scale, y, rcond=None)[0]
        errors.append(np.mean((relu_test[:, :width] / scale @ c - y_test) ** 2))
    return np.array(errors)


# Geometric mean over the ten training sets, then the p where it is largest.
# ES: media geométrica sobre los diez conjuntos de entrenamiento, y el p donde es máxima.
log_errors = np.log10([test_errors(seed, 60) for seed in SEEDS])
answer_2 = int(P_GRID[log_errors.mean(axis=0).argmax()])

# Exercise 3: the minimum-norm solution of Phi c = y, two equations and three unknowns.
# It lies in the row space of Phi: c = Phi^T a with (Phi Phi^T) a = y.
# ES: está en el espacio de filas de Phi: c = Phi^T a con (Phi Phi^T) a = y.
Phi = np.array([[1.0, 0.0, 1.0], [0.0, 1.0, 1.0]])
y_small = np.array([2.0, 1.0])
a = np.linalg.solve(Phi @ Phi.T, y_small)
answer_3 = (Phi.T @ a).tolist()

# Exercise 4: the ridge fit of the same system, lam = 1.
# ES: el ajuste ridge del mismo sistema, lam = 1.
lam = 1.0
answer_4 = np.linalg.solve(Phi.T @ Phi + lam * np.eye(3), Phi.T @ y_small).tolist()

# Exercise 5: bias² and variance of y_hat(2) for y = c·x fitted to three noisy points.
# Each row of Y is one training set; least squares through the origin gives c = (x·y)/(x·x).
# ES: cada fila de Y es un conjunto de entrenamiento; mínimos cuadrados por el origen da
# ES: c = (x·y)/(x·x).
x = np.array([1.0, 2.0, 3.0])
rng = np.random.default_rng(SEED)
Y = x**2 + 0.5 * rng.standard_normal((20000, 3))
c_hat = Y @ x / (x @ x)
x0 = 2.0
y_hat = c_hat * x0
f0 = x0**2
answer_5 = {
    "bias2": float((y_hat.mean() - f0) ** 2),
    "variance": float(y_hat.var()),
    "mse": float(((y_hat - f0) ** 2).mean()),
}

ANSWERS = {"1": answer_1, "2": answer_2, "3": answer_3, "4": answer_4, "5": answer_5}
