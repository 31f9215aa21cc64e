"""conv.py's kernels in vectorised numpy, for where Numba cannot be imported.

Same arguments and results as conv_numba.py's kernels. `im2col` is one strided copy of a
sliding-window view; `col2im` adds one strided slice of the input gradient per kernel tap
(KH*KW whole-batch additions, in the tap order the Numba kernel adds them in); the stride-1
rows layout (`im2col_rows` and the rest) copies or adds one run per tap. No Python loop runs
over pixels, channels or images.
"""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view


def _out_size(n: int, k: int, s: int) -> int:
    return (n - k) // s + 1


def _padded(x: np.ndarray, ph: int, pw: int) -> np.ndarray:
    """``x`` with ph zero rows above and below and pw zero columns each side (x when none)."""
    if ph == 0 and pw == 0:
        return x
    N, C, H, W = x.shape
    xp = np.zeros((N, C, H + 2 * ph, W + 2 * pw), dtype=x.dtype)
    xp[:, :, ph : ph + H, pw : pw + W] = x
    return xp


def im2col(
    x: np.ndarray, KH: int, KW: int, sh: int, sw: int, ph: int, pw: int, cols: np.ndarray
) -> None:
    """Copy every (KH, KW) patch of ``x`` zero-padded by (ph, pw) into a column of ``cols``.

    Shapes: ``x`` (N, C, H, W), ``cols`` (N, C*KH*KW, OH*OW), C-contiguous, with
    OH = (H + 2ph - KH)//sh + 1, so that
    ``cols[n, (c*KH + kh)*KW + kw, oh*OW + ow] = xp[n, c, oh*sh + kh, ow*sw + kw]``, ``xp``
    being the padded ``x``.

    Example:
        >>> x = np.arange(9.0).reshape(1, 1, 3, 3)
        >>> cols = np.empty((1, 4, 4))
        >>> im2col(x, 2, 2, 1, 1, 0, 0, cols)
        >>> cols[0, 0].tolist()  # the top-left tap of each of the four 2x2 windows
        [0.0, 1.0, 3.0, 4.0]
    """
    if not cols.flags.c_contiguous:
        raise ValueError(f"im2col: cols must be C-contiguous; got strides {cols.strides}")
    xp = _padded(x, ph, pw)
    N, C = xp.shape[0], xp.shape[1]
    OH, OW = _out_size(xp.shape[2], KH, sh), _out_size(xp.shape[3], KW, sw)
    windows = sliding_window_view(xp, (KH, KW), axis=(2, 3))[:, :, ::sh, ::sw]
    # (N, C, OH, OW, KH, KW) read as (N, C, KH, KW, OH, OW): the rows of cols, in one copy.
    np.copyto(cols.reshape(N, C, KH, KW, OH, OW), windows.transpose(0, 1, 4, 5, 2, 3))


def col2im(
    dcols: np.ndarray, KH: int, KW: int, sh: int, sw: int, ph: int, pw: int, gx: np.ndarray
) -> None:
    """Scatter-add columns back onto the input gradient: the adjoint of `im2col`.

    Shapes: ``dcols`` (N, C*KH*KW, OH*OW), ``gx`` (N, C, H, W), overwritten. The taps are
    added onto a zeroed padded gradient, ``gxp[:, :, oh*sh + kh, ow*sw + kw] += dcols[:,
    (c*KH + kh)*KW + kw, oh*OW + ow]``, one strided slice per tap (kh, kw) in row-major tap
    order (the Numba kernel's order for every pixel); its inside is then copied into ``gx``.

    Example:
        >>> gx = np.empty((1, 1, 3, 3))
        >>> col2im(np.ones((1, 4, 4)), 2, 2, 1, 1, 0, 0, gx)
        >>> gx[0, 0].tolist()  # how many 2x2 windows cover each pixel
        [[1.0, 2.0, 1.0], [2.0, 4.0, 2.0], [1.0, 2.0, 1.0]]
    """
    N, C, H, W = gx.shape
    gxp = np.zeros((N, C, H + 2 * ph, W + 2 * pw), dtype=gx.dtype)
    OH, OW = _out_size(gxp.shape[2], KH, sh), _out_size(gxp.shape[3], KW, sw)
    taps = dcols.reshape(N, C, KH, KW, OH, OW)
    for kh in range(KH):
        rows = slice(kh, kh + (OH - 1) * sh + 1, sh)
        for kw in range(KW):
            gxp[:, :, rows, kw : kw + (OW - 1) * sw + 1 : sw] += taps[:, :, kh, kw]
    gx[...] = gxp[:, :, ph : ph + H, pw : pw + W]


