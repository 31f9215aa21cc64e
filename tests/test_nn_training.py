"""nn.fit and History: the loop, validation, metrics, early stopping, real data, flat memory."""

from __future__ import annotations

import gc
import os
import tracemalloc
import weakref

import numpy as np
import pytest

import nn
from autograd import Tensor, manual_seed, no_grad
from nn import data


def regression_problem():
    X, y = data.curve(120, noise=0.05, seed=0)
    return X, y


def test_fit_records_losses_and_metrics_per_epoch():
    manual_seed(0)
    X, y = data.moons(200, noise=0.1, seed=0)
    train, val, _ = data.train_val_test_split(X, y, 0.25, 0.0, seed=0)
    net = nn.MLP(2, [16, 16], 2)
    history = nn.fit(
        net,
        nn.CrossEntropyLoss(),
        nn.optim.Adam(net.parameters(), lr=0.02),
        data.DataLoader(*train, batch_size=16, seed=0),
        epochs=25,
        val=val,
        metrics=["accuracy", "f1"],
        progress=False,
    )
    assert len(history) == 25 and history.epochs == list(range(1, 26))
    assert history.keys() == ["loss", "accuracy", "f1", "val_loss", "val_accuracy", "val_f1"]
    assert history["loss"][-1] < 0.5 * history["loss"][0]
    assert history["val_accuracy"][-1] >= 0.95
    assert net.training  # back in training mode after the validation pass
    # the recorded validation numbers are what evaluating the final model gives
    net.eval()
    with no_grad():
        logits = net(val[0])
        val_loss = nn.CrossEntropyLoss()(logits, val[1]).item()
    assert history["val_loss"][-1] == pytest.approx(val_loss, rel=1e-5)
    assert history["val_accuracy"][-1] == nn.metrics.accuracy(val[1], logits)
    assert "val_loss=" in repr(history)
    with pytest.raises(KeyError, match="no record 'val_mae'"):
        history["val_mae"]


def test_full_batch_pair_is_gradient_descent():
    # fit on an (X, y) pair takes one step per epoch on the whole set: compare with a hand loop
    X, y = regression_problem()
    manual_seed(1)
    a = nn.MLP(1, 8, 1, activation="tanh")
    manual_seed(1)
    b = nn.MLP(1, 8, 1, activation="tanh")
    nn.fit(a, nn.MSELoss(), nn.optim.SGD(a.parameters(), lr=0.1), (X, y), epochs=5,
           progress=False)  # fmt: skip
    opt = nn.optim.SGD(b.parameters(), lr=0.1)
    for _ in range(5):
        loss = nn.MSELoss()(b(Tensor(X)), Tensor(y))
        opt.zero_grad()
        loss.backward()
        opt.step()
    for p, q in zip(a.parameters(), b.parameters(), strict=True):
        np.testing.assert_array_equal(p.data, q.data)


def test_regression_metrics_and_bce_with_logits_probabilities():
    X, y = regression_problem()
    manual_seed(0)
    net = nn.MLP(1, [32], 1, activation="tanh")
    history = nn.fit(net, nn.MSELoss(), nn.optim.Adam(net.parameters(), lr=0.02),
                     data.DataLoader(X, y, batch_size=16, seed=0), epochs=60,
                     metrics=["r2_score", "mae"], progress=False)  # fmt: skip
    assert history["r2_score"][-1] > 0.9
    Xc, yc = data.circles(200, noise=0.05, seed=0)
    manual_seed(0)
    clf = nn.MLP(2, [16], 1)
    history = nn.fit(clf, nn.BCEWithLogitsLoss(), nn.optim.Adam(clf.parameters(), lr=0.05),
                     data.DataLoader(Xc, yc[:, None].astype(np.float32), batch_size=20, seed=0),
                     epochs=40, metrics=["accuracy"], progress=False)  # fmt: skip
    assert history["accuracy"][-1] >= 0.95


def test_early_stopping_restores_the_best_epoch():
    X, y = regression_problem()
    train, val, _ = data.train_val_test_split(X, y, 0.3, 0.0, seed=0)
    manual_seed(0)
    net = nn.MLP(1, [16], 1, activation="tanh")
    # gradient ascent: every epoch is worse than the one before, so the first one is the best
    history = nn.fit(net, nn.MSELoss(), nn.optim.SGD(net.parameters(), lr=0.02, maximize=True),
                     data.DataLoader(*train, batch_size=8, seed=0), epochs=50, val=val,
                     early_stopping=nn.EarlyStopping(patience=3), progress=False)  # fmt: skip
    assert history.stopped_early and len(history) == 4
    best = history.best_epoch
    assert best == 1 and np.all(np.diff(history["val_loss"]) > 0)
    with no_grad():
        restored = nn.MSELoss()(net.eval()(val[0]), val[1]).item()
    assert restored == pytest.approx(history["val_loss"][best - 1], rel=1e-5)


