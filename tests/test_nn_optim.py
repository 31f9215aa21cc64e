"""nn.optim: trajectories against torch.optim, hand-worked first steps, and Value vs array paths.

The problem is f(w) = mean((X w - y)²) + Σ tanh(w), whose gradient (2/n) Xᵀ(Xw - y) + 1 - tanh²(w)
is written out in numpy, so the array path needs no autograd at all; the scalar path differentiates
the same f with `Value`s, the tensor path with `Tensor`s, and torch with its own autograd.
"""

from __future__ import annotations

import inspect
import math

import numpy as np
import pytest

from autograd import Tensor, Value
from nn import optim

RNG = np.random.default_rng(7)
X = RNG.normal(size=(6, 3))
Y = RNG.normal(size=6)
W0 = np.array([0.5, -1.0, 2.0])
STEPS = 25

CONFIGS = [
    ("SGD", dict(lr=0.05)),
    ("SGD", dict(lr=0.05, momentum=0.9)),
    ("SGD", dict(lr=0.05, momentum=0.9, dampening=0.3, weight_decay=0.1)),
    ("SGD", dict(lr=0.05, momentum=0.8, nesterov=True, weight_decay=0.01)),
    ("SGD", dict(lr=0.05, maximize=True)),
    ("Adagrad", dict()),
    ("Adagrad", dict(lr=0.3, lr_decay=0.05, weight_decay=0.1, initial_accumulator_value=0.5)),
    ("RMSprop", dict()),
    ("RMSprop", dict(lr=0.02, alpha=0.9, momentum=0.5, weight_decay=0.05)),
    ("RMSprop", dict(lr=0.02, centered=True)),
    ("RMSprop", dict(lr=0.01, centered=True, momentum=0.7, eps=1e-6)),
    ("Adadelta", dict()),
    ("Adadelta", dict(lr=0.5, rho=0.5, eps=1e-4, weight_decay=0.1)),
    ("Adam", dict()),
    ("Adam", dict(lr=0.1, betas=(0.8, 0.99), weight_decay=0.1)),
    ("Adam", dict(lr=0.1, amsgrad=True, eps=1e-6)),
    ("AdamW", dict(lr=0.1)),
    ("AdamW", dict(lr=0.1, weight_decay=0.3, amsgrad=True)),
]
IDS = [f"{name}-{i}" for i, (name, _) in enumerate(CONFIGS)]


def grad_numpy(w: np.ndarray) -> np.ndarray:
    return 2.0 / len(X) * X.T @ (X @ w - Y) + 1.0 - np.tanh(w) ** 2


class ArrayParam:
    """The optimizer's whole contract: ``data`` and ``grad``."""

    def __init__(self, data: np.ndarray) -> None:
        self.data = np.array(data, dtype=np.float64)
        self.grad = None


def run_array(name: str, hp: dict, steps: int = STEPS) -> np.ndarray:
    p = ArrayParam(W0)
    opt = getattr(optim, name)([p], **hp)
    out = []
    for _ in range(steps):
        opt.zero_grad()
        p.grad = grad_numpy(p.data)
        opt.step()
        out.append(p.data.copy())
    return np.array(out)


def run_values(name: str, hp: dict, steps: int = STEPS) -> np.ndarray:
    ws = [Value(float(v)) for v in W0]
    opt = getattr(optim, name)(ws, **hp)
    out = []
    for _ in range(steps):
        opt.zero_grad()
        residuals = [Value.dot(ws, row.tolist()) - yi for row, yi in zip(X, Y, strict=True)]
        mse = Value.sum(r * r for r in residuals) * (1.0 / len(X))
        loss = mse + Value.sum(w.tanh() for w in ws)
        loss.backward()
        opt.step()
        out.append([w.data for w in ws])
    return np.array(out)


def run_tensor(name: str, hp: dict, steps: int = STEPS) -> np.ndarray:
    w = Tensor(W0.copy(), requires_grad=True)
    Xt, Yt = Tensor(X), Tensor(Y)
    opt = getattr(optim, name)([w], **hp)
    out = []
    for _ in range(steps):
        opt.zero_grad()
        loss = ((Xt @ w - Yt) ** 2).mean() + w.tanh().sum()
        loss.backward()
        opt.step()
        out.append(w.data.copy())
    return np.array(out)


