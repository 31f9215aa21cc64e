"""pool.py's kernels in vectorised numpy, for where Numba cannot be imported.

Same arguments, results and tie rules as pool_numba.py's kernels. Each works tap by tap: for
every (kh, kw) of the window, one strided slice of the whole batch holds that tap of every
window, so a KH x KW window costs KH*KW whole-array steps and no Python loop runs over pixels,
channels or images. Sums run in float64 and in the Numba kernels' tap order. Padded inputs are
materialised (a copy); taps that fall in the padding are masked out, not read as values.
"""

from __future__ import annotations

import numpy as np


def _tap_slices(
    kh: int, kw: int, sh: int, sw: int, dh: int, dw: int, OH: int, OW: int
) -> tuple[slice, slice]:
    """The rows and columns of a (padded) input that tap (kh, kw) of every window reads."""
    h0, w0 = kh * dh, kw * dw
    return slice(h0, h0 + (OH - 1) * sh + 1, sh), slice(w0, w0 + (OW - 1) * sw + 1, sw)


def _padded(x: np.ndarray, ph: int, pw: int, Hp: int, Wp: int) -> np.ndarray:
    """x placed at (ph, pw) in a zero (N, C, Hp, Wp) array; x itself when that changes nothing."""
    N, C, H, W = x.shape
    if ph == 0 and pw == 0 and Hp <= H and Wp <= W:
        return x
    xp = np.zeros((N, C, max(Hp, ph + H), max(Wp, pw + W)), dtype=x.dtype)
    xp[:, :, ph : ph + H, pw : pw + W] = x
    return xp


def _max_pool(
    x: np.ndarray,
    KH: int,
    KW: int,
    sh: int,
    sw: int,
    ph: int,
    pw: int,
    dh: int,
    dw: int,
    y: np.ndarray,
    argmax: np.ndarray,
) -> None:
    """Max pooling with padding and dilation, as `max_pool2d_padded_kernel` documents.

    Taps are visited in row-major order. A tap inside the input replaces the best so far when
    it is the window's first such tap, when it is greater, or when it is a NaN and the best is
    not: the first maximum wins ties and the first NaN wins, as in PyTorch.
    """
    N, C, H, W = x.shape
    OH, OW = y.shape[2], y.shape[3]
    xp = _padded(x, ph, pw, (OH - 1) * sh + (KH - 1) * dh + 1, (OW - 1) * sw + (KW - 1) * dw + 1)
    best = np.full((N, C, OH, OW), -np.inf, dtype=x.dtype)
    at = np.full((N, C, OH, OW), -1, dtype=np.int64)
    window_h = np.arange(OH) * sh - ph  # each window's first row and column in x
    window_w = np.arange(OW) * sw - pw
    has_nan = bool(np.isnan(x).any())  # the NaN rule costs three more passes per tap
    for kh in range(KH):
        h = window_h + kh * dh
        h_inside = (h >= 0) & (h < H)
        for kw in range(KW):
            w = window_w + kw * dw
            inside = h_inside[:, None] & ((w >= 0) & (w < W))[None, :]  # (OH, OW)
            rows, cols = _tap_slices(kh, kw, sh, sw, dh, dw, OH, OW)
            v = xp[:, :, rows, cols]
            better = (at < 0) | (v > best)
            if has_nan:
                better |= (v != v) & (best == best)
            better &= inside
            np.copyto(best, v, where=better)
            np.copyto(at, h[:, None] * W + w[None, :], where=better)
    y[...] = best
    argmax[...] = at


def max_pool2d_kernel(
    x: np.ndarray, KH: int, KW: int, sh: int, sw: int, y: np.ndarray, argmax: np.ndarray
) -> None:
    """Fill ``y`` with each window's maximum and ``argmax`` with its flat index h*W + w.

    Shapes: ``x`` (N, C, H, W); ``y`` and ``argmax`` (N, C, OH, OW), OH = (H - KH)//sh + 1.
    The first maximum wins ties, and a NaN counts as the maximum (the first NaN wins).

    Example:
        >>> x = np.array([[[[1.0, 5.0, 2.0], [5.0, 0.0, 7.0]]]])
        >>> y = np.empty((1, 1, 1, 2)); argmax = np.empty((1, 1, 1, 2), dtype=np.int64)
        >>> max_pool2d_kernel(x, 2, 2, 1, 1, y, argmax)
        >>> y[0, 0].tolist(), argmax[0, 0].tolist()  # the tie at 5 goes to index 1, not 3
        ([[5.0, 7.0]], [[1, 5]])
    """
    _max_pool(x, KH, KW, sh, sw, 0, 0, 1, 1, y, argmax)


