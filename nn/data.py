"""Data for training: mini-batches (`DataLoader`), splits, standardisation, toy sets and digits.

Every random choice draws from ``seed`` when given, else from the generator that
`autograd.manual_seed` resets, so a fixed seed gives the same data and batches run after run.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

import numpy as np

from autograd import Tensor, get_default_dtype
from autograd.random import generator


def _rng(seed: int | None) -> np.random.Generator:
    return np.random.default_rng(seed) if seed is not None else generator()


def _array(a: Any) -> np.ndarray:
    return a.data if isinstance(a, Tensor) else np.asarray(a)


# ---- batches, splits, scaling ----------------------------------------------------------------


class DataLoader:
    """Iterates ``(x_batch, y_batch)`` as `Tensor`s, reshuffled every epoch.

    Float arrays become the default dtype (float32 unless `autograd.set_default_dtype` says
    otherwise), the dtype of the models' parameters; integer labels stay int64. Batches are leaves
    without gradient.

    Args:
        X: inputs, first axis = samples (an array, a list or a Tensor).
        y: targets, one per sample.
        batch_size: samples per batch (the last batch may be smaller).
        shuffle: visit the samples in a new random order every epoch.
        seed: seed of this loader's own generator (None: the engine's generator).
        drop_last: skip a last, incomplete batch.

    >>> import numpy as np
    >>> X, y = np.arange(10.0).reshape(5, 2), np.arange(5)
    >>> loader = DataLoader(X, y, batch_size=2, shuffle=False)
    >>> len(loader), [yb.tolist() for _, yb in loader]
    (3, [[0, 1], [2, 3], [4]])
    >>> next(iter(loader))[0].dtype
    dtype('float32')
    """

    def __init__(
        self,
        X: Any,
        y: Any,
        batch_size: int = 32,
        shuffle: bool = True,
        seed: int | None = None,
        drop_last: bool = False,
    ) -> None:
        X, y = _array(X), _array(y)
        if X.ndim == 0 or y.ndim == 0 or len(X) != len(y):
            raise ValueError(
                f"DataLoader: X and y differ in length; got X of shape {X.shape} and y of shape "
                f"{y.shape}, expected one target per sample (the first axis)"
            )
        if isinstance(batch_size, bool) or not isinstance(batch_size, (int, np.integer)):
            raise TypeError(f"DataLoader: batch_size must be an int; got {batch_size!r}")
        if batch_size < 1:
            raise ValueError(f"DataLoader: batch_size must be at least 1; got {batch_size}")
        self.X = _cast(X)
        self.y = _cast(y)
        self.batch_size = int(batch_size)
        self.shuffle = shuffle
        self.drop_last = drop_last
        self._rng = np.random.default_rng(seed) if seed is not None else None

    def __len__(self) -> int:
        n = len(self.X)
        return n // self.batch_size if self.drop_last else math.ceil(n / self.batch_size)

    def __iter__(self) -> Iterator[tuple[Tensor, Tensor]]:
        n = len(self.X)
        rng = self._rng if self._rng is not None else generator()
        order = rng.permutation(n) if self.shuffle else np.arange(n)
        for start in range(0, len(self) * self.batch_size, self.batch_size):
            index = order[start : start + self.batch_size]
            yield Tensor(self.X[index]), Tensor(self.y[index])

    def __repr__(self) -> str:
        return (
            f"DataLoader({len(self.X)} samples, batch_size={self.batch_size}, "
            f"shuffle={self.shuffle}, drop_last={self.drop_last})"
        )


def _cast(a: np.ndarray) -> np.ndarray:
    if a.dtype.kind == "f":
        return a.astype(get_default_dtype(), copy=False)
    if a.dtype.kind in "iub":
        return a.astype(np.int64, copy=False)
    raise TypeError(f"DataLoader: arrays must hold numbers; got dtype {a.dtype}")


def train_val_test_split(
    X: Any,
    y: Any,
    val_size: float | int = 0.15,
    test_size: float | int = 0.15,
    shuffle: bool = True,
    seed: int | None = None,
) -> tuple[tuple[np.ndarray, np.ndarray], ...]:
    """Split samples three ways: ``(X_train, y_train), (X_val, y_val), (X_test, y_test)``.

    Tune on the validation set, report on the test set once (the lectures' protocol).

    Args:
        val_size, test_size: a fraction of the samples (float in [0, 1)) or a count (int).
        shuffle: permute before splitting.
        seed: as everywhere in `nn.data`.

    >>> import numpy as np
    >>> train, val, test = train_val_test_split(np.zeros((100, 2)), np.arange(100), seed=0)
    >>> len(train[0]), len(val[0]), len(test[0])
    (70, 15, 15)
    """
    X, y = _array(X), _array(y)
    n = len(X)
    if len(y) != n:
        raise ValueError(
            f"train_val_test_split: X and y differ in length; got {n} and {len(y)}, expected one "
            "target per sample"
        )
    n_val, n_test = _count(val_size, n, "val_size"), _count(test_size, n, "test_size")
    if n_val + n_test >= n:
        raise ValueError(
            f"train_val_test_split: nothing left to train on; got {n} samples, {n_val} for "
            f"validation and {n_test} for testing"
        )
    order = _rng(seed).permutation(n) if shuffle else np.arange(n)
    test, val, train = order[:n_test], order[n_test : n_test + n_val], order[n_test + n_val :]
    return (X[train], y[train]), (X[val], y[val]), (X[test], y[test])


def _count(size: float | int, n: int, name: str) -> int:
    if isinstance(size, (int, np.integer)) and not isinstance(size, bool):
        if not 0 <= size <= n:
            raise ValueError(
                f"train_val_test_split: {name} out of range; got {size}, expected 0..{n}"
            )
        return int(size)
    if isinstance(size, float) and 0.0 <= size < 1.0:
        return int(round(size * n))
    raise ValueError(
        f"train_val_test_split: {name} must be a fraction in [0, 1) or a count; got {size!r}"
    )


class Standardizer:
    r"""$z = (x - \mu) / \sigma$ per feature, with μ and the population σ of the data it was fit on.

    Fit on the training set only, then transform validation and test data with the same μ and σ.
    A feature with σ = 0 is only centred (its σ is taken as 1).

    Args:
        axis: the axis (or axes) to average over; 0 gives one μ and σ per feature (per pixel for
            images), None one for the whole array.

    Attributes:
        mean: μ, after `fit`.
        std: σ (population: divides by n, as in the lecture), after `fit`.

    >>> import numpy as np
    >>> s = Standardizer().fit(np.array([[1.0, 10.0], [3.0, 10.0]]))
    >>> s.mean.tolist(), s.std.tolist()
    ([2.0, 10.0], [1.0, 1.0])
    >>> s.transform(np.array([[5.0, 12.0]])).tolist()
    [[3.0, 2.0]]
    """

    def __init__(self, axis: int | tuple[int, ...] | None = 0) -> None:
        self.axis = axis
        self.mean: np.ndarray | None = None
        self.std: np.ndarray | None = None

    def fit(self, X: Any) -> Standardizer:
        """Learn μ and σ from X; returns self."""
        X = _array(X)
        if X.dtype.kind not in "biuf":
            raise TypeError(f"Standardizer.fit: X must hold numbers; got dtype {X.dtype}")
        X = X.astype(np.float64)
        if X.size == 0:
            raise ValueError("Standardizer.fit: got an empty array; expected some samples")
        try:
            self.mean = X.mean(axis=self.axis)
            std = X.std(axis=self.axis)
        except (ValueError, TypeError) as e:  # numpy's AxisError is a ValueError
            raise ValueError(
                f"Standardizer.fit: axis does not fit X; got axis {self.axis!r} for shape "
                f"{X.shape}, expected axes in [{-X.ndim}, {X.ndim - 1}]"
            ) from e
        self.std = np.where(std > 0.0, std, 1.0)
        return self

    def transform(self, X: Any) -> np.ndarray:
        """(X − μ) / σ, in X's float dtype."""
        X = _array(X)
        mean, std = self._stats(X, "transform")
        return ((X - mean) / std).astype(_float_dtype(X), copy=False)

    def fit_transform(self, X: Any) -> np.ndarray:
        """`fit` then `transform` on the same data."""
        return self.fit(X).transform(X)

    def inverse_transform(self, Z: Any) -> np.ndarray:
        """Z · σ + μ: back to the original units (e.g. a regression's predictions)."""
        Z = _array(Z)
        mean, std = self._stats(Z, "inverse_transform")
        return (Z * std + mean).astype(_float_dtype(Z), copy=False)

    def _stats(self, X: np.ndarray, api: str) -> tuple[np.ndarray, np.ndarray]:
        if self.mean is None or self.std is None:
            raise RuntimeError(f"Standardizer.{api}: not fitted yet; call fit(X_train) first")
        mean, std = self.mean, self.std
        if self.axis is not None:
            axes = (self.axis,) if isinstance(self.axis, int) else tuple(self.axis)
            mean, std = np.expand_dims(mean, axes), np.expand_dims(std, axes)
            expected = mean.shape
            if X.ndim != len(expected) or any(
                e != 1 and e != s for e, s in zip(expected, X.shape, strict=True)
            ):
                raise ValueError(
                    f"Standardizer.{api}: got shape {X.shape}; expected the fitted feature shape "
                    f"{self.mean.shape} along the non-sample axes"
                )
        return mean, std

    def __repr__(self) -> str:
        return f"Standardizer(axis={self.axis!r})"


def _float_dtype(X: np.ndarray) -> np.dtype:
    return X.dtype if X.dtype.kind == "f" else np.dtype(np.float64)


# ---- toy data sets ---------------------------------------------------------------------------


def _finish(
    X: np.ndarray, y: np.ndarray, rng: np.random.Generator, shuffle: bool
) -> tuple[np.ndarray, np.ndarray]:
    if shuffle:
        order = rng.permutation(len(X))
        X, y = X[order], y[order]
    return X.astype(np.float32), y


def _n(n_samples: int, api: str, minimum: int = 1) -> int:
    if isinstance(n_samples, bool) or not isinstance(n_samples, (int, np.integer)):
        raise TypeError(f"{api}: n_samples must be an int; got {n_samples!r}")
    if n_samples < minimum:
        raise ValueError(f"{api}: n_samples must be at least {minimum}; got {n_samples}")
    return int(n_samples)


def xor(
    n_samples: int = 200, noise: float = 0.1, shuffle: bool = True, seed: int | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Four clusters at the corners of the unit square, labelled a XOR b (int64 0/1).

    Sample i sits at corner i mod 4, in the order (0,0), (0,1), (1,0), (1,1), plus Gaussian noise
    of standard deviation ``noise``: ``xor(4, noise=0, shuffle=False)`` is the truth table.

    >>> X, y = xor(4, noise=0.0, shuffle=False)
    >>> X.tolist(), y.tolist()
    ([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]], [0, 1, 1, 0])
    """
    n = _n(n_samples, "xor")
    rng = _rng(seed)
    corners = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    which = np.arange(n) % 4
    X = corners[which] + rng.normal(scale=noise, size=(n, 2))
    y = np.array([0, 1, 1, 0], dtype=np.int64)[which]
    return _finish(X, y, rng, shuffle)


def moons(
    n_samples: int = 200, noise: float = 0.1, shuffle: bool = True, seed: int | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaving half circles (int64 labels 0 and 1): not linearly separable.

    Class 0 lies on the upper arc (cos t, sin t), class 1 on the lower (1 - cos t, 1/2 - sin t),
    t in [0, π], plus Gaussian noise.

    >>> X, y = moons(100, seed=0)
    >>> X.shape, X.dtype, np.bincount(y).tolist()
    ((100, 2), dtype('float32'), [50, 50])
    """
    n = _n(n_samples, "moons", 2)
    rng = _rng(seed)
    n_upper = n - n // 2
    t_upper, t_lower = np.linspace(0, np.pi, n_upper), np.linspace(0, np.pi, n // 2)
    X = np.concatenate(
        [
            np.stack([np.cos(t_upper), np.sin(t_upper)], axis=1),
            np.stack([1.0 - np.cos(t_lower), 0.5 - np.sin(t_lower)], axis=1),
        ]
    )
    X += rng.normal(scale=noise, size=X.shape)
    y = np.concatenate([np.zeros(n_upper, np.int64), np.ones(n // 2, np.int64)])
    return _finish(X, y, rng, shuffle)


def circles(
    n_samples: int = 200,
    noise: float = 0.05,
    factor: float = 0.5,
    shuffle: bool = True,
    seed: int | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """A circle of radius ``factor`` (label 1) inside one of radius 1 (label 0).

    >>> X, y = circles(8, noise=0.0, shuffle=False)
    >>> np.round(np.hypot(X[:, 0], X[:, 1]), 6).tolist(), y.tolist()
    ([1.0, 1.0, 1.0, 1.0, 0.5, 0.5, 0.5, 0.5], [0, 0, 0, 0, 1, 1, 1, 1])
    """
    n = _n(n_samples, "circles", 2)
    if not 0.0 < factor < 1.0:
        raise ValueError(f"circles: factor must be in (0, 1); got {factor!r}")
    rng = _rng(seed)
    n_outer = n - n // 2
    t_outer = np.linspace(0, 2 * np.pi, n_outer, endpoint=False)
    t_inner = np.linspace(0, 2 * np.pi, n // 2, endpoint=False)
    X = np.concatenate(
        [
            np.stack([np.cos(t_outer), np.sin(t_outer)], axis=1),
            factor * np.stack([np.cos(t_inner), np.sin(t_inner)], axis=1),
        ]
    )
    X += rng.normal(scale=noise, size=X.shape)
    y = np.concatenate([np.zeros(n_outer, np.int64), np.ones(n // 2, np.int64)])
    return _finish(X, y, rng, shuffle)


def spiral(
    n_samples: int = 300,
    n_classes: int = 3,
    noise: float = 0.2,
    shuffle: bool = True,
    seed: int | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """``n_classes`` interleaved spiral arms (the classic softmax-vs-MLP example).

    Arm k has radius r from 0 to 1 and angle 4k + 4r (radians) plus noise.

    >>> X, y = spiral(300, n_classes=3, seed=0)
    >>> X.shape, np.bincount(y).tolist()
    ((300, 2), [100, 100, 100])
    """
    n = _n(n_samples, "spiral")
    if isinstance(n_classes, bool) or not isinstance(n_classes, (int, np.integer)) or n_classes < 2:
        raise ValueError(f"spiral: n_classes must be an int of at least 2; got {n_classes!r}")
    rng = _rng(seed)
    per_class = [n // n_classes + (1 if k < n % n_classes else 0) for k in range(n_classes)]
    parts, labels = [], []
    for k, m in enumerate(per_class):
        r = np.linspace(0.0, 1.0, m)
        t = 4.0 * k + 4.0 * r + rng.normal(scale=noise, size=m)
        parts.append(np.stack([r * np.sin(t), r * np.cos(t)], axis=1))
        labels.append(np.full(m, k, dtype=np.int64))
    return _finish(np.concatenate(parts), np.concatenate(labels), rng, shuffle)


def blobs(
    n_samples: int = 300,
    centers: int | Any = 3,
    n_features: int = 2,
    cluster_std: float = 1.0,
    shuffle: bool = True,
    seed: int | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Gaussian clusters, one class each.

    Args:
        centers: how many (drawn uniformly in [-10, 10] per feature) or their coordinates (k, d).
        n_features: the dimension when ``centers`` is a count.
        cluster_std: the standard deviation around each centre.

    >>> X, y = blobs(90, centers=[[0.0, 0.0], [5.0, 5.0], [-5.0, 5.0]], cluster_std=0.1, seed=0)
    >>> np.round(X[y == 1].mean(axis=0)).tolist()
    [5.0, 5.0]
    """
    n = _n(n_samples, "blobs")
    rng = _rng(seed)
    if isinstance(centers, (int, np.integer)) and not isinstance(centers, bool):
        if centers < 1:
            raise ValueError(f"blobs: centers must be at least 1; got {centers}")
        points = rng.uniform(-10.0, 10.0, size=(int(centers), n_features))
    else:
        points = np.asarray(centers, dtype=np.float64)
        if points.ndim != 2:
            raise ValueError(
                f"blobs: centers must be a count or a (k, d) array; got shape {points.shape}"
            )
    k = len(points)
    which = np.arange(n) % k
    X = points[which] + rng.normal(scale=cluster_std, size=(n, points.shape[1]))
    return _finish(X, which.astype(np.int64), rng, shuffle)


def curve(
    n_samples: int = 100,
    noise: float = 0.1,
    x_range: tuple[float, float] = (-3.0, 3.0),
    shuffle: bool = True,
    seed: int | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    r"""Regression data: $y = \sin(1.5x) + 0.3x + \varepsilon$ with x uniform in ``x_range``.

    Both come as float32 columns (n, 1), the shape a model's output has, so losses compare
    like with like.

    >>> X, y = curve(50, noise=0.0, seed=0)
    >>> X.shape, y.shape, bool(np.allclose(y, np.sin(1.5 * X) + 0.3 * X, atol=1e-6))
    ((50, 1), (50, 1), True)
    """
    n = _n(n_samples, "curve")
    rng = _rng(seed)
    x = rng.uniform(x_range[0], x_range[1], size=(n, 1))
    y = np.sin(1.5 * x) + 0.3 * x + rng.normal(scale=noise, size=(n, 1))
    X, y = _finish(x, y, rng, shuffle)
    return X, y.astype(np.float32)


def load_digits() -> tuple[np.ndarray, np.ndarray]:
    """scikit-learn's 1,797 handwritten digits: X float32 (1797, 1, 8, 8) in [0, 1], y int64.

    The images are 8×8 grey levels 0..16, divided by 16 and given a channel axis (NCHW). Needs
    scikit-learn, which ships the data (no download).

    >>> X, y = load_digits()
    >>> X.shape, X.dtype, y[:5].tolist()
    ((1797, 1, 8, 8), dtype('float32'), [0, 1, 2, 3, 4])
    """
    try:
        from sklearn.datasets import load_digits as sklearn_digits
    except ImportError as err:
        raise ImportError(
            "load_digits: scikit-learn is needed (it ships the digits data); got no module "
            "'sklearn'. Install it with `pip install scikit-learn`"
        ) from err
    digits = sklearn_digits()
    X = (digits.images / 16.0).astype(np.float32).reshape(-1, 1, 8, 8)
    return X, digits.target.astype(np.int64)
