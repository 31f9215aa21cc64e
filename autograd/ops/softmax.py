"""Softmax, log-softmax and log-sum-exp: primitives for stability (the max is subtracted first)."""

from __future__ import annotations

import numpy as np

from autograd.ops.reduce import Axis, dim_arg, keepdims_flag, normalize_axes, normalize_axis
from autograd.record import OUTPUT, record
from autograd.tensor import Tensor


def _one_axis(dim: int | None, axis: int | None, ndim: int, api: str) -> int | None:
    """The axis to normalise over (``dim``, or numpy's ``axis``; the last one when neither is
    given); None for a 0-d tensor (its one element is the whole axis)."""
    given = dim_arg(dim, axis, api)
    a = normalize_axis(-1 if given is None else given, ndim, api)
    return a if ndim else None


def softmax(x: Tensor, dim: int | None = None, *, axis: int | None = None) -> Tensor:
    """y = e^x / Σe^x along ``dim`` (the last by default); dx = y·(g - Σ g·y)."""
    xd = x._data
    a = _one_axis(dim, axis, xd.ndim, "softmax")
    if xd.size == 0:  # an empty axis: nothing to normalise, as in PyTorch
        y = np.empty_like(xd)
    else:
        e = np.exp(xd - xd.max(axis=a, keepdims=True))
        y = e / e.sum(axis=a, keepdims=True)
    return record(y, "softmax", (x,), _softmax_backward, (y, a), reads=(OUTPUT,))


def _softmax_backward(g, needs, y, a):
    gy = g * y
    return (gy - y * gy.sum(axis=a, keepdims=True),)


def log_softmax(x: Tensor, dim: int | None = None, *, axis: int | None = None) -> Tensor:
    """y = x - log Σe^x along ``dim`` (the last by default); dx = g - e^y·Σg."""
    xd = x._data
    a = _one_axis(dim, axis, xd.ndim, "log_softmax")
    if xd.size == 0:
        y = np.empty_like(xd)
    else:
        shifted = xd - xd.max(axis=a, keepdims=True)
        y = shifted - np.log(np.exp(shifted).sum(axis=a, keepdims=True))
    return record(y, "log_softmax", (x,), _log_softmax_backward, (y, a), reads=(OUTPUT,))


def _log_softmax_backward(g, needs, y, a):
    return (g - np.exp(y) * g.sum(axis=a, keepdims=True),)


def logsumexp(
    x: Tensor,
    dim: Axis = None,
    keepdim: bool | None = None,
    *,
    axis: Axis = None,
    keepdims: bool | None = None,
) -> Tensor:
    """log Σ e^x over ``dim`` (all dims when not given); d/dx = softmax(x) along the reduced
    dims."""
    xd = x._data
    axes = normalize_axes(dim_arg(dim, axis, "logsumexp"), xd.ndim, "logsumexp")
    keepdims = keepdims_flag(keepdim, "logsumexp", keepdims)
    peak = xd.max(axis=axes, keepdims=True) if xd.size else np.zeros((1,) * xd.ndim, xd.dtype)
    peak = np.where(np.isfinite(peak), peak, 0)
    lse = np.log(np.exp(xd - peak).sum(axis=axes, keepdims=True)) + peak
    y = lse if keepdims else np.squeeze(lse, axis=axes)
    saved = (xd, lse, axes, keepdims)
    return record(y, "logsumexp", (x,), _logsumexp_backward, saved, reads=(x, OUTPUT))


def _logsumexp_backward(g, needs, x, lse, axes, keepdims):
    g = g if keepdims or not axes else np.expand_dims(g, axes)
    return (g * np.exp(x - lse),)
