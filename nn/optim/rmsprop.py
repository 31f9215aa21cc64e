"""RMSprop: divide the step by a running root-mean-square of recent gradients."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from nn.optim.optimizer import Number, Optimizer, Param, sqrt, zeros_like


class RMSprop(Optimizer):
    r"""Divide by a running RMS: $\theta \leftarrow \theta - \eta g / (\sqrt v + \epsilon)$.

    $v \leftarrow \alpha v + (1 - \alpha) g^2$ is the running mean of squared gradients.

    As in `torch.optim.RMSprop`: ``centered`` also tracks the mean gradient $m$ and divides by
    $\sqrt{v - m^2} + \epsilon$; with ``momentum`` $\mu$ the step is a buffer
    $b \leftarrow \mu b + g / (\sqrt{v} + \epsilon)$; weight decay adds $\lambda\theta$ to $g$.

    >>> from autograd import Value
    >>> w = Value(1.0); opt = RMSprop([w], lr=0.01, alpha=0.75)
    >>> (w * 2).backward(); opt.step()   # v = 0.25 * 4 = 1: w - 0.01 * 2 / (1 + 1e-8)
    >>> round(w.data, 6)
    0.98
    """

    def __init__(
        self,
        params: Iterable[Param] | Iterable[dict],
        lr: float = 1e-2,
        alpha: float = 0.99,
        eps: float = 1e-8,
        weight_decay: float = 0.0,
        momentum: float = 0.0,
        centered: bool = False,
        *,
        maximize: bool = False,
    ) -> None:
        defaults = dict(
            lr=lr,
            alpha=alpha,
            eps=eps,
            weight_decay=weight_decay,
            momentum=momentum,
            centered=centered,
            maximize=maximize,
        )
        super().__init__(params, defaults)

    def _check(self, group: dict[str, Any]) -> None:
        super()._check(group)
        if not 0.0 <= group["alpha"] <= 1.0:
            raise ValueError(f"RMSprop: alpha must be in [0, 1]; got {group['alpha']!r}")

    def _update(
        self, param: Number, grad: Number, state: dict[str, Any], group: dict[str, Any]
    ) -> Number:
        alpha, eps, lr, momentum = group["alpha"], group["eps"], group["lr"], group["momentum"]
        if not state:
            state["step"] = 0
            state["square_avg"] = zeros_like(param)
            if momentum > 0:
                state["momentum_buffer"] = zeros_like(param)
            if group["centered"]:
                state["grad_avg"] = zeros_like(param)
        state["step"] += 1
        if group["weight_decay"] != 0:
            grad = grad + group["weight_decay"] * param
        state["square_avg"] = alpha * state["square_avg"] + (1 - alpha) * grad * grad
        if group["centered"]:
            grad_avg = state["grad_avg"]
            state["grad_avg"] = grad_avg = grad_avg + (1 - alpha) * (grad - grad_avg)
            avg = sqrt(state["square_avg"] - grad_avg * grad_avg) + eps
        else:
            avg = sqrt(state["square_avg"]) + eps
        if momentum > 0:
            state["momentum_buffer"] = buf = momentum * state["momentum_buffer"] + grad / avg
            return param - lr * buf
        return param - lr * grad / avg
