"""Reductions over axes (sum, mean, max, min): each backward spreads the gradient back out."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from autograd.tensor import Tensor, record

Axis = int | Sequence[int] | None


def normalize_axes(axis: Axis, ndim: int, api: str) -> tuple[int, ...]:
    """``axis`` as a sorted tuple of non-negative axes (all axes for None), checked against ndim."""
    if axis is None:
        return tuple(range(ndim))
    items = (axis,) if isinstance(axis, (int, np.integer)) else tuple(axis)
    axes = []
    for a in items:
        if not isinstance(a, (int, np.integer)) or isinstance(a, bool):
            raise TypeError(f"{api}: axis must be an int or a tuple of ints; got {axis!r}")
        if not -ndim <= a < max(ndim, 1) or (ndim == 0 and a not in (0, -1)):
            raise ValueError(
                f"{api}: axis {a} is out of range; got a tensor with {ndim} dims, expected "
                f"an axis in [{-ndim}, {ndim - 1}]"
            )
        axes.append(int(a) % ndim if ndim else 0)
    if len(set(axes)) != len(axes):
        raise ValueError(f"{api}: repeated axis; got {axis!r}")
    return tuple(sorted(axes)) if ndim else ()


def _keep(g: np.ndarray, axes: tuple[int, ...], keepdims: bool) -> np.ndarray:
    """The reduced gradient with the reduced axes back as size 1, ready to broadcast."""
    return g if keepdims or not axes else np.expand_dims(g, axes)


def reduce_sum(x: Tensor, axis: Axis = None, keepdims: bool = False) -> Tensor:
    r"""$\sum$ over ``axis``; each input element gets the gradient of its sum."""
    axes = normalize_axes(axis, x.data.ndim, "sum")
    y = x.data.sum(axis=axes, keepdims=keepdims)
    return record(y, "sum", (x,), _sum_backward, (x.data.shape, axes, keepdims))


def _sum_backward(g, needs, shape, axes, keepdims):
    return (np.broadcast_to(_keep(g, axes, keepdims), shape),)


def reduce_mean(x: Tensor, axis: Axis = None, keepdims: bool = False) -> Tensor:
    r"""$\frac{1}{n}\sum$ over ``axis``; each input element gets 1/n of the gradient."""
    xd = x.data
    axes = normalize_axes(axis, xd.ndim, "mean")
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
    xd = x.data
    axes = normalize_axes(axis, xd.ndim, op)
    if xd.size == 0:
        raise ValueError(f"{op}: cannot reduce an empty tensor; got shape {xd.shape}")
    y = reducer(xd, axis=axes, keepdims=True)
    out = y if keepdims else np.squeeze(y, axis=axes)
    return record(out, op, (x,), _extremum_backward, (xd, y, axes, keepdims))


def _extremum_backward(g, needs, x, y, axes, keepdims):
    hit = x == y
    share = _keep(g, axes, keepdims) / hit.sum(axis=axes, keepdims=True)
    return ((hit * share).astype(x.dtype, copy=False),)
