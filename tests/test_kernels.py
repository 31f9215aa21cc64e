"""Kernels against plain-numpy references, the lecture's numbers and (if installed) PyTorch."""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autograd import kernels
from autograd.kernels import activation, conv, pool, threads

DTYPES = [np.float32, np.float64]
JIT_DISABLED = os.environ.get("NUMBA_DISABLE_JIT", "0") not in ("", "0")


def tol(dtype: type) -> dict[str, float]:
    return {"rtol": 1e-4, "atol": 1e-4} if dtype == np.float32 else {"rtol": 1e-10, "atol": 1e-10}


# ---------------------------------------------------------------- references (numpy, naive)


def out_size(n: int, k: int, s: int, p: int = 0) -> int:
    return (n + 2 * p - k) // s + 1


def conv_ref(x, w, stride, padding):
    """y[n, f, i, j] = sum over the (i, j) window of the zero-padded input, one window at a time."""
    (sh, sw), (ph, pw) = stride, padding
    N, _, H, W = x.shape
    F, _, KH, KW = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    OH, OW = out_size(H, KH, sh, ph), out_size(W, KW, sw, pw)
    y = np.zeros((N, F, OH, OW), dtype=np.float64)
    for i in range(OH):
        for j in range(OW):
            patch = xp[:, :, i * sh : i * sh + KH, j * sw : j * sw + KW]
            y[:, :, i, j] = np.einsum("nckl,fckl->nf", patch, w)
    return y


def conv_grad_input_ref(g, w, input_hw, stride, padding):
    """Each output's gradient flows back through its window, weighted by w."""
    (sh, sw), (ph, pw) = stride, padding
    H, W = input_hw
    N, _, OH, OW = g.shape
    _, C, KH, KW = w.shape
    gxp = np.zeros((N, C, H + 2 * ph, W + 2 * pw))
    for i in range(OH):
        for j in range(OW):
            gxp[:, :, i * sh : i * sh + KH, j * sw : j * sw + KW] += np.einsum(
                "nf,fckl->nckl", g[:, :, i, j], w
            )
    return gxp[:, :, ph : ph + H, pw : pw + W]


def conv_grad_weight_ref(g, x, kernel_hw, stride, padding):
    """Each output's gradient times the input window that produced it, summed."""
    (sh, sw), (ph, pw) = stride, padding
    KH, KW = kernel_hw
    xp = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    _, _, OH, OW = g.shape
    gw = np.zeros((g.shape[1], x.shape[1], KH, KW))
    for i in range(OH):
        for j in range(OW):
            patch = xp[:, :, i * sh : i * sh + KH, j * sw : j * sw + KW]
            gw += np.einsum("nf,nckl->fckl", g[:, :, i, j], patch)
    return gw


def windows(x, kernel, stride):
    """Yield (i, j, window flattened to (N, C, kh*kw)) for every pooling window."""
    (kh, kw), (sh, sw) = kernel, stride
    N, C, H, W = x.shape
    for i in range(out_size(H, kh, sh)):
        for j in range(out_size(W, kw, sw)):
            yield i, j, x[:, :, i * sh : i * sh + kh, j * sw : j * sw + kw].reshape(N, C, -1)


