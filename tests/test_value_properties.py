"""Properties of the scalar engine that hold for any input (hypothesis draws the inputs)."""

from __future__ import annotations

import math
from collections.abc import Callable

from hypothesis import given
from hypothesis import strategies as st

from autograd import Value


def floats(lo: float, hi: float) -> st.SearchStrategy[float]:
    return st.floats(lo, hi, allow_nan=False, allow_infinity=False)


@given(floats(-800, 800))
def test_sigmoid_is_symmetric(x: float) -> None:
    # σ(-x) = 1 - σ(x), and so σ'(-x) = σ'(x)
    a, b = Value(-x), Value(x)
    left, right = a.sigmoid(), b.sigmoid()
    assert math.isclose(left.data, 1.0 - right.data, rel_tol=1e-12, abs_tol=2e-16)
    left.backward()
    right.backward()
    assert math.isclose(a.grad, b.grad, rel_tol=1e-12, abs_tol=2e-16)
    assert 0.0 <= right.data <= 1.0 and 0.0 <= b.grad <= 0.25


@given(floats(-800, 800))
def test_tanh_is_odd(x: float) -> None:
    a, b = Value(-x), Value(x)
    left, right = a.tanh(), b.tanh()
    assert math.isclose(left.data, -right.data, rel_tol=1e-15, abs_tol=0.0)
    left.backward()
    right.backward()
    assert a.grad == b.grad  # tanh' = 1 - tanh² is even
    assert -1.0 <= right.data <= 1.0


@given(floats(-1e300, 1e300), floats(-1e300, 1e300))
def test_sum_passes_the_gradient_unchanged(x: float, y: float) -> None:
    a, b = Value(x), Value(y)
    (a + b).backward()
    assert (a.grad, b.grad) == (1.0, 1.0)


@given(floats(-1e100, 1e100), floats(-1e100, 1e100))
def test_product_swaps_its_operands_into_the_gradient(x: float, y: float) -> None:
    a, b = Value(x), Value(y)
    (a * b).backward()
    assert (a.grad, b.grad) == (y, x)


def expression(a: Value, b: Value) -> Value:
    """A fixed expression that uses a and b more than once."""
    h = (a * b + a.tanh()).sigmoid()
    return h * a - (b * b + 1.0).log() / (h + 2.0) + Value.dot([a, h], [b, b], bias=a.sin())


@given(floats(-3, 3), floats(-3, 3), floats(-10, 10))
def test_backward_is_linear_in_the_seed(x: float, y: float, c: float) -> None:
    a1, b1 = Value(x), Value(y)
    expression(a1, b1).backward()
    ac, bc = Value(x), Value(y)
    expression(ac, bc).backward(grad=c)
    assert math.isclose(ac.grad, c * a1.grad, rel_tol=1e-12, abs_tol=1e-300)
    assert math.isclose(bc.grad, c * b1.grad, rel_tol=1e-12, abs_tol=1e-300)


@given(floats(-3, 3), floats(-3, 3), floats(-5, 5), floats(-5, 5))
def test_gradients_of_two_passes_add(x: float, y: float, c1: float, c2: float) -> None:
    a, b = Value(x), Value(y)
    out = expression(a, b)
    out.backward(grad=c1)
    out.backward(grad=c2)
    a2, b2 = Value(x), Value(y)
    expression(a2, b2).backward(grad=c1 + c2)
    assert math.isclose(a.grad, a2.grad, rel_tol=1e-9, abs_tol=1e-12)
    assert math.isclose(b.grad, b2.grad, rel_tol=1e-9, abs_tol=1e-12)


# ---- the chain rule on random compositions, against central differences -----------------------

UNARY: list[Callable[[Value], Value]] = [
    lambda v: v.tanh(),
    lambda v: v.sigmoid(),
    lambda v: v.sin(),
    lambda v: v.cos(),
    lambda v: v * 0.5 - 0.25,
    lambda v: (v * v + 1.0).log(),
    lambda v: (v * v + 1.0).sqrt(),
    lambda v: v.tanh().exp(),
    lambda v: 1.0 / (v * v + 1.0),
    lambda v: (v * v + 0.5) ** 1.5,
    lambda v: 2 ** v.tanh(),
    lambda v: v.elu(),  # continuously differentiable for alpha = 1
    lambda v: -v,
]
BINARY: list[Callable[[Value, Value], Value]] = [
    lambda u, v: u + v,
    lambda u, v: u - v,
    lambda u, v: u * v.tanh(),
    lambda u, v: u / (v * v + 1.0),
    lambda u, v: (u.sigmoid() + 0.5) ** v.tanh(),
    lambda u, v: Value.dot([u, v], [v, 0.5], bias=u.cos()),
    lambda u, v: Value.sum([u, v.sin(), u]),
]
STEPS = st.lists(
    st.tuples(st.booleans(), st.integers(0, 100), st.integers(0, 1000), st.integers(0, 1000)),
    min_size=1,
    max_size=10,
)


def run_program(steps: list, xs: tuple[float, ...]) -> tuple[Value, list]:
    """Each step applies one op to earlier nodes (picked by index, so nodes get reused)."""
    leaves = [Value(x) for x in xs]
    nodes = list(leaves)
    for binary, op, i, j in steps:
        u, v = nodes[i % len(nodes)], nodes[j % len(nodes)]
        nodes.append(BINARY[op % len(BINARY)](u, v) if binary else UNARY[op % len(UNARY)](u))
    return Value.sum(nodes[len(leaves) :]), leaves


@given(STEPS, floats(-1.5, 1.5), floats(-1.5, 1.5), floats(-1.5, 1.5))
def test_chain_rule_on_random_compositions(steps: list, x: float, y: float, z: float) -> None:
    xs = (x, y, z)
    out, leaves = run_program(steps, xs)
    out.backward()
    h = 1e-6
    for i, leaf in enumerate(leaves):
        plus = tuple(v + h if k == i else v for k, v in enumerate(xs))
        minus = tuple(v - h if k == i else v for k, v in enumerate(xs))
        numeric = (run_program(steps, plus)[0].data - run_program(steps, minus)[0].data) / (2 * h)
        assert math.isclose(leaf.grad, numeric, rel_tol=1e-5, abs_tol=1e-6 * (1 + abs(out.data)))
