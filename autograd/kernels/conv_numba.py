"""The Numba halves of conv.py's im2col + GEMM: copying patches into columns and back.

Compiled serial (the batch is split across threads by conv.py) with ``nogil=True``, so the
slices run at once; cached on disk, each compiles on its first call.
"""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True, nogil=True)
def im2col(xp: np.ndarray, KH: int, KW: int, sh: int, sw: int, cols: np.ndarray) -> None:
    """Copy every (KH, KW) patch of the padded input ``xp`` into a column of ``cols``.

    Shapes: ``xp`` (N, C, Hp, Wp), ``cols`` (N, C*KH*KW, OH*OW) with OH = (Hp - KH)//sh + 1,
    so that ``cols[n, (c*KH + kh)*KW + kw, oh*OW + ow] = xp[n, c, oh*sh + kh, ow*sw + kw]``.
    Loop nest: n, c, kh, kw, oh, ow; the innermost loop walks one row of ``xp``. Every index
    comes straight from a ``range``, so Numba can drop its negative-index checks and vectorise
    the row copy (signed offset arithmetic made it 3x slower, measured).

    Example:
        >>> xp = np.arange(9.0).reshape(1, 1, 3, 3)
        >>> cols = np.empty((1, 4, 4))
        >>> im2col(xp, 2, 2, 1, 1, cols)
        >>> cols[0, 0].tolist()  # the top-left tap of each of the four 2x2 windows
        [0.0, 1.0, 3.0, 4.0]
    """
    N, C = xp.shape[0], xp.shape[1]
    OH = (xp.shape[2] - KH) // sh + 1
    OW = (xp.shape[3] - KW) // sw + 1
    for n in range(N):
        for c in range(C):
            for kh in range(KH):
                for kw in range(KW):
                    out = cols[n, (c * KH + kh) * KW + kw]
                    for oh in range(OH):
                        row = xp[n, c, oh * sh + kh]
                        base = oh * OW
                        if sw == 1:
                            for ow in range(OW):
                                out[base + ow] = row[ow + kw]
                        else:
                            for ow in range(OW):
                                out[base + ow] = row[ow * sw + kw]


@njit(cache=True, nogil=True)
def col2im(dcols: np.ndarray, KH: int, KW: int, sh: int, sw: int, gxp: np.ndarray) -> None:
    """Scatter-add columns back onto the padded input gradient: the adjoint of `im2col`.

    Shapes: ``dcols`` (N, C*KH*KW, OH*OW), ``gxp`` (N, C, Hp, Wp), zero-filled by the caller;
    ``gxp[n, c, oh*sh + kh, ow*sw + kw] += dcols[n, (c*KH + kh)*KW + kw, oh*OW + ow]``.
    Loop nest: n, c, kh, kw, oh, ow. Overlapping windows add into the same pixel one after
    another inside a single thread, so the sum is exact and deterministic.

    Example:
        >>> gxp = np.zeros((1, 1, 3, 3))
        >>> col2im(np.ones((1, 4, 4)), 2, 2, 1, 1, gxp)
        >>> gxp[0, 0].tolist()  # how many 2x2 windows cover each pixel
        [[1.0, 2.0, 1.0], [2.0, 4.0, 2.0], [1.0, 2.0, 1.0]]
    """
    N, C = gxp.shape[0], gxp.shape[1]
    OH = (gxp.shape[2] - KH) // sh + 1
    OW = (gxp.shape[3] - KW) // sw + 1
    for n in range(N):
        for c in range(C):
            for kh in range(KH):
                for kw in range(KW):
                    src = dcols[n, (c * KH + kh) * KW + kw]
                    for oh in range(OH):
                        row = gxp[n, c, oh * sh + kh]
                        base = oh * OW
                        if sw == 1:
                            for ow in range(OW):
                                row[ow + kw] += src[base + ow]
                        else:
                            for ow in range(OW):
                                row[ow * sw + kw] += src[base + ow]
