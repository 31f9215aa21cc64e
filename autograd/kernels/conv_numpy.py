"""conv.py's `im2col` and `col2im` in vectorised numpy, for where Numba cannot be imported.

Same arguments and results as conv_numba.py's kernels. `im2col` is one strided copy of a
sliding-window view; `col2im` adds one strided slice of the input gradient per kernel tap
(KH*KW whole-batch additions, in the tap order the Numba kernel adds them in), so no Python loop
runs over pixels, channels or images.
"""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view


def _out_size(n: int, k: int, s: int) -> int:
    return (n - k) // s + 1


def im2col(xp: np.ndarray, KH: int, KW: int, sh: int, sw: int, cols: np.ndarray) -> None:
    """Copy every (KH, KW) patch of the padded input ``xp`` into a column of ``cols``.

    Shapes: ``xp`` (N, C, Hp, Wp), ``cols`` (N, C*KH*KW, OH*OW), C-contiguous, with
    OH = (Hp - KH)//sh + 1, so that
    ``cols[n, (c*KH + kh)*KW + kw, oh*OW + ow] = xp[n, c, oh*sh + kh, ow*sw + kw]``.

    Example:
        >>> xp = np.arange(9.0).reshape(1, 1, 3, 3)
        >>> cols = np.empty((1, 4, 4))
        >>> im2col(xp, 2, 2, 1, 1, cols)
        >>> cols[0, 0].tolist()  # the top-left tap of each of the four 2x2 windows
        [0.0, 1.0, 3.0, 4.0]
    """
    if not cols.flags.c_contiguous:
        raise ValueError(f"im2col: cols must be C-contiguous; got strides {cols.strides}")
    N, C = xp.shape[0], xp.shape[1]
    OH, OW = _out_size(xp.shape[2], KH, sh), _out_size(xp.shape[3], KW, sw)
    windows = sliding_window_view(xp, (KH, KW), axis=(2, 3))[:, :, ::sh, ::sw]
    # (N, C, OH, OW, KH, KW) read as (N, C, KH, KW, OH, OW): the rows of cols, in one copy.
    np.copyto(cols.reshape(N, C, KH, KW, OH, OW), windows.transpose(0, 1, 4, 5, 2, 3))


def col2im(dcols: np.ndarray, KH: int, KW: int, sh: int, sw: int, gxp: np.ndarray) -> None:
    """Scatter-add columns back onto the padded input gradient: the adjoint of `im2col`.

    Shapes: ``dcols`` (N, C*KH*KW, OH*OW), ``gxp`` (N, C, Hp, Wp), zero-filled by the caller;
    ``gxp[n, c, oh*sh + kh, ow*sw + kw] += dcols[n, (c*KH + kh)*KW + kw, oh*OW + ow]``, one
    strided slice of ``gxp`` per tap (kh, kw), in row-major tap order.

    Example:
        >>> gxp = np.zeros((1, 1, 3, 3))
        >>> col2im(np.ones((1, 4, 4)), 2, 2, 1, 1, gxp)
        >>> gxp[0, 0].tolist()  # how many 2x2 windows cover each pixel
        [[1.0, 2.0, 1.0], [2.0, 4.0, 2.0], [1.0, 2.0, 1.0]]
    """
    N, C = gxp.shape[0], gxp.shape[1]
    OH, OW = _out_size(gxp.shape[2], KH, sh), _out_size(gxp.shape[3], KW, sw)
    taps = dcols.reshape(N, C, KH, KW, OH, OW)
    for kh in range(KH):
        rows = slice(kh, kh + (OH - 1) * sh + 1, sh)
        for kw in range(KW):
            gxp[:, :, rows, kw : kw + (OW - 1) * sw + 1 : sw] += taps[:, :, kh, kw]
