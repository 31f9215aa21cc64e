r"""Weight initialisation, as `torch.nn.init`: fill a tensor in place and return it.

Random fills draw from the engine's generator (`autograd.manual_seed` resets it) unless a
``generator`` (a ``numpy.random.Generator``) is given; ``uniform_(t)`` and ``normal_(t)`` give
the numbers ``t.uniform_()`` and ``t.normal_()`` would. For a weight of shape (out, in, k…),
$\text{fan\_in} = \text{in}\cdot\prod k$ and $\text{fan\_out} = \text{out}\cdot\prod k$.
Every fill counts as an in-place edit (the tensor's version goes up), so a graph built on the
old values refuses to backpropagate.

>>> from autograd import manual_seed
>>> from nn.layers import Linear
>>> _ = manual_seed(0)
>>> fc = Linear(300, 200)
>>> w = kaiming_normal_(fc.weight, nonlinearity="relu")   # std = √2 / √300 ≈ 0.0816
>>> bool(abs(w.numpy().std() - 0.0816) < 0.002), zeros_(fc.bias).tolist()[:3]
(True, [0.0, 0.0, 0.0])
"""

from __future__ import annotations

import math
import numbers
import warnings
from typing import Any

import numpy as np

from autograd import Tensor
from autograd.random import generator as _engine_generator

__all__ = [
    "calculate_gain",
    "constant_",
    "kaiming_normal_",
    "kaiming_uniform_",
    "normal_",
    "ones_",
    "uniform_",
    "xavier_normal_",
    "xavier_uniform_",
    "zeros_",
]

_LINEAR = (
    "linear",
    "conv1d",
    "conv2d",
    "conv3d",
    "conv_transpose1d",
    "conv_transpose2d",
    "conv_transpose3d",
    "sigmoid",
)


def calculate_gain(nonlinearity: str, param: float | None = None) -> float:
    r"""The gain that keeps activations' variance steady through ``nonlinearity`` (PyTorch's table).

    linear, conv*, sigmoid: 1; tanh: 5/3; relu: $\sqrt 2$; leaky_relu:
    $\sqrt{2 / (1 + \text{negative\_slope}^2)}$ (``param``, default 0.01); selu: 3/4.

    >>> calculate_gain("tanh"), round(calculate_gain("leaky_relu", 0.2), 6)
    (1.6666666666666667, 1.386750)
    """
    if nonlinearity in _LINEAR:
        return 1.0
    if nonlinearity == "tanh":
        return 5.0 / 3
    if nonlinearity == "relu":
        return math.sqrt(2.0)
    if nonlinearity == "leaky_relu":
        if param is None:
            slope = 0.01
        elif isinstance(param, numbers.Real) and not isinstance(param, bool):
            slope = float(param)
        else:
            raise ValueError(
                f"calculate_gain: negative_slope {param!r} not a valid number; expected a float"
            )
        return math.sqrt(2.0 / (1 + slope**2))
    if nonlinearity == "selu":
        return 3.0 / 4
    raise ValueError(
        f"calculate_gain: unsupported nonlinearity; got {nonlinearity!r}, expected one of "
        f"{[*_LINEAR, 'tanh', 'relu', 'leaky_relu', 'selu']}"
    )


def _calculate_fan_in_and_fan_out(tensor: Tensor) -> tuple[int, int]:
    """(fan_in, fan_out) of a weight of shape (out, in, k…): in·∏k and out·∏k (PyTorch's name).

    >>> from autograd import zeros
    >>> _calculate_fan_in_and_fan_out(zeros(8, 3, 5, 5))
    (75, 200)
    """
    _check(tensor, "_calculate_fan_in_and_fan_out")
    shape = tensor.shape
    if len(shape) < 2:
        raise ValueError(
            "init: fan in and fan out can not be computed for a tensor with fewer than 2 "
            f"dimensions; got shape {shape}, expected (out, in, ...)"
        )
    receptive = math.prod(shape[2:])
    return shape[1] * receptive, shape[0] * receptive


def _calculate_correct_fan(tensor: Tensor, mode: str) -> int:
    if not isinstance(mode, str) or mode.lower() not in ("fan_in", "fan_out"):
        raise ValueError(f"init: mode {mode!r} not supported; expected one of 'fan_in', 'fan_out'")
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    return fan_in if mode.lower() == "fan_in" else fan_out


def uniform_(
    tensor: Tensor, a: float = 0.0, b: float = 1.0, generator: np.random.Generator | None = None
) -> Tensor:
    """Fill with draws from U(a, b).

    >>> from autograd import zeros
    >>> x = uniform_(zeros(1000), -2.0, 2.0).numpy()
    >>> bool(x.min() >= -2.0 and x.max() < 2.0)
    True
    """
    _check(tensor, "uniform_")
    if not a <= b:
        raise ValueError(f"uniform_: expected a <= b; got a={a!r}, b={b!r}")
    draw = _rng(generator).random(tensor.shape, dtype=_draw_dtype(tensor))
    return _write(tensor, draw * (b - a) + a)


