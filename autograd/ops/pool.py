"""2-D max and average pooling over NCHW batches (no padding; output ⌊(n - k)/s⌋ + 1 per side).

Max pooling keeps the flat index of each window's maximum, so its backward routes every gradient
to the input element that won; average pooling spreads it evenly over the window.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd.ops.conv import array, image_batch, pair
from autograd.tensor import Tensor, record


def _windows(
    xd: np.ndarray, kernel_size: Any, stride: Any, api: str
) -> tuple[tuple[int, int], tuple[int, int]]:
    image_batch(xd, api)
    kernel = pair(kernel_size, api, "kernel_size", 1)
    strides = kernel if stride is None else pair(stride, api, "stride", 1)
    h, w = xd.shape[2:]
    if kernel[0] > h or kernel[1] > w:
        raise ValueError(
            f"{api}: kernel {kernel[0]}x{kernel[1]} is larger than the input; got input "
            f"{xd.shape}, expected kernel_size <= ({h}, {w})"
        )
    return kernel, strides


def max_pool2d(x: Any, kernel_size: Any, stride: Any = None) -> Tensor:
    """Maximum of each window; dx gets g at each window's argmax (first one on ties).

    Args:
        x: input (N, C, H, W).
        kernel_size: an int or (kh, kw).
        stride: an int or (sh, sw); the kernel size by default.
    """
    xd = array(x, "max_pool2d", "input")
    kernel, strides = _windows(xd, kernel_size, stride, "max_pool2d")
    from autograd import kernels

    y, argmax = kernels.max_pool2d_forward(np.ascontiguousarray(xd), kernel, strides)
    return record(y, "max_pool2d", (x,), _max_pool2d_backward, (argmax, xd.shape[2:], xd.dtype))


def _max_pool2d_backward(g, needs, argmax, input_hw, dtype):
    from autograd import kernels

    g = np.ascontiguousarray(g, dtype=dtype)
    return (kernels.max_pool2d_backward(g, argmax, input_hw),)


def avg_pool2d(x: Any, kernel_size: Any, stride: Any = None) -> Tensor:
    """Mean of each window; dx spreads g/(kh·kw) over the window.

    Args:
        x: input (N, C, H, W).
        kernel_size: an int or (kh, kw).
        stride: an int or (sh, sw); the kernel size by default.
    """
    xd = array(x, "avg_pool2d", "input")
    kernel, strides = _windows(xd, kernel_size, stride, "avg_pool2d")
    from autograd import kernels

    y = kernels.avg_pool2d_forward(np.ascontiguousarray(xd), kernel, strides)
    saved = (xd.shape[2:], kernel, strides, xd.dtype)
    return record(y, "avg_pool2d", (x,), _avg_pool2d_backward, saved)


def _avg_pool2d_backward(g, needs, input_hw, kernel, strides, dtype):
    from autograd import kernels

    g = np.ascontiguousarray(g, dtype=dtype)
    return (kernels.avg_pool2d_backward(g, input_hw, kernel, strides),)
