"""Stateless network functions on `Tensor`s: layer maths, activations, losses (PyTorch's ``F``).

Layers (`nn.Conv2d`, `nn.Linear`, ...) and loss modules call these; they compose autograd ops, so
every gradient comes from the ops' own backward rules.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd import Tensor
from autograd.ops.conv import conv2d as _conv2d
from autograd.ops.linalg import linear as _linear
from autograd.ops.pool import avg_pool2d as _avg_pool2d
from autograd.ops.pool import max_pool2d as _max_pool2d
from autograd.random import generator

__all__ = [
    "avg_pool2d",
    "binary_cross_entropy",
    "binary_cross_entropy_with_logits",
    "conv2d",
    "cross_entropy",
    "dropout",
    "elu",
    "hinge_loss",
    "l1_loss",
    "leaky_relu",
    "linear",
    "log_softmax",
    "max_pool2d",
    "mse_loss",
    "relu",
    "sigmoid",
    "softmax",
    "softplus",
    "tanh",
]

_REDUCTIONS = ("mean", "sum", "none")


# ---- layers ----------------------------------------------------------------------------------


def conv2d(
    x: Tensor, w: Tensor, b: Tensor | None = None, stride: Any = 1, padding: Any = 0
) -> Tensor:
    """2-D cross-correlation of an NCHW batch with filters (F, C, KH, KW), plus a bias per filter.

    Output sizes follow ⌊(n + 2p − f)/s⌋ + 1. ``padding`` may also be ``"same"`` or ``"valid"``.
    The lecture's padding example (3×3 input 0..8, kernel [[0, 1], [2, 3]], padding 1):

    >>> x = Tensor(np.arange(9.0).reshape(1, 1, 3, 3), dtype="float32")
    >>> w = Tensor([[[[0.0, 1.0], [2.0, 3.0]]]])
    >>> conv2d(x, w, padding=1).numpy()[0, 0].astype(int).tolist()
    [[0, 3, 8, 4], [9, 19, 25, 10], [21, 37, 43, 16], [6, 7, 8, 0]]
    """
    return _conv2d(x, w, b, stride, padding)


def max_pool2d(x: Tensor, kernel_size: Any, stride: Any = None) -> Tensor:
    """Maximum over each kernel_size window (stride defaults to kernel_size).

    >>> max_pool2d(Tensor(np.arange(16.0).reshape(1, 1, 4, 4)), 2).numpy()[0, 0].tolist()
    [[5.0, 7.0], [13.0, 15.0]]
    """
    return _max_pool2d(x, kernel_size, stride)


def avg_pool2d(x: Tensor, kernel_size: Any, stride: Any = None) -> Tensor:
    """Mean over each kernel_size window (stride defaults to kernel_size).

    >>> avg_pool2d(Tensor(np.arange(16.0).reshape(1, 1, 4, 4)), 2).numpy()[0, 0].tolist()
    [[2.5, 4.5], [10.5, 12.5]]
    """
    return _avg_pool2d(x, kernel_size, stride)


def linear(x: Tensor, weight: Tensor, bias: Tensor | None = None) -> Tensor:
    """``x @ weight.T + bias`` with weight (out_features, in_features), as one node.

    >>> linear(Tensor([[1.0, 2.0]]), Tensor([[1.0, 1.0], [0.0, -1.0]]), Tensor([0.5, 0.0]))
    Tensor([[ 3.5, -2. ]], dtype=float32)
    """
    return _linear(x, weight, bias)


def dropout(x: Tensor, p: float = 0.5, training: bool = True) -> Tensor:
    """Zero each element with probability p and scale the rest by 1/(1 - p) (inverted dropout).

    The mask comes from the generator that `autograd.manual_seed` resets. Outside training, or
    with p = 0, x is returned unchanged.

    >>> x = Tensor(np.ones(1000))
    >>> kept = dropout(x, p=0.25).numpy()
    >>> sorted(set(kept.tolist())) == [0.0, 1 / 0.75], dropout(x, 0.25, training=False) is x
    (True, True)
    """
    p = probability(p, "dropout")
    if not isinstance(training, (bool, np.bool_)):
        raise TypeError(f"dropout: training must be True or False; got {training!r}")
    if not training or p == 0.0:
        return x
    if p == 1.0:
        return x * 0.0
    data = x.data if isinstance(x, Tensor) else np.asarray(x)
    keep = generator().random(data.shape) >= p
    return x * (keep * (1.0 / (1.0 - p))).astype(data.dtype)


def probability(p: Any, api: str, name: str = "p") -> float:
    """``p`` as a float, checked to be a probability (a dropout rate)."""
    if isinstance(p, bool) or not isinstance(p, (int, float, np.integer, np.floating)):
        raise TypeError(f"{api}: {name} must be a number; got {p!r}, expected a float in [0, 1]")
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"{api}: {name} must be a probability in [0, 1]; got {p!r}")
    return float(p)


# ---- activations -------------------------------------------------------------------------------


def relu(x: Tensor) -> Tensor:
    """max(0, x)."""
    return x.relu()


def leaky_relu(x: Tensor, negative_slope: float = 0.01) -> Tensor:
    """x if x > 0 else negative_slope·x."""
    return x.leaky_relu(negative_slope)


def elu(x: Tensor, alpha: float = 1.0) -> Tensor:
    """x if x > 0 else alpha·(eˣ − 1)."""
    return x.elu(alpha)


def sigmoid(x: Tensor) -> Tensor:
    """1 / (1 + e⁻ˣ)."""
    return x.sigmoid()


def tanh(x: Tensor) -> Tensor:
    """Hyperbolic tangent."""
    return x.tanh()


def softplus(x: Tensor) -> Tensor:
    """log(1 + eˣ), a smooth ReLU."""
    return x.softplus()


def softmax(x: Tensor, axis: int = -1, *, dim: int | None = None) -> Tensor:
    """e^x / Σ e^x along ``axis`` (``dim`` is accepted as PyTorch's name).

    >>> softmax(Tensor([[1.0, 1.0]]), dim=1).tolist()
    [[0.5, 0.5]]
    """
    return x.softmax(axis if dim is None else dim)


def log_softmax(x: Tensor, axis: int = -1, *, dim: int | None = None) -> Tensor:
    """x − log Σ e^x along ``axis`` (``dim`` is accepted as PyTorch's name)."""
    return x.log_softmax(axis if dim is None else dim)


# ---- losses ------------------------------------------------------------------------------------


def _reduce(loss: Tensor, reduction: str, api: str) -> Tensor:
    if reduction == "mean":
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    if reduction == "none":
        return loss
    raise ValueError(f"{api}: unknown reduction; got {reduction!r}, expected one of {_REDUCTIONS}")


def _input(x: Any, api: str) -> Tensor:
    if isinstance(x, Tensor):
        return x
    raise TypeError(
        f"{api}: input must be a Tensor; got {type(x).__name__}. Wrap arrays as Tensor(x); "
        "scalar Values go through the loss modules (e.g. nn.MSELoss()(values, targets))"
    )


def _target(target: Any, api: str) -> Tensor:
    if isinstance(target, Tensor):
        return target
    if isinstance(target, (np.ndarray, list, tuple, int, float)):
        kind = np.asarray(target).dtype
        if kind.kind not in "biuf":
            raise TypeError(
                f"{api}: target must hold numbers; got dtype {kind}, expected bool, int or float"
            )
        return Tensor(target)
    raise TypeError(f"{api}: target must be a Tensor or an array; got {type(target).__name__}")


def _same_shape(x: Tensor, target: Tensor, api: str) -> None:
    if x.shape != target.shape:
        raise ValueError(
            f"{api}: input and target shapes differ; got {x.shape} and {target.shape}, expected "
            "equal shapes (no silent broadcasting). Reshape one, e.g. target.reshape(-1, 1)."
        )


def _like_input(target: Tensor, pred: Tensor) -> Tensor | np.ndarray:
    """A target without grad as a constant array in the prediction's dtype."""
    if target.requires_grad:
        return target
    return target.data.astype(pred.dtype, copy=False)


def mse_loss(pred: Tensor, target: Any, reduction: str = "mean") -> Tensor:
    """Mean squared error (yᵢ − ŷᵢ)², averaged (or summed) over all elements.

    >>> mse_loss(Tensor([1.0, 2.0]), Tensor([0.0, 4.0])).item()
    2.5
    """
    pred = _input(pred, "mse_loss")
    target = _target(target, "mse_loss")
    _same_shape(pred, target, "mse_loss")
    diff = pred - _like_input(target, pred)
    return _reduce(diff * diff, reduction, "mse_loss")


def l1_loss(pred: Tensor, target: Any, reduction: str = "mean") -> Tensor:
    """Mean absolute error |yᵢ − ŷᵢ|.

    >>> l1_loss(Tensor([1.0, 2.0]), Tensor([0.0, 4.0]), reduction="sum").item()
    3.0
    """
    pred = _input(pred, "l1_loss")
    target = _target(target, "l1_loss")
    _same_shape(pred, target, "l1_loss")
    return _reduce((pred - _like_input(target, pred)).abs(), reduction, "l1_loss")


LOG_FLOOR = -100.0  # PyTorch's BCE clamps each log here: a saturated p costs 100, not inf
# and divides its gradient by max(p(1 - p), ε), ε = 1e-12 as a C float in float32 and float64 alike
GRAD_EPS = float(np.float32(1e-12))


def bce_parts(p: Any, y: Any) -> tuple[Any, Any, Any]:
    r"""PyTorch's binary cross-entropy at probabilities p and targets y, for arrays or floats.

    Returns the loss $-[y \max(\log p, -100) + (1 - y)\max(\log(1 - p), -100)]$, its gradient in
    p, $(p - y) / \max(p(1 - p), 10^{-12})$, and its gradient in y, $\max(\log(1 - p), -100) -
    \max(\log p, -100)$. All three are finite on [0, 1], the corners included: at p = 0 the loss
    is 100·y and the gradient in p is -y·10¹²; where p equals a hard label, both are 0.

    >>> [round(float(v)) for v in bce_parts(0.0, 1.0)]  # loss, d/dp, d/dy at p = 0, y = 1
    [100, -1000000003996, 100]
    >>> [round(float(v)) for v in bce_parts(1.0, 0.0)]
    [100, 1000000003996, -100]
    """
    with np.errstate(divide="ignore"):  # log(0) = -inf is clamped on the next line
        log_p = np.maximum(np.log(p), LOG_FLOOR)
        log_q = np.maximum(np.log1p(-p), LOG_FLOOR)
    loss = -(y * log_p + (1 - y) * log_q)
    grad_p = (p - y) / np.maximum(p * (1 - p), GRAD_EPS)
    return loss, grad_p, log_q - log_p


def binary_cross_entropy(probs: Tensor, target: Any, reduction: str = "mean") -> Tensor:
    r"""−[y log p + (1 − y) log(1 − p)] for probabilities p, with PyTorch's clamps at p = 0 and 1.

    Each log is clamped at −100 and the gradient in p is $(p - y)/\max(p(1 - p), 10^{-12})$, as
    in PyTorch, so a saturated sigmoid (float32 σ(20) is exactly 1) gives a finite loss and
    finite gradients: 0 for a confident correct prediction, ∓10¹² (times the reduction's scale)
    for a confident wrong one. See `bce_parts`.

    >>> round(binary_cross_entropy(Tensor([0.8]), Tensor([1.0])).item(), 4)
    0.2231
    >>> p = Tensor([1.0, 1.0], requires_grad=True)
    >>> loss = binary_cross_entropy(p, Tensor([1.0, 0.0]), reduction="sum"); loss.backward()
    >>> loss.item(), p.grad.tolist()
    (100.0, [0.0, 999999995904.0])
    """
    probs = _input(probs, "binary_cross_entropy")
    target = _target(target, "binary_cross_entropy")
    if target.dtype.kind != "f":  # as PyTorch: 0/1 labels as ints are a slip, not a target
        raise TypeError(
            f"binary_cross_entropy: target must be floating point like the input; got "
            f"{target.dtype}, expected {probs.dtype}. Convert it: y.astype('{probs.dtype}')"
        )
    _same_shape(probs, target, "binary_cross_entropy")
    p = probs.data
    if p.size and (p.min() < 0.0 or p.max() > 1.0 or np.isnan(p).any()):
        raise ValueError(
            f"binary_cross_entropy: input must be probabilities in [0, 1]; got values in "
            f"[{p.min()}, {p.max()}]. Apply sigmoid first, or use "
            "binary_cross_entropy_with_logits on the raw scores."
        )
    y = target.data.astype(p.dtype, copy=False)
    loss, grad_p, grad_y = bce_parts(p, y)
    # No chain of ops has both this value and this gradient (the clamps make the gradient differ
    # from the value's derivative next to 0 and 1), so the value enters as a constant and each
    # gradient through a term that is zero in value: loss + (p - p̄)·∂loss/∂p, p̄ = p's data.
    out = (probs - p) * grad_p + loss
    if target.requires_grad:
        out = out + (target - target.data) * grad_y
    return _reduce(out, reduction, "binary_cross_entropy")


def binary_cross_entropy_with_logits(
    logits: Tensor, target: Any, reduction: str = "mean"
) -> Tensor:
    """BCE on raw scores z: softplus(z) − y·z, which equals BCE(sigmoid(z), y) without overflow.

    >>> round(binary_cross_entropy_with_logits(Tensor([0.0]), Tensor([1.0])).item(), 4)
    0.6931
    """
    logits = _input(logits, "binary_cross_entropy_with_logits")
    target = _target(target, "binary_cross_entropy_with_logits")
    _same_shape(logits, target, "binary_cross_entropy_with_logits")
    loss = logits.softplus() - _like_input(target, logits) * logits
    return _reduce(loss, reduction, "binary_cross_entropy_with_logits")


def cross_entropy(logits: Tensor, target: Any, reduction: str = "mean") -> Tensor:
    """−log softmax(logits)[target] per row: targets as class indices (N,) or probabilities (N, C).

    Args:
        logits: scores (N, C), or (C,) for one sample.
        target: int class indices (N,) (or a single int for one sample), or float one-hot /
            probability rows (N, C).
        reduction: ``"mean"`` (over the N samples), ``"sum"`` or ``"none"`` (shape (N,)).

    >>> logits = Tensor([[2.0, 0.0, 0.0], [0.0, 0.0, 0.0]])
    >>> round(cross_entropy(logits, np.array([0, 2])).item(), 4)
    0.6691
    """
    if not isinstance(logits, Tensor):
        raise TypeError(f"cross_entropy: logits must be a Tensor; got {type(logits).__name__}")
    single = logits.ndim == 1
    if single:
        logits = logits.reshape(1, -1)
    if logits.ndim != 2:
        raise ValueError(f"cross_entropy: logits must be (N, C) or (C,); got shape {logits.shape}")
    n, c = logits.shape
    t = target.data if isinstance(target, Tensor) else np.asarray(target)
    log_p = logits.log_softmax(axis=1)
    if t.dtype.kind in "iu":
        t = t.reshape(1) if single and t.ndim == 0 else t
        if t.shape != (n,):
            raise ValueError(
                f"cross_entropy: class-index targets must have shape ({n},); got {t.shape}"
            )
        if t.size and (t.min() < 0 or t.max() >= c):
            raise ValueError(
                f"cross_entropy: class index out of range; got values in [{t.min()}, {t.max()}], "
                f"expected 0 <= target < {c}"
            )
        loss = -log_p[np.arange(n), t]
    elif t.dtype.kind == "f":
        t = t.reshape(1, -1) if single else t
        if t.shape != (n, c):
            raise ValueError(
                f"cross_entropy: probability targets must have the logits' shape {(n, c)}; got "
                f"{t.shape}. Integer class indices have shape ({n},)."
            )
        if isinstance(target, Tensor) and target.requires_grad:
            probs: Tensor | np.ndarray = target.reshape(n, c)
        else:
            probs = t.astype(logits.dtype, copy=False)
        loss = -(log_p * probs).sum(axis=1)
    else:
        raise TypeError(
            f"cross_entropy: target must hold int class indices or float probabilities; got "
            f"dtype {t.dtype}"
        )
    if single and reduction == "none":
        loss = loss.reshape(())
    return _reduce(loss, reduction, "cross_entropy")


def hinge_loss(
    scores: Tensor, target: Any, margin: float = 1.0, reduction: str = "mean"
) -> Tensor:
    """max(0, margin − y·ŷ) for labels y in {−1, +1}; margin 0 is the lecture's max(−y·ŷ, 0).

    >>> hinge_loss(Tensor([2.0, 0.5, -1.0]), Tensor([1.0, 1.0, 1.0]), reduction="none").tolist()
    [0.0, 0.5, 2.0]
    """
    scores = _input(scores, "hinge_loss")
    if isinstance(margin, bool) or not isinstance(margin, (int, float, np.integer, np.floating)):
        raise TypeError(f"hinge_loss: margin must be a number; got {margin!r}")
    target = _target(target, "hinge_loss")
    _same_shape(scores, target, "hinge_loss")
    y = target.data
    if y.size and not np.isin(y, (-1, 1)).all():
        raise ValueError(
            f"hinge_loss: targets must be -1 or +1; got values {np.unique(y)[:5].tolist()}. "
            "Map 0/1 labels with 2 * y - 1."
        )
    loss = (margin - _like_input(target, scores) * scores).relu()
    return _reduce(loss, reduction, "hinge_loss")
