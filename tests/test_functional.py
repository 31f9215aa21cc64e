"""nn.functional: convolution, pooling, dropout and losses against hand numbers, numpy loops, torch.

Convolution and pooling are checked against direct numpy loops written here from the definition,
against the lecture's worked padding example, with gradcheck on every element, and (where torch
is installed) against PyTorch in float64 on the forward value and every input gradient.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import autograd as ag
from autograd import Tensor, gradcheck, kernels
from nn import functional as F


def leaf(values, dtype="float64") -> Tensor:
    return Tensor(values, dtype=dtype, requires_grad=True)


def conv_reference(x: np.ndarray, w: np.ndarray, stride: tuple, padding: tuple) -> np.ndarray:
    """y[n,f,i,j] = Σ_{c,u,v} xpad[n, c, i·sh + u, j·sw + v] · w[f,c,u,v], as plain loops."""
    (sh, sw), (ph, pw) = stride, padding
    xp = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    n, _, hp, wp = xp.shape
    f, _, kh, kw = w.shape
    oh, ow = (hp - kh) // sh + 1, (wp - kw) // sw + 1
    y = np.zeros((n, f, oh, ow))
    for i in range(oh):
        for j in range(ow):
            patch = xp[:, :, i * sh : i * sh + kh, j * sw : j * sw + kw]
            y[:, :, i, j] = np.tensordot(patch, w, axes=([1, 2, 3], [1, 2, 3]))
    return y


def pool_reference(x: np.ndarray, kernel: tuple, stride: tuple, reduce) -> np.ndarray:
    (kh, kw), (sh, sw) = kernel, stride
    n, c, h, w = x.shape
    oh, ow = (h - kh) // sh + 1, (w - kw) // sw + 1
    y = np.zeros((n, c, oh, ow))
    for i in range(oh):
        for j in range(ow):
            y[:, :, i, j] = reduce(x[:, :, i * sh : i * sh + kh, j * sw : j * sw + kw], axis=(2, 3))
    return y


# (N, C, H, W), (F, KH, KW), stride, padding, bias
CONVS = [
    ((2, 3, 5, 5), (4, 3, 3), 1, 0, True),
    ((1, 2, 6, 7), (3, 3, 3), 2, 1, True),  # batch 1, odd sizes, stride 2
    ((2, 1, 7, 5), (2, 2, 3), (2, 1), (1, 2), False),  # rectangular everything
    ((1, 3, 4, 4), (2, 4, 4), 1, 0, True),  # kernel as large as the input
    ((2, 2, 5, 6), (3, 1, 1), 1, 0, True),  # 1x1 convolution
    ((1, 1, 8, 8), (1, 3, 3), 3, 2, False),  # stride larger than the kernel overlap
]


def conv_case(shape, filters, stride, padding, bias, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(shape)
    w = rng.standard_normal((filters[0], shape[1], filters[1], filters[2]))
    b = rng.standard_normal(filters[0]) if bias else None
    return x, w, b


def pair(v):
    return (v, v) if isinstance(v, int) else v


# ---- conv2d --------------------------------------------------------------------------------------


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_lecture_padding_example(dtype: str) -> None:
    x = Tensor(np.arange(9).reshape(1, 1, 3, 3), dtype=dtype)
    w = Tensor([[[[0, 1], [2, 3]]]], dtype=dtype)
    y = F.conv2d(x, w, padding=1)
    assert y.shape == (1, 1, 4, 4) and y.dtype == dtype
    expected = [[0, 3, 8, 4], [9, 19, 25, 10], [21, 37, 43, 16], [6, 7, 8, 0]]
    np.testing.assert_array_equal(y.numpy()[0, 0], expected)


@pytest.mark.parametrize(
    "n, f, p, s", [(7, 3, 0, 2), (28, 3, 1, 1), (5, 2, 0, 1), (6, 3, 1, 2), (9, 4, 2, 3)]
)
def test_output_size_follows_the_lecture_formula(n: int, f: int, p: int, s: int) -> None:
    y = F.conv2d(Tensor(np.ones((1, 1, n, n))), Tensor(np.ones((1, 1, f, f))), stride=s, padding=p)
    expected = math.floor((n + 2 * p - f) / s) + 1
    assert y.shape == (1, 1, expected, expected)
    if (n, f, p, s) == (7, 3, 0, 2):
        assert expected == 3  # the lecture's 7×7, 3×3 kernel, stride 2 → 3×3


@pytest.mark.parametrize("case", CONVS, ids=str)
def test_conv2d_matches_direct_loops(case) -> None:
    shape, filters, stride, padding, bias = case
    x, w, b = conv_case(*case)
    y = F.conv2d(Tensor(x), Tensor(w), None if b is None else Tensor(b), stride, padding)
    expected = conv_reference(x, w, pair(stride), pair(padding))
    if b is not None:
        expected += b.reshape(1, -1, 1, 1)
    np.testing.assert_allclose(y.numpy(), expected, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("case", CONVS[:3], ids=str)
def test_conv2d_gradcheck(case) -> None:
    shape, filters, stride, padding, bias = case
    x, w, b = conv_case(*case)
    inputs = [leaf(x), leaf(w)] + ([leaf(b)] if b is not None else [])
    assert gradcheck(lambda *t: F.conv2d(*t[:2], *t[2:], stride=stride, padding=padding), *inputs)


@pytest.mark.parametrize("case", CONVS, ids=str)
def test_conv2d_matches_torch(case) -> None:
    torch = pytest.importorskip("torch")
    shape, filters, stride, padding, bias = case
    x, w, b = conv_case(*case, seed=1)
    ours = [leaf(x), leaf(w)] + ([leaf(b)] if b is not None else [])
    theirs = [torch.tensor(a, requires_grad=True) for a in (x, w) + ((b,) if b is not None else ())]
    y = F.conv2d(*ours[:2], *ours[2:], stride=stride, padding=padding)
    y_t = torch.nn.functional.conv2d(*theirs[:2], *theirs[2:], stride=stride, padding=padding)
    np.testing.assert_allclose(y.numpy(), y_t.detach().numpy(), rtol=1e-12, atol=1e-12)
    g = np.random.default_rng(2).standard_normal(y.shape)
    y.backward(g)
    y_t.backward(torch.tensor(g))
    for ours_i, theirs_i, name in zip(ours, theirs, ("x", "w", "b"), strict=False):
        np.testing.assert_allclose(
            ours_i.grad, theirs_i.grad.numpy(), rtol=1e-10, atol=1e-10, err_msg=name
        )


def test_conv2d_float32_stays_float32_and_skips_unneeded_gradients() -> None:
    x, w, b = conv_case((2, 3, 6, 6), (4, 3, 3), 1, 1, True)
    xt = Tensor(x, dtype="float32")  # input data: no gradient wanted
    wt, bt = leaf(w, "float32"), leaf(b, "float32")
    y = F.conv2d(xt, wt, bt, padding=1)
    assert y.dtype == np.float32 and y.parents == (xt, wt, bt)
    y.sum().backward()
    assert wt.grad.dtype == np.float32 and xt.grad is None
    np.testing.assert_allclose(bt.grad, np.full(4, 2 * 6 * 6))


def test_conv2d_keeps_the_patch_matrix_only_for_a_weight_gradient() -> None:
    # A strided convolution keeps its forward's patch matrix for the weight gradient.
    x, w, _ = conv_case((2, 3, 6, 6), (4, 3, 3), 1, 1, False)
    only_x = F.conv2d(leaf(x, "float64"), Tensor(w), stride=2, padding=1)
    assert only_x._saved[-1] is None  # no weight gradient: the columns are not kept
    with ag.no_grad():
        assert F.conv2d(leaf(x, "float64"), leaf(w, "float64"), stride=2, padding=1)._saved == ()
    wt = leaf(w, "float64")
    y = F.conv2d(Tensor(x), wt, stride=2, padding=1)
    assert y._saved[-1].shape == (2, 3 * 3 * 3, 3 * 3)
    y.backward(np.cos(y.data))
    reference = F.conv2d(Tensor(x), leaf(w, "float64"), stride=2, padding=1)
    reference._saved = (*reference._saved[:-1], None)  # make the backward copy patches anew
    reference.backward(np.cos(reference.data))
    np.testing.assert_allclose(wt.grad, reference.parents[1].grad, rtol=1e-13)
    # At stride 1 with 27 taps the rows layout copies the patches again in the backward.
    assert kernels.conv2d_uses_rows(w.shape, (1, 1))
    assert F.conv2d(Tensor(x), leaf(w, "float64"), padding=1)._saved[-1] is None


def test_conv2d_same_and_valid_padding() -> None:
    x, w, _ = conv_case((1, 2, 5, 6), (3, 3, 3), 1, 0, False)
    assert F.conv2d(Tensor(x), Tensor(w), padding="same").shape == (1, 3, 5, 6)
    assert F.conv2d(Tensor(x), Tensor(w), padding="valid").shape == (1, 3, 3, 4)
    with pytest.raises(ValueError, match="padding='same' needs stride 1 and an odd kernel"):
        F.conv2d(Tensor(x), Tensor(w), stride=2, padding="same")


def test_conv2d_errors_name_op_and_shapes() -> None:
    x, w = Tensor(np.ones((2, 3, 5, 5))), Tensor(np.ones((4, 3, 3, 3)))
    with pytest.raises(ValueError) as err:
        F.conv2d(Tensor(np.ones((3, 5, 5))), w)
    assert str(err.value) == (
        "conv2d: input must be 4-D (N, C, H, W); got shape (3, 5, 5). "
        "For one image use x.reshape(1, C, H, W)."
    )
    with pytest.raises(ValueError) as err:
        F.conv2d(x, Tensor(np.ones((4, 2, 3, 3))))
    assert str(err.value) == (
        "conv2d: channels differ; got input (2, 3, 5, 5) with 3 channels, weight (4, 2, 3, 3) "
        "expecting 2"
    )
    with pytest.raises(ValueError, match="conv2d: weight must be 4-D"):
        F.conv2d(x, Tensor(np.ones((4, 3, 3))))
    with pytest.raises(TypeError, match="conv2d: dtypes differ; got input float64 and weight"):
        F.conv2d(x, Tensor(np.ones((4, 3, 3, 3)), dtype="float32"))
    with pytest.raises(ValueError, match="conv2d: kernel 3x3 is larger than the padded input"):
        F.conv2d(Tensor(np.ones((1, 3, 2, 2))), w)
    with pytest.raises(ValueError, match="conv2d: stride must be at least 1; got 0"):
        F.conv2d(x, w, stride=0)
    with pytest.raises(ValueError, match="conv2d: padding must be at least 0; got -1"):
        F.conv2d(x, w, padding=-1)
    with pytest.raises(TypeError, match="conv2d: stride must be an int or a pair of ints"):
        F.conv2d(x, w, stride=1.5)
    with pytest.raises(ValueError, match=r"conv2d: bias must have shape \(4,\), one per filter"):
        F.conv2d(x, w, Tensor(np.ones(3)))
    with pytest.raises(TypeError, match="conv2d: input must be float32 or float64; got dtype int"):
        F.conv2d(Tensor(np.ones((1, 3, 5, 5), dtype=int)), w)


# ---- pooling -----------------------------------------------------------------------------------

# shape, kernel_size, stride
POOLS = [
    ((2, 3, 4, 4), 2, None),
    ((1, 2, 7, 5), 3, 2),  # overlapping windows, odd sizes, batch 1
    ((2, 1, 6, 7), (2, 3), (1, 2)),
    ((1, 1, 5, 5), 5, None),  # one window
]


def pool_input(shape, seed=0) -> np.ndarray:
    """Distinct values (a random permutation), so max pooling has no ties."""
    rng = np.random.default_rng(seed)
    return rng.permutation(np.prod(shape)).reshape(shape) / 7.0 - 3.0


@pytest.mark.parametrize("case", POOLS, ids=str)
@pytest.mark.parametrize("kind", ["max", "avg"])
def test_pool_matches_direct_loops(kind: str, case) -> None:
    shape, kernel, stride = case
    x = pool_input(shape)
    fn, reduce = (F.max_pool2d, np.max) if kind == "max" else (F.avg_pool2d, np.mean)
    y = fn(Tensor(x), kernel, stride)
    k = pair(kernel)
    expected = pool_reference(x, k, pair(stride) if stride is not None else k, reduce)
    np.testing.assert_allclose(y.numpy(), expected, rtol=1e-12)


@pytest.mark.parametrize("case", POOLS, ids=str)
@pytest.mark.parametrize("kind", ["max", "avg"])
def test_pool_gradcheck(kind: str, case) -> None:
    shape, kernel, stride = case
    fn = F.max_pool2d if kind == "max" else F.avg_pool2d
    assert gradcheck(lambda t: fn(t, kernel, stride), leaf(pool_input(shape)))


@pytest.mark.parametrize("case", POOLS, ids=str)
@pytest.mark.parametrize("kind", ["max", "avg"])
def test_pool_matches_torch(kind: str, case) -> None:
    torch = pytest.importorskip("torch")
    shape, kernel, stride = case
    x = pool_input(shape, seed=3)
    ours, theirs = leaf(x), torch.tensor(x, requires_grad=True)
    fn = F.max_pool2d if kind == "max" else F.avg_pool2d
    twin = torch.nn.functional.max_pool2d if kind == "max" else torch.nn.functional.avg_pool2d
    y, y_t = fn(ours, kernel, stride), twin(theirs, kernel, stride)
    np.testing.assert_allclose(y.numpy(), y_t.detach().numpy(), rtol=1e-12)
    g = np.random.default_rng(4).standard_normal(y.shape)
    y.backward(g)
    y_t.backward(torch.tensor(g))
    np.testing.assert_allclose(ours.grad, theirs.grad.numpy(), rtol=1e-12, atol=1e-12)


def test_max_pool_routes_gradient_to_the_winner() -> None:
    x = leaf([[[[1.0, 5.0], [3.0, 2.0]]]])
    F.max_pool2d(x, 2).sum().backward()
    assert x.grad.tolist() == [[[[0.0, 1.0], [0.0, 0.0]]]]


def test_pool_errors() -> None:
    with pytest.raises(ValueError, match="max_pool2d: input must be 4-D"):
        F.max_pool2d(Tensor(np.ones((4, 4))), 2)
    with pytest.raises(ValueError, match="avg_pool2d: kernel 5x5 is larger than the input"):
        F.avg_pool2d(Tensor(np.ones((1, 1, 4, 4))), 5)
    with pytest.raises(ValueError, match="max_pool2d: kernel_size must be at least 1; got 0"):
        F.max_pool2d(Tensor(np.ones((1, 1, 4, 4))), 0)


# ---- dropout -------------------------------------------------------------------------------------


def test_dropout_scales_kept_units_and_passes_their_gradient() -> None:
    ag.manual_seed(0)
    x = leaf(np.ones((50, 40)))
    y = F.dropout(x, p=0.3)
    kept = y.numpy() != 0
    np.testing.assert_allclose(y.numpy()[kept], 1 / 0.7)
    assert abs(kept.mean() - 0.7) < 0.03
    y.sum().backward()
    np.testing.assert_allclose(x.grad, kept / 0.7)
    ag.manual_seed(0)
    np.testing.assert_array_equal(F.dropout(x, p=0.3).numpy(), y.numpy())


def test_dropout_identity_cases_and_errors() -> None:
    x = leaf([1.0, 2.0])
    assert F.dropout(x, 0.5, training=False) is x and F.dropout(x, 0.0) is x
    assert F.dropout(x, 1.0).tolist() == [0.0, 0.0]
    with pytest.raises(ValueError, match=r"dropout: p must be a probability in \[0, 1\]; got 1.5"):
        F.dropout(x, 1.5)


# ---- losses ------------------------------------------------------------------------------------


def test_losses_by_hand() -> None:
    p, t = Tensor([1.0, 2.0, 4.0]), Tensor([0.0, 2.0, 1.0])
    assert F.mse_loss(p, t).item() == pytest.approx((1 + 0 + 9) / 3)
    assert F.mse_loss(p, t, reduction="sum").item() == pytest.approx(10.0)
    assert F.mse_loss(p, t, reduction="none").tolist() == [1.0, 0.0, 9.0]
    assert F.l1_loss(p, t).item() == pytest.approx(4 / 3)
    bce = F.binary_cross_entropy(Tensor([0.9, 0.2]), Tensor([1.0, 0.0]), reduction="none")
    np.testing.assert_allclose(bce.numpy(), [-math.log(0.9), -math.log(0.8)], rtol=1e-6)
    z = Tensor([0.0, 2.0, -3.0])
    y = Tensor([1.0, 0.0, 1.0])
    expected = [math.log(2), math.log(1 + math.e**2), math.log(1 + math.e**3)]
    bcel = F.binary_cross_entropy_with_logits(z, y, reduction="none")
    np.testing.assert_allclose(bcel.numpy(), expected, rtol=1e-6)
    ce = F.cross_entropy(Tensor([[1.0, 2.0, 3.0]]), np.array([2]))
    assert ce.item() == pytest.approx(math.log(math.e + math.e**2 + math.e**3) - 3.0)
    hinge = F.hinge_loss(Tensor([0.5, -2.0, 3.0]), Tensor([1.0, 1.0, -1.0]), reduction="none")
    assert hinge.tolist() == [0.5, 3.0, 4.0]
    perceptron = F.hinge_loss(Tensor([0.5, -2.0]), Tensor([1.0, 1.0]), margin=0.0, reduction="sum")
    assert perceptron.item() == 2.0  # the lecture's max(−y·ŷ, 0)


def test_bce_with_logits_gradient_at_zero_is_sigmoid_minus_target() -> None:
    z = leaf([0.0, 0.0])
    F.binary_cross_entropy_with_logits(
        z, Tensor([1.0, 0.0], dtype="float64"), reduction="sum"
    ).backward()
    np.testing.assert_allclose(z.grad, [-0.5, 0.5])


def test_bce_with_logits_does_not_overflow() -> None:
    z = leaf([1000.0, -1000.0])
    loss = F.binary_cross_entropy_with_logits(
        z, Tensor([0.0, 1.0], dtype="float64"), reduction="none"
    )
    np.testing.assert_allclose(loss.numpy(), [1000.0, 1000.0])
    loss.sum().backward()
    np.testing.assert_allclose(z.grad, [1.0, -1.0])


def test_cross_entropy_is_stable_for_huge_logits() -> None:
    logits = leaf([[1000.0, 0.0], [0.0, -1000.0]])
    loss = F.cross_entropy(logits, np.array([1, 1]), reduction="none")
    np.testing.assert_allclose(loss.numpy(), [1000.0, 1000.0])


def _loss_cases():
    rng = np.random.default_rng(9)
    pred, target = rng.standard_normal((4, 3)), rng.standard_normal((4, 3))
    probs, labels01 = rng.uniform(0.05, 0.95, (4, 3)), rng.integers(0, 2, (4, 3)).astype(float)
    logits, classes = rng.standard_normal((5, 4)), rng.integers(0, 4, 5)
    soft = rng.dirichlet(np.ones(4), size=5)
    signs = np.where(rng.standard_normal(6) > 0, 1.0, -1.0)
    scores = rng.standard_normal(6) * 2
    scores[np.abs(1 - signs * scores) < 0.05] += 0.2  # keep away from the hinge's kink
    return {
        "mse": (F.mse_loss, pred, target, lambda T, a, b, r: T.mse_loss(a, b, reduction=r)),
        "l1": (F.l1_loss, pred, target, lambda T, a, b, r: T.l1_loss(a, b, reduction=r)),
        "bce": (
            F.binary_cross_entropy,
            probs,
            labels01,
            lambda T, a, b, r: T.binary_cross_entropy(a, b, reduction=r),
        ),
        "bce_logits": (
            F.binary_cross_entropy_with_logits,
            pred,
            labels01,
            lambda T, a, b, r: T.binary_cross_entropy_with_logits(a, b, reduction=r),
        ),
        "ce_index": (
            F.cross_entropy,
            logits,
            classes,
            lambda T, a, b, r: T.cross_entropy(a, b, reduction=r),
        ),
        "ce_probs": (
            F.cross_entropy,
            logits,
            soft,
            lambda T, a, b, r: T.cross_entropy(a, b, reduction=r),
        ),
        "hinge": (
            F.hinge_loss,
            scores,
            signs,
            lambda T, a, b, r: _torch_hinge(a, b, r),
        ),
    }


def _torch_hinge(scores, target, reduction):
    import torch

    loss = torch.clamp(1.0 - target * scores, min=0.0)
    return {"mean": loss.mean, "sum": loss.sum, "none": lambda: loss}[reduction]()


LOSSES = _loss_cases()


def _target(t: np.ndarray):
    return t if t.dtype.kind == "i" else Tensor(t)


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("name", sorted(LOSSES))
def test_loss_gradcheck(name: str, reduction: str) -> None:
    fn, x, target, _ = LOSSES[name]
    assert gradcheck(lambda t: fn(t, _target(target), reduction=reduction), leaf(x))


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("name", sorted(LOSSES))
def test_loss_matches_torch(name: str, reduction: str) -> None:
    torch = pytest.importorskip("torch")
    fn, x, target, twin = LOSSES[name]
    ours, theirs = leaf(x), torch.tensor(x, requires_grad=True)
    out = fn(ours, _target(target), reduction=reduction)
    out_t = twin(torch.nn.functional, theirs, torch.tensor(target), reduction)
    np.testing.assert_allclose(out.numpy(), out_t.detach().numpy(), rtol=1e-12, atol=1e-12)
    g = np.random.default_rng(1).standard_normal(out.shape)
    out.backward(g)
    out_t.backward(torch.tensor(g))
    np.testing.assert_allclose(ours.grad, theirs.grad.numpy(), rtol=1e-10, atol=1e-12)


def test_cross_entropy_single_sample_and_targets_as_tensor() -> None:
    logits = leaf([0.5, 1.5, -1.0])
    one = F.cross_entropy(logits, 1)
    many = F.cross_entropy(Tensor([[0.5, 1.5, -1.0]], dtype="float64"), Tensor(np.array([1])))
    assert one.item() == pytest.approx(many.item())
    assert F.cross_entropy(logits, 1, reduction="none").shape == ()


def test_loss_errors() -> None:
    with pytest.raises(ValueError) as err:
        F.mse_loss(Tensor(np.ones((4, 1))), Tensor(np.ones(4)))
    assert "mse_loss: input and target shapes differ; got (4, 1) and (4,)" in str(err.value)
    with pytest.raises(ValueError, match="mse_loss: unknown reduction; got 'avg'"):
        F.mse_loss(Tensor([1.0]), Tensor([1.0]), reduction="avg")
    with pytest.raises(ValueError, match="binary_cross_entropy: input must be probabilities"):
        F.binary_cross_entropy(Tensor([1.5]), Tensor([1.0]))
    with pytest.raises(ValueError, match="cross_entropy: class index out of range"):
        F.cross_entropy(Tensor(np.zeros((2, 3))), np.array([0, 3]))
    with pytest.raises(ValueError, match=r"cross_entropy: class-index targets must have shape"):
        F.cross_entropy(Tensor(np.zeros((2, 3))), np.array([0, 1, 2]))
    with pytest.raises(ValueError, match="cross_entropy: probability targets must have"):
        F.cross_entropy(Tensor(np.zeros((2, 3))), np.zeros((2, 2)))
    with pytest.raises(ValueError, match="hinge_loss: targets must be -1 or \\+1"):
        F.hinge_loss(Tensor([1.0, 2.0]), Tensor([0.0, 1.0]))


# ---- activations -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, kwargs",
    [
        ("relu", {}),
        ("sigmoid", {}),
        ("tanh", {}),
        ("softplus", {}),
        ("elu", {"alpha": 0.5}),
        ("leaky_relu", {"negative_slope": 0.2}),
        ("softmax", {"dim": 1}),
        ("log_softmax", {"dim": 0}),
    ],
)
def test_activation_conveniences_match_torch(name: str, kwargs: dict) -> None:
    torch = pytest.importorskip("torch")
    x = np.random.default_rng(0).standard_normal((3, 4))
    ours = getattr(F, name)(Tensor(x), **kwargs)
    theirs = getattr(torch.nn.functional, name)(torch.tensor(x), **kwargs)
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-12, atol=1e-12)


# ---- a whole training step ---------------------------------------------------------------------


def _lenet_step(x, y, params, lr):
    w1, b1, w2, b2, w3, b3 = params
    h = F.max_pool2d(F.conv2d(x, w1, b1, padding=1).relu(), 2)
    h = F.max_pool2d(F.conv2d(h, w2, b2, padding=1).relu(), 2)
    loss = F.cross_entropy(F.linear(h.flatten(1), w3, b3), y)
    loss.backward()
    for p in params:
        p.data -= lr * p.grad
    return loss.item()


def test_lenet_like_step_matches_torch() -> None:
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(0)
    x = rng.standard_normal((4, 1, 12, 12))
    y = rng.integers(0, 10, 4)
    shapes = [(3, 1, 3, 3), (3,), (5, 3, 3, 3), (5,), (10, 45), (10,)]
    init = [rng.standard_normal(s) * 0.3 for s in shapes]
    ours = [leaf(a) for a in init]
    loss = _lenet_step(Tensor(x), y, ours, 0.1)

    TF = torch.nn.functional
    theirs = [torch.tensor(a, requires_grad=True) for a in init]
    w1, b1, w2, b2, w3, b3 = theirs
    xt = torch.tensor(x)
    h = TF.max_pool2d(TF.relu(TF.conv2d(xt, w1, b1, padding=1)), 2)
    h = TF.max_pool2d(TF.relu(TF.conv2d(h, w2, b2, padding=1)), 2)
    loss_t = TF.cross_entropy(TF.linear(h.flatten(1), w3, b3), torch.tensor(y))
    loss_t.backward()
    assert loss == pytest.approx(loss_t.item(), rel=1e-12)
    with torch.no_grad():
        for ours_p, theirs_p in zip(ours, theirs, strict=True):
            np.testing.assert_allclose(
                ours_p.numpy(), (theirs_p - 0.1 * theirs_p.grad).numpy(), rtol=1e-10, atol=1e-12
            )
