"""nn.metrics against hand-counted numbers, numpy formulas and scikit-learn where installed."""

from __future__ import annotations

import numpy as np
import pytest

from autograd import Value
from nn import metrics

Y_TRUE = [0, 1, 1, 0, 1, 1, 0, 0]
Y_PRED = [0, 1, 0, 0, 1, 1, 1, 0]  # TP=3, FP=1, FN=1, TN=3


def test_binary_counts_by_hand():
    assert metrics.accuracy(Y_TRUE, Y_PRED) == 6 / 8
    assert metrics.precision(Y_TRUE, Y_PRED) == 3 / 4
    assert metrics.recall(Y_TRUE, Y_PRED) == 3 / 4
    assert metrics.f1(Y_TRUE, Y_PRED) == pytest.approx(0.75)
    assert metrics.precision(Y_TRUE, Y_PRED, pos_label=0) == 3 / 4
    assert metrics.confusion_matrix(Y_TRUE, Y_PRED).tolist() == [[3, 1], [1, 3]]


def test_precision_recall_differ_by_hand():
    t = [1, 1, 1, 1, 0, 0]
    p = [1, 0, 0, 0, 1, 0]  # TP=1, FP=1, FN=3
    assert metrics.precision(t, p) == 0.5
    assert metrics.recall(t, p) == 0.25
    assert metrics.f1(t, p) == pytest.approx(2 * 0.5 * 0.25 / 0.75)
    assert metrics.precision([0, 0], [0, 0]) == 0.0  # no positive predictions: 0, not nan


def test_scores_probabilities_and_tensors_become_labels():
    scores = np.array([[2.0, 1.0, 0.0], [0.0, 3.0, 1.0], [0.1, 0.2, 0.3]])
    assert metrics.accuracy([0, 1, 1], scores) == pytest.approx(2 / 3)
    probs = np.array([[0.9], [0.2], [0.6]])
    assert metrics.accuracy([1, 0, 0], probs) == pytest.approx(2 / 3)
    assert metrics.mse([1.0, 2.0], [Value(1.0), Value(4.0)]) == 2.0


def test_regression_by_hand():
    t = np.array([3.0, -0.5, 2.0, 7.0])
    p = np.array([2.5, 0.0, 2.0, 8.0])
    assert metrics.mse(t, p) == pytest.approx((0.25 + 0.25 + 0 + 1) / 4)
    assert metrics.mae(t, p) == pytest.approx((0.5 + 0.5 + 0 + 1) / 4)
    ss_res, ss_tot = 1.5, np.sum((t - t.mean()) ** 2)
    assert metrics.r2_score(t, p) == pytest.approx(1 - ss_res / ss_tot)
    # (n, 1) predictions against (n,) targets are compared elementwise, not broadcast to (n, n)
    assert metrics.mse(t, p[:, None]) == pytest.approx(metrics.mse(t, p))
    assert metrics.r2_score([1.0, 2.0, 3.0], [2.0, 2.0, 2.0]) == 0.0
    assert metrics.r2_score([1.0, 2.0, 3.0], [3.0, 2.0, 1.0]) == pytest.approx(-3.0)
    with pytest.raises(ValueError, match=r"differ in size; got shapes \(4,\) and \(3,\)"):
        metrics.mae(t, p[:3])


def test_errors():
    with pytest.raises(ValueError, match="unknown average"):
        metrics.precision(Y_TRUE, Y_PRED, average="mean")
    with pytest.raises(ValueError, match="needs two classes"):
        metrics.recall([0, 1, 2], [0, 1, 2])
    with pytest.raises(ValueError, match="one label"):
        metrics.accuracy([0, 1, 1], [0, 1])
    with pytest.raises(ValueError, match="label out of range; got 3"):
        metrics.confusion_matrix([0, 1], [0, 3], num_classes=3)


def test_against_sklearn():
    skm = pytest.importorskip("sklearn.metrics")
    rng = np.random.default_rng(0)
    t = rng.integers(0, 4, size=200)
    p = np.where(rng.random(200) < 0.6, t, rng.integers(0, 4, size=200))
    assert metrics.accuracy(t, p) == pytest.approx(skm.accuracy_score(t, p))
    np.testing.assert_array_equal(metrics.confusion_matrix(t, p), skm.confusion_matrix(t, p))
    for ours, theirs in [
        (metrics.precision, skm.precision_score),
        (metrics.recall, skm.recall_score),
        (metrics.f1, skm.f1_score),
    ]:
        for average in ("macro", "micro", "weighted"):
            assert ours(t, p, average=average) == pytest.approx(theirs(t, p, average=average))
        np.testing.assert_allclose(ours(t, p, average=None), theirs(t, p, average=None))
        tb, pb = t % 2, p % 2
        assert ours(tb, pb) == pytest.approx(theirs(tb, pb))
    yt, yp = rng.normal(size=(50, 2)), rng.normal(size=(50, 2))
    assert metrics.r2_score(yt, yp) == pytest.approx(skm.r2_score(yt, yp))
    assert metrics.mse(yt, yp) == pytest.approx(skm.mean_squared_error(yt, yp))
    assert metrics.mae(yt, yp) == pytest.approx(skm.mean_absolute_error(yt, yp))