def run_torch(torch, name: str, hp: dict, steps: int = STEPS) -> np.ndarray:
    w = torch.tensor(W0, dtype=torch.float64, requires_grad=True)
    Xt, Yt = torch.tensor(X), torch.tensor(Y)
    kwargs = dict(hp)
    if name in ("SGD", "Adagrad") and "lr" not in kwargs:
        kwargs["lr"] = {"SGD": 1e-3, "Adagrad": 1e-2}[name]
    opt = getattr(torch.optim, name)([w], foreach=False, **kwargs)
    out = []
    for _ in range(steps):
        opt.zero_grad()
        loss = ((Xt @ w - Yt) ** 2).mean() + torch.tanh(w).sum()
        loss.backward()
        opt.step()
        out.append(w.detach().numpy().copy())
    return np.array(out)


@pytest.mark.parametrize("name,hp", CONFIGS, ids=IDS)
def test_matches_torch_optim(name, hp):
    torch = pytest.importorskip("torch")
    ours = run_array(name, hp)
    theirs = run_torch(torch, name, hp)
    assert np.abs(ours - W0).max() > 1e-3, "the trajectory should move"
    np.testing.assert_allclose(ours, theirs, rtol=0, atol=1e-9)


@pytest.mark.parametrize("name,hp", CONFIGS, ids=IDS)
def test_tensor_path_matches_torch_optim(name, hp):
    torch = pytest.importorskip("torch")
    np.testing.assert_allclose(run_tensor(name, hp), run_torch(torch, name, hp), rtol=0, atol=1e-9)


@pytest.mark.parametrize("name,hp", CONFIGS, ids=IDS)
def test_value_path_equals_tensor_and_array_paths(name, hp):
    values, tensors = run_values(name, hp), run_tensor(name, hp)
    np.testing.assert_allclose(values, tensors, rtol=0, atol=1e-12)
    np.testing.assert_allclose(values, run_array(name, hp), rtol=0, atol=1e-12)


def test_defaults_are_torchs():
    p = [ArrayParam(W0)]
    assert optim.SGD(p).defaults["lr"] == 1e-3
    assert optim.Adagrad(p).defaults == dict(
        lr=1e-2,
        lr_decay=0.0,
        weight_decay=0.0,
        initial_accumulator_value=0.0,
        eps=1e-10,
        maximize=False,
    )
    rms = optim.RMSprop(p).defaults
    assert (rms["lr"], rms["alpha"], rms["eps"], rms["momentum"]) == (1e-2, 0.99, 1e-8, 0.0)
    ada = optim.Adadelta(p).defaults
    assert (ada["lr"], ada["rho"], ada["eps"]) == (1.0, 0.9, 1e-6)
    adam = optim.Adam(p).defaults
    assert (adam["lr"], adam["betas"], adam["eps"]) == (1e-3, (0.9, 0.999), 1e-8)
    assert optim.AdamW(p).defaults["weight_decay"] == 1e-2


@pytest.mark.parametrize("name", ["SGD", "Adagrad", "RMSprop", "Adadelta", "Adam", "AdamW"])
def test_names_and_defaults_match_torch(name):
    torch = pytest.importorskip("torch")
    ours = inspect.signature(getattr(optim, name)).parameters
    theirs = inspect.signature(getattr(torch.optim, name)).parameters
    for key, param in ours.items():
        if key == "params":
            continue
        assert key in theirs, key
        assert param.default == theirs[key].default, key


# ---- hand-worked steps (the lectures' formulas, numbers by hand) ------------------------------


def test_sgd_momentum_by_hand():
    w = Value(1.0)
    opt = optim.SGD([w], lr=0.1, momentum=0.9)
    for expected in (1.0 - 0.1 * 2.0, None):
        opt.zero_grad()
        (w * w).backward()  # g = 2w
        opt.step()
        if expected is not None:
            assert w.data == pytest.approx(expected)
    # second step: g = 2·0.8 = 1.6, b = 0.9·2 + 1.6 = 3.4, w = 0.8 - 0.34
    assert w.data == pytest.approx(0.46)


