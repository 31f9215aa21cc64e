"""Elementwise ops with numpy broadcasting; each backward returns `unbroadcast` of its gradients.

Constants (Python numbers, numpy arrays) may stand on either side of a binary op; they are not
parents and get no gradient. Like PyTorch, domain errors give nan/inf rather than exceptions.
Every binary op computes through `binary`, the one place that turns numpy's broadcasting and
overflow errors into errors naming the op.
"""

from __future__ import annotations

from collections.abc import Callable
from numbers import Real
from typing import Any

import numpy as np

from autograd import kernels
from autograd.modes import flags
from autograd.record import OUTPUT, _leaf, record, unbroadcast
from autograd.tensor import Tensor, _short, as_dtype
from autograd.value import Value


def _quiet() -> np.errstate:
    """Silence numpy's divide/overflow warnings: like PyTorch, these ops give inf/nan quietly."""
    return np.errstate(all="ignore")


def operand(x: Any, api: str) -> Any:
    """The raw value of one side of a binary op: an array, or a Python number."""
    if isinstance(x, Tensor):
        return x._data
    if isinstance(x, (np.ndarray, np.generic)):  # before float: np.float64 is a float
        if x.dtype.kind not in "fiub":
            raise TypeError(
                f"{api}: unsupported operand dtype; got an array of {x.dtype}, expected a float, "
                "integer or bool array"
            )
        # a numpy scalar acts like a Python number (a float32 tensor stays float32)
        return x.item() if isinstance(x, np.generic) else x
    if isinstance(x, (float, int)):
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


def binary(
    a: Any, b: Any, api: str, ufunc: Callable[[Any, Any], Any], quiet: bool = False
) -> tuple[Any, Any, Any]:
    """The raw operands of a binary op and ``ufunc`` of them; numpy's errors come out naming api.

    The try block costs nothing on success; only a failure pays for finding out what went wrong.
    """
    ad = a._data if type(a) is Tensor else operand(a, api)  # the common case without a call
    bd = b._data if type(b) is Tensor else operand(b, api)
    try:
        if quiet:
            with _quiet():
                out = ufunc(ad, bd)
        else:
            out = ufunc(ad, bd)
        if out.dtype is _FLOAT64:  # numpy widens int and float32 mixes that PyTorch keeps
            target = _torch_float(ad, bd)
            if target is not None:
                ad, bd = _cast(ad, target), _cast(bd, target)
                if quiet:
                    with _quiet():
                        out = ufunc(ad, bd)
                else:
                    out = ufunc(ad, bd)
        return ad, bd, out
    except (ValueError, OverflowError) as err:
        raise _binary_error(api, ad, bd, err) from None
    except TypeError as err:  # numpy refuses the dtypes, e.g. bool - bool
        reason = str(err).rstrip(".")
        raise TypeError(
            f"{api}: {reason}; got dtypes {np.result_type(ad)} and {np.result_type(bd)}, "
            "expected numbers (for masks use ^ | & ~)"
        ) from None


_FLOAT64 = np.dtype(np.float64)


def _torch_float(ad: Any, bd: Any) -> np.dtype | None:
    """The float dtype PyTorch gives a binary op whose numpy result is float64, if another.

    PyTorch promotes by category: a float tensor with an integer tensor or a number keeps the
    float tensor's dtype (float32 ⊕ int64 is float32; numpy gives float64), and integer tensors
    that meet a float number or a true division give the default dtype. None: float64 is right
    (an operand is float64).
    """
    floats = [x.dtype for x in (ad, bd) if isinstance(x, np.ndarray) and x.dtype.kind == "f"]
    if _FLOAT64 in floats:
        return None
    if floats:
        return max(floats, key=lambda d: d.itemsize)
    default = flags.default_dtype
    return None if default == _FLOAT64 else default


def _cast(x: Any, dtype: np.dtype) -> Any:
    """An integer, bool or narrower float array as ``dtype``; numbers and ``dtype`` arrays as
    they are."""
    return x.astype(dtype) if isinstance(x, np.ndarray) and x.dtype != dtype else x


