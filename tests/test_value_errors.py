"""Bad input to `Value`: errors that name the op and the value; overflow saturates, never raises."""

from __future__ import annotations

import math
import re
from collections.abc import Callable

import pytest

from autograd import Value

# ---- types --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw, shown",
    [(Value(1.0), "Value"), ("2", "'2'"), (None, "None"), ([1.0], "list"), (1 + 2j, "complex")],
    ids=["Value", "str", "None", "list", "complex"],
)
def test_value_refuses_non_numbers(raw: object, shown: str) -> None:
    with pytest.raises(TypeError) as info:
        Value(raw)  # type: ignore[arg-type]
    message = str(info.value)
    assert message.startswith("Value")
    assert shown in message.split("got", 1)[-1]  # says what was passed


def test_value_of_a_value_says_so() -> None:
    with pytest.raises(TypeError, match=r"got Value"):
        Value(Value(1))  # type: ignore[arg-type]


def test_value_of_a_string_says_so() -> None:
    with pytest.raises(TypeError, match=r"got str '2'"):
        Value("2")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "bad",
    [
        lambda: Value(1.0) + "a",
        lambda: "a" + Value(1.0),
        lambda: Value(1.0) * None,
        lambda: [1.0] - Value(1.0),
        lambda: Value(1.0) / "2",
        lambda: Value(2.0) ** "2",
        lambda: "2" ** Value(2.0),
        lambda: Value.sum([Value(1.0), "a"]),
        lambda: Value.dot([Value(1.0)], ["a"]),
        lambda: Value(1.0).backward(grad="1"),
    ],
    ids=[
        "V+str",
        "str+V",
        "V*None",
        "list-V",
        "V/str",
        "V**str",
        "str**V",
        "sum",
        "dot",
        "backward",
    ],
)
def test_operands_of_the_wrong_type(bad: Callable[[], object]) -> None:
    with pytest.raises(TypeError):
        bad()


def test_dot_lengths_must_match() -> None:
    with pytest.raises(ValueError, match=r"^dot: .*\b2\b.*\b3\b"):
        Value.dot([Value(1.0), Value(2.0)], [1.0, 2.0, 3.0])


# ---- domains: the message names the op and the offending value ----------------------------------

DOMAIN = [
    ("log(0)", lambda: Value(0.0).log(), ValueError, "log", "0.0"),
    ("log(-1)", lambda: Value(-1.0).log(), ValueError, "log", "-1.0"),
    ("x/0", lambda: Value(1.0) / 0, ZeroDivisionError, "div", "0.0"),
    ("x/Value(0)", lambda: Value(1.0) / Value(0.0), ZeroDivisionError, "div", "0.0"),
    ("1/Value(0)", lambda: 1 / Value(0), ZeroDivisionError, "div", "0.0"),
    ("0/Value(0)", lambda: 0.0 / Value(0.0), ZeroDivisionError, "div", "0.0"),
    ("sqrt(-1)", lambda: Value(-1.0).sqrt(), ValueError, "sqrt", "-1.0"),
    ("Value(-2)**Value(2)", lambda: Value(-2.0) ** Value(2.0), ValueError, "pow", "-2.0"),
    ("(-2)**Value(3)", lambda: (-2) ** Value(3.0), ValueError, "pow", "-2.0"),
    ("Value(-8)**(1/3)", lambda: Value(-8.0) ** (1 / 3), ValueError, "pow", "-8.0"),
    ("Value(0)**-1", lambda: Value(0.0) ** -1, ZeroDivisionError, "pow", "-1"),
    ("Value(0)**-0.5", lambda: Value(0.0) ** -0.5, ZeroDivisionError, "pow", "-0.5"),
    ("Value(0)**Value(-1)", lambda: Value(0.0) ** Value(-1.0), ZeroDivisionError, "pow", "-1"),
    ("0**Value(-2)", lambda: 0 ** Value(-2.0), ZeroDivisionError, "pow", "-2"),
    ("sin(inf)", lambda: Value(math.inf).sin(), ValueError, "sin", "inf"),
    ("cos(-inf)", lambda: Value(-math.inf).cos(), ValueError, "cos", "-inf"),
]


@pytest.mark.parametrize(
    "make, error, op, value", [d[1:] for d in DOMAIN], ids=[d[0] for d in DOMAIN]
)
def test_domain_errors_name_the_op_and_the_value(
    make: Callable[[], object], error: type[Exception], op: str, value: str
) -> None:
    with pytest.raises(error) as info:
        make()
    assert type(info.value) is error
    message = str(info.value)
    assert message.startswith(f"{op}:"), message
    assert re.search(rf"(?<![\w.]){re.escape(value)}(?![\d])", message), message


