"""Matrix product, 2-D and batched: numpy's BLAS, or a Numba kernel for stacks of tiny products.

BLAS wins every 2-D product measured, from 2x2 up (one call, no per-matrix cost), and batched
products from about 64 multiply-adds per matrix. Below that, a batched product runs on the
Numba kernel of matmul_numba.py: (64, 4, 4) @ (64, 4, 4) and (1024, 3, 3) @ (1024, 3, 3) took
1.7-2.2x less time there than in ``np.matmul`` (benchmarks/bench_kernels.py, 2 noisy cores). Only
that case imports Numba (backend.py), so a model of 2-D products never does. Where Numba cannot
be imported every product goes to BLAS.

BLAS inside Numba (``np.dot`` in a kernel) is not used: it links scipy's copy of OpenBLAS, a
second BLAS thread pool in the process, and the two pools starve each other on a small machine.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

import numpy as np

from autograd.kernels.backend import has_numba
from autograd.kernels.threads import call_compiled, loading

TINY = 64  # most multiply-adds per matrix (n*k*m) for the Numba kernel (measured crossover)
_FLOATS = (np.dtype(np.float32), np.dtype(np.float64))


def runs_numba(a: np.ndarray, b: np.ndarray) -> bool:
    """Whether `matmul` of these operands runs the Numba kernel (importing Numba if so).

    Example:
        >>> runs_numba(np.ones((2, 2)), np.ones((2, 2)))  # 2-D: BLAS, whatever the size
        False
    """
    return (
        a.ndim == 3
        and b.ndim == 3
        and a.shape[0] == b.shape[0]
        and a.shape[2] == b.shape[1]
        and a.shape[1] * a.shape[2] * b.shape[2] <= TINY
        and a.dtype == b.dtype
        and a.dtype in _FLOATS
        and has_numba()
    )


@cache
def _batched_kernel() -> Callable[[np.ndarray, np.ndarray, np.ndarray], None]:
    """matmul_numba's kernel, imported on first use (a fork waits for the import)."""
    with loading():
        from autograd.kernels.matmul_numba import batched_matmul
    return batched_matmul


def matmul(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Return ``a @ b`` for (n, k) @ (k, m), or (B, n, k) @ (B, k, m) batch by batch.

    Any strides work: BLAS and the Numba kernel read a transposed view (such as ``w.T``)
    without a copy.

    Args:
        a: float32 or float64 array, (n, k) or (B, n, k).
        b: same dtype, (k, m) or (B, k, m).

    Returns:
        A new C-contiguous (n, m) or (B, n, m) array of the inputs' dtype.

    Example:
        >>> matmul(np.array([[1.0, 2.0]]), np.array([[3.0], [4.0]])).tolist()
        [[11.0]]
        >>> matmul(np.ones((5, 2, 3)), np.ones((5, 3, 2)))[4].tolist()  # the Numba kernel
        [[3.0, 3.0], [3.0, 3.0]]
    """
    if not runs_numba(a, b):
        return np.matmul(a, b)
    batched_matmul = _batched_kernel()
    out = np.empty((a.shape[0], a.shape[1], b.shape[2]), dtype=a.dtype)
    kind = (a.dtype, a.flags.c_contiguous, b.flags.c_contiguous)  # what Numba specialises on
    call_compiled(batched_matmul, kind, a, b, out)
    return out
