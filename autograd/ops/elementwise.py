"""Elementwise ops with numpy broadcasting; each backward returns `unbroadcast` of its gradients.

Constants (Python numbers, numpy arrays) may stand on either side of a binary op; they are not
parents and get no gradient. Like PyTorch, domain errors give nan/inf rather than exceptions.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd.tensor import Tensor, _leaf, record, unbroadcast
from autograd.value import Value


def _quiet() -> np.errstate:
    """Silence numpy's divide/overflow warnings: like PyTorch, these ops give inf/nan quietly."""
    return np.errstate(all="ignore")


def operand(x: Any, api: str) -> Any:
    """The raw value of one side of a binary op: an array, or a Python number."""
    if isinstance(x, Tensor):
        return x.data
    if isinstance(x, np.generic):  # a numpy scalar acts like a Python number (keeps float32)
        return x.item()
    if isinstance(x, (float, int, np.ndarray)):
        return x
    if isinstance(x, Value):
        raise TypeError(
            f"{api}: cannot mix Tensor and Value; got a Value ({x!r}). Build the expression "
            "from one kind: Tensor(v.data) for a constant, or Values throughout."
        )
    raise TypeError(
        f"{api}: unsupported operand; got {type(x).__name__}, expected a Tensor, a number or "
        "a numpy array"
    )


# ---- arithmetic ----------------------------------------------------------------------------


def add(a: Any, b: Any) -> Tensor:  # a + b; d/da = d/db = 1
    ad, bd = operand(a, "add"), operand(b, "add")
    return record(ad + bd, "+", (a, b), _add_backward, (ad, bd))


def _add_backward(g, needs, a, b):
    return (
        unbroadcast(g, a) if needs[0] else None,
        unbroadcast(g, b) if needs[1] else None,
    )


def sub(a: Any, b: Any) -> Tensor:  # a - b; d/da = 1, d/db = -1
    ad, bd = operand(a, "sub"), operand(b, "sub")
    return record(ad - bd, "-", (a, b), _sub_backward, (ad, bd))


def _sub_backward(g, needs, a, b):
    return (
        unbroadcast(g, a) if needs[0] else None,
        unbroadcast(-g, b) if needs[1] else None,
    )


def mul(a: Any, b: Any) -> Tensor:  # a * b; d/da = b, d/db = a
    ad, bd = operand(a, "mul"), operand(b, "mul")
    return record(ad * bd, "*", (a, b), _mul_backward, (ad, bd))


def _mul_backward(g, needs, a, b):
    return (
        unbroadcast(g * b, a) if needs[0] else None,
        unbroadcast(g * a, b) if needs[1] else None,
    )


def div(a: Any, b: Any) -> Tensor:  # a / b; d/da = 1/b, d/db = -a/b² = -out/b
    ad, bd = operand(a, "div"), operand(b, "div")
    with _quiet():
        out = ad / bd
    return record(out, "/", (a, b), _div_backward, (ad, bd, out))


def _div_backward(g, needs, a, b, out):
    with _quiet():
        return (
            unbroadcast(g / b, a) if needs[0] else None,
            unbroadcast(-g * out / b, b) if needs[1] else None,
        )


def power(a: Any, b: Any) -> Tensor:  # a ** b; d/da = b·a^(b-1), d/db = a^b·ln a
    ad, bd = operand(a, "pow"), operand(b, "pow")
    with _quiet():
        out = ad**bd
    if not isinstance(b, (Tensor, np.ndarray)):  # a number: the op shows it, as in "**2"
        return record(out, f"**{bd:g}", (a,), _power_const_backward, (ad, float(bd)))
    return record(out, "**", (a, b), _power_backward, (ad, bd, out))


def _power_const_backward(g, needs, a, k):
    if k == 0.0:
        return (np.zeros_like(a),)
    if k == 1.0:
        return (g,)
    if k == 2.0:
        return (g * (2.0 * a),)
    with _quiet():
        return (g * (k * a ** (k - 1.0)),)


def _power_backward(g, needs, a, b, out):
    with _quiet():
        grad_a = grad_b = None
        if needs[0]:
            grad_a = unbroadcast(g * (b * a ** (b - 1.0)), a)
        if needs[1]:  # ln a is -inf at a = 0, where a^b·ln a → 0 for b > 0 (PyTorch's choice)
            grad_b = unbroadcast(g * np.where(a == 0, 0.0, out * np.log(a)), b)
    return grad_a, grad_b


def maximum(a: Any, b: Any) -> Tensor:  # max(a, b); the gradient goes to the larger, halves on tie
    ad, bd = operand(a, "maximum"), operand(b, "maximum")
    return record(np.maximum(ad, bd), "maximum", (a, b), _select_backward, (ad, bd, True))


def minimum(a: Any, b: Any) -> Tensor:  # min(a, b); the gradient goes to the smaller, halves on tie
    ad, bd = operand(a, "minimum"), operand(b, "minimum")
    return record(np.minimum(ad, bd), "minimum", (a, b), _select_backward, (ad, bd, False))


def _select_backward(g, needs, a, b, larger):
    share_a = (np.greater(a, b) if larger else np.less(a, b)) + 0.5 * np.equal(a, b)
    return (
        unbroadcast(g * share_a, a) if needs[0] else None,
        unbroadcast(g * (1.0 - share_a), b) if needs[1] else None,
    )


# ---- unary ---------------------------------------------------------------------------------