def _binary_error(api: str, a: Any, b: Any, err: Exception) -> Exception:
    """The error for a binary op that numpy refused: shapes that do not broadcast, or a number
    too large for the tensor's dtype."""
    shape_a, shape_b = np.shape(a), np.shape(b)
    if isinstance(err, OverflowError):
        number, array = (a, b) if isinstance(a, int) else (b, a)
        dtype = getattr(array, "dtype", "float64")
        return ValueError(
            f"{api}: number out of range for dtype {dtype}; got {_short(number)}, expected a "
            f"value that fits {dtype}"
        )
    try:
        np.broadcast_shapes(shape_a, shape_b)
    except ValueError:
        for dim in range(-1, -min(len(shape_a), len(shape_b)) - 1, -1):
            n, m = shape_a[dim], shape_b[dim]
            if n != m and n != 1 and m != 1:
                break
        return ValueError(
            f"{api}: shapes {shape_a} and {shape_b} cannot be broadcast together; got sizes {n} "
            f"and {m} at dim {dim}, expected equal sizes or a 1 in every trailing dim. Line the "
            "dims up first, e.g. with reshape, unsqueeze or .T"
        )
    reason = str(err).rstrip(".")
    return ValueError(
        f"{api}: {reason[:1].lower()}{reason[1:]}; got shapes {shape_a} and {shape_b} of dtypes "
        f"{np.result_type(a)} and {np.result_type(b)}"
    )


def compare(a: Tensor, b: Any, api: str, ufunc: Callable[[Any, Any], Any]) -> Tensor:
    """A comparison: a boolean tensor outside the graph."""
    return _leaf(np.asarray(binary(a, b, api, ufunc)[2]))


def bitwise(a: Any, b: Any, api: str, ufunc: Callable[..., Any]) -> Tensor:
    """``a & b``, ``a | b``, ``a ^ b`` (or ``~a`` when ``b`` is None) on bool and integer tensors,
    outside the graph: masks such as ``(x > 0) & (x < 1)``. Floats are refused, as in PyTorch."""
    for side in (a, b):
        kind = side._data.dtype.kind if isinstance(side, Tensor) else type(side).__name__
        if kind not in ("b", "i", "u", "bool", "int", "NoneType"):
            got = f"dtype {side._data.dtype}" if isinstance(side, Tensor) else type(side).__name__
            raise TypeError(
                f"{api}: bitwise ops need bool or integer tensors; got {got}, expected e.g. a "
                "comparison's result. For floats compare first: (x > 0) & (x < 1)"
            )
    if b is None:
        return _leaf(np.asarray(ufunc(a._data)))
    return _leaf(np.asarray(binary(a, b, api, ufunc)[2]))


def _number(x: Any, api: str, name: str) -> float:
    """A real-number argument such as alpha as a float, or a TypeError naming api."""
    if not isinstance(x, Real):
        raise TypeError(f"{api}: {name} must be a number; got {type(x).__name__} {_short(x)}")
    try:
        return float(x)
    except OverflowError:
        raise ValueError(f"{api}: {name} out of range; got {_short(x)}") from None


# ---- arithmetic ----------------------------------------------------------------------------


def add(a: Any, b: Any) -> Tensor:  # a + b; d/da = d/db = 1
    ad, bd, out = binary(a, b, "add", np.add)
    return record(out, "+", (a, b), _add_backward, (ad, bd))


def _add_backward(g, needs, a, b):
    return (
        unbroadcast(g, a) if needs[0] else None,
        unbroadcast(g, b) if needs[1] else None,
    )


def sub(a: Any, b: Any) -> Tensor:  # a - b; d/da = 1, d/db = -1
    ad, bd, out = binary(a, b, "sub", np.subtract)
    return record(out, "-", (a, b), _sub_backward, (ad, bd))


def _sub_backward(g, needs, a, b):
    return (
        unbroadcast(g, a) if needs[0] else None,
        unbroadcast(-g, b) if needs[1] else None,
    )


def mul(a: Any, b: Any) -> Tensor:  # a * b; d/da = b, d/db = a
    ad, bd, out = binary(a, b, "mul", np.multiply)
    return record(out, "*", (a, b), _mul_backward, (ad, bd), reads=(a, b))


def _mul_backward(g, needs, a, b):
    return (
        unbroadcast(g * b, a) if needs[0] else None,
        unbroadcast(g * a, b) if needs[1] else None,
    )


def div(a: Any, b: Any) -> Tensor:  # a / b; d/da = 1/b, d/db = -a/b² = -out/b
    ad, bd, out = binary(a, b, "div", np.true_divide, quiet=True)
    return record(out, "/", (a, b), _div_backward, (ad, bd, out), reads=(b, OUTPUT))


