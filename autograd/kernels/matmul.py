"""Matrix product, 2-D and batched, on numpy's BLAS.

Numba's ``np.dot`` would link scipy's copy of OpenBLAS, a second BLAS thread pool in the
process; the two pools starve each other on a small machine (see benchmarks/bench_kernels.py),
so the product stays on the BLAS numpy already uses for everything else.
"""

from __future__ import annotations

import numpy as np


def matmul(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Return ``a @ b`` for (n, k) @ (k, m), or (B, n, k) @ (B, k, m) batch by batch.

    Any strides work: BLAS reads a transposed view (such as ``w.T``) without a copy.

    Args:
        a: float32 or float64 array, (n, k) or (B, n, k).
        b: same dtype, (k, m) or (B, k, m).

    Returns:
        A new C-contiguous (n, m) or (B, n, m) array of the inputs' dtype.

    Example:
        >>> matmul(np.array([[1.0, 2.0]]), np.array([[3.0], [4.0]])).tolist()
        [[11.0]]
    """
    return np.matmul(a, b)
