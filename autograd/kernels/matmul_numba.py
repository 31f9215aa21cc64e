"""A Numba kernel for batches of tiny matrix products, where numpy's matmul is slowest.

numpy multiplies a (B, n, k) @ (B, k, m) stack with one BLAS call per matrix, and a BLAS
call costs a fraction of a microsecond before any arithmetic; for 3x3 or 4x4 matrices that is
most of the time. This kernel does the whole batch in one compiled loop nest (serial, ``nogil``,
cached on disk). Bigger products go to BLAS, which wins from a few dozen multiply-adds per
matrix on (matmul.py; benchmarks/bench_kernels.py measures both).
"""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True, nogil=True)
def batched_matmul(a: np.ndarray, b: np.ndarray, out: np.ndarray) -> None:
    """Write ``a[q] @ b[q]`` into ``out[q]`` for every q.

    Shapes: ``a`` (B, n, k), ``b`` (B, k, m), ``out`` (B, n, m), any strides, one dtype.
    Loop nest: q, i, p, j: each row of ``out`` starts at zero and adds ``a[q, i, p]`` times row
    p of ``b[q]``, so the innermost loop walks rows of ``b`` and ``out``.

    Example:
        >>> a, b = np.arange(8.0).reshape(2, 2, 2), np.ones((2, 2, 1))
        >>> out = np.empty((2, 2, 1))
        >>> batched_matmul(a, b, out)
        >>> out[:, :, 0].tolist()
        [[1.0, 5.0], [9.0, 13.0]]
    """
    B, n, k = a.shape
    m = b.shape[2]
    for q in range(B):
        for i in range(n):
            row = out[q, i]
            for j in range(m):
                row[j] = 0.0
            for p in range(k):
                left = a[q, i, p]
                right = b[q, p]
                for j in range(m):
                    row[j] += left * right[j]
