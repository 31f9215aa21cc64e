"""The same expressions built with `Value` and with float64 PyTorch tensors agree to 1e-12.

PyTorch is only an oracle here: without it these tests are skipped and the suite still passes.
"""

from __future__ import annotations

import math
from typing import Any

import pytest

from autograd import Value

torch = pytest.importorskip("torch")
F = torch.nn.functional


def leaves_t(*xs: float) -> list[Any]:
    return [torch.tensor(x, dtype=torch.float64, requires_grad=True) for x in xs]


def assert_close(got: float, expected: float) -> None:
    assert math.isclose(got, expected, rel_tol=1e-12, abs_tol=1e-14), (got, expected)


# ---- one expression that uses every op of Value --------------------------------------------------


def every_op_value(x: Value, y: Value, z: Value, w: Value) -> tuple[Value, dict[str, Value]]:
    u = x * y + z / (w + 1)
    v = (u - 2) ** 2 + abs(y) ** 1.5
    p = x ** w.sigmoid()
    q = 2 ** (z * 0.5) - 3 / z + (-4.5 - x) * 0.25
    r = (-v * 0.1).exp() + (z.sqrt() * x).log() + y.abs() ** -1
    s = u.tanh() * y.sin() + z.cos() * (x * y).relu() + y.leaky_relu() + y.leaky_relu(0.1)
    s = s + y.elu() + w.elu(alpha=0.5)
    t = y.step() * x + y.sign() * z + w.step()
    n = Value.sum([u, v, p, q, 1.5])
    m = Value.dot([r, s, 2.0], [t, x, w], bias=n)
    out = m * (1 - w) + 1.5 - y / 4 + z ** Value(2.0) + m * m / 100
    return out, {"u": u, "v": v, "s": s, "m": m}


def every_op_torch(x: Any, y: Any, z: Any, w: Any) -> tuple[Any, dict[str, Any]]:
    u = x * y + z / (w + 1)
    v = (u - 2) ** 2 + y.abs() ** 1.5
    p = x ** w.sigmoid()
    q = 2 ** (z * 0.5) - 3 / z + (-4.5 - x) * 0.25
    r = (-v * 0.1).exp() + (z.sqrt() * x).log() + y.abs() ** -1
    s = u.tanh() * y.sin() + z.cos() * (x * y).relu() + F.leaky_relu(y) + F.leaky_relu(y, 0.1)
    s = s + F.elu(y) + F.elu(w, alpha=0.5)
    step_y, step_w = (y >= 0).to(y.dtype), (w >= 0).to(w.dtype)  # Heaviside: no gradient
    t = step_y * x + y.sign() * z + step_w
    n = u + v + p + q + 1.5
    m = r * t + s * x + 2.0 * w + n
    out = m * (1 - w) + 1.5 - y / 4 + z**2.0 + m * m / 100
    for node in (u, v, s, m):
        node.retain_grad()
    return out, {"u": u, "v": v, "s": s, "m": m}


POINTS = [
    (0.7, -1.3, 2.1, 0.4),
    (1.9, 0.8, 0.3, -2.2),
    (0.05, -0.2, 5.0, 1.7),
    (3.0, 2.5, 1.1, -0.6),
]


@pytest.mark.parametrize("xs", POINTS, ids=[str(p) for p in POINTS])
def test_every_op_agrees_with_torch(xs: tuple[float, ...]) -> None:
    vs = [Value(x) for x in xs]
    out, mid = every_op_value(*vs)
    out.backward()
    ts = leaves_t(*xs)
    t_out, t_mid = every_op_torch(*ts)
    t_out.backward()
    assert_close(out.data, t_out.item())
    for v, t in zip(vs, ts, strict=True):
        assert_close(v.grad, t.grad.item())
    for name, node in mid.items():
        assert_close(node.data, t_mid[name].item())
        assert_close(node.grad, t_mid[name].grad.item())


# ---- a neuron-shaped graph: two tanh layers, a sigmoid output and a cross-entropy loss -----------


W1 = [[0.5, -1.2], [0.3, 0.8], [-0.7, 0.1]]
B1 = [0.1, -0.2, 0.05]
W2 = [1.1, -0.4, 0.9]
B2 = -0.3
SAMPLES = [([0.6, -1.0], 1.0), ([-0.2, 0.4], 0.0), ([1.5, 0.3], 1.0), ([-1.1, -0.9], 0.0)]


def net_loss_value(params: list[Value]) -> Value:
    w1, b1 = [params[0:2], params[2:4], params[4:6]], params[6:9]
    w2, b2 = params[9:12], params[12]
    total = Value(0.0)
    for x, y in SAMPLES:
        hidden = [Value.dot(w1[j], x, bias=b1[j]).tanh() for j in range(3)]
        p = Value.dot(w2, hidden, bias=b2).sigmoid()
        total = total - (y * p.log() + (1 - y) * (1 - p).log())
    return total / len(SAMPLES)


def net_loss_torch(params: list[Any]) -> Any:
    w1, b1 = [params[0:2], params[2:4], params[4:6]], params[6:9]
    w2, b2 = params[9:12], params[12]
    total = torch.zeros((), dtype=torch.float64)
    for x, y in SAMPLES:
        hidden = [(w1[j][0] * x[0] + w1[j][1] * x[1] + b1[j]).tanh() for j in range(3)]
        p = (w2[0] * hidden[0] + w2[1] * hidden[1] + w2[2] * hidden[2] + b2).sigmoid()
        total = total - (y * p.log() + (1 - y) * (1 - p).log())
    return total / len(SAMPLES)


def test_small_network_loss_agrees_with_torch() -> None:
    flat = [w for row in W1 for w in row] + B1 + W2 + [B2]
    vs = [Value(x) for x in flat]
    loss = net_loss_value(vs)
    loss.backward()
    ts = leaves_t(*flat)
    t_loss = net_loss_torch(ts)
    t_loss.backward()
    assert_close(loss.data, t_loss.item())
    for v, t in zip(vs, ts, strict=True):
        assert_close(v.grad, t.grad.item())


# ---- reuse and repeated passes, as PyTorch does them ------------------------------------------


def test_deep_reuse_agrees_with_torch() -> None:
    def build(a: Any, b: Any) -> Any:
        for _ in range(30):
            a = a * b.sigmoid() + (a * 0.5).tanh() - b * 0.01
            b = b + a * 0.1
        return a * b

    va, vb = Value(0.3), Value(-0.6)
    out = build(va, vb)
    out.backward()
    ta, tb = leaves_t(0.3, -0.6)
    t_out = build(ta, tb)
    t_out.backward()
    assert_close(out.data, t_out.item())
    assert_close(va.grad, ta.grad.item())
    assert_close(vb.grad, tb.grad.item())


def test_repeated_backward_accumulates_like_torch() -> None:
    a = Value(3.0)
    b = a * a + a
    b.backward()
    b.backward()
    (ta,) = leaves_t(3.0)
    tb = ta * ta + ta
    tb.backward(retain_graph=True)
    tb.backward()
    assert a.grad == ta.grad.item() == 14.0


def test_seeded_backward_agrees_with_torch() -> None:
    vs = [Value(x) for x in POINTS[0]]
    out, _ = every_op_value(*vs)
    out.backward(grad=-2.5)
    ts = leaves_t(*POINTS[0])
    t_out, _ = every_op_torch(*ts)
    t_out.backward(torch.tensor(-2.5, dtype=torch.float64))
    for v, t in zip(vs, ts, strict=True):
        assert_close(v.grad, t.grad.item())