def _div_backward(g, needs, a, b, out):
    with _quiet():
        return (
            unbroadcast(g / b, a) if needs[0] else None,
            unbroadcast(-g * out / b, b) if needs[1] else None,
        )


def power(a: Any, b: Any) -> Tensor:  # a ** b; d/da = b·a^(b-1), d/db = a^b·ln a
    ad, bd, out = binary(a, b, "pow", np.power, quiet=True)
    if not isinstance(b, (Tensor, np.ndarray)):  # a number: the op shows it, as in "**2"
        return record(out, f"**{bd:g}", (a,), _power_const_backward, (ad, float(bd)), reads=(a,))
    return record(out, "**", (a, b), _power_backward, (ad, bd, out), reads=(a, b, OUTPUT))


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
    # PyTorch's values where the formulas read 0·inf: d/da = 0 wherever b = 0 (a^0 is constant),
    # and d/db = 0 at a = 0 for b >= 0 (a^b vanishes faster than ln a diverges); for b < 0 it
    # stays a^b·ln a = inf·(-inf) = -inf.
    with _quiet():
        grad_a = grad_b = None
        if needs[0]:
            grad_a = unbroadcast(g * np.where(b == 0, 0.0, b * a ** (b - 1.0)), a)
        if needs[1]:
            grad_b = unbroadcast(g * np.where((a == 0) & (b >= 0), 0.0, out * np.log(a)), b)
    return grad_a, grad_b


def maximum(a: Any, b: Any) -> Tensor:  # max(a, b); the gradient goes to the larger, halves on tie
    ad, bd, out = binary(a, b, "maximum", np.maximum)
    return record(out, "maximum", (a, b), _select_backward, (ad, bd, True), reads=(a, b))


def minimum(a: Any, b: Any) -> Tensor:  # min(a, b); the gradient goes to the smaller, halves on tie
    ad, bd, out = binary(a, b, "minimum", np.minimum)
    return record(out, "minimum", (a, b), _select_backward, (ad, bd, False), reads=(a, b))


def _select_backward(g, needs, a, b, larger):
    share_a = (np.greater(a, b) if larger else np.less(a, b)) + 0.5 * np.equal(a, b)
    return (
        unbroadcast(g * share_a, a) if needs[0] else None,
        unbroadcast(g * (1.0 - share_a), b) if needs[1] else None,
    )


# ---- unary ---------------------------------------------------------------------------------


def neg(x: Tensor) -> Tensor:  # -x; d/dx = -1
    return record(-x._data, "neg", (x,), _neg_backward)


def _neg_backward(g, needs):
    return (-g,)


def absolute(x: Tensor) -> Tensor:  # |x|; d/dx = sign(x), 0 at 0
    return record(np.abs(x._data), "abs", (x,), _abs_backward, (x._data,), reads=(x,))


def _abs_backward(g, needs, x):
    return (g * np.sign(x),)


def exp(x: Tensor) -> Tensor:  # e^x; d/dx = e^x
    with _quiet():
        y = np.exp(x._data)
    return record(y, "exp", (x,), _exp_backward, (y,), reads=(OUTPUT,))


def _exp_backward(g, needs, y):
    return (g * y,)


def log(x: Tensor) -> Tensor:  # ln x; d/dx = 1/x
    with _quiet():
        y = np.log(x._data)
    return record(y, "log", (x,), _log_backward, (x._data,), reads=(x,))


def _log_backward(g, needs, x):
    with _quiet():
        return (g / x,)


def sqrt(x: Tensor) -> Tensor:  # √x; d/dx = 1/(2√x)
    with _quiet():
        y = np.sqrt(x._data)
    return record(y, "sqrt", (x,), _sqrt_backward, (y,), reads=(OUTPUT,))


def _sqrt_backward(g, needs, y):
    with _quiet():
        return (g * 0.5 / y,)


def tanh(x: Tensor) -> Tensor:  # tanh x; d/dx = 1 - tanh²x
    y = np.tanh(x._data)
    return record(y, "tanh", (x,), _tanh_backward, (y,), reads=(OUTPUT,))


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
    y = _sigmoid(x._data)
    return record(y, "sigmoid", (x,), _sigmoid_backward, (y,), reads=(OUTPUT,))


def _sigmoid_backward(g, needs, y):
    return (g * (y * (1.0 - y)),)


# The masks below multiply by a boolean array instead of calling np.where, which measured 20x
# slower on a (64, 8, 28, 28) batch with random signs.


