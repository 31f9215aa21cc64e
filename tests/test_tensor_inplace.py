"""In-place operations, the `Grad` arrays in ``.grad``, and PyTorch's ``backward`` signature.

The tutorial loops at the top run the same code on ``autograd`` and on ``torch`` (the module is
the only difference) and must give the same numbers in float64. The tables below check every
in-place method against PyTorch on random inputs (broadcasting, dtypes, errors), the graph rules
(what is refused while grad mode is on), and the version counter. Tests that need PyTorch skip
without it.
"""

from __future__ import annotations

import math
import pickle
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import autograd as ag
import nn
from autograd import Tensor, no_grad
from autograd.arrays import Grad

LEAF_MESSAGE = "a leaf Variable that requires grad is being used in an in-place operation"
MODIFIED = "modified by an inplace operation"


@pytest.fixture
def torch() -> Any:
    return pytest.importorskip("torch")


def rng(seed: int = 0) -> np.random.Generator:
    return np.random.default_rng(seed)


def as_numpy(t: Any) -> np.ndarray:
    """Our Tensor's or a torch tensor's values as an ndarray."""
    return t.numpy() if isinstance(t, Tensor) else t.detach().numpy()


# ---- 1. the tutorial forms train as in PyTorch --------------------------------------------------


def polynomial_fit(lib: Any, init: np.ndarray, steps: int) -> list[float]:
    """PyTorch's "Tensors and autograd" tutorial: fit sin with a cubic, updating by hand."""
    x = lib.tensor(np.linspace(-math.pi, math.pi, 2000))
    y = lib.tensor(np.sin(np.linspace(-math.pi, math.pi, 2000)))
    a, b, c, d = (lib.tensor(np.float64(v), requires_grad=True) for v in init)
    learning_rate = 1e-6
    losses = []
    for _ in range(steps):
        y_pred = a + b * x + c * x**2 + d * x**3
        loss = (y_pred - y).pow(2).sum()
        losses.append(loss.item())
        loss.backward()
        with lib.no_grad():
            a -= learning_rate * a.grad
            b -= learning_rate * b.grad
            c -= learning_rate * c.grad
            d -= learning_rate * d.grad
            a.grad = None
            b.grad = None
            c.grad = None
            d.grad = None
    return losses + [p.item() for p in (a, b, c, d)]


def test_the_polynomial_tutorial_trains_as_in_pytorch(torch: Any) -> None:
    init = rng(1).standard_normal(4)
    np.testing.assert_allclose(
        polynomial_fit(ag, init, 60), polynomial_fit(torch, init, 60), rtol=1e-12
    )


def d2l_linear_regression(lib: Any, epochs: int = 2) -> list[float]:
    """d2l's linear regression from scratch, with its ``sgd`` (``param.grad.zero_()`` inside)."""
    data = rng(2)
    features = data.normal(0, 1, (100, 2))
    labels = features @ np.array([[2.0], [-3.4]]) + 4.2 + data.normal(0, 0.01, (100, 1))
    w = lib.tensor(data.normal(0, 0.01, (2, 1)), requires_grad=True)
    b = lib.tensor(np.zeros(1), requires_grad=True)

    def sgd(params: list[Any], lr: float, batch_size: int) -> None:
        with lib.no_grad():
            for param in params:
                param -= lr * param.grad / batch_size
                param.grad.zero_()

    losses = []
    for _ in range(epochs):
        for start in range(0, 100, 10):
            X, y = lib.tensor(features[start : start + 10]), lib.tensor(labels[start : start + 10])
            y_hat = lib.matmul(X, w) + b
            loss = (y_hat - y.reshape(y_hat.shape)) ** 2 / 2
            loss.sum().backward()
            sgd([w, b], 0.03, 10)
            losses.append(loss.sum().item())
    return losses + as_numpy(w).ravel().tolist() + as_numpy(b).tolist()


def test_the_d2l_sgd_loop_trains_as_in_pytorch(torch: Any) -> None:
    np.testing.assert_allclose(d2l_linear_regression(ag), d2l_linear_regression(torch), rtol=1e-12)


def model_pair(torch: Any) -> tuple[Any, Any]:
    """An `nn.Linear(3, 2)` and a ``torch.nn.Linear(3, 2)`` with the same float64 weights."""
    theirs = torch.nn.Linear(3, 2).double()
    ours = nn.Linear(3, 2)
    ours.weight.data = theirs.weight.detach().numpy().copy()
    ours.bias.data = theirs.bias.detach().numpy().copy()
    return ours, theirs


def train_linear(lib: Any, functional: Any, model: Any, update: Callable, steps: int) -> list:
    data = rng(3)
    x, target = lib.tensor(data.normal(size=(8, 3))), lib.tensor(data.normal(size=(8, 2)))
    losses = []
    for _ in range(steps):
        model.zero_grad()
        loss = functional.mse_loss(model(x), target)
        loss.backward()
        update(lib, list(model.parameters()), 0.1)
        losses.append(loss.item())
    return losses + [as_numpy(p).ravel().tolist() for p in model.parameters()]


def update_parameters_in_place(lib: Any, params: list[Any], lr: float) -> None:
    with lib.no_grad():
        for p in params:
            p -= lr * p.grad


