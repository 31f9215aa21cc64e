"""Scalar nets (nn.scalar) and the lectures' shallow networks on both engines."""

from __future__ import annotations

import numpy as np
import pytest

import nn
from autograd import Tensor, Value, manual_seed, no_grad
from autograd.graph import topological_order
from nn import scalar

GRID = np.linspace(-4.0, 4.0, 81)


def relu(z):
    return np.maximum(z, 0.0)


def lecture_net(x):
    # deck 000: y = -0.6·a(1.5x + 3) + 1.7·a(x - 1.2) - 1.2·a(2x - 4) - 0.5 with a = ReLU
    return -0.6 * relu(1.5 * x + 3) + 1.7 * relu(x - 1.2) - 1.2 * relu(2 * x - 4) - 0.5


@pytest.mark.parametrize("s,n,m", [(1, 3, 1), (2, 3, 1), (4, 16, 3), (10, 7, 2)])
def test_shallow_parameter_count(s, n, m):
    expected = s * n + n + n * m + m
    assert scalar.MLP(s, [n, m]).num_parameters() == expected
    assert len(scalar.MLP(s, [n, m]).parameters()) == expected
    assert nn.MLP(s, n, m).num_parameters() == expected
    assert nn.MLP(s, [n], m).num_parameters() == expected


def test_lecture_relu_shallow_net_scalar():
    net = scalar.MLP(1, [3, 1])
    hidden = [(1.5, 3.0), (1.0, -1.2), (2.0, -4.0)]  # (w1j, bj)
    for neuron, (w, b) in zip(net.layers[0].neurons, hidden, strict=True):
        neuron.w[0].data, neuron.b.data = w, b
    out = net.layers[1].neurons[0]
    for wi, v in zip(out.w, [-0.6, 1.7, -1.2], strict=True):
        wi.data = v
    out.b.data = -0.5
    got = np.array([net([float(x)]).data for x in GRID])
    np.testing.assert_allclose(got, lecture_net(GRID), rtol=0, atol=1e-12)


def test_lecture_relu_shallow_net_tensor():
    net = nn.MLP(1, 3, 1).double()
    net[0].weight.data = np.array([[1.5], [1.0], [2.0]])
    net[0].bias.data = np.array([3.0, -1.2, -4.0])
    net[2].weight.data = np.array([[-0.6, 1.7, -1.2]])
    net[2].bias.data = np.array([-0.5])
    with no_grad():
        got = net(Tensor(GRID.reshape(-1, 1))).numpy()[:, 0]
    np.testing.assert_allclose(got, lecture_net(GRID), rtol=0, atol=1e-12)


def test_linear_activation_collapses_to_affine_map():
    # deck 000: with a linear activation the net is y = c1·x1 + c2·x2 + c3
    manual_seed(0)
    net = scalar.MLP(2, [3, 1], activation="linear")
    points = np.random.default_rng(0).normal(size=(6, 2))
    ys = np.array([net(p.tolist()).data for p in points])
    A = np.column_stack([points, np.ones(len(points))])
    coef, residual, *_ = np.linalg.lstsq(A, ys, rcond=None)
    np.testing.assert_allclose(A @ coef, ys, atol=1e-12)


def test_expand_gives_same_values_and_gradients_as_sigma_node():
    manual_seed(4)
    a = scalar.MLP(3, [4, 2], activation="tanh", expand=False)
    manual_seed(4)
    b = scalar.MLP(3, [4, 2], activation="tanh", expand=True)
    x = [0.3, -1.2, 2.0]
    ya, yb = a(x), b(x)
    (ya[0] * ya[1]).backward()
    (yb[0] * yb[1]).backward()
    assert ya[0].data == pytest.approx(yb[0].data, abs=1e-14)
    np.testing.assert_allclose(
        [p.grad for p in a.parameters()], [p.grad for p in b.parameters()], atol=1e-14
    )
    ops_a = {n.op for n in topological_order(ya[0])}
    ops_b = {n.op for n in topological_order(yb[0])}
    assert "Σ" in ops_a and "Σ" not in ops_b and {"*", "+"} <= ops_b


