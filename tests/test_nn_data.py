"""nn.data: batching, splitting, standardising, the toy sets and the digits."""

from __future__ import annotations

import numpy as np
import pytest

from autograd import Tensor, manual_seed
from nn import data


def test_dataloader_batches_cover_every_sample_once():
    X = np.arange(23 * 2, dtype=np.float64).reshape(23, 2)
    y = np.arange(23)
    loader = data.DataLoader(X, y, batch_size=5, seed=0)
    assert len(loader) == 5
    batches = list(loader)
    assert [len(xb) for xb, _ in batches] == [5, 5, 5, 5, 3]
    xs = np.concatenate([xb.numpy() for xb, _ in batches])
    ys = np.concatenate([yb.numpy() for _, yb in batches])
    assert sorted(ys.tolist()) == list(range(23))
    np.testing.assert_array_equal(xs, X[ys])  # pairs stay together
    assert ys.tolist() != list(range(23))  # shuffled
    xb, yb = batches[0]
    assert isinstance(xb, Tensor) and not xb.requires_grad
    assert xb.dtype == np.float32 and yb.dtype == np.int64


def test_dataloader_epochs_differ_and_seed_repeats():
    X, y = np.zeros((10, 1)), np.arange(10)
    a = data.DataLoader(X, y, batch_size=10, seed=1)
    first, second = next(iter(a))[1].tolist(), next(iter(a))[1].tolist()
    assert first != second
    b = data.DataLoader(X, y, batch_size=10, seed=1)
    assert next(iter(b))[1].tolist() == first
    manual_seed(0)
    c = next(iter(data.DataLoader(X, y, batch_size=10)))[1].tolist()
    manual_seed(0)
    assert next(iter(data.DataLoader(X, y, batch_size=10)))[1].tolist() == c


def test_dataloader_order_and_drop_last():
    loader = data.DataLoader(np.zeros((7, 1)), np.arange(7), batch_size=3, shuffle=False,
                             drop_last=True)  # fmt: skip
    assert len(loader) == 2
    assert [yb.tolist() for _, yb in loader] == [[0, 1, 2], [3, 4, 5]]


def test_dataloader_errors():
    with pytest.raises(
        ValueError,
        match=r"X and y differ in length; got X of shape \(5, 2\) and "
        r"y of shape \(4,\)",
    ):
        data.DataLoader(np.zeros((5, 2)), np.zeros(4))
    with pytest.raises(ValueError, match="batch_size must be at least 1; got 0"):
        data.DataLoader(np.zeros((5, 2)), np.zeros(5), batch_size=0)
    with pytest.raises(TypeError, match="batch_size must be an int"):
        data.DataLoader(np.zeros((5, 2)), np.zeros(5), batch_size=2.5)


def test_train_val_test_split():
    X = np.arange(200).reshape(100, 2)
    y = np.arange(100)
    (Xtr, ytr), (Xva, yva), (Xte, yte) = data.train_val_test_split(X, y, 0.2, 10, seed=0)
    assert (len(ytr), len(yva), len(yte)) == (70, 20, 10)
    assert sorted(np.concatenate([ytr, yva, yte]).tolist()) == list(range(100))
    np.testing.assert_array_equal(Xtr[:, 0], 2 * ytr)
    again = data.train_val_test_split(X, y, 0.2, 10, seed=0)
    np.testing.assert_array_equal(again[0][1], ytr)
    ordered = data.train_val_test_split(X, y, 0.1, 0.1, shuffle=False)
    assert ordered[1][1].tolist() == list(range(10, 20))
    with pytest.raises(ValueError, match="nothing left to train on"):
        data.train_val_test_split(X, y, 0.5, 0.5)
    with pytest.raises(ValueError, match="X and y differ in length"):
        data.train_val_test_split(X, y[:5])


