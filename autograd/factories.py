"""Tensor factories: from data, constant fills, ranges, and random draws seeded by `manual_seed`."""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd.modes import flags
from autograd.random import generator
from autograd.tensor import Tensor, _leaf


def _dims(shape: tuple[Any, ...], api: str) -> tuple[int, ...]:
    """``f(2, 3)`` and ``f((2, 3))`` both mean shape (2, 3)."""
    dims = shape
    if len(shape) == 1 and not isinstance(shape[0], (int, np.integer)):
        dims = tuple(shape[0])
    for n in dims:
        if not isinstance(n, (int, np.integer)) or isinstance(n, bool) or n < 0:
            raise ValueError(f"{api}: sizes must be non-negative ints; got {shape!r}")
    return tuple(int(n) for n in dims)


def _float_dtype(dtype: Any) -> np.dtype:
    return flags.default_dtype if dtype is None else np.dtype(dtype)


def _new(data: np.ndarray, requires_grad: bool) -> Tensor:
    out = _leaf(data)
    if requires_grad:
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
    return _new(np.zeros(_dims(shape, "zeros"), _float_dtype(dtype)), requires_grad)


def ones(*shape: Any, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """A tensor of ones.

    >>> ones(2).tolist()
    [1.0, 1.0]
    """
    return _new(np.ones(_dims(shape, "ones"), _float_dtype(dtype)), requires_grad)


def full(shape: Any, fill_value: float, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """A tensor filled with ``fill_value``.

    >>> full((2,), 7.0).tolist()
    [7.0, 7.0]
    """
    dims = _dims((shape,), "full")
    return _new(np.full(dims, fill_value, _float_dtype(dtype)), requires_grad)


def _like(t: Any, api: str) -> np.ndarray:
    if isinstance(t, Tensor):
        return t.data
    if isinstance(t, np.ndarray):
        return t
    raise TypeError(f"{api}: expected a Tensor or an array; got {type(t).__name__}")


def zeros_like(t: Any, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """Zeros of ``t``'s shape and dtype.

    >>> zeros_like(ones(2, dtype="float64")).dtype
    dtype('float64')
    """
    like = _like(t, "zeros_like")
    return _new(np.zeros(like.shape, like.dtype if dtype is None else dtype), requires_grad)


def ones_like(t: Any, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """Ones of ``t``'s shape and dtype.

    >>> ones_like(zeros(3)).tolist()
    [1.0, 1.0, 1.0]
    """
    like = _like(t, "ones_like")
    return _new(np.ones(like.shape, like.dtype if dtype is None else dtype), requires_grad)


def arange(
    start: float, stop: float | None = None, step: float = 1, dtype: Any = None,
    requires_grad: bool = False,
) -> Tensor:
    """Evenly spaced values in [start, stop), in the default float dtype unless ``dtype`` is given.

    >>> arange(3).tolist()
    [0.0, 1.0, 2.0]
    >>> arange(1, 2, 0.5, dtype="float64").tolist()
    [1.0, 1.5]
    """
    if step == 0:
        raise ValueError("arange: step must not be zero; got step=0")
    first, last = (0, start) if stop is None else (start, stop)
    return _new(np.arange(first, last, step, dtype=_float_dtype(dtype)), requires_grad)


def randn(*shape: Any, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """Standard normal draws from the generator that `manual_seed` resets.

    >>> from autograd import manual_seed
    >>> _ = manual_seed(0); a = randn(2, 2)
    >>> _ = manual_seed(0); bool((randn(2, 2) == a).numpy().all())
    True
    """
    dtype = _float_dtype(dtype)
    draw = generator().standard_normal(_dims(shape, "randn"), dtype=_generator_dtype(dtype))
    return _new(draw.astype(dtype, copy=False), requires_grad)


def rand(*shape: Any, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """Uniform draws in [0, 1) from the generator that `manual_seed` resets.

    >>> r = rand(1000).numpy(); bool(0.0 <= r.min() and r.max() < 1.0)
    True
    """
    dtype = _float_dtype(dtype)
    draw = generator().random(_dims(shape, "rand"), dtype=_generator_dtype(dtype))
    return _new(draw.astype(dtype, copy=False), requires_grad)


def _generator_dtype(dtype: np.dtype) -> np.dtype:
    if dtype.kind != "f":
        raise TypeError(f"random draws need a float dtype; got {dtype}")
    return dtype if dtype.itemsize in (4, 8) else np.dtype(np.float64)
