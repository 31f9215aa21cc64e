"""The scalar engine's fast paths give what the plain paths give.

`Value` keeps one- and two-input nodes in slots, `Value.dot` and `Value.dots` build Σ nodes with
list operations when every weight is a Value and the inputs are all Values or all floats, the
backward driver reads the slots of exact `Value`s directly, and `nn.scalar.Layer` builds its
neurons' Σ nodes together. Each is checked here against an independent reference: plain Python
sums, float64 central differences, or the same graph walked through the node protocol.
"""

from __future__ import annotations

import random

import pytest

from autograd import Value
from autograd.graph import backpropagate, topological_order
from autograd.random import manual_seed
from nn import scalar


def plain_dot(w: list[float], x: list[float], b: float) -> float:
    total = 0.0
    for wi, xi in zip(w, x):
        total += wi * xi
    return total + b


def test_dot_fast_paths_match_a_plain_loop_bit_for_bit() -> None:
    rng = random.Random(0)
    for n in (0, 1, 2, 7, 33):
        w = [rng.uniform(-2, 2) for _ in range(n)]
        x = [rng.uniform(-2, 2) for _ in range(n)]
        b = rng.uniform(-1, 1)
        nodes = Value.dot([Value(v) for v in w], [Value(v) for v in x], Value(b))
        floats = Value.dot([Value(v) for v in w], x, Value(b))
        assert nodes.data == floats.data == plain_dot(w, x, b)
        assert nodes.local_grads == tuple(v for pair in zip(x, w) for v in pair) + (1.0,)
        assert floats.local_grads == (*x, 1.0)


def test_dot_with_mixed_inputs_takes_the_general_path_and_agrees() -> None:
    w = [Value(0.5), Value(-1.5), Value(2.0)]
    x = [Value(1.0), 3, 0.25]  # a Value, an int and a float
    out = Value.dot(w, x, bias=-0.5)
    assert out.data == plain_dot([0.5, -1.5, 2.0], [1.0, 3.0, 0.25], -0.5)
    assert out.parents == (w[0], x[0], w[1], w[2])
    assert out.local_grads == (1.0, 0.5, 3.0, 0.25)


def test_dots_is_one_dot_per_row() -> None:
    rng = random.Random(1)
    inputs = [Value(rng.uniform(-1, 1)) for _ in range(5)]
    rows = [[Value(rng.uniform(-1, 1)) for _ in range(5)] for _ in range(3)]
    rows.append([Value(0.5), 2.0, Value(-1.0), 0.0, Value(1.5)])  # numbers among the weights
    biases: list[Value | float | None] = [Value(0.1), None, 0.75, Value(-0.2)]
    fused = Value.dots(rows, inputs, biases)
    single = [Value.dot(w, inputs, b) for w, b in zip(rows, biases)]
    for a, b in zip(fused, single, strict=True):
        assert (a.op, a.data, a.local_grads) == (b.op, b.data, b.local_grads)
        assert all(p is q for p, q in zip(a.parents, b.parents, strict=True))
    with pytest.raises(ValueError, match="dots: one bias per row"):
        Value.dots(rows, inputs, biases[:2])
    with pytest.raises(ValueError, match="dot: weights and inputs differ in length"):
        Value.dots([[Value(1.0)]], inputs, [None])


def test_layer_builds_the_nodes_its_neurons_build() -> None:
    manual_seed(3)
    layer = scalar.Layer(4, 3, activation="tanh")
    x = [Value(v) for v in (0.3, -1.2, 2.0, 0.7)]
    together = layer(x)
    alone = [n(x) for n in layer.neurons]
    for a, b in zip(together, alone, strict=True):
        assert (a.op, a.data, a.local_grads) == (b.op, b.data, b.local_grads)
        sa, sb = a.parents[0], b.parents[0]
        assert (sa.op, sa.data, sa.local_grads) == (sb.op, sb.data, sb.local_grads)
        assert all(p is q for p, q in zip(sa.parents, sb.parents, strict=True))
    with pytest.raises(TypeError, match="Neuron: inputs must be numbers or Values"):
        layer(["a", 1.0, 2.0, 3.0])


