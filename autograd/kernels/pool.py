"""2-D max and average pooling kernels (padding, dilation, overlapping windows) and their backward.

Each (n, c) image plane is independent. The wrappers split the batch across threads
(`split_batch`, the kernels release the GIL); inside, the kernels compile serially, and their
plane loop is a ``prange`` only to say it could run in parallel (``parallel=False`` runs it as
``range``). A Numba parallel build instead was 1.6x faster alone on 2 idle cores but gained
nothing next to BLAS threads and lost under some threading layers (benchmarks/bench_kernels.py
measures both).

Padding is never materialised: the ``*_padded_*`` kernels clip each window to the input, which
is what padding with -inf (max) or with zeros (average) amounts to. Their per-window bounds and
dilated taps cost 1.3-1.8x on plain windows (measured), so the wrappers run the plain kernels
whenever padding, dilation, ceil_mode and divisor_override are all off.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from autograd.kernels.threads import split_batch


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
    Loop nest: plane (prange), oh, ow, kh, kw in row-major order. The first maximum wins
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
    for p in prange(N * C):
        n, c = p // C, p % C
        plane = x[n, c]
        out = y[n, c]
        where = argmax[n, c]
        # The NaN-aware test defeats branch-free code generation (3.5x slower, measured), so it
        # runs only on planes that hold a NaN; a plane scan costs far less than that.
        nan_free = True
        for v in plane.ravel():
            nan_free &= v == v
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
    with argmax -1. Loop nest: plane (prange), oh, ow, kh, kw in row-major order. The first
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
    for p in prange(N * C):
        n, c = p // C, p % C
        plane = x[n, c]
        out = y[n, c]
        where = argmax[n, c]
        # The NaN-aware test defeats branch-free code generation (3.5x slower, measured), so it
        # runs only on planes that hold a NaN; a plane scan costs far less than that.
        nan_free = True
        for v in plane.ravel():
            nan_free &= v == v
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
    by the caller. Loop nest: plane (prange), oh, ow. A pixel that wins several overlapping
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
    for p in prange(N * C):
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
    Loop nest: plane (prange), oh, ow, kh, kw; sums accumulate in float64. No race:
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
    for p in prange(N * C):
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
    Loop nest: plane (prange), oh, ow, kh, kw; overlapping windows add up. No race:
    iteration p touches only plane p.

    Example:
        >>> gx = np.zeros((1, 1, 2, 3))
        >>> avg_pool2d_scatter(np.array([[[[4.0, 8.0]]]]), 2, 2, 1, 1, gx)
        >>> gx[0, 0].tolist()
        [[1.0, 3.0, 2.0], [1.0, 3.0, 2.0]]
    """
    N, C, OH, OW = grad_out.shape
    scale = 1.0 / (KH * KW)
    for p in prange(N * C):
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
    plane (prange), oh, ow, kh, kw; sums accumulate in float64. No race: iteration p writes
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
    for p in prange(N * C):
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
    count as in `avg_pool2d_padded_kernel`. Loop nest: plane (prange), oh, ow, kh, kw; overlapping
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
    for p in prange(N * C):
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


def _window(kernel: tuple[int, int], stride: tuple[int, int]) -> tuple[int, int, int, int]:
    """KH, KW, sh, sw as plain ints: one compiled signature per dtype."""
    return int(kernel[0]), int(kernel[1]), int(stride[0]), int(stride[1])


def pool_out_size(n: int, k: int, s: int, p: int = 0, d: int = 1, ceil_mode: bool = False) -> int:
    """PyTorch's pooled size: ⌊(n + 2p − d(k − 1) − 1)/s⌋ + 1, rounded up under ``ceil_mode``
    unless the last window would then start in the right padding.

    Example:
        >>> pool_out_size(7, 2, 2), pool_out_size(7, 2, 2, ceil_mode=True)
        (3, 4)
        >>> pool_out_size(7, 3, 2, p=1), pool_out_size(4, 2, 2, p=1, ceil_mode=True)
        (4, 3)
    """
    span = n + 2 * p - d * (k - 1) - 1
    if not ceil_mode:
        return span // s + 1
    out = (span + s - 1) // s + 1
    return out - 1 if (out - 1) * s >= n + p else out


