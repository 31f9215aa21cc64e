"""Finite-difference checks: central differences in float64 against the analytic gradient.

`Value` inputs are checked one by one. `Tensor` inputs are copied to float64 and checked on every
element, or, past ``max_elements``, along random directions (the directional derivative).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from autograd.modes import no_grad
from autograd.tensor import Tensor
from autograd.value import Value


class GradcheckError(AssertionError):
    """The analytic and numerical gradients disagree beyond the tolerance."""


def gradcheck(
    fn: Callable[..., Any],
    *inputs: Any,
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
    max_elements: int = 4096,
    directions: int = 8,
    seed: int = 0,
) -> bool:
    r"""Compare the backward d fn/d input with $(f(x+\varepsilon) - f(x-\varepsilon))/2\varepsilon$.

    Args:
        fn: takes ``inputs`` and returns a scalar `Value`, or a `Tensor` of any shape (a
            non-scalar output is reduced to a scalar with fixed random weights).
        inputs: `Value` leaves, or `Tensor`s. Tensors are copied to float64 (so every tensor
            ``fn`` uses should be float64); those with ``requires_grad=True`` are checked, the
            rest are constants.
        eps: the finite-difference step.
        atol, rtol: the check is ``|analytic - numeric| <= atol + rtol * |numeric|``.
        max_elements: a tensor input with more elements is checked along ``directions`` random
            unit directions instead of element by element.
        directions: how many random directions for large inputs.
        seed: seeds the output weights and the directions.

    Returns:
        True; otherwise raises `GradcheckError` naming the worst input (and element).

    >>> gradcheck(lambda a, b: (a * b).tanh(), Value(0.3), Value(-1.2))
    True
    >>> x = Tensor([[0.5, -1.0], [2.0, 0.1]], requires_grad=True)
    >>> gradcheck(lambda t: (t * t).sum(axis=1).sqrt(), x)
    True
    """
    if inputs and all(isinstance(x, Tensor) for x in inputs):
        return _check_tensors(fn, inputs, eps, atol, rtol, max_elements, directions, seed)
    for i, x in enumerate(inputs):
        if not isinstance(x, Value):
            raise TypeError(
                f"gradcheck: input {i} must be a Value (or every input a Tensor); got "
                f"{type(x).__name__}"
            )
    out = _scalar_output(fn(*inputs))
    for x in inputs:
        x.grad = 0.0
    out.backward()
    analytic = [x.grad for x in inputs]

    worst = (0.0, -1, 0.0, 0.0)
    for i, x in enumerate(inputs):
        x0 = x.data
        x.data = x0 + eps
        f_plus = _scalar_output(fn(*inputs)).data
        x.data = x0 - eps
        f_minus = _scalar_output(fn(*inputs)).data
        x.data = x0
        numeric = (f_plus - f_minus) / (2.0 * eps)
        excess = abs(analytic[i] - numeric) - (atol + rtol * abs(numeric))
        if not excess <= 0.0 and (worst[1] < 0 or excess > worst[0] or excess != excess):
            worst = (excess, i, analytic[i], numeric)
    if worst[1] >= 0:
        _, i, a, n = worst
        raise GradcheckError(
            f"gradcheck: gradient of input {i} differs; got analytic {a!r}, expected numeric {n!r} "
            f"(atol={atol}, rtol={rtol}, eps={eps})"
        )
    return True


def _scalar_output(out: Any) -> Value:
    if not isinstance(out, Value):
        raise TypeError(f"gradcheck: fn must return a Value; got {type(out).__name__}")
    return out


def _tensor_output(out: Any) -> Tensor:
    if not isinstance(out, Tensor):
        raise TypeError(f"gradcheck: fn must return a Tensor; got {type(out).__name__}")
    return out


def _check_tensors(
    fn: Callable[..., Any],
    inputs: tuple[Tensor, ...],
    eps: float,
    atol: float,
    rtol: float,
    max_elements: int,
    directions: int,
    seed: int,
) -> bool:
    checked = [i for i, x in enumerate(inputs) if x.requires_grad]
    if not checked:
        raise ValueError(
            "gradcheck: no input requires grad; got only constants, expected at least one Tensor "
            "with requires_grad=True"
        )
    leaves = [
        Tensor(x.data, dtype=np.float64, requires_grad=x.requires_grad)
        if x.dtype.kind == "f"
        else x
        for x in inputs
    ]
    out = _tensor_output(fn(*leaves))
    rng = np.random.default_rng(seed)
    weights = np.ones(out.shape) if out.size == 1 else rng.standard_normal(out.shape)
    if out.requires_grad:
        out.backward(weights)

    def objective() -> float:
        with no_grad():
            value = _tensor_output(fn(*leaves)).data
        return float(np.sum(value * weights))

    worst: tuple[float, str, float, float] | None = None
    for i in checked:
        leaf = leaves[i]
        data = leaf.data
        analytic = leaf.grad if leaf.grad is not None else np.zeros_like(data)
        if data.size <= max_elements:
            flat = data.reshape(-1)  # a view: perturbing it perturbs the leaf
            for k in range(flat.size):
                x0 = flat[k]
                flat[k] = x0 + eps
                f_plus = objective()
                flat[k] = x0 - eps
                f_minus = objective()
                flat[k] = x0
                numeric = (f_plus - f_minus) / (2.0 * eps)
                index = tuple(int(j) for j in np.unravel_index(k, data.shape))
                where = f"input {i} at {index}"
                worst = _worse(worst, analytic.reshape(-1)[k], numeric, where, atol, rtol)
        else:
            original = data.copy()
            for d in range(directions):
                direction = rng.standard_normal(data.shape)
                direction /= np.linalg.norm(direction)
                data[...] = original + eps * direction
                f_plus = objective()
                data[...] = original - eps * direction
                f_minus = objective()
                data[...] = original
                numeric = (f_plus - f_minus) / (2.0 * eps)
                where = f"input {i} along random direction {d}"
                along = float(np.sum(analytic * direction))
                worst = _worse(worst, along, numeric, where, atol, rtol)
    if worst is not None:
        _, where, a, n = worst
        raise GradcheckError(
            f"gradcheck: gradient of {where} differs; got analytic {a!r}, expected numeric "
            f"{n!r} (atol={atol}, rtol={rtol}, eps={eps})"
        )
    return True


def _worse(
    worst: tuple[float, str, float, float] | None,
    analytic: float,
    numeric: float,
    where: str,
    atol: float,
    rtol: float,
) -> tuple[float, str, float, float] | None:
    """The worse of the current worst mismatch and this one (None while all pass)."""
    analytic, numeric = float(analytic), float(numeric)
    excess = abs(analytic - numeric) - (atol + rtol * abs(numeric))
    if excess <= 0.0:
        return worst
    if worst is None or excess > worst[0] or excess != excess:
        return (excess, where, analytic, numeric)
    return worst
