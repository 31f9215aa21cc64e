"""Reductions over dims (sum, mean, max, min, amax, amin, var, std, argmax, argmin, all, any).

Each backward spreads the gradient back out over the elements that were reduced. Every reduction
takes PyTorch's spellings ``dim``/``keepdim`` and numpy's ``axis``/``keepdims``; giving both
spellings of one argument is a TypeError. ``max(dim)`` and ``min(dim)`` return ``(values,
indices)`` as PyTorch does; ``amax``/``amin`` give the values alone.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from numbers import Real
from typing import Any, NamedTuple

import numpy as np

from autograd.ops import elementwise as _ew
from autograd.record import OUTPUT, _leaf, record
from autograd.tensor import Tensor, _short

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

    A 0-d tensor has no axis to reduce: 0 and -1 are accepted and give ``()``. An empty tuple is
    refused: PyTorch and numpy read it differently.
    """
    if axis is None:
        return tuple(range(ndim))
    items = tuple(axis) if isinstance(axis, (tuple, list)) else (axis,)
    if not items:
        raise ValueError(
            f"{api}: an empty tuple of dims is ambiguous; got {axis!r}, expected None for all dims "
            "(PyTorch's sum reads () as all dims, numpy as none)"
        )
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


def dim_arg(dim: Any, axis: Any, api: str, names: tuple[str, str] = ("dim", "axis")) -> Any:
    """The dim given as PyTorch's ``dim`` or as numpy's ``axis`` (None when neither is given).

    >>> dim_arg(None, 1, "sum"), dim_arg(0, None, "sum")
    (1, 0)
    """
    if axis is None:
        return dim
    if dim is not None:
        raise TypeError(
            f"{api}: got both {names[0]}={_short(dim)} and {names[1]}={_short(axis)}; expected "
            f"one of them ({names[1]} is numpy's name for PyTorch's {names[0]})"
        )
    return axis


def keepdims_flag(keepdim: object, api: str, keepdims: object = None) -> bool:
    """``keepdim`` (or numpy's ``keepdims``) checked to be a bool; neither given means False.

    numpy would take any object's truth value; a string or a number here is a mistake.
    """
    if keepdims is not None:
        if keepdim is not None:
            raise TypeError(
                f"{api}: got both keepdim={_short(keepdim)} and keepdims={_short(keepdims)}; "
                "expected one of them (keepdims is numpy's name for PyTorch's keepdim)"
            )
        keepdim = keepdims
    if keepdim is None:
        return False
    if not isinstance(keepdim, (bool, np.bool_)):
        raise TypeError(
            f"{api}: keepdim must be True or False; got {type(keepdim).__name__} {_short(keepdim)}"
        )
    return bool(keepdim)


def _keep(g: np.ndarray, axes: tuple[int, ...], keepdims: bool) -> np.ndarray:
    """The reduced gradient with the reduced axes back as size 1, ready to broadcast."""
    return g if keepdims or not axes else np.expand_dims(g, axes)


# ---- sum, mean ---------------------------------------------------------------------------------


def reduce_sum(
    x: Tensor,
    dim: Axis = None,
    keepdim: bool | None = None,
    *,
    axis: Axis = None,
    keepdims: bool | None = None,
) -> Tensor:
    r"""$\sum$ over ``dim``; each input element gets the gradient of its sum."""
    xd = x._data
    if axis is not None:
        dim = dim_arg(dim, axis, "sum")
    axes, keepdim = normalize_axes(dim, xd.ndim, "sum"), keepdims_flag(keepdim, "sum", keepdims)
    y = xd.sum(axis=axes, keepdims=keepdim)
    return record(y, "sum", (x,), _sum_backward, (xd.shape, axes, keepdim))


def _sum_backward(g, needs, shape, axes, keepdims):
    return (np.broadcast_to(_keep(g, axes, keepdims), shape),)


