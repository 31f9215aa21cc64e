"""The Numba halves of conv.py's im2col + GEMM: copying patches into columns and back.

Compiled serial (the batch is split across threads by conv.py) with ``nogil=True``, so the
slices run at once; cached on disk, each compiles on its first call. Zero padding is applied
one image at a time in a small buffer that stays in cache, inside the same call: a slice
costs one GIL-free call, not a padded copy of the whole slice and then a second call.
"""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True, nogil=True)
def _patches(xp: np.ndarray, m: int, KH: int, KW: int, sh: int, sw: int, out: np.ndarray) -> None:
    """Copy the patches of image ``m`` of the padded ``xp`` into ``out`` (C*KH*KW, OH*OW).

    Loop nest: c, kh, kw, oh, ow; the innermost loop walks one row of ``xp``. Every index
    comes straight from a ``range``, so Numba can drop its negative-index checks and vectorise
    the row copy (signed offset arithmetic made it 3x slower, measured).
    """
    C = xp.shape[1]
    OH = (xp.shape[2] - KH) // sh + 1
    OW = (xp.shape[3] - KW) // sw + 1
    for c in range(C):
        for kh in range(KH):
            for kw in range(KW):
                dst = out[(c * KH + kh) * KW + kw]
                for oh in range(OH):
                    row = xp[m, c, oh * sh + kh]
                    base = oh * OW
                    if sw == 1:
                        for ow in range(OW):
                            dst[base + ow] = row[ow + kw]
                    else:
                        for ow in range(OW):
                            dst[base + ow] = row[ow * sw + kw]


@njit(cache=True, nogil=True)
def _taps_back(dcols: np.ndarray, KH: int, KW: int, sh: int, sw: int, gxp: np.ndarray) -> None:
    """Add one image's columns ``dcols`` (C*KH*KW, OH*OW) onto its padded gradient ``gxp``
    (1, C, Hp, Wp). Loop nest: c, kh, kw, oh, ow, so each pixel gets its taps in row-major
    tap order, one after another in one thread: exact and deterministic."""
    C = gxp.shape[1]
    OH = (gxp.shape[2] - KH) // sh + 1
    OW = (gxp.shape[3] - KW) // sw + 1
    for c in range(C):
        for kh in range(KH):
            for kw in range(KW):
                src = dcols[(c * KH + kh) * KW + kw]
                for oh in range(OH):
                    row = gxp[0, c, oh * sh + kh]
                    base = oh * OW
                    if sw == 1:
                        for ow in range(OW):
                            row[ow + kw] += src[base + ow]
                    else:
                        for ow in range(OW):
                            row[ow * sw + kw] += src[base + ow]


@njit(cache=True, nogil=True)
def im2col(
    x: np.ndarray, KH: int, KW: int, sh: int, sw: int, ph: int, pw: int, cols: np.ndarray
) -> None:
    """Copy every (KH, KW) patch of ``x`` zero-padded by (ph, pw) into a column of ``cols``.

    Shapes: ``x`` (N, C, H, W), ``cols`` (N, C*KH*KW, OH*OW) with OH = (H + 2ph - KH)//sh + 1,
    so that ``cols[n, (c*KH + kh)*KW + kw, oh*OW + ow] = xp[n, c, oh*sh + kh, ow*sw + kw]``
    where ``xp`` is ``x`` with ph zero rows above and below and pw zero columns each side.

    Example:
        >>> x = np.arange(9.0).reshape(1, 1, 3, 3)
        >>> cols = np.empty((1, 4, 4))
        >>> im2col(x, 2, 2, 1, 1, 0, 0, cols)
        >>> cols[0, 0].tolist()  # the top-left tap of each of the four 2x2 windows
        [0.0, 1.0, 3.0, 4.0]
        >>> cols = np.empty((1, 4, 16))
        >>> im2col(x, 2, 2, 1, 1, 1, 1, cols)
        >>> cols[0, 3, :4].tolist()  # the bottom-right tap of the first row of windows
        [0.0, 1.0, 2.0, 0.0]
    """
    N, C, H, W = x.shape
    if ph == 0 and pw == 0:
        for n in range(N):
            _patches(x, n, KH, KW, sh, sw, cols[n])
        return
    xp = np.zeros((1, C, H + 2 * ph, W + 2 * pw), dtype=x.dtype)  # the border stays zero
    for n in range(N):
        for c in range(C):
            for h in range(H):
                src = x[n, c, h]
                dst = xp[0, c, h + ph]
                for w in range(W):
                    dst[w + pw] = src[w]
        _patches(xp, 0, KH, KW, sh, sw, cols[n])


@njit(cache=True, nogil=True)
def col2im(
    dcols: np.ndarray, KH: int, KW: int, sh: int, sw: int, ph: int, pw: int, gx: np.ndarray
) -> None:
    """Scatter-add columns back onto the input gradient: the adjoint of `im2col`.

    Shapes: ``dcols`` (N, C*KH*KW, OH*OW), ``gx`` (N, C, H, W), overwritten: each image's
    taps are added, ``gxp[n, c, oh*sh + kh, ow*sw + kw] += dcols[n, (c*KH + kh)*KW + kw,
    oh*OW + ow]``, onto a zeroed padded buffer ``gxp`` (the taps that fall in the padding are
    dropped with it) whose inside is then copied into ``gx[n]``.

    Example:
        >>> gx = np.empty((1, 1, 3, 3))
        >>> col2im(np.ones((1, 4, 4)), 2, 2, 1, 1, 0, 0, gx)
        >>> gx[0, 0].tolist()  # how many 2x2 windows cover each pixel
        [[1.0, 2.0, 1.0], [2.0, 4.0, 2.0], [1.0, 2.0, 1.0]]
    """
    N, C, H, W = gx.shape
    gxp = np.empty((1, C, H + 2 * ph, W + 2 * pw), dtype=gx.dtype)
    for n in range(N):
        gxp[:] = 0.0
        _taps_back(dcols[n], KH, KW, sh, sw, gxp)
        for c in range(C):
            for h in range(H):
                src = gxp[0, c, h + ph]
                dst = gx[n, c, h]
                for w in range(W):
                    dst[w] = src[w + pw]
