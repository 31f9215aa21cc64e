"""Shape ops: reshape, axis permutations, indexing, concatenate, stack; values move, none change."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from autograd.ops.reduce import dim_arg, normalize_axis
from autograd.record import record
from autograd.tensor import Tensor, _alias, _short


def _shape_arg(shape: Any, api: str) -> tuple[int, ...]:
    """An int or a tuple/list of ints as a tuple of ints, or a TypeError naming ``api``."""
    if isinstance(shape, (tuple, list)):
        items = tuple(shape)
    else:
        items = (shape,)
    for n in items:
        if not isinstance(n, (int, np.integer)) or isinstance(n, (bool, np.bool_)):
            raise TypeError(
                f"{api}: sizes must be ints; got {type(shape).__name__} {_short(shape)}, expected "
                "ints or a tuple of ints"
            )
    return tuple(int(n) for n in items)


def reshape(x: Tensor, shape: Any, op: str = "reshape") -> Tensor:  # same values; dx = g reshaped
    xd = x._data
    target = _shape_arg(shape, op)
    if target.count(-1) > 1 or any(n < -1 for n in target):
        raise ValueError(f"{op}: sizes must be non-negative, with at most one -1; got {target}")
    try:
        y = xd.reshape(target)
    except (ValueError, OverflowError):
        raise ValueError(
            f"{op}: cannot reshape {xd.shape} ({xd.size} elements) into {target}; the sizes "
            "must match (one size may be -1)"
        ) from None
    return _alias(record(y, op, (x,), _reshape_backward, (xd.shape,)), x)


def _reshape_backward(g, needs, shape):
    return (g.reshape(shape),)


def flatten(x: Tensor, start_dim: int = 0, end_dim: int = -1) -> Tensor:
    """Merge axes ``start_dim..end_dim`` into one (PyTorch's ``flatten``)."""
    shape = x._data.shape
    start = normalize_axis(start_dim, len(shape), "flatten")
    end = normalize_axis(end_dim, len(shape), "flatten")
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
    """Drop ``axis`` if it has size 1, or every size-1 axis.

    As in PyTorch, an axis of another size, or any axis of a 0-d tensor, leaves the shape as it is.
    """
    shape = x._data.shape
    if axis is None:
        return reshape(x, tuple(n for n in shape if n != 1), "squeeze")
    a = normalize_axis(axis, len(shape), "squeeze")
    if not shape or shape[a] != 1:
        return reshape(x, shape, "squeeze")
    return reshape(x, shape[:a] + shape[a + 1 :], "squeeze")


def unsqueeze(x: Tensor, axis: int) -> Tensor:
    """Insert a size-1 axis at ``axis`` (negative counts from the end of the result)."""
    shape = x._data.shape
    a = normalize_axis(axis, len(shape), "unsqueeze", extra=1)
    return reshape(x, shape[:a] + (1,) + shape[a:], "unsqueeze")


def permute(x: Tensor, axes: Sequence[int]) -> Tensor:  # y.shape[i] = x.shape[axes[i]]
    ndim = x._data.ndim
    order = tuple(normalize_axis(a, ndim, "permute") for a in _shape_arg(axes, "permute"))
    if sorted(order) != list(range(ndim)):
        raise ValueError(
            f"permute: axes must be a permutation of 0..{ndim - 1}; got {_short(axes)} for shape "
            f"{x._data.shape}"
        )
    y = x._data.transpose(order)
    return _alias(record(y, "permute", (x,), _permute_backward, (order,)), x)


def _permute_backward(g, needs, order):
    return (g.transpose(np.argsort(order)),)


def transpose(x: Tensor, axis0: int | None = None, axis1: int | None = None) -> Tensor:
    """Swap ``axis0`` and ``axis1``; with neither given, reverse all axes."""
    ndim = x._data.ndim
    if axis0 is None and axis1 is None:
        return permute(x, tuple(range(ndim - 1, -1, -1)))
    if axis0 is None or axis1 is None:
        raise TypeError(
            f"transpose: give both axes or neither; got axis0={axis0!r}, axis1={axis1!r}"
        )
    a, b = normalize_axis(axis0, ndim, "transpose"), normalize_axis(axis1, ndim, "transpose")
    order = list(range(ndim))
    if ndim:  # a 0-d tensor takes axes 0 and -1 and stays as it is
        order[a], order[b] = order[b], order[a]
    return permute(x, tuple(order))


def index_key(index: Any, api: str, shape: tuple[int, ...] | None = None) -> tuple[Any, bool]:
    """The index as numpy takes it, with PyTorch's meaning, and whether it is advanced.

    Every part is checked, so that a float, a string or a float array is a TypeError naming
    ``api``, not numpy's message. Tensors and lists become arrays; a 0-d integer tensor counts
    as an int and a bool scalar as a new axis, as in PyTorch. Where numpy would place the
    result's axes differently from PyTorch (ints mixed with index arrays, as in ``x[0, :, idx]``,
    whose result is (4, 2) in PyTorch and (2, 4) in numpy for x of shape (3, 4, 5)), the key
    becomes one integer array per axis of the tensor (``shape``) that gives PyTorch's result.
    """
    parts = index if isinstance(index, tuple) else (index,)
    converted: list[Any] = []
    advanced = scalars = bools = False
    for part in parts:
        if type(part) is int:  # the common case first: t[0], t[i, j]
            scalars = True
            converted.append(part)
            continue
        if type(part) is slice:
            for bound in (part.start, part.stop, part.step):
                if bound is not None and not isinstance(bound, (int, np.integer)):
                    raise TypeError(
                        f"{api}: slice bounds must be ints or None; got {part!r}, expected e.g. "
                        "t[1:3]"
                    )
            converted.append(part)
            continue
        if isinstance(part, Tensor):
            part = part._data
        elif isinstance(part, (list, tuple)):
            part = _index_array(part, index, api)
        elif isinstance(part, range):  # y_hat[range(len(y_hat)), y], as PyTorch takes it
            part = np.arange(part.start, part.stop, part.step)
        if isinstance(part, np.ndarray) and part.ndim == 0 and part.dtype.kind in "ib":
            part = part.item()  # PyTorch indexes with a 0-d integer tensor as with an int
        if isinstance(part, (bool, np.bool_)):  # a new axis of size 1 (True) or 0 (False)
            bools = True
        elif isinstance(part, np.ndarray):
            if part.dtype.kind not in "ib":
                raise TypeError(_index_dtype_message(part, index, api))
            advanced = True
        elif isinstance(part, (int, np.integer)):
            scalars = True
        elif not (part is None or part is Ellipsis):
            raise TypeError(
                f"{api}: bad index type; got {type(part).__name__} {_short(part)}, expected ints, "
                "slices, None, ..., or integer/boolean arrays or Tensors"
            )
        converted.append(part)
    if scalars and (advanced or bools):  # the one case where numpy and PyTorch differ
        if shape is None:
            raise TypeError(
                f"{api}: an index that mixes ints with index arrays or bools places axes "
                f"differently in numpy and PyTorch; got {_short(index)}. Write it in two "
                "steps, e.g. x[0][:, idx] for x[0, :, idx]"
            )
        return _torch_key(converted, shape, index, api), True
    return (tuple(converted) if isinstance(index, tuple) else converted[0]), advanced


def _index_dtype_message(part: np.ndarray, index: Any, api: str) -> str:
    """Why an index array of this dtype is refused, and how to convert it."""
    if part.dtype.kind == "u":  # numpy reads uint8 as indices, PyTorch as a mask
        hint = "Convert it first: idx.bool() for a mask, idx.long() for indices"
        what = "unsigned index arrays are ambiguous (PyTorch reads uint8 as a mask)"
    else:
        floats = part.dtype.kind == "f"
        hint = "Convert it first, e.g. idx.long() or idx.astype('int64')" if floats else ""
        what = "index arrays must hold integers or booleans"
    return f"{api}: {what}; got dtype {part.dtype} in the index {_short(index)}. {hint}".rstrip()


def _torch_key(parts: list[Any], shape: tuple[int, ...], index: Any, api: str) -> tuple:
    """One integer array per axis of a tensor of ``shape``, broadcast to PyTorch's result shape.

    PyTorch first applies the ints, slices and None (an int drops its axis), then the index
    arrays; a bool adds an axis of size 1 and indexes it with the mask [True] or [False]. The
    broadcast shape of the index arrays goes where the first of them stood if they are adjacent
    (no slice or None between them), else in front, as in numpy.
    """
    parts = [bool(p) if isinstance(p, np.bool_) else p for p in parts]
    consumed = sum(_axes_indexed(p) for p in parts if p is not Ellipsis)
    if consumed > len(shape):
        raise index_error(index, tuple(parts), shape, api)
    ellipses = [i for i, p in enumerate(parts) if p is Ellipsis]  # not `in`: arrays compare
    at = ellipses[0] if ellipses else len(parts)
    parts = parts[:at] + [slice(None)] * (len(shape) - consumed) + parts[at + 1 :]  # ... as :
    # ("dim", values of a slice) | ("new", None) | ("int", i) | ("adv", index arrays, shape)
    items: list[tuple[str, Any, tuple[int, ...]]] = []
    axis = 0
    for p in parts:
        if p is None:
            items.append(("new", None, ()))
        elif isinstance(p, bool):
            items.append(("adv", (), (int(p),)))  # a new axis, masked: no axis of the tensor
        elif isinstance(p, slice):
            items.append(("dim", np.arange(shape[axis])[p], ()))
            axis += 1
        elif isinstance(p, np.ndarray) and p.dtype == np.bool_:
            if p.shape != shape[axis : axis + p.ndim]:
                raise index_error(index, tuple(parts), shape, api)
            items.append(("adv", np.nonzero(p), (int(p.sum()),)))
            axis += p.ndim
        elif isinstance(p, np.ndarray):
            items.append(("adv", (p,), p.shape))
            axis += 1
        else:
            items.append(("int", p, ()))
            axis += 1
    try:
        block = np.broadcast_shapes(*[s for kind, _, s in items if kind == "adv"])
    except ValueError:
        raise index_error(index, tuple(parts), shape, api) from None
    dims = [kind for kind, _, _ in items if kind != "int"]  # the result's axes, in order
    where = [i for i, kind in enumerate(dims) if kind == "adv"]
    adjacent = not where or where[-1] - where[0] + 1 == len(where)
    start = where[0] if where and adjacent else 0  # the result axis of the broadcast block
    sizes = [len(a) if kind == "dim" else 1 for kind, a, _ in items if kind in ("dim", "new")]
    result = tuple(sizes[:start]) + block + tuple(sizes[start:])
    tail = len(result) - start - len(block)
    key = []
    count = 0  # slices and None seen so far
    for kind, a, _ in items:
        if kind == "int":
            key.append(np.asarray(a, dtype=np.intp))
        elif kind == "adv":
            key += [x.reshape(x.shape + (1,) * tail) for x in a]
        else:
            position = count + (len(block) if count >= start else 0)
            if kind == "dim":
                key.append(a.reshape((1,) * position + (-1,) + (1,) * (len(result) - position - 1)))
            count += 1
    return tuple(np.broadcast_to(k, result) for k in key)


def _index_array(part: list | tuple, index: Any, api: str) -> np.ndarray:
    """A list (or a tuple inside a tuple index) of indices as an integer or boolean array."""
    try:
        array = np.asarray(part)
    except ValueError:
        raise TypeError(
            f"{api}: an index list must be rectangular; got {_short(part)} in the index "
            f"{_short(index)}"
        ) from None
    return array.astype(np.intp) if array.size == 0 else array  # [] selects nothing


def index_error(index: Any, key: Any, shape: tuple[int, ...], api: str) -> IndexError:
    """The IndexError for an index that numpy refused although every part had the right type."""
    parts = key if isinstance(key, tuple) else (key,)
    count = sum(_axes_indexed(p) for p in parts)
    if count > len(shape):
        reason = f"too many indices; got {count}, expected at most {len(shape)}"
    else:
        reason = (
            "an index is out of range; expected integers in [-n, n - 1] for an axis of size n, "
            "boolean masks of the indexed axes' shape, and index arrays that broadcast together"
        )
    return IndexError(f"{api}: bad index for shape {shape}; got {_short(index)}: {reason}")


def _axes_indexed(part: Any) -> int:
    """How many axes of the tensor one part of an index consumes."""
    if part is None or part is Ellipsis or isinstance(part, (bool, np.bool_)):
        return 0  # None and a bool scalar add an axis; ... stands for the rest
    if isinstance(part, np.ndarray) and part.dtype == np.bool_:
        return part.ndim  # a mask covers as many axes as it has dims
    return 1


def getitem(x: Tensor, index: Any) -> Tensor:  # y = x[index]; dx scatters g back (adding repeats)
    xd = x._data
    key, advanced = index_key(index, "getitem", xd.shape)
    try:
        y = xd[key]
    except (IndexError, OverflowError):
        raise index_error(index, key, xd.shape, "getitem") from None
    saved = (xd.shape, xd.dtype, key, advanced)
    return _alias(record(y, "getitem", (x,), _getitem_backward, saved), x)


def _getitem_backward(g, needs, shape, dtype, key, advanced):
    grad = np.zeros(shape, dtype=dtype)
    if advanced:
        np.add.at(grad, key, g)  # an index may repeat: its gradients add up
    else:
        grad[key] = g
    return (grad,)


def _operands(tensors: Sequence[Any], api: str) -> tuple[tuple[Any, ...], list[np.ndarray]]:
    if not isinstance(tensors, (list, tuple)) or not tensors:
        raise TypeError(
            f"{api}: expected a non-empty list or tuple of Tensors; got {type(tensors).__name__} "
            f"{_short(tensors)}"
        )
    inputs = tuple(tensors)
    datas = []
    for t in inputs:
        if isinstance(t, Tensor):
            datas.append(t._data)
        elif isinstance(t, np.ndarray) and t.dtype.kind in "fiub":
            datas.append(t)
        else:
            raise TypeError(
                f"{api}: expected Tensors or numeric arrays; got {type(t).__name__} {_short(t)}"
            )
    return inputs, datas


def concatenate(
    tensors: Sequence[Tensor], dim: int | None = None, *, axis: int | None = None
) -> Tensor:
    """Join tensors along an existing dim (``dim``, or numpy's ``axis``; 0 by default); each
    input gets its slice of the gradient. ``autograd.cat`` is this function (PyTorch's name).

    >>> from autograd import Tensor
    >>> concatenate([Tensor([[1.0, 2.0]]), Tensor([[3.0, 4.0]])], dim=0).shape
    (2, 2)
    """
    given = dim_arg(dim, axis, "concatenate")
    axis = 0 if given is None else given
    inputs, datas = _operands(tensors, "concatenate")
    shapes = [d.shape for d in datas]
    listed = ", ".join(str(s) for s in shapes)
    if not all(shapes):
        raise ValueError(
            f"concatenate: 0-d tensors have no axis to join along; got shapes {listed}. Use stack"
        )
    a = normalize_axis(axis, len(shapes[0]), "concatenate")
    rest = [s[:a] + s[a + 1 :] for s in shapes]
    if any(len(s) != len(shapes[0]) or r != rest[0] for s, r in zip(shapes, rest)):
        raise ValueError(
            f"concatenate: shapes do not fit along axis {axis}; got {listed}, expected equal "
            "sizes in every other axis"
        )
    y = np.concatenate(datas, axis=a)
    bounds = np.cumsum([d.shape[a] for d in datas])[:-1]
    dtypes = tuple(d.dtype for d in datas)
    return record(y, "concatenate", inputs, _concatenate_backward, (a, bounds, dtypes))


def _concatenate_backward(g, needs, a, bounds, dtypes):
    parts = np.split(g, bounds, axis=a)
    return tuple(
        p.astype(t, copy=False) if n else None for p, n, t in zip(parts, needs, dtypes, strict=True)
    )


def stack(tensors: Sequence[Tensor], dim: int | None = None, *, axis: int | None = None) -> Tensor:
    """Join same-shape tensors along a new dim (``dim``, or numpy's ``axis``; 0 by default).

    >>> from autograd import Tensor
    >>> stack([Tensor([1.0, 2.0]), Tensor([3.0, 4.0])], dim=1).shape
    (2, 2)
    """
    given = dim_arg(dim, axis, "stack")
    axis = 0 if given is None else given
    inputs, datas = _operands(tensors, "stack")
    shapes = [d.shape for d in datas]
    if any(s != shapes[0] for s in shapes):
        listed = ", ".join(str(s) for s in shapes)
        raise ValueError(f"stack: shapes must all be equal; got {listed}")
    a = normalize_axis(axis, len(shapes[0]), "stack", extra=1)
    y = np.stack(datas, axis=a)
    dtypes = tuple(d.dtype for d in datas)
    return record(y, "stack", inputs, _stack_backward, (a, dtypes))


def _stack_backward(g, needs, a, dtypes):
    return tuple(
        np.take(g, i, axis=a).astype(t, copy=False) if need else None
        for i, (need, t) in enumerate(zip(needs, dtypes, strict=True))
    )