def update_through_data(lib: Any, params: list[Any], lr: float) -> None:
    for p in params:  # the pre-1.0 PyTorch form: .data on both sides, then zero the grad
        p.data -= lr * p.grad.data
        p.grad.data.zero_()


@pytest.mark.parametrize("update", [update_parameters_in_place, update_through_data])
def test_manual_updates_of_model_parameters_train_as_in_pytorch(torch: Any, update: Any) -> None:
    ours, theirs = model_pair(torch)
    before = list(ours.parameters())
    initial = [p.numpy().copy() for p in before]
    mine = train_linear(ag, nn.functional, ours, update, 15)
    reference = train_linear(torch, torch.nn.functional, theirs, update, 15)
    for got, expected in zip(mine, reference, strict=True):
        np.testing.assert_allclose(got, expected, rtol=1e-12)
    for p, q, start in zip(ours.parameters(), before, initial, strict=True):
        assert p is q and p.is_leaf and p.requires_grad  # the same leaves, trained
        assert np.abs(p.numpy() - start).max() > 1e-3
    assert mine[14] < mine[0]


def test_a_minus_equals_under_no_grad_keeps_the_leaf() -> None:
    a = Tensor(np.array([1.0, 2.0]), requires_grad=True)
    (a * a).sum().backward()
    kept = a
    with no_grad():
        a -= 0.25 * a.grad
    assert a is kept and a.is_leaf and a.requires_grad and a._version == 1
    np.testing.assert_array_equal(a.numpy(), [0.5, 1.0])
    a.grad.zero_()  # the grad survived the update
    (a * a).sum().backward()
    np.testing.assert_array_equal(a.grad, [1.0, 2.0])


def test_p_grad_zero_then_backward_accumulates_into_the_zeroed_array(torch: Any) -> None:
    values = rng(4).normal(size=(2, 3))
    ours, theirs = Tensor(values, requires_grad=True), torch.tensor(values, requires_grad=True)
    kept = []
    for t in (ours, theirs):
        (t * t).sum().backward()
        kept.append(t.grad)
        assert t.grad.zero_() is t.grad
        (t**3).sum().backward()
    assert ours.grad is kept[0]  # accumulated into the zeroed array
    np.testing.assert_allclose(ours.grad, theirs.grad.numpy(), rtol=1e-14)


# ---- 2. every method against PyTorch --------------------------------------------------------


def _iadd(t: Any, o: Any) -> Any:
    t += o
    return t


def _isub(t: Any, o: Any) -> Any:
    t -= o
    return t


def _imul(t: Any, o: Any) -> Any:
    t *= o
    return t


def _idiv(t: Any, o: Any) -> Any:
    t /= o
    return t


def _ipow(t: Any, o: Any) -> Any:
    t **= o
    return t


METHODS: list[tuple[str, Callable[[Any, Any], Any]]] = [
    ("add_", lambda t, o: t.add_(o)),
    ("add_ alpha", lambda t, o: t.add_(o, alpha=0.5)),
    ("sub_", lambda t, o: t.sub_(o)),
    ("sub_ alpha", lambda t, o: t.sub_(o, alpha=-2)),
    ("mul_", lambda t, o: t.mul_(o)),
    ("div_", lambda t, o: t.div_(o)),
    ("pow_", lambda t, o: t.pow_(o)),
    ("+=", _iadd),
    ("-=", _isub),
    ("*=", _imul),
    ("/=", _idiv),
    ("**=", _ipow),
]
OPERANDS: list[tuple[str, Callable[[Any, np.random.Generator], Any]]] = [
    ("same shape", lambda lib, r: lib.tensor(r.uniform(0.5, 2.0, (3, 4)))),
    ("row", lambda lib, r: lib.tensor(r.uniform(0.5, 2.0, (1, 4)))),
    ("column", lambda lib, r: lib.tensor(r.uniform(0.5, 2.0, (3, 1)))),
    ("0-d", lambda lib, r: lib.tensor(r.uniform(0.5, 2.0))),
    ("float", lambda lib, r: float(r.uniform(0.5, 2.0))),
    ("int", lambda lib, r: 3),
]


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("operand", OPERANDS, ids=[name for name, _ in OPERANDS])
@pytest.mark.parametrize("method", METHODS, ids=[name for name, _ in METHODS])
def test_binary_in_place_ops_match_pytorch(torch: Any, method: Any, operand: Any, dtype: str):
    name, call = method
    values = rng(5).uniform(0.5, 2.0, (3, 4)).astype(dtype)
    ours, theirs = Tensor(values), torch.tensor(values)
    other_ours, other_theirs = operand[1](ag, rng(6)), operand[1](torch, rng(6))
    result = call(ours, other_ours)
    assert call(theirs, other_theirs) is theirs
    assert result is ours and ours.dtype == np.dtype(dtype) and ours._version == theirs._version
    np.testing.assert_allclose(
        ours.numpy(), theirs.numpy(), rtol=1e-6 if dtype == "float32" else 1e-14
    )


def test_a_float64_operand_keeps_a_float32_tensor_float32_as_in_pytorch(torch: Any) -> None:
    values, other = rng(7).normal(size=3).astype("float32"), rng(8).normal(size=3)
    ours, theirs = Tensor(values), torch.tensor(values)
    ours += Tensor(other)
    theirs += torch.tensor(other)
    assert ours.dtype == np.float32 and theirs.dtype == torch.float32
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())


