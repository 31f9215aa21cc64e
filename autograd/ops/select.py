"""Selection ops: `where` picks from two tensors, `gather` reads along a dim, `pad` widens a border.

Each moves values without changing them, so each backward routes the gradient back to where a value
came from (adding where one value was read several times).
"""

from __future__ import annotations

from collections.abc import Sequence
from numbers import Real
from typing import Any

import numpy as np

from autograd.modes import flags
from autograd.ops.elementwise import operand
from autograd.ops.reduce import normalize_axis
from autograd.record import _leaf, record, unbroadcast
from autograd.tensor import Tensor, _short


def _condition(condition: Any, api: str) -> np.ndarray:
    """The mask of `where`: a bool Tensor or array (PyTorch refuses other dtypes too)."""
    data = condition._data if isinstance(condition, Tensor) else condition
    if isinstance(data, (list, tuple, bool, np.bool_)):
        data = np.asarray(data)
    if not isinstance(data, np.ndarray):
        raise TypeError(
            f"{api}: condition must be a bool Tensor or array; got {type(condition).__name__} "
            f"{_short(condition)}"
        )
    if data.dtype != np.bool_:
        raise TypeError(
            f"{api}: condition must hold booleans; got dtype {data.dtype}, expected bool. "
            "Compare first, e.g. where(x > 0, x, y)"
        )
    return data


def nonzero(condition: Any) -> tuple[Tensor, ...]:
    """The indices of the True entries, one int64 tensor per dim (``where(condition)``)."""
    mask = _condition(condition, "where")
    return tuple(_leaf(i.astype(np.int64)) for i in np.nonzero(mask))


def where(condition: Any, x: Any, y: Any) -> Tensor:  # c ? x : y; dx = g·c, dy = g·¬c
    """``x`` where ``condition`` holds, else ``y``; all three broadcast together."""
    mask = _condition(condition, "where")
    xd, yd = operand(x, "where"), operand(y, "where")
    try:
        out = np.where(mask, xd, yd)
    except ValueError:
        raise ValueError(
            f"where: shapes {mask.shape}, {np.shape(xd)} and {np.shape(yd)} cannot be broadcast "
            "together; expected the condition, input and other to broadcast to one shape"
        ) from None
    if not isinstance(xd, np.ndarray) and not isinstance(yd, np.ndarray) and out.dtype.kind == "f":
        out = out.astype(flags.default_dtype)  # two numbers give the default dtype, as in PyTorch
    # a copy: the condition is no input of the op, so the version counter cannot guard it
    saved = (mask.copy(), np.shape(xd), np.shape(yd), np.result_type(xd), np.result_type(yd))
    return record(out, "where", (x, y), _where_backward, saved)


def _where_backward(g, needs, mask, shape_x, shape_y, dtype_x, dtype_y):
    grad_x = grad_y = None
    if needs[0]:
        grad_x = unbroadcast(g * mask, np.empty(shape_x, dtype_x))
    if needs[1]:
        grad_y = unbroadcast(g * ~mask, np.empty(shape_y, dtype_y))
    return grad_x, grad_y


def gather(x: Tensor, dim: int, index: Any) -> Tensor:
    """``out[i][j][k] = x[index[i][j][k]][j][k]`` for ``dim=0`` (likewise for other dims).

    As in PyTorch: ``index`` is an integer tensor with as many dims as ``x`` and no larger than
    ``x`` outside ``dim``; the result has index's shape. The backward scatter-adds.
    """
    xd = x._data
    idx = index._data if isinstance(index, Tensor) else index
    if not isinstance(idx, np.ndarray) or idx.dtype.kind not in "iu":
        what = f"dtype {idx.dtype}" if isinstance(idx, np.ndarray) else type(index).__name__
        raise TypeError(
            f"gather: index must be an integer (int64) tensor; got {what}, expected int64. "
            "Convert first, e.g. index.astype('int64')"
        )
    if idx.ndim != xd.ndim:
        raise ValueError(
            f"gather: index must have as many dims as the input; got index shape {idx.shape} for "
            f"input shape {xd.shape}"
        )
    d = normalize_axis(dim, xd.ndim, "gather")
    for a, (n, m) in enumerate(zip(idx.shape, xd.shape)):
        if a != d and n > m:
            raise ValueError(
                f"gather: index is larger than the input outside dim {dim}; got index shape "
                f"{idx.shape} for input shape {xd.shape}, expected index.shape[{a}] <= {m}"
            )
    size = xd.shape[d] if xd.ndim else 1
    if idx.size and (idx.min() < 0 or idx.max() >= size):
        bad = idx.min() if idx.min() < 0 else idx.max()
        raise IndexError(
            f"gather: index {bad} is out of bounds for dim {dim} with size {size}; expected "
            f"indices in [0, {size - 1}]"
        )
    key = _gather_key(idx.astype(np.intp), d)  # a copy, for the reason given in `where`
    return record(xd[key], "gather", (x,), _gather_backward, (xd.shape, xd.dtype, key))


