"""Finite-difference checks: central differences in float64 against the analytic gradient."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from autograd.value import Value


class GradcheckError(AssertionError):
    """The analytic and numerical gradients disagree beyond the tolerance."""


def gradcheck(
    fn: Callable[..., Any],
    *inputs: Any,
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
) -> bool:
    r"""Compare d fn/d input from ``backward()`` with $(f(x+\varepsilon) - f(x-\varepsilon)) / 2\varepsilon$.

    Args:
        fn: takes ``inputs`` and returns a scalar `Value`.
        inputs: the `Value` leaves to differentiate with respect to.
        eps: the finite-difference step.
        atol, rtol: the check is ``|analytic - numeric| <= atol + rtol * |numeric|``.

    Returns:
        True; otherwise raises `GradcheckError` naming the worst input.

    >>> gradcheck(lambda a, b: (a * b).tanh(), Value(0.3), Value(-1.2))
    True
    """
    for i, x in enumerate(inputs):
        if not isinstance(x, Value):
            raise TypeError(f"gradcheck: input {i} must be a Value; got {type(x).__name__}")
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
