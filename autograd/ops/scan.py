"""Scans: running totals along one dim; the gradient of a running sum is a reversed running sum."""

from __future__ import annotations

import numpy as np

from autograd.ops.reduce import dim_arg, normalize_axis
from autograd.record import record
from autograd.tensor import Tensor


def cumsum(x: Tensor, dim: int | None = None, *, axis: int | None = None) -> Tensor:
    r"""$y_i = \sum_{j \le i} x_j$ along ``dim``; $dx_j = \sum_{i \ge j} g_i$.

    As in PyTorch, ``dim`` is required (numpy's cumsum without an axis flattens first: write
    ``x.flatten().cumsum(0)``); integer and bool tensors give int64.

    >>> Tensor([1.0, 2.0, 3.0]).cumsum(0)
    Tensor([1., 3., 6.], dtype=float32)
    """
    given = dim_arg(dim, axis, "cumsum")
    if given is None:
        raise TypeError(
            "cumsum: missing dim; got none, expected an int as in PyTorch, e.g. x.cumsum(0). "
            "For numpy's flattened running sum write x.flatten().cumsum(0)"
        )
    xd = x._data
    a = normalize_axis(given, xd.ndim, "cumsum")
    work = xd.reshape(1) if xd.ndim == 0 else xd  # a 0-d tensor is its own running sum
    dtype = np.int64 if xd.dtype.kind in "iub" else xd.dtype
    y = np.cumsum(work, axis=a, dtype=dtype).reshape(xd.shape)
    return record(y, "cumsum", (x,), _cumsum_backward, (work.shape, a))


def _cumsum_backward(g, needs, work_shape, a):
    shape = g.shape
    flipped = np.flip(g.reshape(work_shape), axis=a)
    return (np.flip(np.cumsum(flipped, axis=a), axis=a).reshape(shape),)