def reduce_mean(
    x: Tensor,
    dim: Axis = None,
    keepdim: bool | None = None,
    *,
    axis: Axis = None,
    keepdims: bool | None = None,
) -> Tensor:
    r"""$\frac{1}{n}\sum$ over ``dim``; each input element gets 1/n of the gradient."""
    xd = x._data
    if axis is not None:
        dim = dim_arg(dim, axis, "mean")
    axes, keepdim = normalize_axes(dim, xd.ndim, "mean"), keepdims_flag(keepdim, "mean", keepdims)
    count = int(np.prod([xd.shape[a] for a in axes]))
    y = xd.mean(axis=axes, keepdims=keepdim)
    return record(y, "mean", (x,), _mean_backward, (xd.shape, axes, keepdim, count))


def _mean_backward(g, needs, shape, axes, keepdims, count):
    return (np.broadcast_to(_keep(g, axes, keepdims) / count, shape),)


# ---- max, min: (values, indices) along one dim; amax, amin: the values ---------------------------


class ValuesIndices(NamedTuple):
    """What ``max(dim)`` and ``min(dim)`` return, as PyTorch's ``torch.return_types.max``.

    ``values`` is differentiable (the gradient goes to the selected element); ``indices`` is an
    int64 tensor of the first position holding it. Unpacking works, ``_, predicted =
    logits.max(1)``; using the pair as if it were the values raises an error saying so.
    """

    values: Tensor
    indices: Tensor

    def __getattr__(self, name: str) -> Any:
        raise AttributeError(
            f"max/min: the result of max(dim) or min(dim) is a (values, indices) pair, as in "
            f"PyTorch; got a request for {name!r}, expected .values or .indices. For the values "
            "alone use amax(dim) or amin(dim)"
        )

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        raise TypeError(
            "max/min: the result of max(dim) or min(dim) is a (values, indices) pair, not an "
            "array; got it where an array was expected. Use .values, or amax(dim) / amin(dim)"
        )


def reduce_max(
    x: Tensor,
    dim: Any = None,
    keepdim: bool | None = None,
    *,
    axis: Any = None,
    keepdims: bool | None = None,
) -> Tensor | ValuesIndices:
    """PyTorch's ``max``: no dim gives the largest element; an int dim gives ``(values,
    indices)``; a Tensor gives the elementwise maximum.

    >>> values, indices = Tensor([[1.0, 3.0, 3.0], [2.0, 0.0, 1.0]]).max(1)
    >>> values.tolist(), indices.tolist()
    ([3.0, 2.0], [1, 0])
    """
    return _max_or_min(x, dim, keepdim, axis, keepdims, "max")


def reduce_min(
    x: Tensor,
    dim: Any = None,
    keepdim: bool | None = None,
    *,
    axis: Any = None,
    keepdims: bool | None = None,
) -> Tensor | ValuesIndices:
    """PyTorch's ``min``: no dim gives the smallest element; an int dim gives ``(values,
    indices)``; a Tensor gives the elementwise minimum."""
    return _max_or_min(x, dim, keepdim, axis, keepdims, "min")


def _max_or_min(
    x: Tensor, dim: Any, keepdim: Any, axis: Any, keepdims: Any, op: str
) -> Tensor | ValuesIndices:
    dim = dim_arg(dim, axis, op)
    if isinstance(dim, (Tensor, np.ndarray)):  # torch.max(a, b) is the elementwise maximum
        if keepdim is not None or keepdims is not None:
            raise TypeError(
                f"{op}: keepdim goes with a dim; got a {type(dim).__name__} as the other operand, "
                f"expected {op}(other) alone for the elementwise {op}imum"
            )
        return _ew.maximum(x, dim) if op == "max" else _ew.minimum(x, dim)
    keep = keepdims_flag(keepdim, op, keepdims)
    if dim is None:
        return _extremum(x, None, keep, op)
    if isinstance(dim, (tuple, list)):
        word = "largest" if op == "max" else "smallest"
        raise TypeError(
            f"{op}: dim must be one int; got {type(dim).__name__} {_short(dim)}, expected an int, "
            f"as in PyTorch, where {op}(dim) returns (values, indices) along one dim. For the "
            f"{word} values over several dims use a{op}(dim={_short(dim)})"
        )
    xd = x._data
    work, a, idx = _positions(xd, dim, op, np.argmax if op == "max" else np.argmin)
    values = np.take_along_axis(work, idx, axis=a)
    out_shape = _result_shape(xd.shape, a, keep)
    saved = (work.shape, xd.shape, idx, a)
    values_node = record(values.reshape(out_shape), op, (x,), _select_backward, saved)
    return ValuesIndices(values_node, _leaf(idx.reshape(out_shape)))