def test_scalar_mlp_matches_torch():
    torch = pytest.importorskip("torch")
    manual_seed(2)
    net = scalar.MLP(3, [5, 4, 2], activation="tanh")
    x = [0.5, -1.5, 2.0]
    out = net(x)
    (out[0] * 2 + out[1] ** 2).backward()
    params = [
        (
            torch.tensor([[w.data for w in n.w] for n in layer.neurons], dtype=torch.float64,
                         requires_grad=True),
            torch.tensor([n.b.data for n in layer.neurons], dtype=torch.float64,
                         requires_grad=True),
        )
        for layer in net.layers
    ]  # fmt: skip
    h = torch.tensor(x, dtype=torch.float64)
    for i, (W, b) in enumerate(params):
        h = W @ h + b
        if i < len(params) - 1:
            h = torch.tanh(h)
    (h[0] * 2 + h[1] ** 2).backward()
    assert [o.data for o in out] == pytest.approx(h.detach().numpy().tolist(), abs=1e-12)
    for layer, (W, b) in zip(net.layers, params, strict=True):
        grads_w = [[w.grad for w in n.w] for n in layer.neurons]
        np.testing.assert_allclose(grads_w, W.grad.numpy(), atol=1e-12)
        np.testing.assert_allclose([n.b.grad for n in layer.neurons], b.grad.numpy(), atol=1e-12)


def test_two_layer_scalar_mlp_learns_xor():
    manual_seed(0)
    net = scalar.MLP(2, [4, 1], activation="tanh")
    opt = nn.optim.SGD(net.parameters(), lr=0.2, momentum=0.9)
    X = [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]
    y = [-1.0, 1.0, 1.0, -1.0]
    loss_fn = nn.MSELoss()
    for _ in range(300):
        loss = loss_fn([net(x) for x in X], y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    assert [1.0 if net(x).data > 0 else -1.0 for x in X] == y
    assert loss.data < 0.05


def test_scopes_layer_level_and_labels():
    net = scalar.MLP(2, [3, 1])
    out = net([1.0, 2.0])
    scopes = {n.scope for n in topological_order(out) if n.op}
    assert scopes == {"layers.0", "layers.1"}
    # w^{[l]}_{kj} as deck 002 writes it: input k, neuron j, layer l
    assert net.layers[0].neurons[0].w[1].label == "w[1]_21"
    assert net.layers[0].neurons[2].b.label == "b[1]_3"
    assert [w.label for w in net.layers[1].neurons[0].w] == ["w[2]_11", "w[2]_21", "w[2]_31"]
    assert scalar.Layer(12, 10).neurons[9].w[11].label == "w[1]_12,10"
    assert [p.label for p in scalar.Neuron(2).parameters()] == ["w1", "w2", "b"]
    names = [name for name, _ in net.named_parameters()]
    assert names[:3] == ["layers.0.neurons.0.w.0", "layers.0.neurons.0.w.1", "layers.0.neurons.0.b"]
    assert net.parameters() == [p for _, p in net.named_parameters()]


def test_layer_and_neuron_outputs_and_errors():
    layer = scalar.Layer(2, 1)
    assert isinstance(layer([1.0, 2.0]), Value)
    text = repr(scalar.MLP(2, [3, 1]))
    assert text.startswith("MLP(\n  (layers.0): Layer(2, 3, activation='relu')")
    with pytest.raises(ValueError, match="unknown activation; got 'swish'"):
        scalar.Neuron(2, activation="swish")
    with pytest.raises(ValueError, match="wrong number of inputs; got 3, expected 2"):
        scalar.Neuron(2)([1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="n_in must be a positive int"):
        scalar.Neuron(0)
    with pytest.raises(ValueError, match="unknown activation; got 'swish'"):
        nn.MLP(2, 3, 1, activation="swish")


def test_initialisation_is_seeded_and_bounded():
    manual_seed(5)
    a = [p.data for p in scalar.MLP(4, [8, 1]).parameters()]
    manual_seed(5)
    b = [p.data for p in scalar.MLP(4, [8, 1]).parameters()]
    assert a == b
    first = scalar.MLP(4, [8, 1]).layers[0]
    assert all(abs(p.data) <= 0.5 for p in first.parameters())  # 1/sqrt(4)