def relu(x: Tensor) -> Tensor:  # max(0, x); d/dx = 1 if x > 0 else 0
    xd = x._data
    return record(kernels.relu(xd), "relu", (x,), _relu_backward, (xd,), reads=(x,))


def _relu_backward(g, needs, x):
    return (kernels.relu_grad(g, x),)


def leaky_relu(x: Tensor, alpha: float = 0.01) -> Tensor:  # x if x > 0 else αx; d/dx = 1 or α
    xd, alpha = x._data, _number(alpha, "leaky_relu", "alpha")
    y = xd * _slope(xd, alpha)
    return record(y, "leaky_relu", (x,), _leaky_relu_backward, (xd, alpha), reads=(x,))


def _slope(x: np.ndarray, alpha: float) -> np.ndarray:
    """1 where x > 0, else alpha."""
    return alpha + (1.0 - alpha) * (x > 0).astype(x.dtype)


def _leaky_relu_backward(g, needs, x, alpha):
    return (g * _slope(x, alpha),)


def elu(x: Tensor, alpha: float = 1.0) -> Tensor:  # x if x > 0 else α(e^x - 1); d/dx = 1 or αe^x
    xd, alpha = x._data, _number(alpha, "elu", "alpha")
    y = np.maximum(xd, 0.0) + alpha * np.expm1(np.minimum(xd, 0.0))
    return record(y, "elu", (x,), _elu_backward, (xd, y, alpha), reads=(x, OUTPUT))


def _elu_backward(g, needs, x, y, alpha):  # for x ≤ 0, αe^x = y + α
    positive = x > 0
    return (g * (positive + ~positive * (y + alpha)),)


def softplus(x: Tensor) -> Tensor:  # ln(1 + e^x) = max(x, 0) + ln(1 + e^-|x|); d/dx = σ(x)
    xd = x._data
    y = np.maximum(xd, 0) + np.log1p(np.exp(-np.abs(xd)))
    return record(y, "softplus", (x,), _softplus_backward, (xd,), reads=(x,))


def _softplus_backward(g, needs, x):
    return (g * _sigmoid(x),)


def clip(x: Tensor, low: float | None = None, high: float | None = None) -> Tensor:
    """Limit to [low, high]; d/dx = 1 inside (bounds included), 0 outside."""
    if low is None and high is None:
        raise ValueError("clip: no bound given; got low=None and high=None, expected at least one")
    low = None if low is None else _bound(low, "low")
    high = None if high is None else _bound(high, "high")
    xd = x._data
    y = np.clip(xd, low, high)
    return record(y, "clip", (x,), _clip_backward, (xd, low, high), reads=(x,))


def _bound(bound: Any, name: str) -> Any:
    """A bound of clip: an int stays an int (an integer tensor stays integer), else a float."""
    if isinstance(bound, (int, np.integer)) and -(2**63) <= bound < 2**63:
        return int(bound)
    return _number(bound, "clip", name)


def _clip_backward(g, needs, x, low, high):
    inside = np.ones(x.shape, dtype=bool)
    if low is not None:
        inside &= x >= low
    if high is not None:
        inside &= x <= high
    return (g * inside,)


def astype(x: Tensor, dtype: Any) -> Tensor:  # a copy in another dtype; the gradient converts back
    target = as_dtype(dtype, "astype")
    if target is None:
        raise TypeError("astype: not a dtype; got None, expected a dtype such as 'float32'")
    xd = x._data
    if target.kind in "iu" and xd.size and not np.can_cast(xd.dtype, target):
        with _quiet():  # nan, inf and overflow convert to arbitrary integers, as in numpy
            y = xd.astype(target)
    else:
        y = xd.astype(target)
    if target.kind != "f":  # integer and bool results are outside the graph, as in PyTorch
        return _leaf(y)
    return record(y, "astype", (x,), _astype_backward, (xd.dtype,))


def _astype_backward(g, needs, dtype):
    return (g.astype(dtype),)


# ---- trigonometry, rounding, clamp, clone ----------------------------------------------------


def _floating(x: Tensor) -> np.ndarray:
    """``x``'s values as floats: integer and bool tensors go to the default dtype, as in PyTorch."""
    xd = x._data
    return xd if xd.dtype.kind == "f" else xd.astype(flags.default_dtype)


