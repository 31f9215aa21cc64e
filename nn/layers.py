r"""Tensor layers: Linear, Conv2d, MaxPool2d, AvgPool2d, Flatten, Dropout, Identity.

Shapes and initialisation follow PyTorch: ``Linear.weight`` is (out, in), ``Conv2d.weight`` is
(out_channels, in_channels, kh, kw), images are NCHW, and weights and biases start uniform in
$\pm 1/\sqrt{\text{fan\_in}}$ (PyTorch's kaiming-uniform with a = √5), drawn from the generator
that `autograd.manual_seed` resets. Weights and biases are `nn.Parameter`s.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from autograd import Tensor, get_default_dtype
from autograd.dtypes import check_device
from autograd.random import generator
from nn import functional as F
from nn.checks import positive
from nn.module import Module, float_dtype
from nn.parameter import Parameter


def _uniform(
    shape: tuple[int, ...], bound: float, label: str, dtype: np.dtype | None = None
) -> Parameter:
    """A `Parameter` drawn uniformly from [-bound, bound] in ``dtype`` (default: the default)."""
    data = generator().uniform(-bound, bound, size=shape).astype(dtype or get_default_dtype())
    param = Parameter(data)
    param.label = label
    return param


def factory_dtype(device: Any, dtype: Any, api: str) -> np.dtype:
    """The dtype of a layer's new parameters, from PyTorch's ``device=`` and ``dtype=`` keywords:
    ``dtype`` (float32 or float64) or the default dtype; ``device`` must be the CPU."""
    if device is not None:
        check_device(device, api)
    return get_default_dtype() if dtype is None else float_dtype(dtype, api)


def _as_input(x: Any, like: Tensor, api: str) -> Tensor:
    """Arrays and lists become a Tensor in the parameters' dtype; Tensors pass unchanged."""
    if isinstance(x, Tensor):
        return x
    try:
        array = np.asarray(x)
    except (TypeError, ValueError):  # e.g. a ragged list
        array = np.empty(0, dtype=object)
    if array.dtype.kind not in "biuf":
        raise TypeError(
            f"{api}: input must be a Tensor or an array of numbers; got {type(x).__name__} "
            f"(as an array: dtype {array.dtype}). Wrap data as Tensor(x)"
        )
    return Tensor(array, dtype=like.dtype)


def _pair(value: Any, api: str, name: str, minimum: int = 1) -> tuple[int, int]:
    """An int or a pair of ints as ``(h, w)``, each at least ``minimum`` (0 or 1)."""
    single = isinstance(value, (int, np.integer)) and not isinstance(value, bool)
    try:
        h, w = (value, value) if single else value
    except (TypeError, ValueError):
        h = w = None
    if not all(isinstance(n, (int, np.integer)) and not isinstance(n, bool) for n in (h, w)):
        raise TypeError(f"{api}: {name} must be an int or a pair of ints; got {value!r}")
    if min(h, w) < minimum:
        sign = "positive" if minimum == 1 else "non-negative"
        raise ValueError(f"{api}: {name} must be a {sign} int or a pair of them; got {value!r}")
    return int(h), int(w)


def _padding(padding: Any, kernel: tuple[int, int], stride: tuple[int, int]) -> Any:
    """Check ``padding`` (what conv2d accepts) at construction; returns it unchanged."""
    if not isinstance(padding, str):
        _pair(padding, "Conv2d", "padding", minimum=0)
    elif padding == "same":
        if stride != (1, 1) or kernel[0] % 2 == 0 or kernel[1] % 2 == 0:
            raise ValueError(
                f"Conv2d: padding='same' needs stride 1 and an odd kernel; got stride {stride} "
                f"and kernel_size {kernel}. Give the padding as numbers instead"
            )
    elif padding != "valid":
        raise ValueError(
            f"Conv2d: unknown padding; got {padding!r}, expected 'same', 'valid', an int or a "
            "pair of ints"
        )
    return padding


class Linear(Module):
    r"""$y = x W^\top + b$ over the last axis of x.

    Args:
        in_features: size of each input row.
        out_features: size of each output row.
        bias: add a learned bias.
        device: ``"cpu"`` or None (another device is a RuntimeError, see `Module.to`).
        dtype: the parameters' dtype, float32 or float64 (default: the default dtype).

    >>> import numpy as np
    >>> from autograd import manual_seed
    >>> _ = manual_seed(0)
    >>> fc = Linear(3, 2)
    >>> fc.weight.shape, fc.bias.shape, fc(np.ones((4, 3))).shape
    ((2, 3), (2,), (4, 2))
    """

    def __init__(
        self,
        in_features: int,
        out_features: int,
        bias: bool = True,
        *,
        device: Any = None,
        dtype: Any = None,
    ) -> None:
        super().__init__()
        self.in_features = positive(in_features, "Linear", "in_features")
        self.out_features = positive(out_features, "Linear", "out_features")
        kind = factory_dtype(device, dtype, "Linear")
        bound = 1.0 / math.sqrt(self.in_features)
        self.weight = _uniform((self.out_features, self.in_features), bound, "weight", kind)
        self.bias = _uniform((self.out_features,), bound, "bias", kind) if bias else None

    def forward(self, x: Any) -> Tensor:
        x = _as_input(x, self.weight, "Linear")
        if x.ndim == 0 or x.shape[-1] != self.in_features:
            raise ValueError(
                f"Linear: expected input with {self.in_features} features; got shape {x.shape}. "
                f"The last axis is the features axis (flatten images first, e.g. nn.Flatten())"
            )
        return F.linear(x, self.weight, self.bias)

    def extra_repr(self) -> str:
        return (
            f"in_features={self.in_features}, out_features={self.out_features}, "
            f"bias={self.bias is not None}"
        )