def test_mlp_gradients_match_central_differences() -> None:
    manual_seed(7)
    net = scalar.MLP(3, [4, 4, 1], activation="tanh")
    points = [[0.2, -0.4, 1.1], [-1.0, 0.5, 0.3]]

    def loss() -> Value:
        return Value.sum((net(p) - 0.5) ** 2 for p in points)

    net.zero_grad()
    loss().backward()
    h = 1e-6
    for p in net.parameters():
        analytic, start = p.grad, p.data
        p.data = start + h
        up = loss().data
        p.data = start - h
        down = loss().data
        p.data = start
        assert analytic == pytest.approx((up - down) / (2 * h), rel=1e-6, abs=1e-8)


class Protocol(Value):
    """A Value subclass: the driver reads it through `parents` and `local_grads`."""

    __slots__ = ()


def test_the_slot_walk_and_the_protocol_walk_agree_bit_for_bit() -> None:
    def build(leaf: type[Value]) -> tuple[list[Value], Value]:
        a, b, c = leaf(0.7), leaf(-1.3), leaf(0.4)
        h = (a * b + c).tanh()
        out = Value.sum([h * h, Value.dot([a, b], [h, c], bias=c), -h, a**2.0, b / c])
        return [a, b, c], out

    fast, out_fast = build(Value)
    slow, out_slow = build(Protocol)
    out_fast.backward()
    backpropagate(out_slow, 1.0)  # no scalar type given: every node through the protocol
    assert [v.grad for v in fast] == [v.grad for v in slow]
    assert all(v.grad != 0.0 for v in fast)


def test_local_grads_can_be_replaced_in_every_layout() -> None:
    a, b = Value(2.0), Value(3.0)
    nodes = [a.tanh(), a * b, Value.sum([a, b, a]), Value.dot([a], [b], bias=b)]
    for node in nodes:
        fresh = tuple(float(i + 2) for i in range(len(node.parents)))
        node.local_grads = fresh
        assert node.local_grads == fresh
        a.grad = b.grad = 0.0
        node.backward()
        expect = {id(a): 0.0, id(b): 0.0}
        for parent, local in zip(node.parents, fresh):
            expect[id(parent)] += local
        assert (a.grad, b.grad) == (expect[id(a)], expect[id(b)])
    with pytest.raises(ValueError, match="local_grads: wrong length for op 'tanh'"):
        nodes[0].local_grads = (1.0, 2.0)


def test_a_long_chain_backpropagates_without_recursion() -> None:
    x = Value(0.3)
    node = x
    for _ in range(20_000):
        node = node * 1.0 + 0.0
    node.backward()
    assert x.grad == 1.0
    assert len(topological_order(node)) == 1 + 20_000 * 4


def test_constant_operands_become_leaves() -> None:
    a = Value(1.5)
    for out in (a + 2.0, 2.0 * a, a - 1, True - a):
        constant = next(p for p in out.parents if p is not a)
        assert constant.op == "" and constant.parents == () and constant.local_grads == ()
        assert isinstance(constant.data, float)


@pytest.mark.parametrize("as_nodes", [True, False])
def test_dots_rows_match_a_plain_loop_for_every_kind_of_bias(as_nodes: bool) -> None:
    rng = random.Random(2)
    n = 4
    x = [rng.uniform(-2, 2) for _ in range(n)]
    inputs: list[Value] | list[float] = [Value(v) for v in x] if as_nodes else list(x)
    rows = [[Value(rng.uniform(-2, 2)) for _ in range(n)] for _ in range(4)]
    biases: list[Value | float | None] = [Value(0.25), None, -1.5, 3]
    nodes = Value.dots(rows, inputs, biases)
    for row, bias, node in zip(rows, biases, nodes, strict=True):
        w = [v.data for v in row]
        b = bias.data if isinstance(bias, Value) else float(bias or 0.0)
        assert node.data == plain_dot(w, x, b)
        parents: list[Value] = []
        local: list[float] = []
        for i in range(n):
            parents.append(row[i])
            local.append(x[i])
            if as_nodes:
                parents.append(inputs[i])  # type: ignore[arg-type]
                local.append(w[i])
        if isinstance(bias, Value):
            parents.append(bias)
            local.append(1.0)
        assert node.op == "Σ"
        assert all(p is q for p, q in zip(node.parents, parents, strict=True))
        assert node.local_grads == tuple(local)
    Value.sum(nodes).backward()  # every weight w_ij gets x_j, every input the sum of its weights
    for row in rows:
        assert [v.grad for v in row] == x
    for i, v in enumerate(inputs):
        if isinstance(v, Value):
            assert v.grad == pytest.approx(sum(row[i].data for row in rows), rel=1e-15)
