"""Pooling options against PyTorch: padding, dilation, ceil_mode, return_indices, count_include_pad
and divisor_override on F.max_pool2d / F.avg_pool2d and the layers; values, indices, gradients,
errors. Cases include the facts of tinygrad's pooling tests (shapes and options), re-written."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

import autograd
import nn
from autograd import Tensor
from autograd.kernels import pool as pool_kernels
from nn import functional as F

torch = pytest.importorskip("torch")
TF = torch.nn.functional

DTYPES = [np.float32, np.float64]


def tol(dtype):
    return {"rtol": 1e-5, "atol": 1e-6} if dtype == np.float32 else {"rtol": 1e-12, "atol": 1e-12}


def ours_and_torch(op: str, x: np.ndarray, kwargs: dict, indices: bool = False):
    """Forward, indices and input gradient under a random upstream gradient, ours and torch's.

    Returns None when PyTorch refuses the arguments; then ours must refuse them too.
    """
    tx = torch.from_numpy(x.copy()).requires_grad_()
    try:
        ty = getattr(TF, op)(tx, **kwargs)
    except RuntimeError:
        with pytest.raises((ValueError, TypeError, RuntimeError), match=f"{op}:"):
            getattr(F, op)(Tensor(x.copy(), requires_grad=True), **kwargs)
        return None
    tindices = None
    if indices:
        ty, tindices = ty
    g = np.random.default_rng(7).standard_normal(tuple(ty.shape)).astype(x.dtype)
    ty.backward(torch.from_numpy(g))
    tx_ = Tensor(x.copy(), requires_grad=True)
    y = getattr(F, op)(tx_, **kwargs)
    yi = None
    if indices:
        y, yi = y
    y.backward(g)
    return (y, yi, tx_.grad), (ty.detach().numpy(), tindices, tx.grad.numpy())


def check(op: str, x: np.ndarray, **kwargs):
    max_pool = op == "max_pool2d"
    if max_pool:
        kwargs = {**kwargs, "return_indices": True}
    got = ours_and_torch(op, x, kwargs, indices=max_pool)
    if got is None:
        return False
    (y, yi, gx), (ty, tyi, tgx) = got
    assert y.shape == ty.shape and y.dtype == x.dtype
    if max_pool:
        np.testing.assert_array_equal(y.numpy(), ty)  # a maximum is exact
        np.testing.assert_array_equal(yi.numpy(), tyi.numpy())
        assert yi.dtype == np.int64 and not yi.requires_grad
    else:
        np.testing.assert_allclose(y.numpy(), ty, **tol(x.dtype))
    np.testing.assert_allclose(gx, tgx, **tol(x.dtype))
    return True


def rand(shape, dtype=np.float64, seed=0):
    return np.random.default_rng(seed).standard_normal(shape).astype(dtype)


# ---- every combination on random inputs ----------------------------------------------------------

SHAPES = [(2, 3, 7, 6), (1, 2, 4, 9)]
KERNELS = [2, 3, (3, 2)]
STRIDES = [None, 1, (2, 1)]
PADDINGS = [0, 1, (1, 0), (0, 1)]
WINDOWS = list(itertools.product(KERNELS, STRIDES, PADDINGS))


@pytest.mark.parametrize("ceil_mode", [False, True], ids=["floor", "ceil"])
@pytest.mark.parametrize("dilation", [1, 2, (1, 2)], ids=["d1", "d2", "d12"])
@pytest.mark.parametrize("shape", SHAPES, ids=["2x3x7x6", "1x2x4x9"])
def test_max_pool2d_matches_torch(shape, dilation, ceil_mode):
    x = rand(shape)
    ran = sum(
        check(
            "max_pool2d",
            x,
            kernel_size=k,
            stride=s,
            padding=p,
            dilation=dilation,
            ceil_mode=ceil_mode,
        )
        for k, s, p in WINDOWS
    )
    assert ran > 10  # most combinations are valid; the others were refused by both


@pytest.mark.parametrize("ceil_mode", [False, True], ids=["floor", "ceil"])
@pytest.mark.parametrize(
    "count_include_pad, divisor_override",
    [(True, None), (False, None), (False, 3), (True, -2)],
    ids=["with-pad", "without-pad", "divisor3", "divisor-2"],
)
@pytest.mark.parametrize("shape", SHAPES, ids=["2x3x7x6", "1x2x4x9"])
def test_avg_pool2d_matches_torch(shape, count_include_pad, divisor_override, ceil_mode):
    x = rand(shape, seed=1)
    ran = sum(
        check(
            "avg_pool2d",
            x,
            kernel_size=k,
            stride=s,
            padding=p,
            ceil_mode=ceil_mode,
            count_include_pad=count_include_pad,
            divisor_override=divisor_override,
        )
        for k, s, p in WINDOWS
    )
    assert ran > 10


@pytest.mark.parametrize("op", ["max_pool2d", "avg_pool2d"])
def test_float32_keeps_its_dtype_and_matches_torch(op):
    x = rand((2, 3, 7, 6), np.float32, seed=2)
    extra = {"dilation": 2} if op == "max_pool2d" else {"count_include_pad": False}
    for kernel, padding, ceil_mode in [(3, 1, True), ((3, 2), (1, 0), False), (2, 1, True)]:
        assert check(
            op, x, kernel_size=kernel, stride=2, padding=padding, ceil_mode=ceil_mode, **extra
        )


# ---- tinygrad's cases (facts re-written) --------------------------------------------------------


@pytest.mark.parametrize("kernel", [(3, 3), 2, (3, 2)])
@pytest.mark.parametrize("padding", [1, (1, 0), (0, 1)])
@pytest.mark.parametrize("op", ["max_pool2d", "avg_pool2d"])
def test_padding_on_a_wide_batch(op, kernel, padding):
    assert check(op, rand((4, 2, 11, 28)), kernel_size=kernel, padding=padding)


@pytest.mark.parametrize(
    "stride, dilation", [((2, 3), (3, 2)), ((3, 2), (2, 3)), (2, 2), (3, 3), (4, 6)]
)
def test_max_pool2d_bigger_stride_and_dilation(stride, dilation):
    assert check(
        "max_pool2d", rand((4, 2, 11, 28)), kernel_size=2, stride=stride, dilation=dilation
    )


@pytest.mark.parametrize("dilation", [(2, 3), (3, 2), 2, 3])
def test_max_pool2d_dilated_5x5(dilation):
    assert check("max_pool2d", rand((3, 2, 17, 14)), kernel_size=5, dilation=dilation)


@pytest.mark.parametrize("kernel", [(3, 3), (3, 2), 4])
@pytest.mark.parametrize("count_include_pad", [True, False])
def test_ceil_mode_with_padding(kernel, count_include_pad):
    x = rand((1, 1, 6, 6))
    assert check("max_pool2d", x, kernel_size=kernel, padding=1, stride=3, ceil_mode=True)
    assert check(
        "avg_pool2d",
        x,
        kernel_size=kernel,
        padding=1,
        stride=3,
        ceil_mode=True,
        count_include_pad=count_include_pad,
    )


@pytest.mark.parametrize("op", ["max_pool2d", "avg_pool2d"])
def test_ceil_mode_drops_a_window_that_would_start_in_the_padding(op):
    x = rand((1, 1, 5, 5))
    assert check(op, x, kernel_size=3, stride=3, padding=1, ceil_mode=True)
    y = getattr(F, op)(Tensor(x), 3, stride=3, padding=1, ceil_mode=True)
    y = y[0] if isinstance(y, tuple) else y
    assert y.shape == (1, 1, 2, 2)  # not 3x3: (5 + 2 - 3 + 2)//3 + 1 = 3, the last would start at 6


@pytest.mark.parametrize(
    "shape, kwargs",
    [
        ((2, 3, 6, 6), {"kernel_size": 2}),
        ((1, 1, 10, 10), {"kernel_size": (3, 2), "dilation": (2, 3)}),
        ((1, 1, 5, 5), {"kernel_size": 3, "padding": 1}),
        ((1, 1, 7, 7), {"kernel_size": 2, "stride": 2, "ceil_mode": True}),
        ((1, 1, 12, 13), {"kernel_size": (12, 13)}),
    ],
)
def test_max_pool2d_return_indices(shape, kwargs):
    assert check("max_pool2d", rand(shape), **kwargs)


def test_max_pool2d_indices_on_ties_and_overlaps():
    ones = np.ones((1, 1, 6, 6))
    assert check("max_pool2d", ones, kernel_size=3, stride=1)
    stripes = np.tile([1.0, 2.0], 18).reshape(1, 1, 6, 6)
    assert check("max_pool2d", stripes, kernel_size=2, stride=1, padding=1)
    ties = np.random.default_rng(3).integers(0, 3, size=(2, 2, 7, 7)).astype(np.float64)
    assert check("max_pool2d", ties, kernel_size=3, stride=2, padding=1, dilation=2)


def test_avg_pool2d_one_row_kernel_with_padding():
    assert check(
        "avg_pool2d", rand((1, 1, 8, 8)), kernel_size=(1, 2), padding=(0, 1), stride=(5, 1)
    )


def test_global_pools():
    x = rand((4, 2, 11, 28))
    assert check("avg_pool2d", x, kernel_size=(11, 28))
    assert check("max_pool2d", x, kernel_size=(11, 28))


# ---- padding semantics ---------------------------------------------------------------------------


def test_max_pool2d_pads_with_minus_infinity_not_zero():
    x = -1.0 - np.arange(16.0).reshape(1, 1, 4, 4)  # all negative: a zero pad would win
    y = F.max_pool2d(Tensor(x), 2, padding=1)
    assert y.numpy()[0, 0, 0, 0] == -1.0 and (y.numpy() < 0).all()
    assert check("max_pool2d", x, kernel_size=2, padding=1)


def test_avg_pool2d_counts_the_padding_by_default():
    y = F.avg_pool2d(Tensor(np.ones((1, 1, 2, 2))), 2, padding=1)
    np.testing.assert_array_equal(y.numpy(), np.full((1, 1, 2, 2), 0.25))
    y = F.avg_pool2d(Tensor(np.ones((1, 1, 2, 2))), 2, padding=1, count_include_pad=False)
    np.testing.assert_array_equal(y.numpy(), np.ones((1, 1, 2, 2)))


def test_max_pool2d_propagates_nan_with_padding():
    x = rand((1, 1, 4, 4))
    x[0, 0, 0, 0] = np.nan
    y = F.max_pool2d(Tensor(x), 3, stride=1, padding=1).numpy()
    tx = TF.max_pool2d(torch.from_numpy(x), 3, stride=1, padding=1).numpy()
    np.testing.assert_array_equal(np.isnan(y), np.isnan(tx))
    np.testing.assert_array_equal(y[~np.isnan(y)], tx[~np.isnan(tx)])


def test_a_window_of_padding_only_gives_minus_infinity_and_no_gradient():
    # kernel 2, padding 1, dilation 3 on a 2x2 input: the one window's taps sit at -1 and 2.
    # PyTorch gives -inf here too (its index points outside the plane; ours is -1).
    x = Tensor(np.arange(4.0).reshape(1, 1, 2, 2), requires_grad=True)
    y, where = F.max_pool2d(x, 2, stride=1, padding=1, dilation=3, return_indices=True)
    assert y.tolist() == [[[[-np.inf]]]] and where.tolist() == [[[[-1]]]]
    y.sum().backward()
    np.testing.assert_array_equal(x.grad, np.zeros((1, 1, 2, 2)))


@pytest.mark.parametrize("op", ["max_pool2d", "avg_pool2d"])
def test_gradcheck_with_every_option(op):
    x = Tensor(rand((2, 2, 6, 5)), requires_grad=True)
    if op == "max_pool2d":
        kwargs = {"stride": 2, "padding": 1, "dilation": (1, 2), "ceil_mode": True}
    else:
        kwargs = {"stride": 2, "padding": 1, "ceil_mode": True, "count_include_pad": False}
    assert autograd.gradcheck(lambda t: getattr(F, op)(t, 3, **kwargs), x)


def test_unpadded_calls_run_the_plain_kernels(monkeypatch):
    """The padded kernels cost 1.3-1.8x on plain windows: the default path must not reach them."""

    def refuse(*args):
        raise AssertionError("the padded kernel ran for an unpadded call")

    for name in [
        "max_pool2d_padded_kernel",
        "avg_pool2d_padded_kernel",
        "avg_pool2d_padded_scatter",
    ]:
        monkeypatch.setattr(pool_kernels, name, refuse)
    x = Tensor(rand((2, 3, 8, 8)), requires_grad=True)
    (F.max_pool2d(x, 2).sum() + F.avg_pool2d(x, 3, stride=2).sum()).backward()
    with pytest.raises(AssertionError, match="padded kernel"):
        F.max_pool2d(x, 2, padding=1)


def test_padded_kernels_as_plain_python(monkeypatch):
    """The Python behind each @njit (what NUMBA_DISABLE_JIT=1 runs) gives the same results."""
    x = rand((1, 2, 6, 5))
    max_kw = {"kernel_size": 3, "stride": 2, "padding": 1, "dilation": 2, "ceil_mode": True}
    avg_kw = {"kernel_size": 3, "stride": 2, "padding": 1, "ceil_mode": True}
    expected = [check("max_pool2d", x, **max_kw), check("avg_pool2d", x, **avg_kw)]
    for name in [
        "max_pool2d_padded_kernel",
        "avg_pool2d_padded_kernel",
        "avg_pool2d_padded_scatter",
    ]:
        kernel = getattr(pool_kernels, name)
        monkeypatch.setattr(pool_kernels, name, getattr(kernel, "py_func", kernel))
    from autograd.kernels import pool_numba  # the kernels' window helpers live beside them

    for name in ["_taps", "_avg_bounds"]:
        helper = getattr(pool_numba, name)
        monkeypatch.setattr(pool_numba, name, getattr(helper, "py_func", helper))
    assert [check("max_pool2d", x, **max_kw), check("avg_pool2d", x, **avg_kw)] == expected


# ---- layers ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "ours, theirs",
    [
        (
            lambda: nn.MaxPool2d(3, 2, 1, 2, False, True),  # PyTorch's positional order
            lambda: torch.nn.MaxPool2d(3, 2, 1, 2, False, True),
        ),
        (
            lambda: nn.MaxPool2d((3, 2), stride=(2, 1), padding=(1, 0), ceil_mode=True),
            lambda: torch.nn.MaxPool2d((3, 2), stride=(2, 1), padding=(1, 0), ceil_mode=True),
        ),
        (
            lambda: nn.AvgPool2d(3, 2, 1, True, False),
            lambda: torch.nn.AvgPool2d(3, 2, 1, True, False),
        ),
        (
            lambda: nn.AvgPool2d(2, padding=1, divisor_override=2),
            lambda: torch.nn.AvgPool2d(2, padding=1, divisor_override=2),
        ),
    ],
)
def test_layers_match_torch(ours, theirs):
    x = rand((2, 3, 7, 6))
    tx = torch.from_numpy(x.copy()).requires_grad_()
    ty = theirs()(tx)
    ty.sum().backward()
    ox = Tensor(x.copy(), requires_grad=True)
    y = ours()(ox)
    y.sum().backward()
    np.testing.assert_allclose(y.numpy(), ty.detach().numpy(), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(ox.grad, tx.grad.numpy(), rtol=1e-12, atol=1e-12)


def test_max_pool2d_layer_returns_indices():
    x = rand((1, 2, 5, 5))
    y, where = nn.MaxPool2d(2, padding=1, return_indices=True)(Tensor(x))
    ty, twhere = torch.nn.MaxPool2d(2, padding=1, return_indices=True)(torch.from_numpy(x))
    np.testing.assert_array_equal(y.numpy(), ty.numpy())
    np.testing.assert_array_equal(where.numpy(), twhere.numpy())


def test_layer_repr_shows_options_that_differ_from_the_defaults():
    assert repr(nn.MaxPool2d(2)) == "MaxPool2d(kernel_size=2, stride=2)"
    assert repr(nn.MaxPool2d(3, 2, padding=1, ceil_mode=True)) == (
        "MaxPool2d(kernel_size=3, stride=2, padding=1, ceil_mode=True)"
    )
    assert repr(nn.AvgPool2d(2, padding=1, count_include_pad=False)) == (
        "AvgPool2d(kernel_size=2, stride=2, padding=1, count_include_pad=False)"
    )


# ---- errors --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "op, kwargs, error, match",
    [
        ("max_pool2d", {"padding": 2}, ValueError, r"padding must be at most half the kernel"),
        ("avg_pool2d", {"padding": (0, 2)}, ValueError, r"expected padding <= \(1, 1\)"),
        ("max_pool2d", {"padding": -1}, ValueError, r"padding must be at least 0"),
        ("max_pool2d", {"padding": (1, 1, 1)}, TypeError, r"padding must be an int or a pair"),
        ("avg_pool2d", {"padding": (1, 1, 1)}, TypeError, r"padding must be an int or a pair"),
        ("max_pool2d", {"dilation": 0}, ValueError, r"dilation must be at least 1"),
        ("max_pool2d", {"ceil_mode": "yes"}, TypeError, r"ceil_mode must be True or False"),
        ("avg_pool2d", {"count_include_pad": None}, TypeError, r"count_include_pad must be"),
        ("avg_pool2d", {"divisor_override": 0}, ValueError, r"divisor_override must not be z"),
        ("avg_pool2d", {"divisor_override": 1.5}, TypeError, r"divisor_override must be an int"),
        ("max_pool2d", {"dilation": 4}, ValueError, r"dilated window 5x5 is larger than the pad"),
    ],
)
def test_bad_options_raise_like_torch(op, kwargs, error, match):
    x = rand((1, 1, 4, 4))
    with pytest.raises(error, match=f"{op}: .*{match}"):
        getattr(F, op)(Tensor(x), 2, **kwargs)
    with pytest.raises((RuntimeError, TypeError, ValueError)):  # PyTorch refuses each as well
        getattr(TF, op)(torch.from_numpy(x), 2, **kwargs)


def test_layer_checks_its_options_when_built():
    with pytest.raises(ValueError, match="MaxPool2d: padding must be a non-negative int"):
        nn.MaxPool2d(2, padding=-1)
    with pytest.raises(ValueError, match="MaxPool2d: dilation must be a positive int"):
        nn.MaxPool2d(2, dilation=0)
    with pytest.raises(TypeError, match="AvgPool2d: padding must be an int or a pair"):
        nn.AvgPool2d(2, padding="same")
