"""The ops added for PyTorch habits (sin cos tan, sign floor ceil round, clamp, where, pad, gather,
clone, t, mm, comparison methods) and the module-level functions, all against PyTorch.

Every case runs the same inputs through grafograd and torch, in float32 and float64, and compares
the values and the gradient of every input for one random upstream gradient; the differentiable
ones are also checked by central differences (`gradcheck`). Several cases follow tinygrad's
test_ops (rounding halves, clip bounds, pad modes with negative sizes, gather dims).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import autograd as ag
from autograd import Tensor, gradcheck

torch = pytest.importorskip("torch")
TF = torch.nn.functional

DTYPES = [np.float32, np.float64]
TOL = {np.float32: 2e-5, np.float64: 1e-12}


def _torch_dtype(dtype: Any) -> Any:
    return {np.float32: torch.float32, np.float64: torch.float64}[dtype]


def check(
    ours: Callable[..., Tensor],
    theirs: Callable[..., Any],
    arrays: list[np.ndarray],
    dtype: Any = np.float64,
    grad: bool = True,
    seed: int = 0,
) -> Tensor:
    """Run both sides on ``arrays`` (as ``dtype`` leaves); compare values, dtypes and gradients."""
    xs = [Tensor(a, dtype=dtype, requires_grad=grad) for a in arrays]
    ts = [torch.tensor(np.asarray(a, dtype=dtype), requires_grad=grad) for a in arrays]
    out, expected = ours(*xs), theirs(*ts)
    tol = TOL[dtype]
    assert out.shape == tuple(expected.shape)
    assert out.dtype == np.dtype(str(expected.dtype).removeprefix("torch."))
    np.testing.assert_allclose(out.numpy(), expected.detach().numpy(), rtol=tol, atol=tol)
    if grad:
        upstream = np.random.default_rng(seed).standard_normal(out.shape).astype(dtype)
        out.backward(upstream)
        expected.backward(torch.tensor(upstream))
        for x, t in zip(xs, ts, strict=True):
            want = np.zeros(t.shape, dtype) if t.grad is None else t.grad.numpy()
            assert x.grad is not None and x.grad.dtype == dtype
            np.testing.assert_allclose(x.grad, want, rtol=tol, atol=tol)
    return out


def randn(*shape: int, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).standard_normal(shape)


# ---- unary ops: sin cos tan sign floor ceil round clone ------------------------------------------

UNARY = {
    "sin": (lambda x: x.sin(), lambda x: x.sin()),
    "cos": (lambda x: x.cos(), lambda x: x.cos()),
    "tan": (lambda x: x.tan(), lambda x: x.tan()),
    "sign": (lambda x: x.sign(), lambda x: x.sign()),
    "floor": (lambda x: x.floor(), lambda x: x.floor()),
    "ceil": (lambda x: x.ceil(), lambda x: x.ceil()),
    "round": (lambda x: x.round(), lambda x: x.round()),
    "round_2": (lambda x: x.round(decimals=2), lambda x: x.round(decimals=2)),
    "round_-1": (lambda x: x.round(-1) * 1, lambda x: x.round(decimals=-1)),
    "clone": (lambda x: x.clone() * 3, lambda x: x.clone() * 3),
    "fn_sin": (ag.sin, torch.sin),
    "fn_cos": (ag.cos, torch.cos),
    "fn_tan": (ag.tan, torch.tan),
    "fn_sign": (ag.sign, torch.sign),
    "fn_floor": (ag.floor, torch.floor),
    "fn_ceil": (ag.ceil, torch.ceil),
    "fn_round": (ag.round, torch.round),
    "fn_clone": (ag.clone, torch.clone),
}


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name", UNARY)
@pytest.mark.parametrize("shape", [(45, 65), (), (3, 1, 2)])
def test_unary_matches_torch(name: str, shape: tuple[int, ...], dtype: Any) -> None:
    ours, theirs = UNARY[name]
    x = randn(*shape) * (1.5 if "tan" in name else 30.0 if "round_-1" in name else 3.0)
    check(ours, theirs, [x], dtype)


@pytest.mark.parametrize("name", ["sin", "cos", "tan", "clone"])
def test_unary_gradcheck(name: str) -> None:
    x = Tensor(randn(3, 4), dtype="float64", requires_grad=True)
    assert gradcheck(UNARY[name][0], x)


@pytest.mark.parametrize("name", ["sign", "floor", "ceil", "round", "round_2"])
def test_piecewise_constant_ops_have_zero_gradient_as_torch(name: str) -> None:
    x = Tensor(randn(4, 3), dtype="float64", requires_grad=True)
    y = UNARY[name][0](x)
    assert y.requires_grad and y.op == name.split("_")[0]
    (y * 5.0).sum().backward()
    np.testing.assert_array_equal(x.grad, np.zeros((4, 3)))


SPECIAL = [math.nan, math.inf, -math.inf, 0.0, -0.0]
LARGE = [1e1, 1e2, 1e3, 1e4, 1e5, 1e6, -1e1, -1e2, -1e3, -1e4, -1e5, -1e6]
HALVES = [1.499, 1.5, 1.501, 1.0, 2.1, 0.0, -5.0, -2.499, -2.5, -2.501, 2.5, -1.5, 0.5, -0.5]


@pytest.mark.parametrize("name", ["sin", "cos", "tan", "sign", "floor", "ceil", "round"])
@pytest.mark.parametrize("values", [SPECIAL, LARGE, HALVES], ids=["special", "large", "halves"])
def test_unary_special_values_as_torch(name: str, values: list[float]) -> None:
    ours, theirs = UNARY[name]
    for dtype in DTYPES:
        out = ours(Tensor(np.array(values), dtype=dtype)).numpy()
        expected = theirs(torch.tensor(values, dtype=_torch_dtype(dtype))).numpy()
        # float32 sin of 1e6 differs in the last bits between libms
        np.testing.assert_allclose(
            out, expected, rtol=3e-6, atol=3e-6 if dtype == np.float32 else 0
        )
        if name == "sign":  # torch's sign is 0 (not -0.0, not nan) at -0.0 and nan
            np.testing.assert_array_equal(np.signbit(out), np.signbit(expected))


def test_round_quantization_gradient_as_torch() -> None:
    # tinygrad's straight-through check: x + 0.125 (round(x) - x) has gradient 1 - 0.125
    values = [[-1.2, -0.7, -0.2, 0.2, 0.7, 1.2]]
    check(lambda x: x + 0.125 * (x.round() - x), lambda x: x + 0.125 * (x.round() - x), values)


@pytest.mark.parametrize("name", ["sin", "cos", "tan", "sign", "floor", "ceil", "round", "clone"])
@pytest.mark.parametrize("dtype", ["int64", "int32"])
def test_unary_on_integer_tensors_gives_torch_dtypes(name: str, dtype: str) -> None:
    values = np.array([-3, 0, 2, 7], dtype=dtype)
    out = UNARY[name][0](Tensor(values))
    expected = UNARY[name][1](torch.tensor(values))
    assert out.dtype == np.dtype(str(expected.dtype).removeprefix("torch."))
    np.testing.assert_allclose(out.numpy(), expected.numpy(), rtol=1e-6)


def test_sign_of_bool_is_bool_and_floor_of_bool_is_refused_as_in_torch() -> None:
    mask = np.array([True, False])
    assert ag.sign(Tensor(mask)).tolist() == torch.sign(torch.tensor(mask)).tolist()
    with pytest.raises(NotImplementedError):
        torch.floor(torch.tensor(mask))
    for name in ["floor", "ceil", "round"]:
        with pytest.raises(TypeError, match=f"{name}: not defined for bool"):
            getattr(Tensor(mask), name)()


def test_round_refuses_a_float_decimals() -> None:
    with pytest.raises(TypeError, match="round: decimals must be an int; got float"):
        Tensor([1.25]).round(1.5)


def test_detach_function_leaves_the_graph_as_torch() -> None:
    x = Tensor([1.0, 2.0], requires_grad=True)
    y = ag.detach(x * 2)
    assert not y.requires_grad and y.is_leaf
    assert y.tolist() == torch.detach(torch.tensor([1.0, 2.0], requires_grad=True) * 2).tolist()


def test_clone_is_a_copy_in_the_graph() -> None:
    x = Tensor([1.0, 2.0], requires_grad=True)
    y = x.clone()
    assert y.op == "clone" and y.parents == (x,)
    assert not np.shares_memory(y.numpy(), x.numpy())
    (y * y).sum().backward()
    np.testing.assert_array_equal(x.grad, [2.0, 4.0])


# ---- clamp / clip ----------------------------------------------------------------------------

CLAMPS = [(-2.3, 1.2), (0, 0), (10, 100), (0, 0.1), (-0.3, -0.2), (3, 0), (None, 0), (0, None)]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("bounds", CLAMPS, ids=str)
def test_clamp_matches_torch(bounds: tuple, dtype: Any) -> None:
    low, high = bounds
    x = [randn(45, 65)]
    check(lambda t: t.clamp(low, high), lambda t: t.clamp(low, high), x, dtype)
    check(lambda t: t.clamp(min=low, max=high), lambda t: t.clamp(min=low, max=high), x, dtype)
    check(lambda t: ag.clamp(t, min=low, max=high), lambda t: torch.clamp(t, low, high), x, dtype)
    check(lambda t: ag.clip(t, low, high), lambda t: torch.clip(t, min=low, max=high), x, dtype)


def test_clamp_gradient_is_one_at_the_bounds_as_torch() -> None:
    values = [[-3.0, -2.5, 0.0, 1.5, 2.0]]
    check(lambda t: t.clamp(-2.5, 1.5), lambda t: t.clamp(-2.5, 1.5), values)


def test_clamp_keeps_integer_tensors_integer_as_torch() -> None:
    out = ag.clamp(Tensor(np.arange(-3, 4)), min=-1, max=2)
    expected = torch.clamp(torch.arange(-3, 4), min=-1, max=2)
    assert out.dtype == np.int64 and out.tolist() == expected.tolist()


def test_clamp_errors_name_the_op() -> None:
    x = Tensor([1.0, 2.0])
    with pytest.raises(RuntimeError):
        torch.clamp(torch.tensor([1.0]))
    with pytest.raises(ValueError, match="clamp: no bound given"):
        x.clamp()
    with pytest.raises(ValueError, match="clip: no bound given"):
        ag.clip(x)
    with pytest.raises(
        TypeError,
        match=r"clamp: min must be a number or None; got a Tensor.*"
        r"autograd.maximum",
    ):
        x.clamp(min=Tensor([0.0, 1.0]))
    with pytest.raises(TypeError, match="clamp: max must be a number or None; got str"):
        x.clamp(max="1")


# ---- where -----------------------------------------------------------------------------------

WHERE_SHAPES = [
    ((8,), (1,), (1,)),
    ((10, 10), (10,), (10,)),
    ((100,), (100,), (100,)),
    ((10, 10), (10, 10), (10, 10)),
    ((3, 1, 4), (2, 4), ()),
    ((4,), (3, 1), (1, 4)),
]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shapes", WHERE_SHAPES, ids=str)
def test_where_broadcasts_and_routes_gradients_as_torch(shapes: tuple, dtype: Any) -> None:
    c = randn(*shapes[0], seed=3) > 0
    arrays = [randn(*shapes[1], seed=1), randn(*shapes[2], seed=2)]
    tc = torch.tensor(c)
    check(lambda a, b: ag.where(Tensor(c), a, b), lambda a, b: torch.where(tc, a, b), arrays, dtype)
    check(lambda a, b: a.where(c, b), lambda a, b: a.where(tc, b), arrays, dtype)


def test_where_gradcheck() -> None:
    a = Tensor(randn(3, 4), dtype="float64", requires_grad=True)
    b = Tensor(randn(4), dtype="float64", requires_grad=True)
    c = Tensor(randn(3, 1) > 0)
    assert gradcheck(lambda a, b: ag.where(c, a * b, b.exp()), a, b)


def test_where_with_numbers_gives_torch_values_and_dtypes() -> None:
    x = np.random.default_rng(0).uniform(0, 1, 100).astype(np.float32)
    cases = [
        (lambda m: ag.where(m, 4.0, 2.0), lambda m: torch.where(m, 4.0, 2.0)),
        (lambda m: ag.where(m, 4, 2), lambda m: torch.where(m, 4, 2)),
        (lambda m: ag.where(m, Tensor(x), 0.0), lambda m: torch.where(m, torch.tensor(x), 0.0)),
        (lambda m: ag.where(m, 1.5, Tensor(x)), lambda m: torch.where(m, 1.5, torch.tensor(x))),
    ]
    for ours, theirs in cases:
        out, expected = ours(Tensor(x > 0.5)), theirs(torch.tensor(x > 0.5))
        assert out.dtype == np.dtype(str(expected.dtype).removeprefix("torch."))
        np.testing.assert_array_equal(out.numpy(), expected.numpy())


def test_where_gradient_to_a_tensor_beside_a_number() -> None:
    c = np.array([True, False, True])
    check(lambda a: ag.where(c, a, 0.0), lambda a: torch.where(torch.tensor(c), a, 0.0), [randn(3)])
    check(
        lambda a: ag.where(c, -1.0, a),
        lambda a: torch.where(torch.tensor(c), -1.0, a),
        [randn(2, 3)],
        np.float32,
    )


def test_where_of_the_condition_alone_gives_indices_as_torch() -> None:
    c = randn(3, 4) > 0
    ours, theirs = ag.where(Tensor(c)), torch.where(torch.tensor(c))
    assert len(ours) == len(theirs) == 2
    for o, t in zip(ours, theirs, strict=True):
        assert o.dtype == np.int64 and o.tolist() == t.tolist()


def test_where_errors_name_the_op() -> None:
    x = Tensor([1.0, 2.0, 3.0])
    with pytest.raises(RuntimeError, match="boolean"):
        torch.where(torch.tensor([1.0, 0.0, 1.0]), torch.ones(3), 0.0)
    with pytest.raises(TypeError, match="where: condition must hold booleans; got dtype float32"):
        ag.where(Tensor([1.0, 0.0, 1.0]), x, 0.0)
    with pytest.raises(TypeError, match="where: condition must be a bool Tensor or array"):
        ag.where("yes", x, 0.0)
    with pytest.raises(ValueError, match=r"where: shapes \(2,\), \(3,\) and \(\) cannot be"):
        ag.where(np.array([True, False]), x, 0.0)
    with pytest.raises(TypeError, match="where: give both input and other"):
        ag.where(x > 1, x)
    with pytest.raises(TypeError, match="where: unsupported operand; got str"):
        x.where(x > 1, "0")


# ---- pad -------------------------------------------------------------------------------------

CONSTANT_PADS = [
    ((3, 3, 3, 3), (1, 2, 3, 4), None),
    ((3, 3, 3, 3), (-1, 2, -3, 4), None),
    ((3, 3, 3, 3), (1, 2, 3, 4), 5.0),
    ((3, 3, 3, 3), (-1, 2, -3, 4), 5.0),
    ((3, 3, 3, 3), (1, 2, 3, 4), math.inf),
    ((3, 3, 3, 3), (-1, 2, -3, 4), -math.inf),
    ((3, 3), (1, 2, 3, 4), None),
    ((3, 3), (0, 0, 3, 4), 1.0),
    ((3, 3), (0, 0, 0, 0), 1.0),
    ((2, 3, 4), (1, 1, 0, 2, 2, 0), -0.5),
    ((4,), (-4, 2), None),
    ((1, 2), (0, 1, 1, 0), None),
    ((), (), 3.0),
]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("case", CONSTANT_PADS, ids=str)
def test_constant_pad_matches_torch(case: tuple, dtype: Any) -> None:
    shape, pad, value = case
    x = [randn(*shape)]
    kw = {} if value is None else {"value": value}
    check(lambda t: t.pad(pad, **kw), lambda t: TF.pad(t, pad, **kw), x, dtype)
    check(
        lambda t: ag.pad(t, pad, "constant", value),
        lambda t: TF.pad(t, pad, "constant", value),
        x,
        dtype,
    )


MODE_PADS = [
    ((1, 1, 5, 5), (0, 2, 3, 2)),
    ((5, 5, 5), (0, 2)),
    ((1, 1, 5, 5, 5), (1, 2, 3, 4, 1, 2)),
    ((3, 3, 3, 3), (-1, 2, 2, -1)),
    ((1, 1, 5, 5), (3, -3, 0, -3)),
    ((1, 1, 5, 5), (3, -5, 1, -5)),
    ((1, 1, 5, 5), (0, 0, 0, -5)),
    ((1, 1, 5, 5), (4, 4, 0, 4)),
    ((2, 3), (2, 1)),
    ((2, 3, 4, 5), (1, 1, 2, 0, 1, 3)),
]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("mode", ["reflect", "replicate", "circular"])
@pytest.mark.parametrize("case", MODE_PADS, ids=str)
def test_pad_modes_match_torch(case: tuple, mode: str, dtype: Any) -> None:
    shape, pad = case
    # circular (3, -3) and (3, -5) on a dim of 5 wrap 3 around a crop of 2 or 0: torch returns
    # uninitialised memory there, we refuse
    refused = mode == "circular" and pad in [(3, -3, 0, -3), (3, -5, 1, -5)]
    try:
        TF.pad(torch.zeros(shape), pad, mode=mode)
    except (RuntimeError, ValueError, NotImplementedError):
        refused = True
    x = [randn(*shape)]
    if refused:
        with pytest.raises(ValueError, match=f"pad: mode {mode!r}"):
            Tensor(x[0]).pad(pad, mode=mode)
        return
    check(lambda t: t.pad(pad, mode=mode), lambda t: TF.pad(t, pad, mode=mode), x, dtype)


def test_replicate_has_no_size_limit_as_torch() -> None:
    pad = (3, 11, 0, 30)
    check(
        lambda t: t.pad(pad, mode="replicate"),
        lambda t: TF.pad(t, pad, mode="replicate"),
        [randn(1, 1, 5, 5)],
    )


def test_circular_with_crop_as_torch() -> None:
    pad = (1, -2, 2, -1)
    check(
        lambda t: t.pad(pad, mode="circular"),
        lambda t: TF.pad(t, pad, mode="circular"),
        [randn(1, 1, 5, 5)],
    )


@pytest.mark.parametrize("mode", ["constant", "reflect", "replicate", "circular"])
def test_pad_gradcheck(mode: str) -> None:
    x = Tensor(randn(2, 3, 4), dtype="float64", requires_grad=True)
    assert gradcheck(lambda t: t.pad((2, 3, -1, 2), mode=mode) * t.sum(), x)


PAD_SLICES = [
    ((1,), (1, 0), 0),
    ((4,), (1, 0), 0),
    ((4,), (3, 0), slice(0, 1)),
    ((4,), (0, 3), 6),
    ((4,), (0, 3), slice(4, 6)),
]


@pytest.mark.parametrize("value", [0.0, 3.456])
@pytest.mark.parametrize("case", PAD_SLICES, ids=str)
def test_pad_then_slice_as_torch(case: tuple, value: float) -> None:
    shape, pad, key = case
    check(
        lambda t: t.pad(pad, value=value)[key],
        lambda t: TF.pad(t, pad, value=value)[key],
        [randn(*shape)],
    )


def test_pad_keeps_integer_tensors_integer_as_torch() -> None:
    out = Tensor(np.array([1, 2], dtype=np.int64)).pad((1, 1), value=7)
    expected = TF.pad(torch.tensor([1, 2]), (1, 1), value=7)
    assert out.dtype == np.int64 and out.tolist() == expected.tolist()


PAD_ERRORS = [
    ((3, 3), (2, 0, 2), {}, "pad: pad must hold .before, after. pairs; got 3 sizes"),
    ((3, 3), (0, 0, 0, 0, 1, 0), {}, "pad: too many sizes for the input; got 6 sizes"),
    ((3, 3, 3), (3, 0), {"mode": "typo"}, "pad: unknown mode; got 'typo'"),
    ((1, 1, 5, 5), (3, 5, 0, 0), {"mode": "reflect"}, "pad: mode 'reflect' cannot pad dim 3"),
    ((1, 1, 5, 5), (3, 6, 0, 0), {"mode": "circular"}, "pad: mode 'circular' cannot pad dim 3"),
    ((2, 3, 4), (1, 1), {"mode": "reflect", "value": 2.0}, "pad: mode 'reflect' takes no value"),
    ((4,), (1, 1), {"mode": "reflect"}, "pad: mode 'reflect' pads the last 1, 2 or 3 dims"),
    ((2, 2, 2, 2), (1, 1), {"mode": "replicate"}, "pad: mode 'replicate' pads the last 1, 2"),
    ((2, 3, 4), (-3, -2), {}, r"pad: negative sizes crop more than the dim holds; got \(-3, -2\)"),
]


@pytest.mark.parametrize("case", PAD_ERRORS, ids=lambda c: c[3][:40])
def test_pad_errors_where_torch_raises(case: tuple) -> None:
    shape, pad, kw, message = case
    with pytest.raises((RuntimeError, NotImplementedError)):
        TF.pad(torch.zeros(shape), pad, **kw)
    with pytest.raises(ValueError, match=message):
        Tensor(np.zeros(shape)).pad(pad, **kw)


def test_pad_refuses_float_sizes_as_torch() -> None:
    with pytest.raises(TypeError):
        TF.pad(torch.zeros(2, 3), (1.5, 1))
    with pytest.raises(TypeError, match="pad: pad must be a tuple of ints; got tuple"):
        ag.pad(Tensor(np.zeros((2, 3))), (1.5, 1))


# ---- gather ----------------------------------------------------------------------------------

GATHER_INDEX = np.random.default_rng(7).integers(0, 3, size=(3, 4, 5))


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("dim", [0, 1, 2, -1, -2, -3])
@pytest.mark.parametrize("shape", [(4, 5, 6), (3, 4, 5)])
def test_gather_matches_torch(shape: tuple, dim: int, dtype: Any) -> None:
    idx = GATHER_INDEX
    ti = torch.tensor(idx)
    check(lambda x: x.gather(dim, Tensor(idx)), lambda x: x.gather(dim, ti), [randn(*shape)], dtype)
    check(
        lambda x: ag.gather(x, dim=dim, index=idx.astype(np.int32)),
        lambda x: torch.gather(x, dim=dim, index=ti),
        [randn(*shape)],
        dtype,
    )


def test_gather_repeated_indices_add_up_and_keep_infinities_as_torch() -> None:
    idx = np.array([2, 1, 0, 1, 2])
    for values in ([[1.0, 2.0, 3.0]], [[-math.inf, 2.0, 3.0]]):
        check(lambda x: x.gather(0, Tensor(idx)), lambda x: x.gather(0, torch.tensor(idx)), values)


def test_gather_picks_class_scores_as_in_a_loss() -> None:
    logits = randn(5, 4)
    target = np.array([[3], [0], [1], [1], [2]])
    check(
        lambda x: x.log_softmax(1).gather(1, Tensor(target)).mean(),
        lambda x: x.log_softmax(1).gather(1, torch.tensor(target)).mean(),
        [logits],
    )


def test_gather_of_a_0d_tensor_as_torch() -> None:
    check(
        lambda x: x.gather(0, Tensor(np.array(0))),
        lambda x: x.gather(0, torch.tensor(0)),
        [np.array(2.5)],
    )


def test_gather_gradcheck() -> None:
    x = Tensor(randn(4, 5, 6), dtype="float64", requires_grad=True)
    assert gradcheck(lambda t: t.gather(1, Tensor(GATHER_INDEX)) * 2.0, x)


GATHER_ERRORS = [
    ((4, 5, 6), 0, np.array([1]), ValueError, "gather: index must have as many dims as the input"),
    ((2, 1, 1), 0, GATHER_INDEX, ValueError, "gather: index is larger than the input outside dim"),
    ((3, 4), 1, np.array([[5]]), IndexError, "gather: index 5 is out of bounds for dim 1"),
    ((3, 4), 1, np.array([[-1]]), IndexError, "gather: index -1 is out of bounds for dim 1"),
]


@pytest.mark.parametrize("case", GATHER_ERRORS, ids=lambda c: c[4][:40])
def test_gather_errors_where_torch_raises(case: tuple) -> None:
    shape, dim, idx, error, message = case
    with pytest.raises(RuntimeError):
        torch.gather(torch.zeros(shape), dim, torch.tensor(idx))
    with pytest.raises(error, match=message):
        Tensor(np.zeros(shape)).gather(dim, Tensor(idx))


def test_gather_refuses_float_index_and_bad_dim() -> None:
    x = Tensor(np.zeros((3, 4)))
    with pytest.raises(RuntimeError):
        torch.gather(torch.zeros(3, 4), 1, torch.zeros(3, 1))
    with pytest.raises(
        TypeError, match="gather: index must be an integer .int64. tensor; got dtype float32"
    ):
        x.gather(1, Tensor([[0.0]]))
    with pytest.raises(
        TypeError, match="gather: index must be an integer .int64. tensor; got list"
    ):
        x.gather(1, [[0]])
    with pytest.raises(ValueError, match="gather: axis 2 is out of range"):
        x.gather(2, Tensor(np.zeros((3, 1), dtype=np.int64)))


# ---- t, mm -----------------------------------------------------------------------------------


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape", [(3, 4), (5,), (), (1, 3)])
def test_t_matches_torch(shape: tuple, dtype: Any) -> None:
    check(lambda x: x.t() * 2, lambda x: x.t() * 2, [randn(*shape)], dtype)
    check(lambda x: ag.t(x) * 2, lambda x: torch.t(x) * 2, [randn(*shape)], dtype)


def test_t_refuses_more_than_two_dims_as_torch() -> None:
    with pytest.raises(RuntimeError, match="t\\(\\) expects a tensor with <= 2 dimensions"):
        torch.zeros(2, 3, 4).t()
    with pytest.raises(
        RuntimeError,
        match=r"t: expects a tensor with <= 2 dims; got shape "
        r"\(2, 3, 4\).*transpose",
    ):
        Tensor(np.zeros((2, 3, 4))).t()


@pytest.mark.parametrize("dtype", DTYPES)
def test_mm_matches_torch(dtype: Any) -> None:
    arrays = [randn(3, 4), randn(4, 2, seed=1)]
    check(lambda a, b: a.mm(b), lambda a, b: a.mm(b), arrays, dtype)
    check(ag.mm, torch.mm, arrays, dtype)
    check(ag.matmul, torch.matmul, [randn(2, 3, 4), randn(4, 2, seed=1)], dtype)


@pytest.mark.parametrize("shapes", [((3,), (3, 2)), ((2, 3, 3), (3, 2)), ((2, 3), (3,))], ids=str)
def test_mm_refuses_non_matrices_as_torch(shapes: tuple) -> None:
    a, b = shapes
    with pytest.raises(RuntimeError, match="must be a matrix"):
        torch.mm(torch.zeros(a), torch.zeros(b))
    with pytest.raises(
        RuntimeError,
        match=r"mm: (self|mat2) must be a matrix; got \d dims, "
        "expected 2. Use matmul",
    ):
        ag.mm(Tensor(np.zeros(a)), Tensor(np.zeros(b)))


def test_mm_inner_size_error_names_the_op() -> None:
    with pytest.raises(ValueError, match="matmul: inner sizes differ"):
        Tensor(np.zeros((2, 3))).mm(Tensor(np.zeros((4, 2))))


# ---- comparison methods and functions --------------------------------------------------------

COMPARISONS = ["eq", "ne", "lt", "le", "gt", "ge"]
COMPARE_VALUES = [
    ([0.0, 1, 2], [2.0, 1, 0]),
    ([0, 1, 2], [2, 1, 0]),
    ([True, True, False], [False, True, False]),
    (randn(3, 4, 5), randn(3, 4, 5, seed=1)),
    (randn(3, 4, 5), randn(5, seed=1)),
    (randn(5), randn(3, 4, 5, seed=1)),
]
INF = [0.0, 1.0, -1.0, math.inf, -math.inf]


@pytest.mark.parametrize("name", COMPARISONS)
def test_comparisons_match_torch(name: str) -> None:
    pairs = COMPARE_VALUES + [([a], [b]) for a in INF for b in INF]
    for a, b in pairs:
        ta, tb = torch.tensor(np.asarray(a)), torch.tensor(np.asarray(b))
        expected = getattr(torch, name)(ta, tb).numpy()
        x, y = Tensor(np.asarray(a)), Tensor(np.asarray(b))
        for out in (getattr(x, name)(y), getattr(ag, name)(x, y), getattr(ag, name)(x, 2)):
            assert out.dtype == np.bool_ and not out.requires_grad
        np.testing.assert_array_equal(getattr(x, name)(y).numpy(), expected)
        np.testing.assert_array_equal(getattr(ag, name)(x, y).numpy(), expected)
        np.testing.assert_array_equal(getattr(x, name)(2).numpy(), getattr(ta, name)(2).numpy())


def test_comparison_as_a_mask_passes_gradients_as_torch() -> None:
    check(lambda t: (t * t.ne(0)).sum(), lambda t: (t * t.ne(0)).sum(), [randn(4)])
    check(lambda t: (t * t.lt(0)).sum(), lambda t: (t * t.lt(0)).sum(), [randn(4)])


def test_comparison_errors_name_the_op() -> None:
    with pytest.raises(ValueError, match=r"lt: shapes \(2,\) and \(3,\) cannot be broadcast"):
        Tensor([1.0, 2.0]).lt(Tensor([1.0, 2.0, 3.0]))
    with pytest.raises(TypeError, match="ge: unsupported operand; got str"):
        ag.ge(Tensor([1.0]), "1")


# ---- module-level functions: each equals its method and torch's function ---------------------

FUNCTIONS = [
    ("exp", (), {}),
    ("log", (), {}),
    ("sqrt", (), {}),
    ("abs", (), {}),
    ("neg", (), {}),
    ("tanh", (), {}),
    ("sigmoid", (), {}),
    ("relu", (), {}),
    ("sum", (), {}),
    ("sum", (1,), {}),
    ("mean", (), {}),
    ("mean", (0,), {}),
    ("max", (), {}),
    ("min", (), {}),
    ("softmax", (1,), {}),
    ("log_softmax", (-1,), {}),
    ("logsumexp", (1,), {}),
    ("reshape", ((4, 3),), {}),
    ("flatten", (), {}),
    ("transpose", (0, 1), {}),
    ("permute", ((1, 0),), {}),
    ("unsqueeze", (1,), {}),
    ("squeeze", (), {}),
    ("clamp", (), {"min": 0.2, "max": 0.9}),
    ("clip", (0.2,), {}),
    ("pow", (3,), {}),
]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("case", FUNCTIONS, ids=lambda c: f"{c[0]}{c[1]}")
def test_function_matches_torch(case: tuple, dtype: Any) -> None:
    name, args, kwargs = case
    x = np.random.default_rng(0).uniform(0.1, 2.0, (3, 4))
    check(
        lambda t: getattr(ag, name)(t, *args, **kwargs),
        lambda t: getattr(torch, name)(t, *args, **kwargs),
        [x],
        dtype,
    )


def test_functions_take_arrays_and_lists() -> None:
    x = np.random.default_rng(0).uniform(0.1, 2.0, (3, 4))
    for name in ["sin", "exp", "relu", "sum", "floor"]:
        out = getattr(ag, name)(x)
        assert isinstance(out, Tensor) and out.dtype == np.float64
        np.testing.assert_allclose(out.numpy(), getattr(torch, name)(torch.tensor(x)).numpy())
    assert ag.sum([1.0, 2.0, 3.0]).item() == 6.0 and ag.numel([[1, 2], [3, 4]]) == 4
    with pytest.raises(TypeError, match="sin: cannot convert the data; got str"):
        ag.sin("1.0")
    with pytest.raises(TypeError, match="exp: cannot build a Tensor from a Value"):
        ag.exp(ag.Value(1.0))


def test_max_and_min_of_two_tensors_are_elementwise_as_torch() -> None:
    arrays = [randn(3, 4), randn(4, seed=1)]
    check(ag.max, torch.max, arrays)
    check(ag.min, torch.min, arrays)
    check(lambda a, b: ag.max(a, other=b), lambda a, b: torch.max(a, other=b), arrays)
    check(ag.maximum, torch.maximum, arrays, np.float32)
    check(ag.minimum, torch.minimum, arrays, np.float32)


def test_pow_with_a_number_base_as_torch() -> None:
    check(lambda e: ag.pow(2.0, e), lambda e: torch.pow(2.0, e), [randn(3)])
    check(
        lambda b, e: ag.pow(b.abs() + 0.5, e),
        lambda b, e: torch.pow(b.abs() + 0.5, e),
        [randn(3), randn(3, seed=1)],
    )


def test_functions_are_exported() -> None:
    names = """sin cos tan exp log sqrt abs neg tanh sigmoid relu pow sum mean max min amax amin
    argmax argmin var std cumsum softmax log_softmax logsumexp reshape flatten transpose permute
    squeeze unsqueeze clamp clip where pad gather mm matmul maximum minimum floor ceil round sign
    all any clone detach t eq ne lt le gt ge numel""".split()
    builtins = {"abs", "all", "any", "max", "min", "pow", "round", "sum"}
    for name in names:
        assert callable(getattr(ag, name)), name
        assert (name in ag.__all__) is (name not in builtins), name
        assert hasattr(torch, name) or hasattr(TF, name), name  # the spelling is torch's


def test_star_import_leaves_the_builtins_alone() -> None:
    namespace: dict[str, Any] = {}
    exec("from autograd import *", namespace)
    assert "sin" in namespace and "where" in namespace
    assert not {"abs", "all", "any", "max", "min", "pow", "round", "sum"} & set(namespace)


@pytest.mark.parametrize("name", ["maximum", "minimum", "max", "min", "pow", "matmul"])
def test_function_constants_beside_a_tensor_stay_out_of_the_graph(name: str) -> None:
    x = Tensor(np.random.default_rng(0).uniform(0.5, 2.0, (3, 3)), requires_grad=True)
    c = np.full((3, 3), 1.5)
    for out in (getattr(ag, name)(x, c), getattr(ag, name)(c, x)):
        assert out.parents == (x,)


REDUCTIONS = [
    ("amax", (1,), {}),
    ("amax", (), {"dim": (0, 1), "keepdim": True}),
    ("amin", (-1,), {}),
    ("var", (), {}),
    ("var", (1,), {"unbiased": False}),
    ("std", (0,), {"keepdim": True}),
    ("cumsum", (1,), {}),
    ("cumsum", (), {"dim": -2}),
    ("sum", (), {"dim": 1, "keepdim": True}),
    ("logsumexp", (), {"dim": 0}),
    ("softmax", (), {"dim": 0}),
]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("case", REDUCTIONS, ids=lambda c: f"{c[0]}{c[1]}{c[2]}")
def test_reduction_functions_match_torch(case: tuple, dtype: Any) -> None:
    name, args, kwargs = case
    check(
        lambda t: getattr(ag, name)(t, *args, **kwargs),
        lambda t: getattr(torch, name)(t, *args, **kwargs),
        [randn(3, 4)],
        dtype,
    )


@pytest.mark.parametrize("name", ["argmax", "argmin", "all", "any"])
@pytest.mark.parametrize("kwargs", [{}, {"dim": 1}, {"dim": 0, "keepdim": True}], ids=str)
def test_index_and_bool_reductions_match_torch(name: str, kwargs: dict) -> None:
    x = randn(3, 4) if name.startswith("arg") else randn(3, 4) > -0.5
    out, expected = getattr(ag, name)(x, **kwargs), getattr(torch, name)(torch.tensor(x), **kwargs)
    assert out.dtype == np.dtype(str(expected.dtype).removeprefix("torch."))
    np.testing.assert_array_equal(out.numpy(), expected.numpy())


def test_max_over_a_dim_gives_values_and_indices_as_torch() -> None:
    x = randn(4, 5)
    values, indices = ag.max(Tensor(x), 1)
    expected = torch.max(torch.tensor(x), 1)
    np.testing.assert_array_equal(values.numpy(), expected.values.numpy())
    np.testing.assert_array_equal(indices.numpy(), expected.indices.numpy())
    check(lambda t: ag.min(t, 0, keepdim=True)[0], lambda t: torch.min(t, 0, keepdim=True)[0], [x])


def test_editing_the_condition_or_index_after_the_op_leaves_its_gradient_alone() -> None:
    x = Tensor([1.0, 2.0, 3.0], requires_grad=True)
    mask, index = Tensor(np.array([True, False, True])), Tensor(np.array([0, 0]))
    y = ag.where(mask, x, 0.0).sum() + x.gather(0, index).sum()
    mask[0], index[1] = False, 2
    y.backward()
    np.testing.assert_array_equal(x.grad, [3.0, 0.0, 1.0])