INTEGER_CASES: list[tuple[str, str, Callable[[Any, Any], Any]]] = [
    ("int64 += int", "int64", lambda lib, t: _iadd(t, 2)),
    ("int64 *= int tensor", "int64", lambda lib, t: _imul(t, lib.tensor(np.array([2, 3, 4])))),
    ("int64 += True", "int64", lambda lib, t: _iadd(t, True)),
    ("int32 += int64 tensor", "int32", lambda lib, t: t.add_(lib.tensor(np.array([1, 2, 3])))),
    ("uint8 += int64 tensor", "uint8", lambda lib, t: t.add_(lib.tensor(np.array([1, 2, 3])))),
    ("int64 sub_ alpha", "int64", lambda lib, t: t.sub_(lib.tensor(np.array([1, 1, 1])), alpha=3)),
    ("int64 **= 2", "int64", lambda lib, t: _ipow(t, 2)),
    ("bool *= bool", "bool", lambda lib, t: _imul(t, lib.tensor(np.array([True, False, True])))),
    ("bool += bool", "bool", lambda lib, t: _iadd(t, lib.tensor(np.array([False, True, False])))),
]


@pytest.mark.parametrize("case", INTEGER_CASES, ids=[c[0] for c in INTEGER_CASES])
def test_integer_and_bool_tensors_keep_their_dtype_as_in_pytorch(torch: Any, case: Any) -> None:
    _, dtype, call = case
    values = np.array([1, 0, 5]).astype(dtype)
    ours, theirs = Tensor(values), torch.tensor(values)
    call(ag, ours)
    call(torch, theirs)
    assert ours.dtype == np.dtype(dtype)
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())


REFUSED_CASTS: list[tuple[str, str, str, Callable[[Any, Any], Any]]] = [
    (
        "int64 += 1.5",
        "int64",
        "Float can't be cast to the desired output type Long",
        lambda lib, t: _iadd(t, 1.5),
    ),
    (
        "int64 /= 2",
        "int64",
        "Float can't be cast to the desired output type Long",
        lambda lib, t: _idiv(t, 2),
    ),
    (
        "int64 div_ int tensor",
        "int64",
        "type Long",
        lambda lib, t: t.div_(lib.tensor(np.array([1, 2, 3]))),
    ),
    ("int64 += float tensor", "int64", "type Long", lambda lib, t: t.add_(lib.tensor(np.ones(3)))),
    ("int64 **= 0.5", "int64", "type Long", lambda lib, t: _ipow(t, 0.5)),
    ("int32 *= 2.0", "int32", "type Int", lambda lib, t: _imul(t, 2.0)),
    (
        "bool += 1",
        "bool",
        "Long can't be cast to the desired output type Bool",
        lambda lib, t: _iadd(t, 1),
    ),
    (
        "int64 add_ float alpha",
        "int64",
        "alpha must not be a floating point",
        lambda lib, t: t.add_(1, alpha=0.5),
    ),
]


@pytest.mark.parametrize("case", REFUSED_CASTS, ids=[c[0] for c in REFUSED_CASTS])
def test_results_the_dtype_cannot_hold_are_refused_as_in_pytorch(torch: Any, case: Any) -> None:
    _, dtype, message, call = case
    values = np.array([1, 0, 5]).astype(dtype)
    ours, theirs = Tensor(values), torch.tensor(values)
    with pytest.raises(RuntimeError):
        call(torch, theirs)
    with pytest.raises(RuntimeError, match=message):
        call(ag, ours)
    np.testing.assert_array_equal(ours.numpy(), values)  # nothing written
    assert ours._version == 0


def test_only_the_right_operand_broadcasts(torch: Any) -> None:
    for lib in (torch, ag):
        with pytest.raises(
            RuntimeError, match="output with shape .*3, 1.* doesn't match the broadcast shape"
        ):
            lib.zeros(3, 1).add_(lib.ones(3))
        with pytest.raises(RuntimeError, match="doesn't match the broadcast shape"):
            a = lib.zeros(3)
            a *= lib.ones(2, 3)
    with pytest.raises(RuntimeError, match=r"^add_: output with shape \(3, 1\) .*a = a \+ b"):
        ag.zeros(3, 1).add_(ag.ones(3))
    with pytest.raises(ValueError, match="^sub_: shapes .* cannot be broadcast"):
        ag.zeros(3).sub_(ag.ones(2))
    with pytest.raises(RuntimeError):
        torch.zeros(3).sub_(torch.ones(2))


def test_other_refusals_name_the_method(torch: Any) -> None:
    with pytest.raises(RuntimeError):
        torch.tensor([1, 2]).pow_(-1)
    with pytest.raises(ValueError, match="^pow_: integers to negative integer powers"):
        Tensor(np.array([1, 2])).pow_(-1)
    with pytest.raises(RuntimeError):
        torch.tensor([True]).sub_(torch.tensor([True]))
    with pytest.raises(TypeError, match="^sub_: "):
        Tensor(np.array([True])).sub_(Tensor(np.array([True])))
    with pytest.raises(TypeError, match="^mul_: "):
        Tensor([1.0]).mul_("2")
    with pytest.raises(TypeError, match="^add_: cannot mix Tensor and Value"):
        Tensor([1.0]).add_(ag.Value(1.0))
    with pytest.raises(ValueError, match="^add_: number out of range for dtype int8"):
        Tensor(np.array([1], dtype=np.int8)).add_(1000)


