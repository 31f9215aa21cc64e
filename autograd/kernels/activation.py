"""ReLU forward and backward: a Numba kernel for large float arrays, numpy otherwise.

numpy's ``np.maximum(x, 0.0)`` took 0.27 ms on a (64, 8, 28, 28) float32 batch, where one
compiled pass takes 0.05 ms, and the backward ``g * (x > 0)`` makes a boolean mask first (0.17
against 0.09 ms); LeNet's two ReLUs cost 1.2 ms of a 10 ms training step that way. Below
`MIN_NUMBA_SIZE` elements, or for other dtypes and layouts, numpy runs: a Numba call's fixed
cost is a few microseconds, and a model that runs no other Numba kernel never imports Numba
for its ReLUs. Both paths give the same numbers.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

import numpy as np

from autograd.kernels.backend import has_numba
from autograd.kernels.threads import call_compiled, loading

MIN_NUMBA_SIZE = 16_384  # elements (the (64, 16, 14, 14) batch of LeNet's second ReLU: 200,704)
_FLOATS = (np.dtype(np.float32), np.dtype(np.float64))


def _compiled(*arrays: np.ndarray) -> bool:
    """Whether these same-shaped arrays go to the Numba kernels (importing Numba if so)."""
    first = arrays[0]
    return (
        first.size >= MIN_NUMBA_SIZE
        and first.dtype in _FLOATS
        and all(a.dtype == first.dtype and a.flags.c_contiguous for a in arrays)
        and has_numba()
    )


@cache
def _kernels() -> tuple[Callable[..., None], Callable[..., None]]:
    """activation_numba's kernels, imported on first use (a fork waits for the import)."""
    with loading():
        from autograd.kernels.activation_numba import relu_backward, relu_forward
    return relu_forward, relu_backward


def relu(x: np.ndarray) -> np.ndarray:
    """``max(x, 0)`` as a new array of x's dtype; NaN stays NaN.

    Example:
        >>> relu(np.array([-2.0, 3.0])).tolist()
        [0.0, 3.0]
    """
    if not _compiled(x):
        return np.maximum(x, 0.0)
    out = np.empty_like(x)
    call_compiled(_kernels()[0], x.dtype, x, out)
    return out


def relu_grad(g: np.ndarray, x: np.ndarray) -> np.ndarray:
    """The gradient through ReLU: ``g * (x > 0)``, a new array.

    Example:
        >>> relu_grad(np.array([5.0, 5.0]), np.array([1.0, -1.0])).tolist()
        [5.0, 0.0]
    """
    if g.shape != x.shape or not _compiled(g, x):
        return g * (x > 0)
    out = np.empty_like(x)
    call_compiled(_kernels()[1], x.dtype, g, x, out)
    return out
