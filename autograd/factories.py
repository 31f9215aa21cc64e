"""Tensor factories: from data, constant fills, ranges, and random draws seeded by `manual_seed`."""

from __future__ import annotations

import math
import sys
from numbers import Real
from typing import Any

import numpy as np

from autograd.modes import flags
from autograd.random import generator
from autograd.tensor import Tensor, _leaf, _short, as_dtype

# More elements than this cannot be allocated in any dtype (numpy's limit is in bytes).
_MAX_ELEMENTS = sys.maxsize // 16


def _dims(shape: tuple[Any, ...], api: str) -> tuple[int, ...]:
    """``f(2, 3)`` and ``f((2, 3))`` both mean shape (2, 3)."""
    dims = shape
    if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
        dims = tuple(shape[0])
    for n in dims:
        if not isinstance(n, (int, np.integer)) or isinstance(n, (bool, np.bool_)):
            raise TypeError(
                f"{api}: sizes must be ints; got {_short(shape)}, expected e.g. {api}(2, 3) or "
                f"{api}((2, 3))"
            )
        if n < 0:
            raise ValueError(f"{api}: sizes must be non-negative ints; got {_short(shape)}")
    dims = tuple(int(n) for n in dims)
    if max(dims, default=0) > _MAX_ELEMENTS or math.prod(dims) > _MAX_ELEMENTS:
        raise ValueError(
            f"{api}: shape too large; got {_short(dims)}, expected at most {_MAX_ELEMENTS} elements"
        )
    return dims


def _dtype(dtype: Any, api: str) -> np.dtype:
    """``dtype`` checked, or the default float dtype."""
    return as_dtype(dtype, api) or flags.default_dtype


def _number(x: Any, api: str, name: str) -> Any:
    """A number argument (fill value, range bound), or a TypeError naming ``api``."""
    if not isinstance(x, Real):
        raise TypeError(f"{api}: {name} must be a number; got {type(x).__name__} {_short(x)}")
    return x


def _new(data: np.ndarray, requires_grad: Any, api: str) -> Tensor:
    if not isinstance(requires_grad, (bool, np.bool_)):
        raise TypeError(
            f"{api}: requires_grad must be True or False; got {type(requires_grad).__name__} "
            f"{_short(requires_grad)}"
        )
    out = _leaf(data)
    if requires_grad:
        if data.dtype.kind != "f":
            raise TypeError(
                f"{api}: only floating-point tensors can require grad; got dtype {data.dtype}, "
                "expected float32 or float64"
            )
        out.requires_grad = True
    return out


def tensor(data: Any, requires_grad: bool = False, dtype: Any = None, label: str = "") -> Tensor:
    """A new leaf from data (same rules as `Tensor`).

    >>> tensor([1, 2]).dtype
    dtype('float32')
    """
    return Tensor(data, requires_grad=requires_grad, dtype=dtype, label=label)