def _gather_key(idx: np.ndarray, d: int) -> tuple[np.ndarray, ...]:
    """The numpy index that reads ``x`` at ``idx`` along ``d`` and at the same place elsewhere."""
    if idx.ndim == 0:
        return ()
    grid = list(np.ogrid[tuple(slice(n) for n in idx.shape)])
    grid[d] = idx
    return tuple(grid)


def _gather_backward(g, needs, shape, dtype, key):
    grad = np.zeros(shape, dtype=dtype)
    np.add.at(grad, key, g)  # an index may repeat: its gradients add up
    return (grad,)


_MODES = ("constant", "reflect", "replicate", "circular")


def pad(
    x: Tensor, pad: Sequence[int], mode: str = "constant", value: float | None = None
) -> Tensor:
    """Widen (or, with negative sizes, crop) the last dims, as ``torch.nn.functional.pad``.

    ``pad`` lists (before, after) pairs starting from the LAST dim: ``(1, 2)`` pads the last dim
    by 1 before and 2 after, ``(1, 1, 3, 3)`` also the second-to-last by 3 on each side. Modes:
    ``"constant"`` fills with ``value`` (0 by default) on any number of dims; ``"reflect"``
    (mirror without repeating the edge), ``"replicate"`` (repeat the edge) and ``"circular"``
    (wrap around) pad the last 1, 2 or 3 dims of a batch, with PyTorch's limits.
    """
    xd = x._data
    widths = _pad_widths(pad, xd.shape)
    if mode not in _MODES:
        raise ValueError(f"pad: unknown mode; got {_short(mode)}, expected one of {_MODES}")
    if mode == "constant":
        if value is not None and not isinstance(value, Real):
            raise TypeError(
                f"pad: value must be a number; got {type(value).__name__} {_short(value)}"
            )
        return _pad_constant(x, widths, 0 if value is None else value)
    if value is not None:
        raise ValueError(
            f"pad: mode {mode!r} takes no value; got value={_short(value)}, expected None "
            "(only mode='constant' fills with a value)"
        )
    _check_mode(mode, widths, xd.shape, len(pad))
    key = np.ix_(*[_source(n, lo, hi, mode) for n, (lo, hi) in zip(xd.shape, widths)])
    return record(xd[key], "pad", (x,), _pad_index_backward, (xd.shape, xd.dtype, key))


def _pad_widths(pad: Any, shape: tuple[int, ...]) -> list[tuple[int, int]]:
    """PyTorch's flat, last-dim-first pad sizes as one (before, after) pair per dim of ``shape``."""
    if not isinstance(pad, (tuple, list)) or not all(
        isinstance(p, (int, np.integer)) and not isinstance(p, (bool, np.bool_)) for p in pad
    ):
        raise TypeError(
            f"pad: pad must be a tuple of ints; got {type(pad).__name__} {_short(pad)}, expected "
            "e.g. (1, 1) for one before and one after in the last dim"
        )
    if len(pad) % 2:
        raise ValueError(
            f"pad: pad must hold (before, after) pairs; got {len(pad)} sizes {tuple(pad)}, "
            "expected an even number"
        )
    if len(pad) // 2 > len(shape):
        raise ValueError(
            f"pad: too many sizes for the input; got {len(pad)} sizes for a tensor with "
            f"{len(shape)} dims, expected at most {2 * len(shape)}"
        )
    pairs = [(int(pad[i]), int(pad[i + 1])) for i in range(0, len(pad), 2)][::-1]
    return [(0, 0)] * (len(shape) - len(pairs)) + pairs


