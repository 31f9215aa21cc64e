"""Loss modules (thin wrappers over `nn.functional`) and the L1 / L2 weight penalties.

Each loss also accepts scalar `Value` predictions (a Value, or a list of them; for
`CrossEntropyLoss` a list of logits per sample), so the scalar nets of `nn.scalar` train with the
same modules; targets are then plain numbers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

import numpy as np

from autograd import Tensor, Value
from nn import functional as F
from nn.module import Module

_REDUCTIONS = ("mean", "sum", "none")


class _Loss(Module):
    """Shared by the loss modules: the ``reduction`` and the Tensor / Value dispatch."""

    function: Callable[..., Tensor]  # the nn.functional form
    _value_loss: Callable[[Value, float], Value]  # one element's loss on Values

    def __init__(self, reduction: str = "mean") -> None:
        super().__init__()
        if reduction not in _REDUCTIONS:
            raise ValueError(
                f"{type(self).__name__}: unknown reduction; got {reduction!r}, expected one of "
                f"{_REDUCTIONS}"
            )
        self.reduction = reduction

    def forward(self, input: Any, target: Any) -> Any:  # noqa: A002 (PyTorch's name)
        if _is_scalar(input):
            preds, targets = _scalar_pairs(input, target, type(self).__name__)
            losses = [self._value_loss(p, t) for p, t in zip(preds, targets, strict=True)]
            return _reduce_values(losses, self.reduction, single=isinstance(input, Value))
        return self._tensor_loss(input, target)

    def _tensor_loss(self, input: Tensor, target: Any) -> Tensor:  # noqa: A002
        return self.function(input, target, reduction=self.reduction)

    def extra_repr(self) -> str:
        return "" if self.reduction == "mean" else f"reduction={self.reduction!r}"


class MSELoss(_Loss):
    r"""Mean squared error $\frac1n\sum_i (\hat y_i - y_i)^2$ (``reduction="sum"``: the sum).

    >>> from autograd import Tensor, Value
    >>> MSELoss()(Tensor([1.0, 2.0]), Tensor([0.0, 4.0])).item()
    2.5
    >>> MSELoss()([Value(1.0), Value(2.0)], [0.0, 4.0]).data
    2.5
    """

    function = staticmethod(F.mse_loss)

    def _value_loss(self, p: Value, t: float) -> Value:
        d = p - t
        return d * d


class L1Loss(_Loss):
    r"""Mean absolute error $\frac1n\sum_i |\hat y_i - y_i|$.

    >>> from autograd import Tensor
    >>> L1Loss(reduction="sum")(Tensor([1.0, 2.0]), Tensor([0.0, 4.0])).item()
    3.0
    """

    function = staticmethod(F.l1_loss)

    def _value_loss(self, p: Value, t: float) -> Value:
        return abs(p - t)


class _WeightedLoss(_Loss):
    """A loss with options for Tensor inputs; ``weight`` (and ``pos_weight``) are buffers, in
    `state_dict` as in PyTorch. Scalar `Value` inputs take the defaults only."""

    _defaults: dict[str, Any] = {"weight": None}  # the options, for the Value check
    weight: Tensor | None

    def __init__(self, weight: Any = None, reduction: str = "mean") -> None:
        super().__init__(reduction)
        self.register_buffer("weight", _constant(weight, type(self).__name__, "weight"))

    def forward(self, input: Any, target: Any) -> Any:  # noqa: A002 (PyTorch's name)
        if _is_scalar(input):
            self._check_value_options()
        return super().forward(input, target)

    def _check_value_options(self) -> None:
        """Refuse, for scalar Value inputs, options changed from their defaults."""
        values = {name: getattr(self, name) for name in self._defaults}
        changed = [
            name
            for name, default in self._defaults.items()
            if (values[name] is not None if default is None else values[name] != default)
        ]
        if changed:
            verb = "is" if len(changed) == 1 else "are"
            raise TypeError(
                f"{type(self).__name__}: {', '.join(changed)} {verb} supported for Tensor inputs "
                "only; got Value predictions. Use Tensors, or leave the defaults"
            )


class BCELoss(_WeightedLoss):
    r"""Binary cross-entropy on probabilities: $-w[y \log p + (1 - y)\log(1 - p)]$.

    At p = 0 and 1 (a saturated sigmoid) the value and the gradient are PyTorch's, clamped and
    finite, for Tensors and Values alike (see `nn.functional.binary_cross_entropy`).

    Args:
        weight: a constant rescaling each element's loss (broadcast to the input's shape).
        reduction: ``"mean"``, ``"sum"`` or ``"none"``.

    >>> from autograd import Tensor
    >>> round(BCELoss()(Tensor([0.8]), Tensor([1.0])).item(), 4)
    0.2231
    >>> round(BCELoss(weight=Tensor([2.0]))(Tensor([0.8]), Tensor([1.0])).item(), 4)
    0.4463
    """

    def __init__(self, weight: Any = None, *, reduction: str = "mean") -> None:
        super().__init__(weight, reduction)

    def _tensor_loss(self, input: Tensor, target: Any) -> Tensor:  # noqa: A002
        return F.binary_cross_entropy(input, target, self.weight, reduction=self.reduction)

    def _value_loss(self, p: Value, t: float) -> Value:
        if not 0.0 <= p.data <= 1.0:
            raise ValueError(
                f"BCELoss: input must be probabilities in [0, 1]; got {p.data!r}. Apply sigmoid "
                "first, or use BCEWithLogitsLoss on the raw scores"
            )
        if p.data * (1.0 - p.data) >= F.GRAD_EPS:  # no clamp acts: the formula, node by node
            if t == 1.0:
                return -p.log()
            if t == 0.0:
                return -(1.0 - p).log()
            return -(t * p.log() + (1.0 - t) * (1.0 - p).log())
        # p at (or within 1e-12 of) 0 or 1: PyTorch's clamped value and gradient, as for Tensors
        loss, grad_p, _ = F.bce_parts(p.data, t)
        return (p - p.data) * float(grad_p) + float(loss)


class BCEWithLogitsLoss(_WeightedLoss):
    r"""Binary cross-entropy on raw scores z: $\log(1 + e^{z}) - y z$, without overflow.

    Args:
        weight: a constant rescaling each element's loss (broadcast to the input's shape).
        reduction: ``"mean"``, ``"sum"`` or ``"none"``.
        pos_weight: a constant weight of the positive term, one per class (broadcast to the
            input's shape), as in PyTorch: $-[p_w y \log\sigma(z) + (1 - y)\log(1 - \sigma(z))]$.

    >>> from autograd import Tensor, Value
    >>> round(BCEWithLogitsLoss()(Tensor([0.0]), Tensor([1.0])).item(), 4)
    0.6931
    >>> round(BCEWithLogitsLoss(pos_weight=Tensor([3.0]))(Tensor([0.0]), Tensor([1.0])).item(), 4)
    2.0794
    >>> round(BCEWithLogitsLoss()(Value(0.0), 1.0).data, 4)
    0.6931
    """

    _defaults = {"weight": None, "pos_weight": None}
    pos_weight: Tensor | None

    def __init__(
        self, weight: Any = None, *, reduction: str = "mean", pos_weight: Any = None
    ) -> None:
        super().__init__(weight, reduction)
        self.register_buffer("pos_weight", _constant(pos_weight, "BCEWithLogitsLoss", "pos_weight"))

    def _tensor_loss(self, input: Tensor, target: Any) -> Tensor:  # noqa: A002
        return F.binary_cross_entropy_with_logits(
            input, target, self.weight, reduction=self.reduction, pos_weight=self.pos_weight
        )

    def _value_loss(self, z: Value, t: float) -> Value:
        softplus = z.relu() + ((-abs(z)).exp() + 1.0).log()  # log(1 + e^z), stable
        return softplus - t * z


class CrossEntropyLoss(_WeightedLoss):
    r"""$-\log \mathrm{softmax}(z)_y$ from logits z (N, C) (or (C,), or (N, C, d1, …)): targets
    as class indices (N,) (int) or as one-hot / probability rows (N, C) (float).

    Args:
        weight: a constant weight per class, shape (C,); the mean divides by the summed
            weights of the targets, as in PyTorch.
        ignore_index: a class-index target that contributes nothing (nor to the mean).
        reduction: ``"mean"``, ``"sum"`` or ``"none"``.
        label_smoothing: ε in [0, 1]: the target is mixed with the uniform distribution,
            $(1 - ε)\,\text{target} + ε/C$ (see `nn.functional.cross_entropy`).

    >>> import numpy as np
    >>> from autograd import Tensor
    >>> round(CrossEntropyLoss()(Tensor([[2.0, 0.0, 0.0]]), np.array([0])).item(), 4)
    0.2395
    >>> round(CrossEntropyLoss(label_smoothing=0.3)(Tensor([[2.0, 0.0, 0.0]]), [0]).item(), 4)
    0.6395
    """

    _defaults = {"weight": None, "ignore_index": -100, "label_smoothing": 0.0}

    def __init__(
        self,
        weight: Any = None,
        *,
        ignore_index: int = -100,
        reduction: str = "mean",
        label_smoothing: float = 0.0,
    ) -> None:
        super().__init__(weight, reduction)
        self.ignore_index = ignore_index
        self.label_smoothing = label_smoothing

    def forward(self, input: Any, target: Any) -> Any:  # noqa: A002
        if _is_scalar(input):
            self._check_value_options()
            rows = [input] if isinstance(input[0], Value) else list(input)
            targets = _ce_targets(target, len(rows), len(rows[0]))
            losses = [_value_cross_entropy(z, t) for z, t in zip(rows, targets, strict=True)]
            return _reduce_values(losses, self.reduction, single=isinstance(input[0], Value))
        return self._tensor_loss(input, target)

    def _tensor_loss(self, input: Tensor, target: Any) -> Tensor:  # noqa: A002
        return F.cross_entropy(
            input,
            target,
            self.weight,
            ignore_index=self.ignore_index,
            reduction=self.reduction,
            label_smoothing=self.label_smoothing,
        )


class NLLLoss(_WeightedLoss):
    r"""Negative log-likelihood $-w_y x_y$ of log-probabilities x (N, C) (or (C,), or
    (N, C, d1, …)) at class indices y: `nn.LogSoftmax` then ``NLLLoss`` is `CrossEntropyLoss`.

    Args:
        weight: a constant weight per class, shape (C,); the mean divides by the summed
            weights of the targets, as in PyTorch.
        ignore_index: a target that contributes nothing (nor to the mean).
        reduction: ``"mean"``, ``"sum"`` or ``"none"``.

    >>> import numpy as np
    >>> from autograd import Tensor
    >>> NLLLoss()(Tensor([[-0.5, -1.0], [-2.0, -0.1]]), np.array([0, 1])).item()
    0.3
    """

    def __init__(
        self, weight: Any = None, *, ignore_index: int = -100, reduction: str = "mean"
    ) -> None:
        super().__init__(weight, reduction)
        self.ignore_index = ignore_index

    def forward(self, input: Any, target: Any) -> Any:  # noqa: A002
        if _is_scalar(input):
            raise TypeError(
                "NLLLoss: input must be a Tensor of log-probabilities; got Value predictions. "
                "For scalar nets use CrossEntropyLoss on the logits"
            )
        return F.nll_loss(
            input, target, self.weight, ignore_index=self.ignore_index, reduction=self.reduction
        )


class HingeLoss(_Loss):
    r"""$\max(0, m - y\hat y)$ for labels y in {-1, +1} (margin m = 1 by default).

    >>> from autograd import Tensor
    >>> HingeLoss(reduction="none")(Tensor([2.0, 0.5, -1.0]), Tensor([1.0, 1.0, 1.0])).tolist()
    [0.0, 0.5, 2.0]
    """

    def __init__(self, margin: float = 1.0, reduction: str = "mean") -> None:
        super().__init__(reduction)
        self.margin = float(margin)

    def _tensor_loss(self, input: Tensor, target: Any) -> Tensor:  # noqa: A002
        return F.hinge_loss(input, target, margin=self.margin, reduction=self.reduction)

    def _value_loss(self, p: Value, t: float) -> Value:
        if t not in (-1.0, 1.0):
            raise ValueError(
                f"HingeLoss: targets must be -1 or +1; got {t!r}. Map 0/1 labels with 2 * y - 1"
            )
        return (self.margin - t * p).relu()

    def extra_repr(self) -> str:
        text = super().extra_repr()
        return f"margin={self.margin}" + (f", {text}" if text else "")


# ---- penalties -------------------------------------------------------------------------------


def l1_penalty(params: Iterable[Any] | Module) -> Tensor | Value:
    r"""$\sum_j |w_j|$ over every element of every parameter (add $\lambda$ times it to the loss).

    Args:
        params: Tensor parameters or Value parameters (e.g. ``model.parameters()``), or a Module.

    >>> from autograd import Tensor, Value
    >>> w, b = Tensor([1.0, -2.0], requires_grad=True), Tensor([[3.0]], requires_grad=True)
    >>> l1_penalty([w, b]).item()
    6.0
    >>> l1_penalty([Value(1.0), Value(-2.0)]).data
    3.0
    """
    values, tensors = _split(params, "l1_penalty")
    if values:
        return Value.sum(abs(v) for v in values)
    return _tensor_sum([p.abs().sum() for p in tensors])


def l2_penalty(params: Iterable[Any] | Module) -> Tensor | Value:
    r"""$\sum_j w_j^2$, the squared Frobenius norm, over every parameter.

    Its gradient is $2w$: adding $\lambda\,$``l2_penalty`` to the loss does what ``weight_decay =
    2λ`` does in `nn.optim.SGD`.

    >>> from autograd import Tensor, Value
    >>> l2_penalty([Tensor([1.0, -2.0], requires_grad=True)]).item()
    5.0
    >>> l2_penalty([Value(3.0)]).data
    9.0
    """
    values, tensors = _split(params, "l2_penalty")
    if values:
        return Value.dot(values, values)
    return _tensor_sum([(p * p).sum() for p in tensors])


# ---- helpers ---------------------------------------------------------------------------------


def _constant(weight: Any, api: str, name: str) -> Tensor | None:
    """A loss's ``weight`` or ``pos_weight`` as a Tensor buffer (checked in full at each call)."""
    if weight is None or isinstance(weight, Tensor):
        return weight
    if isinstance(weight, str):
        raise TypeError(
            f"{api}: {name} must be a Tensor or an array; got {weight!r}. As in PyTorch, the "
            f"first argument is weight: pass reduction={weight!r} by keyword"
        )
    array = np.asarray(weight)
    if array.dtype.kind not in "biuf":
        raise TypeError(f"{api}: {name} must be a Tensor or an array of numbers; got {weight!r}")
    return Tensor(array)


def _is_scalar(x: Any) -> bool:
    """Value predictions: a Value, or a (nested) list or tuple whose first leaf is a Value."""
    while isinstance(x, (list, tuple)) and x:
        x = x[0]
    return isinstance(x, Value)


def _scalar_pairs(input: Any, target: Any, api: str) -> tuple[list[Value], list[float]]:  # noqa: A002
    preds = [input] if isinstance(input, Value) else list(input)
    t = np.asarray(target.data if isinstance(target, Tensor) else target, dtype=np.float64)
    targets = t.reshape(-1).tolist()
    if len(targets) != len(preds):
        raise ValueError(
            f"{api}: got {len(preds)} predictions and {len(targets)} targets; expected as many "
            "targets as predictions"
        )
    if not all(isinstance(p, Value) for p in preds):
        raise TypeError(f"{api}: Value predictions must be a Value or a flat list of Values")
    return preds, targets


def _ce_targets(target: Any, n: int, c: int) -> list[Any]:
    t = np.asarray(target.data if isinstance(target, Tensor) else target)
    if t.dtype.kind in "iu":
        labels = t.reshape(-1).tolist()
        if len(labels) != n or any(not 0 <= k < c for k in labels):
            raise ValueError(
                f"CrossEntropyLoss: expected {n} class indices in 0..{c - 1}; got {t.tolist()}"
            )
        return labels
    rows = t.astype(np.float64).reshape(n, c) if t.size == n * c else None
    if rows is None:
        raise ValueError(
            f"CrossEntropyLoss: expected {n} int labels or {n} probability rows of {c}; got "
            f"shape {t.shape}"
        )
    return [row.tolist() for row in rows]


def _value_cross_entropy(logits: Sequence[Value], target: Any) -> Value:
    """−log softmax(z)[y] = log Σ exp(z_j − m) − (z_y − m), with m = max z for stability."""
    m = max(z.data for z in logits)
    log_total = Value.sum((z - m).exp() for z in logits).log()
    if isinstance(target, int):
        return log_total - (logits[target] - m)
    return Value.sum(p * (log_total - (z - m)) for z, p in zip(logits, target, strict=True) if p)


def _reduce_values(losses: list[Value], reduction: str, single: bool) -> Value | list[Value]:
    if reduction == "none":
        return losses[0] if single else losses
    total = losses[0] if len(losses) == 1 else Value.sum(losses)
    return total * (1.0 / len(losses)) if reduction == "mean" and len(losses) > 1 else total


def _split(params: Iterable[Any] | Module, api: str) -> tuple[list[Value], list[Tensor]]:
    try:
        items = params.parameters() if isinstance(params, Module) else list(params)
    except TypeError:
        raise TypeError(
            f"{api}: params must be a Module or an iterable of parameters; got "
            f"{type(params).__name__}. Pass model.parameters()"
        ) from None
    values = [p for p in items if isinstance(p, Value)]
    tensors = [p for p in items if isinstance(p, Tensor)]
    if not items:
        raise ValueError(f"{api}: got no parameters; expected Values or Tensors")
    if len(values) + len(tensors) != len(items) or (values and tensors):
        kinds = sorted({type(p).__name__ for p in items})
        raise TypeError(f"{api}: parameters must be all Values or all Tensors; got {kinds}")
    return values, tensors


def _tensor_sum(terms: list[Tensor]) -> Tensor:
    total = terms[0]
    for term in terms[1:]:
        total = total + term
    return total