def test_division_by_zero_gives_inf_quietly_as_in_pytorch(torch: Any) -> None:
    ours, theirs = Tensor([1.0, -1.0, 0.0]), torch.tensor([1.0, -1.0, 0.0])
    ours /= 0.0
    theirs /= 0.0
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())


def test_a_matmul_assignment_rebinds_as_in_pytorch(torch: Any) -> None:
    for lib in (torch, ag):
        a = lib.tensor(np.eye(2))
        before = a
        a @= lib.tensor(np.full((2, 2), 2.0))
        assert a is not before
        np.testing.assert_array_equal(as_numpy(before), np.eye(2))
        np.testing.assert_array_equal(as_numpy(a), np.full((2, 2), 2.0))


def test_an_operand_overlapping_self_gives_the_out_of_place_result() -> None:
    values = np.arange(9.0).reshape(3, 3)
    a = Tensor(values)
    a += a.T
    np.testing.assert_array_equal(a.numpy(), values + values.T)


UNARY: list[tuple[str, Callable[[Any, Any], Any], str]] = [
    ("zero_", lambda lib, t: t.zero_(), "float64"),
    ("zero_ int", lambda lib, t: t.zero_(), "int64"),
    ("zero_ bool", lambda lib, t: t.zero_(), "bool"),
    ("fill_", lambda lib, t: t.fill_(2.5), "float32"),
    ("fill_ int truncates", lambda lib, t: t.fill_(-1.7), "int64"),
    ("fill_ bool", lambda lib, t: t.fill_(2), "bool"),
    ("fill_ 0-d tensor", lambda lib, t: t.fill_(lib.tensor(np.float64(3.25))), "float64"),
    ("clamp_", lambda lib, t: t.clamp_(-0.5, 0.5), "float64"),
    ("clamp_ min", lambda lib, t: t.clamp_(min=0.0), "float32"),
    ("clamp_ max", lambda lib, t: t.clamp_(max=0.1), "float64"),
    ("clamp_ min > max", lambda lib, t: t.clamp_(1.0, -1.0), "float64"),
    ("clamp_ int", lambda lib, t: t.clamp_(-1, 1), "int64"),
    ("clamp_min_", lambda lib, t: t.clamp_min_(0.2), "float64"),
    ("clamp_max_", lambda lib, t: t.clamp_max_(0.2), "float64"),
    ("clip_", lambda lib, t: t.clip_(-0.2, 0.3), "float64"),
]


@pytest.mark.parametrize("case", UNARY, ids=[c[0] for c in UNARY])
def test_fills_and_clamps_match_pytorch(torch: Any, case: Any) -> None:
    _, call, dtype = case
    values = (rng(9).normal(size=(2, 5)) * 3).astype(dtype)
    ours, theirs = Tensor(values), torch.tensor(values)
    assert call(ag, ours) is ours and call(torch, theirs) is theirs
    assert ours.dtype == np.dtype(dtype) and ours._version == theirs._version == 1
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())


def test_clamp_with_tensor_bounds_broadcasts_and_keeps_nan(torch: Any) -> None:
    values = rng(10).normal(size=(3, 4))
    values[0, 0] = np.nan
    low, high = rng(11).normal(size=(1, 4)) - 1, rng(12).normal(size=(3, 1)) + 1
    ours = Tensor(values).clamp_(Tensor(low), Tensor(high))
    theirs = torch.tensor(values).clamp_(torch.tensor(low), torch.tensor(high))
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())


def test_clamp_refusals_as_in_pytorch(torch: Any) -> None:
    for lib in (torch, ag):
        with pytest.raises((RuntimeError, ValueError)):
            lib.zeros(3).clamp_()
        with pytest.raises(RuntimeError, match="can't be cast"):
            lib.tensor(np.array([1, 2])).clamp_(min=1.5)
        with pytest.raises(RuntimeError, match="doesn't match the broadcast shape"):
            lib.zeros(3, 1).clamp_(min=lib.zeros(3))
    with pytest.raises(ValueError, match="^clamp_: no bound given"):
        ag.zeros(3).clamp_()


def test_fill_refusals(torch: Any) -> None:
    for lib in (torch, ag):
        with pytest.raises(RuntimeError, match="0-dimension value tensor"):
            lib.zeros(3).fill_(lib.zeros(2))
        with pytest.raises((RuntimeError, ValueError)):  # PyTorch: "without overflow"
            lib.zeros(3, dtype=lib.int64).fill_(float("nan"))
    with pytest.raises(ValueError, match="^fill_: values out of range for uint8"):
        ag.zeros(2, dtype="uint8").fill_(-1)
    with pytest.raises(TypeError, match="^fill_: value must be a number"):
        ag.zeros(2).fill_("1")


COPIES: list[tuple[str, str, Any]] = [
    ("same shape", "float64", rng(13).normal(size=(2, 3))),
    ("row broadcast", "float64", rng(14).normal(size=(1, 3))),
    ("float64 into float32", "float32", rng(15).normal(size=(2, 3))),
    ("float into int truncates", "int64", np.array([[1.7, -1.7, 2.5]])),
    ("float into bool", "bool", np.array([[0.0, 0.5, -2.0]])),
    ("int into float", "float64", np.array([1, 2, 3])),
]


