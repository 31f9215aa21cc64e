"""Evaluation metrics on numpy arrays (or Tensors): classification counts and regression errors.

Classification metrics take true labels and predictions given as labels, as class scores of
shape (n, k) (the arg-max is taken) or as probabilities of shape (n,) or (n, 1) (thresholded at
0.5). Regression metrics average over every element, as scikit-learn does for equal-sized outputs.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd import Value

_AVERAGES = ("binary", "macro", "micro", "weighted", None)


def accuracy(y_true: Any, y_pred: Any) -> float:
    """The fraction of predictions equal to the true labels.

    >>> accuracy([0, 1, 1, 0], [0, 1, 0, 0])
    0.75
    >>> accuracy([2, 0], [[0.1, 0.2, 0.7], [0.9, 0.05, 0.05]])  # class scores: arg-max
    1.0
    """
    t, p = _classes(y_true, y_pred, "accuracy")
    return float(np.mean(t == p)) if t.size else 0.0


def confusion_matrix(y_true: Any, y_pred: Any, num_classes: int | None = None) -> np.ndarray:
    """Counts C[i, j] of samples of true class i predicted as class j.

    Classes are ``0 .. num_classes - 1`` when ``num_classes`` is given, otherwise the sorted
    labels seen in either argument (as in scikit-learn).

    >>> confusion_matrix([0, 1, 1, 2], [0, 1, 2, 2])
    array([[1, 0, 0],
           [0, 1, 1],
           [0, 0, 1]])
    """
    t, p = _classes(y_true, y_pred, "confusion_matrix")
    labels = _labels(t, p, num_classes, "confusion_matrix")
    index = {label: i for i, label in enumerate(labels.tolist())}
    k = len(labels)
    out = np.zeros((k, k), dtype=np.int64)
    rows = np.array([index[v] for v in t.tolist()], dtype=np.int64)
    cols = np.array([index[v] for v in p.tolist()], dtype=np.int64)
    np.add.at(out, (rows, cols), 1)
    return out


def precision(
    y_true: Any, y_pred: Any, average: str | None = "binary", pos_label: Any = 1
) -> float | np.ndarray:
    r"""$TP / (TP + FP)$: of the samples predicted positive, the fraction that are.

    Args:
        average: ``"binary"`` (the class ``pos_label`` only), ``"macro"`` (unweighted mean over
            classes), ``"micro"`` (from total counts), ``"weighted"`` (mean weighted by support)
            or None (one value per class). An empty denominator gives 0.

    >>> precision([0, 1, 1, 0, 1], [1, 1, 0, 0, 1])
    0.6666666666666666
    """
    return _score("precision", y_true, y_pred, average, pos_label)


def recall(
    y_true: Any, y_pred: Any, average: str | None = "binary", pos_label: Any = 1
) -> float | np.ndarray:
    r"""$TP / (TP + FN)$: of the positive samples, the fraction predicted positive.

    ``average`` as in `precision`.

    >>> recall([0, 1, 1, 0, 1], [1, 1, 0, 0, 1])
    0.6666666666666666
    """
    return _score("recall", y_true, y_pred, average, pos_label)


def f1(
    y_true: Any, y_pred: Any, average: str | None = "binary", pos_label: Any = 1
) -> float | np.ndarray:
    r"""$2PR / (P + R)$, the harmonic mean of precision and recall.

    ``average`` as in `precision` (``"micro"`` from total counts, ``"macro"`` the mean of the
    per-class scores).

    >>> f1([0, 1, 1, 0, 1], [1, 1, 0, 0, 0])
    0.4
    """
    return _score("f1", y_true, y_pred, average, pos_label)


def mse(y_true: Any, y_pred: Any) -> float:
    r"""Mean squared error $\frac1n \sum_i (y_i - \hat y_i)^2$.

    >>> mse([1.0, 2.0, 3.0], [1.0, 2.0, 5.0])
    1.3333333333333333
    """
    t, p = _values(y_true, y_pred, "mse")
    return float(np.mean((t - p) ** 2))


def mae(y_true: Any, y_pred: Any) -> float:
    r"""Mean absolute error $\frac1n \sum_i |y_i - \hat y_i|$.

    >>> mae([1.0, 2.0, 3.0], [1.0, 2.0, 5.0])
    0.6666666666666666
    """
    t, p = _values(y_true, y_pred, "mae")
    return float(np.mean(np.abs(t - p)))


def r2_score(y_true: Any, y_pred: Any) -> float:
    r"""Coefficient of determination $R^2 = 1 - \sum (y - \hat y)^2 / \sum (y - \bar y)^2$.

    1 for a perfect fit, 0 for predicting the mean, negative for worse. Several outputs (columns)
    are scored apart and averaged; a constant target scores 1 if predicted exactly, else 0.

    >>> r2_score([1.0, 2.0, 3.0], [1.0, 2.0, 3.0])
    1.0
    >>> r2_score([1.0, 2.0, 3.0], [2.0, 2.0, 2.0])
    0.0
    """
    t, p = _values(y_true, y_pred, "r2_score")
    t2 = t.reshape(len(t), -1) if t.ndim else t.reshape(1, 1)
    p2 = p.reshape(t2.shape)
    residual = ((t2 - p2) ** 2).sum(axis=0)
    total = ((t2 - t2.mean(axis=0)) ** 2).sum(axis=0)
    explained = 1.0 - residual / np.where(total > 0, total, 1.0)
    scores = np.where(total > 0, explained, np.where(residual == 0, 1.0, 0.0))
    return float(scores.mean())


# ---- helpers --------------------------------------------------------------------------------


def _numbers(a: Any, api: str, name: str) -> np.ndarray:
    """``a`` as a float64 array; a TypeError naming ``api`` for strings, objects or None."""
    array = _numpy(a)
    if array.dtype.kind not in "biuf":
        raise TypeError(
            f"{api}: {name} must hold numbers; got {type(a).__name__} of dtype {array.dtype}"
        )
    return array.astype(np.float64)


def _numpy(a: Any) -> np.ndarray:
    """An ndarray from an array, a list, a Tensor (``.numpy()``), a `Value` or a list of them."""
    if isinstance(a, np.ndarray):
        return a
    if isinstance(a, Value):
        return np.asarray(a.data)
    if isinstance(a, (list, tuple)) and any(isinstance(v, Value) for v in a):
        return np.array([v.data if isinstance(v, Value) else v for v in a])
    if hasattr(a, "numpy") and callable(a.numpy):
        return np.asarray(a.numpy())
    return np.asarray(a)


def _to_labels(a: np.ndarray) -> np.ndarray:
    """Scores (n, k>1) to arg-max; probabilities (n,) or (n, 1) with fractional values to ≥ 0.5."""
    if a.ndim == 2 and a.shape[1] > 1:
        return a.argmax(axis=1)
    if a.ndim == 2 and a.shape[1] == 1:
        a = a[:, 0]
    if a.dtype.kind == "f" and not np.all(a == np.round(a)):
        return (a >= 0.5).astype(np.int64)
    return a


def _classes(y_true: Any, y_pred: Any, api: str) -> tuple[np.ndarray, np.ndarray]:
    t = _to_labels(_numpy(y_true))
    p = _to_labels(_numpy(y_pred))
    if t.ndim != 1 or p.ndim != 1 or len(t) != len(p):
        raise ValueError(
            f"{api}: y_true and y_pred must hold one label (or score row) per sample; got shapes "
            f"{np.shape(_numpy(y_true))} and {np.shape(_numpy(y_pred))}"
        )
    if t.dtype.kind == "f" and np.all(t == np.round(t)):
        t = t.astype(np.int64)
    if p.dtype.kind == "f" and np.all(p == np.round(p)):
        p = p.astype(np.int64)
    return t, p


def _labels(t: np.ndarray, p: np.ndarray, num_classes: int | None, api: str) -> np.ndarray:
    if num_classes is None:
        return np.union1d(t, p)
    labels = np.arange(int(num_classes))
    outside = np.setdiff1d(np.union1d(t, p), labels)
    if outside.size:
        raise ValueError(
            f"{api}: label out of range; got {outside[0].item()!r}, expected 0 .. {num_classes - 1}"
        )
    return labels


def _values(y_true: Any, y_pred: Any, api: str) -> tuple[np.ndarray, np.ndarray]:
    t, p = (_numbers(a, api, name) for a, name in ((y_true, "y_true"), (y_pred, "y_pred")))
    if t.shape != p.shape:
        if t.size != p.size:
            raise ValueError(
                f"{api}: y_true and y_pred differ in size; got shapes {t.shape} and {p.shape}"
            )
        p = p.reshape(t.shape)  # (n, 1) predictions against (n,) targets: compare, don't broadcast
    return t, p


def _score(
    kind: str, y_true: Any, y_pred: Any, average: str | None, pos_label: Any
) -> float | np.ndarray:
    if average not in _AVERAGES:
        raise ValueError(f"{kind}: unknown average; got {average!r}, expected one of {_AVERAGES}")
    t, p = _classes(y_true, y_pred, kind)
    labels = _labels(t, p, None, kind)
    if average == "binary":
        if len(labels) > 2:
            raise ValueError(
                f"{kind}: average='binary' needs two classes; got labels {labels.tolist()}. "
                "Pass average='macro', 'micro', 'weighted' or None"
            )
        labels = np.array([pos_label])
    tp = np.array([np.sum((p == c) & (t == c)) for c in labels], dtype=np.float64)
    predicted = np.array([np.sum(p == c) for c in labels], dtype=np.float64)
    actual = np.array([np.sum(t == c) for c in labels], dtype=np.float64)
    if average == "micro":
        tp, predicted, actual = (a.sum(keepdims=True) for a in (tp, predicted, actual))
    prec = _ratio(tp, predicted)
    rec = _ratio(tp, actual)
    if kind == "precision":
        per_class = prec
    elif kind == "recall":
        per_class = rec
    else:
        per_class = _ratio(2.0 * prec * rec, prec + rec)
    if average is None:
        return per_class
    if average == "weighted":
        return float(np.sum(per_class * actual) / actual.sum()) if actual.sum() else 0.0
    return float(per_class.mean())


def _ratio(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    return np.divide(num, den, out=np.zeros_like(num), where=den > 0)
