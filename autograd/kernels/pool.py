"""2-D max and average pooling kernels (no padding, windows may overlap) and their backward.

Each (n, c) image plane is independent. The wrappers split the batch across threads
(`split_batch`, the kernels release the GIL); inside, the kernels compile serially, and their
plane loop is a ``prange`` only to say it could run in parallel (``parallel=False`` runs it as
``range``). A Numba parallel build instead was 1.6x faster alone on 2 idle cores but gained
nothing next to BLAS threads and lost under some threading layers (benchmarks/bench_kernels.py
measures both).
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from autograd.kernels.threads import split_batch


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
def max_pool2d_scatter(grad_out: np.ndarray, argmax: np.ndarray, grad_x: np.ndarray) -> None:
    """Add each output gradient onto the input pixel that won its window.

    Shapes: ``grad_out`` and ``argmax`` (N, C, OH, OW); ``grad_x`` (N, C, H, W), zero-filled
    by the caller. Loop nest: plane (prange), oh, ow. A pixel that wins several overlapping
    windows receives the sum of their gradients. No race: iteration p touches only plane p.

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
                gx[where[oh, ow]] += g[oh, ow]


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


def _window(kernel: tuple[int, int], stride: tuple[int, int]) -> tuple[int, int, int, int]:
    """KH, KW, sh, sw as plain ints: one compiled signature per dtype."""
    return int(kernel[0]), int(kernel[1]), int(stride[0]), int(stride[1])


def _out_size(n: int, k: int, s: int) -> int:
    return (n - k) // s + 1


def max_pool2d_forward(
    x: np.ndarray, kernel: tuple[int, int], stride: tuple[int, int]
) -> tuple[np.ndarray, np.ndarray]:
    """Max pooling without padding; returns the maxima and where they came from.

    Args:
        x: (N, C, H, W), C-contiguous float32 or float64.
        kernel: (kh, kw) window size.
        stride: (sh, sw) window step; windows overlap when the step is below the size.

    Returns:
        (y, argmax): y (N, C, OH, OW) of x's dtype with OH = (H - kh)//sh + 1, and argmax
        int64 of the same shape, the flat index h*W + w of the winner inside its (n, c) plane
        (the first maximum wins ties, as in PyTorch).

    Example:
        >>> x = np.array([[[[1.0, 2.0], [4.0, 3.0]]]])
        >>> y, argmax = max_pool2d_forward(x, (2, 2), (2, 2))
        >>> y.ravel().tolist(), argmax.ravel().tolist()
        ([4.0], [2])
    """
    N, C, H, W = x.shape
    KH, KW, sh, sw = _window(kernel, stride)
    shape = (N, C, _out_size(H, KH, sh), _out_size(W, KW, sw))
    y = np.empty(shape, dtype=x.dtype)
    argmax = np.empty(shape, dtype=np.int64)

    def work(start: int, stop: int) -> None:
        max_pool2d_kernel(x[start:stop], KH, KW, sh, sw, y[start:stop], argmax[start:stop])

    split_batch(N, work, x.dtype)
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
    x: np.ndarray, kernel: tuple[int, int], stride: tuple[int, int]
) -> np.ndarray:
    """Average pooling without padding.

    Args:
        x: (N, C, H, W), C-contiguous float32 or float64.
        kernel: (kh, kw) window size.
        stride: (sh, sw) window step.

    Returns:
        y: (N, C, OH, OW) of x's dtype, OH = (H - kh)//sh + 1.

    Example:
        >>> avg_pool2d_forward(np.arange(16.0).reshape(1, 1, 4, 4), (2, 2), (2, 2))[0, 0].tolist()
        [[2.5, 4.5], [10.5, 12.5]]
    """
    N, C, H, W = x.shape
    KH, KW, sh, sw = _window(kernel, stride)
    y = np.empty((N, C, _out_size(H, KH, sh), _out_size(W, KW, sw)), dtype=x.dtype)
    split_batch(N, lambda a, b: avg_pool2d_kernel(x[a:b], KH, KW, sh, sw, y[a:b]), x.dtype)
    return y


def avg_pool2d_backward(
    grad_out: np.ndarray,
    input_hw: tuple[int, int],
    kernel: tuple[int, int],
    stride: tuple[int, int],
) -> np.ndarray:
    """Gradient of `avg_pool2d_forward`: each window gets 1/(kh*kw) of its output gradient.

    Args:
        grad_out: (N, C, OH, OW), the upstream gradient.
        input_hw: (H, W) of the forward input.
        kernel: (kh, kw) of the forward call.
        stride: (sh, sw) of the forward call.

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
    split_batch(
        N,
        lambda a, b: avg_pool2d_scatter(grad_out[a:b], KH, KW, sh, sw, grad_x[a:b]),
        grad_out.dtype,
    )
    return grad_x