def max_pool2d_padded_kernel(
    x: np.ndarray,
    KH: int,
    KW: int,
    sh: int,
    sw: int,
    ph: int,
    pw: int,
    dh: int,
    dw: int,
    y: np.ndarray,
    argmax: np.ndarray,
) -> None:
    """`max_pool2d_kernel` with padding, dilation and ceil_mode's clipped last windows.

    Window (oh, ow) reads x[h, w] at h = oh*sh - ph + kh*dh, w = ow*sw - pw + kw*dw; taps
    outside the input are skipped (padding with -inf), and a window of padding only gives -inf
    with argmax -1. ``y`` and ``argmax`` (N, C, OH, OW) are chosen by the caller.

    Example:
        >>> x = np.array([[[[1.0, 5.0, 2.0], [5.0, 0.0, 7.0]]]])
        >>> y = np.empty((1, 1, 1, 2)); argmax = np.empty((1, 1, 1, 2), dtype=np.int64)
        >>> max_pool2d_padded_kernel(x, 2, 2, 1, 1, 1, 0, 1, 1, y, argmax)  # one row of -inf
        >>> y[0, 0].tolist(), argmax[0, 0].tolist()
        ([[5.0, 5.0]], [[1, 1]])
    """
    _max_pool(x, KH, KW, sh, sw, ph, pw, dh, dw, y, argmax)


def max_pool2d_scatter(grad_out: np.ndarray, argmax: np.ndarray, grad_x: np.ndarray) -> None:
    """Add each output gradient onto the input pixel that won its window.

    Shapes: ``grad_out`` and ``argmax`` (N, C, OH, OW); ``grad_x`` (N, C, H, W), zero-filled
    by the caller. A pixel that wins several windows receives the sum of their gradients
    (one ``bincount``, summed in float64); argmax -1 sends its gradient nowhere.

    Example:
        >>> g = np.array([[[[1.0, 10.0]]]])
        >>> gx = np.zeros((1, 1, 2, 3))
        >>> max_pool2d_scatter(g, np.array([[[[1, 1]]]]), gx)
        >>> gx[0, 0].tolist()
        [[0.0, 11.0, 0.0], [0.0, 0.0, 0.0]]
    """
    N, C, H, W = grad_x.shape
    plane_start = (np.arange(N * C, dtype=np.int64) * (H * W)).reshape(N, C, 1, 1)
    won = argmax >= 0
    flat = (plane_start + argmax)[won]
    total = np.bincount(flat, weights=grad_out[won], minlength=N * C * H * W)
    grad_x += total.reshape(N, C, H, W)


def _avg_scales(
    OH: int,
    OW: int,
    KH: int,
    KW: int,
    sh: int,
    sw: int,
    ph: int,
    pw: int,
    H: int,
    W: int,
    count_pad: bool,
    divisor: int,
) -> np.ndarray:
    """(OH, OW) float64: what each window's sum is multiplied by (0 for a window outside the
    input), by the rules of `avg_pool2d_padded_kernel`."""

    def bounds(size: int, K: int, s: int, pad: int, n: int) -> tuple[np.ndarray, ...]:
        start = np.arange(size) * s - pad
        stop = np.minimum(start + K, n + pad)  # clipped as PyTorch counts it under ceil_mode
        return np.maximum(start, 0), np.minimum(stop, n), stop - start

    h_lo, h_hi, h_size = bounds(OH, KH, sh, ph, H)
    w_lo, w_hi, w_size = bounds(OW, KW, sw, pw, W)
    if divisor != 0:
        count = np.full((OH, OW), divisor, dtype=np.int64)
    elif count_pad:
        count = h_size[:, None] * w_size[None, :]
    else:
        count = (h_hi - h_lo)[:, None] * (w_hi - w_lo)[None, :]
    full = KH * KW
    empty = (h_lo >= h_hi)[:, None] | (w_lo >= w_hi)[None, :]
    scale = np.where(count == full, 1.0 / full, 1.0 / np.where(count == 0, 1, count))
    return np.where(empty, 0.0, scale)


def _avg_pool(
    x: np.ndarray,
    KH: int,
    KW: int,
    sh: int,
    sw: int,
    ph: int,
    pw: int,
    scale: float | np.ndarray,
    y: np.ndarray,
) -> None:
    """Each window's sum over the zero-padded input, in float64 and tap order, times ``scale``
    (a number or an (OH, OW) array)."""
    OH, OW = y.shape[2], y.shape[3]
    xp = _padded(x, ph, pw, (OH - 1) * sh + KH, (OW - 1) * sw + KW)
    total = np.zeros(y.shape, dtype=np.float64)
    for kh in range(KH):
        for kw in range(KW):
            total += xp[(slice(None), slice(None), *_tap_slices(kh, kw, sh, sw, 1, 1, OH, OW))]
    np.multiply(total, scale, out=y, casting="same_kind")


