"""Stochastic gradient descent with momentum, Nesterov momentum and weight decay (torch.optim)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from nn.optim.optimizer import Number, Optimizer, Param


class SGD(Optimizer):
    r"""Gradient descent $\theta \leftarrow \theta - \eta\, g$, optionally with momentum.

    With weight decay $\lambda$, momentum $\mu$ and dampening $\tau$, as in `torch.optim.SGD`:
    $g \leftarrow g + \lambda\theta$; $b \leftarrow g$ on the first step, then
    $b \leftarrow \mu b + (1 - \tau) g$; the step uses $b$, or $g + \mu b$ with ``nesterov``.

    Args:
        params: parameters (`Value`s or `Tensor`s) or parameter groups.
        lr: learning rate $\eta$.
        momentum: $\mu$ (0 turns momentum off).
        dampening: $\tau$.
        weight_decay: $\lambda$, an L2 penalty $\frac\lambda2\|\theta\|^2$ folded into the gradient.
        nesterov: Nesterov's look-ahead momentum (needs momentum > 0 and dampening 0).
        maximize: ascend instead of descend.

    >>> from autograd import Value
    >>> w = Value(2.0)
    >>> opt = SGD([w], lr=0.1)
    >>> loss = w * w; loss.backward(); opt.step()
    >>> round(w.data, 10)
    1.6
    """

    def __init__(
        self,
        params: Iterable[Param] | Iterable[dict],
        lr: float = 1e-3,
        momentum: float = 0.0,
        dampening: float = 0.0,
        weight_decay: float = 0.0,
        nesterov: bool = False,
        *,
        maximize: bool = False,
    ) -> None:
        defaults = dict(
            lr=lr,
            momentum=momentum,
            dampening=dampening,
            weight_decay=weight_decay,
            nesterov=nesterov,
            maximize=maximize,
        )
        super().__init__(params, defaults)

    def _check(self, group: dict[str, Any]) -> None:
        super()._check(group)
        if group["nesterov"] and (group["momentum"] <= 0 or group["dampening"] != 0):
            raise ValueError(
                f"SGD: nesterov needs momentum > 0 and dampening 0; got momentum="
                f"{group['momentum']!r}, dampening={group['dampening']!r}"
            )

    def _update(
        self, param: Number, grad: Number, state: dict[str, Any], group: dict[str, Any]
    ) -> Number:
        if group["weight_decay"] != 0:
            grad = grad + group["weight_decay"] * param
        momentum = group["momentum"]
        if momentum != 0:
            buf = state.get("momentum_buffer")
            if buf is None:
                buf = grad + 0.0  # a copy: the buffer must not alias the gradient
            else:
                buf = momentum * buf + (1 - group["dampening"]) * grad
            state["momentum_buffer"] = buf
            grad = grad + momentum * buf if group["nesterov"] else buf
        return param - group["lr"] * grad