def sin(x: Tensor) -> Tensor:  # sin x; d/dx = cos x
    xd = _floating(x)
    with _quiet():  # sin(±inf) is nan, quietly, as in PyTorch
        y = np.sin(xd)
    return record(y, "sin", (x,), _sin_backward, (xd,), reads=(x,))


def _sin_backward(g, needs, x):
    with _quiet():
        return (g * np.cos(x),)


def cos(x: Tensor) -> Tensor:  # cos x; d/dx = -sin x
    xd = _floating(x)
    with _quiet():
        y = np.cos(xd)
    return record(y, "cos", (x,), _cos_backward, (xd,), reads=(x,))


def _cos_backward(g, needs, x):
    with _quiet():
        return (-g * np.sin(x),)


def tan(x: Tensor) -> Tensor:  # tan x; d/dx = 1 + tan²x
    with _quiet():
        y = np.tan(_floating(x))
    return record(y, "tan", (x,), _tan_backward, (y,), reads=(OUTPUT,))


def _tan_backward(g, needs, y):
    with _quiet():
        return (g * (1.0 + y * y),)


def _step(x: Tensor, op: str, fn: Callable[[np.ndarray], np.ndarray]) -> Tensor:
    """A piecewise-constant op: integer and bool tensors come back as copies (they are already
    whole numbers), floats through ``fn``; the gradient is zero everywhere, as in PyTorch."""
    xd = x._data
    kind = xd.dtype.kind
    if kind == "b" and op != "sign":
        raise TypeError(
            f"{op}: not defined for bool tensors; got dtype bool, expected a float or integer "
            "tensor (as in PyTorch)"
        )
    y = fn(xd) if kind == "f" else xd.copy()
    return record(y, op, (x,), _zero_backward, (xd.shape, xd.dtype))


def _zero_backward(g, needs, shape, dtype):
    return (np.zeros(shape, dtype=dtype),)


def sign(x: Tensor) -> Tensor:  # -1, 0 or 1; d/dx = 0
    xd = x._data
    if xd.dtype.kind in "iu":
        return _leaf(np.sign(xd))
    return _step(x, "sign", _sign)


def _sign(x: np.ndarray) -> np.ndarray:
    """(x > 0) - (x < 0), PyTorch's formula: 0 for nan and for -0.0, where np.sign keeps them."""
    return (x > 0).astype(x.dtype) - (x < 0)


def floor(x: Tensor) -> Tensor:  # the largest whole number ≤ x; d/dx = 0
    return _step(x, "floor", np.floor)


def ceil(x: Tensor) -> Tensor:  # the smallest whole number ≥ x; d/dx = 0
    return _step(x, "ceil", np.ceil)


def round_decimals(x: Tensor, decimals: int = 0) -> Tensor:  # to ``decimals`` places, half to even
    if not isinstance(decimals, (int, np.integer)) or isinstance(decimals, (bool, np.bool_)):
        raise TypeError(
            f"round: decimals must be an int; got {type(decimals).__name__} {_short(decimals)}"
        )
    places = int(decimals)
    if places == 0:
        return _step(x, "round", np.round)
    return _step(x, "round", lambda xd: np.round(xd, places))


def clamp(x: Tensor, low: Any = None, high: Any = None, api: str = "clamp") -> Tensor:
    """PyTorch's ``clamp(min, max)`` (also spelled ``clip``): number bounds, checked by name.

    Tensor bounds are refused: PyTorch takes them, but its gradient on ties differs from
    `maximum`/`minimum`, so the error points there instead of giving other numbers quietly.
    """
    for name, bound in (("min", low), ("max", high)):
        if isinstance(bound, (Tensor, np.ndarray)):
            other = "maximum" if name == "min" else "minimum"
            raise TypeError(
                f"{api}: {name} must be a number or None; got a {type(bound).__name__} of shape "
                f"{np.shape(bound)}, expected a number. For an elementwise bound use "
                f"autograd.{other}(x, bound) (ties split the gradient there)"
            )
        if bound is not None and not isinstance(bound, Real):
            raise TypeError(
                f"{api}: {name} must be a number or None; got {type(bound).__name__} "
                f"{_short(bound)}"
            )
    if low is None and high is None:
        raise ValueError(
            f"{api}: no bound given; got min=None and max=None, expected at least one of them"
        )
    return clip(x, low, high)


def clone(x: Tensor) -> Tensor:  # a copy in the graph; d/dx = 1
    return record(x._data.copy(), "clone", (x,), _clone_backward)


def _clone_backward(g, needs):
    return (g,)