def max_pool_ref(x, kernel, stride):
    """np.max / np.argmax per window (argmax returns the first maximum, or the first NaN)."""
    (kh, kw), (sh, sw) = kernel, stride
    N, C, H, W = x.shape
    shape = (N, C, out_size(H, kh, sh), out_size(W, kw, sw))
    y, where = np.zeros(shape, dtype=x.dtype), np.zeros(shape, dtype=np.int64)
    for i, j, win in windows(x, kernel, stride):
        y[:, :, i, j] = win.max(axis=-1)
        a = win.argmax(axis=-1)
        where[:, :, i, j] = (i * sh + a // kw) * W + j * sw + a % kw
    return y, where


def max_pool_backward_ref(g, where, input_hw):
    N, C = g.shape[:2]
    gx = np.zeros((N, C, input_hw[0] * input_hw[1]))
    n, c = np.indices(g.shape[:2])
    for i in range(g.shape[2]):
        for j in range(g.shape[3]):
            np.add.at(gx, (n, c, where[:, :, i, j]), g[:, :, i, j])
    return gx.reshape(N, C, *input_hw)


def avg_pool_ref(x, kernel, stride):
    (kh, kw), (sh, sw) = kernel, stride
    N, C, H, W = x.shape
    y = np.zeros((N, C, out_size(H, kh, sh), out_size(W, kw, sw)))
    for i, j, win in windows(x, kernel, stride):
        y[:, :, i, j] = win.mean(axis=-1)
    return y


def avg_pool_backward_ref(g, input_hw, kernel, stride):
    (kh, kw), (sh, sw) = kernel, stride
    gx = np.zeros((*g.shape[:2], *input_hw))
    for i in range(g.shape[2]):
        for j in range(g.shape[3]):
            gx[:, :, i * sh : i * sh + kh, j * sw : j * sw + kw] += g[:, :, i, j, None, None] / (
                kh * kw
            )
    return gx


# ---------------------------------------------------------------- cases

# (x shape, w shape, stride, padding): odd sizes, batch 1, stride > 1, padding > 0, non-square.
CONV_CASES = [
    ((2, 3, 7, 7), (4, 3, 3, 3), (1, 1), (1, 1)),
    ((1, 1, 5, 6), (2, 1, 2, 3), (1, 1), (0, 0)),
    ((3, 2, 9, 8), (5, 2, 3, 2), (2, 3), (1, 2)),
    ((2, 3, 7, 5), (2, 3, 5, 3), (2, 1), (2, 0)),
    ((1, 4, 6, 6), (3, 4, 1, 1), (2, 2), (0, 0)),
    ((2, 2, 4, 4), (3, 2, 4, 4), (1, 1), (3, 3)),
    ((3, 4, 9, 7), (3, 4, 2, 5), (1, 1), (2, 1)),
]
CONV_IDS = [
    "same3x3",
    "batch1-nonsquare",
    "stride2x3-pad1x2",
    "stride2x1-pad2x0",
    "1x1-s2",
    "pad3",
    "rows-2x5-pad2x1",
]

# (x shape, kernel, stride): non-overlapping, overlapping (stride < kernel), ragged edges.
POOL_CASES = [
    ((2, 3, 8, 8), (2, 2), (2, 2)),
    ((1, 2, 7, 7), (3, 3), (2, 2)),
    ((2, 1, 6, 9), (2, 3), (1, 2)),
    ((3, 2, 5, 4), (3, 2), (1, 1)),
    ((1, 1, 5, 5), (5, 5), (1, 1)),
]
POOL_IDS = ["2x2-s2", "overlap3-s2", "nonsquare", "overlap-s1", "global"]


def conv_inputs(xs, ws, dtype, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(xs).astype(dtype)
    w = rng.standard_normal(ws).astype(dtype)
    return x, w, rng


@pytest.fixture(params=["jit", "py_func"])
def impl(request, monkeypatch):
    """Run each kernel compiled, and once more as the plain Python behind each @njit."""
    if request.param == "py_func":
        if JIT_DISABLED:
            pytest.skip("with NUMBA_DISABLE_JIT=1 the kernels already run as Python")
        for module, name in [
            (conv, "im2col"),
            (conv, "col2im"),
            (conv, "im2col_rows"),
            (conv, "col2im_rows"),
            (conv, "crop_rows"),
            (conv, "widen_rows"),
            (pool, "max_pool2d_kernel"),
            (pool, "max_pool2d_scatter"),
            (pool, "avg_pool2d_kernel"),
            (pool, "avg_pool2d_scatter"),
        ]:
            monkeypatch.setattr(module, name, getattr(module, name).py_func)
    return request.param


# ---------------------------------------------------------------- conv2d


def test_lecture_padding_example():
    x = np.arange(9, dtype=np.float64).reshape(1, 1, 3, 3)
    w = np.array([[0.0, 1.0], [2.0, 3.0]]).reshape(1, 1, 2, 2)
    y = kernels.conv2d_forward(x, w, (1, 1), (1, 1))
    expected = [[0, 3, 8, 4], [9, 19, 25, 10], [21, 37, 43, 16], [6, 7, 8, 0]]
    np.testing.assert_array_equal(y[0, 0], expected)


@pytest.mark.parametrize(
    "n, f, s, p, expected",
    [(7, 3, 2, 0, 3), (28, 3, 1, 1, 28), (32, 5, 1, 0, 28), (8, 3, 3, 1, 3), (5, 4, 2, 2, 3)],
)
def test_output_size_follows_the_formula(n, f, s, p, expected):
    assert expected == (n + 2 * p - f) // s + 1
    x = np.ones((1, 1, n, n))
    y = kernels.conv2d_forward(x, np.ones((1, 1, f, f)), (s, s), (p, p))
    assert y.shape == (1, 1, expected, expected)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("xs, ws, stride, padding", CONV_CASES, ids=CONV_IDS)
def test_conv2d_forward(impl, xs, ws, stride, padding, dtype):
    x, w, _ = conv_inputs(xs, ws, dtype)
    y = kernels.conv2d_forward(x, w, stride, padding)
    assert y.dtype == dtype and y.flags.c_contiguous
    np.testing.assert_allclose(y, conv_ref(x, w, stride, padding), **tol(dtype))


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("xs, ws, stride, padding", CONV_CASES, ids=CONV_IDS)
def test_conv2d_grad_input(impl, xs, ws, stride, padding, dtype):
    x, w, rng = conv_inputs(xs, ws, dtype)
    oshape = kernels.conv2d_forward(x, w, stride, padding).shape
    g = rng.standard_normal(oshape).astype(dtype)
    gx = kernels.conv2d_grad_input(g, w, xs[2:], stride, padding)
    assert gx.shape == xs and gx.dtype == dtype and gx.flags.c_contiguous
    np.testing.assert_allclose(gx, conv_grad_input_ref(g, w, xs[2:], stride, padding), **tol(dtype))


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("xs, ws, stride, padding", CONV_CASES, ids=CONV_IDS)
def test_conv2d_grad_weight(impl, xs, ws, stride, padding, dtype):
    x, w, rng = conv_inputs(xs, ws, dtype)
    oshape = kernels.conv2d_forward(x, w, stride, padding).shape
    g = rng.standard_normal(oshape).astype(dtype)
    gw = kernels.conv2d_grad_weight(g, x, ws[2:], stride, padding)
    assert gw.shape == ws and gw.dtype == dtype and gw.flags.c_contiguous
    ref = conv_grad_weight_ref(g, x, ws[2:], stride, padding)
    np.testing.assert_allclose(gw, ref, **tol(dtype))


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("xs, ws, stride, padding", CONV_CASES, ids=CONV_IDS)
def test_conv2d_backward_with_the_forwards_columns(impl, xs, ws, stride, padding, dtype):
    x, w, rng = conv_inputs(xs, ws, dtype)
    y_shape = kernels.conv2d_forward(x, w, stride, padding).shape
    cols = np.full((xs[0], xs[1] * ws[2] * ws[3], y_shape[2] * y_shape[3]), np.nan, dtype=dtype)
    y = kernels.conv2d_forward(x, w, stride, padding, cols)
    np.testing.assert_allclose(y, conv_ref(x, w, stride, padding), **tol(dtype))
    # The kept columns are the zero-padded windows, tap (c, kh, kw) by output pixel.
    (sh, sw), (ph, pw) = stride, padding
    xp = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    OH, OW = y_shape[2:]
    for c, kh, kw in np.ndindex(xs[1], ws[2], ws[3]):
        taps = xp[:, c, kh : kh + sh * (OH - 1) + 1 : sh, kw : kw + sw * (OW - 1) + 1 : sw]
        row = (c * ws[2] + kh) * ws[3] + kw
        np.testing.assert_array_equal(cols[:, row], taps.reshape(xs[0], -1))
    g = rng.standard_normal(y_shape).astype(dtype)
    gx, gw = kernels.conv2d_backward(g, x, w, stride, padding, (True, True), cols)
    gx_ref = conv_grad_input_ref(g, w, xs[2:], stride, padding)
    np.testing.assert_allclose(gx, gx_ref, **tol(dtype))
    gw_ref = conv_grad_weight_ref(g, x, ws[2:], stride, padding)
    np.testing.assert_allclose(gw, gw_ref, **tol(dtype))
    assert kernels.conv2d_backward(g, x, w, stride, padding, (False, True))[0] is None
    assert kernels.conv2d_backward(g, x, w, stride, padding, (True, False))[1] is None


def test_which_convolutions_run_in_the_rows_layout():
    # Stride 1 with at least ROWS_MIN_TAPS taps per output; the cases above cover both kinds.
    assert conv.ROWS_MIN_TAPS == 16
    assert kernels.conv2d_uses_rows((4, 3, 3, 3), (1, 1))  # same3x3: 27 taps
    assert kernels.conv2d_uses_rows((3, 4, 2, 5), (1, 1))  # rows-2x5-pad2x1: 40 taps
    assert not kernels.conv2d_uses_rows((2, 1, 2, 3), (1, 1))  # 6 taps
    assert not kernels.conv2d_uses_rows((5, 2, 3, 2), (2, 3))  # strided


@pytest.mark.parametrize("group_bytes", [1, 20_000])
@pytest.mark.parametrize("dtype", DTYPES)
def test_rows_layout_in_groups_and_slices(impl, monkeypatch, group_bytes, dtype):
    # One image per group, or a few, with the batch split across threads: every group and
    # slice boundary must leave the same numbers as the one-window-at-a-time references.
    monkeypatch.setattr(conv, "GROUP_BYTES", group_bytes)
    monkeypatch.setattr(threads, "MIN_SLICE_COST", 1)
    x, w, rng = conv_inputs((7, 4, 6, 5), (3, 4, 3, 3), dtype)
    b = rng.standard_normal(3).astype(dtype)
    y = kernels.conv2d_forward(x, w, (1, 1), (1, 2), None, b)
    ref = conv_ref(x, w, (1, 1), (1, 2)) + b.reshape(1, 3, 1, 1)
    np.testing.assert_allclose(y, ref, **tol(dtype))
    g = rng.standard_normal(y.shape).astype(dtype)
    gx, gw = kernels.conv2d_backward(g, x, w, (1, 1), (1, 2))
    np.testing.assert_allclose(gx, conv_grad_input_ref(g, w, (6, 5), (1, 1), (1, 2)), **tol(dtype))
    np.testing.assert_allclose(gw, conv_grad_weight_ref(g, x, (3, 3), (1, 1), (1, 2)), **tol(dtype))


def test_rows_layout_with_an_empty_batch(impl):
    # No images: empty outputs and input gradient, a zero weight gradient, as in PyTorch.
    x, w, _ = conv_inputs((0, 4, 6, 5), (3, 4, 3, 3), np.float64)
    assert kernels.conv2d_uses_rows(w.shape, (1, 1))
    y = kernels.conv2d_forward(x, w, (1, 1), (1, 1))
    assert y.shape == (0, 3, 6, 5)
    gx, gw = kernels.conv2d_backward(np.zeros(y.shape), x, w, (1, 1), (1, 1))
    assert gx.shape == x.shape
    np.testing.assert_array_equal(gw, np.zeros(w.shape))


@pytest.mark.parametrize("bad", [np.inf, -np.inf, np.nan])
def test_rows_layout_keeps_non_finite_values_where_they_belong(impl, bad):
    # The rows layout's extra columns multiply zeros by pixels and weights; inf * 0 would put
    # NaN into taps that never see the bad value. Each gradient must match the definition.
    x, w, rng = conv_inputs((2, 4, 5, 6), (3, 4, 3, 3), np.float64)
    assert kernels.conv2d_uses_rows(w.shape, (1, 1))
    x[1, 2, 3, 5] = bad  # last column: the tap kw = 0 never reads it through a valid window
    g = rng.standard_normal((2, 3, 5, 6))
    gx, gw = kernels.conv2d_backward(g, x, w, (1, 1), (1, 1))
    np.testing.assert_allclose(gw, conv_grad_weight_ref(g, x, (3, 3), (1, 1), (1, 1)))
    assert np.isfinite(gw[:, :, :, 0]).all() and not np.isfinite(gw[:, 2, :, 1:]).all()
    np.testing.assert_allclose(gx, conv_grad_input_ref(g, w, (5, 6), (1, 1), (1, 1)))
    x[1, 2, 3, 5] = 0.0
    w[1, 3, 2, 2] = bad
    gx = kernels.conv2d_grad_input(g, w, (5, 6), (1, 1), (1, 1))
    np.testing.assert_allclose(gx, conv_grad_input_ref(g, w, (5, 6), (1, 1), (1, 1)))
    assert np.isfinite(gx[:, :, :, 0]).all()  # the bad tap kw = 2 never reaches column 0
    y = kernels.conv2d_forward(x, w, (1, 1), (1, 1))
    np.testing.assert_allclose(y, conv_ref(x, w, (1, 1), (1, 1)))


def test_conv2d_grad_input_when_stride_skips_the_last_rows():
    # H = 9 and H = 10 both give OH = 4 with a 3x3 kernel and stride 2; row 9 gets no gradient.
    x, w, rng = conv_inputs((1, 2, 10, 10), (3, 2, 3, 3), np.float64)
    g = rng.standard_normal((1, 3, 4, 4))
    gx = kernels.conv2d_grad_input(g, w, (10, 10), (2, 2), (0, 0))
    assert gx.shape == (1, 2, 10, 10)
    assert not gx[:, :, 9, :].any() and not gx[:, :, :, 9].any() and gx[:, :, 8, 8].all()
    ref = conv_grad_input_ref(g, w, (10, 10), (2, 2), (0, 0))
    np.testing.assert_allclose(gx, ref, rtol=1e-12)


@settings(max_examples=25, deadline=None)
@given(
    n=st.integers(1, 2),
    c=st.integers(1, 3),
    f=st.integers(1, 3),
    h=st.integers(1, 7),
    w=st.integers(1, 7),
    kh=st.integers(1, 3),
    kw=st.integers(1, 3),
    sh=st.integers(1, 3),
    sw=st.integers(1, 3),
    ph=st.integers(0, 2),
    pw=st.integers(0, 2),
    seed=st.integers(0, 2**16),
)
def test_conv2d_backward_is_the_adjoint_of_forward(n, c, f, h, w, kh, kw, sh, sw, ph, pw, seed):
    """<conv(x, w), g> = <x, grad_input(g)> = <w, grad_weight(g, x)> for any valid geometry."""
    if h + 2 * ph < kh or w + 2 * pw < kw:
        return
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, c, h, w))
    wt = rng.standard_normal((f, c, kh, kw))
    y = kernels.conv2d_forward(x, wt, (sh, sw), (ph, pw))
    np.testing.assert_allclose(y, conv_ref(x, wt, (sh, sw), (ph, pw)), rtol=1e-10, atol=1e-10)
    g = rng.standard_normal(y.shape)
    gx = kernels.conv2d_grad_input(g, wt, (h, w), (sh, sw), (ph, pw))
    gw = kernels.conv2d_grad_weight(g, x, (kh, kw), (sh, sw), (ph, pw))
    inner = float(np.sum(y * g))
    assert np.isclose(inner, float(np.sum(x * gx)), rtol=1e-9, atol=1e-9)
    assert np.isclose(inner, float(np.sum(wt * gw)), rtol=1e-9, atol=1e-9)