@pytest.mark.parametrize("case", COPIES, ids=[c[0] for c in COPIES])
def test_copy_matches_pytorch(torch: Any, case: Any) -> None:
    _, dtype, src = case
    ours, theirs = ag.zeros(2, 3, dtype=dtype), torch.zeros(2, 3, dtype=getattr(torch, dtype))
    assert ours.copy_(Tensor(src)) is ours
    theirs.copy_(torch.tensor(src))
    assert ours.dtype == np.dtype(dtype)
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())
    ours.copy_(src)  # an ndarray or a number works as well
    ours.copy_(1)
    np.testing.assert_array_equal(ours.numpy(), np.ones((2, 3), dtype=dtype))


def test_copy_refusals(torch: Any) -> None:
    for lib in (torch, ag):
        with pytest.raises((RuntimeError, ValueError)):
            lib.zeros(3, 1).copy_(lib.zeros(3))
        with pytest.raises((RuntimeError, ValueError)):
            lib.zeros(3).copy_(lib.zeros(2))
    with pytest.raises(RuntimeError, match=r"^copy_: output with shape \(3, 1\)"):
        ag.zeros(3, 1).copy_(ag.zeros(3))
    with pytest.raises(ValueError, match="^copy_: values out of range for int64"):
        ag.zeros(2, dtype="int64").copy_(np.array([1.0, np.nan]))


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_random_fills_use_the_engine_generator(dtype: str) -> None:
    ag.manual_seed(5)
    expected = ag.randn(200, 300, dtype=dtype).numpy() * 2.0 + 1.0
    ag.manual_seed(5)
    t = ag.zeros(200, 300, dtype=dtype)
    assert t.normal_(1.0, 2.0) is t and t.dtype == np.dtype(dtype) and t._version == 1
    np.testing.assert_allclose(t.numpy(), expected, rtol=1e-6)
    assert abs(t.numpy().mean() - 1.0) < 0.02 and abs(t.numpy().std() - 2.0) < 0.02
    ag.manual_seed(6)
    expected = ag.rand(200, 300, dtype=dtype).numpy() * 0.5 - 0.2
    ag.manual_seed(6)
    u = ag.zeros(200, 300, dtype=dtype).uniform_(-0.2, 0.3)
    np.testing.assert_allclose(u.numpy(), expected, rtol=1e-5, atol=1e-7)
    assert u.numpy().min() >= -0.2 and u.numpy().max() < 0.3
    assert abs(u.numpy().mean() - 0.05) < 0.005


def test_random_fills_of_float16_draw_in_float64() -> None:
    t = ag.zeros(1000, dtype="float16").normal_()
    assert t.dtype == np.float16 and 0.8 < t.numpy().astype(np.float64).std() < 1.2


def test_random_fill_refusals_as_in_pytorch(torch: Any) -> None:
    for lib in (torch, ag):
        with pytest.raises((NotImplementedError, TypeError)):
            lib.zeros(3, dtype=lib.int64).normal_()
        with pytest.raises((NotImplementedError, TypeError)):
            lib.zeros(3, dtype=lib.int64).uniform_()
        with pytest.raises((RuntimeError, ValueError), match="std"):
            lib.zeros(3).normal_(0.0, -1.0)
        with pytest.raises((RuntimeError, ValueError), match="from=1.* > to=0"):
            lib.zeros(3).uniform_(1.0, 0.0)
    with pytest.raises(TypeError, match="^normal_: random draws need a float tensor"):
        ag.zeros(3, dtype="int64").normal_()
    with pytest.raises(TypeError, match="^uniform_: a must be a number"):
        ag.zeros(3).uniform_("0", 1.0)


# ---- 3. what is refused while grad mode is on ----------------------------------------------------

EVERY_METHOD: list[tuple[str, Callable[[Any, Any], Any]]] = [
    ("add_", lambda lib, t: t.add_(1.0)),
    ("sub_", lambda lib, t: t.sub_(1.0)),
    ("mul_", lambda lib, t: t.mul_(2.0)),
    ("div_", lambda lib, t: t.div_(2.0)),
    ("pow_", lambda lib, t: t.pow_(2.0)),
    ("add_", lambda lib, t: _iadd(t, 1.0)),
    ("sub_", lambda lib, t: _isub(t, 1.0)),
    ("mul_", lambda lib, t: _imul(t, 2.0)),
    ("div_", lambda lib, t: _idiv(t, 2.0)),
    ("pow_", lambda lib, t: _ipow(t, 2.0)),
    ("zero_", lambda lib, t: t.zero_()),
    ("fill_", lambda lib, t: t.fill_(1.0)),
    ("copy_", lambda lib, t: t.copy_(lib.tensor(np.ones(3)))),
    ("clamp_", lambda lib, t: t.clamp_(0.0, 1.0)),
    ("clamp_", lambda lib, t: t.clamp_min_(0.0)),
    ("clamp_", lambda lib, t: t.clip_(max=0.0)),
    ("normal_", lambda lib, t: t.normal_()),
    ("uniform_", lambda lib, t: t.uniform_()),
]
IDS = [f"{name}-{i}" for i, (name, _) in enumerate(EVERY_METHOD)]