class Conv2d(Module):
    r"""2-D cross-correlation of NCHW images with ``out_channels`` learned filters.

    Output size per axis: $\lfloor (n + 2p - k)/s \rfloor + 1$.

    Args:
        in_channels: channels of the input.
        out_channels: number of filters.
        kernel_size: an int or (kh, kw).
        stride: an int or (sh, sw).
        padding: an int or (ph, pw) of zeros on each side, or ``"same"`` / ``"valid"``.
        bias: add a learned bias per filter.
        device: ``"cpu"`` or None, as for `Linear`.
        dtype: the parameters' dtype, as for `Linear`.

    >>> import numpy as np
    >>> conv = Conv2d(1, 4, kernel_size=3, padding=1)
    >>> conv.weight.shape, conv(np.zeros((2, 1, 8, 8))).shape
    ((4, 1, 3, 3), (2, 4, 8, 8))
    """

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size: int | tuple[int, int],
        stride: int | tuple[int, int] = 1,
        padding: int | tuple[int, int] | str = 0,
        bias: bool = True,
        *,
        device: Any = None,
        dtype: Any = None,
    ) -> None:
        super().__init__()
        self.in_channels = positive(in_channels, "Conv2d", "in_channels")
        self.out_channels = positive(out_channels, "Conv2d", "out_channels")
        self.kernel_size = _pair(kernel_size, "Conv2d", "kernel_size")
        self.stride = _pair(stride, "Conv2d", "stride")
        self.padding = _padding(padding, self.kernel_size, self.stride)
        fan_in = self.in_channels * self.kernel_size[0] * self.kernel_size[1]
        bound = 1.0 / math.sqrt(fan_in)
        shape = (self.out_channels, self.in_channels, *self.kernel_size)
        kind = factory_dtype(device, dtype, "Conv2d")
        self.weight = _uniform(shape, bound, "weight", kind)
        self.bias = _uniform((self.out_channels,), bound, "bias", kind) if bias else None

    def forward(self, x: Any) -> Tensor:
        x = _as_input(x, self.weight, "Conv2d")
        if x.ndim != 4 or x.shape[1] != self.in_channels:
            raise ValueError(
                f"Conv2d: expected input (N, {self.in_channels}, H, W); got shape {x.shape}. "
                "Images are NCHW: add the channel axis, e.g. X.reshape(N, 1, H, W)"
            )
        return F.conv2d(x, self.weight, self.bias, stride=self.stride, padding=self.padding)

    def extra_repr(self) -> str:
        text = (
            f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, "
            f"stride={self.stride}"
        )
        if self.padding not in (0, (0, 0), "valid"):
            text += f", padding={self.padding!r}"
        return text + ("" if self.bias is not None else ", bias=False")


class _Pool2d(Module):
    """A window of ``kernel_size`` moved by ``stride`` (by default the kernel size) over the input
    padded by ``padding`` on each side."""

    def __init__(
        self,
        kernel_size: int | tuple[int, int],
        stride: int | tuple[int, int] | None = None,
        padding: int | tuple[int, int] = 0,
        ceil_mode: bool = False,
    ) -> None:
        super().__init__()
        api = type(self).__name__
        _pair(kernel_size, api, "kernel_size")
        if stride is not None:
            _pair(stride, api, "stride")
        _pair(padding, api, "padding", minimum=0)
        self.kernel_size = kernel_size
        self.stride = stride
        self.padding = padding
        self.ceil_mode = ceil_mode

    def extra_repr(self) -> str:
        text = f"kernel_size={self.kernel_size}, stride={self.stride or self.kernel_size}"
        options = [(name, getattr(self, name), default) for name, default in self._defaults()]
        return text + "".join(f", {n}={v!r}" for n, v, default in options if v != default)

    def _defaults(self) -> tuple[tuple[str, Any], ...]:
        return (("padding", 0), ("ceil_mode", False))