def test_conv2d_grad_weight_matches_central_differences():
    x, w, rng = conv_inputs((2, 2, 5, 4), (2, 2, 3, 2), np.float64)
    g = rng.standard_normal(kernels.conv2d_forward(x, w, (2, 1), (1, 1)).shape)
    gw = kernels.conv2d_grad_weight(g, x, (3, 2), (2, 1), (1, 1))
    eps = 1e-6
    numeric = np.zeros_like(w)
    for i in np.ndindex(w.shape):
        plus, minus = w.copy(), w.copy()
        plus[i] += eps
        minus[i] -= eps
        diff = kernels.conv2d_forward(x, plus, (2, 1), (1, 1)) - kernels.conv2d_forward(
            x, minus, (2, 1), (1, 1)
        )
        numeric[i] = np.sum(g * diff) / (2 * eps)
    np.testing.assert_allclose(gw, numeric, rtol=1e-6, atol=1e-8)


# ---------------------------------------------------------------- pooling


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("xs, kernel, stride", POOL_CASES, ids=POOL_IDS)
def test_max_pool2d(impl, xs, kernel, stride, dtype):
    rng = np.random.default_rng(1)
    x = rng.standard_normal(xs).astype(dtype)
    y, where = kernels.max_pool2d_forward(x, kernel, stride)
    y_ref, where_ref = max_pool_ref(x, kernel, stride)
    assert y.dtype == dtype and where.dtype == np.int64
    np.testing.assert_array_equal(y, y_ref)
    np.testing.assert_array_equal(where, where_ref)
    g = rng.standard_normal(y.shape).astype(dtype)
    gx = kernels.max_pool2d_backward(g, where, xs[2:])
    assert gx.shape == xs and gx.dtype == dtype
    np.testing.assert_allclose(gx, max_pool_backward_ref(g, where_ref, xs[2:]), **tol(dtype))


