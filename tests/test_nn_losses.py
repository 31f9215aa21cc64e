"""Loss modules and penalties: numpy formulas, PyTorch twins, Value path equal to Tensor path."""

from __future__ import annotations

import numpy as np
import pytest

import nn
from autograd import Tensor, Value

RNG = np.random.default_rng(3)
PRED = RNG.normal(size=6)
TARGET = RNG.normal(size=6)
PROBS = RNG.uniform(0.05, 0.95, size=6)
BITS = RNG.integers(0, 2, size=6).astype(np.float64)
SIGNS = 2 * BITS - 1


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


# (module, prediction, target, per-element numpy loss)
CASES = [
    (nn.MSELoss, PRED, TARGET, (PRED - TARGET) ** 2),
    (nn.L1Loss, PRED, TARGET, np.abs(PRED - TARGET)),
    (nn.BCELoss, PROBS, BITS, -(BITS * np.log(PROBS) + (1 - BITS) * np.log(1 - PROBS))),
    (
        nn.BCEWithLogitsLoss,
        PRED,
        BITS,
        -(BITS * np.log(sigmoid(PRED)) + (1 - BITS) * np.log(1 - sigmoid(PRED))),
    ),
    (nn.HingeLoss, PRED, SIGNS, np.maximum(0, 1 - SIGNS * PRED)),
]
IDS = [c[0].__name__ for c in CASES]


@pytest.mark.parametrize("cls,pred,target,per_element", CASES, ids=IDS)
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_tensor_losses_match_numpy(cls, pred, target, per_element, reduction):
    out = cls(reduction=reduction)(Tensor(pred), Tensor(target))
    expected = {"mean": per_element.mean(), "sum": per_element.sum(), "none": per_element}
    np.testing.assert_allclose(out.data, expected[reduction], rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("cls,pred,target,per_element", CASES, ids=IDS)
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_value_path_equals_tensor_path(cls, pred, target, per_element, reduction):
    xs = Tensor(pred, requires_grad=True)
    t_loss = cls(reduction=reduction)(xs, Tensor(target))
    vs = [Value(float(p)) for p in pred]
    v_loss = cls(reduction=reduction)(vs, target.tolist())
    if reduction == "none":
        np.testing.assert_allclose([v.data for v in v_loss], t_loss.data, atol=1e-12)
        return
    assert v_loss.data == pytest.approx(t_loss.item(), abs=1e-12)
    t_loss.backward()
    v_loss.backward()
    np.testing.assert_allclose([v.grad for v in vs], xs.grad, atol=1e-12)


def test_losses_match_torch():
    torch = pytest.importorskip("torch")
    F = torch.nn.functional
    t = torch.tensor
    for reduction in ("mean", "sum", "none"):
        pairs = [
            (nn.MSELoss, F.mse_loss, PRED, TARGET),
            (nn.L1Loss, F.l1_loss, PRED, TARGET),
            (nn.BCELoss, F.binary_cross_entropy, PROBS, BITS),
            (nn.BCEWithLogitsLoss, F.binary_cross_entropy_with_logits, PRED, BITS),
        ]
        for ours, theirs, a, b in pairs:
            np.testing.assert_allclose(
                ours(reduction=reduction)(Tensor(a), Tensor(b)).data,
                theirs(t(a), t(b), reduction=reduction).numpy(),
                atol=1e-12,
            )
    logits = RNG.normal(size=(5, 4))
    labels = np.array([0, 3, 1, 1, 2])
    for reduction in ("mean", "sum", "none"):
        np.testing.assert_allclose(
            nn.CrossEntropyLoss(reduction=reduction)(Tensor(logits), labels).data,
            F.cross_entropy(t(logits), t(labels), reduction=reduction).numpy(),
            atol=1e-12,
        )
    margin = torch.clamp(1 - t(SIGNS) * t(PRED), min=0).mean()
    assert nn.HingeLoss()(Tensor(PRED), Tensor(SIGNS)).item() == pytest.approx(margin.item())


def test_cross_entropy_by_hand_int_and_one_hot():
    logits = np.array([[2.0, 1.0, 0.1], [0.5, 2.5, 0.0]])
    labels = np.array([0, 1])
    log_softmax = logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))
    expected = -log_softmax[[0, 1], labels].mean()
    loss = nn.CrossEntropyLoss()
    assert loss(Tensor(logits), labels).item() == pytest.approx(expected, abs=1e-12)
    one_hot = np.eye(3)[labels]
    assert loss(Tensor(logits), one_hot).item() == pytest.approx(expected, abs=1e-12)
    rows = [[Value(v) for v in row] for row in logits]
    assert loss(rows, labels).data == pytest.approx(expected, abs=1e-12)
    assert loss(rows, one_hot).data == pytest.approx(expected, abs=1e-12)
    assert loss(rows[0], 0).data == pytest.approx(-log_softmax[0, 0], abs=1e-12)


