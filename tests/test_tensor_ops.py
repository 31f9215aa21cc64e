"""Every tensor op from one table: numpy forward reference, gradcheck of every element, torch twin.

A row names the op, builds it through the public spelling, gives a plain-numpy reference for its
value, a sampler per input (kept away from kinks such as 0 for relu/abs so that central
differences are meaningful) and the same op written in PyTorch. The table drives: the forward
value (float64 and float32, dtype kept), `gradcheck` on every element in float64, and forward plus
every input gradient against PyTorch in float64 (skipped without torch).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pytest

import autograd as ag
from autograd import Tensor, gradcheck
from nn import functional as F

Sampler = Callable[[np.random.Generator, tuple[int, ...]], np.ndarray]


def real(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    """Uniform in ±[0.1, 2.1]: no value near the kink at 0."""
    x = rng.uniform(-2.0, 2.0, shape)
    return x + 0.1 * np.where(x >= 0, 1.0, -1.0)


def positive(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    return rng.uniform(0.5, 2.5, shape)


def probability(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    return rng.uniform(0.05, 0.95, shape)


@dataclass(frozen=True)
class Row:
    name: str
    fn: Callable[..., Tensor]  # ours, on Tensors
    ref: Callable[..., np.ndarray]  # plain numpy, on arrays
    shapes: tuple[tuple[int, ...], ...]
    twin: Callable[..., Any] | None  # PyTorch, on torch tensors
    samplers: tuple[Sampler, ...] = ()

    def inputs(self, seed: int = 0) -> list[np.ndarray]:
        rng = np.random.default_rng(seed)
        samplers = self.samplers or (real,) * len(self.shapes)
        return [s(rng, shape) for s, shape in zip(samplers, self.shapes, strict=True)]


def _softmax(x: np.ndarray, axis: int) -> np.ndarray:
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def _tf(name: str) -> Any:
    """torch.nn.functional.<name>, resolved only when torch is installed."""
    import torch.nn.functional as TF

    return getattr(TF, name)


def _torch(name: str) -> Any:
    import torch

    return getattr(torch, name)


IDX = np.array([2, 0, 2, 1])  # a repeated index: its gradients must add up
MASK = np.array([[1, 0, 1, 0], [0, 0, 1, 1], [1, 1, 0, 0]], dtype=bool)

ROWS = [
    # ---- binary arithmetic, same shapes
    Row("add", lambda a, b: a + b, np.add, ((3, 4), (3, 4)), lambda a, b: a + b),
    Row("sub", lambda a, b: a - b, np.subtract, ((3, 4), (3, 4)), lambda a, b: a - b),
    Row("mul", lambda a, b: a * b, np.multiply, ((3, 4), (3, 4)), lambda a, b: a * b),
    Row(
        "div", lambda a, b: a / b, np.divide, ((3, 4), (3, 4)), lambda a, b: a / b, (real, positive)
    ),
    Row(
        "pow_tensor",
        lambda a, b: a**b,
        np.power,
        ((3, 4), (3, 4)),
        lambda a, b: a**b,
        (positive, real),
    ),
    Row("pow_int", lambda a: a**3, lambda a: a**3, ((3, 4),), lambda a: a**3),
    Row("pow_square", lambda a: a.pow(2), lambda a: a**2, ((3, 4),), lambda a: a.pow(2)),
    Row("pow_half", lambda a: a**0.5, np.sqrt, ((3, 4),), lambda a: a**0.5, (positive,)),
    Row("pow_neg", lambda a: a**-1.5, lambda a: a**-1.5, ((3, 4),), lambda a: a**-1.5, (positive,)),
    Row("rpow", lambda a: 2.0**a, lambda a: 2.0**a, ((3, 4),), lambda a: 2.0**a),
    Row("radd", lambda a: 2.5 + a, lambda a: 2.5 + a, ((3,),), lambda a: 2.5 + a),
    Row("rsub", lambda a: 1.0 - a, lambda a: 1.0 - a, ((3,),), lambda a: 1.0 - a),
    Row("rmul", lambda a: -3 * a, lambda a: -3 * a, ((3,),), lambda a: -3 * a),
    Row("rdiv", lambda a: 2.0 / a, lambda a: 2.0 / a, ((3, 2),), lambda a: 2.0 / a),
    Row("maximum", ag.maximum, np.maximum, ((3, 4), (3, 4)), lambda a, b: _torch("maximum")(a, b)),
    Row("minimum", ag.minimum, np.minimum, ((3, 4), (3, 4)), lambda a, b: _torch("minimum")(a, b)),
    Row(
        "maximum_method",
        lambda a, b: a.maximum(b),
        np.maximum,
        ((2, 3), (2, 3)),
        lambda a, b: _torch("maximum")(a, b),
    ),
    Row(
        "minimum_method",
        lambda a, b: a.minimum(b),
        np.minimum,
        ((2, 3), (2, 3)),
        lambda a, b: _torch("minimum")(a, b),
    ),
    # ---- unary
    Row("neg", lambda a: -a, np.negative, ((3, 4),), lambda a: -a),
    Row("abs", abs, np.abs, ((3, 4),), lambda a: a.abs()),
    Row("abs_method", lambda a: a.abs(), np.abs, ((3, 4),), lambda a: a.abs()),
    Row("exp", lambda a: a.exp(), np.exp, ((3, 4),), lambda a: a.exp()),
    Row("log", lambda a: a.log(), np.log, ((3, 4),), lambda a: a.log(), (positive,)),
    Row("sqrt", lambda a: a.sqrt(), np.sqrt, ((3, 4),), lambda a: a.sqrt(), (positive,)),
    Row("tanh", lambda a: a.tanh(), np.tanh, ((3, 4),), lambda a: a.tanh()),
    Row("sigmoid", lambda a: a.sigmoid(), _sigmoid, ((3, 4),), lambda a: a.sigmoid()),
    Row(
        "relu", lambda a: a.relu(), lambda a: np.where(a > 0, a, 0.0), ((3, 4),), lambda a: a.relu()
    ),
    Row(
        "leaky_relu",
        lambda a: a.leaky_relu(0.1),
        lambda a: np.where(a > 0, a, 0.1 * a),
        ((3, 4),),
        lambda a: _tf("leaky_relu")(a, 0.1),
    ),
    Row(
        "elu",
        lambda a: a.elu(0.7),
        lambda a: np.where(a > 0, a, 0.7 * (np.exp(a) - 1)),
        ((3, 4),),
        lambda a: _tf("elu")(a, 0.7),
    ),
    Row(
        "softplus",
        lambda a: a.softplus(),
        lambda a: np.log1p(np.exp(a)),
        ((3, 4),),
        lambda a: _tf("softplus")(a),
    ),
    Row(
        "clip",
        lambda a: a.clip(-0.5, 1.0),
        lambda a: np.clip(a, -0.5, 1.0),
        ((3, 4),),
        lambda a: a.clamp(-0.5, 1.0),
    ),
    Row(
        "clip_low",
        lambda a: a.clip(min=0.3),
        lambda a: np.maximum(a, 0.3),
        ((3, 4),),
        lambda a: a.clamp(min=0.3),
    ),
    Row(
        "astype",
        lambda a: a.double().astype(a.dtype) * 2,
        lambda a: a * 2,
        ((4,),),
        lambda a: a.double().to(a.dtype) * 2,
    ),
    # ---- reductions
    Row("sum_all", lambda a: a.sum(), np.sum, ((3, 4),), lambda a: a.sum()),
    Row(
        "sum_axis0",
        lambda a: a.sum(axis=0),
        lambda a: a.sum(axis=0),
        ((3, 4),),
        lambda a: a.sum(dim=0),
    ),
    Row(
        "sum_axes_keep",
        lambda a: a.sum(axis=(0, 2), keepdims=True),
        lambda a: a.sum(axis=(0, 2), keepdims=True),
        ((2, 3, 4),),
        lambda a: a.sum(dim=(0, 2), keepdim=True),
    ),
    Row(
        "sum_neg_axis",
        lambda a: a.sum(axis=-1),
        lambda a: a.sum(axis=-1),
        ((2, 3, 4),),
        lambda a: a.sum(dim=-1),
    ),
    Row("mean_all", lambda a: a.mean(), np.mean, ((3, 4),), lambda a: a.mean()),
    Row(
        "mean_axis1",
        lambda a: a.mean(axis=1, keepdims=True),
        lambda a: a.mean(axis=1, keepdims=True),
        ((3, 4),),
        lambda a: a.mean(dim=1, keepdim=True),
    ),
    Row("max_all", lambda a: a.max(), np.max, ((3, 4),), lambda a: a.amax()),
    Row(
        "max_axis1",
        lambda a: a.amax(axis=1),
        lambda a: a.max(axis=1),
        ((3, 4),),
        lambda a: a.amax(dim=1),
    ),
    Row(
        "min_axis0_keep",
        lambda a: a.amin(axis=0, keepdims=True),
        lambda a: a.min(axis=0, keepdims=True),
        ((3, 4),),
        lambda a: a.amin(dim=0, keepdim=True),
    ),
    Row(
        "softmax_last",
        lambda a: a.softmax(),
        lambda a: _softmax(a, -1),
        ((3, 4),),
        lambda a: a.softmax(dim=-1),
    ),
    Row(
        "softmax_axis0",
        lambda a: a.softmax(axis=0),
        lambda a: _softmax(a, 0),
        ((3, 4),),
        lambda a: a.softmax(dim=0),
    ),
    Row(
        "log_softmax",
        lambda a: a.log_softmax(axis=1),
        lambda a: np.log(_softmax(a, 1)),
        ((3, 4),),
        lambda a: a.log_softmax(dim=1),
    ),
    Row(
        "log_softmax_3d",
        lambda a: a.log_softmax(axis=1),
        lambda a: np.log(_softmax(a, 1)),
        ((2, 3, 2),),
        lambda a: a.log_softmax(dim=1),
    ),
    Row(
        "logsumexp",
        lambda a: a.logsumexp(axis=1),
        lambda a: np.log(np.exp(a).sum(axis=1)),
        ((3, 4),),
        lambda a: a.logsumexp(dim=1),
    ),
    # ---- shape
    Row(
        "reshape",
        lambda a: a.reshape(4, -1) * 1.5,
        lambda a: a.reshape(4, -1) * 1.5,
        ((2, 3, 2),),
        lambda a: a.reshape(4, -1) * 1.5,
    ),
    Row(
        "view_tuple",
        lambda a: a.view((6,)),
        lambda a: a.reshape(6),
        ((2, 3),),
        lambda a: a.reshape(6),
    ),
    Row(
        "transpose",
        lambda a: a.transpose(0, 2),
        lambda a: a.swapaxes(0, 2),
        ((2, 3, 4),),
        lambda a: a.transpose(0, 2),
    ),
    Row("T", lambda a: a.T, lambda a: a.T, ((3, 4),), lambda a: a.T),
    Row(
        "permute",
        lambda a: a.permute(2, 0, 1),
        lambda a: a.transpose(2, 0, 1),
        ((2, 3, 4),),
        lambda a: a.permute(2, 0, 1),
    ),
    Row(
        "flatten",
        lambda a: a.flatten(1),
        lambda a: a.reshape(2, -1),
        ((2, 3, 4),),
        lambda a: a.flatten(1),
    ),
    Row(
        "squeeze",
        lambda a: a.squeeze(1),
        lambda a: a.squeeze(1),
        ((3, 1, 2),),
        lambda a: a.squeeze(1),
    ),
    Row(
        "unsqueeze",
        lambda a: a.unsqueeze(-1),
        lambda a: a[..., None],
        ((3, 2),),
        lambda a: a.unsqueeze(-1),
    ),
    Row(
        "getitem_slice", lambda a: a[1:, ::2], lambda a: a[1:, ::2], ((3, 4),), lambda a: a[1:, ::2]
    ),
    Row("getitem_int", lambda a: a[1], lambda a: a[1], ((3, 4),), lambda a: a[1]),
    Row("getitem_reverse", lambda a: a[::-1], lambda a: a[::-1], ((4,),), lambda a: a.flip(0)),
    Row(
        "getitem_newaxis",
        lambda a: a[None, :, 1:3],
        lambda a: a[None, :, 1:3],
        ((3, 4),),
        lambda a: a[None, :, 1:3],
    ),
    Row(
        "getitem_repeated",
        lambda a: a[IDX],
        lambda a: a[IDX],
        ((3, 4),),
        lambda a: a[_torch("as_tensor")(IDX)],
    ),
    Row(
        "getitem_pairs",
        lambda a: a[IDX[:3], np.array([0, 3, 0])],
        lambda a: a[IDX[:3], np.array([0, 3, 0])],
        ((3, 4),),
        lambda a: a[_torch("as_tensor")(IDX[:3]), _torch("as_tensor")(np.array([0, 3, 0]))],
    ),
    Row(
        "getitem_mask",
        lambda a: a[MASK],
        lambda a: a[MASK],
        ((3, 4),),
        lambda a: a[_torch("as_tensor")(MASK)],
    ),
    Row(
        "getitem_tensor_index",
        lambda a: a[Tensor(np.array([1, 1]))],
        lambda a: a[[1, 1]],
        ((3, 2),),
        lambda a: a[[1, 1]],
    ),
    Row(
        "concatenate",
        lambda a, b: ag.concatenate([a, b, a], axis=1),
        lambda a, b: np.concatenate([a, b, a], axis=1),
        ((2, 3), (2, 1)),
        lambda a, b: _torch("cat")([a, b, a], dim=1),
    ),
    Row(
        "stack",
        lambda a, b: ag.stack([a, b], axis=-1),
        lambda a, b: np.stack([a, b], axis=-1),
        ((2, 3), (2, 3)),
        lambda a, b: _torch("stack")([a, b], dim=-1),
    ),
    # ---- linear algebra
    Row("matmul", lambda a, b: a @ b, np.matmul, ((3, 4), (4, 2)), lambda a, b: a @ b),
    Row("matmul_method", lambda a, b: a.matmul(b), np.matmul, ((2, 3), (3, 2)), lambda a, b: a @ b),
    Row("matmul_fn", ag.matmul, np.matmul, ((2, 3), (3, 1)), lambda a, b: a @ b),
    Row(
        "matmul_batched", lambda a, b: a @ b, np.matmul, ((2, 3, 4), (2, 4, 2)), lambda a, b: a @ b
    ),
    Row("matmul_broadcast", lambda a, b: a @ b, np.matmul, ((2, 3, 4), (4, 2)), lambda a, b: a @ b),
    Row(
        "matmul_batch_broadcast",
        lambda a, b: a @ b,
        np.matmul,
        ((1, 3, 4), (2, 4, 2)),
        lambda a, b: a @ b,
    ),
    Row("matmul_vec_left", lambda a, b: a @ b, np.matmul, ((4,), (4, 3)), lambda a, b: a @ b),
    Row("matmul_vec_right", lambda a, b: a @ b, np.matmul, ((3, 4), (4,)), lambda a, b: a @ b),
    Row("matmul_dot", lambda a, b: a @ b, np.matmul, ((4,), (4,)), lambda a, b: a @ b),
    Row(
        "linear",
        F.linear,
        lambda x, w, b: x @ w.T + b,
        ((5, 4), (3, 4), (3,)),
        lambda x, w, b: _tf("linear")(x, w, b),
    ),
    Row(
        "linear_nobias",
        F.linear,
        lambda x, w: x @ w.T,
        ((2, 5, 4), (3, 4)),
        lambda x, w: _tf("linear")(x, w),
    ),
    Row(
        "linear_vector",
        F.linear,
        lambda x, w, b: x @ w.T + b,
        ((4,), (3, 4), (3,)),
        lambda x, w, b: _tf("linear")(x, w, b),
    ),
]

BROADCAST_SHAPES = [
    ((3, 4), (4,)),
    ((3, 1), (1, 4)),
    ((2, 3, 4), (3, 1)),
    ((), (3,)),
    ((4,), (2, 3, 4)),
    ((2, 1, 4), (1, 3, 1)),
]
BINARY = {
    "add": (lambda a, b: a + b, np.add, None),
    "sub": (lambda a, b: a - b, np.subtract, None),
    "mul": (lambda a, b: a * b, np.multiply, None),
    "div": (lambda a, b: a / b, np.divide, positive),
    "pow": (lambda a, b: a**b, np.power, positive),
    "maximum": (ag.maximum, np.maximum, None),
}

ids = [row.name for row in ROWS]


def leaves(arrays: list[np.ndarray], dtype: Any = np.float64) -> list[Tensor]:
    return [Tensor(a, dtype=dtype, requires_grad=True) for a in arrays]


@pytest.mark.parametrize("row", ROWS, ids=ids)
def test_forward_matches_numpy_in_float64(row: Row) -> None:
    arrays = row.inputs()
    out = row.fn(*leaves(arrays))
    assert isinstance(out, Tensor)
    expected = np.asarray(row.ref(*arrays))
    assert out.shape == expected.shape
    assert out.dtype == np.float64
    np.testing.assert_allclose(out.numpy(), expected, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("row", ROWS, ids=ids)
def test_forward_keeps_float32(row: Row) -> None:
    arrays = row.inputs()
    out = row.fn(*leaves(arrays, np.float32))
    assert out.dtype == np.float32, f"{row.name} turned float32 into {out.dtype}"
    np.testing.assert_allclose(out.numpy(), row.ref(*arrays), rtol=2e-5, atol=2e-5)


@pytest.mark.parametrize("row", ROWS, ids=ids)
def test_float32_gradients_stay_float32(row: Row) -> None:
    inputs = leaves(row.inputs(), np.float32)
    out = row.fn(*inputs)
    out.backward(np.ones(out.shape))
    for x in inputs:
        assert x.grad is not None and x.grad.dtype == np.float32 and x.grad.shape == x.shape


@pytest.mark.parametrize("row", ROWS, ids=ids)
def test_gradcheck_every_element(row: Row) -> None:
    assert gradcheck(row.fn, *leaves(row.inputs()))


@pytest.mark.parametrize("row", [r for r in ROWS if r.twin is not None], ids=lambda r: r.name)
def test_matches_torch_forward_and_every_gradient(row: Row) -> None:
    torch = pytest.importorskip("torch")
    arrays = row.inputs(seed=1)
    ours = leaves(arrays)
    theirs = [torch.tensor(a, dtype=torch.float64, requires_grad=True) for a in arrays]
    out, out_t = row.fn(*ours), row.twin(*theirs)
    np.testing.assert_allclose(out.numpy(), out_t.detach().numpy(), rtol=1e-12, atol=1e-12)
    upstream = np.random.default_rng(2).standard_normal(out.shape)
    out.backward(upstream)
    out_t.backward(torch.tensor(upstream))
    for i, (x, x_t) in enumerate(zip(ours, theirs, strict=True)):
        np.testing.assert_allclose(
            x.grad, x_t.grad.numpy(), rtol=1e-10, atol=1e-12, err_msg=f"{row.name} input {i}"
        )


@pytest.mark.parametrize("shapes", BROADCAST_SHAPES, ids=str)
@pytest.mark.parametrize("name", sorted(BINARY))
def test_broadcasting_forward_and_gradcheck(name: str, shapes: tuple) -> None:
    fn, ref, second = BINARY[name]
    rng = np.random.default_rng(3)
    a = (positive if name == "pow" else real)(rng, shapes[0])
    b = (second or real)(rng, shapes[1])
    out = fn(*leaves([a, b]))
    np.testing.assert_allclose(out.numpy(), ref(a, b), rtol=1e-12)
    assert gradcheck(fn, *leaves([a, b]))


@pytest.mark.parametrize("shapes", BROADCAST_SHAPES, ids=str)
def test_broadcasting_gradients_match_torch(shapes: tuple) -> None:
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(4)
    a, b = real(rng, shapes[0]), positive(rng, shapes[1])
    x, y = leaves([a, b])
    xt, yt = (torch.tensor(v, requires_grad=True) for v in (a, b))
    (x * y + x / y - y).sum().backward()
    (xt * yt + xt / yt - yt).sum().backward()
    np.testing.assert_allclose(x.grad, xt.grad.numpy(), rtol=1e-12)
    np.testing.assert_allclose(y.grad, yt.grad.numpy(), rtol=1e-12)


@pytest.mark.parametrize("name", sorted(BINARY))
def test_constants_on_either_side_are_not_parents(name: str) -> None:
    fn, ref, second = BINARY[name]
    rng = np.random.default_rng(5)
    a = positive(rng, (2, 3))
    c = (second or real)(rng, (3,))
    x = Tensor(a, requires_grad=True)
    left, right = fn(x, c), fn(c, x)
    assert len(left.parents) == 1 and left.parents[0] is x
    assert len(right.parents) == 1 and right.parents[0] is x
    np.testing.assert_allclose(left.numpy(), ref(a, c))
    assert gradcheck(lambda t: fn(t, c), Tensor(a, requires_grad=True))
    assert gradcheck(lambda t: fn(np.abs(c) + 0.5, t), Tensor(a, requires_grad=True))


def test_float32_with_float64_promotes_and_grads_keep_their_dtype() -> None:
    a = Tensor([1.0, 2.0], dtype="float32", requires_grad=True)
    b = Tensor([3.0, 4.0], dtype="float64", requires_grad=True)
    out = a * b
    assert out.dtype == np.float64
    out.sum().backward()
    assert a.grad.dtype == np.float32 and b.grad.dtype == np.float64
    np.testing.assert_array_equal(a.grad, [3.0, 4.0])


def test_numpy_scalars_act_like_python_numbers() -> None:
    x = Tensor([1.0, 2.0])
    assert (x * np.float64(2.0)).dtype == np.float32
    assert (np.float64(2.0) * x).dtype == np.float32
    assert (np.ones(2) + x).parents == ()


def test_large_input_random_direction_gradcheck() -> None:
    rng = np.random.default_rng(6)
    x = Tensor(rng.standard_normal((40, 30)), requires_grad=True)
    w = Tensor(rng.standard_normal((30, 5)), requires_grad=True)
    fn = lambda a, b: (a @ b).tanh().log_softmax(axis=1)  # noqa: E731
    assert gradcheck(fn, x, w, max_elements=100, directions=4)
