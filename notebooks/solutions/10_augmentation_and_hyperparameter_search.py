"""Worked solutions to the exercises of notebook 10, data augmentation and hyper-parameter search.

Each section computes one answer the way its exercise asks: a shift with zero fill, the source
coordinates of a rotated pixel, a log-uniform draw, the distinct values a grid and a random search
try, and the chance that a random search misses the good decade of learning rates. ``ANSWERS`` maps
every exercise id to its answer, for ``viz.exercises.sheet("10")``.

Soluciones de los ejercicios del cuaderno 10, aumentación de datos y búsqueda de hiperparámetros.
Cada sección calcula una respuesta como lo pide su ejercicio: un desplazamiento con relleno de
ceros, las coordenadas de origen de un píxel rotado, un sorteo log-uniforme, los valores distintos
que prueban una búsqueda en grilla y una aleatoria, y la probabilidad de que una búsqueda
aleatoria no le acierte a la década buena de tasas de aprendizaje. ``ANSWERS`` asocia cada
ejercicio con su respuesta, para ``viz.exercises.sheet("10")``.
"""

from __future__ import annotations

import numpy as np

# ---- 1. A shift by hand ------------------------------------------------------------------------
# Output column j is input column j - k; columns that come in from the edge stay zero.
# ES: la columna j de la salida es la columna j - k de la entrada; las que entran por el borde
# quedan en cero.


def shift_right(image, k):
    image = np.asarray(image, dtype=float)
    out = np.zeros_like(image)
    if k > 0:
        out[:, k:] = image[:, :-k]
    elif k < 0:
        out[:, :k] = image[:, -k:]
    else:
        out[:] = image
    return out


# ---- 2. Where does a rotated pixel come from? --------------------------------------------------
# The inverse rotation about the centre (3.5, 3.5), as in the notebook's rotate().
# ES: la rotación inversa alrededor del centro (3.5, 3.5), como en rotate() del cuaderno.


def source(r, c, degrees):
    theta = np.deg2rad(degrees)
    dr, dc = r - 3.5, c - 3.5
    return [
        np.cos(theta) * dr + np.sin(theta) * dc + 3.5,
        -np.sin(theta) * dr + np.cos(theta) * dc + 3.5,
    ]


# ---- 3. Log-uniform sampling -------------------------------------------------------------------
# The exponent is uniform: log10(lr) = -4 + 4u.
# ES: el exponente es uniforme: log10(lr) = -4 + 4u.
answer_3 = 10 ** (-4 + 4 * 0.25)

# ---- 4. Distinct values for the same budget ----------------------------------------------------
# A 4 x 4 grid repeats each of its 4 learning rates for every width; 16 random trials draw 16.
# ES: una grilla de 4 x 4 repite cada una de sus 4 tasas para cada ancho; 16 pruebas al azar
# sortean 16.
grid = [(lr, width) for lr in np.geomspace(1e-4, 1, 4) for width in (8, 16, 32, 64)]
random_lrs = 10 ** np.random.default_rng(0).uniform(-4, 0, len(grid))
answer_4 = {"grid": len({lr for lr, _ in grid}), "random": len(set(random_lrs))}

# ---- 5. Missing the good region ----------------------------------------------------------------
# Each draw misses the good decade with probability 3/4; 9 independent draws all miss it.
# ES: cada sorteo no cae en la década buena con probabilidad 3/4; los 9 sorteos independientes
# fallan todos.
answer_5 = (3 / 4) ** 9

ANSWERS = {"1": shift_right, "2": source, "3": answer_3, "4": answer_4, "5": answer_5}