@pytest.mark.parametrize("xs, kernel, stride", POOL_CASES, ids=POOL_IDS)
def test_max_pool2d_first_maximum_wins_ties(impl, xs, kernel, stride):
    x = np.random.default_rng(2).integers(0, 3, size=xs).astype(np.float64)  # many ties
    y, where = kernels.max_pool2d_forward(x, kernel, stride)
    y_ref, where_ref = max_pool_ref(x, kernel, stride)
    np.testing.assert_array_equal(y, y_ref)
    np.testing.assert_array_equal(where, where_ref)


def test_max_pool2d_tie_and_overlap_by_hand():
    x = np.array([[7.0, 1.0, 7.0], [0.0, 7.0, 2.0], [3.0, 4.0, 5.0]]).reshape(1, 1, 3, 3)
    y, where = kernels.max_pool2d_forward(x, (2, 2), (1, 1))
    assert y[0, 0].tolist() == [[7.0, 7.0], [7.0, 7.0]]
    assert where[0, 0].tolist() == [[0, 2], [4, 4]]  # first 7 in row-major window order
    gx = kernels.max_pool2d_backward(np.array([[[[1.0, 2.0], [3.0, 4.0]]]]), where, (3, 3))
    assert gx[0, 0].tolist() == [[1.0, 0.0, 2.0], [0.0, 7.0, 0.0], [0.0, 0.0, 0.0]]