def normal_(
    tensor: Tensor,
    mean: float = 0.0,
    std: float = 1.0,
    generator: np.random.Generator | None = None,
) -> Tensor:
    r"""Fill with draws from $\mathcal N(\text{mean}, \text{std}^2)$."""
    _check(tensor, "normal_")
    if not std >= 0:
        raise ValueError(f"normal_: std must be non-negative; got {std!r}")
    draw = _rng(generator).standard_normal(tensor.shape, dtype=_draw_dtype(tensor))
    return _write(tensor, draw * std + mean)


def constant_(tensor: Tensor, val: float) -> Tensor:
    """Fill with ``val``.

    >>> from autograd import zeros
    >>> constant_(zeros(2), 0.5).tolist()
    [0.5, 0.5]
    """
    _check(tensor, "constant_")
    return _write(tensor, val)


def ones_(tensor: Tensor) -> Tensor:
    """Fill with 1."""
    return constant_(tensor, 1.0)


def zeros_(tensor: Tensor) -> Tensor:
    """Fill with 0."""
    return constant_(tensor, 0.0)


def xavier_uniform_(
    tensor: Tensor, gain: float = 1.0, generator: np.random.Generator | None = None
) -> Tensor:
    r"""Glorot's uniform fill: U(−a, a) with $a = \text{gain}\sqrt{6 / (\text{fan\_in} +
    \text{fan\_out})}$."""
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    bound = math.sqrt(3.0) * gain * math.sqrt(2.0 / (fan_in + fan_out))
    return uniform_(tensor, -bound, bound, generator)


def xavier_normal_(
    tensor: Tensor, gain: float = 1.0, generator: np.random.Generator | None = None
) -> Tensor:
    r"""Glorot's normal fill: $\mathcal N(0, \sigma^2)$ with $\sigma = \text{gain}\sqrt{2 /
    (\text{fan\_in} + \text{fan\_out})}$."""
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    return normal_(tensor, 0.0, gain * math.sqrt(2.0 / (fan_in + fan_out)), generator)


def kaiming_uniform_(
    tensor: Tensor,
    a: float = 0.0,
    mode: str = "fan_in",
    nonlinearity: str = "leaky_relu",
    generator: np.random.Generator | None = None,
) -> Tensor:
    r"""He's uniform fill: U(−b, b) with $b = \sqrt 3\,\text{gain} / \sqrt{\text{fan}}$.

    Args:
        tensor: the weight, at least 2-D.
        a: the negative slope of the leaky ReLU that follows (for ``nonlinearity="leaky_relu"``).
        mode: ``"fan_in"`` keeps the forward variance, ``"fan_out"`` the backward one.
        nonlinearity: what follows the layer, as in `calculate_gain`.
        generator: a numpy Generator to draw from instead of the engine's.
    """
    if _empty(tensor, "kaiming_uniform_"):
        return tensor
    std = calculate_gain(nonlinearity, a) / math.sqrt(_calculate_correct_fan(tensor, mode))
    return uniform_(tensor, -math.sqrt(3.0) * std, math.sqrt(3.0) * std, generator)


def kaiming_normal_(
    tensor: Tensor,
    a: float = 0.0,
    mode: str = "fan_in",
    nonlinearity: str = "leaky_relu",
    generator: np.random.Generator | None = None,
) -> Tensor:
    r"""He's normal fill: $\mathcal N(0, \sigma^2)$ with $\sigma = \text{gain} /
    \sqrt{\text{fan}}$; the arguments as in `kaiming_uniform_`."""
    if _empty(tensor, "kaiming_normal_"):
        return tensor
    std = calculate_gain(nonlinearity, a) / math.sqrt(_calculate_correct_fan(tensor, mode))
    return normal_(tensor, 0.0, std, generator)


def _check(tensor: Any, api: str) -> None:
    if not isinstance(tensor, Tensor):
        raise TypeError(
            f"{api}: expected a Tensor (e.g. layer.weight); got {type(tensor).__name__}"
        )
    if tensor.dtype.kind != "f":
        raise TypeError(
            f"{api}: expected a floating-point tensor; got dtype {tensor.dtype}, expected "
            "float32 or float64"
        )


def _empty(tensor: Tensor, api: str) -> bool:
    """True (with PyTorch's warning) for a tensor with no elements, which a fill leaves as is."""
    _check(tensor, api)
    if tensor.size == 0:
        warnings.warn(f"{api}: initializing zero-element tensors is a no-op", stacklevel=3)
        return True
    return False


def _rng(generator: np.random.Generator | None) -> np.random.Generator:
    if generator is None:
        return _engine_generator()
    if not isinstance(generator, np.random.Generator):
        raise TypeError(
            f"init: generator must be a numpy.random.Generator; got {type(generator).__name__}"
        )
    return generator


def _draw_dtype(tensor: Tensor) -> np.dtype:
    """Draw in the tensor's own float32 or float64, as `Tensor.uniform_` and `randn` do, so a
    fill equals the Tensor method's under the same seed."""
    return tensor.dtype if tensor.dtype.itemsize in (4, 8) else np.dtype(np.float64)


def _write(tensor: Tensor, values: Any) -> Tensor:
    """Write ``values`` into the tensor's own array (views of it see them) as one in-place edit."""
    tensor.data[...] = values
    tensor._bump_version()
    return tensor