def test_cross_entropy_value_gradient_is_softmax_minus_one_hot():
    logits = [Value(1.0), Value(-0.5), Value(2.0)]
    nn.CrossEntropyLoss()(logits, 2).backward()
    z = np.array([1.0, -0.5, 2.0])
    p = np.exp(z) / np.exp(z).sum()
    np.testing.assert_allclose([v.grad for v in logits], p - np.eye(3)[2], atol=1e-12)


def test_bce_sigmoid_gradient_is_a_minus_y():
    # deck 002: sigmoid + cross-entropy gives ∂L/∂z = a − y
    z = Value(0.3)
    nn.BCELoss()(z.sigmoid(), 1.0).backward()
    assert z.grad == pytest.approx(sigmoid(0.3) - 1.0, abs=1e-12)


def test_errors():
    with pytest.raises(ValueError, match="MSELoss: unknown reduction; got 'avg'"):
        nn.MSELoss(reduction="avg")
    with pytest.raises(ValueError, match="class index out of range"):
        nn.CrossEntropyLoss()(Tensor(np.zeros((2, 3))), np.array([0, 3]))
    with pytest.raises(ValueError, match="expected 2 class indices in 0..2"):
        nn.CrossEntropyLoss()([[Value(0.0)] * 3] * 2, np.array([0, 3]))
    with pytest.raises(ValueError, match="got 2 predictions and 3 targets"):
        nn.MSELoss()([Value(1.0), Value(2.0)], [1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="targets must be -1 or \\+1"):
        nn.HingeLoss()([Value(1.0)], [0.0])
    text = repr(nn.HingeLoss(margin=0.0, reduction="sum"))
    assert text == "HingeLoss(margin=0.0, reduction='sum')"


def test_penalties_tensor_and_value():
    w = Tensor(np.array([[1.0, -2.0], [0.5, 0.0]]), requires_grad=True)
    b = Tensor(np.array([-3.0]), requires_grad=True)
    assert nn.l1_penalty([w, b]).item() == pytest.approx(6.5)
    l2 = nn.l2_penalty([w, b])
    assert l2.item() == pytest.approx(1 + 4 + 0.25 + 9)
    l2.backward()
    np.testing.assert_allclose(w.grad, 2 * w.data)
    vs = [Value(1.0), Value(-2.0)]
    nn.l1_penalty(vs).backward()
    assert [v.grad for v in vs] == [1.0, -1.0]
    assert nn.l2_penalty(vs).data == 5.0
    net = nn.Linear(3, 2)
    expected = sum((p.data.astype(np.float64) ** 2).sum() for p in net.parameters())
    assert nn.l2_penalty(net).item() == pytest.approx(expected, rel=1e-6)
    with pytest.raises(TypeError, match="all Values or all Tensors"):
        nn.l2_penalty([w, Value(1.0)])
    with pytest.raises(ValueError, match="got no parameters"):
        nn.l1_penalty([])


def test_l2_penalty_equals_sgd_weight_decay():
    # λ·Σw² adds 2λw to the gradient: SGD(weight_decay=2λ) on the bare loss takes the same step
    lam = 0.05
    a, b = Value(1.5), Value(1.5)
    opt_a = nn.optim.SGD([a], lr=0.1)
    opt_b = nn.optim.SGD([b], lr=0.1, weight_decay=2 * lam)
    for _ in range(5):
        opt_a.zero_grad()
        opt_b.zero_grad()
        ((a - 3.0) ** 2 + lam * nn.l2_penalty([a])).backward()
        ((b - 3.0) ** 2).backward()
        opt_a.step()
        opt_b.step()
    assert a.data == pytest.approx(b.data, abs=1e-12)