def test_max_pool2d_propagates_nan(impl):
    x = np.arange(16.0).reshape(1, 1, 4, 4)
    x[0, 0, 0, 1] = np.nan
    x[0, 0, 1, 0] = np.nan
    x[0, 0, 3, 3] = -np.inf
    y, where = kernels.max_pool2d_forward(x, (2, 2), (2, 2))
    y_ref, where_ref = max_pool_ref(x, (2, 2), (2, 2))
    np.testing.assert_array_equal(y, y_ref)
    np.testing.assert_array_equal(where, where_ref)
    assert np.isnan(y[0, 0, 0, 0]) and where[0, 0, 0, 0] == 1


def test_max_pool2d_all_minus_infinity():
    x = np.full((1, 1, 2, 2), -np.inf, dtype=np.float32)
    y, where = kernels.max_pool2d_forward(x, (2, 2), (2, 2))
    assert y[0, 0, 0, 0] == -np.inf and where[0, 0, 0, 0] == 0


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("xs, kernel, stride", POOL_CASES, ids=POOL_IDS)
def test_avg_pool2d(impl, xs, kernel, stride, dtype):
    rng = np.random.default_rng(3)
    x = rng.standard_normal(xs).astype(dtype)
    y = kernels.avg_pool2d_forward(x, kernel, stride)
    assert y.dtype == dtype
    np.testing.assert_allclose(y, avg_pool_ref(x, kernel, stride), **tol(dtype))
    g = rng.standard_normal(y.shape).astype(dtype)
    gx = kernels.avg_pool2d_backward(g, xs[2:], kernel, stride)
    assert gx.shape == xs and gx.dtype == dtype
    np.testing.assert_allclose(gx, avg_pool_backward_ref(g, xs[2:], kernel, stride), **tol(dtype))


