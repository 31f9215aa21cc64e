"""The training loop: `fit` runs epochs of forward, loss, backward and step; returns a `History`."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import numpy as np

from autograd import Tensor, no_grad
from nn import metrics as _metrics
from nn.data import DataLoader
from nn.losses import BCEWithLogitsLoss, HingeLoss
from nn.module import Module

Metric = str | Callable[[Any, Any], float]
_METRICS = ("accuracy", "precision", "recall", "f1", "mse", "mae", "r2_score")


class History:
    """Per-epoch records of a `fit` run: ``history["loss"]``, ``history["val_accuracy"]``, ….

    Attributes:
        history: key → list of per-epoch values (``loss``, each metric, and ``val_`` twins).
        epochs: the epoch numbers recorded (1-based).
        best_epoch: the epoch early stopping judged best (None without early stopping).
        stopped_early: whether early stopping ended the run.

    >>> h = History()
    >>> h.log(1, loss=0.9); h.log(2, loss=0.5)
    >>> h["loss"], len(h)
    ([0.9, 0.5], 2)
    """

    def __init__(self) -> None:
        self.history: dict[str, list[float]] = {}
        self.epochs: list[int] = []
        self.best_epoch: int | None = None
        self.stopped_early = False

    def log(self, epoch: int, **values: float) -> None:
        """Record one epoch's values."""
        self.epochs.append(epoch)
        for key, value in values.items():
            self.history.setdefault(key, []).append(float(value))

    def __getitem__(self, key: str) -> list[float]:
        if key not in self.history:
            raise KeyError(f"History: no record {key!r}; got {sorted(self.history)}")
        return self.history[key]

    def __contains__(self, key: object) -> bool:
        return key in self.history

    def keys(self) -> list[str]:
        """The recorded quantities."""
        return list(self.history)

    def __len__(self) -> int:
        return len(self.epochs)

    def __repr__(self) -> str:
        last = ", ".join(f"{k}={v[-1]:.4g}" for k, v in self.history.items() if v)
        return f"History({len(self)} epochs{': ' + last if last else ''})"


class EarlyStopping:
    """Stop when a monitored quantity has not improved for ``patience`` epochs.

    Args:
        patience: epochs without improvement before stopping.
        monitor: a `History` key; by default ``"val_loss"`` when there is validation data, else
            ``"loss"``.
        mode: ``"min"`` (losses) or ``"max"`` (accuracies); by default "max" for keys naming
            accuracy, precision, recall, f1 or r2_score, else "min".
        min_delta: the least change that counts as an improvement.
        restore_best: load the best epoch's parameters back at the end.
    """

    def __init__(
        self,
        patience: int = 5,
        monitor: str | None = None,
        mode: str | None = None,
        min_delta: float = 0.0,
        restore_best: bool = True,
    ) -> None:
        if isinstance(patience, bool) or not isinstance(patience, int) or patience < 1:
            raise ValueError(f"EarlyStopping: patience must be a positive int; got {patience!r}")
        if mode not in (None, "min", "max"):
            raise ValueError(f"EarlyStopping: mode must be 'min' or 'max'; got {mode!r}")
        self.patience = patience
        self.monitor = monitor
        self.mode = mode
        self.min_delta = float(min_delta)
        self.restore_best = restore_best

    def __repr__(self) -> str:
        return (
            f"EarlyStopping(patience={self.patience}, monitor={self.monitor!r}, mode={self.mode!r})"
        )


