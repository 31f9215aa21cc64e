"""Adadelta: steps scaled by the ratio of the running RMS of past updates to that of gradients."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from nn.optim.optimizer import Number, Optimizer, Param, sqrt, zeros_like


class Adadelta(Optimizer):
    r"""Zeiler's Adadelta, as in `torch.optim.Adadelta`.

    $v \leftarrow \rho v + (1 - \rho) g^2$;
    $\Delta = \sqrt{u + \epsilon}\,/\,\sqrt{v + \epsilon}\cdot g$;
    $u \leftarrow \rho u + (1 - \rho)\Delta^2$; $\theta \leftarrow \theta - \eta\,\Delta$.
    Weight decay adds $\lambda\theta$ to $g$.

    >>> from autograd import Value
    >>> w = Value(1.0); opt = Adadelta([w], rho=0.0, eps=0.0001)
    >>> (w * 1).backward(); opt.step()   # Δ = √1e-4 / √(1 + 1e-4) · 1
    >>> round(w.data, 7)
    0.9900005
    """

    def __init__(
        self,
        params: Iterable[Param] | Iterable[dict],
        lr: float = 1.0,
        rho: float = 0.9,
        eps: float = 1e-6,
        weight_decay: float = 0.0,
        *,
        maximize: bool = False,
    ) -> None:
        defaults = dict(lr=lr, rho=rho, eps=eps, weight_decay=weight_decay, maximize=maximize)
        super().__init__(params, defaults)

    def _check(self, group: dict[str, Any]) -> None:
        super()._check(group)
        if not 0.0 <= group["rho"] <= 1.0:
            raise ValueError(f"Adadelta: rho must be in [0, 1]; got {group['rho']!r}")

    def _update(
        self, param: Number, grad: Number, state: dict[str, Any], group: dict[str, Any]
    ) -> Number:
        rho, eps = group["rho"], group["eps"]
        if not state:
            state["step"] = 0
            state["square_avg"] = zeros_like(param)
            state["acc_delta"] = zeros_like(param)
        state["step"] += 1
        if group["weight_decay"] != 0:
            grad = grad + group["weight_decay"] * param
        state["square_avg"] = rho * state["square_avg"] + (1 - rho) * grad * grad
        delta = sqrt(state["acc_delta"] + eps) / sqrt(state["square_avg"] + eps) * grad
        state["acc_delta"] = rho * state["acc_delta"] + (1 - rho) * delta * delta
        return param - group["lr"] * delta
