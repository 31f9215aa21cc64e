"""Tensor layers and models: numpy references, PyTorch twins, initialisation, modes and errors."""

from __future__ import annotations

import numpy as np
import pytest

import nn
from autograd import Tensor, Value, manual_seed, no_grad

RNG = np.random.default_rng(11)


def test_linear_matches_numpy_forward_and_backward():
    fc = nn.Linear(4, 3).double()
    x = Tensor(RNG.normal(size=(5, 4)), requires_grad=True)
    y = fc(x)
    W, b = fc.weight.data, fc.bias.data
    np.testing.assert_allclose(y.data, x.data @ W.T + b, atol=1e-12)
    g = RNG.normal(size=(5, 3))
    y.backward(g)
    np.testing.assert_allclose(fc.weight.grad, g.T @ x.data, atol=1e-12)
    np.testing.assert_allclose(fc.bias.grad, g.sum(axis=0), atol=1e-12)
    np.testing.assert_allclose(x.grad, g @ W, atol=1e-12)
    assert nn.Linear(4, 3, bias=False).bias is None
    assert [n for n, _ in nn.Linear(4, 3, bias=False).named_parameters()] == ["weight"]


def test_linear_wrong_width_error():
    message = r"Linear: expected input with 4 features; got shape \(2, 3\)"
    with pytest.raises(ValueError, match=message):
        nn.Linear(4, 2)(Tensor(np.zeros((2, 3), dtype=np.float32)))


def test_init_bounds_and_seeding():
    manual_seed(0)
    fc = nn.Linear(25, 40)
    conv = nn.Conv2d(3, 8, kernel_size=(3, 5))
    assert fc.weight.shape == (40, 25) and conv.weight.shape == (8, 3, 3, 5)
    assert fc.weight.dtype == np.float32 and fc.weight.requires_grad
    for p, fan_in in [(fc.weight, 25), (fc.bias, 25), (conv.weight, 45), (conv.bias, 45)]:
        bound = 1 / np.sqrt(fan_in)
        assert np.abs(p.data).max() <= bound
        assert np.abs(p.data).max() > 0.8 * bound  # uniform over the whole range, not a corner
    # a uniform on [-b, b] has standard deviation b/√3
    assert np.std(fc.weight.data) == pytest.approx(0.2 / np.sqrt(3), rel=0.1)
    manual_seed(0)
    again = nn.Linear(25, 40)
    np.testing.assert_array_equal(again.weight.data, fc.weight.data)


def test_conv_pool_flatten_match_torch():
    torch = pytest.importorskip("torch")
    x = RNG.normal(size=(2, 3, 9, 8))
    conv = nn.Conv2d(3, 4, 3, stride=2, padding=1).double()
    tconv = torch.nn.Conv2d(3, 4, 3, stride=2, padding=1).double()
    with torch.no_grad():
        tconv.weight.copy_(torch.tensor(conv.weight.data))
        tconv.bias.copy_(torch.tensor(conv.bias.data))
    xt = Tensor(x, requires_grad=True)
    xtt = torch.tensor(x, requires_grad=True)
    ours = nn.Flatten()(nn.MaxPool2d(2)(nn.ReLU()(conv(xt))))
    theirs = torch.nn.Flatten()(torch.nn.MaxPool2d(2)(torch.relu(tconv(xtt))))
    np.testing.assert_allclose(ours.data, theirs.detach().numpy(), atol=1e-12)
    g = RNG.normal(size=ours.shape)
    ours.backward(g)
    theirs.backward(torch.tensor(g))
    np.testing.assert_allclose(conv.weight.grad, tconv.weight.grad.numpy(), atol=1e-12)
    np.testing.assert_allclose(xt.grad, xtt.grad.numpy(), atol=1e-12)
    avg = nn.AvgPool2d(3, stride=2)(Tensor(x))
    np.testing.assert_allclose(
        avg.data, torch.nn.AvgPool2d(3, stride=2)(torch.tensor(x)).numpy(), atol=1e-12
    )


def test_lecture_padding_example():
    # deck 004: 3×3 input 0..8, 2×2 kernel [[0,1],[2,3]], padding 1 → 4×4 output
    conv = nn.Conv2d(1, 1, 2, padding=1, bias=False).double()
    conv.weight.data = np.array([[[[0.0, 1.0], [2.0, 3.0]]]])
    out = conv(Tensor(np.arange(9.0).reshape(1, 1, 3, 3)))
    expected = [[0, 3, 8, 4], [9, 19, 25, 10], [21, 37, 43, 16], [6, 7, 8, 0]]
    np.testing.assert_array_equal(out.data[0, 0], expected)
    # output size ⌊(n + 2p − f)/s⌋ + 1: 7×7, 3×3 kernel, stride 2 → 3×3
    assert nn.Conv2d(1, 1, 3, stride=2)(np.zeros((1, 1, 7, 7))).shape == (1, 1, 3, 3)


def test_conv_errors():
    message = r"Conv2d: expected input \(N, 3, H, W\); got shape \(2, 1, 8, 8\)"
    with pytest.raises(ValueError, match=message):
        nn.Conv2d(3, 4, 3)(np.zeros((2, 1, 8, 8)))
    with pytest.raises(ValueError, match="kernel_size must be a positive int"):
        nn.Conv2d(3, 4, 0)