def _positions(xd: np.ndarray, dim: Any, op: str, finder) -> tuple[np.ndarray, int, np.ndarray]:
    """``xd`` (a 0-d array as one element), the checked axis, and ``finder``'s int64 positions
    along it with the axis kept as size 1."""
    a = normalize_axis(dim, xd.ndim, op)
    work = xd.reshape(1) if xd.ndim == 0 else xd
    if work.shape[a] == 0:
        raise ValueError(
            f"{op}: cannot reduce an empty dim; got dim {dim} of size 0 in shape {xd.shape}, "
            "expected at least one element along it"
        )
    return work, a, finder(work, axis=a, keepdims=True).astype(np.int64, copy=False)


def _result_shape(shape: tuple[int, ...], a: int, keep: bool) -> tuple[int, ...]:
    """The shape after reducing axis ``a`` (a 0-d input stays 0-d)."""
    if not shape:
        return ()
    return shape[:a] + ((1,) if keep else ()) + shape[a + 1 :]


def _select_backward(g, needs, work_shape, shape, idx, a):
    grad = np.zeros(work_shape, dtype=g.dtype)
    np.put_along_axis(grad, idx, g.reshape(idx.shape), axis=a)  # only the selected element
    return (grad.reshape(shape),)


def amax(
    x: Tensor,
    dim: Axis = None,
    keepdim: bool | None = None,
    *,
    axis: Axis = None,
    keepdims: bool | None = None,
) -> Tensor:
    """Largest element over ``dim`` (one dim, several, or all); ties share the gradient evenly.

    >>> Tensor([[1.0, 3.0], [4.0, 2.0]]).amax(dim=0)
    Tensor([4., 3.], dtype=float32)
    """
    return _extremum(
        x, dim_arg(dim, axis, "amax"), keepdims_flag(keepdim, "amax", keepdims), "amax"
    )


def amin(
    x: Tensor,
    dim: Axis = None,
    keepdim: bool | None = None,
    *,
    axis: Axis = None,
    keepdims: bool | None = None,
) -> Tensor:
    """Smallest element over ``dim`` (one dim, several, or all); ties share the gradient evenly."""
    return _extremum(
        x, dim_arg(dim, axis, "amin"), keepdims_flag(keepdim, "amin", keepdims), "amin"
    )


def _extremum(x: Tensor, axis: Axis, keepdims: bool, op: str) -> Tensor:
    xd = x._data
    axes = normalize_axes(axis, xd.ndim, op)
    if any(xd.shape[a] == 0 for a in axes):
        raise ValueError(
            f"{op}: cannot reduce an empty tensor over an empty dim; got shape {xd.shape}, "
            "expected at least one element along every reduced dim"
        )
    y = (np.max if op in ("max", "amax") else np.min)(xd, axis=axes, keepdims=True)
    out = y if keepdims else np.squeeze(y, axis=axes)
    return record(out, op, (x,), _extremum_backward, (xd, y, axes, keepdims), reads=(x, OUTPUT))


def _extremum_backward(g, needs, x, y, axes, keepdims):
    hit = x == y
    share = _keep(g, axes, keepdims) / hit.sum(axis=axes, keepdims=True)
    return ((hit * share).astype(x.dtype, copy=False),)


# ---- argmax, argmin ----------------------------------------------------------------------------