def test_adam_first_steps_by_hand():
    # lecture values β1 = 0.9, β2 = 0.999, ε = 1e-8; the bias correction makes step 1 = lr·sign(g)
    w = Value(3.0)
    opt = optim.Adam([w], lr=0.01)
    (w * w).backward()  # g = 6
    opt.step()
    assert w.data == pytest.approx(3.0 - 0.01 * 6 / (6 + 1e-8), abs=1e-15)
    g1, w1 = 6.0, w.data
    w.grad = 0.0
    (w * w).backward()
    g2 = 2 * w1
    opt.step()
    m = (0.9 * 0.1 * g1 + 0.1 * g2) / (1 - 0.9**2)
    v = (0.999 * 0.001 * g1**2 + 0.001 * g2**2) / (1 - 0.999**2)
    assert w.data == pytest.approx(w1 - 0.01 * m / (math.sqrt(v) + 1e-8), abs=1e-15)


# ---- state, groups, errors --------------------------------------------------------------------


@pytest.mark.parametrize("name,hp", CONFIGS[1:], ids=IDS[1:])
def test_state_dict_round_trip_continues_the_trajectory(name, hp):
    straight = run_array(name, hp, steps=12)
    p = ArrayParam(W0)
    opt = getattr(optim, name)([p], **hp)
    for _ in range(6):
        p.grad = grad_numpy(p.data)
        opt.step()
    saved = opt.state_dict()
    p.grad = grad_numpy(p.data)
    opt.step()  # changes the live state; the saved copy must not follow
    q = ArrayParam(straight[5])
    fresh = getattr(optim, name)([q], **{**hp, "lr": 123.0})
    fresh.load_state_dict(saved)
    assert fresh.param_groups[0]["lr"] == saved["param_groups"][0]["lr"]
    for _ in range(6):
        q.grad = grad_numpy(q.data)
        fresh.step()
    np.testing.assert_allclose(q.data, straight[-1], rtol=0, atol=1e-13)


def test_param_groups_and_zero_grad():
    a, b = ArrayParam([1.0]), ArrayParam([1.0])
    v = Value(1.0)
    opt = optim.SGD([{"params": [a]}, {"params": [b, v], "lr": 0.5}], lr=0.1)
    a.grad, b.grad, v.grad = np.array([1.0]), np.array([1.0]), 1.0
    opt.step()
    assert (a.data[0], b.data[0], v.data) == (pytest.approx(0.9), 0.5, 0.5)
    assert type(v.data) is float
    opt.zero_grad()
    assert a.grad is None and b.grad is None and v.grad == 0.0
    opt.step()  # no gradients: nothing moves
    assert a.data[0] == pytest.approx(0.9)


def test_float32_parameters_stay_float32_in_place():
    p = ArrayParam(W0)
    p.data = p.data.astype(np.float32)
    buffer = p.data
    opt = optim.Adam([p], lr=0.1)
    p.grad = grad_numpy(p.data.astype(np.float64)).astype(np.float32)
    opt.step()
    assert p.data is buffer and p.data.dtype == np.float32
    assert opt.state[id(p)]["exp_avg"].dtype == np.float32


def test_errors():
    with pytest.raises(ValueError, match="empty parameter list"):
        optim.SGD([], lr=0.1)
    with pytest.raises(ValueError, match="lr must be non-negative; got -1"):
        optim.Adam([Value(1.0)], lr=-1)
    with pytest.raises(ValueError, match="nesterov needs momentum > 0"):
        optim.SGD([Value(1.0)], lr=0.1, nesterov=True)
    with pytest.raises(ValueError, match=r"betas\[1\] must be in \[0, 1\); got 1.0"):
        optim.Adam([Value(1.0)], betas=(0.9, 1.0))
    with pytest.raises(TypeError, match="parameters must be Values or Tensors; got float"):
        optim.SGD([1.0], lr=0.1)
    with pytest.raises(TypeError, match="iterable of parameters; got one Value"):
        optim.SGD(Value(1.0), lr=0.1)
    with pytest.raises(TypeError, match="unknown hyper-parameter"):
        optim.SGD([{"params": [Value(1.0)], "momentun": 0.9}], lr=0.1)
    shared = Value(1.0)
    with pytest.raises(ValueError, match="more than one parameter group"):
        optim.SGD([{"params": [shared]}, {"params": [shared]}], lr=0.1)