# ---- stride 1: the rows layout (see conv_numba.py for the layout) ------------------------------


def _flat_padded(x: np.ndarray, KW: int, ph: int, pw: int) -> np.ndarray:
    """(N, C, Hp*Wp + KW - 1): each padded image flattened, then KW - 1 zeros."""
    N, C, H, W = x.shape
    Hp, Wp = H + 2 * ph, W + 2 * pw
    flat = np.zeros((N, C, Hp * Wp + KW - 1), dtype=x.dtype)
    flat[:, :, : Hp * Wp].reshape(N, C, Hp, Wp)[:, :, ph : ph + H, pw : pw + W] = x
    return flat


def im2col_rows(x: np.ndarray, KH: int, KW: int, ph: int, pw: int, cols: np.ndarray) -> None:
    """Stride-1 patches over the padded width, (C*KH*KW, N, OH*Wp), as conv_numba.py's
    `im2col_rows`.

    Example:
        >>> cols = np.empty((1, 1, 8))
        >>> im2col_rows(np.arange(4.0).reshape(1, 1, 2, 2), 1, 1, 0, 1, cols)
        >>> cols[0, 0].tolist()
        [0.0, 0.0, 1.0, 0.0, 0.0, 2.0, 3.0, 0.0]
    """
    N, C, H, W = x.shape
    Wp = W + 2 * pw
    L = (H + 2 * ph - KH + 1) * Wp
    flat = _flat_padded(x, KW, ph, pw).transpose(1, 0, 2)  # (C, N, ...)
    taps = cols.reshape(C, KH, KW, N, L)
    for kh in range(KH):
        for kw in range(KW):
            start = kh * Wp + kw
            taps[:, kh, kw] = flat[:, :, start : start + L]


def col2im_rows(dcols: np.ndarray, KH: int, KW: int, ph: int, pw: int, gx: np.ndarray) -> None:
    """The adjoint of `im2col_rows`, as conv_numba.py's `col2im_rows` (taps added in the same
    order).

    Example:
        >>> dcols = np.zeros((4, 1, 2)); dcols[:, 0, 0] = 1.0
        >>> gx = np.empty((1, 1, 2, 2))
        >>> col2im_rows(dcols, 2, 2, 0, 0, gx)
        >>> gx[0, 0].tolist()
        [[1.0, 1.0], [1.0, 1.0]]
    """
    N, C, H, W = gx.shape
    Hp, Wp = H + 2 * ph, W + 2 * pw
    L = (Hp - KH + 1) * Wp
    flat = np.zeros((C, N, Hp * Wp + KW - 1), dtype=gx.dtype)
    taps = dcols.reshape(C, KH, KW, N, L)
    for kh in range(KH):
        for kw in range(KW):
            start = kh * Wp + kw
            flat[:, :, start : start + L] += taps[:, kh, kw]
    inside = flat[:, :, : Hp * Wp].reshape(C, N, Hp, Wp)[:, :, ph : ph + H, pw : pw + W]
    gx[...] = inside.transpose(1, 0, 2, 3)


def crop_rows(wide: np.ndarray, Wp: int, bias: np.ndarray, y: np.ndarray) -> None:
    """The first OW columns of each Wp-wide row of ``wide`` (F, N, OH*Wp), plus ``bias`` (if
    not empty), into ``y`` (N, F, OH, OW).

    Example:
        >>> y = np.empty((1, 1, 2, 1))
        >>> crop_rows(np.arange(4.0).reshape(1, 1, 4), 2, np.array([10.0]), y)
        >>> y[0, 0].tolist()
        [[10.0], [12.0]]
    """
    N, F, OH, OW = y.shape
    rows = wide.reshape(F, N, OH, Wp)[:, :, :, :OW].transpose(1, 0, 2, 3)
    if bias.shape[0] > 0:
        np.add(rows, bias.reshape(F, 1, 1), out=y)
    else:
        y[...] = rows


def widen_rows(g: np.ndarray, Wp: int, wide: np.ndarray) -> None:
    """``g`` (N, F, OH, OW) in the rows layout (F, N, OH*Wp), zero past each row's OW
    columns.

    Example:
        >>> wide = np.empty((1, 1, 4))
        >>> widen_rows(np.array([[[[1.0], [2.0]]]]), 2, wide)
        >>> wide[0, 0].tolist()
        [1.0, 0.0, 2.0, 0.0]
    """
    N, F, OH, OW = g.shape
    rows = wide.reshape(F, N, OH, Wp)
    rows[:, :, :, :OW] = g.transpose(1, 0, 2, 3)
    rows[:, :, :, OW:] = 0.0