class MaxPool2d(_Pool2d):
    """The maximum of each ``kernel_size`` window, moved by ``stride`` (by default the kernel size).

    Arguments as in PyTorch: ``padding`` pads with −inf (at most half the kernel), ``dilation``
    spaces the taps, ``return_indices=True`` also returns each maximum's flat index h·W + w.

    >>> import numpy as np
    >>> from autograd import Tensor
    >>> MaxPool2d(2)(Tensor(np.arange(16.0).reshape(1, 1, 4, 4))).tolist()
    [[[[5.0, 7.0], [13.0, 15.0]]]]
    >>> MaxPool2d(2, padding=1)(Tensor(np.arange(4.0).reshape(1, 1, 2, 2))).tolist()
    [[[[0.0, 1.0], [2.0, 3.0]]]]
    """

    def __init__(
        self,
        kernel_size: int | tuple[int, int],
        stride: int | tuple[int, int] | None = None,
        padding: int | tuple[int, int] = 0,
        dilation: int | tuple[int, int] = 1,
        return_indices: bool = False,
        ceil_mode: bool = False,
    ) -> None:
        super().__init__(kernel_size, stride, padding, ceil_mode)
        _pair(dilation, "MaxPool2d", "dilation")
        self.dilation = dilation
        self.return_indices = return_indices

    def forward(self, x: Tensor) -> Tensor | tuple[Tensor, Tensor]:
        return F.max_pool2d(
            x,
            self.kernel_size,
            self.stride,
            self.padding,
            self.dilation,
            self.ceil_mode,
            self.return_indices,
        )

    def _defaults(self) -> tuple[tuple[str, Any], ...]:
        return (("padding", 0), ("dilation", 1), ("return_indices", False), ("ceil_mode", False))


class AvgPool2d(_Pool2d):
    """The mean of each ``kernel_size`` window, moved by ``stride`` (by default the kernel size).

    Arguments as in PyTorch: ``padding`` pads with zeros, which count in each mean unless
    ``count_include_pad=False``; ``divisor_override`` replaces every window's divisor.

    >>> import numpy as np
    >>> from autograd import Tensor
    >>> AvgPool2d(2)(Tensor(np.arange(16.0).reshape(1, 1, 4, 4))).tolist()
    [[[[2.5, 4.5], [10.5, 12.5]]]]
    >>> AvgPool2d(2, padding=1)(Tensor(np.ones((1, 1, 2, 2)))).tolist()
    [[[[0.25, 0.25], [0.25, 0.25]]]]
    """

    def __init__(
        self,
        kernel_size: int | tuple[int, int],
        stride: int | tuple[int, int] | None = None,
        padding: int | tuple[int, int] = 0,
        ceil_mode: bool = False,
        count_include_pad: bool = True,
        divisor_override: int | None = None,
    ) -> None:
        super().__init__(kernel_size, stride, padding, ceil_mode)
        self.count_include_pad = count_include_pad
        self.divisor_override = divisor_override

    def forward(self, x: Tensor) -> Tensor:
        return F.avg_pool2d(
            x,
            self.kernel_size,
            self.stride,
            self.padding,
            self.ceil_mode,
            self.count_include_pad,
            self.divisor_override,
        )

    def _defaults(self) -> tuple[tuple[str, Any], ...]:
        return (
            ("padding", 0),
            ("ceil_mode", False),
            ("count_include_pad", True),
            ("divisor_override", None),
        )


class Flatten(Module):
    """Merge axes ``start_dim .. end_dim`` into one (by default all but the batch axis).

    >>> import numpy as np
    >>> from autograd import Tensor
    >>> Flatten()(Tensor(np.zeros((2, 3, 4, 4)))).shape
    (2, 48)
    """

    def __init__(self, start_dim: int = 1, end_dim: int = -1) -> None:
        super().__init__()
        self.start_dim = start_dim
        self.end_dim = end_dim

    def forward(self, x: Tensor) -> Tensor:
        return x.flatten(self.start_dim, self.end_dim)

    def extra_repr(self) -> str:
        return f"start_dim={self.start_dim}, end_dim={self.end_dim}"


class Dropout(Module):
    """In training, zero each element with probability ``p`` and scale the rest by 1/(1 - p);
    in evaluation (`Module.eval`), pass the input through.

    >>> import numpy as np
    >>> from autograd import Tensor
    >>> drop = Dropout(0.5)
    >>> x = Tensor(np.ones(8))
    >>> drop.eval()(x) is x
    True
    """

    def __init__(self, p: float = 0.5) -> None:
        super().__init__()
        self.p = F.probability(p, "Dropout")

    def forward(self, x: Tensor) -> Tensor:
        return F.dropout(x, self.p, self.training)

    def extra_repr(self) -> str:
        return f"p={self.p}"


class Identity(Module):
    """Returns its input (a placeholder, e.g. for a layer switched off).

    >>> Identity()(3.0)
    3.0
    """

    def forward(self, x: Any) -> Any:
        return x