def argmax(
    x: Tensor,
    dim: int | None = None,
    keepdim: bool | None = None,
    *,
    axis: int | None = None,
    keepdims: bool | None = None,
) -> Tensor:
    """Position of the largest element (the first one among ties) as int64, outside the graph;
    without a dim, the position in the flattened tensor.

    >>> Tensor([[1.0, 3.0, 3.0]]).argmax(dim=1)
    Tensor([1], dtype=int64)
    """
    return _arg(
        x,
        dim_arg(dim, axis, "argmax"),
        keepdims_flag(keepdim, "argmax", keepdims),
        "argmax",
        np.argmax,
    )


def argmin(
    x: Tensor,
    dim: int | None = None,
    keepdim: bool | None = None,
    *,
    axis: int | None = None,
    keepdims: bool | None = None,
) -> Tensor:
    """Position of the smallest element (the first one among ties) as int64, outside the graph;
    without a dim, the position in the flattened tensor."""
    return _arg(
        x,
        dim_arg(dim, axis, "argmin"),
        keepdims_flag(keepdim, "argmin", keepdims),
        "argmin",
        np.argmin,
    )


def _arg(x: Tensor, dim: Any, keep: bool, op: str, finder) -> Tensor:
    xd = x._data
    if dim is not None:
        _, a, idx = _positions(xd, dim, op, finder)
        return _leaf(idx.reshape(_result_shape(xd.shape, a, keep)))
    if xd.size == 0:
        raise ValueError(
            f"{op}: cannot find a position in an empty tensor; got shape {xd.shape}, expected "
            "at least one element (or a dim to reduce)"
        )
    return _leaf(np.full((1,) * xd.ndim if keep else (), finder(xd), dtype=np.int64))


# ---- var, std ----------------------------------------------------------------------------------


def var(
    x: Tensor,
    dim: Axis | bool = None,
    unbiased: bool | None = None,
    keepdim: bool | None = None,
    *,
    correction: float | None = None,
    axis: Axis = None,
    keepdims: bool | None = None,
) -> Tensor:
    r"""Variance $\frac{1}{n - c}\sum (x - \bar x)^2$ over ``dim``; dx = 2 (x - x̄) / (n - c).

    As in PyTorch, the default is unbiased (correction c = 1, Bessel's), not numpy's ``ddof=0``;
    ``unbiased=False`` or ``correction=0`` gives the population variance. ``var(False)`` is
    PyTorch's ``var(unbiased)`` form.

    >>> x = Tensor([1.0, 2.0, 3.0, 4.0])
    >>> x.var().item(), x.var(0, False).item(), x.var(correction=0).item()
    (1.667, 1.25, 1.25)
    """
    return _spread(x, dim, unbiased, keepdim, correction, axis, keepdims, "var")


def std(
    x: Tensor,
    dim: Axis | bool = None,
    unbiased: bool | None = None,
    keepdim: bool | None = None,
    *,
    correction: float | None = None,
    axis: Axis = None,
    keepdims: bool | None = None,
) -> Tensor:
    r"""Standard deviation $\sqrt{\mathrm{var}}$ over ``dim``, unbiased by default (see `var`);
    dx = (x - x̄) / ((n - c)·std), and 0 where std is 0, as in PyTorch."""
    return _spread(x, dim, unbiased, keepdim, correction, axis, keepdims, "std")