def _avg_scatter(
    grad_out: np.ndarray,
    KH: int,
    KW: int,
    sh: int,
    sw: int,
    ph: int,
    pw: int,
    scale: float | np.ndarray,
    grad_x: np.ndarray,
) -> None:
    """Add ``grad_out * scale`` onto every tap of each window; taps in the padding drop out."""
    N, C, OH, OW = grad_out.shape
    H, W = grad_x.shape[2], grad_x.shape[3]
    share = grad_out * np.asarray(scale, dtype=np.float64)
    Hp, Wp = max((OH - 1) * sh + KH, ph + H), max((OW - 1) * sw + KW, pw + W)
    padded = ph or pw or Hp > H or Wp > W
    gxp = np.zeros((N, C, Hp, Wp), dtype=grad_x.dtype) if padded else grad_x
    for kh in range(KH):
        for kw in range(KW):
            gxp[(slice(None), slice(None), *_tap_slices(kh, kw, sh, sw, 1, 1, OH, OW))] += share
    if padded:
        grad_x += gxp[:, :, ph : ph + H, pw : pw + W]


def avg_pool2d_kernel(x: np.ndarray, KH: int, KW: int, sh: int, sw: int, y: np.ndarray) -> None:
    """Fill ``y`` with the mean of each (KH, KW) window of ``x``.

    Shapes: ``x`` (N, C, H, W), ``y`` (N, C, OH, OW), OH = (H - KH)//sh + 1; sums in float64.

    Example:
        >>> y = np.empty((1, 1, 1, 2))
        >>> avg_pool2d_kernel(np.arange(6.0).reshape(1, 1, 2, 3), 2, 2, 1, 1, y)
        >>> y[0, 0].tolist()
        [[2.0, 3.0]]
    """
    _avg_pool(x, KH, KW, sh, sw, 0, 0, 1.0 / (KH * KW), y)


def avg_pool2d_scatter(
    grad_out: np.ndarray, KH: int, KW: int, sh: int, sw: int, grad_x: np.ndarray
) -> None:
    """Spread each output gradient evenly, 1/(KH*KW) each, over its window of ``grad_x``.

    Shapes: ``grad_out`` (N, C, OH, OW), ``grad_x`` (N, C, H, W) zero-filled by the caller;
    overlapping windows add up.

    Example:
        >>> gx = np.zeros((1, 1, 2, 3))
        >>> avg_pool2d_scatter(np.array([[[[4.0, 8.0]]]]), 2, 2, 1, 1, gx)
        >>> gx[0, 0].tolist()
        [[1.0, 3.0, 2.0], [1.0, 3.0, 2.0]]
    """
    _avg_scatter(grad_out, KH, KW, sh, sw, 0, 0, 1.0 / (KH * KW), grad_x)


def avg_pool2d_padded_kernel(
    x: np.ndarray,
    KH: int,
    KW: int,
    sh: int,
    sw: int,
    ph: int,
    pw: int,
    count_pad: bool,
    divisor: int,
    y: np.ndarray,
) -> None:
    """`avg_pool2d_kernel` over ``x`` padded by (ph, pw) zeros, with PyTorch's divisors.

    Each window's sum over its taps inside the input is divided by ``divisor`` if it is
    nonzero, else by the window's size in the padded input (``count_pad``) or its number of
    input taps; a window outside the input gives 0. ``y`` (N, C, OH, OW) is chosen by the caller.

    Example:
        >>> y = np.empty((1, 1, 1, 2))
        >>> x = np.arange(6.0).reshape(1, 1, 2, 3)
        >>> avg_pool2d_padded_kernel(x, 2, 2, 2, 2, 1, 1, False, 0, y)  # corners: 1 element
        >>> y[0, 0].tolist()
        [[0.0, 1.5]]
    """
    H, W = x.shape[2], x.shape[3]
    OH, OW = y.shape[2], y.shape[3]
    scale = _avg_scales(OH, OW, KH, KW, sh, sw, ph, pw, H, W, count_pad, divisor)
    _avg_pool(x, KH, KW, sh, sw, ph, pw, scale, y)


def avg_pool2d_padded_scatter(
    grad_out: np.ndarray,
    KH: int,
    KW: int,
    sh: int,
    sw: int,
    ph: int,
    pw: int,
    count_pad: bool,
    divisor: int,
    grad_x: np.ndarray,
) -> None:
    """Spread each output gradient evenly over its window's input taps, 1/count each.

    Shapes: ``grad_out`` (N, C, OH, OW), ``grad_x`` (N, C, H, W) zero-filled by the caller;
    count as in `avg_pool2d_padded_kernel`; overlapping windows add up.

    Example:
        >>> gx = np.zeros((1, 1, 2, 3))
        >>> avg_pool2d_padded_scatter(np.array([[[[4.0, 8.0]]]]), 2, 2, 1, 1, 0, 1, True, 0, gx)
        >>> gx[0, 0].tolist()  # padding counted: 1/4 of each window's gradient per element
        [[3.0, 2.0, 0.0], [3.0, 2.0, 0.0]]
    """
    OH, OW = grad_out.shape[2], grad_out.shape[3]
    H, W = grad_x.shape[2], grad_x.shape[3]
    scale = _avg_scales(OH, OW, KH, KW, sh, sw, ph, pw, H, W, count_pad, divisor)
    _avg_scatter(grad_out, KH, KW, sh, sw, ph, pw, scale, grad_x)