def test_early_stopping_int_patience_monitors_val_loss():
    X, y = regression_problem()
    manual_seed(0)
    net = nn.MLP(1, [4], 1)
    history = nn.fit(net, nn.MSELoss(), nn.optim.SGD(net.parameters(), lr=0.0),
                     (X, y), epochs=20, val=(X, y), early_stopping=2, progress=False)  # fmt: skip
    assert history.stopped_early and len(history) == 3 and history.best_epoch == 1


def test_progress_bar_and_quiet(capsys):
    X, y = data.xor(8, seed=0)
    net = nn.MLP(2, 4, 2)
    nn.fit(net, nn.CrossEntropyLoss(), nn.optim.SGD(net.parameters(), lr=0.1), (X, y),
           epochs=2, progress=False)  # fmt: skip
    assert capsys.readouterr().err == ""
    nn.fit(net, nn.CrossEntropyLoss(), nn.optim.SGD(net.parameters(), lr=0.1), (X, y),
           epochs=2, progress=True)  # fmt: skip
    err = capsys.readouterr().err
    assert "fit" in err and "2/2" in err


def test_fit_errors():
    X, y = data.xor(8, seed=0)
    net = nn.MLP(2, 4, 2)
    opt = nn.optim.SGD(net.parameters(), lr=0.1)
    loader = data.DataLoader(X, y, batch_size=4)
    with pytest.raises(ValueError, match="unknown metric; got 'acc'"):
        nn.fit(net, nn.CrossEntropyLoss(), opt, loader, epochs=1, metrics=["acc"], progress=False)
    with pytest.raises(TypeError, match="one-shot iterator"):
        nn.fit(net, nn.CrossEntropyLoss(), opt, iter(loader), epochs=1, progress=False)
    with pytest.raises(ValueError, match="epochs must be a non-negative int"):
        nn.fit(net, nn.CrossEntropyLoss(), opt, loader, epochs=-1, progress=False)
    with pytest.raises(ValueError, match="early stopping monitors 'val_loss'"):
        nn.fit(net, nn.CrossEntropyLoss(), opt, loader, epochs=1, progress=False,
               early_stopping=nn.EarlyStopping(monitor="val_loss"))  # fmt: skip


# ---- real data -----------------------------------------------------------------------------


def digits_split():
    pytest.importorskip("sklearn")
    X, y = data.load_digits()
    train, _, test = data.train_val_test_split(X, y, val_size=0.0, test_size=0.2, seed=0)
    scaler = data.Standardizer(axis=None).fit(train[0])
    return (scaler.transform(train[0]), train[1]), (scaler.transform(test[0]), test[1])


def test_mlp_reaches_95_percent_on_digits():
    train, test = digits_split()
    flat = lambda X: X.reshape(len(X), -1)  # noqa: E731
    manual_seed(0)
    net = nn.MLP(64, [128, 64], 10)
    nn.fit(net, nn.CrossEntropyLoss(), nn.optim.Adam(net.parameters(), lr=2e-3),
           data.DataLoader(flat(train[0]), train[1], batch_size=32, seed=0), epochs=12,
           progress=False)  # fmt: skip
    with no_grad():
        accuracy = nn.metrics.accuracy(test[1], net.eval()(flat(test[0])))
    assert accuracy >= 0.95


@pytest.mark.skipif(
    os.environ.get("NUMBA_DISABLE_JIT") == "1",
    reason="the convolution kernels run as plain Python loops without the JIT (~25 s an epoch)",
)
def test_small_cnn_reaches_97_percent_on_digits():
    train, test = digits_split()
    manual_seed(0)
    net = nn.Sequential(
        nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(),
        nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Dropout(0.5), nn.Linear(32 * 4 * 4, 64), nn.ReLU(), nn.Linear(64, 10),
    )  # fmt: skip
    nn.fit(net, nn.CrossEntropyLoss(), nn.optim.Adam(net.parameters(), lr=2e-3),
           data.DataLoader(*train, batch_size=32, seed=0), epochs=15, progress=False)  # fmt: skip
    with no_grad():
        accuracy = nn.metrics.accuracy(test[1], net.eval()(test[0]))
    assert accuracy >= 0.97


def test_memory_stays_flat_over_300_steps():
    X, y = data.spiral(256, n_classes=3, seed=0)
    manual_seed(0)
    net = nn.MLP(2, [64, 64], 3)
    opt = nn.optim.Adam(net.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    batches = list(data.DataLoader(X, y, batch_size=32, seed=0))
    alive = []

    def step(i):
        xb, yb = batches[i % len(batches)]
        loss = loss_fn(net(xb), yb)
        opt.zero_grad()
        loss.backward()
        opt.step()
        alive.append(weakref.ref(loss))

    gc.collect()
    for i in range(20):  # warm up: optimizer state and caches exist before measuring
        step(i)
    tracemalloc.start()
    try:
        was_enabled = gc.isenabled()
        gc.disable()  # graphs must be freed by reference counting alone
        for i in range(20, 60):
            step(i)
        early, _ = tracemalloc.get_traced_memory()
        for i in range(60, 320):
            step(i)
        late, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
        if was_enabled:
            gc.enable()
    assert sum(ref() is not None for ref in alive) == 0
    assert late - early < 256 * 1024, f"memory grew by {(late - early) / 1024:.0f} KiB"