def test_pool_output_size_follows_the_formula():
    x = np.zeros((1, 1, 7, 7))
    assert kernels.max_pool2d_forward(x, (3, 3), (2, 2))[0].shape == (1, 1, 3, 3)
    assert kernels.avg_pool2d_forward(x, (2, 2), (2, 2)).shape == (1, 1, 3, 3)


# ---------------------------------------------------------------- matmul


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize(
    "ashape, bshape",
    [((3, 5), (5, 2)), ((1, 1), (1, 7)), ((4, 3, 6), (4, 6, 5)), ((1, 2, 2), (1, 2, 3))],
)
def test_matmul(ashape, bshape, dtype):
    rng = np.random.default_rng(4)
    a = rng.standard_normal(ashape).astype(dtype)
    b = rng.standard_normal(bshape).astype(dtype)
    out = kernels.matmul(a, b)
    assert out.dtype == dtype and out.flags.c_contiguous
    ref = np.zeros(out.shape)
    for idx in np.ndindex(out.shape):
        *batch, i, j = idx
        terms = (float(a[(*batch, i, k)]) * float(b[(*batch, k, j)]) for k in range(a.shape[-1]))
        ref[idx] = sum(terms)
    np.testing.assert_allclose(out, ref, **tol(dtype))


# ---------------------------------------------------------------- import and threads