@pytest.mark.parametrize("case", EVERY_METHOD, ids=IDS)
def test_a_leaf_that_requires_grad_is_refused_as_in_pytorch(torch: Any, case: Any) -> None:
    name, call = case
    with pytest.raises(RuntimeError, match=LEAF_MESSAGE):
        call(torch, torch.ones(3, dtype=torch.float64, requires_grad=True))
    w = Tensor(np.ones(3), requires_grad=True)
    with pytest.raises(RuntimeError, match=rf"^{name}: {LEAF_MESSAGE}.*with no_grad\(\)"):
        call(ag, w)
    assert w._version == 0 and w.numpy().tolist() == [1.0, 1.0, 1.0]


@pytest.mark.parametrize("case", EVERY_METHOD, ids=IDS)
def test_under_no_grad_a_leaf_is_edited_and_stays_the_same_leaf(case: Any) -> None:
    name, call = case
    w = Tensor(np.full(3, 0.5), requires_grad=True)
    with no_grad():
        assert call(ag, w) is w
    assert w.is_leaf and w.requires_grad and w._version == 1
    assert not np.array_equal(w.numpy(), np.full(3, 0.5)) or name == "clamp_"


@pytest.mark.parametrize("case", EVERY_METHOD, ids=IDS)
def test_a_recorded_result_is_refused_while_grad_mode_is_on(case: Any) -> None:
    name, call = case
    y = Tensor(np.ones(3), requires_grad=True) * 2
    with pytest.raises(
        RuntimeError, match=rf"^{name}: cannot change the result of op '\*'.*y = y \+ v"
    ):
        call(ag, y)
    assert y._version == 0


def test_a_recorded_result_edited_under_no_grad_matches_pytorch(torch: Any) -> None:
    grads = []
    for lib in (ag, torch):
        x = lib.tensor(np.array([1.0, 2.0]), requires_grad=True)
        y = x * 3
        z = (y + 1).sum()
        with lib.no_grad():
            y.add_(10.0)  # add saved nothing: backward still works, as in PyTorch
        z.backward()
        grads.append(as_numpy(x.grad).tolist() + as_numpy(y).tolist())
    assert grads[0] == grads[1]


def test_an_operand_that_requires_grad_is_refused_while_grad_mode_is_on() -> None:
    a, w = Tensor(np.zeros(3)), Tensor(np.ones(3), requires_grad=True)
    with pytest.raises(
        RuntimeError, match="^add_: an in-place op cannot record an operand.*a = a \\+ b"
    ):
        a += w
    with pytest.raises(RuntimeError, match="^clamp_: an in-place op cannot record"):
        a.clamp_(max=w)
    with pytest.raises(RuntimeError, match="^copy_: an in-place op cannot record"):
        a.copy_(w)
    with no_grad():
        a += w
    np.testing.assert_array_equal(a.numpy(), np.ones(3))


def test_a_tensor_outside_every_graph_is_edited_with_grad_mode_on(torch: Any) -> None:
    ours, theirs = Tensor(np.ones(3)), torch.ones(3, dtype=torch.float64)
    for t in (ours, theirs):
        t += 1.0
        t.mul_(3.0)
        assert t.is_leaf and not t.requires_grad
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())


# ---- 4. the version counter catches edits of saved tensors --------------------------------------


def saved_constant(lib: Any) -> Callable[[], Any]:
    w, c = lib.tensor(np.ones(3), requires_grad=True), lib.tensor(np.arange(3.0))
    y = (w * c).sum()
    c.mul_(2.0)  # mul saved c; c needs no grad, so the edit itself is allowed
    return y.backward


def saved_leaf(lib: Any) -> Callable[[], Any]:
    w = lib.tensor(np.ones(3), requires_grad=True)
    y = (w * w).sum()
    with lib.no_grad():
        w -= 0.1  # a step taken between forward and backward
    return y.backward


def saved_output(lib: Any) -> Callable[[], Any]:
    w = lib.tensor(np.ones(3), requires_grad=True)
    y = w.exp()
    z = y.sum()
    with lib.no_grad():
        y.clamp_(max=2.0)  # exp's backward reads its output
    return z.backward


def saved_view(lib: Any) -> Callable[[], Any]:
    w, c = lib.tensor(np.ones(4), requires_grad=True), lib.tensor(np.arange(4.0))
    y = (w * c).sum()
    c.reshape(2, 2).zero_()  # a view edits c's memory and counts on c's counter
    return y.backward


def nothing_saved(lib: Any) -> Callable[[], Any]:
    w, c = lib.tensor(np.ones(3), requires_grad=True), lib.tensor(np.arange(3.0))
    y = (w + c).sum()
    c.fill_(7.0)  # add keeps no values: no error in PyTorch either
    return y.backward


@pytest.mark.parametrize(
    "build, raises",
    [
        (saved_constant, True),
        (saved_leaf, True),
        (saved_output, True),
        (saved_view, True),
        (nothing_saved, False),
    ],
)
def test_in_place_edits_of_saved_tensors_are_caught_as_in_pytorch(
    torch: Any, build: Any, raises: bool
) -> None:
    for lib in (torch, ag):
        backward = build(lib)
        if raises:
            with pytest.raises(RuntimeError, match=MODIFIED):
                backward()
        else:
            backward()


