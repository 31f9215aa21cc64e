"""Matrix product: 2-D, batched, and 1-D operands as in numpy; dA = G·Bᵀ, dB = Aᵀ·G.

2-D products and batched products with equal batch sizes run on the matmul kernel (BLAS inside
Numba); broadcast batch dims and integer arrays use numpy's matmul.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd.record import record, unbroadcast
from autograd.tensor import Tensor
from autograd.value import Value

_FLOATS = (np.dtype(np.float32), np.dtype(np.float64))


def _matrix(x: Any, side: str, api: str = "matmul") -> np.ndarray:
    if isinstance(x, Tensor):
        return x._data
    if isinstance(x, np.ndarray):
        if x.dtype.kind not in "fiub":
            raise TypeError(
                f"{api}: the {side} operand must hold numbers; got an array of {x.dtype}, "
                "expected a float, integer or bool array"
            )
        return x
    kind = "a Value" if isinstance(x, Value) else type(x).__name__
    raise TypeError(
        f"{api}: the {side} operand must be a Tensor or an array; got {kind}. Use * to scale "
        "by a number."
    )


def product(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``a @ b`` on raw arrays: the kernel where it applies, numpy otherwise."""
    if a.dtype == b.dtype and a.dtype in _FLOATS and a.ndim == b.ndim:
        if a.ndim == 2 or (a.ndim == 3 and a.shape[0] == b.shape[0]):
            from autograd import kernels

            return kernels.matmul(a, b)  # BLAS reads transposed views without a copy
    return np.matmul(a, b)


def matmul(a: Any, b: Any) -> Tensor:  # A @ B; dA = G @ Bᵀ, dB = Aᵀ @ G (batch dims unbroadcast)
    ad, bd = _matrix(a, "left"), _matrix(b, "right")
    if ad.ndim == 0 or bd.ndim == 0:
        raise ValueError(
            f"matmul: operands need at least 1 dim; got {ad.shape} @ {bd.shape}. Use * for 0-d."
        )
    inner_b = bd.shape[-2] if bd.ndim > 1 else bd.shape[0]
    if ad.shape[-1] != inner_b:
        raise ValueError(
            f"matmul: inner sizes differ; got {ad.shape} @ {bd.shape}, expected the last size "
            f"of the left operand to equal the second-to-last of the right ({ad.shape[-1]} != "
            f"{inner_b})"
        )
    if ad.dtype != bd.dtype and ad.dtype.kind == "f" and bd.dtype.kind == "f":
        raise TypeError(
            f"matmul: dtypes differ; got {ad.dtype} @ {bd.dtype}, expected the same dtype. "
            "Convert one side, e.g. x.astype('float32')."
        )
    try:
        y = product(ad, bd)
    except ValueError:
        raise ValueError(
            f"matmul: batch dims do not broadcast; got {ad.shape} @ {bd.shape}"
        ) from None
    return record(y, "matmul", (a, b), _matmul_backward, (ad, bd), reads=(a, b))


def _matmul_backward(g, needs, a, b):
    # 1-D operands act as a row (left) or a column (right) that the result then drops
    a2 = a if a.ndim > 1 else a[np.newaxis, :]
    b2 = b if b.ndim > 1 else b[:, np.newaxis]
    if b.ndim == 1:
        g = np.expand_dims(g, -1)
    if a.ndim == 1:
        g = np.expand_dims(g, -2)
    grad_a = grad_b = None
    if needs[0]:
        grad_a = unbroadcast(product(g, np.swapaxes(b2, -1, -2)), a2).reshape(a.shape)
    if needs[1]:
        grad_b = unbroadcast(product(np.swapaxes(a2, -1, -2), g), b2).reshape(b.shape)
    return grad_a, grad_b


def linear(x: Any, w: Any, b: Any = None) -> Tensor:  # y = x Wᵀ + b; dx = g W, dW = gᵀx, db = Σg
    """The affine map of a dense layer as one node: ``x @ w.T + b`` over the last axis of x.

    Args:
        x: input (..., in_features).
        w: weight (out_features, in_features), PyTorch's layout.
        b: bias (out_features,) or None.
    """
    xd, wd = _matrix(x, "input", "linear"), _matrix(w, "weight", "linear")
    if wd.ndim != 2:
        raise ValueError(f"linear: weight must be 2-D (out, in); got shape {wd.shape}")
    if xd.ndim == 0 or xd.shape[-1] != wd.shape[1]:
        raise ValueError(
            f"linear: input features differ from the weight's; got input {xd.shape} and weight "
            f"{wd.shape}, expected input (..., {wd.shape[1]})"
        )
    if xd.dtype != wd.dtype:
        raise TypeError(
            f"linear: dtypes differ; got input {xd.dtype} and weight {wd.dtype}, expected the "
            "same dtype"
        )
    inputs: tuple[Any, ...] = (x, w)
    x2 = xd.reshape(-1, wd.shape[1])
    y = product(x2, wd.T)
    if b is not None:
        bd = _matrix(b, "bias", "linear")
        if bd.shape != (wd.shape[0],):
            raise ValueError(f"linear: bias must have shape ({wd.shape[0]},); got {bd.shape}")
        y += bd
        inputs = (x, w, b)
    y = y.reshape(xd.shape[:-1] + (wd.shape[0],))
    return record(y, "linear", inputs, _linear_backward, (x2, wd, xd.shape), reads=(x, w))


def _linear_backward(g, needs, x2, w, x_shape):
    g2 = g.reshape(-1, w.shape[0])
    grad_x = product(g2, w).reshape(x_shape) if needs[0] else None
    grad_w = product(g2.T, x2) if needs[1] else None
    if len(needs) == 2:
        return grad_x, grad_w
    return grad_x, grad_w, (g2.sum(axis=0) if needs[2] else None)
