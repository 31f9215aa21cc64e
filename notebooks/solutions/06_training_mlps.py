"""Worked solutions to the exercises of notebook 06, "Training multilayer perceptrons".

Each answer is computed the way its exercise asks: standardisation with the population standard
deviation (checked against `nn.data.Standardizer`), the gradient of an L2-penalised neuron by
backpropagation on scalar `Value`s, inverted dropout by hand (checked against `nn.Dropout`), and
precision, recall and R² from their counts and sums (checked against `nn.metrics`). ``ANSWERS``
maps every exercise number to its answer, as the notebook's ``check`` expects it.

Soluciones de los ejercicios del notebook 06, "Entrenamiento de perceptrones multicapa".

Cada respuesta se calcula como lo pide su ejercicio: la estandarización con la desviación estándar
poblacional (comparada con `nn.data.Standardizer`), el gradiente de una neurona con penalización L2
por retropropagación sobre `Value` escalares, el inverted dropout a mano (comparado con
`nn.Dropout`), y la precisión, el recall y el R² a partir de sus conteos y sumas (comparados con
`nn.metrics`). ``ANSWERS`` asocia cada número de ejercicio con su respuesta, tal como la espera el
``check`` del notebook.
"""

from __future__ import annotations

import math

import numpy as np

import nn
from autograd import Tensor, Value

# --- Exercise 1: standardising one feature ---------------------------------------------------
# Three training grades 50, 70, 90; σ divides by m (the population standard deviation).
# ES: Tres notas de entrenamiento 50, 70, 90; σ divide por m (la desviación estándar poblacional).
grades = np.array([50.0, 70.0, 90.0])
mu = grades.sum() / len(grades)
sigma = math.sqrt(((grades - mu) ** 2).sum() / len(grades))
answer_1 = {"mu": mu, "sigma": sigma, "z": (85.0 - mu) / sigma}
scaler = nn.data.Standardizer().fit(grades[:, None])
if not np.isclose(scaler.transform(np.array([[85.0]])).item(), answer_1["z"], atol=1e-5):
    raise AssertionError("exercise 1: nn.data.Standardizer should give the same z")

# --- Exercise 2: the gradient of a neuron with an L2 penalty ---------------------------------
# L = -log σ(w·x + b) + (λ/2)·w² for x = 2, y = 1, w = 0.5, b = -1, λ = 0.1 (the bias is not
# penalised). Backpropagation gives ∂L/∂w = (ŷ - y)·x + λ·w and ∂L/∂b = ŷ - y.
# ES: L = -log σ(w·x + b) + (λ/2)·w² con x = 2, y = 1, w = 0.5, b = -1, λ = 0.1 (el sesgo no se
# ES: penaliza). La retropropagación da ∂L/∂w = (ŷ - y)·x + λ·w y ∂L/∂b = ŷ - y.
w, b, x = Value(0.5, label="w"), Value(-1.0, label="b"), Value(2.0, label="x")
y_hat = (w * x + b).sigmoid()
loss = -y_hat.log() + 0.1 / 2 * w**2
loss.backward()
answer_2 = {"w": w.grad, "b": b.grad}  # -1 + 0.05 = -0.95 and -0.5

# --- Exercise 3: inverted dropout by hand ----------------------------------------------------
# p = 0.2: the kept activations are divided by 1 - p = 0.8, the dropped ones are 0.
# ES: p = 0.2: las activaciones conservadas se dividen por 1 - p = 0.8; las apagadas valen 0.
h = np.array([1.0, 2.0, 3.0, 4.0, 5.0])
keep = np.array([1.0, 0.0, 1.0, 1.0, 0.0])
p = 0.2
answer_3 = (h * keep / (1 - p)).tolist()
# nn.Dropout in training mode does the same; after model.eval() it is the identity.
# ES: nn.Dropout en modo entrenamiento hace lo mismo; después de model.eval() es la identidad.
ones = nn.Dropout(p).train()(Tensor(np.ones(10_000))).numpy()
if not np.allclose(np.unique(ones[ones != 0]), 1 / (1 - p)):
    raise AssertionError("exercise 3: nn.Dropout should scale the kept values by 1 / (1 - p)")

# --- Exercise 4: precision and recall at two thresholds --------------------------------------
# ES: Precisión y recall con dos umbrales.
probs = np.array([0.9, 0.8, 0.6, 0.45, 0.4, 0.35, 0.2, 0.1])
labels = np.array([1, 0, 1, 1, 0, 0, 1, 0])
answer_4 = {}
for threshold, tag in ((0.5, "05"), (0.3, "03")):
    admit = probs >= threshold
    tp = int(np.sum(admit & (labels == 1)))
    fp = int(np.sum(admit & (labels == 0)))
    fn = int(np.sum(~admit & (labels == 1)))
    answer_4[f"precision_{tag}"] = tp / (tp + fp)
    answer_4[f"recall_{tag}"] = tp / (tp + fn)
    predicted = admit.astype(np.float64)
    if not math.isclose(nn.metrics.recall(labels, predicted), answer_4[f"recall_{tag}"]):
        raise AssertionError("exercise 4: nn.metrics.recall should agree")
# A lower threshold admits more applicants: recall goes up (0.5 → 0.75), precision down (2/3 → 0.5).
# ES: Un umbral más bajo admite a más aspirantes: el recall sube (0.5 → 0.75) y la precisión baja
# ES: (2/3 → 0.5).

# --- Exercise 5: R² ----------------------------------------------------------------------------
# ES: R².
y_true = np.array([1.0, 2.0, 3.0, 4.0])
y_pred = np.array([1.5, 2.0, 2.5, 5.0])
ss_res = np.sum((y_true - y_pred) ** 2)  # 1.5
ss_tot = np.sum((y_true - y_true.mean()) ** 2)  # 5
answer_5 = float(1 - ss_res / ss_tot)
if not math.isclose(nn.metrics.r2_score(y_true, y_pred), answer_5, rel_tol=1e-9):
    raise AssertionError("exercise 5: nn.metrics.r2_score should agree")

ANSWERS = {"1": answer_1, "2": answer_2, "3": answer_3, "4": answer_4, "5": answer_5}
