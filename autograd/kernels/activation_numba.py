"""The Numba halves of activation.py: ReLU forward and backward, one pass over memory each.

Serial, ``nogil=True`` and cached on disk, like the other kernels. Both take C-contiguous arrays
of one float dtype (activation.py checks) and walk them flat.
"""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True, nogil=True)
def relu_forward(x: np.ndarray, out: np.ndarray) -> None:
    """``out = max(x, 0)``, NaN kept (as ``np.maximum(x, 0.0)``; -0.0 gives 0.0).

    Example:
        >>> out = np.empty(4)
        >>> relu_forward(np.array([-1.0, 2.0, np.nan, -0.0]), out)
        >>> out.tolist()
        [0.0, 2.0, nan, 0.0]
    """
    src, dst = x.ravel(), out.ravel()
    for i in range(src.shape[0]):
        v = src[i]
        dst[i] = v if v > 0.0 or v != v else 0.0


@njit(cache=True, nogil=True)
def relu_backward(g: np.ndarray, x: np.ndarray, out: np.ndarray) -> None:
    """``out = g * (x > 0)``, the same numbers as numpy's product (a NaN or inf upstream
    gradient times the mask's 0 is NaN).

    Example:
        >>> out = np.empty(3)
        >>> relu_backward(np.array([5.0, 5.0, np.inf]), np.array([1.0, -1.0, -1.0]), out)
        >>> out.tolist()
        [5.0, 0.0, nan]
    """
    grad, src, dst = g.ravel(), x.ravel(), out.ravel()
    for i in range(src.shape[0]):
        dst[i] = grad[i] * (1.0 if src[i] > 0.0 else 0.0)