def fit(
    model: Module,
    loss_fn: Callable[[Any, Any], Tensor],
    optimizer: Any,
    train: DataLoader | Iterable[tuple[Any, Any]] | tuple[Any, Any],
    epochs: int,
    val: DataLoader | Iterable[tuple[Any, Any]] | tuple[Any, Any] | None = None,
    metrics: Sequence[Metric] = (),
    early_stopping: EarlyStopping | int | None = None,
    progress: bool = True,
    stop_on_nan: bool = True,
) -> History:
    """Train ``model`` for ``epochs`` passes over ``train``; returns the `History`.

    Each batch: ``loss_fn(model(x), y)``, ``optimizer.zero_grad()``, ``loss.backward()``,
    ``optimizer.step()``. After each epoch the model is evaluated on ``val`` (in `Module.eval`
    mode, without recording a graph).

    Args:
        model: a `Module` taking Tensor batches (scalar nets train with an explicit loop).
        loss_fn: e.g. ``nn.CrossEntropyLoss()``.
        optimizer: e.g. ``nn.optim.Adam(model.parameters())``.
        train: a `DataLoader` (or any re-iterable of ``(x, y)`` batches), or an ``(X, y)`` pair
            of arrays, used as one full batch per epoch (batch gradient descent).
        epochs: passes over the data.
        val: validation data in the same forms, or None.
        metrics: names from `nn.metrics` (``"accuracy" "precision" "recall" "f1" "mse" "mae"
            "r2_score"``) or functions ``f(y_true, y_pred) -> float``. Outputs are handed over as
            class scores for cross-entropy, as probabilities for `BCEWithLogitsLoss` and as ±1 for
            `HingeLoss`.
        early_stopping: an `EarlyStopping`, or an int patience on the default monitor.
        progress: show a progress bar (tqdm: a widget in notebooks, text in terminals).
        stop_on_nan: stop at the first batch whose training loss is nan or inf, before its
            backward pass and step (the parameters stay as that batch found them), raising
            `Diverged`, a RuntimeError that names the epoch and the batch and carries the
            `History` of the epochs completed. False trains on, recording nan losses.

    Raises:
        Diverged: the training loss became nan or inf (with ``stop_on_nan``): usually the
            learning rate is too high, or the data hold nan.

    >>> import numpy as np
    >>> from autograd import manual_seed
    >>> from nn import MLP, CrossEntropyLoss, optim
    >>> from nn.data import DataLoader, xor
    >>> _ = manual_seed(0)
    >>> X, y = xor(200, noise=0.1, seed=0)
    >>> net = MLP(2, 8, 2, activation="tanh")
    >>> history = fit(net, CrossEntropyLoss(), optim.Adam(net.parameters(), lr=0.05),
    ...               DataLoader(X, y, batch_size=20, seed=0), epochs=30, metrics=["accuracy"],
    ...               progress=False)
    >>> history["accuracy"][-1]
    1.0
    """
    if isinstance(epochs, bool) or not isinstance(epochs, int) or epochs < 0:
        raise ValueError(f"nn.fit: epochs must be a non-negative int; got {epochs!r}")
    train_batches = _batches(train, "train", full=True)
    val_batches = _batches(val, "val", full=False) if val is not None else None
    named = [_metric(m) for m in metrics]
    stopper = _stopper(early_stopping)
    history = History()
    best_value, best_state, waited = math.inf, None, 0

    # No bar object at all unless asked: tqdm's class lock, left held by a Ctrl-C inside it,
    # would hang every later fit in any thread.
    epochs_range = range(1, epochs + 1)
    bar = None
    if progress:
        from tqdm.auto import tqdm

        bar = tqdm(epochs_range, desc="fit", unit="epoch")
    try:
        for epoch in bar if bar is not None else epochs_range:
            model.train()
            try:
                record = _train_epoch(model, loss_fn, optimizer, train_batches, named, stop_on_nan)
            except _NonFiniteLoss as stop:
                message = _diverged_message(optimizer, epoch, stop.batch, stop.value)
                raise Diverged(message, history, epoch, stop.batch) from None
            if val_batches is not None:
                model.eval()
                try:
                    val_record = _evaluate(model, loss_fn, val_batches, named)
                finally:  # an error or Ctrl-C in validation leaves the model in training mode
                    model.train()
                record.update({f"val_{k}": v for k, v in val_record.items()})
            history.log(epoch, **record)
            if bar is not None:
                bar.set_postfix({k: f"{v:.4g}" for k, v in record.items()}, refresh=False)
            if stopper is not None:
                key = stopper.monitor or ("val_loss" if val_batches is not None else "loss")
                if key not in record:
                    raise ValueError(
                        f"nn.fit: early stopping monitors {key!r}; got records {sorted(record)}"
                    )
                sign = -1.0 if _mode(stopper, key) == "max" else 1.0
                value = sign * record[key]
                if value < best_value - stopper.min_delta:
                    best_value, waited, history.best_epoch = value, 0, epoch
                    if stopper.restore_best:
                        best_state = model.state_dict()
                else:
                    waited += 1
                    if waited >= stopper.patience:
                        history.stopped_early = True
                        break
    finally:
        if bar is not None:
            bar.close()
    if best_state is not None:
        model.load_state_dict(best_state)
    return history


class Diverged(RuntimeError):
    """`fit` met a nan or inf training loss; ``history`` holds the epochs completed before it."""

    def __init__(self, message: str, history: History, epoch: int, batch: int) -> None:
        super().__init__(message)
        self.history = history
        self.epoch = epoch
        self.batch = batch


class _NonFiniteLoss(Exception):
    """Raised out of an epoch at a batch whose loss is nan or inf; `fit` turns it into Diverged."""

    def __init__(self, batch: int, value: float) -> None:
        super().__init__(batch, value)
        self.batch = batch
        self.value = value


def _diverged_message(optimizer: Any, epoch: int, batch: int, value: float) -> str:
    groups = getattr(optimizer, "param_groups", None)
    lr = f" (now lr={groups[0]['lr']:g})" if groups and "lr" in groups[0] else ""
    return (
        f"nn.fit: the training loss is {value} at epoch {epoch}, batch {batch}; expected a "
        "finite loss. Training diverged (this batch's step was not taken): lower the learning "
        f"rate{lr}, check the data for nan, or pass stop_on_nan=False to train on"
    )


