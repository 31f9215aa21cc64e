"""Adam (momentum plus RMSprop, with bias correction) and AdamW (decoupled weight decay)."""

from __future__ import annotations

import numbers
from collections.abc import Iterable
from typing import Any

from nn.optim.optimizer import Number, Optimizer, Param, maximum, sqrt, zeros_like


class Adam(Optimizer):
    r"""Kingma and Ba's Adam, as in `torch.optim.Adam`.

    $m \leftarrow \beta_1 m + (1 - \beta_1) g$, $v \leftarrow \beta_2 v + (1 - \beta_2) g^2$;
    with the bias corrections $\hat m = m / (1 - \beta_1^t)$, $\hat v = v / (1 - \beta_2^t)$,
    $\theta \leftarrow \theta - \eta\, \hat m / (\sqrt{\hat v} + \epsilon)$. ``amsgrad`` uses the
    running maximum of $v$; weight decay adds $\lambda\theta$ to $g$ (see `AdamW` for the
    decoupled form).

    >>> from autograd import Value
    >>> w = Value(1.0); opt = Adam([w], lr=0.1)
    >>> (w * 5).backward(); opt.step()   # the first step moves by lr·sign(g), whatever |g|
    >>> round(w.data, 6)
    0.9
    """

    def __init__(
        self,
        params: Iterable[Param] | Iterable[dict],
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0.0,
        amsgrad: bool = False,
        *,
        maximize: bool = False,
        decoupled_weight_decay: bool = False,
    ) -> None:
        defaults = dict(
            lr=lr,
            betas=betas,
            eps=eps,
            weight_decay=weight_decay,
            amsgrad=amsgrad,
            maximize=maximize,
            decoupled_weight_decay=decoupled_weight_decay,
        )
        super().__init__(params, defaults)

    def _check(self, group: dict[str, Any]) -> None:
        super()._check(group)
        name = type(self).__name__
        betas = group["betas"]
        try:
            pair = tuple(betas)
        except TypeError:
            pair = None
        if pair is None or len(pair) != 2:
            error = TypeError if pair is None else ValueError
            raise error(
                f"{name}: betas must be a pair (beta1, beta2); got {betas!r}, expected e.g. "
                "(0.9, 0.999)"
            )
        for i, beta in enumerate(pair):
            if isinstance(beta, bool) or not isinstance(beta, numbers.Real):
                raise TypeError(f"{name}: betas[{i}] must be a real number; got {beta!r}")
            if not 0.0 <= float(beta) < 1.0:
                raise ValueError(f"{name}: betas[{i}] must be in [0, 1); got {beta!r}")
        group["betas"] = pair

    def _update(
        self, param: Number, grad: Number, state: dict[str, Any], group: dict[str, Any]
    ) -> Number:
        beta1, beta2 = group["betas"]
        lr, weight_decay = group["lr"], group["weight_decay"]
        if not state:
            state["step"] = 0
            state["exp_avg"] = zeros_like(param)
            state["exp_avg_sq"] = zeros_like(param)
            if group["amsgrad"]:
                state["max_exp_avg_sq"] = zeros_like(param)
        state["step"] += 1
        step = state["step"]
        if weight_decay != 0:
            if group["decoupled_weight_decay"]:
                param = param * (1 - lr * weight_decay)
            else:
                grad = grad + weight_decay * param
        exp_avg = state["exp_avg"]
        state["exp_avg"] = exp_avg = exp_avg + (1 - beta1) * (grad - exp_avg)
        state["exp_avg_sq"] = exp_avg_sq = beta2 * state["exp_avg_sq"] + (1 - beta2) * grad * grad
        if group["amsgrad"]:
            state["max_exp_avg_sq"] = exp_avg_sq = maximum(state["max_exp_avg_sq"], exp_avg_sq)
        step_size = lr / (1 - beta1**step)
        denom = sqrt(exp_avg_sq) / sqrt(1 - beta2**step) + group["eps"]
        return param - step_size * exp_avg / denom


class AdamW(Adam):
    r"""Adam with decoupled weight decay (Loshchilov and Hutter): $\theta \leftarrow
    \theta(1 - \eta\lambda)$ before the Adam step, as in `torch.optim.AdamW` (default
    $\lambda = 0.01$).

    >>> from autograd import Value
    >>> w = Value(1.0); opt = AdamW([w], lr=0.1, weight_decay=0.5)
    >>> (w * 5).backward(); opt.step()   # 1 · (1 - 0.05) - 0.1
    >>> round(w.data, 6)
    0.85
    """

    def __init__(
        self,
        params: Iterable[Param] | Iterable[dict],
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 1e-2,
        amsgrad: bool = False,
        *,
        maximize: bool = False,
    ) -> None:
        super().__init__(
            params,
            lr=lr,
            betas=betas,
            eps=eps,
            weight_decay=weight_decay,
            amsgrad=amsgrad,
            maximize=maximize,
            decoupled_weight_decay=True,
        )
