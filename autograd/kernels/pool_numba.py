"""The Numba kernels behind pool.py: max and average pooling and their backward.

Each (n, c) image plane is independent; every kernel loops over planes, then windows, then
taps. They compile serial (pool.py splits the batch across threads) with ``nogil=True``, and are
cached on disk. A parallel build, the plane loop a ``prange`` on Numba's thread pool, was 1.6x
faster alone on 2 idle cores but gained nothing next to BLAS threads and lost under some
threading layers (benchmarks/bench_kernels.py builds and measures one).

Padding is never materialised: the ``*_padded_*`` kernels clip each window to the input, which
is what padding with -inf (max) or with zeros (average) amounts to. Their per-window bounds and
dilated taps cost 1.3-1.8x on plain windows (measured), so pool.py runs the plain kernels
whenever padding, dilation, ceil_mode and divisor_override are all off.
"""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True, nogil=True)
def _taps(start: int, K: int, d: int, n: int) -> tuple[int, int]:
    """The taps k0 <= k < k1 of a window (start + k*d, k < K) that fall inside 0..n-1."""
    k0 = 0 if start >= 0 else (d - 1 - start) // d
    k1 = min(K, (n - start + d - 1) // d) if n > start else 0
    return k0, k1


@njit(cache=True, nogil=True)
def max_pool2d_kernel(
    x: np.ndarray, KH: int, KW: int, sh: int, sw: int, y: np.ndarray, argmax: np.ndarray
) -> None:
    """Fill ``y`` with each window's maximum and ``argmax`` with its flat index h*W + w.

    Shapes: ``x`` (N, C, H, W); ``y`` and ``argmax`` (N, C, OH, OW), OH = (H - KH)//sh + 1.
    Loop nest: plane, oh, ow, kh, kw in row-major order. The first maximum wins
    ties, and a NaN counts as the maximum (the first NaN wins), so NaN propagates as in
    PyTorch. No race: iteration p writes only plane p of ``y`` and ``argmax``.

    Example:
        >>> x = np.array([[[[1.0, 5.0, 2.0], [5.0, 0.0, 7.0]]]])
        >>> y = np.empty((1, 1, 1, 2)); argmax = np.empty((1, 1, 1, 2), dtype=np.int64)
        >>> max_pool2d_kernel(x, 2, 2, 1, 1, y, argmax)
        >>> y[0, 0].tolist(), argmax[0, 0].tolist()  # the tie at 5 goes to index 1, not 3
        ([[5.0, 7.0]], [[1, 5]])
    """
    N, C, H, W = x.shape
    OH, OW = y.shape[2], y.shape[3]
    halves = KH == 2 and KW == 2 and sh == 2 and sw == 2
    for p in range(N * C):
        n, c = p // C, p % C
        if halves and _max_plane_2x2(x, n, c, y, argmax):
            continue  # done; a plane with a NaN in a window is redone below
        plane = x[n, c]
        out = y[n, c]
        where = argmax[n, c]
        # The NaN-aware test defeats branch-free code generation (3.5x slower, measured), so it
        # runs only on planes that hold a NaN; a plane scan costs far less than that.
        nan_free = _nan_free(plane)
        for oh in range(OH):
            h0 = oh * sh
            for ow in range(OW):
                w0 = ow * sw
                best = plane[h0, w0]
                best_at = h0 * W + w0
                for kh in range(KH):
                    row = plane[h0 + kh]
                    for kw in range(KW):
                        v = row[w0 + kw]
                        if nan_free:
                            if v > best:
                                best = v
                                best_at = (h0 + kh) * W + w0 + kw
                        elif v > best or (v != v and best == best):
                            best = v
                            best_at = (h0 + kh) * W + w0 + kw
                out[oh, ow] = best
                where[oh, ow] = best_at


@njit(cache=True, nogil=True)
def _nan_free(plane: np.ndarray) -> bool:
    """True when ``plane`` holds no NaN (one branch-free pass)."""
    free = True
    for v in plane.ravel():
        free &= v == v
    return free


@njit(cache=True, nogil=True)
def _max_plane_2x2(x: np.ndarray, n: int, c: int, y: np.ndarray, argmax: np.ndarray) -> bool:
    """`max_pool2d_kernel` on plane (n, c) for 2x2 windows at stride 2, NaN-free planes only.

    The four taps are spelled out: with the window's size known when compiled, the loop nest
    over taps and its NaN scan go, and LeNet's pools ran 2-4x faster (measured, 2x2 windows
    of (64, 8, 28, 28) and (64, 16, 14, 14)). Same tap order and tie rule (the first maximum
    wins). Returns False, the plane half-written, when any tap is a NaN: the caller then
    redoes it under the NaN rule. A NaN outside every window (an odd last row) is never read.
    """
    W = x.shape[3]
    OH, OW = y.shape[2], y.shape[3]
    nan_free = True
    for oh in range(OH):
        h = 2 * oh
        for ow in range(OW):
            w = 2 * ow
            a, b = x[n, c, h, w], x[n, c, h, w + 1]
            d, e = x[n, c, h + 1, w], x[n, c, h + 1, w + 1]
            nan_free &= (a == a) & (b == b) & (d == d) & (e == e)
            best, at = a, 0
            if b > best:
                best, at = b, 1
            if d > best:
                best, at = d, W
            if e > best:
                best, at = e, W + 1
            y[n, c, oh, ow] = best
            argmax[n, c, oh, ow] = h * W + w + at
    return nan_free


@njit(cache=True, nogil=True)
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

    Shapes: ``x`` (N, C, H, W); ``y`` and ``argmax`` (N, C, OH, OW), chosen by the caller.
    Window (oh, ow) reads x[h, w] at h = oh*sh - ph + kh*dh, w = ow*sw - pw + kw*dw; taps
    outside the input are skipped (padding with -inf), and a window of padding only gives -inf
    with argmax -1. Loop nest: plane, oh, ow, kh, kw in row-major order. The first
    maximum wins ties, and a NaN counts as the maximum (the first NaN wins), so NaN propagates
    as in PyTorch. No race: iteration p writes only plane p of ``y`` and ``argmax``.

    Example:
        >>> x = np.array([[[[1.0, 5.0, 2.0], [5.0, 0.0, 7.0]]]])
        >>> y = np.empty((1, 1, 1, 2)); argmax = np.empty((1, 1, 1, 2), dtype=np.int64)
        >>> max_pool2d_padded_kernel(x, 2, 2, 1, 1, 1, 0, 1, 1, y, argmax)  # one row of -inf
        >>> y[0, 0].tolist(), argmax[0, 0].tolist()
        ([[5.0, 5.0]], [[1, 1]])
    """
    N, C, H, W = x.shape
    OH, OW = y.shape[2], y.shape[3]
    for p in range(N * C):
        n, c = p // C, p % C
        plane = x[n, c]
        out = y[n, c]
        where = argmax[n, c]
        # The NaN-aware test defeats branch-free code generation (3.5x slower, measured), so it
        # runs only on planes that hold a NaN; a plane scan costs far less than that.
        nan_free = _nan_free(plane)
        for oh in range(OH):
            h0 = oh * sh - ph
            kh0, kh1 = _taps(h0, KH, dh, H)
            for ow in range(OW):
                w0 = ow * sw - pw
                kw0, kw1 = _taps(w0, KW, dw, W)
                if kh0 >= kh1 or kw0 >= kw1:  # only dilation can leave a window all padding
                    out[oh, ow] = -np.inf
                    where[oh, ow] = -1
                    continue
                best = plane[h0 + kh0 * dh, w0 + kw0 * dw]
                best_at = (h0 + kh0 * dh) * W + w0 + kw0 * dw
                for kh in range(kh0, kh1):
                    h = h0 + kh * dh
                    row = plane[h]
                    for kw in range(kw0, kw1):
                        w = w0 + kw * dw
                        v = row[w]
                        if nan_free:
                            if v > best:
                                best = v
                                best_at = h * W + w
                        elif v > best or (v != v and best == best):
                            best = v
                            best_at = h * W + w
                out[oh, ow] = best
                where[oh, ow] = best_at


@njit(cache=True, nogil=True)
def max_pool2d_scatter(grad_out: np.ndarray, argmax: np.ndarray, grad_x: np.ndarray) -> None:
    """Add each output gradient onto the input pixel that won its window.

    Shapes: ``grad_out`` and ``argmax`` (N, C, OH, OW); ``grad_x`` (N, C, H, W), zero-filled
    by the caller. Loop nest: plane, oh, ow. A pixel that wins several overlapping
    windows receives the sum of their gradients; argmax -1 (a window of padding only) sends
    its gradient nowhere. No race: iteration p touches only plane p.

    Example:
        >>> g = np.array([[[[1.0, 10.0]]]])
        >>> gx = np.zeros((1, 1, 2, 3))
        >>> max_pool2d_scatter(g, np.array([[[[1, 1]]]]), gx)
        >>> gx[0, 0].tolist()
        [[0.0, 11.0, 0.0], [0.0, 0.0, 0.0]]
    """
    N, C, OH, OW = grad_out.shape
    for p in range(N * C):
        n, c = p // C, p % C
        g = grad_out[n, c]
        where = argmax[n, c]
        gx = grad_x[n, c].ravel()  # a view: the plane is C-contiguous
        for oh in range(OH):
            for ow in range(OW):
                at = where[oh, ow]
                if at >= 0:
                    gx[at] += g[oh, ow]


@njit(cache=True, nogil=True)
def _avg_bounds(start: int, K: int, pad: int, n: int) -> tuple[int, int, int]:
    """A window's first and one-past-last input index, clipped to 0..n, and its size in the
    padded input (clipped to n + pad, as PyTorch counts it under ceil_mode)."""
    stop = min(start + K, n + pad)
    return max(start, 0), min(stop, n), stop - start


@njit(cache=True, nogil=True)
def avg_pool2d_kernel(x: np.ndarray, KH: int, KW: int, sh: int, sw: int, y: np.ndarray) -> None:
    """Fill ``y`` with the mean of each (KH, KW) window of ``x``.

    Shapes: ``x`` (N, C, H, W), ``y`` (N, C, OH, OW), OH = (H - KH)//sh + 1.
    Loop nest: plane, oh, ow, kh, kw; sums accumulate in float64. No race:
    iteration p writes only plane p.

    Example:
        >>> y = np.empty((1, 1, 1, 2))
        >>> avg_pool2d_kernel(np.arange(6.0).reshape(1, 1, 2, 3), 2, 2, 1, 1, y)
        >>> y[0, 0].tolist()
        [[2.0, 3.0]]
    """
    N, C = x.shape[0], x.shape[1]
    OH, OW = y.shape[2], y.shape[3]
    scale = 1.0 / (KH * KW)
    for p in range(N * C):
        n, c = p // C, p % C
        plane = x[n, c]
        out = y[n, c]
        for oh in range(OH):
            h0 = oh * sh
            for ow in range(OW):
                w0 = ow * sw
                total = 0.0
                for kh in range(KH):
                    row = plane[h0 + kh]
                    for kw in range(KW):
                        total += row[w0 + kw]
                out[oh, ow] = total * scale


@njit(cache=True, nogil=True)
def avg_pool2d_scatter(
    grad_out: np.ndarray, KH: int, KW: int, sh: int, sw: int, grad_x: np.ndarray
) -> None:
    """Spread each output gradient evenly, 1/(KH*KW) each, over its window of ``grad_x``.

    Shapes: ``grad_out`` (N, C, OH, OW), ``grad_x`` (N, C, H, W) zero-filled by the caller.
    Loop nest: plane, oh, ow, kh, kw; overlapping windows add up. No race:
    iteration p touches only plane p.

    Example:
        >>> gx = np.zeros((1, 1, 2, 3))
        >>> avg_pool2d_scatter(np.array([[[[4.0, 8.0]]]]), 2, 2, 1, 1, gx)
        >>> gx[0, 0].tolist()
        [[1.0, 3.0, 2.0], [1.0, 3.0, 2.0]]
    """
    N, C, OH, OW = grad_out.shape
    scale = 1.0 / (KH * KW)
    for p in range(N * C):
        n, c = p // C, p % C
        g = grad_out[n, c]
        gx = grad_x[n, c]
        for oh in range(OH):
            h0 = oh * sh
            for ow in range(OW):
                w0 = ow * sw
                share = g[oh, ow] * scale
                for kh in range(KH):
                    row = gx[h0 + kh]
                    for kw in range(KW):
                        row[w0 + kw] += share


@njit(cache=True, nogil=True)
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

    Shapes: ``x`` (N, C, H, W), ``y`` (N, C, OH, OW) chosen by the caller. Each window's sum
    over its taps inside the input is divided by ``divisor`` if it is nonzero, else by the
    window's size in the padded input (``count_pad``) or its number of input taps. Loop nest:
    plane, oh, ow, kh, kw; sums accumulate in float64. No race: iteration p writes
    only plane p.

    Example:
        >>> y = np.empty((1, 1, 1, 2))
        >>> x = np.arange(6.0).reshape(1, 1, 2, 3)
        >>> avg_pool2d_padded_kernel(x, 2, 2, 2, 2, 1, 1, False, 0, y)  # corners: 1 element
        >>> y[0, 0].tolist()
        [[0.0, 1.5]]
    """
    N, C, H, W = x.shape
    OH, OW = y.shape[2], y.shape[3]
    full = KH * KW
    full_scale = 1.0 / full  # the common case, without a division per window
    for p in range(N * C):
        n, c = p // C, p % C
        plane = x[n, c]
        out = y[n, c]
        for oh in range(OH):
            h_lo, h_hi, h_size = _avg_bounds(oh * sh - ph, KH, ph, H)
            for ow in range(OW):
                w_lo, w_hi, w_size = _avg_bounds(ow * sw - pw, KW, pw, W)
                if h_lo >= h_hi or w_lo >= w_hi:
                    out[oh, ow] = 0.0
                    continue
                if divisor != 0:
                    count = divisor
                elif count_pad:
                    count = h_size * w_size
                else:
                    count = (h_hi - h_lo) * (w_hi - w_lo)
                total = 0.0
                for h in range(h_lo, h_hi):
                    row = plane[h]
                    for w in range(w_lo, w_hi):
                        total += row[w]
                out[oh, ow] = total * (full_scale if count == full else 1.0 / count)


@njit(cache=True, nogil=True)
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
    count as in `avg_pool2d_padded_kernel`. Loop nest: plane, oh, ow, kh, kw; overlapping
    windows add up. No race: iteration p touches only plane p.

    Example:
        >>> gx = np.zeros((1, 1, 2, 3))
        >>> avg_pool2d_padded_scatter(np.array([[[[4.0, 8.0]]]]), 2, 2, 1, 1, 0, 1, True, 0, gx)
        >>> gx[0, 0].tolist()  # padding counted: 1/4 of each window's gradient per element
        [[3.0, 2.0, 0.0], [3.0, 2.0, 0.0]]
    """
    N, C, OH, OW = grad_out.shape
    H, W = grad_x.shape[2], grad_x.shape[3]
    full = KH * KW
    full_scale = 1.0 / full
    for p in range(N * C):
        n, c = p // C, p % C
        g = grad_out[n, c]
        gx = grad_x[n, c]
        for oh in range(OH):
            h_lo, h_hi, h_size = _avg_bounds(oh * sh - ph, KH, ph, H)
            for ow in range(OW):
                w_lo, w_hi, w_size = _avg_bounds(ow * sw - pw, KW, pw, W)
                if h_lo >= h_hi or w_lo >= w_hi:
                    continue
                if divisor != 0:
                    count = divisor
                elif count_pad:
                    count = h_size * w_size
                else:
                    count = (h_hi - h_lo) * (w_hi - w_lo)
                share = g[oh, ow] * (full_scale if count == full else 1.0 / count)
                for h in range(h_lo, h_hi):
                    row = gx[h]
                    for w in range(w_lo, w_hi):
                        row[w] += share
