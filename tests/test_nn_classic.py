"""McCulloch-Pitts and the perceptron against the lectures' hand-worked numbers and truth tables."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

import nn
from nn.classic import McCullochPitts, Perceptron

TABLE = [(0, 0), (0, 1), (1, 0), (1, 1)]


# ---- McCulloch-Pitts --------------------------------------------------------------------------


def test_mcculloch_pitts_cinema_example_fires():
    # "¿voy al cine hoy?": weekend=1, homework=0, cinema closed=0, premiere=1; θ = 2 → z = 2 → 1
    assert McCullochPitts(2)((1, 0, 0, 1)) == 1
    assert McCullochPitts(2)((1, 0, 0, 0)) == 0
    assert McCullochPitts(3)((1, 0, 0, 1)) == 0


def test_mcculloch_pitts_and_or_truth_tables():
    assert [McCullochPitts(2)(x) for x in TABLE] == [a & b for a, b in TABLE]
    assert [McCullochPitts(1)(x) for x in TABLE] == [a | b for a, b in TABLE]


@pytest.mark.parametrize("x", list(itertools.product((0, 1), repeat=4)))
def test_mcculloch_pitts_inhibition_is_absolute(x):
    unit = McCullochPitts(1, inhibitory=(1, 2))
    expected = 0 if (x[1] or x[2]) else int(x[0] + x[3] >= 1)
    assert unit(x) == expected
    assert type(unit(x)) is int


def test_mcculloch_pitts_errors_and_predict():
    with pytest.raises(ValueError, match="0 or 1; got 2"):
        McCullochPitts(1)((0, 2))
    with pytest.raises(IndexError, match="inhibitory index out of range; got index 5"):
        McCullochPitts(1, inhibitory=(5,))((1, 0))
    with pytest.raises(TypeError, match="threshold must be a number"):
        McCullochPitts("2")
    assert McCullochPitts(2).predict(TABLE).tolist() == [0, 0, 0, 1]
    assert nn.McCullochPitts is McCullochPitts


# ---- Perceptron ------------------------------------------------------------------------------


def test_perceptron_lecture_update():
    # hand-worked: z = -1·1 + 0·5 - 0.5 = -1.5 → ŷ = 0; w += 0.5·(1 - 0)·x, b += 0.5·(1 - 0)
    p = Perceptron(2, lr=0.5, weights=[-1.0, 0.0], bias=-0.5)
    assert p.net_input([1, 5]) == pytest.approx(-1.5)
    y_hat = p.update([1, 5], 1)
    assert y_hat == 0
    np.testing.assert_allclose(p.weights, [-0.5, 2.5])
    assert p.bias == 0.0
    # the lectures' next evaluation: z = -0.5·1 + 2.5·5 + 0 = 12 → fires
    assert p.predict([1, 5]) == 1
    assert len(p.history) == 1
    step = p.history[0]
    assert (step.y, step.y_hat, step.bias) == (1.0, 0, 0.0)
    np.testing.assert_allclose(step.weights, [-0.5, 2.5])


def test_perceptron_correct_prediction_changes_nothing():
    p = Perceptron(2, lr=0.5, weights=[1.0, 1.0], bias=-1.5)
    assert p.update([1, 1], 1) == 1
    np.testing.assert_allclose(p.weights, [1.0, 1.0])
    assert p.bias == -1.5


@pytest.mark.parametrize("name,op", [("AND", lambda a, b: a & b), ("OR", lambda a, b: a | b)])
def test_perceptron_learns_and_or(name, op):
    X = np.array(TABLE, dtype=float)
    y = np.array([op(a, b) for a, b in TABLE])
    p = Perceptron(2, lr=0.1).fit(X, y, epochs=20)
    assert p.predict(X).tolist() == y.tolist(), name
    assert p.score(X, y) == 1.0
    assert p.epoch_errors[-1] == 0
    assert len(p.history) == 20 * 4


def test_perceptron_cannot_learn_xor():
    X = np.array(TABLE, dtype=float)
    y = np.array([a ^ b for a, b in TABLE])
    p = Perceptron(2, lr=0.1).fit(X, y, epochs=200, shuffle=True, seed=0)
    # no line separates XOR: at most 3 of 4 right, and every epoch keeps making mistakes
    assert p.score(X, y) <= 0.75
    assert min(p.epoch_errors) > 0


def test_perceptron_sign_activation():
    X = np.array(TABLE, dtype=float)
    y = np.array([1 if (a and b) else -1 for a, b in TABLE])
    p = Perceptron(2, lr=0.1, activation="sign").fit(X, y, epochs=30)
    assert p.predict(X).tolist() == y.tolist()
    with pytest.raises(ValueError, match="use -1/1 targets"):
        Perceptron(2, activation="sign").fit(X, [0, 0, 0, 1])


def test_perceptron_fit_in_order_matches_hand_loop():
    X = np.array([[2.0, 1.0], [-1.0, -3.0], [1.0, -1.0]])
    y = np.array([1, 0, 0])
    p = Perceptron(2, lr=0.25).fit(X, y, epochs=3)
    w, b = np.zeros(2), 0.0
    for _ in range(3):
        for xi, yi in zip(X, y, strict=True):
            y_hat = 1.0 if xi @ w + b >= 0 else 0.0
            w, b = w + 0.25 * (yi - y_hat) * xi, b + 0.25 * (yi - y_hat)
    np.testing.assert_allclose(p.weights, w)
    assert p.bias == pytest.approx(b)
    assert [s.index for s in p.history[:4]] == [0, 1, 2, 0]
    assert [s.epoch for s in p.history[2:4]] == [0, 1]


def test_perceptron_errors():
    with pytest.raises(ValueError, match="unknown activation; got 'relu'"):
        Perceptron(2, activation="relu")
    with pytest.raises(ValueError, match="wrong number of weights; got 3, expected 2"):
        Perceptron(2, weights=[1, 2, 3])
    with pytest.raises(ValueError, match=r"wrong input shape; got \(3,\)"):
        Perceptron(2).update([1, 2, 3], 1)
    with pytest.raises(ValueError, match="got 3 targets for 4 samples"):
        Perceptron(2).fit(np.zeros((4, 2)), [0, 1, 0])
    with pytest.raises(ValueError, match="target out of range"):
        Perceptron(2).update([1, 2], 2)
    assert nn.Perceptron is Perceptron


def test_two_layer_mlp_learns_what_the_perceptron_cannot():
    from autograd import manual_seed

    X = np.array(TABLE, dtype=np.float32)
    y = np.array([a ^ b for a, b in TABLE])
    manual_seed(0)
    net = nn.MLP(2, 4, 2, activation="tanh")
    opt = nn.optim.Adam(net.parameters(), lr=0.1)
    for _ in range(150):
        loss = nn.CrossEntropyLoss()(net(X), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    assert nn.metrics.accuracy(y, net(X)) == 1.0
