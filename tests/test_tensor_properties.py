"""Properties of tensor ops that hold for every input: symmetries, identities, adjoints, linearity.

Each property is a mathematical fact checked with hypothesis over shapes and values; none needs a
reference implementation, so they complement the op table.
"""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import autograd as ag
from autograd import Tensor
from nn import functional as F

finite = st.floats(-30.0, 30.0, allow_nan=False, allow_infinity=False)
shapes = hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=5)


def arrays(shape=shapes, elements=finite):
    return hnp.arrays(np.float64, shape, elements=elements)


@given(arrays())
def test_sigmoid_is_point_symmetric(x: np.ndarray) -> None:
    s, s_neg = Tensor(x).sigmoid().numpy(), Tensor(-x).sigmoid().numpy()
    np.testing.assert_allclose(s_neg, 1.0 - s, atol=1e-15)
    assert np.all((s >= 0) & (s <= 1))


@given(arrays())
def test_tanh_is_a_rescaled_sigmoid(x: np.ndarray) -> None:
    t = Tensor(x).tanh().numpy()
    np.testing.assert_allclose(t, 2 * Tensor(2 * x).sigmoid().numpy() - 1, atol=1e-14)


@given(arrays(elements=st.floats(-1e4, 1e4)), st.floats(-1e3, 1e3))
def test_softmax_sums_to_one_and_ignores_shifts(x: np.ndarray, shift: float) -> None:
    p = Tensor(x).softmax(axis=-1).numpy()
    np.testing.assert_allclose(p.sum(axis=-1), 1.0, rtol=1e-12)
    np.testing.assert_allclose(Tensor(x + shift).softmax(axis=-1).numpy(), p, atol=1e-9)
    logp = Tensor(x).log_softmax(axis=-1).numpy()
    assert np.all(np.isfinite(logp)) and np.all(logp <= 1e-12)
    np.testing.assert_allclose(np.exp(logp), p, atol=1e-12)


@given(st.data())
def test_backward_is_linear_in_grad_out(data: st.DataObject) -> None:
    shape = data.draw(hnp.array_shapes(min_dims=2, max_dims=2, min_side=1, max_side=4))
    x = data.draw(arrays(shape, st.floats(-3, 3)))
    g1, g2 = (data.draw(arrays(shape, st.floats(-3, 3))) for _ in range(2))
    c = data.draw(st.floats(-2, 2))

    def grad(g: np.ndarray) -> np.ndarray:
        t = Tensor(x, requires_grad=True)
        y = (t.tanh() * t + t.softmax(axis=0)).exp() / (1.0 + t * t)
        y.backward(g)
        return t.grad

    np.testing.assert_allclose(grad(g1 + c * g2), grad(g1) + c * grad(g2), rtol=1e-9, atol=1e-9)


@given(st.data())
def test_broadcast_gradient_sums_back_to_each_input(data: st.DataObject) -> None:
    shape = data.draw(hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=4))
    kept = tuple(n if data.draw(st.booleans()) else 1 for n in shape)
    small = kept[data.draw(st.integers(0, 1)) :]
    a = Tensor(np.ones(shape), requires_grad=True)
    b = Tensor(np.ones(small), requires_grad=True)
    g = data.draw(arrays(shape, st.floats(-3, 3)))
    (a + b).backward(g)
    assert b.grad.shape == small
    np.testing.assert_allclose(b.grad.sum(), g.sum(), atol=1e-9)
    np.testing.assert_allclose(a.grad, g)


@given(st.lists(st.integers(0, 5), min_size=1, max_size=12))
def test_indexing_gradient_counts_repeats(index: list[int]) -> None:
    x = Tensor(np.zeros(6), requires_grad=True)
    x[np.array(index)].sum().backward()
    np.testing.assert_array_equal(x.grad, np.bincount(index, minlength=6))


@given(st.data())
def test_shape_ops_pass_gradients_back_unchanged(data: st.DataObject) -> None:
    shape = data.draw(hnp.array_shapes(min_dims=2, max_dims=4, min_side=1, max_side=3))
    g_in = data.draw(arrays(shape, st.floats(-3, 3)))
    order = data.draw(st.permutations(range(len(shape))))
    x = Tensor(np.zeros(shape), requires_grad=True)
    y = x.permute(*order).flatten().reshape(-1, 1)
    y.backward(g_in.transpose(order).reshape(-1, 1))
    np.testing.assert_array_equal(x.grad, g_in)


@given(st.data())
def test_conv2d_backward_is_the_adjoint_of_its_forward(data: st.DataObject) -> None:
    """For the linear map x ↦ conv(x, w): <conv(x), g> = <x, dx(g)>, and likewise for w."""
    n, c, f = (data.draw(st.integers(1, 2)) for _ in range(3))
    kh, kw = data.draw(st.integers(1, 3)), data.draw(st.integers(1, 3))
    sh, sw = data.draw(st.integers(1, 2)), data.draw(st.integers(1, 2))
    ph, pw = data.draw(st.integers(0, 1)), data.draw(st.integers(0, 1))
    h = data.draw(st.integers(max(kh - 2 * ph, 1), 6))
    w_ = data.draw(st.integers(max(kw - 2 * pw, 1), 6))
    rng = np.random.default_rng(data.draw(st.integers(0, 2**16)))
    x = Tensor(rng.standard_normal((n, c, h, w_)), requires_grad=True)
    w = Tensor(rng.standard_normal((f, c, kh, kw)), requires_grad=True)
    y = F.conv2d(x, w, stride=(sh, sw), padding=(ph, pw))
    g = rng.standard_normal(y.shape)
    y.backward(g)
    inner = float(np.sum(y.numpy() * g))
    np.testing.assert_allclose(np.sum(x.numpy() * x.grad), inner, rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(np.sum(w.numpy() * w.grad), inner, rtol=1e-9, atol=1e-9)


@given(st.data())
def test_avg_pool_of_a_constant_is_that_constant(data: st.DataObject) -> None:
    k = data.draw(st.integers(1, 3))
    side = data.draw(st.integers(k, 6))
    value = data.draw(st.floats(-5, 5))
    x = Tensor(np.full((1, 2, side, side), value))
    np.testing.assert_allclose(F.avg_pool2d(x, k).numpy(), value)
    np.testing.assert_allclose(F.max_pool2d(x, k).numpy(), value)


@given(arrays(), arrays())
def test_maximum_and_minimum_split_the_gradient(a: np.ndarray, b: np.ndarray) -> None:
    if a.shape != b.shape:
        b = np.resize(b, a.shape)
    x, y = Tensor(a, requires_grad=True), Tensor(b, requires_grad=True)
    (ag.maximum(x, y) + ag.minimum(x, y)).sum().backward()  # max + min = a + b
    np.testing.assert_allclose(x.grad, 1.0)
    np.testing.assert_allclose(y.grad, 1.0)
