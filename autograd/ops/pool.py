"""2-D max and average pooling over NCHW batches, with PyTorch's padding, dilation and ceil_mode.

Max pooling keeps the flat index of each window's maximum, so its backward routes every gradient
to the input element that won; average pooling spreads it evenly over the window.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd.ops.conv import array, image_batch, pair
from autograd.record import record
from autograd.tensor import Tensor

Pair = tuple[int, int]


def _flag(value: Any, api: str, name: str) -> bool:
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{api}: {name} must be True or False; got {value!r}")
    return bool(value)


def _windows(
    xd: np.ndarray,
    kernel_size: Any,
    stride: Any,
    padding: Any,
    dilation: Any,
    ceil_mode: bool,
    api: str,
) -> tuple[Pair, Pair, Pair, Pair]:
    """Checked (kernel, stride, padding, dilation) pairs, with PyTorch's limits."""
    image_batch(xd, api)
    kernel = pair(kernel_size, api, "kernel_size", 1)
    strides = kernel if stride is None else pair(stride, api, "stride", 1)
    h, w = xd.shape[2:]
    if type(padding) is int and padding == 0 and type(dilation) is int and dilation == 1:
        if not ceil_mode and (kernel[0] > h or kernel[1] > w):  # the defaults, kept cheap
            raise ValueError(
                f"{api}: kernel {kernel[0]}x{kernel[1]} is larger than the input; got input "
                f"{xd.shape}, expected kernel_size <= ({h}, {w})"
            )
        if not ceil_mode:
            return kernel, strides, (0, 0), (1, 1)
    pads = pair(padding, api, "padding", 0)
    dilations = pair(dilation, api, "dilation", 1)
    half = (kernel[0] // 2, kernel[1] // 2)
    if pads[0] > half[0] or pads[1] > half[1]:
        raise ValueError(
            f"{api}: padding must be at most half the kernel size (as in PyTorch); got padding "
            f"{pads} with kernel_size {kernel}, expected padding <= {half}"
        )
    from autograd.kernels.pool import pool_out_size

    sizes = [
        pool_out_size(n, k, s, p, d, ceil_mode)
        for n, k, s, p, d in zip((h, w), kernel, strides, pads, dilations, strict=True)
    ]
    if min(sizes) < 1:
        if pads == (0, 0) and dilations == (1, 1):
            raise ValueError(
                f"{api}: kernel {kernel[0]}x{kernel[1]} is larger than the input; got input "
                f"{xd.shape}, expected kernel_size <= ({h}, {w})"
            )
        spans = tuple(d * (k - 1) + 1 for k, d in zip(kernel, dilations, strict=True))
        raise ValueError(
            f"{api}: the dilated window {spans[0]}x{spans[1]} is larger than the padded input; "
            f"got input {xd.shape} with padding {pads}, expected a window of at most "
            f"({h + 2 * pads[0]}, {w + 2 * pads[1]})"
        )
    return kernel, strides, pads, dilations


def max_pool2d(
    x: Any,
    kernel_size: Any,
    stride: Any = None,
    padding: Any = 0,
    dilation: Any = 1,
    ceil_mode: bool = False,
    return_indices: bool = False,
) -> Tensor | tuple[Tensor, Tensor]:
    """Maximum of each window; dx gets g at each window's argmax (first one on ties).

    Args:
        x: input (N, C, H, W).
        kernel_size: an int or (kh, kw).
        stride: an int or (sh, sw); the kernel size by default.
        padding: an int or (ph, pw) of -inf on each side, at most half the kernel size.
        dilation: an int or (dh, dw), the step between a window's taps.
        ceil_mode: round the output size up, as PyTorch does (the last window may then
            overhang the input; it never starts in the right padding).
        return_indices: also return the int64 flat index h*W + w of each maximum inside its
            (n, c) plane, as PyTorch does (-1 for a window of padding only).
    """
    api = "max_pool2d"
    xd = array(x, api, "input")
    ceil_mode = _flag(ceil_mode, api, "ceil_mode")
    return_indices = bool(return_indices)  # PyTorch's test of it: truthiness
    kernel, strides, pads, dilations = _windows(
        xd, kernel_size, stride, padding, dilation, ceil_mode, api
    )
    from autograd import kernels

    xd = np.ascontiguousarray(xd)
    y, argmax = kernels.max_pool2d_forward(xd, kernel, strides, pads, dilations, ceil_mode)
    out = record(y, api, (x,), _max_pool2d_backward, (argmax, xd.shape[2:], xd.dtype))
    return (out, Tensor(argmax)) if return_indices else out


def _max_pool2d_backward(g, needs, argmax, input_hw, dtype):
    from autograd import kernels

    g = np.ascontiguousarray(g, dtype=dtype)
    return (kernels.max_pool2d_backward(g, argmax, input_hw),)


def avg_pool2d(
    x: Any,
    kernel_size: Any,
    stride: Any = None,
    padding: Any = 0,
    ceil_mode: bool = False,
    count_include_pad: bool = True,
    divisor_override: int | None = None,
) -> Tensor:
    """Mean of each window; dx spreads g/count over the window's input elements.

    Args:
        x: input (N, C, H, W).
        kernel_size: an int or (kh, kw).
        stride: an int or (sh, sw); the kernel size by default.
        padding: an int or (ph, pw) of zeros on each side, at most half the kernel size.
        ceil_mode: round the output size up, as PyTorch does.
        count_include_pad: count the padding's zeros in each window's divisor (PyTorch's
            default), or divide by the window's input elements only.
        divisor_override: a nonzero int that divides every window's sum instead.
    """
    api = "avg_pool2d"
    xd = array(x, api, "input")
    ceil_mode = _flag(ceil_mode, api, "ceil_mode")
    count_include_pad = _flag(count_include_pad, api, "count_include_pad")
    if divisor_override is not None:
        if isinstance(divisor_override, bool) or not isinstance(
            divisor_override, (int, np.integer)
        ):
            raise TypeError(
                f"{api}: divisor_override must be an int or None; got {divisor_override!r}"
            )
        if divisor_override == 0:
            raise ValueError(f"{api}: divisor_override must not be zero; got 0")
    kernel, strides, pads, _ = _windows(xd, kernel_size, stride, padding, 1, ceil_mode, api)
    from autograd import kernels

    xd = np.ascontiguousarray(xd)
    divisor = None if divisor_override is None else int(divisor_override)
    y = kernels.avg_pool2d_forward(xd, kernel, strides, pads, ceil_mode, count_include_pad, divisor)
    saved = (xd.shape[2:], kernel, strides, pads, ceil_mode, count_include_pad, divisor, xd.dtype)
    return record(y, api, (x,), _avg_pool2d_backward, saved)


def _avg_pool2d_backward(
    g, needs, input_hw, kernel, strides, pads, ceil_mode, count_pad, divisor, dtype
):
    from autograd import kernels

    g = np.ascontiguousarray(g, dtype=dtype)
    options = (pads, ceil_mode, count_pad, divisor)
    return (kernels.avg_pool2d_backward(g, input_hw, kernel, strides, *options),)