def _train_epoch(
    model: Module,
    loss_fn: Any,
    optimizer: Any,
    batches: Iterable[Any],
    named: list[Any],
    stop_on_nan: bool = True,
) -> dict[str, float]:
    total, count = 0.0, 0
    outputs, targets = [], []
    for batch, (xb, yb) in enumerate(batches, start=1):
        out = model(xb)
        loss = loss_fn(out, yb)
        value = float(loss.item())
        if stop_on_nan and not math.isfinite(value):
            raise _NonFiniteLoss(batch, value)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        n = len(xb)
        total += value * n
        count += n
        if named:
            outputs.append(_numpy(out))
            targets.append(_numpy(yb))
    if count == 0:
        raise ValueError("nn.fit: the training data gave no batches; got an empty loader")
    record = {"loss": total / count}
    record.update(_scores(named, loss_fn, outputs, targets))
    return record


def _evaluate(
    model: Module, loss_fn: Any, batches: Iterable[Any], named: list[Any]
) -> dict[str, float]:
    total, count = 0.0, 0
    outputs, targets = [], []
    with no_grad():
        for xb, yb in batches:
            out = model(xb)
            n = len(xb)
            total += float(loss_fn(out, yb).item()) * n
            count += n
            if named:
                outputs.append(_numpy(out))
                targets.append(_numpy(yb))
    record = {"loss": total / max(count, 1)}
    record.update(_scores(named, loss_fn, outputs, targets))
    return record


def _scores(
    named: list[tuple[str, Callable[[Any, Any], float]]],
    loss_fn: Any,
    outputs: list[np.ndarray],
    targets: list[np.ndarray],
) -> dict[str, float]:
    if not named:
        return {}
    out = np.concatenate(outputs)
    target = np.concatenate(targets)
    if isinstance(loss_fn, BCEWithLogitsLoss):
        out = 1.0 / (1.0 + np.exp(-out.astype(np.float64)))
    elif isinstance(loss_fn, HingeLoss):
        out = np.where(out >= 0.0, 1, -1)
    if target.ndim == 2 and target.shape[1] > 1 and target.dtype.kind == "f":
        target = target.argmax(axis=1)  # one-hot targets: compare classes
    return {name: float(fn(target, out)) for name, fn in named}


def _batches(data: Any, name: str, full: bool) -> Iterable[Any]:
    if isinstance(data, tuple) and len(data) == 2 and not isinstance(data[0], tuple):
        X, y = data  # arrays: one full batch to train on, chunks of 1024 to evaluate
        size = len(X) if full else min(len(X), 1024)
        return DataLoader(X, y, batch_size=max(size, 1), shuffle=False)
    if iter(data) is data:
        raise TypeError(
            f"nn.fit: {name} must be re-iterable (a DataLoader, a list of batches or an (X, y) "
            "pair); got a one-shot iterator, which would be empty after the first epoch"
        )
    return data


def _metric(m: Metric) -> tuple[str, Callable[[Any, Any], float]]:
    if callable(m):
        return getattr(m, "__name__", "metric"), m
    if m in _METRICS:
        fn = getattr(_metrics, m)
        if m in ("precision", "recall", "f1"):
            return m, lambda t, p, fn=fn: fn(t, p, average=_average(t, p))
        return m, fn
    raise ValueError(f"nn.fit: unknown metric; got {m!r}, expected one of {_METRICS} or a function")


def _average(t: np.ndarray, p: np.ndarray) -> str:
    """Binary scores for two classes, the unweighted mean over classes (macro) beyond."""
    multiclass = (p.ndim == 2 and p.shape[1] > 2) or len(np.unique(t)) > 2
    return "macro" if multiclass else "binary"


def _stopper(early_stopping: EarlyStopping | int | None) -> EarlyStopping | None:
    if early_stopping is None or isinstance(early_stopping, EarlyStopping):
        return early_stopping
    if isinstance(early_stopping, int) and not isinstance(early_stopping, bool):
        return EarlyStopping(patience=early_stopping)
    raise TypeError(
        f"nn.fit: early_stopping must be an EarlyStopping, an int patience or None; got "
        f"{type(early_stopping).__name__}"
    )


def _mode(stopper: EarlyStopping, key: str) -> str:
    if stopper.mode is not None:
        return stopper.mode
    higher_is_better = ("accuracy", "precision", "recall", "f1", "r2")
    return "max" if any(k in key for k in higher_is_better) else "min"


def _numpy(x: Any) -> np.ndarray:
    return x.numpy().copy() if isinstance(x, Tensor) else np.array(x)