def max_pool2d_forward(
    x: np.ndarray,
    kernel: tuple[int, int],
    stride: tuple[int, int],
    padding: tuple[int, int] = (0, 0),
    dilation: tuple[int, int] = (1, 1),
    ceil_mode: bool = False,
) -> tuple[np.ndarray, np.ndarray]:
    """Max pooling; returns the maxima and where they came from.

    Args:
        x: (N, C, H, W), C-contiguous float32 or float64.
        kernel: (kh, kw) window size.
        stride: (sh, sw) window step; windows overlap when the step is below the size.
        padding: (ph, pw) of -inf on each side.
        dilation: (dh, dw), the step between a window's taps.
        ceil_mode: round the output size up (see `pool_out_size`).

    Returns:
        (y, argmax): y (N, C, OH, OW) of x's dtype with OH = `pool_out_size`, and argmax
        int64 of the same shape, the flat index h*W + w of the winner inside its (n, c) plane
        (the first maximum wins ties, as in PyTorch; -1 for a window of padding only).

    Example:
        >>> x = np.array([[[[1.0, 2.0], [4.0, 3.0]]]])
        >>> y, argmax = max_pool2d_forward(x, (2, 2), (2, 2))
        >>> y.ravel().tolist(), argmax.ravel().tolist()
        ([4.0], [2])
        >>> max_pool2d_forward(x, (2, 2), (2, 2), padding=(1, 1))[0].ravel().tolist()
        [1.0, 2.0, 4.0, 3.0]
    """
    N, C, H, W = x.shape
    KH, KW, sh, sw = _window(kernel, stride)
    if padding == (0, 0) and dilation == (1, 1) and not ceil_mode:  # the common case
        shape = (N, C, pool_out_size(H, KH, sh), pool_out_size(W, KW, sw))
        y = np.empty(shape, dtype=x.dtype)
        argmax = np.empty(shape, dtype=np.int64)

        def work(a: int, b: int) -> None:
            max_pool2d_kernel(x[a:b], KH, KW, sh, sw, y[a:b], argmax[a:b])

        split_batch(N, work, x.dtype)
        return y, argmax
    ph, pw, dh, dw = _window(padding, dilation)
    OH = pool_out_size(H, KH, sh, ph, dh, ceil_mode)
    OW = pool_out_size(W, KW, sw, pw, dw, ceil_mode)
    y = np.empty((N, C, OH, OW), dtype=x.dtype)
    argmax = np.empty((N, C, OH, OW), dtype=np.int64)

    def padded(a: int, b: int) -> None:
        max_pool2d_padded_kernel(x[a:b], KH, KW, sh, sw, ph, pw, dh, dw, y[a:b], argmax[a:b])

    split_batch(N, padded, x.dtype)
    return y, argmax


def max_pool2d_backward(
    grad_out: np.ndarray, argmax: np.ndarray, input_hw: tuple[int, int]
) -> np.ndarray:
    """Gradient of `max_pool2d_forward`: each output gradient goes to its window's winner.

    Args:
        grad_out: (N, C, OH, OW), the upstream gradient.
        argmax: (N, C, OH, OW) int64 from `max_pool2d_forward`.
        input_hw: (H, W) of the forward input.

    Returns:
        grad_x: (N, C, H, W) of grad_out's dtype; winners of several windows get the sum.

    Example:
        >>> g = np.array([[[[5.0]]]])
        >>> max_pool2d_backward(g, np.array([[[[2]]]]), (2, 2))[0, 0].tolist()
        [[0.0, 0.0], [5.0, 0.0]]
    """
    N, C = grad_out.shape[0], grad_out.shape[1]
    grad_x = np.zeros((N, C, input_hw[0], input_hw[1]), dtype=grad_out.dtype)
    split_batch(
        N, lambda a, b: max_pool2d_scatter(grad_out[a:b], argmax[a:b], grad_x[a:b]), grad_out.dtype
    )
    return grad_x