def test_activation_layers_on_tensors_and_values():
    z = np.array([-2.0, -0.5, 0.0, 0.5, 3.0])
    cases = [
        (nn.ReLU(), np.maximum(z, 0)),
        (nn.LeakyReLU(0.1), np.where(z > 0, z, 0.1 * z)),
        (nn.ELU(0.5), np.where(z > 0, z, 0.5 * (np.exp(z) - 1))),
        (nn.Sigmoid(), 1 / (1 + np.exp(-z))),
        (nn.Tanh(), np.tanh(z)),
        (nn.Identity(), z),
    ]
    for layer, expected in cases:
        np.testing.assert_allclose(layer(Tensor(z)).data, expected, atol=1e-12)
        np.testing.assert_allclose([layer(Value(v)).data for v in z], expected, atol=1e-12)
    logits = RNG.normal(size=(3, 4))
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    np.testing.assert_allclose(nn.Softmax(dim=1)(Tensor(logits)).data, e / e.sum(1, keepdims=True))
    e0 = np.exp(logits - logits.max(axis=0))
    np.testing.assert_allclose(nn.Softmax(dim=0)(Tensor(logits)).data, e0 / e0.sum(0))


def test_dropout_train_and_eval():
    manual_seed(0)
    drop = nn.Dropout(0.25)
    x = Tensor(np.ones(20000))
    kept = drop(x).data
    assert set(np.unique(kept)) == {0.0, np.float64(1 / 0.75)}
    assert (kept == 0).mean() == pytest.approx(0.25, abs=0.02)
    net = nn.Sequential(nn.Linear(3, 3), drop)
    net.eval()
    assert drop(x) is x
    with pytest.raises(ValueError, match=r"p must be a probability in \[0, 1\]; got 1.5"):
        nn.Dropout(1.5)


def test_sequential_indexing_and_errors():
    a, b, c = nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1)
    seq = nn.Sequential(a, b, c)
    assert seq[0] is a and seq[-1] is c and list(seq) == [a, b, c]
    head = seq[:2]
    assert isinstance(head, nn.Sequential) and list(head) == [a, b]
    assert seq(np.ones((4, 2))).shape == (4, 1)
    with pytest.raises(IndexError, match="index out of range; got 3"):
        seq[3]
    with pytest.raises(TypeError, match="every entry must be a Module; got function"):
        nn.Sequential(lambda x: x)


def test_mlp_structure_and_activations():
    net = nn.MLP(4, [8, 6], 3, activation="tanh", output_activation="sigmoid", dropout=0.1)
    kinds = [type(m).__name__ for m in net]
    assert kinds == ["Linear", "Tanh", "Dropout", "Linear", "Tanh", "Dropout", "Linear", "Sigmoid"]
    assert nn.MLP(4, [], 2)[0].weight.shape == (2, 4)  # no hidden layer: logistic regression
    assert isinstance(nn.MLP(2, 3, 1, activation=nn.ELU)[1], nn.ELU)


def test_lenet_matches_torch():
    torch = pytest.importorskip("torch")
    manual_seed(0)
    net = nn.LeNet(input_size=8).double()
    tnet = torch.nn.Sequential(
        torch.nn.Conv2d(1, 6, 3, padding=1), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
        torch.nn.Conv2d(6, 16, 3, padding=1), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
        torch.nn.Flatten(), torch.nn.Linear(64, 120), torch.nn.ReLU(),
        torch.nn.Linear(120, 84), torch.nn.ReLU(), torch.nn.Linear(84, 10),
    ).double()  # fmt: skip
    with torch.no_grad():
        for p, q in zip(net.parameters(), tnet.parameters(), strict=True):
            q.copy_(torch.tensor(p.data))
    X = RNG.random((5, 1, 8, 8))
    y = np.array([0, 3, 9, 1, 3])
    loss = nn.CrossEntropyLoss()(net(X), y)
    loss.backward()
    tloss = torch.nn.functional.cross_entropy(tnet(torch.tensor(X)), torch.tensor(y))
    tloss.backward()
    assert loss.item() == pytest.approx(tloss.item(), abs=1e-12)
    for p, q in zip(net.parameters(), tnet.parameters(), strict=True):
        np.testing.assert_allclose(p.grad, q.grad.numpy(), atol=1e-12)


def test_lenet_sizes():
    assert nn.LeNet().features[0].kernel_size == (5, 5)
    assert nn.LeNet(input_size=8).features[0].kernel_size == (3, 3)
    with no_grad():
        assert nn.LeNet(in_channels=3, num_classes=4, input_size=(32, 16))(
            np.zeros((2, 3, 32, 16), dtype=np.float32)
        ).shape == (2, 4)
    with pytest.raises(ValueError, match="kernel_size must be odd"):
        nn.LeNet(kernel_size=4)


def test_public_names_of_the_design():
    names = (
        "Module Linear Conv2d MaxPool2d AvgPool2d Flatten Dropout ReLU LeakyReLU ELU Sigmoid Tanh "
        "Softmax Identity Sequential MLP LeNet McCullochPitts Perceptron MSELoss L1Loss BCELoss "
        "BCEWithLogitsLoss CrossEntropyLoss HingeLoss l1_penalty l2_penalty fit History "
        "functional F optim data metrics scalar"
    ).split()
    assert [n for n in names if not hasattr(nn, n)] == []
    assert nn.F is nn.functional
    for name in "SGD Adagrad RMSprop Adadelta Adam".split():
        assert hasattr(nn.optim, name)
    data_names = "DataLoader train_val_test_split Standardizer xor moons circles spiral blobs curve"
    for name in [*data_names.split(), "load_digits"]:
        assert hasattr(nn.data, name)
    for name in "accuracy precision recall f1 confusion_matrix r2_score mse mae".split():
        assert hasattr(nn.metrics, name)