def test_every_in_place_op_bumps_the_version_once_as_in_pytorch(torch: Any) -> None:
    versions = []
    for lib in (ag, torch):
        t = lib.tensor(np.ones(3))
        steps = [t._version]
        for _, edit, _ in UNARY[:1] + UNARY[3:4] + UNARY[7:8]:
            edit(lib, t)
            steps.append(t._version)
        for _, edit in EVERY_METHOD:
            edit(lib, t)
            steps.append(t._version)
        versions.append(steps)
    assert versions[0] == versions[1] == list(range(len(versions[0])))


# ---- 5. Grad: the ndarray in .grad ---------------------------------------------------------------


def a_grad(values: Any = ((3.0, -4.0), (0.0, 1.0)), dtype: str = "float64") -> Grad:
    w = Tensor(np.asarray(values, dtype=dtype), requires_grad=True)
    (w * Tensor(np.asarray(values, dtype=dtype))).sum().backward()  # d/dw = the values
    assert type(w.grad) is Grad
    return w.grad


def test_grad_is_an_ndarray_that_prints_as_one() -> None:
    g = a_grad()
    assert isinstance(g, np.ndarray) and g.dtype == np.float64
    assert repr(g) == repr(np.asarray(g)) and str(g) == str(np.asarray(g))
    np.testing.assert_array_equal(g, [[3.0, -4.0], [0.0, 1.0]])
    assert a_grad([[2.5]]).item() == 2.5


def test_arithmetic_on_a_grad_gives_plain_arrays_and_views_stay_grads() -> None:
    g = a_grad()
    for derived in (g * 2, 0.1 * g, g + g, -g, np.sqrt(np.abs(g)), g.sum(axis=0), g @ g):
        assert type(derived) is np.ndarray
    assert type(g.sum()) is np.float64 and type(g.max()) is np.float64
    for same in (g[0], g.T, g.reshape(4), g.copy(), np.zeros_like(g), g.clone()):
        assert type(same) is Grad
    kept = g
    g += np.ones((2, 2))
    g *= 2.0
    assert g is kept and type(g) is Grad


def test_grad_pickles_and_copies() -> None:
    g = a_grad()
    back = pickle.loads(pickle.dumps(g))
    assert type(back) is Grad
    np.testing.assert_array_equal(back, g)


def test_grad_data_zero_and_clone() -> None:
    g = a_grad()
    assert g.data is g and g.detach() is g
    copy = g.clone()
    assert g.data.zero_() is g
    np.testing.assert_array_equal(g, np.zeros((2, 2)))
    np.testing.assert_array_equal(copy, [[3.0, -4.0], [0.0, 1.0]])
    plain = copy.numpy()
    assert type(plain) is np.ndarray and np.shares_memory(plain, copy)
    assert memoryview(g).nbytes == 32  # the buffer is still there for code that wants it


@pytest.mark.parametrize("p", [1, 2, 3, 0.5, math.inf, -math.inf, 0, "fro"])
@pytest.mark.parametrize("dim", [None, 0, 1, (0, 1), -1])
def test_grad_norm_matches_pytorch(torch: Any, p: Any, dim: Any) -> None:
    values = rng(16).normal(size=(3, 4))
    values[1, 2] = 0.0
    g = a_grad(values)
    if p == "fro" and dim is not None and not isinstance(dim, tuple):
        dim = (dim,)
    expected = torch.tensor(values).norm(p=p, dim=dim)
    got = g.norm(p) if dim is None else g.norm(p, dim=dim)
    np.testing.assert_allclose(got, expected.numpy(), rtol=1e-12)
    if dim is None:
        assert type(got) is np.float64 and math.isclose(got.item(), expected.item(), rel_tol=1e-12)
    keep = g.norm(p, dim=1, keepdim=True)
    np.testing.assert_allclose(
        keep, torch.tensor(values).norm(p=p, dim=(1,), keepdim=True).numpy(), rtol=1e-12
    )


def test_grad_norm_keeps_float32_and_refuses_bad_orders() -> None:
    g = a_grad(dtype="float32")
    assert g.norm().dtype == np.float32
    with pytest.raises(ValueError, match="^norm: unsupported order"):
        g.norm(-1)
    with pytest.raises(ValueError, match="^norm: dim out of range"):
        g.norm(2, dim=2)


def test_grad_mul_and_clamp_match_pytorch(torch: Any) -> None:
    values = rng(17).normal(size=(3, 4)) * 2
    g, theirs = a_grad(values), torch.tensor(values)
    assert g.mul_(0.5) is g and g.clamp_(-1, 1) is g
    theirs.mul_(0.5).clamp_(-1, 1)
    np.testing.assert_array_equal(g, theirs.numpy())
    g.mul_(np.array([1.0, 2.0, 3.0, 4.0]))  # a row broadcasts
    theirs.mul_(torch.tensor([1.0, 2.0, 3.0, 4.0], dtype=torch.float64))
    np.testing.assert_array_equal(g, theirs.numpy())
    with pytest.raises(ValueError, match=r"^mul_: shapes \(3, 4\) and \(3,\) cannot be broadcast"):
        g.mul_(np.ones(3))
    with pytest.raises(ValueError, match="^clamp_: no bound given"):
        g.clamp_()