def avg_pool2d_forward(
    x: np.ndarray,
    kernel: tuple[int, int],
    stride: tuple[int, int],
    padding: tuple[int, int] = (0, 0),
    ceil_mode: bool = False,
    count_include_pad: bool = True,
    divisor_override: int | None = None,
) -> np.ndarray:
    """Average pooling.

    Args:
        x: (N, C, H, W), C-contiguous float32 or float64.
        kernel: (kh, kw) window size.
        stride: (sh, sw) window step.
        padding: (ph, pw) of zeros on each side.
        ceil_mode: round the output size up (see `pool_out_size`).
        count_include_pad: divide by the window's size with its padding (True) or by its
            number of input elements (False).
        divisor_override: divide every window's sum by this instead.

    Returns:
        y: (N, C, OH, OW) of x's dtype, OH = `pool_out_size`.

    Example:
        >>> avg_pool2d_forward(np.arange(16.0).reshape(1, 1, 4, 4), (2, 2), (2, 2))[0, 0].tolist()
        [[2.5, 4.5], [10.5, 12.5]]
        >>> x = np.ones((1, 1, 2, 2))
        >>> avg_pool2d_forward(x, (2, 2), (2, 2), (1, 1))[0, 0].tolist()
        [[0.25, 0.25], [0.25, 0.25]]
        >>> avg_pool2d_forward(x, (2, 2), (2, 2), (1, 1), count_include_pad=False)[0, 0].tolist()
        [[1.0, 1.0], [1.0, 1.0]]
    """
    N, C, H, W = x.shape
    KH, KW, sh, sw = _window(kernel, stride)
    if padding == (0, 0) and not ceil_mode and divisor_override is None:  # the common case
        shape = (N, C, pool_out_size(H, KH, sh), pool_out_size(W, KW, sw))
        y = np.empty(shape, dtype=x.dtype)
        split_batch(N, lambda a, b: avg_pool2d_kernel(x[a:b], KH, KW, sh, sw, y[a:b]), x.dtype)
        return y
    ph, pw = int(padding[0]), int(padding[1])
    OH = pool_out_size(H, KH, sh, ph, 1, ceil_mode)
    OW = pool_out_size(W, KW, sw, pw, 1, ceil_mode)
    y = np.empty((N, C, OH, OW), dtype=x.dtype)
    count_pad, divisor = bool(count_include_pad), int(divisor_override or 0)

    def padded(a: int, b: int) -> None:
        avg_pool2d_padded_kernel(x[a:b], KH, KW, sh, sw, ph, pw, count_pad, divisor, y[a:b])

    split_batch(N, padded, x.dtype)
    return y


def avg_pool2d_backward(
    grad_out: np.ndarray,
    input_hw: tuple[int, int],
    kernel: tuple[int, int],
    stride: tuple[int, int],
    padding: tuple[int, int] = (0, 0),
    ceil_mode: bool = False,
    count_include_pad: bool = True,
    divisor_override: int | None = None,
) -> np.ndarray:
    """Gradient of `avg_pool2d_forward`: each window's input elements get g/count each.

    Args:
        grad_out: (N, C, OH, OW), the upstream gradient.
        input_hw: (H, W) of the forward input.
        kernel, stride, padding, ceil_mode, count_include_pad, divisor_override: those of the
            forward call.

    Returns:
        grad_x: (N, C, H, W) of grad_out's dtype.

    Example:
        >>> g = np.full((1, 1, 1, 1), 8.0)
        >>> avg_pool2d_backward(g, (2, 3), (2, 2), (2, 2))[0, 0].tolist()
        [[2.0, 2.0, 0.0], [2.0, 2.0, 0.0]]
    """
    N, C = grad_out.shape[0], grad_out.shape[1]
    grad_x = np.zeros((N, C, input_hw[0], input_hw[1]), dtype=grad_out.dtype)
    KH, KW, sh, sw = _window(kernel, stride)
    if padding == (0, 0) and not ceil_mode and divisor_override is None:  # the common case
        split_batch(
            N,
            lambda a, b: avg_pool2d_scatter(grad_out[a:b], KH, KW, sh, sw, grad_x[a:b]),
            grad_out.dtype,
        )
        return grad_x
    ph, pw = int(padding[0]), int(padding[1])
    count_pad, divisor = bool(count_include_pad), int(divisor_override or 0)

    def padded(a: int, b: int) -> None:
        avg_pool2d_padded_scatter(
            grad_out[a:b], KH, KW, sh, sw, ph, pw, count_pad, divisor, grad_x[a:b]
        )

    split_batch(N, padded, grad_out.dtype)
    return grad_x