def neg(x: Tensor) -> Tensor:  # -x; d/dx = -1
    return record(-x.data, "neg", (x,), _neg_backward)


def _neg_backward(g, needs):
    return (-g,)


def absolute(x: Tensor) -> Tensor:  # |x|; d/dx = sign(x), 0 at 0
    return record(np.abs(x.data), "abs", (x,), _abs_backward, (x.data,))


def _abs_backward(g, needs, x):
    return (g * np.sign(x),)


def exp(x: Tensor) -> Tensor:  # e^x; d/dx = e^x
    with _quiet():
        y = np.exp(x.data)
    return record(y, "exp", (x,), _exp_backward, (y,))


def _exp_backward(g, needs, y):
    return (g * y,)


def log(x: Tensor) -> Tensor:  # ln x; d/dx = 1/x
    with _quiet():
        y = np.log(x.data)
    return record(y, "log", (x,), _log_backward, (x.data,))


def _log_backward(g, needs, x):
    with _quiet():
        return (g / x,)


def sqrt(x: Tensor) -> Tensor:  # √x; d/dx = 1/(2√x)
    with _quiet():
        y = np.sqrt(x.data)
    return record(y, "sqrt", (x,), _sqrt_backward, (y,))


def _sqrt_backward(g, needs, y):
    with _quiet():
        return (g * 0.5 / y,)


def tanh(x: Tensor) -> Tensor:  # tanh x; d/dx = 1 - tanh²x
    y = np.tanh(x.data)
    return record(y, "tanh", (x,), _tanh_backward, (y,))


def _tanh_backward(g, needs, y):
    return (g * (1.0 - y * y),)


def _sigmoid(x: np.ndarray) -> np.ndarray:
    """σ(x) = 1/(1 + e) for x ≥ 0 and e/(1 + e) below, e = e^-|x| ≤ 1, so nothing overflows.

    The numerator is picked arithmetically: np.where on a random sign pattern is branchy and
    measured 2-3x slower on large arrays.
    """
    e = np.exp(-np.abs(x))
    return (e + (x >= 0) * (1.0 - e)) / (1.0 + e)


def sigmoid(x: Tensor) -> Tensor:  # σ(x) = 1/(1+e^-x); d/dx = σ(1-σ)
    y = _sigmoid(x.data)
    return record(y, "sigmoid", (x,), _sigmoid_backward, (y,))


def _sigmoid_backward(g, needs, y):
    return (g * (y * (1.0 - y)),)


# The masks below multiply by a boolean array instead of calling np.where, which measured 20x
# slower on a (64, 8, 28, 28) batch with random signs.


def relu(x: Tensor) -> Tensor:  # max(0, x); d/dx = 1 if x > 0 else 0
    return record(np.maximum(x.data, 0.0), "relu", (x,), _relu_backward, (x.data,))


def _relu_backward(g, needs, x):
    return (g * (x > 0),)


def leaky_relu(x: Tensor, alpha: float = 0.01) -> Tensor:  # x if x > 0 else αx; d/dx = 1 or α
    xd = x.data
    return record(xd * _slope(xd, alpha), "leaky_relu", (x,), _leaky_relu_backward, (xd, alpha))


def _slope(x: np.ndarray, alpha: float) -> np.ndarray:
    """1 where x > 0, else alpha."""
    return alpha + (1.0 - alpha) * (x > 0).astype(x.dtype)


def _leaky_relu_backward(g, needs, x, alpha):
    return (g * _slope(x, alpha),)


def elu(x: Tensor, alpha: float = 1.0) -> Tensor:  # x if x > 0 else α(e^x - 1); d/dx = 1 or αe^x
    xd = x.data
    y = np.maximum(xd, 0.0) + alpha * np.expm1(np.minimum(xd, 0.0))
    return record(y, "elu", (x,), _elu_backward, (xd, y, alpha))


def _elu_backward(g, needs, x, y, alpha):  # for x ≤ 0, αe^x = y + α
    positive = x > 0
    return (g * (positive + ~positive * (y + alpha)),)


def softplus(x: Tensor) -> Tensor:  # ln(1 + e^x) = max(x, 0) + ln(1 + e^-|x|); d/dx = σ(x)
    xd = x.data
    y = (np.maximum(xd, 0) + np.log1p(np.exp(-np.abs(xd))))
    return record(y, "softplus", (x,), _softplus_backward, (xd,))


def _softplus_backward(g, needs, x):
    return (g * _sigmoid(x),)


def clip(x: Tensor, low: float | None = None, high: float | None = None) -> Tensor:
    """Limit to [low, high]; d/dx = 1 inside (bounds included), 0 outside."""
    if low is None and high is None:
        raise ValueError("clip: no bound given; got low=None and high=None, expected at least one")
    xd = x.data
    return record(np.clip(xd, low, high), "clip", (x,), _clip_backward, (xd, low, high))


def _clip_backward(g, needs, x, low, high):
    inside = np.ones(x.shape, dtype=bool)
    if low is not None:
        inside &= x >= low
    if high is not None:
        inside &= x <= high
    return (g * inside,)


def astype(x: Tensor, dtype: Any) -> Tensor:  # a copy in another dtype; the gradient converts back
    target = np.dtype(dtype)
    y = x.data.astype(target)
    if target.kind != "f":  # integer and bool results are outside the graph, as in PyTorch
        return _leaf(y)
    return record(y, "astype", (x,), _astype_backward, (x.data.dtype,))


def _astype_backward(g, needs, dtype):
    return (g.astype(dtype),)