def _pad_constant(x: Tensor, widths: list[tuple[int, int]], value: Any) -> Tensor:
    xd = x._data
    for n, (lo, hi) in zip(xd.shape, widths):
        if n + lo + hi < 0:
            raise ValueError(
                f"pad: negative sizes crop more than the dim holds; got ({lo}, {hi}) for a dim "
                f"of size {n}, expected the result size {n + lo + hi} to be at least 0"
            )
    # negative sizes crop first; the positive ones then pad what is left
    crop = tuple(slice(max(-lo, 0), n - max(-hi, 0)) for n, (lo, hi) in zip(xd.shape, widths))
    grow = [(max(lo, 0), max(hi, 0)) for lo, hi in widths]
    y = np.pad(xd[crop], grow, constant_values=value) if xd.ndim else xd.copy()
    return record(y, "pad", (x,), _pad_constant_backward, (widths, grow, crop))


def _pad_constant_backward(g, needs, widths, grow, crop):
    inner = g[tuple(slice(lo, g.shape[a] - hi) for a, (lo, hi) in enumerate(grow))]
    cropped = [(max(-lo, 0), max(-hi, 0)) for lo, hi in widths]
    return (np.pad(inner, cropped) if any(lo or hi for lo, hi in cropped) else inner,)


def _check_mode(mode: str, widths: list[tuple[int, int]], shape: tuple[int, ...], n: int) -> None:
    """PyTorch's limits on the non-constant modes: 1-3 padded dims after a (batch,) channel dim,
    reflect's sizes below the dim's size, circular's at most the size left after cropping."""
    dims = n // 2
    if dims not in (1, 2, 3) or len(shape) not in (dims + 1, dims + 2):
        raise ValueError(
            f"pad: mode {mode!r} pads the last 1, 2 or 3 dims of a (N, C, ...) or (C, ...) "
            f"tensor; got {n} sizes for a tensor with {len(shape)} dims, expected 2, 4 or 6 "
            "sizes for a tensor with 1 or 2 dims more than the pairs. Use mode='constant' for "
            "other layouts"
        )
    for a, (size, (lo, hi)) in enumerate(zip(shape, widths)):
        if (lo, hi) == (0, 0):
            continue
        limit_ok = {
            "reflect": max(lo, hi) < size,
            "replicate": size > 0,
            "circular": max(lo, hi) <= size - max(-lo, 0) - max(-hi, 0),
        }[mode]
        if not limit_ok or size + lo + hi < 0:
            expected = {
                "reflect": f"sizes below {size}",
                "replicate": "a non-empty dim",
                "circular": "sizes of at most the dim's size after cropping (no wrapping "
                "around twice)",
            }[mode]
            raise ValueError(
                f"pad: mode {mode!r} cannot pad dim {a} of size {size} by ({lo}, {hi}); "
                f"expected {expected}"
            )


def _source(n: int, lo: int, hi: int, mode: str) -> np.ndarray:
    """For each position of the padded dim, the input position it copies.

    Reflect and replicate count from the whole dim, also when the other side is cropped;
    circular, as in PyTorch, crops first and wraps around what is left.
    """
    i = np.arange(-lo, n + hi)
    if mode == "reflect":
        return np.abs(i) - 2 * np.maximum(i - (n - 1), 0)  # -1 → 1, n → n - 2
    if mode == "replicate":
        return np.clip(i, 0, n - 1)
    start, stop = max(-lo, 0), n - max(-hi, 0)
    return start + (np.arange(-max(lo, 0), stop - start + max(hi, 0)) % (stop - start))


def _pad_index_backward(g, needs, shape, dtype, key):
    grad = np.zeros(shape, dtype=dtype)
    np.add.at(grad, key, g)  # an edge value copied several times collects every copy's gradient
    return (grad,)