def test_a_failing_op_leaves_its_operands_and_graph_intact() -> None:
    a, b = Value(2.0), Value(0.0)
    c = a * b  # c = 0
    for bad in (
        c.log,
        lambda: a / c,
        lambda: a / b,
        lambda: c**-1,
        lambda: (c - a).sqrt(),
        lambda: (c - a) ** Value(0.5),
    ):
        with pytest.raises((ValueError, ZeroDivisionError)):
            bad()
    assert (a.data, b.data, c.data) == (2.0, 0.0, 0.0)
    assert c.parents[0] is a and c.parents[1] is b and c.local_grads == (0.0, 2.0)
    assert (a.grad, b.grad, c.grad) == (0.0, 0.0, 0.0)
    out = (c + 1.0) * a  # = (a·b + 1)·a; d/da = 2ab + 1 = 1, d/db = a² = 4
    out.backward()
    assert (a.grad, b.grad) == (1.0, 4.0)


def test_a_failing_seed_leaves_no_trace() -> None:
    a = Value(3.0)
    b = a * a + a
    with pytest.raises(TypeError):
        b.backward(grad="1")  # type: ignore[arg-type]
    assert a.grad == 0.0 and b.grad == 0.0
    b.backward()
    assert a.grad == 7.0


# ---- overflow: saturate to the limits, never OverflowError ---------------------------------------


SATURATING = [
    ("tanh(1000)", lambda: Value(1000.0).tanh(), 1.0),
    ("tanh(-1000)", lambda: Value(-1000.0).tanh(), -1.0),
    ("sigmoid(-1000)", lambda: Value(-1000.0).sigmoid(), 0.0),
    ("sigmoid(1000)", lambda: Value(1000.0).sigmoid(), 1.0),
    ("sigmoid(-1e308)", lambda: Value(-1e308).sigmoid(), 0.0),
    ("exp(1000)", lambda: Value(1000.0).exp(), math.inf),
    ("exp(-1000)", lambda: Value(-1000.0).exp(), 0.0),
    ("elu(-1000)", lambda: Value(-1000.0).elu(alpha=0.5), -0.5),
    ("Value(10)**1000", lambda: Value(10.0) ** 1000, math.inf),
    ("Value(-10)**1001", lambda: Value(-10.0) ** 1001, -math.inf),
    ("Value(-10)**1000", lambda: Value(-10.0) ** 1000, math.inf),
    ("Value(1e-200)**-2", lambda: Value(1e-200) ** -2, math.inf),
    ("Value(1e200)**2.5", lambda: Value(1e200) ** 2.5, math.inf),
    ("10**Value(1000)", lambda: 10 ** Value(1000.0), math.inf),
    ("Value(10)**Value(1000)", lambda: Value(10.0) ** Value(1000.0), math.inf),
    ("Value(0.1)**Value(-1000)", lambda: Value(0.1) ** Value(-1000.0), math.inf),
    ("Value(1e200)*1e200", lambda: Value(1e200) * 1e200, math.inf),
    ("Value(1e308)+1e308", lambda: Value(1e308) + 1e308, math.inf),
    ("Value(1e300)/1e-300", lambda: Value(1e300) / 1e-300, math.inf),
    ("1/Value(1e-320)", lambda: 1 / Value(1e-320), math.inf),
    ("sum(1e308, 1e308)", lambda: Value.sum([Value(1e308), Value(1e308)]), math.inf),
    ("dot(1e308, 1e308)", lambda: Value.dot([Value(1e308), Value(1e308)], [1, 1]), math.inf),
    ("log(1e-320)", lambda: Value(1e-320).log(), math.log(1e-320)),
]


@pytest.mark.parametrize(
    "make, expected", [s[1:] for s in SATURATING], ids=[s[0] for s in SATURATING]
)
def test_overflow_saturates_in_forward_and_backward(
    make: Callable[[], Value], expected: float
) -> None:
    out = make()
    assert out.data == expected
    out.backward()  # the local derivatives may be inf or 0, but nothing raises
    assert out.grad == 1.0
    for parent in out.parents:
        assert isinstance(parent.grad, float)


def test_gradients_at_saturation() -> None:
    x = Value(1000.0)
    x.exp().backward()
    assert x.grad == math.inf
    for v, op in ((1000.0, "tanh"), (-1000.0, "tanh"), (1000.0, "sigmoid"), (-1000.0, "sigmoid")):
        x = Value(v)
        getattr(x, op)().backward()
        assert x.grad == 0.0
    x = Value(10.0)
    (x**1000).backward()
    assert x.grad == math.inf  # 1000·10^999
    b, e = Value(10.0), Value(1000.0)
    (b**e).backward()
    assert b.grad == math.inf and e.grad == math.inf  # e·b^(e-1) and b^e·ln b
    d = Value(1e-200)
    (1.0 / d).backward()
    assert d.grad == -math.inf  # -1/d²


def test_sum_of_opposite_infinities_is_nan_like_plus() -> None:
    s = Value.sum([Value(math.inf), Value(-math.inf)])
    assert math.isnan(s.data) and math.isnan((Value(math.inf) + Value(-math.inf)).data)