def run_python(code: str, **env: str) -> str:
    full_env = {k: v for k, v in os.environ.items() if k != "NUMBA_THREADING_LAYER"}
    full_env.update(env)
    done = subprocess.run(
        [sys.executable, "-c", code], env=full_env, capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


@pytest.mark.skipif(JIT_DISABLED, reason="no dispatchers to inspect when the JIT is disabled")
def test_import_compiles_nothing():
    code = (
        "import autograd.kernels.conv as c, autograd.kernels.pool as p\n"
        "ks = [c.im2col, c.col2im, p.max_pool2d_kernel, p.max_pool2d_scatter,"
        " p.avg_pool2d_kernel, p.avg_pool2d_scatter]\n"
        "print(sum(len(k.signatures) for k in ks))"
    )
    assert run_python(code) == "0"


def test_threading_layer_defaults_to_workqueue_and_respects_the_user():
    code = "import autograd.kernels, numba, os; print(numba.config.THREADING_LAYER)"
    assert run_python(code) == "workqueue"
    assert run_python(code, NUMBA_THREADING_LAYER="omp") == "omp"


def test_kernels_from_several_threads_at_once():
    # A parallel=True build under the workqueue layer would abort the whole process here.
    code = (
        "import threading, numpy as np\n"
        "from autograd import kernels\n"
        "x = np.random.default_rng(0).standard_normal((4, 3, 8, 8))\n"
        "y, where = kernels.max_pool2d_forward(x, (2, 2), (2, 2))\n"
        "def run():\n"
        "    for _ in range(200):\n"
        "        kernels.max_pool2d_forward(x, (2, 2), (2, 2))\n"
        "        kernels.max_pool2d_backward(y, where, (8, 8))\n"
        "        kernels.avg_pool2d_backward(kernels.avg_pool2d_forward(x, (2, 2), (1, 1)),"
        " (8, 8), (2, 2), (1, 1))\n"
        "threads = [threading.Thread(target=run) for _ in range(3)]\n"
        "[t.start() for t in threads]\n"
        "[t.join() for t in threads]\n"
        "print('done')\n"
    )
    assert run_python(code) == "done"


# ---------------------------------------------------------------- PyTorch as an oracle


@pytest.mark.parametrize("xs, ws, stride, padding", CONV_CASES, ids=CONV_IDS)
def test_conv2d_matches_torch(xs, ws, stride, padding):
    torch = pytest.importorskip("torch")
    x, w, rng = conv_inputs(xs, ws, np.float64)
    tx = torch.tensor(x, requires_grad=True)
    tw = torch.tensor(w, requires_grad=True)
    ty = torch.nn.functional.conv2d(tx, tw, stride=stride, padding=padding)
    g = rng.standard_normal(tuple(ty.shape))
    ty.backward(torch.tensor(g))
    np.testing.assert_allclose(
        kernels.conv2d_forward(x, w, stride, padding), ty.detach().numpy(), rtol=1e-10, atol=1e-12
    )
    gx = kernels.conv2d_grad_input(g, w, xs[2:], stride, padding)
    gw = kernels.conv2d_grad_weight(g, x, ws[2:], stride, padding)
    np.testing.assert_allclose(gx, tx.grad.numpy(), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(gw, tw.grad.numpy(), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("xs, kernel, stride", POOL_CASES, ids=POOL_IDS)
def test_pools_match_torch(xs, kernel, stride):
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(5)
    x = rng.standard_normal(xs)
    tx = torch.tensor(x, requires_grad=True)
    ty, tidx = torch.nn.functional.max_pool2d(tx, kernel, stride, return_indices=True)
    g = rng.standard_normal(tuple(ty.shape))
    ty.backward(torch.tensor(g))
    y, where = kernels.max_pool2d_forward(x, kernel, stride)
    np.testing.assert_array_equal(y, ty.detach().numpy())
    np.testing.assert_array_equal(where, tidx.numpy())
    np.testing.assert_allclose(
        kernels.max_pool2d_backward(g, where, xs[2:]), tx.grad.numpy(), rtol=1e-12
    )

    tx.grad = None
    ty = torch.nn.functional.avg_pool2d(tx, kernel, stride)
    ty.backward(torch.tensor(g))
    np.testing.assert_allclose(
        kernels.avg_pool2d_forward(x, kernel, stride), ty.detach().numpy(), rtol=1e-12
    )
    np.testing.assert_allclose(
        kernels.avg_pool2d_backward(g, xs[2:], kernel, stride), tx.grad.numpy(), rtol=1e-12
    )


# ---------------------------------------------------------------- relu


@pytest.mark.parametrize("size", [7, activation.MIN_NUMBA_SIZE])  # numpy, and the Numba kernel
@pytest.mark.parametrize("dtype", DTYPES)
def test_relu_and_its_gradient_against_numpy(size, dtype):
    rng = np.random.default_rng(3)
    x = rng.standard_normal(size).astype(dtype)
    x[:4] = [np.nan, -0.0, np.inf, -np.inf]
    g = rng.standard_normal(size).astype(dtype)
    g[4:7] = [np.nan, np.inf, -np.inf]  # at x values of either sign
    y = kernels.relu(x)
    assert y.dtype == dtype
    expected = np.where(x > 0, x, 0.0)
    expected[0] = np.nan  # NaN in, NaN out, as torch.relu
    np.testing.assert_array_equal(y, expected)
    assert not np.signbit(y[1])  # -0.0 gives +0.0, as np.maximum(x, 0.0)
    with np.errstate(invalid="ignore"):  # inf * 0 is NaN in both paths
        grad = kernels.relu_grad(g, x)
        np.testing.assert_array_equal(grad, g * (x > 0).astype(dtype))
    assert grad.dtype == dtype


def test_relu_gradient_with_a_broadcast_upstream_gradient():
    x = np.random.default_rng(4).standard_normal((activation.MIN_NUMBA_SIZE, 2))
    g = np.broadcast_to(np.float64(2.0), x.shape)  # what .sum().backward() hands down
    np.testing.assert_array_equal(kernels.relu_grad(g, x), 2.0 * (x > 0))