def test_standardizer_population_sigma():
    X = np.array([[1.0, 2.0], [3.0, 2.0], [5.0, 2.0], [7.0, 2.0]])
    s = data.Standardizer().fit(X)
    # μ = 4, σ² = ((−3)² + (−1)² + 1² + 3²)/4 = 5 (divide by n, as in the lecture)
    np.testing.assert_allclose(s.mean, [4.0, 2.0])
    np.testing.assert_allclose(s.std, [np.sqrt(5.0), 1.0])  # constant column: σ taken as 1
    Z = s.transform(X)
    np.testing.assert_allclose(Z[:, 0], (X[:, 0] - 4) / np.sqrt(5))
    np.testing.assert_allclose(Z[:, 0].std(), 1.0)
    np.testing.assert_allclose(s.inverse_transform(Z), X)
    np.testing.assert_allclose(data.Standardizer().fit_transform(X), Z)
    images = np.random.default_rng(0).random((10, 1, 4, 4)).astype(np.float32)
    per_pixel = data.Standardizer().fit(images)
    assert per_pixel.mean.shape == (1, 4, 4)
    assert per_pixel.transform(images).dtype == np.float32
    whole = data.Standardizer(axis=None).fit(images)
    assert whole.transform(images).std() == pytest.approx(1.0, abs=1e-5)


def test_standardizer_against_sklearn():
    preprocessing = pytest.importorskip("sklearn.preprocessing")
    X = np.random.default_rng(1).normal(3, 2, size=(50, 3))
    theirs = preprocessing.StandardScaler().fit(X)
    ours = data.Standardizer().fit(X)
    np.testing.assert_allclose(ours.transform(X), theirs.transform(X), atol=1e-12)


def test_standardizer_errors():
    with pytest.raises(RuntimeError, match="not fitted yet; call fit"):
        data.Standardizer().transform(np.zeros((2, 2)))
    s = data.Standardizer().fit(np.zeros((3, 2)))
    with pytest.raises(ValueError, match=r"got shape \(3, 4\)"):
        s.transform(np.zeros((3, 4)))


@pytest.mark.parametrize(
    "make,kwargs,classes",
    [
        (data.xor, {}, 2),
        (data.moons, {}, 2),
        (data.circles, {}, 2),
        (data.spiral, {"n_classes": 4}, 4),
        (data.blobs, {"centers": 5}, 5),
    ],
)
def test_toy_classification_sets(make, kwargs, classes):
    X, y = make(120, seed=3, **kwargs)
    assert X.shape == (120, 2) and X.dtype == np.float32
    assert y.dtype == np.int64 and sorted(set(y.tolist())) == list(range(classes))
    X2, y2 = make(120, seed=3, **kwargs)
    np.testing.assert_array_equal(X, X2)
    X3, _ = make(120, seed=4, **kwargs)
    assert not np.array_equal(X, X3)


def test_toy_sets_geometry():
    X, y = data.xor(400, noise=0.05, seed=0)
    assert np.all((X[:, 0] > 0.5) ^ (X[:, 1] > 0.5) == (y == 1))
    X, y = data.circles(200, noise=0.0, seed=0)
    r = np.hypot(X[:, 0], X[:, 1])
    np.testing.assert_allclose(r[y == 0], 1.0, atol=1e-6)
    np.testing.assert_allclose(r[y == 1], 0.5, atol=1e-6)
    X, y = data.moons(200, noise=0.0, seed=0)
    np.testing.assert_allclose(np.hypot(X[y == 0, 0], X[y == 0, 1]), 1.0, atol=1e-6)
    np.testing.assert_allclose(np.hypot(X[y == 1, 0] - 1, X[y == 1, 1] - 0.5), 1.0, atol=1e-6)
    X, y = data.spiral(300, noise=0.0, shuffle=False, seed=0)
    assert np.hypot(X[:, 0], X[:, 1]).max() == pytest.approx(1.0)
    X, y = data.curve(200, noise=0.0, seed=0)
    assert X.shape == y.shape == (200, 1)
    np.testing.assert_allclose(y, np.sin(1.5 * X) + 0.3 * X, atol=1e-5)
    assert X.min() >= -3 and X.max() <= 3


def test_load_digits():
    pytest.importorskip("sklearn")
    X, y = data.load_digits()
    assert X.shape == (1797, 1, 8, 8) and X.dtype == np.float32
    assert X.min() == 0.0 and X.max() == 1.0
    assert y.dtype == np.int64 and sorted(set(y.tolist())) == list(range(10))


def test_load_digits_without_sklearn(monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_sklearn(name, *args, **kwargs):
        if name.startswith("sklearn"):
            raise ImportError("No module named 'sklearn'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_sklearn)
    with pytest.raises(ImportError, match="scikit-learn is needed.*pip install scikit-learn"):
        data.load_digits()
