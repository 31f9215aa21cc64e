"""The scalar engine as a whole: lecture graph, fan-out, diamonds, repeated passes, order, memory.

Expected numbers are worked by hand (the lecture's (x + y)·z) or derived analytically in the test.
"""

from __future__ import annotations

import gc
import math
import weakref

import pytest

from autograd import Value, topological_order


class Probe(Value):
    """A leaf that can be weakly referenced (Value itself has no __weakref__ slot, for speed)."""

    __slots__ = ("__weakref__",)


def lecture_graph() -> tuple[Value, Value, Value, Value, Value]:
    x, y, z = Value(1.0, label="x"), Value(-3.0, label="y"), Value(4.0, label="z")
    q = x + y
    f = q * z
    return x, y, z, q, f


# ---- the lecture example: f(x, y, z) = (x + y)·z at x = 1, y = -3, z = 4 -------------------------


def test_lecture_forward() -> None:
    x, y, z, q, f = lecture_graph()
    assert q.data == -2.0
    assert f.data == -8.0
    assert q.parents == (x, y) and q.parents[0] is x and q.parents[1] is y
    assert f.parents[0] is q and f.parents[1] is z
    assert f.parents == (q, z)
    assert q.local_grads == (1.0, 1.0)
    assert f.local_grads == (4.0, -2.0)  # ∂f/∂q = z, ∂f/∂z = q
    assert (x.label, y.label, z.label) == ("x", "y", "z")


def test_lecture_backward() -> None:
    x, y, z, q, f = lecture_graph()
    f.backward()
    assert f.grad == 1.0
    assert q.grad == 4.0
    assert z.grad == -2.0
    assert x.grad == 4.0
    assert y.grad == 4.0


def test_backward_seed_scales_every_gradient() -> None:
    x, y, z, q, f = lecture_graph()
    f.backward(grad=-0.5)
    assert (f.grad, q.grad, z.grad, x.grad, y.grad) == (-0.5, -2.0, 1.0, -2.0, -2.0)


def test_backward_from_an_intermediate_node() -> None:
    x, y, z, q, f = lecture_graph()
    q.backward()
    assert (q.grad, x.grad, y.grad) == (1.0, 1.0, 1.0)
    assert (f.grad, z.grad) == (0.0, 0.0)  # downstream of q, or off its graph: untouched


def test_backward_on_a_leaf() -> None:
    a = Value(3.0)
    a.backward()
    assert a.grad == 1.0


# ---- fan-out and diamonds -----------------------------------------------------------------------


def test_node_used_twice_by_mul() -> None:
    a = Value(3.0)
    b = a * a
    assert b.parents == (a, a) and b.parents[0] is a and b.parents[1] is a  # repeats kept
    assert b.local_grads == (3.0, 3.0)
    b.backward()
    assert a.grad == 6.0  # d(a²)/da = 2a


def test_node_used_twice_by_add() -> None:
    a = Value(-1.25)
    b = a + a
    assert b.parents[0] is a and b.parents[1] is a
    b.backward()
    assert a.grad == 2.0


def test_node_used_many_times() -> None:
    a = Value(2.0)
    b = a * a * a * a  # a⁴
    b.backward()
    assert a.grad == 4 * 2.0**3


def test_diamond() -> None:
    # d = (2a)·(a + 1) = 2a² + 2a, so d'(a) = 4a + 2
    a = Value(1.5)
    left, right = a * 2.0, a + 1.0
    d = left * right
    d.backward()
    assert d.data == 2 * 1.5**2 + 2 * 1.5
    assert a.grad == 4 * 1.5 + 2
    assert left.grad == right.data and right.grad == left.data


