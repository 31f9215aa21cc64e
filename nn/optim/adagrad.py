"""Adagrad: a per-parameter learning rate that shrinks with the sum of squared gradients."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from nn.optim.optimizer import Number, Optimizer, Param, full_like, sqrt


class Adagrad(Optimizer):
    r"""$s \leftarrow s + g^2$, $\theta \leftarrow \theta - \eta_t\, g / (\sqrt{s} + \epsilon)$.

    As in `torch.optim.Adagrad`: $\eta_t = \eta / (1 + (t - 1)\,\text{lr\_decay})$ at step $t$,
    weight decay adds $\lambda\theta$ to $g$, and $s$ starts at ``initial_accumulator_value``.

    >>> from autograd import Value
    >>> w = Value(1.0); opt = Adagrad([w], lr=0.5)
    >>> (w * 3).backward(); opt.step()   # g = 3: w - 0.5 * 3 / (√9 + 1e-10)
    >>> round(w.data, 10)
    0.5
    """

    def __init__(
        self,
        params: Iterable[Param] | Iterable[dict],
        lr: float = 1e-2,
        lr_decay: float = 0.0,
        weight_decay: float = 0.0,
        initial_accumulator_value: float = 0.0,
        eps: float = 1e-10,
        *,
        maximize: bool = False,
    ) -> None:
        defaults = dict(
            lr=lr,
            lr_decay=lr_decay,
            weight_decay=weight_decay,
            initial_accumulator_value=initial_accumulator_value,
            eps=eps,
            maximize=maximize,
        )
        super().__init__(params, defaults)

    def _update(
        self, param: Number, grad: Number, state: dict[str, Any], group: dict[str, Any]
    ) -> Number:
        if not state:
            state["step"] = 0
            state["sum"] = full_like(param, group["initial_accumulator_value"])
        state["step"] += 1
        if group["weight_decay"] != 0:
            grad = grad + group["weight_decay"] * param
        lr = group["lr"] / (1 + (state["step"] - 1) * group["lr_decay"])
        state["sum"] = state["sum"] + grad * grad
        return param - lr * grad / (sqrt(state["sum"]) + group["eps"])
