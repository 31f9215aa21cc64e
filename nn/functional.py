"""Stateless network functions on `Tensor`s: layer maths, activations, losses (PyTorch's ``F``).

Layers (`nn.Conv2d`, `nn.Linear`, ...) and loss modules call these; they compose autograd ops, so
every gradient comes from the ops' own backward rules.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from autograd import Tensor
from autograd.functions import pad
from autograd.ops.conv import conv2d as _conv2d
from autograd.ops.linalg import linear as _linear
from autograd.ops.pool import avg_pool2d as _avg_pool2d
from autograd.ops.pool import max_pool2d as _max_pool2d
from autograd.random import generator
from autograd.record import record

__all__ = [
    "avg_pool2d",
    "binary_cross_entropy",
    "binary_cross_entropy_with_logits",
    "batch_norm",
    "conv2d",
    "cross_entropy",
    "dropout",
    "elu",
    "gelu",
    "hinge_loss",
    "l1_loss",
    "leaky_relu",
    "linear",
    "log_softmax",
    "max_pool2d",
    "mse_loss",
    "nll_loss",
    "pad",
    "prelu",
    "relu",
    "sigmoid",
    "silu",
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


def max_pool2d(
    x: Tensor,
    kernel_size: Any,
    stride: Any = None,
    padding: Any = 0,
    dilation: Any = 1,
    ceil_mode: bool = False,
    return_indices: bool = False,
) -> Tensor | tuple[Tensor, Tensor]:
    """Maximum over each kernel_size window (stride defaults to kernel_size), as PyTorch's.

    ``padding`` pads with −inf (at most half the kernel); ``dilation``, ``ceil_mode`` and
    ``return_indices`` (flat indices h·W + w per plane) mean what they mean in PyTorch.

    >>> x = Tensor(np.arange(16.0).reshape(1, 1, 4, 4))
    >>> max_pool2d(x, 2).numpy()[0, 0].tolist()
    [[5.0, 7.0], [13.0, 15.0]]
    >>> max_pool2d(x, 3, stride=2, padding=1).numpy()[0, 0].tolist()
    [[5.0, 7.0], [13.0, 15.0]]
    """
    return _max_pool2d(x, kernel_size, stride, padding, dilation, ceil_mode, return_indices)


def avg_pool2d(
    x: Tensor,
    kernel_size: Any,
    stride: Any = None,
    padding: Any = 0,
    ceil_mode: bool = False,
    count_include_pad: bool = True,
    divisor_override: int | None = None,
) -> Tensor:
    """Mean over each kernel_size window (stride defaults to kernel_size), as PyTorch's.

    ``padding`` pads with zeros that count in the mean unless ``count_include_pad=False``;
    ``ceil_mode`` and ``divisor_override`` mean what they mean in PyTorch.

    >>> x = Tensor(np.arange(16.0).reshape(1, 1, 4, 4))
    >>> avg_pool2d(x, 2).numpy()[0, 0].tolist()
    [[2.5, 4.5], [10.5, 12.5]]
    >>> avg_pool2d(x, 2, padding=1, count_include_pad=False).numpy()[0, 0, 0].tolist()
    [0.0, 1.5, 3.0]
    """
    return _avg_pool2d(
        x, kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override
    )


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


def _erf(x: Tensor) -> Tensor:  # erf x = 2/√π ∫₀ˣ e^(−t²) dt; d/dx = 2/√π · e^(−x²)
    """The error function, elementwise (``math.erf`` on each element: exact, not fast)."""
    xd = x.data
    y = np.asarray(_erf_each(xd), dtype=xd.dtype)
    return record(y, "erf", (x,), _erf_backward, (xd,), reads=(x,))


_erf_each = np.frompyfunc(math.erf, 1, 1)


def _erf_backward(g, needs, x):
    return ((g * (2.0 / math.sqrt(math.pi)) * np.exp(-x * x)).astype(x.dtype, copy=False),)


def gelu(x: Tensor, approximate: str = "none") -> Tensor:
    r"""$x\,\Phi(x) = \frac x2 (1 + \operatorname{erf}(x/\sqrt2))$, or with ``approximate="tanh"``
    $\frac x2 (1 + \tanh(\sqrt{2/\pi}\,(x + 0.044715\,x^3)))$ (PyTorch's two forms).

    >>> x = Tensor([1.0])
    >>> round(gelu(x).item(), 6), round(gelu(x, approximate="tanh").item(), 6)
    (0.841345, 0.841192)
    """
    if approximate == "tanh":
        inner = (x + x * x * x * 0.044715) * math.sqrt(2.0 / math.pi)
        return x * 0.5 * (inner.tanh() + 1.0)
    if approximate != "none":
        raise ValueError(
            f"gelu: unknown approximate; got {approximate!r}, expected 'none' or 'tanh'"
        )
    if not isinstance(x, Tensor):
        raise TypeError(
            f"gelu: approximate='none' needs a Tensor (erf has no Value form); got "
            f"{type(x).__name__}. Use approximate='tanh' for scalar Values"
        )
    if x.dtype.kind != "f":
        raise TypeError(f"gelu: expected a floating-point tensor; got dtype {x.dtype}")
    return x * 0.5 * (_erf(x * (1.0 / math.sqrt(2.0))) + 1.0)


def silu(x: Tensor) -> Tensor:
    r"""$x\,\sigma(x)$ (the swish)."""
    return x * x.sigmoid()


def prelu(x: Tensor, weight: Tensor) -> Tensor:
    r"""$\max(0, x) + w \min(0, x)$ with one learned slope $w$ per channel (axis 1), or one for all.

    >>> prelu(Tensor([[-2.0, 3.0]]), Tensor([0.25])).tolist()
    [[-0.5, 3.0]]
    """
    x, weight = _input(x, "prelu"), _input(weight, "prelu")
    n = weight.size
    if weight.ndim != 1:
        raise ValueError(f"prelu: weight must be 1-D; got shape {weight.shape}")
    if n != 1:
        channels = x.shape[1] if x.ndim >= 2 else 1
        if channels != n:
            raise ValueError(
                f"prelu: one slope per channel (axis 1); got {n} slopes for input of shape "
                f"{x.shape}, expected {channels}"
            )
        weight = weight.reshape(n, *([1] * (x.ndim - 2)))
    positive = x.relu()
    return positive + weight * (x - positive)


def batch_norm(
    x: Tensor,
    running_mean: Tensor | None,
    running_var: Tensor | None,
    weight: Tensor | None = None,
    bias: Tensor | None = None,
    training: bool = False,
    momentum: float = 0.1,
    eps: float = 1e-5,
) -> Tensor:
    r"""Normalise each channel (axis 1) to zero mean and unit variance, then scale and shift.

    In training the batch's statistics are used (over every axis but 1; the biased variance)
    and the running ones, if given, move towards them in place:
    $r \leftarrow (1 - m)\,r + m\,s$ with the unbiased variance for ``running_var``. Outside
    training the running statistics are used, as in PyTorch.

    >>> x = Tensor([[1.0], [3.0]])
    >>> batch_norm(x, None, None, training=True, eps=0.0).tolist()
    [[-1.0], [1.0]]
    """
    x = _input(x, "batch_norm")
    if x.ndim < 2:
        raise ValueError(
            f"batch_norm: expected input (N, C, ...) with channels on axis 1; got shape {x.shape}"
        )
    channels = x.shape[1]
    named = [("running_mean", running_mean), ("running_var", running_var), ("weight", weight)]
    for name, t in [*named, ("bias", bias)]:
        if t is not None and (not isinstance(t, Tensor) or t.shape != (channels,)):
            got = t.shape if isinstance(t, Tensor) else type(t).__name__
            raise ValueError(
                f"batch_norm: {name} must be a Tensor of shape ({channels},), one value per "
                f"channel of the input {x.shape}; got {got}"
            )
    axes = (0, *range(2, x.ndim))
    shape = (1, channels) + (1,) * (x.ndim - 2)
    if training:
        count = x.size // channels
        if count <= 1:
            raise ValueError(
                "batch_norm: expected more than 1 value per channel when training; got input "
                f"of shape {x.shape}"
            )
        mean = x.mean(axis=axes, keepdims=True)
        centered = x - mean
        var = (centered * centered).mean(axis=axes, keepdims=True)
        out = centered / (var + eps).sqrt()
        if running_mean is not None:
            _blend(running_mean, mean.data, momentum)
        if running_var is not None:
            _blend(running_var, var.data * (count / (count - 1)), momentum)
    else:
        if running_mean is None or running_var is None:
            raise ValueError(
                "batch_norm: running_mean and running_var must be given outside training; got "
                "None, expected Tensors (or pass training=True for the batch's statistics)"
            )
        mean_data = running_mean.data.reshape(shape).astype(x.dtype)
        scale = (1.0 / np.sqrt(running_var.data.reshape(shape) + eps)).astype(x.dtype)
        out = (x - mean_data) * scale
    if weight is not None:
        out = out * weight.reshape(shape)
    if bias is not None:
        out = out + bias.reshape(shape)
    return out


def _blend(running: Tensor, batch: np.ndarray, momentum: float) -> None:
    """``running ← (1 − momentum)·running + momentum·batch``, in place (one edit)."""
    stat = running.data
    stat[...] = (1.0 - momentum) * stat + momentum * batch.reshape(stat.shape)
    running._bump_version()


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


def _loss_weight(
    weight: Any, like: Tensor, api: str, name: str = "weight", shape: tuple[int, ...] | None = None
) -> np.ndarray | None:
    """A loss's ``weight`` (or ``pos_weight``) as a constant array in the input's dtype.

    ``shape``: the shape it must have, else (None) one it must broadcast to: the input's. As in
    PyTorch, a weight is a constant: one that requires grad is refused, not silently detached.
    """
    if weight is None:
        return None
    if isinstance(weight, str):
        raise TypeError(
            f"{api}: {name} must be a Tensor or an array; got {weight!r}. As in PyTorch, the "
            f"argument after target is weight: pass reduction={weight!r} by keyword"
        )
    if isinstance(weight, Tensor):
        if weight.requires_grad:
            raise RuntimeError(
                f"{api}: {name} must not require grad; got a Tensor with requires_grad=True, "
                f"expected a constant (PyTorch does not differentiate it either). Pass "
                f"{name}.detach()"
            )
        data = weight.numpy()
    elif isinstance(weight, (np.ndarray, list, tuple, int, float)):
        data = np.asarray(weight)
    else:
        raise TypeError(f"{api}: {name} must be a Tensor or an array; got {type(weight).__name__}")
    if data.dtype.kind not in "biuf":
        raise TypeError(f"{api}: {name} must hold numbers; got dtype {data.dtype}")
    if shape is not None and data.shape != shape:
        raise ValueError(
            f"{api}: {name} must hold one value per class; got shape {data.shape}, expected {shape}"
        )
    if shape is None and not _broadcasts(data.shape, like.shape):
        raise ValueError(
            f"{api}: {name} must broadcast to the input's shape; got {name} shape {data.shape}, "
            f"expected one that broadcasts to {like.shape}"
        )
    return data.astype(like.dtype, copy=False)


def _broadcasts(shape: tuple[int, ...], to: tuple[int, ...]) -> bool:
    try:
        return np.broadcast_shapes(shape, to) == to
    except ValueError:
        return False


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


def binary_cross_entropy(
    input: Tensor,  # noqa: A002 (PyTorch's name)
    target: Any,
    weight: Any = None,
    *,
    reduction: str = "mean",
) -> Tensor:
    r"""−w·[y log p + (1 − y) log(1 − p)] for probabilities p, with PyTorch's clamps at 0 and 1.

    Each log is clamped at −100 and the gradient in p is $(p - y)/\max(p(1 - p), 10^{-12})$, as
    in PyTorch, so a saturated sigmoid (float32 σ(20) is exactly 1) gives a finite loss and
    finite gradients: 0 for a confident correct prediction, ∓10¹² (times the reduction's scale)
    for a confident wrong one. See `bce_parts`.

    Args:
        input: probabilities p, any shape.
        target: float labels or probabilities y of the same shape.
        weight: a constant rescaling each element's loss, broadcast to the input's shape; the
            mean stays the plain mean over elements, as in PyTorch.
        reduction: ``"mean"``, ``"sum"`` or ``"none"``.

    >>> round(binary_cross_entropy(Tensor([0.8]), Tensor([1.0])).item(), 4)
    0.2231
    >>> p = Tensor([1.0, 1.0], requires_grad=True)
    >>> loss = binary_cross_entropy(p, Tensor([1.0, 0.0]), reduction="sum"); loss.backward()
    >>> loss.item(), p.grad.tolist()
    (100.0, [0.0, 999999995904.0])
    """
    api = "binary_cross_entropy"
    probs = _input(input, api)
    target = _target(target, api)
    if target.dtype.kind != "f":  # as PyTorch: 0/1 labels as ints are a slip, not a target
        raise TypeError(
            f"binary_cross_entropy: target must be floating point like the input; got "
            f"{target.dtype}, expected {probs.dtype}. Convert it: y.astype('{probs.dtype}')"
        )
    _same_shape(probs, target, api)
    w = _loss_weight(weight, probs, api)
    p = probs.data
    if p.size and (p.min() < 0.0 or p.max() > 1.0 or np.isnan(p).any()):
        raise ValueError(
            f"binary_cross_entropy: input must be probabilities in [0, 1]; got values in "
            f"[{p.min()}, {p.max()}]. Apply sigmoid first, or use "
            "binary_cross_entropy_with_logits on the raw scores."
        )
    y = target.data.astype(p.dtype, copy=False)
    loss, grad_p, grad_y = bce_parts(p, y)
    if w is not None:  # a constant factor: it scales the value and both gradients alike
        loss, grad_p, grad_y = loss * w, grad_p * w, grad_y * w
    # No chain of ops has both this value and this gradient (the clamps make the gradient differ
    # from the value's derivative next to 0 and 1), so the value enters as a constant and each
    # gradient through a term that is zero in value: loss + (p - p̄)·∂loss/∂p, p̄ = p's data.
    out = (probs - p) * grad_p + loss
    if target.requires_grad:
        out = out + (target - target.data) * grad_y
    return _reduce(out, reduction, api)


def binary_cross_entropy_with_logits(
    input: Tensor,  # noqa: A002 (PyTorch's name)
    target: Any,
    weight: Any = None,
    *,
    reduction: str = "mean",
    pos_weight: Any = None,
) -> Tensor:
    r"""BCE on raw scores z: softplus(z) − y·z, which equals BCE(sigmoid(z), y) without overflow.

    With ``pos_weight`` $p_w$ the positive term is weighted, as in PyTorch:
    $-[p_w\, y \log\sigma(z) + (1 - y)\log(1 - \sigma(z))] = (1 - y)z + (1 + (p_w - 1)y)\,
    \mathrm{softplus}(-z)$.

    Args:
        input: scores z, any shape.
        target: labels or probabilities y of the same shape.
        weight: a constant rescaling each element's loss, broadcast to the input's shape.
        reduction: ``"mean"``, ``"sum"`` or ``"none"``.
        pos_weight: a constant weight of the positive term, broadcast to the input's shape
            (one per class, shape (C,), for inputs (N, C)).

    >>> round(binary_cross_entropy_with_logits(Tensor([0.0]), Tensor([1.0])).item(), 4)
    0.6931
    >>> z, y = Tensor([0.0, 0.0]), Tensor([1.0, 0.0])
    >>> loss = binary_cross_entropy_with_logits(z, y, pos_weight=[3.0], reduction="none")
    >>> [round(v, 4) for v in loss.tolist()]  # 3·log 2 and log 2
    [2.0794, 0.6931]
    """
    api = "binary_cross_entropy_with_logits"
    logits = _input(input, api)
    target = _target(target, api)
    _same_shape(logits, target, api)
    w = _loss_weight(weight, logits, api)
    pw = _loss_weight(pos_weight, logits, api, "pos_weight")
    y = _like_input(target, logits)
    if pw is None:
        loss = logits.softplus() - y * logits
    else:
        loss = (-logits).softplus() * (y * (pw - 1) + 1) + logits * (1 - y)
    return _reduce(loss if w is None else loss * w, reduction, api)


def cross_entropy(
    input: Tensor,  # noqa: A002 (PyTorch's name)
    target: Any,
    weight: Any = None,
    *,
    ignore_index: int = -100,
    reduction: str = "mean",
    label_smoothing: float = 0.0,
) -> Tensor:
    r"""−log softmax(input)[target] per sample, with PyTorch's options and formulas.

    For a class index y with weights w (all 1 by default) and smoothing ε over C classes, a
    sample's loss is $(1 - ε)\,w_y(-\log p_y) + \frac{ε}{C}\sum_c w_c(-\log p_c)$; ``"mean"``
    divides the sum by $\sum w_y$ over the samples whose target is not ``ignore_index``
    (ignored ones count 0). For probability rows q the loss is
    $-\sum_c w_c\,q'_c \log p_c$ with $q' = (1 - ε)q + ε/C$, and ``"mean"`` divides by the
    number of samples.

    Args:
        input: scores (N, C), (C,) for one sample, or (N, C, d1, …) with classes on axis 1.
        target: int class indices of shape (N,) (() or (1,) for one sample; (N, d1, …)), or
            float probabilities of the input's shape.
        weight: a constant weight per class, shape (C,).
        ignore_index: a class-index target value that contributes nothing (nor to the mean).
        reduction: ``"mean"``, ``"sum"`` or ``"none"`` (one loss per sample).
        label_smoothing: ε in [0, 1].

    >>> logits = Tensor([[2.0, 0.0, 0.0], [0.0, 0.0, 0.0]])
    >>> round(cross_entropy(logits, np.array([0, 2])).item(), 4)
    0.6691
    >>> round(cross_entropy(logits, np.array([0, 2]), weight=[1.0, 1.0, 3.0]).item(), 4)
    0.8838
    >>> round(cross_entropy(logits, np.array([0, -100])).item(), 4)  # the first row only
    0.2395
    """
    return _class_loss(
        "cross_entropy",
        input,
        target,
        weight,
        ignore_index,
        reduction,
        label_smoothing,
        log_softmax=True,
    )


def nll_loss(
    input: Tensor,  # noqa: A002 (PyTorch's name)
    target: Any,
    weight: Any = None,
    *,
    ignore_index: int = -100,
    reduction: str = "mean",
) -> Tensor:
    r"""Negative log-likelihood $-w_y\,x_y$ of log-probabilities x (e.g. `log_softmax`).

    ``log_softmax`` then ``nll_loss`` is `cross_entropy`; weights, ``ignore_index`` and the
    weighted mean are the same as there (and as PyTorch's).

    Args:
        input: log-probabilities (N, C), (C,) for one sample, or (N, C, d1, …).
        target: int class indices of shape (N,) (() for one sample; (N, d1, …)).
        weight: a constant weight per class, shape (C,).
        ignore_index: a target value that contributes nothing (nor to the mean).
        reduction: ``"mean"``, ``"sum"`` or ``"none"``.

    >>> x = Tensor([[-0.5, -1.0], [-2.0, -0.1]])
    >>> nll_loss(x, np.array([0, 1])).item(), nll_loss(x, np.array([1, 1]), reduction="sum").item()
    (0.3, 1.1)
    """
    return _class_loss(
        "nll_loss", input, target, weight, ignore_index, reduction, 0.0, log_softmax=False
    )


def _class_loss(
    api: str,
    scores: Any,
    target: Any,
    weight: Any,
    ignore_index: Any,
    reduction: str,
    label_smoothing: Any,
    log_softmax: bool,
) -> Tensor:
    """cross_entropy (``log_softmax``) and nll_loss: checks, then the class-index or the
    probability-target loss per sample, then the reduction."""
    if not isinstance(scores, Tensor):
        noun = "logits" if log_softmax else "input"
        raise TypeError(f"{api}: {noun} must be a Tensor; got {type(scores).__name__}")
    if reduction not in _REDUCTIONS:
        raise ValueError(
            f"{api}: unknown reduction; got {reduction!r}, expected one of {_REDUCTIONS}"
        )
    if isinstance(ignore_index, bool) or not isinstance(ignore_index, (int, np.integer)):
        raise TypeError(f"{api}: ignore_index must be an int; got {ignore_index!r}")
    if isinstance(label_smoothing, bool) or not isinstance(
        label_smoothing, (int, float, np.integer, np.floating)
    ):
        raise TypeError(f"{api}: label_smoothing must be a number; got {label_smoothing!r}")
    if not 0.0 <= label_smoothing <= 1.0:
        raise ValueError(
            f"{api}: label_smoothing must be between 0.0 and 1.0; got {label_smoothing!r}"
        )
    if scores.ndim == 0:
        raise ValueError(f"{api}: input must be (N, C), (C,) or (N, C, d1, ...); got shape ()")
    c = scores.shape[0] if scores.ndim == 1 else scores.shape[1]
    rows, out_shape = _class_rows(scores)
    w = _loss_weight(weight, scores, api, shape=(c,))
    t = target.data if isinstance(target, Tensor) else np.asarray(target)
    if log_softmax:
        rows = rows.log_softmax(axis=1)
    eps = float(label_smoothing)
    if t.dtype.kind in "iu":
        loss, weights, kept = _class_index_loss(api, rows, t, out_shape, w, int(ignore_index), eps)
    elif t.dtype.kind == "f" and log_softmax:
        if ignore_index != -100:
            raise ValueError(
                f"{api}: ignore_index is not supported for probability targets (as in "
                f"PyTorch); got ignore_index={ignore_index}, expected the default -100. Use "
                "class-index targets to leave samples out"
            )
        loss = _probability_loss(api, rows, scores.shape, out_shape, target, t, w, eps)
        weights = kept = None
    elif t.dtype.kind == "f":
        raise TypeError(
            f"{api}: target must hold int class indices; got dtype {t.dtype}. For probability "
            "targets use cross_entropy on the scores"
        )
    else:
        raise TypeError(
            f"{api}: target must hold int class indices or float probabilities; got dtype {t.dtype}"
        )
    if reduction == "none":
        return loss.reshape(out_shape)
    if reduction == "sum":
        return loss.sum()
    if weights is None:
        return loss.mean()
    total = float(weights.sum())
    if total == 0.0:  # every target ignored or weighted 0: PyTorch's NaN (0/0), whose gradient
        # is NaN for the samples not ignored and 0 for the ignored ones
        spoil = np.full(loss.shape, np.nan, loss.dtype)
        if kept is not None:
            spoil[kept == 0] = 0.0
        return (loss * spoil).sum() + np.nan
    return loss.sum() / total


def _class_rows(scores: Tensor) -> tuple[Tensor, tuple[int, ...]]:
    """Scores as rows (M, C), one per sample, and the shape of the per-sample losses."""
    if scores.ndim == 1:
        return scores.reshape(1, -1), ()
    if scores.ndim == 2:
        return scores, (scores.shape[0],)
    n, c, *rest = scores.shape
    rows = scores.permute(0, *range(2, scores.ndim), 1).reshape(-1, c)
    return rows, (n, *rest)


def _class_index_loss(
    api: str,
    log_p: Tensor,
    t: np.ndarray,
    out_shape: tuple[int, ...],
    w: np.ndarray | None,
    ignore_index: int,
    eps: float,
) -> tuple[Tensor, np.ndarray | None, np.ndarray | None]:
    """Per-sample losses (M,) of class-index targets, each sample's weight in the mean (None:
    all 1), and 1 for the samples kept, 0 for the ignored ones (None: none ignored)."""
    m, c = log_p.shape
    if t.shape != out_shape and not (out_shape == () and t.shape == (1,)):
        raise ValueError(f"{api}: class-index targets must have shape {out_shape}; got {t.shape}")
    t = t.reshape(-1).astype(np.int64, copy=False)  # uint8 targets too, as PyTorch's Byte
    ignored = t == ignore_index
    some_ignored = bool(ignored.any())
    kept = (~ignored).astype(log_p.dtype) if some_ignored else None
    classes = t[~ignored] if some_ignored else t
    if classes.size and (classes.min() < 0 or classes.max() >= c):
        raise ValueError(
            f"{api}: class index out of range; got values in [{classes.min()}, "
            f"{classes.max()}], expected 0 <= target < {c} (or target == ignore_index, "
            f"{ignore_index})"
        )
    safe = np.where(ignored, 0, t) if some_ignored else t
    picked = log_p[np.arange(m), safe]
    if w is None and not some_ignored:
        weights = None
        loss = -picked
    else:
        weights = np.ones(m, log_p.dtype) if w is None else w[safe]
        weights = weights if kept is None else weights * kept
        loss = -(picked * weights)
    if eps:
        spread = -(log_p * w).sum(axis=1) if w is not None else -log_p.sum(axis=1)
        if kept is not None:
            spread = spread * kept
        loss = loss * (1.0 - eps) + spread * (eps / c)
    return loss, weights, kept


def _probability_loss(
    api: str,
    log_p: Tensor,
    shape: tuple[int, ...],
    out_shape: tuple[int, ...],
    target: Any,
    t: np.ndarray,
    w: np.ndarray | None,
    eps: float,
) -> Tensor:
    """Per-sample losses −Σ_c w_c q'_c log p_c of probability targets q of the scores' shape."""
    if t.shape != shape:
        raise ValueError(
            f"{api}: probability targets must have the logits' shape {shape}; got {t.shape}. "
            f"Integer class indices have shape {out_shape}."
        )
    if isinstance(target, Tensor) and target.requires_grad:
        probs: Tensor | np.ndarray = _class_rows(target)[0]
    else:
        rows = np.moveaxis(t, 1, -1) if t.ndim > 2 else t
        probs = rows.reshape(log_p.shape).astype(log_p.dtype, copy=False)
    c = log_p.shape[1]
    if eps:
        probs = probs * (1.0 - eps) + eps / c
    if w is not None:
        probs = probs * w
    return -(log_p * probs).sum(axis=1)


def hinge_loss(scores: Tensor, target: Any, margin: float = 1.0, reduction: str = "mean") -> Tensor:
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
    loss = (margin - scores * _like_input(target, scores)).relu()
    return _reduce(loss, reduction, "hinge_loss")
