"""Reductions over axes (sum, mean, max, min): each backward spreads the gradient back out."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from autograd.tensor import OUTPUT, Tensor, _short, record

Axis = int | Sequence[int] | None


def _is_int(x: object) -> bool:
    return isinstance(x, (int, np.integer)) and not isinstance(x, (bool, np.bool_))


def normalize_axis(axis: object, ndim: int, api: str, extra: int = 0) -> int:
    """One ``axis`` of a tensor with ``ndim`` dims as an index in [0, ndim + extra).

    The single place where an axis is checked. ``extra=1`` is for ops that make a new axis
    (`unsqueeze`, `stack`). As in PyTorch, a 0-d tensor takes axis 0 or -1 (giving 0), as if it
    had one dim.

    >>> normalize_axis(-1, 3, "sum"), normalize_axis(-1, 2, "stack", extra=1)
    (2, 2)
    >>> normalize_axis(-1, 0, "sum")  # a 0-d tensor
    0
    """
    if not _is_int(axis):
        raise TypeError(f"{api}: axis must be an int; got {type(axis).__name__} {_short(axis)}")
    span = max(ndim + extra, 1)
    if not -span <= axis < span:  # type: ignore[operator]
        raise ValueError(
            f"{api}: axis {axis} is out of range; got a tensor with {ndim} dims, expected an "
            f"axis in [{-span}, {span - 1}]"
        )
    return int(axis) % span  # type: ignore[call-overload]


def normalize_axes(axis: Axis, ndim: int, api: str) -> tuple[int, ...]:
    """``axis`` as a sorted tuple of non-negative axes (all axes for None), checked against ndim.

    A 0-d tensor has no axis to reduce: 0 and -1 are accepted and give ``()``.
    """
    if axis is None:
        return tuple(range(ndim))
    items = tuple(axis) if isinstance(axis, (tuple, list)) else (axis,)
    for a in items:
        if not _is_int(a):
            raise TypeError(
                f"{api}: axis must be an int or a tuple of ints; got {type(axis).__name__} "
                f"{_short(axis)}"
            )
    axes = [normalize_axis(a, ndim, api) for a in items]
    if len(set(axes)) != len(axes):
        raise ValueError(f"{api}: repeated axis; got {axis!r}, expected each axis once")
    return tuple(sorted(axes)) if ndim else ()


def keepdims_flag(keepdims: object, api: str) -> bool:
    """``keepdims`` checked to be a bool (numpy would take any object's truth value)."""
    if not isinstance(keepdims, (bool, np.bool_)):
        raise TypeError(
            f"{api}: keepdims must be True or False; got {type(keepdims).__name__} "
            f"{_short(keepdims)}"
        )
    return bool(keepdims)


def _keep(g: np.ndarray, axes: tuple[int, ...], keepdims: bool) -> np.ndarray:
    """The reduced gradient with the reduced axes back as size 1, ready to broadcast."""
    return g if keepdims or not axes else np.expand_dims(g, axes)


def reduce_sum(x: Tensor, axis: Axis = None, keepdims: bool = False) -> Tensor:
    r"""$\sum$ over ``axis``; each input element gets the gradient of its sum."""
    xd = x._data
    axes, keepdims = normalize_axes(axis, xd.ndim, "sum"), keepdims_flag(keepdims, "sum")
    y = xd.sum(axis=axes, keepdims=keepdims)
    return record(y, "sum", (x,), _sum_backward, (xd.shape, axes, keepdims))


def _sum_backward(g, needs, shape, axes, keepdims):
    return (np.broadcast_to(_keep(g, axes, keepdims), shape),)


def reduce_mean(x: Tensor, axis: Axis = None, keepdims: bool = False) -> Tensor:
    r"""$\frac{1}{n}\sum$ over ``axis``; each input element gets 1/n of the gradient."""
    xd = x._data
    axes, keepdims = normalize_axes(axis, xd.ndim, "mean"), keepdims_flag(keepdims, "mean")
    count = int(np.prod([xd.shape[a] for a in axes]))
    y = xd.mean(axis=axes, keepdims=keepdims)
    return record(y, "mean", (x,), _mean_backward, (xd.shape, axes, keepdims, count))


def _mean_backward(g, needs, shape, axes, keepdims, count):
    return (np.broadcast_to(_keep(g, axes, keepdims) / count, shape),)


def reduce_max(x: Tensor, axis: Axis = None, keepdims: bool = False) -> Tensor:
    """Largest element over ``axis``; ties share the gradient evenly (PyTorch's ``amax``)."""
    return _extremum(x, axis, keepdims, "max", np.max)


def reduce_min(x: Tensor, axis: Axis = None, keepdims: bool = False) -> Tensor:
    """Smallest element over ``axis``; ties share the gradient evenly (PyTorch's ``amin``)."""
    return _extremum(x, axis, keepdims, "min", np.min)


def _extremum(x: Tensor, axis: Axis, keepdims: bool, op: str, reducer) -> Tensor:
    xd = x._data
    axes, keepdims = normalize_axes(axis, xd.ndim, op), keepdims_flag(keepdims, op)
    if xd.size == 0:
        raise ValueError(f"{op}: cannot reduce an empty tensor; got shape {xd.shape}")
    y = reducer(xd, axis=axes, keepdims=True)
    out = y if keepdims else np.squeeze(y, axis=axes)
    return record(out, op, (x,), _extremum_backward, (xd, y, axes, keepdims), reads=(x, OUTPUT))


def _extremum_backward(g, needs, x, y, axes, keepdims):
    hit = x == y
    share = _keep(g, axes, keepdims) / hit.sum(axis=axes, keepdims=True)
    return ((hit * share).astype(x.dtype, copy=False),)
