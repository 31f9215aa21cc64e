"""2-D max and average pooling (padding, dilation, overlapping windows) and their backward.

The wrappers here size the output, split the batch across threads (`split_batch`) and run a
kernel per slice: a Numba kernel (pool_numba.py), or a vectorised numpy one with the same
arguments and results where Numba cannot be imported (pool_numpy.py, see backend.py). The
padded kernels cost more on plain windows, so the plain ones run whenever padding, dilation,
ceil_mode and divisor_override are all off.
"""

from __future__ import annotations

import numpy as np

from autograd.kernels.backend import has_numba
from autograd.kernels.threads import split_batch

if has_numba():
    from autograd.kernels.pool_numba import (
        avg_pool2d_kernel,
        avg_pool2d_padded_kernel,
        avg_pool2d_padded_scatter,
        avg_pool2d_scatter,
        max_pool2d_kernel,
        max_pool2d_padded_kernel,
        max_pool2d_scatter,
    )
else:  # plain functions where mypy sees Numba dispatchers: the same signatures, called alike
    from autograd.kernels.pool_numpy import (  # type: ignore[assignment]
        avg_pool2d_kernel,
        avg_pool2d_padded_kernel,
        avg_pool2d_padded_scatter,
        avg_pool2d_scatter,
        max_pool2d_kernel,
        max_pool2d_padded_kernel,
        max_pool2d_scatter,
    )


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

        split_batch(N, work, x.dtype, cost=y.size * KH * KW)
        return y, argmax
    ph, pw, dh, dw = _window(padding, dilation)
    OH = pool_out_size(H, KH, sh, ph, dh, ceil_mode)
    OW = pool_out_size(W, KW, sw, pw, dw, ceil_mode)
    y = np.empty((N, C, OH, OW), dtype=x.dtype)
    argmax = np.empty((N, C, OH, OW), dtype=np.int64)

    def padded(a: int, b: int) -> None:
        max_pool2d_padded_kernel(x[a:b], KH, KW, sh, sw, ph, pw, dh, dw, y[a:b], argmax[a:b])

    split_batch(N, padded, x.dtype, cost=y.size * KH * KW)
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
        N,
        lambda a, b: max_pool2d_scatter(grad_out[a:b], argmax[a:b], grad_x[a:b]),
        grad_out.dtype,
        cost=grad_x.size,  # zero-filled, then scattered onto
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
        split_batch(
            N,
            lambda a, b: avg_pool2d_kernel(x[a:b], KH, KW, sh, sw, y[a:b]),
            x.dtype,
            cost=y.size * KH * KW,
        )
        return y
    ph, pw = int(padding[0]), int(padding[1])
    OH = pool_out_size(H, KH, sh, ph, 1, ceil_mode)
    OW = pool_out_size(W, KW, sw, pw, 1, ceil_mode)
    y = np.empty((N, C, OH, OW), dtype=x.dtype)
    count_pad, divisor = bool(count_include_pad), int(divisor_override or 0)

    def padded(a: int, b: int) -> None:
        avg_pool2d_padded_kernel(x[a:b], KH, KW, sh, sw, ph, pw, count_pad, divisor, y[a:b])

    split_batch(N, padded, x.dtype, cost=y.size * KH * KW)
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
            cost=grad_out.size * KH * KW,
        )
        return grad_x
    ph, pw = int(padding[0]), int(padding[1])
    count_pad, divisor = bool(count_include_pad), int(divisor_override or 0)

    def padded(a: int, b: int) -> None:
        avg_pool2d_padded_scatter(
            grad_out[a:b], KH, KW, sh, sw, ph, pw, count_pad, divisor, grad_x[a:b]
        )

    split_batch(N, padded, grad_out.dtype, cost=grad_out.size * KH * KW)
    return grad_x