def test_nested_diamonds_share_a_middle_node() -> None:
    # m = a·b; out = (m + m·m)·tanh(m); d out/dm by hand, then the chain to a and b
    a, b = Value(0.3), Value(-0.8)
    m = a * b
    out = (m + m * m) * m.tanh()
    out.backward()
    mv = 0.3 * -0.8
    t = math.tanh(mv)
    d_m = (1 + 2 * mv) * t + (mv + mv * mv) * (1 - t * t)
    assert math.isclose(m.grad, d_m, rel_tol=1e-14)
    assert math.isclose(a.grad, d_m * -0.8, rel_tol=1e-14)
    assert math.isclose(b.grad, d_m * 0.3, rel_tol=1e-14)


def test_wide_fan_out() -> None:
    a = Value(0.5)
    out = Value.sum([a * float(k) for k in range(1, 1001)])
    out.backward()
    assert a.grad == sum(range(1, 1001))


# ---- repeated passes and zero_grad -------------------------------------------------------------


def test_repeated_backward_accumulates_without_micrograds_trap() -> None:
    # b = a·a + a at a = 3: db/da = 2a + 1 = 7 per pass; two passes give 14, not 20
    a = Value(3.0)
    sq = a * a
    b = sq + a
    b.backward()
    assert a.grad == 7.0
    b.backward()
    assert a.grad == 14.0
    assert sq.grad == 2.0 and b.grad == 2.0


def test_repeated_backward_on_the_lecture_graph() -> None:
    x, y, z, q, f = lecture_graph()
    for _ in range(3):
        f.backward()
    assert (f.grad, q.grad, z.grad, x.grad, y.grad) == (3.0, 12.0, -6.0, 12.0, 12.0)


def test_two_roots_sharing_leaves_add_up() -> None:
    a, b = Value(2.0), Value(5.0)
    u, v = a * b, a + b
    u.backward()
    v.backward()
    assert (a.grad, b.grad) == (5.0 + 1.0, 2.0 + 1.0)


def test_zero_grad_resets_the_whole_graph() -> None:
    x, y, z, q, f = lecture_graph()
    f.backward()
    f.zero_grad()
    assert all(n.grad == 0.0 for n in (x, y, z, q, f))
    f.backward()
    assert (f.grad, q.grad, z.grad, x.grad, y.grad) == (1.0, 4.0, -2.0, 4.0, 4.0)


def test_zero_grad_from_an_intermediate_node_leaves_the_rest() -> None:
    x, y, z, q, f = lecture_graph()
    f.backward()
    q.zero_grad()
    assert (q.grad, x.grad, y.grad) == (0.0, 0.0, 0.0)
    assert (f.grad, z.grad) == (1.0, -2.0)


def test_backward_after_changing_a_leaf_uses_the_recorded_point() -> None:
    # the graph records local derivatives at the forward point; a new point needs a new forward
    a = Value(2.0)
    b = a * a
    a.data = 10.0
    b.backward()
    assert a.grad == 4.0


def test_a_failing_pass_leaves_no_bookkeeping_behind() -> None:
    class Interrupted(Exception):
        pass

    class Boom(float):
        def __mul__(self, other: object) -> float:
            raise Interrupted

        __rmul__ = __mul__

    a, b = Value(2.0), Value(3.0)
    mid = a * b
    out = mid.tanh() + mid
    good = mid.local_grads
    mid.local_grads = (Boom(3.0), Boom(2.0))
    with pytest.raises(Interrupted):
        out.backward()
    mid.local_grads = good
    out.zero_grad()
    out.backward()
    d_mid = 1.0 - math.tanh(6.0) ** 2 + 1.0
    assert math.isclose(a.grad, d_mid * 3.0, rel_tol=1e-14)
    assert math.isclose(b.grad, d_mid * 2.0, rel_tol=1e-14)


# ---- topological order ------------------------------------------------------------------------


def test_topological_order_of_the_lecture_graph() -> None:
    x, y, z, q, f = lecture_graph()
    order = topological_order(f)
    assert [id(n) for n in order] == [id(x), id(y), id(q), id(z), id(f)]


