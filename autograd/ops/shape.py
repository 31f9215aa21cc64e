"""Shape ops: reshape, axis permutations, indexing, concatenate, stack; values move, none change."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from autograd.tensor import Tensor, record


def _shape_arg(shape: Any, api: str) -> tuple[int, ...]:
    items = (shape,) if isinstance(shape, (int, np.integer)) else tuple(shape)
    for n in items:
        if not isinstance(n, (int, np.integer)) or isinstance(n, bool):
            raise TypeError(f"{api}: sizes must be ints; got {shape!r}")
    return tuple(int(n) for n in items)


def reshape(x: Tensor, shape: Any, op: str = "reshape") -> Tensor:  # same values; dx = g reshaped
    xd = x.data
    target = _shape_arg(shape, op)
    try:
        y = xd.reshape(target)
    except ValueError:
        raise ValueError(
            f"{op}: cannot reshape {xd.shape} ({xd.size} elements) into {target}; the sizes "
            "must match (one size may be -1)"
        ) from None
    return record(y, op, (x,), _reshape_backward, (xd.shape,))


def _reshape_backward(g, needs, shape):
    return (g.reshape(shape),)


def flatten(x: Tensor, start_dim: int = 0, end_dim: int = -1) -> Tensor:
    """Merge axes ``start_dim..end_dim`` into one (PyTorch's ``flatten``)."""
    shape = x.data.shape
    ndim = max(len(shape), 1)
    start, end = _axis(start_dim, ndim, "flatten"), _axis(end_dim, ndim, "flatten")
    if start > end:
        raise ValueError(
            f"flatten: start_dim comes after end_dim; got {start_dim} and {end_dim} for a tensor "
            f"with {len(shape)} dims"
        )
    if not shape:
        return reshape(x, (1,), "flatten")
    merged = int(np.prod(shape[start : end + 1]))
    return reshape(x, shape[:start] + (merged,) + shape[end + 1 :], "flatten")


def squeeze(x: Tensor, axis: int | None = None) -> Tensor:
    """Drop ``axis`` (it must have size 1), or every size-1 axis."""
    shape = x.data.shape
    if axis is None:
        return reshape(x, tuple(n for n in shape if n != 1), "squeeze")
    a = _axis(axis, len(shape), "squeeze")
    if shape[a] != 1:
        raise ValueError(f"squeeze: axis {axis} has size {shape[a]}; expected size 1")
    return reshape(x, shape[:a] + shape[a + 1 :], "squeeze")


def unsqueeze(x: Tensor, axis: int) -> Tensor:
    """Insert a size-1 axis at ``axis`` (negative counts from the end of the result)."""
    shape = x.data.shape
    a = _axis(axis, len(shape) + 1, "unsqueeze")
    return reshape(x, shape[:a] + (1,) + shape[a:], "unsqueeze")


def _axis(axis: Any, ndim: int, api: str) -> int:
    if not isinstance(axis, (int, np.integer)) or isinstance(axis, bool):
        raise TypeError(f"{api}: axis must be an int; got {axis!r}")
    if not -ndim <= axis < ndim:
        raise ValueError(
            f"{api}: axis {axis} is out of range; expected an axis in [{-ndim}, {ndim - 1}]"
        )
    return int(axis) % ndim


def permute(x: Tensor, axes: Sequence[int]) -> Tensor:  # y.shape[i] = x.shape[axes[i]]
    ndim = x.data.ndim
    order = tuple(_axis(a, max(ndim, 1), "permute") for a in _shape_arg(axes, "permute"))
    if sorted(order) != list(range(ndim)):
        raise ValueError(
            f"permute: axes must be a permutation of 0..{ndim - 1}; got {tuple(axes)} for shape "
            f"{x.data.shape}"
        )
    return record(x.data.transpose(order), "permute", (x,), _permute_backward, (order,))


def _permute_backward(g, needs, order):
    return (g.transpose(np.argsort(order)),)


def transpose(x: Tensor, axis0: int | None = None, axis1: int | None = None) -> Tensor:
    """Swap ``axis0`` and ``axis1``; with neither given, reverse all axes."""
    ndim = x.data.ndim
    if axis0 is None and axis1 is None:
        return permute(x, tuple(range(ndim - 1, -1, -1)))
    if axis0 is None or axis1 is None:
        raise TypeError(
            f"transpose: give both axes or neither; got axis0={axis0!r}, axis1={axis1!r}"
        )
    order = list(range(ndim))
    a, b = _axis(axis0, ndim, "transpose"), _axis(axis1, ndim, "transpose")
    order[a], order[b] = order[b], order[a]
    return permute(x, tuple(order))


def _index_parts(index: Any) -> tuple[Any, bool]:
    """The index with Tensors and lists turned into arrays, and whether it is advanced."""
    parts = index if isinstance(index, tuple) else (index,)
    converted = []
    advanced = False
    for part in parts:
        if isinstance(part, Tensor):
            part = part.data
        elif isinstance(part, list):
            part = np.asarray(part)
        if isinstance(part, np.ndarray):
            advanced = True
        converted.append(part)
    return (tuple(converted) if isinstance(index, tuple) else converted[0]), advanced


def getitem(x: Tensor, index: Any) -> Tensor:  # y = x[index]; dx scatters g back (adding repeats)
    xd = x.data
    key, advanced = _index_parts(index)
    try:
        y = xd[key]
    except IndexError as err:
        raise IndexError(
            f"getitem: bad index for shape {xd.shape}; got {index!r} ({err})"
        ) from None
    return record(y, "getitem", (x,), _getitem_backward, (xd.shape, xd.dtype, key, advanced))


def _getitem_backward(g, needs, shape, dtype, key, advanced):
    grad = np.zeros(shape, dtype=dtype)
    if advanced:
        np.add.at(grad, key, g)  # an index may repeat: its gradients add up
    else:
        grad[key] = g
    return (grad,)


def _operands(tensors: Sequence[Any], api: str) -> tuple[tuple[Any, ...], list[np.ndarray]]:
    if isinstance(tensors, (Tensor, np.ndarray)) or not len(tensors):
        raise TypeError(
            f"{api}: expected a non-empty sequence of Tensors; got {type(tensors).__name__}"
        )
    inputs = tuple(tensors)
    datas = []
    for t in inputs:
        if isinstance(t, Tensor):
            datas.append(t.data)
        elif isinstance(t, np.ndarray):
            datas.append(t)
        else:
            raise TypeError(f"{api}: expected Tensors or arrays; got {type(t).__name__}")
    return inputs, datas


def concatenate(tensors: Sequence[Tensor], axis: int = 0) -> Tensor:
    """Join tensors along an existing axis; each input gets its slice of the gradient.

    >>> from autograd import Tensor
    >>> concatenate([Tensor([[1.0, 2.0]]), Tensor([[3.0, 4.0]])], axis=0).shape
    (2, 2)
    """
    inputs, datas = _operands(tensors, "concatenate")
    try:
        y = np.concatenate(datas, axis=axis)
    except (ValueError, np.exceptions.AxisError) as err:
        shapes = ", ".join(str(d.shape) for d in datas)
        raise ValueError(
            f"concatenate: shapes do not fit along axis {axis}; got {shapes} ({err})"
        ) from None
    a = axis % y.ndim
    bounds = np.cumsum([d.shape[a] for d in datas])[:-1]
    dtypes = tuple(d.dtype for d in datas)
    return record(y, "concatenate", inputs, _concatenate_backward, (a, bounds, dtypes))


def _concatenate_backward(g, needs, a, bounds, dtypes):
    parts = np.split(g, bounds, axis=a)
    return tuple(
        p.astype(t, copy=False) if n else None
        for p, n, t in zip(parts, needs, dtypes, strict=True)
    )


def stack(tensors: Sequence[Tensor], axis: int = 0) -> Tensor:
    """Join same-shape tensors along a new axis.

    >>> from autograd import Tensor
    >>> stack([Tensor([1.0, 2.0]), Tensor([3.0, 4.0])], axis=1).shape
    (2, 2)
    """
    inputs, datas = _operands(tensors, "stack")
    try:
        y = np.stack(datas, axis=axis)
    except (ValueError, np.exceptions.AxisError) as err:
        shapes = ", ".join(str(d.shape) for d in datas)
        raise ValueError(f"stack: shapes must all be equal; got {shapes} ({err})") from None
    a = axis % y.ndim
    dtypes = tuple(d.dtype for d in datas)
    return record(y, "stack", inputs, _stack_backward, (a, dtypes))


def _stack_backward(g, needs, a, dtypes):
    return tuple(
        np.take(g, i, axis=a).astype(t, copy=False) if need else None
        for i, (need, t) in enumerate(zip(needs, dtypes, strict=True))
    )