def _spread(
    x: Tensor,
    dim: Any,
    unbiased: Any,
    keepdim: Any,
    correction: Any,
    axis: Any,
    keepdims: Any,
    op: str,
) -> Tensor:
    if isinstance(dim, (bool, np.bool_)):  # PyTorch's var(unbiased) overload
        if unbiased is not None:
            raise TypeError(
                f"{op}: got a bool as dim and unbiased={_short(unbiased)}; expected "
                f"{op}(dim, unbiased) or {op}(unbiased)"
            )
        dim, unbiased = None, dim
    dim = dim_arg(dim, axis, op)
    keep = keepdims_flag(keepdim, op, keepdims)
    c = _correction(unbiased, correction, op)
    xd = x._data
    if xd.dtype.kind != "f":
        raise TypeError(
            f"{op}: needs a floating-point tensor, as in PyTorch; got dtype {xd.dtype}, expected "
            "float32 or float64. Convert first, e.g. x.float()"
        )
    axes = normalize_axes(dim, xd.ndim, op)
    n = math.prod(xd.shape[a] for a in axes)
    div = max(0, n - c)
    if div == 0:
        warnings.warn(
            f"{op}: degrees of freedom is <= 0; got {n} values per result and correction {c}, "
            "expected more values than the correction. The result is nan or inf",
            RuntimeWarning,
            stacklevel=4,  # the caller of Tensor.var
        )
    with np.errstate(all="ignore"):
        centered = xd - xd.sum(axis=axes, keepdims=True) / n if n else xd.copy()
        y = (centered * centered).sum(axis=axes, keepdims=True) / div
        if op == "std":
            y = np.sqrt(y)
    out = y if keep else np.squeeze(y, axis=axes)
    scale = 2.0 / div if div else math.inf
    if op == "var":
        return record(out, op, (x,), _var_backward, (centered, scale, axes, keep))
    return record(out, op, (x,), _std_backward, (centered, scale, y, axes, keep))


def _correction(unbiased: Any, correction: Any, op: str) -> float:
    """The c of n - c: 1 unless ``unbiased=False`` or ``correction`` says otherwise."""
    if unbiased is not None and correction is not None:
        raise TypeError(
            f"{op}: got both unbiased={_short(unbiased)} and correction={_short(correction)}; "
            "expected one of them (unbiased=False is correction=0)"
        )
    if unbiased is not None:
        if not isinstance(unbiased, (bool, np.bool_)):
            raise TypeError(
                f"{op}: unbiased must be True or False; got {type(unbiased).__name__} "
                f"{_short(unbiased)}"
            )
        return 1 if unbiased else 0
    if correction is None:
        return 1
    if not isinstance(correction, Real) or isinstance(correction, (bool, np.bool_)):
        raise TypeError(
            f"{op}: correction must be a number; got {type(correction).__name__} "
            f"{_short(correction)}, expected e.g. 0 or 1"
        )
    try:
        value = float(correction)
    except OverflowError:  # an int beyond float's range
        value = math.inf
    if not math.isfinite(value):
        raise ValueError(f"{op}: correction must be finite; got {_short(correction)}")
    return int(value) if value.is_integer() else value


def _var_backward(g, needs, centered, scale, axes, keepdims):
    with np.errstate(all="ignore"):
        return (_keep(g, axes, keepdims) * scale * centered,)


def _std_backward(g, needs, centered, scale, y, axes, keepdims):
    with np.errstate(all="ignore"):
        g_var = np.where(y == 0, 0, _keep(g, axes, keepdims) / (2 * y))  # d sqrt(v) = dv / 2√v
        return ((g_var * scale * centered).astype(centered.dtype, copy=False),)


# ---- all, any ----------------------------------------------------------------------------------


def reduce_all(
    x: Tensor,
    dim: Axis = None,
    keepdim: bool | None = None,
    *,
    axis: Axis = None,
    keepdims: bool | None = None,
) -> Tensor:
    """Whether every element over ``dim`` is nonzero, as a bool tensor outside the graph.

    >>> (Tensor([[1.0, 0.0], [2.0, 3.0]]) > 0).all(dim=1)
    Tensor([False,  True], dtype=bool)
    """
    return _logical(x, dim, keepdim, axis, keepdims, "all", np.all)


def reduce_any(
    x: Tensor,
    dim: Axis = None,
    keepdim: bool | None = None,
    *,
    axis: Axis = None,
    keepdims: bool | None = None,
) -> Tensor:
    """Whether some element over ``dim`` is nonzero, as a bool tensor outside the graph."""
    return _logical(x, dim, keepdim, axis, keepdims, "any", np.any)


def _logical(x: Tensor, dim: Any, keepdim: Any, axis: Any, keepdims: Any, op: str, fn) -> Tensor:
    xd = x._data
    axes = normalize_axes(dim_arg(dim, axis, op), xd.ndim, op)
    return _leaf(np.asarray(fn(xd, axis=axes, keepdims=keepdims_flag(keepdim, op, keepdims))))