def zeros(*shape: Any, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """A tensor of zeros, ``zeros(2, 3)`` or ``zeros((2, 3))``.

    >>> zeros(2, 3).shape
    (2, 3)
    """
    return _new(np.zeros(_dims(shape, "zeros"), _dtype(dtype, "zeros")), requires_grad, "zeros")


def ones(*shape: Any, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """A tensor of ones.

    >>> ones(2).tolist()
    [1.0, 1.0]
    """
    return _new(np.ones(_dims(shape, "ones"), _dtype(dtype, "ones")), requires_grad, "ones")


def full(shape: Any, fill_value: float, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """A tensor filled with ``fill_value``.

    >>> full((2,), 7.0).tolist()
    [7.0, 7.0]
    """
    dims, dtype = _dims((shape,), "full"), _dtype(dtype, "full")
    fill_value = _number(fill_value, "full", "fill_value")
    try:
        with np.errstate(over="ignore"):  # 1e300 in float32 is inf, as in PyTorch
            data = np.full(dims, fill_value, dtype)
    except OverflowError:
        raise ValueError(
            f"full: fill_value out of range for {dtype}; got {_short(fill_value)}"
        ) from None
    return _new(data, requires_grad, "full")


def _like(t: Any, dtype: Any, api: str) -> tuple[tuple[int, ...], np.dtype]:
    """The shape of ``t`` and ``dtype`` (by default t's)."""
    if isinstance(t, Tensor):
        like = t._data
    elif isinstance(t, np.ndarray):
        like = t
    else:
        raise TypeError(f"{api}: expected a Tensor or an array; got {type(t).__name__}")
    return like.shape, as_dtype(like.dtype if dtype is None else dtype, api)  # type: ignore[return-value]


def zeros_like(t: Any, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """Zeros of ``t``'s shape and dtype.

    >>> zeros_like(ones(2, dtype="float64")).dtype
    dtype('float64')
    """
    shape, dtype = _like(t, dtype, "zeros_like")
    return _new(np.zeros(shape, dtype), requires_grad, "zeros_like")


def ones_like(t: Any, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """Ones of ``t``'s shape and dtype.

    >>> ones_like(zeros(3)).tolist()
    [1.0, 1.0, 1.0]
    """
    shape, dtype = _like(t, dtype, "ones_like")
    return _new(np.ones(shape, dtype), requires_grad, "ones_like")


def arange(
    start: float,
    stop: float | None = None,
    step: float = 1,
    dtype: Any = None,
    requires_grad: bool = False,
) -> Tensor:
    """Evenly spaced values in [start, stop), in the default float dtype unless ``dtype`` is given.

    >>> arange(3).tolist()
    [0.0, 1.0, 2.0]
    >>> arange(1, 2, 0.5, dtype="float64").tolist()
    [1.0, 1.5]
    """
    first, last = (0, start) if stop is None else (start, stop)
    for name, bound in (("start", first), ("stop", last), ("step", step)):
        _number(bound, "arange", name)
        try:
            finite = math.isfinite(bound)
        except OverflowError:  # an int beyond float range
            finite = False
        if not finite:
            raise ValueError(f"arange: {name} must be finite; got {_short(bound)}")
    if step == 0:
        raise ValueError("arange: step must not be zero; got step=0")
    if (last - first) * step < 0:
        raise ValueError(
            f"arange: step points away from stop; got start={first}, stop={last}, step={step}, "
            "expected a step with the sign of stop - start (as in PyTorch)"
        )
    count = math.ceil((last - first) / step)
    if count > _MAX_ELEMENTS:
        raise ValueError(
            f"arange: too many values; got {count} from start={first}, stop={last}, step={step}, "
            f"expected at most {_MAX_ELEMENTS}"
        )
    data = np.arange(first, last, step, dtype=_dtype(dtype, "arange"))
    return _new(data, requires_grad, "arange")


def randn(*shape: Any, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """Standard normal draws from the generator that `manual_seed` resets.

    >>> from autograd import manual_seed
    >>> _ = manual_seed(0); a = randn(2, 2)
    >>> _ = manual_seed(0); bool((randn(2, 2) == a).numpy().all())
    True
    """
    dims, dtype = _dims(shape, "randn"), _dtype(dtype, "randn")
    draw = generator().standard_normal(dims, dtype=_generator_dtype(dtype, "randn"))
    return _new(draw.astype(dtype, copy=False), requires_grad, "randn")


def rand(*shape: Any, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """Uniform draws in [0, 1) from the generator that `manual_seed` resets.

    >>> r = rand(1000).numpy(); bool(0.0 <= r.min() and r.max() < 1.0)
    True
    """
    dims, dtype = _dims(shape, "rand"), _dtype(dtype, "rand")
    draw = generator().random(dims, dtype=_generator_dtype(dtype, "rand"))
    return _new(draw.astype(dtype, copy=False), requires_grad, "rand")


def _generator_dtype(dtype: np.dtype, api: str) -> np.dtype:
    if dtype.kind != "f":
        raise TypeError(
            f"{api}: random draws need a float dtype; got {dtype}, expected float32 or float64"
        )
    return dtype if dtype.itemsize in (4, 8) else np.dtype(np.float64)