def test_topological_order_lists_each_node_once_after_its_parents() -> None:
    a, b = Value(1.0), Value(2.0)
    c = a * a + b
    d = c * a + c.tanh() * b
    order = topological_order(d)
    position = {id(n): i for i, n in enumerate(order)}
    assert len(position) == len(order)  # no node twice
    assert order[-1] is d
    for node in order:
        for parent in node.parents:
            assert position[id(parent)] < position[id(node)]
    # every node reachable from d is listed
    assert {id(a), id(b), id(c)} <= position.keys()


def test_topological_order_is_deterministic() -> None:
    def build() -> Value:
        a, b = Value(1.0, label="a"), Value(2.0, label="b")
        c = (a * b).tanh() + b.exp()
        return c * a - Value.dot([a, b], [c, c], bias=b)

    def signature(root: Value) -> list[tuple[str, str, float]]:
        return [(n.op, n.label, n.data) for n in topological_order(root)]

    assert signature(build()) == signature(build())


def test_topological_order_follows_argument_order() -> None:
    a, b = Value(1.0, label="a"), Value(2.0, label="b")
    assert [n.label for n in topological_order(a + b)][:2] == ["a", "b"]
    assert [n.label for n in topological_order(b + a)][:2] == ["b", "a"]


# ---- no recursion: a chain of a million nodes ----------------------------------------------------


def test_chain_of_a_million_nodes() -> None:
    # out = x·kⁿ built one multiplication at a time, with the same k in every node
    n = 1_000_000
    x, k = Value(1.5), Value(1.0000001)
    out = x
    for _ in range(n):
        out = out * k
    out.backward()
    assert math.isclose(out.data, 1.5 * math.exp(n * math.log(1.0000001)), rel_tol=1e-9)
    assert math.isclose(x.grad, math.exp(n * math.log(1.0000001)), rel_tol=1e-9)
    # d out/dk = n·x·kⁿ⁻¹: k feeds every node of the chain
    assert math.isclose(k.grad, n * 1.5 * math.exp((n - 1) * math.log(1.0000001)), rel_tol=1e-9)


def test_order_and_zero_grad_on_a_deep_chain() -> None:
    # far past the interpreter's recursion limit (1,000) and the C stack of a recursive walk
    n = 100_000
    x = Value(0.5)
    out = x
    for _ in range(n):
        out = -out
    order = topological_order(out)
    assert len(order) == n + 1 and order[0] is x and order[-1] is out
    out.backward()
    assert x.grad == 1.0  # (-1)ⁿ with n even
    out.zero_grad()
    assert x.grad == 0.0 and out.grad == 0.0


# ---- memory: reference counting alone frees a graph ---------------------------------------------


def _count_values() -> int:
    # type(), not isinstance(): the latter asks every object for __class__, which wakes lazy modules
    return sum(1 for o in gc.get_objects() if issubclass(type(o), Value))


def test_graph_is_freed_by_reference_counting_alone() -> None:
    was_enabled = gc.isenabled()
    gc.collect()
    gc.disable()
    try:
        before = _count_values()
        leaf = Probe(0.7, label="p")
        alive = weakref.ref(leaf)
        w = Value(-1.2)
        out = leaf
        for _ in range(50):
            out = (out * w + leaf).tanh() + out.sigmoid() * 0.5
        loss = Value.dot([out, leaf], [w, 2.0], bias=1.0) ** 2
        loss.backward()
        loss.zero_grad()
        assert _count_values() > before + 100
        del leaf, w, out, loss
        assert alive() is None
        assert _count_values() == before
    finally:
        if was_enabled:
            gc.enable()


def test_backward_does_not_change_the_collectors_state() -> None:
    was_enabled = gc.isenabled()
    try:
        for state in (True, False):
            (gc.enable if state else gc.disable)()
            a = Value(2.0)
            (a * a).backward()
            assert gc.isenabled() is state
    finally:
        (gc.enable if was_enabled else gc.disable)()