def test_clip_grad_norm_written_by_hand_matches_pytorch(torch: Any) -> None:
    ours, theirs = model_pair(torch)
    x = rng(18).normal(size=(5, 3))
    nn.functional.mse_loss(ours(Tensor(x)), Tensor(np.zeros((5, 2)))).backward()
    torch.nn.functional.mse_loss(
        theirs(torch.tensor(x)), torch.zeros(5, 2, dtype=torch.float64)
    ).backward()
    for model in (ours, theirs):
        total = math.sqrt(sum(p.grad.norm().item() ** 2 for p in model.parameters()))
        for p in model.parameters():
            p.grad.mul_(0.1 / total)
    for p, q in zip(ours.parameters(), theirs.parameters(), strict=True):
        np.testing.assert_allclose(p.grad, q.grad.numpy(), rtol=1e-12)


def test_retained_grads_are_grads_and_optimizers_still_step() -> None:
    x = Tensor(np.array([1.0, 2.0]), requires_grad=True)
    y = x * 3
    y.retain_grad()
    (y * y).sum().backward()
    assert type(y.grad) is Grad and type(x.grad) is Grad
    opt = nn.optim.Adam([x], lr=0.1)
    opt.step()
    opt.zero_grad(set_to_none=False)
    assert type(x.grad) is Grad and not x.grad.any()
    assert all(type(v) is not Grad for v in opt.state_dict()["state"][0].values())


# ---- 6. backward's PyTorch signature -------------------------------------------------------------


def test_backward_takes_pytorchs_keywords(torch: Any) -> None:
    values, seed = np.array([1.0, 2.0]), np.array([0.5, -1.0])
    ours, theirs = Tensor(values, requires_grad=True), torch.tensor(values, requires_grad=True)
    y, y_t = ours * ours, theirs * theirs
    y.backward(gradient=Tensor(seed), retain_graph=True)
    y_t.backward(gradient=torch.tensor(seed), retain_graph=True)
    y.backward(Tensor(seed))  # graphs are always kept here: a second pass needs no flag
    y_t.backward(torch.tensor(seed))
    np.testing.assert_array_equal(ours.grad, theirs.grad.numpy())
    y.backward(grad=seed)  # the older keyword still works
    np.testing.assert_array_equal(ours.grad, 3 * theirs.grad.numpy() / 2)


def test_backward_refuses_create_graph_and_junk() -> None:
    y = (Tensor([1.0], requires_grad=True) * 2).sum()
    with pytest.raises(RuntimeError, match="^backward: higher-order gradients are not supported"):
        y.backward(create_graph=True)
    with pytest.raises(TypeError, match="^backward: got both gradient= and grad="):
        y.backward(np.ones(()), grad=np.ones(()))
    with pytest.raises(TypeError, match="^backward: retain_graph must be"):
        y.backward(retain_graph="yes")


# ---- 6. Array: the ndarray in .data, with the same in-place methods --------------------------


def test_the_neural_networks_tutorial_update_through_data() -> None:
    # PyTorch's "Neural Networks" tutorial: for f in net.parameters(): f.data.sub_(f.grad.data * lr)
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(3)
    w0, x = rng.standard_normal((3, 2)), rng.standard_normal((4, 3))
    ours, theirs = Tensor(w0.copy(), requires_grad=True), torch.tensor(w0, requires_grad=True)
    for _ in range(3):
        for w, lib in ((ours, Tensor), (theirs, torch.tensor)):
            ((lib(x) @ w).tanh() ** 2).sum().backward()
            w.data.sub_(w.grad.data * 0.1)
            w.grad.data.zero_()
    np.testing.assert_allclose(ours.numpy(), theirs.detach().numpy(), rtol=1e-12)


def test_weights_init_through_data_draws_the_tensor_methods_stream() -> None:
    from autograd import manual_seed

    a, b = Tensor(np.zeros((50, 4), np.float32)), Tensor(np.zeros((50, 4), np.float32))
    manual_seed(5)
    a.data.normal_(0.0, 0.02)  # DCGAN's weights_init
    manual_seed(5)
    b.normal_(0.0, 0.02)
    np.testing.assert_array_equal(a.numpy(), b.numpy())
    a.data.uniform_(-1, 1).clamp_(-0.5, 0.5)
    assert a.numpy().min() >= -0.5 and a.numpy().max() <= 0.5
    a.data.fill_(0.25)
    assert (a.numpy() == 0.25).all()


def test_edits_through_data_skip_the_version_counter_as_in_pytorch() -> None:
    torch = pytest.importorskip("torch")
    ours, theirs = (
        Tensor([1.0, 2.0], requires_grad=True),
        torch.tensor([1.0, 2.0], requires_grad=True),
    )
    before = (ours._version, theirs._version)
    ours.data.add_(1.0)
    theirs.data.add_(1.0)
    assert (ours._version - before[0], theirs._version - before[1]) == (0, 0)
    assert ours.tolist() == theirs.tolist() == [2.0, 3.0]


def test_data_is_an_ndarray_sharing_memory_and_results_are_plain() -> None:
    t = Tensor(np.arange(3.0))
    view = t.data
    assert isinstance(view, np.ndarray) and np.shares_memory(view, t.numpy())
    assert type(view + 1) is np.ndarray and type(t.numpy()) is np.ndarray
    t.data = view * 2  # assigning back stores a plain array and counts as an edit
    assert type(t.numpy()) is np.ndarray and t.tolist() == [0.0, 2.0, 4.0]
    with pytest.raises(RuntimeError, match="result type Float can't be cast"):
        Tensor(np.arange(3)).data.add_(0.5)  # the Tensor method's dtype rule, as in PyTorch
