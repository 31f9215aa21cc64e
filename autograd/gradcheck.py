"""Finite-difference checks: central differences in float64 against the analytic gradient.

`Value` inputs are checked one by one. `Tensor` inputs are copied to float64 and checked on every
element, or, past ``max_elements``, along random directions (the directional derivative).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from numbers import Integral, Real
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
        eps: the finite-difference step, a positive finite number.
        atol, rtol: the check is ``|analytic - numeric| <= atol + rtol * |numeric|``; finite,
            0 or more.
        max_elements: a tensor input with more elements is checked along ``directions`` random
            unit directions instead of element by element.
        directions: how many random directions for large inputs.
        seed: seeds the output weights and the directions.

    Returns:
        True; otherwise raises `GradcheckError` naming the worst input (and element).

    The inputs are left as they came, also when ``fn`` raises at a shifted point (the error
    then carries a note saying which input and shift).

    >>> gradcheck(lambda a, b: (a * b).tanh(), Value(0.3), Value(-1.2))
    True
    >>> x = Tensor([[0.5, -1.0], [2.0, 0.1]], requires_grad=True)
    >>> gradcheck(lambda t: (t * t).sum(axis=1).sqrt(), x)
    True
    """
    if not callable(fn):
        raise TypeError(f"gradcheck: fn must be callable; got {type(fn).__name__} {fn!r:.40}")
    if not inputs:
        raise TypeError("gradcheck: no inputs; expected one or more Values or Tensors after fn")
    eps = _positive(eps, "eps", "a step such as 1e-6", strict=True)
    atol = _positive(atol, "atol", "a tolerance such as 1e-5", strict=False)
    rtol = _positive(rtol, "rtol", "a tolerance such as 1e-3", strict=False)
    max_elements = _count(max_elements, "max_elements")
    directions = _count(directions, "directions")
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

    def value() -> float:
        return _scalar_output(fn(*inputs)).data

    worst = (0.0, -1, 0.0, 0.0)
    for i, x in enumerate(inputs):
        x0 = x.data
        try:  # the input is put back whatever fn does at the shifted points
            x.data = x0 + eps
            f_plus = _shifted(value, f"input {i} shifted by +eps to {x.data!r}")
            x.data = x0 - eps
            f_minus = _shifted(value, f"input {i} shifted by -eps to {x.data!r}")
        finally:
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


def _positive(value: Any, name: str, example: str, strict: bool) -> float:
    """``value`` as a float, if it is a finite number above zero (``strict``) or at least zero."""
    if isinstance(value, bool) or not isinstance(value, Real):
        raise TypeError(f"gradcheck: {name} must be a number; got {value!r}, expected {example}")
    number = float(value)
    if not math.isfinite(number) or number < 0.0 or (strict and number == 0.0):
        kind = "a positive finite number" if strict else "a finite number, 0 or more"
        raise ValueError(f"gradcheck: {name} must be {kind}; got {value!r}, expected {example}")
    return number


def _count(value: Any, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, Integral):
        raise TypeError(f"gradcheck: {name} must be an int; got {value!r}, expected e.g. 8")
    if value < 1:
        raise ValueError(f"gradcheck: {name} must be at least 1; got {value!r}, expected e.g. 8")
    return int(value)


def _shifted(evaluate: Callable[[], float], where: str) -> float:
    """``evaluate()`` at a shifted point; an error from ``fn`` there gets a note saying where."""
    try:
        return evaluate()
    except Exception as err:
        if hasattr(err, "add_note"):  # Python 3.11+
            err.add_note(
                f"gradcheck: fn raised at {where}; the input is restored. Use a smaller eps, "
                "or check a point farther from the edge of fn's domain."
            )
        raise


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
        data, grad = leaves[i].data, leaves[i].grad
        analytic = grad if grad is not None else np.zeros_like(data)
        original = data.copy()
        try:  # the leaf is put back whatever fn does at the shifted points
            if data.size <= max_elements:
                worst = _check_elements(objective, i, data, analytic, eps, atol, rtol, worst)
            else:
                for d in range(directions):
                    direction = rng.standard_normal(data.shape)
                    direction /= np.linalg.norm(direction)
                    where = f"input {i} along random direction {d}"
                    data[...] = original + eps * direction
                    f_plus = _shifted(objective, f"{where}, shifted by +eps")
                    data[...] = original - eps * direction
                    f_minus = _shifted(objective, f"{where}, shifted by -eps")
                    data[...] = original
                    numeric = (f_plus - f_minus) / (2.0 * eps)
                    along = float(np.sum(analytic * direction))
                    worst = _worse(worst, along, numeric, where, atol, rtol)
        finally:
            data[...] = original
    if worst is not None:
        _, where, a, n = worst
        raise GradcheckError(
            f"gradcheck: gradient of {where} differs; got analytic {a!r}, expected numeric "
            f"{n!r} (atol={atol}, rtol={rtol}, eps={eps})"
        )
    return True


def _check_elements(
    objective: Callable[[], float],
    i: int,
    data: np.ndarray,
    analytic: np.ndarray,
    eps: float,
    atol: float,
    rtol: float,
    worst: tuple[float, str, float, float] | None,
) -> tuple[float, str, float, float] | None:
    """Central differences on every element of input ``i`` (``data`` is the leaf's array)."""
    flat = data.reshape(-1)  # a view: perturbing it perturbs the leaf
    for k in range(flat.size):
        x0 = float(flat[k])
        index = tuple(int(j) for j in np.unravel_index(k, data.shape))
        where = f"input {i} at {index}"
        flat[k] = x0 + eps
        f_plus = _shifted(objective, f"{where} shifted by +eps to {float(flat[k])!r}")
        flat[k] = x0 - eps
        f_minus = _shifted(objective, f"{where} shifted by -eps to {float(flat[k])!r}")
        flat[k] = x0
        numeric = (f_plus - f_minus) / (2.0 * eps)
        worst = _worse(worst, analytic.reshape(-1)[k], numeric, where, atol, rtol)
    return worst


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
