"""Every scalar op against hand-written math: value, local derivative, central differences, torch.

One table row per op: how it is spelled on `Value`, a reference for its value and one for its
partial derivatives (written here from the math, not from the engine), a valid input domain, points
away from kinks for finite differences, and the PyTorch twin.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from autograd import Value, gradcheck

H = 1e-6  # central-difference step


def floats(lo: float, hi: float) -> st.SearchStrategy[float]:
    return st.floats(lo, hi, allow_nan=False, allow_infinity=False)


NONZERO = floats(0.1, 10.0) | floats(-10.0, -0.1)


def central_difference(f: Callable[..., float], xs: tuple[float, ...], i: int) -> float:
    """(f(x + h eᵢ) - f(x - h eᵢ)) / 2h in float64."""
    plus, minus = list(xs), list(xs)
    plus[i] += H
    minus[i] -= H
    return (f(*plus) - f(*minus)) / (2.0 * H)


@dataclass(frozen=True)
class Op:
    name: str
    build: Callable[..., Value]  # Values in, Value out, through the public spelling
    ref: Callable[..., float]  # the value, from the math
    dref: Callable[..., tuple[float, ...]]  # the partials ∂out/∂argᵢ, from the math
    domain: tuple[st.SearchStrategy[float], ...]  # one strategy per argument
    points: tuple[tuple[float, ...], ...]  # smooth points for finite differences
    twin: Callable[..., Any]  # the same op on float64 torch tensors
    kinks: tuple[tuple[float, ...], ...] = field(default=())  # where only torch is the judge


def _tanh(x: float) -> float:
    e = math.expm1(2.0 * x)
    return e / (e + 2.0)


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


def _torch_step(x: Any) -> Any:
    return (x >= 0).to(x.dtype) + 0.0 * x  # Heaviside; the 0·x term gives x a zero gradient


def _f(name: str) -> Any:
    """torch.nn.functional.<name>, looked up only when torch is there."""
    import torch.nn.functional as F

    return getattr(F, name)


LN2 = math.log(2.0)

OPS = [
    Op(
        "add",
        lambda a, b: a + b,
        lambda a, b: a + b,
        lambda a, b: (1.0, 1.0),
        (floats(-10, 10), floats(-10, 10)),
        ((1.5, -2.25), (0.0, 3.0)),
        lambda a, b: a + b,
    ),
    Op(
        "sub",
        lambda a, b: a - b,
        lambda a, b: a - b,
        lambda a, b: (1.0, -1.0),
        (floats(-10, 10), floats(-10, 10)),
        ((1.5, -2.25), (-4.0, 0.5)),
        lambda a, b: a - b,
    ),
    Op(
        "mul",
        lambda a, b: a * b,
        lambda a, b: a * b,
        lambda a, b: (b, a),
        (floats(-10, 10), floats(-10, 10)),
        ((1.5, -2.25), (-4.0, 0.5)),
        lambda a, b: a * b,
    ),
    Op(
        "div",
        lambda a, b: a / b,
        lambda a, b: a / b,
        lambda a, b: (1.0 / b, -a / (b * b)),
        (floats(-10, 10), NONZERO),
        ((1.5, -2.25), (-4.0, 0.5)),
        lambda a, b: a / b,
    ),
    Op(
        "pow_int",
        lambda a: a**3,
        lambda a: a * a * a,
        lambda a: (3.0 * a * a,),
        (floats(-10, 10),),
        ((1.5,), (-0.7,)),
        lambda a: a**3,
    ),
    Op(
        "pow_float",
        lambda a: a**2.5,
        lambda a: a * a * math.sqrt(a),
        lambda a: (2.5 * a * math.sqrt(a),),
        (floats(0.0, 10),),
        ((1.5,), (0.3,)),
        lambda a: a**2.5,
    ),
    Op(
        "pow_negative",
        lambda a: a**-2,
        lambda a: 1.0 / (a * a),
        lambda a: (-2.0 / (a * a * a),),
        (NONZERO,),
        ((1.5,), (-0.7,)),
        lambda a: a**-2,
    ),
    Op(
        "pow_value",
        lambda a, b: a**b,
        lambda a, b: math.exp(b * math.log(a)),
        lambda a, b: (
            b * math.exp((b - 1.0) * math.log(a)),
            math.exp(b * math.log(a)) * math.log(a),
        ),
        (floats(0.1, 5), floats(-3, 3)),
        ((1.5, -2.25), (0.4, 3.0)),
        lambda a, b: a**b,
    ),
    Op(
        "rpow",
        lambda b: 2**b,
        lambda b: math.exp(b * LN2),
        lambda b: (LN2 * math.exp(b * LN2),),
        (floats(-10, 10),),
        ((1.5,), (-0.7,)),
        lambda b: 2**b,
    ),
    Op(
        "neg",
        lambda a: -a,
        lambda a: 0.0 - a,
        lambda a: (-1.0,),
        (floats(-10, 10),),
        ((1.5,), (-0.7,)),
        lambda a: -a,
    ),
    Op(
        "abs",
        lambda a: abs(a),
        lambda a: a if a >= 0 else -a,
        lambda a: (1.0 if a > 0 else -1.0 if a < 0 else 0.0,),
        (floats(-10, 10),),
        ((1.5,), (-0.7,)),
        lambda a: a.abs(),
        kinks=((0.0,),),
    ),
    Op(
        "exp",
        lambda a: a.exp(),
        lambda a: math.e**a,
        lambda a: (math.e**a,),
        (floats(-20, 20),),
        ((1.5,), (-0.7,)),
        lambda a: a.exp(),
    ),
    Op(
        "log",
        lambda a: a.log(),
        lambda a: math.log(a),
        lambda a: (1.0 / a,),
        (floats(1e-3, 100),),
        ((1.5,), (0.2,)),
        lambda a: a.log(),
    ),
    Op(
        "sqrt",
        lambda a: a.sqrt(),
        lambda a: a**0.5,
        lambda a: (0.5 / a**0.5,),
        (floats(1e-6, 100),),
        ((1.5,), (0.2,)),
        lambda a: a.sqrt(),
        kinks=((0.0,),),
    ),
    Op(
        "tanh",
        lambda a: a.tanh(),
        _tanh,
        lambda a: (1.0 / math.cosh(a) ** 2,),
        (floats(-20, 20),),
        ((1.5,), (-0.7,)),
        lambda a: a.tanh(),
    ),
    Op(
        "sigmoid",
        lambda a: a.sigmoid(),
        _sigmoid,
        lambda a: (math.exp(-a) / (1.0 + math.exp(-a)) ** 2,),
        (floats(-30, 30),),
        ((1.5,), (-0.7,)),
        lambda a: a.sigmoid(),
    ),
    Op(
        "relu",
        lambda a: a.relu(),
        lambda a: max(a, 0.0),
        lambda a: (1.0 if a > 0 else 0.0,),
        (floats(-10, 10),),
        ((1.5,), (-0.7,)),
        lambda a: a.relu(),
        kinks=((0.0,),),
    ),
    Op(
        "leaky_relu",
        lambda a: a.leaky_relu(),
        lambda a: a if a > 0 else 0.01 * a,
        lambda a: (1.0 if a > 0 else 0.01,),
        (floats(-10, 10),),
        ((1.5,), (-0.7,)),
        lambda a: _f("leaky_relu")(a),
        kinks=((0.0,),),
    ),
    Op(
        "leaky_relu_0.2",
        lambda a: a.leaky_relu(alpha=0.2),
        lambda a: a if a > 0 else 0.2 * a,
        lambda a: (1.0 if a > 0 else 0.2,),
        (floats(-10, 10),),
        ((1.5,), (-0.7,)),
        lambda a: _f("leaky_relu")(a, 0.2),
        kinks=((0.0,),),
    ),
    Op(
        "elu",
        lambda a: a.elu(),
        lambda a: a if a > 0 else math.expm1(a),
        lambda a: (1.0 if a > 0 else math.exp(a),),
        (floats(-10, 10),),
        ((1.5,), (-0.7,)),
        lambda a: _f("elu")(a),
        kinks=((0.0,),),
    ),
    Op(
        "elu_0.5",
        lambda a: a.elu(alpha=0.5),
        lambda a: a if a > 0 else 0.5 * math.expm1(a),
        lambda a: (1.0 if a > 0 else 0.5 * math.exp(a),),
        (floats(-10, 10),),
        ((1.5,), (-0.7,)),
        lambda a: _f("elu")(a, 0.5),
        kinks=((0.0,),),
    ),
    Op(
        "sin",
        lambda a: a.sin(),
        lambda a: math.sin(a),
        lambda a: (math.cos(a),),
        (floats(-10, 10),),
        ((1.5,), (-0.7,)),
        lambda a: a.sin(),
    ),
    Op(
        "cos",
        lambda a: a.cos(),
        lambda a: math.cos(a),
        lambda a: (-math.sin(a),),
        (floats(-10, 10),),
        ((1.5,), (-0.7,)),
        lambda a: a.cos(),
    ),
    Op(
        "step",
        lambda a: a.step(),
        lambda a: 1.0 if a >= 0 else 0.0,
        lambda a: (0.0,),
        (floats(-10, 10),),
        ((1.5,), (-0.7,)),
        _torch_step,
        kinks=((0.0,),),
    ),
    Op(
        "sign",
        lambda a: a.sign(),
        lambda a: 1.0 if a > 0 else -1.0 if a < 0 else 0.0,
        lambda a: (0.0,),
        (floats(-10, 10),),
        ((1.5,), (-0.7,)),
        lambda a: a.sign(),
        kinks=((0.0,),),
    ),
    Op(
        "sum",
        lambda a, b, c: Value.sum([a, b, c]),
        lambda a, b, c: a + b + c,
        lambda a, b, c: (1.0, 1.0, 1.0),
        (floats(-10, 10),) * 3,
        ((1.5, -2.25, 0.5),),
        lambda a, b, c: a + b + c,
    ),
    Op(
        "dot",
        lambda w1, w2, x1, x2, b: Value.dot([w1, w2], [x1, x2], bias=b),
        lambda w1, w2, x1, x2, b: w1 * x1 + w2 * x2 + b,
        lambda w1, w2, x1, x2, b: (x1, x2, w1, w2, 1.0),
        (floats(-10, 10),) * 5,
        ((1.5, -2.25, 0.5, 3.0, -1.0),),
        lambda w1, w2, x1, x2, b: w1 * x1 + w2 * x2 + b,
    ),
]
IDS = [op.name for op in OPS]
SMOOTH_CASES = [(op, p) for op in OPS for p in op.points]
SMOOTH_IDS = [f"{op.name}@{p}" for op, p in SMOOTH_CASES]


def close(a: float, b: float, rel: float = 1e-12, abs_: float = 1e-15) -> bool:
    return math.isclose(a, b, rel_tol=rel, abs_tol=abs_)


def evaluate(op: Op, xs: tuple[float, ...]) -> tuple[Value, list[Value]]:
    leaves = [Value(x) for x in xs]
    out = op.build(*leaves)
    out.backward()
    return out, leaves


# ---- the table against itself: each hand derivative matches the hand value's slope ---------------


@pytest.mark.parametrize("op, xs", SMOOTH_CASES, ids=SMOOTH_IDS)
def test_reference_derivative_matches_reference_slope(op: Op, xs: tuple[float, ...]) -> None:
    for i, d in enumerate(op.dref(*xs)):
        assert math.isclose(d, central_difference(op.ref, xs, i), rel_tol=1e-6, abs_tol=1e-7)


# ---- forward and backward against the references -------------------------------------------------


@pytest.mark.parametrize("op", OPS, ids=IDS)
def test_value_and_gradient_match_references(op: Op) -> None:
    @given(st.tuples(*op.domain))
    def check(xs: tuple[float, ...]) -> None:
        out, leaves = evaluate(op, xs)
        assert type(out) is Value and type(out.data) is float
        assert close(out.data, op.ref(*xs)), (out.data, op.ref(*xs))
        for leaf, d in zip(leaves, op.dref(*xs), strict=True):
            assert close(leaf.grad, d), (leaf.grad, d)

    check()


@pytest.mark.parametrize("op, xs", SMOOTH_CASES, ids=SMOOTH_IDS)
def test_gradient_matches_central_difference(op: Op, xs: tuple[float, ...]) -> None:
    _, leaves = evaluate(op, xs)

    def forward(*args: float) -> float:
        return op.build(*(Value(a) for a in args)).data

    for i, leaf in enumerate(leaves):
        numeric = central_difference(forward, xs, i)
        assert math.isclose(leaf.grad, numeric, rel_tol=1e-6, abs_tol=1e-7), (i, leaf.grad, numeric)


@pytest.mark.parametrize("op, xs", SMOOTH_CASES, ids=SMOOTH_IDS)
def test_gradcheck_accepts_every_op(op: Op, xs: tuple[float, ...]) -> None:
    assert gradcheck(op.build, *(Value(x) for x in xs)) is True


@pytest.mark.parametrize("op, xs", SMOOTH_CASES, ids=SMOOTH_IDS)
def test_node_records_parents_and_local_grads(op: Op, xs: tuple[float, ...]) -> None:
    leaves = [Value(x) for x in xs]
    out = op.build(*leaves)
    assert isinstance(out.op, str) and out.op != ""
    assert len(out.local_grads) == len(out.parents)
    assert all(type(g) is float for g in out.local_grads)
    # every leaf is a parent, once, of the one node the op made (rpow adds its constant base)
    for leaf in leaves:
        assert sum(p is leaf for p in out.parents) == 1
    for leaf in leaves:
        assert leaf.op == "" and leaf.parents == () and leaf.grad == 0.0


def test_op_names_of_the_node_protocol() -> None:
    a, b = Value(2.0), Value(3.0)
    assert (a + b).op == "+"
    assert (a * b).op == "*"
    assert a.tanh().op == "tanh"
    assert Value.sum([a, b]).op == "Σ"
    assert Value.dot([a], [b]).op == "Σ"


def test_abs_method_and_builtin_agree() -> None:
    for x in (-2.5, 0.0, 3.0):
        a, b = Value(x), Value(x)
        u, v = abs(a), b.abs()
        u.backward()
        v.backward()
        assert (u.data, a.grad) == (v.data, b.grad)


# ---- plain numbers on either side --------------------------------------------------------------

# (spelling, with a Value x, with a float x, d/dx)
MIXED = [
    ("2 + x", lambda x: 2 + x, lambda x: 2.0 + x, lambda x: 1.0),
    ("x + 2", lambda x: x + 2, lambda x: x + 2.0, lambda x: 1.0),
    ("x - 3", lambda x: x - 3, lambda x: x - 3.0, lambda x: 1.0),
    ("3 - x", lambda x: 3 - x, lambda x: 3.0 - x, lambda x: -1.0),
    ("2 * x", lambda x: 2 * x, lambda x: 2.0 * x, lambda x: 2.0),
    ("x * 2.5", lambda x: x * 2.5, lambda x: x * 2.5, lambda x: 2.5),
    ("2 / x", lambda x: 2 / x, lambda x: 2.0 / x, lambda x: -2.0 / (x * x)),
    ("x / 4", lambda x: x / 4, lambda x: x / 4.0, lambda x: 0.25),
    ("2 ** x", lambda x: 2**x, lambda x: math.exp(x * LN2), lambda x: LN2 * math.exp(x * LN2)),
    ("x ** 2", lambda x: x**2, lambda x: x * x, lambda x: 2.0 * x),
    ("x ** 0", lambda x: x**0, lambda x: 1.0, lambda x: 0.0),
    ("x ** 1", lambda x: x**1, lambda x: x, lambda x: 1.0),
    ("x ** 0.5", lambda x: x**0.5, lambda x: math.sqrt(x), lambda x: 0.5 / math.sqrt(x)),
    ("np.float64(2) + x", lambda x: np.float64(2.0) + x, lambda x: 2.0 + x, lambda x: 1.0),
    ("np.float32(2) * x", lambda x: np.float32(2.0) * x, lambda x: 2.0 * x, lambda x: 2.0),
    ("x - np.int64(3)", lambda x: x - np.int64(3), lambda x: x - 3.0, lambda x: 1.0),
    ("np.int64(3) / x", lambda x: np.int64(3) / x, lambda x: 3.0 / x, lambda x: -3.0 / (x * x)),
]


@pytest.mark.parametrize("spelling, on_value, on_float, deriv", MIXED, ids=[m[0] for m in MIXED])
@pytest.mark.parametrize("x", [0.75, 2.0, 3.5])
def test_plain_numbers_on_either_side(
    spelling: str, on_value: Callable, on_float: Callable, deriv: Callable, x: float
) -> None:
    leaf = Value(x)
    out = on_value(leaf)
    assert type(out) is Value and type(out.data) is float
    out.backward()
    assert close(out.data, on_float(x))
    assert close(leaf.grad, deriv(x))


def test_numbers_become_float_data() -> None:
    for raw in (3, 2.5, np.float32(1.5), np.float64(-2.0), np.int64(7)):
        v = Value(raw)
        assert type(v.data) is float and v.data == float(raw)
        assert v.grad == 0.0 and v.op == "" and v.parents == () and v.label == ""
    assert Value(1.0, label="w").label == "w"


# ---- the n-ary Σ nodes: values, local derivatives and the order of parents ---------------------


def test_sum_node_keeps_argument_order_and_wraps_numbers() -> None:
    a, b = Value(1.5), Value(-4.0)
    s = Value.sum([a, 2, b, a])
    assert s.data == 1.5 + 2.0 - 4.0 + 1.5
    assert len(s.parents) == 4
    assert s.parents[0] is a and s.parents[2] is b and s.parents[3] is a
    assert s.parents[1].data == 2.0 and s.parents[1].op == ""
    assert s.local_grads == (1.0, 1.0, 1.0, 1.0)
    s.backward()
    assert (a.grad, b.grad) == (2.0, 1.0)


def test_sum_of_a_generator() -> None:
    leaves = [Value(float(i)) for i in range(5)]
    s = Value.sum(v * v for v in leaves)
    s.backward()
    assert s.data == 0 + 1 + 4 + 9 + 16
    assert [v.grad for v in leaves] == [0.0, 2.0, 4.0, 6.0, 8.0]


def test_dot_node_orders_parents_w1_x1_w2_x2_b() -> None:
    w1, w2, x1, x2, b = (Value(v) for v in (2.0, -1.0, 3.0, 4.0, 0.5))
    out = Value.dot([w1, w2], [x1, x2], bias=b)
    assert out.data == 2.0 * 3.0 + (-1.0) * 4.0 + 0.5
    assert out.parents == (w1, x1, w2, x2, b)
    assert all(p is q for p, q in zip(out.parents, (w1, x1, w2, x2, b), strict=True))
    assert out.local_grads == (3.0, 2.0, 4.0, -1.0, 1.0)


def test_dot_treats_numbers_as_constants() -> None:
    w1, x2 = Value(2.0), Value(4.0)
    out = Value.dot([w1, -1.0], [3.0, x2], bias=0.5)
    assert out.data == 2.0 * 3.0 - 4.0 + 0.5
    assert len(out.parents) == 2 and out.parents[0] is w1 and out.parents[1] is x2
    assert out.local_grads == (3.0, -1.0)
    out.backward()
    assert (w1.grad, x2.grad) == (3.0, -1.0)


def test_dot_without_bias_and_with_a_repeated_value() -> None:
    a = Value(3.0)
    out = Value.dot([a], [a])
    assert out.data == 9.0 and out.parents[0] is a and out.parents[1] is a
    assert out.local_grads == (3.0, 3.0)
    out.backward()
    assert a.grad == 6.0


# ---- the PyTorch twin of every row (float64, 1e-12 relative), kinks included ---------------------

TWIN_CASES = [(op, p) for op in OPS for p in op.points + op.kinks]


@pytest.mark.parametrize("op, xs", TWIN_CASES, ids=[f"{op.name}@{p}" for op, p in TWIN_CASES])
def test_op_agrees_with_torch(op: Op, xs: tuple[float, ...]) -> None:
    torch = pytest.importorskip("torch")
    out, leaves = evaluate(op, xs)
    ts = [torch.tensor(x, dtype=torch.float64, requires_grad=True) for x in xs]
    t_out = op.twin(*ts)
    t_out.backward()
    assert math.isclose(out.data, t_out.item(), rel_tol=1e-12, abs_tol=1e-300)
    for leaf, t in zip(leaves, ts, strict=True):
        expected = 0.0 if t.grad is None else t.grad.item()
        assert math.isclose(leaf.grad, expected, rel_tol=1e-12, abs_tol=1e-300), (
            leaf.grad,
            expected,
        )
