"""Loss options against PyTorch: weight, ignore_index, label_smoothing, probability targets and
(N, C, d1, ...) inputs for cross_entropy / nll_loss, weight for BCE, weight and pos_weight for BCE
with logits, in every combination, float32 and float64, values and gradients, and the errors.
Includes the facts of tinygrad's loss tests (shapes, options, negative class weights),
re-written."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

import autograd
import nn
from autograd import Tensor, Value
from nn import functional as F

torch = pytest.importorskip("torch")
TF = torch.nn.functional

REDUCTIONS = ["mean", "sum", "none"]


def tol(dtype):
    return {"rtol": 2e-5, "atol": 2e-6} if dtype == np.float32 else {"rtol": 1e-10, "atol": 1e-12}


def upstream(shape, dtype, seed=5):
    return np.random.default_rng(seed).standard_normal(shape).astype(dtype)


def compare(ours_fn, torch_fn, inputs, dtype):
    """Run both on copies of ``inputs`` (arrays; each one differentiated) and compare the value
    and every input's gradient under the same random upstream gradient."""
    tin = [torch.from_numpy(a.copy()).requires_grad_() for a in inputs]
    ty = torch_fn(*tin)
    g = upstream(tuple(ty.shape), dtype)
    ty.backward(torch.from_numpy(g))
    oin = [Tensor(a.copy(), requires_grad=True) for a in inputs]
    y = ours_fn(*oin)
    assert y.shape == tuple(ty.shape) and y.dtype == dtype
    np.testing.assert_allclose(y.numpy(), ty.detach().numpy(), **tol(dtype))
    y.backward(g)
    for o, t in zip(oin, tin, strict=True):
        np.testing.assert_allclose(o.grad, t.grad.numpy(), **tol(dtype))


def class_targets(out_shape, c, ignore, rng):
    """Int targets of ``out_shape`` in 0..c-1; ``ignore``: None, or the index to plant."""
    t = rng.integers(0, c, size=out_shape)
    if ignore is not None:
        flat = t.reshape(-1)
        flat[::3] = ignore  # every third sample is ignored, the rest still count
    return t


# (input shape, per-sample loss shape)
CLASS_SHAPES = [((5, 4), (5,)), ((4,), ()), ((3, 4, 2), (3, 2)), ((2, 3, 2, 2), (2, 2, 2))]
CLASS_IDS = ["NxC", "C", "NxCxd", "NxCxd1xd2"]
# (ignore_index passed, value planted among the targets)
IGNORES = [(-100, None), (-100, -100), (1, 1)]


@pytest.mark.parametrize("dtype", [np.float64, np.float32], ids=["float64", "float32"])
@pytest.mark.parametrize("shape, out_shape", CLASS_SHAPES, ids=CLASS_IDS)
def test_cross_entropy_class_indices_every_option(shape, out_shape, dtype):
    rng = np.random.default_rng(0)
    c = shape[0] if len(shape) == 1 else shape[1]
    x = rng.standard_normal(shape).astype(dtype) * 2
    weights = [None, rng.uniform(0.2, 3.0, size=c).astype(dtype)]
    for w, (ignore_index, planted), reduction, ls in itertools.product(
        weights, IGNORES, REDUCTIONS, [0.0, 0.3, 1.0]
    ):
        if out_shape == () and planted is not None:
            planted = None  # one sample: ignoring it leaves nothing to compare but NaN
        t = class_targets(out_shape, c, planted, rng)
        tw = None if w is None else torch.from_numpy(w)
        compare(
            lambda a, t=t, w=w, ii=ignore_index, r=reduction, ls=ls: F.cross_entropy(
                a, t, w, ignore_index=ii, reduction=r, label_smoothing=ls
            ),
            lambda a, t=t, tw=tw, ii=ignore_index, r=reduction, ls=ls: TF.cross_entropy(
                a, torch.from_numpy(t), tw, ignore_index=ii, reduction=r, label_smoothing=ls
            ),
            [x],
            dtype,
        )


PROB_SHAPES = [(5, 4), (4,), (3, 4, 2), (32,), (2, 4, 4, 4)]


@pytest.mark.parametrize("dtype", [np.float64, np.float32], ids=["float64", "float32"])
@pytest.mark.parametrize("shape", PROB_SHAPES, ids=["NxC", "C", "NxCxd", "C32", "NxCxd1xd2"])
def test_cross_entropy_probability_targets_every_option(shape, dtype):
    rng = np.random.default_rng(1)
    c = shape[0] if len(shape) == 1 else shape[1]
    x = rng.standard_normal(shape).astype(dtype)
    q = rng.uniform(size=shape).astype(dtype)
    q = q / q.sum(axis=0 if len(shape) == 1 else 1, keepdims=True)
    weights = [None, rng.uniform(0.2, 3.0, size=c).astype(dtype)]
    for w, reduction, ls in itertools.product(weights, REDUCTIONS, [0.0, 0.3, 0.7, 1.0]):
        tw = None if w is None else torch.from_numpy(w)
        compare(  # the gradient in the target rows too
            lambda a, b, w=w, r=reduction, ls=ls: F.cross_entropy(
                a, b, w, reduction=r, label_smoothing=ls
            ),
            lambda a, b, tw=tw, r=reduction, ls=ls: TF.cross_entropy(
                a, b, tw, reduction=r, label_smoothing=ls
            ),
            [x, q],
            dtype,
        )
        y = F.cross_entropy(Tensor(x), q, w, reduction=reduction, label_smoothing=ls)  # array q
        ty = TF.cross_entropy(
            torch.from_numpy(x), torch.from_numpy(q), tw, reduction=reduction, label_smoothing=ls
        )
        np.testing.assert_allclose(y.numpy(), ty.numpy(), **tol(dtype))


@pytest.mark.parametrize("dtype", [np.float64, np.float32], ids=["float64", "float32"])
@pytest.mark.parametrize("shape, out_shape", CLASS_SHAPES, ids=CLASS_IDS)
def test_nll_loss_every_option(shape, out_shape, dtype):
    rng = np.random.default_rng(2)
    c = shape[0] if len(shape) == 1 else shape[1]
    axis = 0 if len(shape) == 1 else 1
    x = rng.standard_normal(shape).astype(dtype)
    log_p = x - np.log(np.exp(x).sum(axis=axis, keepdims=True))
    # tinygrad's case: class weights drawn from a normal, so some are negative
    weights = [None, rng.uniform(0.2, 3.0, size=c).astype(dtype), rng.normal(size=c).astype(dtype)]
    for w, (ignore_index, planted), reduction in itertools.product(weights, IGNORES, REDUCTIONS):
        if out_shape == () and planted is not None:
            planted = None
        t = class_targets(out_shape, c, planted, rng)
        if w is not None and reduction == "mean" and abs(w[t[t != planted]].sum()) < 0.1:
            continue  # a near-zero weighted count: both divide by it, a tolerance test then
        tw = None if w is None else torch.from_numpy(w)
        compare(
            lambda a, t=t, w=w, ii=ignore_index, r=reduction: F.nll_loss(
                a, t, w, ignore_index=ii, reduction=r
            ),
            lambda a, t=t, tw=tw, ii=ignore_index, r=reduction: TF.nll_loss(
                a, torch.from_numpy(t), tw, ignore_index=ii, reduction=r
            ),
            [log_p],
            dtype,
        )


def test_log_softmax_then_nll_loss_is_cross_entropy():
    rng = np.random.default_rng(3)
    x = Tensor(rng.standard_normal((6, 5)))
    t = rng.integers(0, 5, size=6)
    w = rng.uniform(0.5, 2.0, size=5)
    a = F.nll_loss(x.log_softmax(axis=1), t, w, ignore_index=t[0])
    b = F.cross_entropy(x, t, w, ignore_index=t[0])
    np.testing.assert_allclose(a.item(), b.item(), rtol=1e-12)


@pytest.mark.parametrize(
    "as_target",
    [
        lambda t: Tensor(t),  # int64 Tensor
        lambda t: t.astype(np.int32),
        lambda t: t.tolist(),
        lambda t: t.astype(np.uint8),
    ],
    ids=["int64-tensor", "int32-array", "list", "uint8-array"],
)
def test_targets_as_int_tensors_arrays_or_lists(as_target):
    rng = np.random.default_rng(4)
    x = rng.standard_normal((6, 3))
    t = rng.integers(0, 3, size=6)
    w = np.array([0.5, 1.0, 2.0])
    expected = TF.cross_entropy(
        torch.from_numpy(x), torch.from_numpy(t), torch.from_numpy(w), label_smoothing=0.1
    )
    got = F.cross_entropy(Tensor(x), as_target(t), w, label_smoothing=0.1)
    np.testing.assert_allclose(got.item(), expected.item(), rtol=1e-12)
    got = nn.NLLLoss(Tensor(w))(Tensor(x).log_softmax(axis=1), as_target(t))
    expected = TF.nll_loss(
        TF.log_softmax(torch.from_numpy(x), 1), torch.from_numpy(t), torch.from_numpy(w)
    )
    np.testing.assert_allclose(got.item(), expected.item(), rtol=1e-12)


@pytest.mark.parametrize("op", ["cross_entropy", "nll_loss"])
def test_all_targets_ignored_gives_nan_with_zero_gradients(op):
    x = np.random.default_rng(5).standard_normal((3, 4))
    t = np.array([2, 2, 2])
    for kwargs in [{"ignore_index": 2}, {"weight": np.array([1.0, 1.0, 0.0, 1.0])}]:
        tx = torch.from_numpy(x.copy()).requires_grad_()
        tkw = {
            k: torch.from_numpy(v) if isinstance(v, np.ndarray) else v for k, v in kwargs.items()
        }
        ty = getattr(TF, op)(tx, torch.from_numpy(t), **tkw)
        ty.backward()
        ox = Tensor(x.copy(), requires_grad=True)
        y = getattr(F, op)(ox, t, **kwargs)
        y.backward()
        assert np.isnan(y.item()) and np.isnan(ty.item())
        np.testing.assert_array_equal(ox.grad, tx.grad.numpy())  # zeros, not NaN


def test_label_smoothing_with_weights_and_ignored_targets_by_hand():
    # PyTorch's formula: (1 - ε)·nll + ε/C · Σ_c w_c(-log p_c), both over Σ w_y of kept targets
    x = np.array([[2.0, 0.5, -1.0], [1.5, 2.5, -0.5], [0.0, -2.0, 1.0]])
    t = np.array([0, 1, 2])
    w = np.array([1.0, 2.0, 3.0])
    eps, c = 0.2, 3
    log_p = x - np.log(np.exp(x).sum(axis=1, keepdims=True))
    kept = t != 1
    nll = -(w[t] * log_p[np.arange(3), t])[kept].sum()
    smooth = -(log_p * w).sum(axis=1)[kept].sum()
    expected = ((1 - eps) * nll + eps / c * smooth) / w[t][kept].sum()
    got = F.cross_entropy(Tensor(x), t, w, ignore_index=1, label_smoothing=eps).item()
    np.testing.assert_allclose(got, expected, rtol=1e-12)
    theirs = TF.cross_entropy(
        torch.from_numpy(x),
        torch.from_numpy(t),
        torch.from_numpy(w),
        ignore_index=1,
        label_smoothing=eps,
    ).item()
    np.testing.assert_allclose(got, theirs, rtol=1e-12)


def test_huge_logits_stay_finite_with_every_option():
    rng = np.random.default_rng(6)
    x = rng.standard_normal((4, 3)) * 1e4
    t = np.array([0, 1, 2, 1])
    w = np.array([1.0, 2.0, 0.5])
    for dtype in (np.float32, np.float64):
        compare(
            lambda a, dtype=dtype: F.cross_entropy(
                a, t, w.astype(dtype), ignore_index=2, label_smoothing=0.1
            ),
            lambda a, dtype=dtype: TF.cross_entropy(
                a,
                torch.from_numpy(t),
                torch.from_numpy(w.astype(dtype)),
                ignore_index=2,
                label_smoothing=0.1,
            ),
            [x.astype(dtype)],
            dtype,
        )


def test_gradcheck_cross_entropy_and_nll_with_options():
    rng = np.random.default_rng(7)
    x = Tensor(rng.standard_normal((2, 4, 3)), requires_grad=True)
    t = np.array([[0, 1, 3], [1, 1, 2]])
    w = np.array([0.5, 1.5, 1.0, 2.0])
    assert autograd.gradcheck(
        lambda a: F.cross_entropy(a, t, w, ignore_index=1, label_smoothing=0.25), x
    )
    assert autograd.gradcheck(lambda a: F.nll_loss(a, t, w, ignore_index=3, reduction="sum"), x)
    q = Tensor(rng.uniform(size=(2, 4, 3)), requires_grad=True)
    assert autograd.gradcheck(lambda a, b: F.cross_entropy(a, b, w, label_smoothing=0.5), x, q)


# ---- binary cross-entropy -----------------------------------------------------------------------

# (input shape, weight shape): weights broadcast to the input as in PyTorch
BCE_WEIGHTS = [
    ((6,), None),
    ((6,), ()),
    ((6,), (6,)),
    ((4, 3), (3,)),
    ((4, 3), (4, 1)),
    ((4, 3), (4, 3)),
    ((2, 4, 3), (3,)),
]


@pytest.mark.parametrize("dtype", [np.float64, np.float32], ids=["float64", "float32"])
@pytest.mark.parametrize("shape, wshape", BCE_WEIGHTS, ids=[str(w) for w in BCE_WEIGHTS])
def test_binary_cross_entropy_weight(shape, wshape, dtype):
    rng = np.random.default_rng(8)
    p = rng.uniform(0.02, 0.98, size=shape).astype(dtype)
    y = rng.uniform(size=shape).astype(dtype)
    w = None if wshape is None else rng.uniform(0.2, 3.0, size=wshape).astype(dtype)
    tw = None if w is None else torch.from_numpy(w)
    for reduction in REDUCTIONS:
        compare(  # the gradient in the target too
            lambda a, b, r=reduction: F.binary_cross_entropy(a, b, w, reduction=r),
            lambda a, b, r=reduction: TF.binary_cross_entropy(a, b, tw, reduction=r),
            [p, y],
            dtype,
        )


def test_binary_cross_entropy_weight_at_saturated_probabilities():
    p = np.array([0.0, 1.0, 1.0, 0.0, 0.5])
    y = np.array([0.0, 1.0, 0.0, 1.0, 1.0])
    w = np.array([2.0, 3.0, 0.5, 4.0, 1.5])
    for reduction in REDUCTIONS:
        compare(
            lambda a, r=reduction: F.binary_cross_entropy(a, y, w, reduction=r),
            lambda a, r=reduction: TF.binary_cross_entropy(
                a, torch.from_numpy(y), torch.from_numpy(w), reduction=r
            ),
            [p],
            np.float64,
        )


# (input shape, weight shape, pos_weight shape)
LOGIT_WEIGHTS = [
    ((4, 3), None, (3,)),
    ((4, 3), (3,), (3,)),
    ((4, 3), (4, 1), (4, 1)),
    ((4, 3), None, ()),
    ((32, 10), None, (10,)),
    ((2, 4, 3), (4, 3), (3,)),
    ((6,), (6,), None),
]


@pytest.mark.parametrize("dtype", [np.float64, np.float32], ids=["float64", "float32"])
@pytest.mark.parametrize(
    "shape, wshape, pshape", LOGIT_WEIGHTS, ids=[str(c) for c in LOGIT_WEIGHTS]
)
def test_binary_cross_entropy_with_logits_weight_and_pos_weight(shape, wshape, pshape, dtype):
    rng = np.random.default_rng(9)
    z = (rng.standard_normal(shape) * 3).astype(dtype)
    y = rng.uniform(size=shape).astype(dtype)
    w = None if wshape is None else rng.uniform(0.2, 3.0, size=wshape).astype(dtype)
    pw = None if pshape is None else rng.uniform(0.25, 7.0, size=pshape).astype(dtype)
    tw = None if w is None else torch.from_numpy(w)
    tpw = None if pw is None else torch.from_numpy(pw)
    for reduction in REDUCTIONS:
        compare(
            lambda a, b, r=reduction: F.binary_cross_entropy_with_logits(
                a, b, w, reduction=r, pos_weight=pw
            ),
            lambda a, b, r=reduction: TF.binary_cross_entropy_with_logits(
                a, b, tw, reduction=r, pos_weight=tpw
            ),
            [z, y],
            dtype,
        )


def test_binary_cross_entropy_with_logits_pos_weight_is_stable_at_huge_scores():
    z = np.array([-200.0, -50.0, 0.0, 50.0, 200.0])
    y = np.array([1.0, 0.0, 1.0, 1.0, 0.0])
    pw = np.array([3.0])
    compare(
        lambda a: F.binary_cross_entropy_with_logits(a, y, pos_weight=pw, reduction="sum"),
        lambda a: TF.binary_cross_entropy_with_logits(
            a, torch.from_numpy(y), pos_weight=torch.from_numpy(pw), reduction="sum"
        ),
        [z],
        np.float64,
    )


@pytest.mark.parametrize("op", ["mse_loss", "l1_loss"])
def test_mse_and_l1_reductions_match_torch(op):
    rng = np.random.default_rng(10)
    a, b = rng.standard_normal((2, 4, 3))
    for reduction in REDUCTIONS:
        compare(
            lambda u, v, r=reduction: getattr(F, op)(u, v, reduction=r),
            lambda u, v, r=reduction: getattr(TF, op)(u, v, reduction=r),
            [a, b],
            np.float64,
        )


# ---- modules ------------------------------------------------------------------------------------


def test_loss_modules_take_pytorchs_arguments():
    rng = np.random.default_rng(11)
    x = rng.standard_normal((6, 4))
    t = rng.integers(0, 4, size=6)
    w = rng.uniform(0.5, 2.0, size=4)
    p = rng.uniform(0.05, 0.95, size=(6, 4))
    y = rng.uniform(size=(6, 4))
    tt, tw = torch.from_numpy(t), torch.from_numpy(w)
    cases = [
        (
            nn.CrossEntropyLoss(Tensor(w), ignore_index=t[0], reduction="sum", label_smoothing=0.2),
            torch.nn.CrossEntropyLoss(
                tw, ignore_index=int(t[0]), reduction="sum", label_smoothing=0.2
            ),
            x,
            t,
            tt,
        ),
        (nn.CrossEntropyLoss(w), torch.nn.CrossEntropyLoss(tw), x, t, tt),  # weight positional
        (
            nn.NLLLoss(Tensor(w), ignore_index=t[1]),
            torch.nn.NLLLoss(tw, ignore_index=int(t[1])),
            x,
            t,
            tt,
        ),
        (
            nn.BCELoss(Tensor(w), reduction="none"),
            torch.nn.BCELoss(tw, reduction="none"),
            p,
            y,
            torch.from_numpy(y),
        ),
        (
            nn.BCEWithLogitsLoss(Tensor(w), pos_weight=Tensor(w[::-1].copy())),
            torch.nn.BCEWithLogitsLoss(tw, pos_weight=torch.from_numpy(w[::-1].copy())),
            x,
            y,
            torch.from_numpy(y),
        ),
    ]
    for ours, theirs, a, target, ttarget in cases:
        ta = torch.from_numpy(a.copy()).requires_grad_()
        ty = theirs(ta, ttarget)
        ty.sum().backward()
        oa = Tensor(a.copy(), requires_grad=True)
        out = ours(oa, target)
        out.sum().backward()
        np.testing.assert_allclose(out.numpy(), ty.detach().numpy(), rtol=1e-12)
        np.testing.assert_allclose(oa.grad, ta.grad.numpy(), rtol=1e-12, atol=1e-15)
        assert list(ours.state_dict()) == list(theirs.state_dict())  # weights are buffers
        assert ours.parameters() == []


def test_loss_module_weights_follow_the_module_dtype():
    loss = nn.CrossEntropyLoss(weight=[1.0, 2.0]).double()
    assert loss.weight.dtype == np.float64
    x = Tensor(np.array([[0.0, 1.0]]), requires_grad=True)
    assert loss(x, [1]).dtype == np.float64


# ---- errors -------------------------------------------------------------------------------------

X34 = np.zeros((3, 4))
T3 = np.array([0, 1, 2])


class TorchF:
    """torch.nn.functional with numpy arguments turned into tensors: the error table's calls
    run unchanged on both libraries."""

    is_torch = True

    def __getattr__(self, op):
        def call(*args, **kwargs):
            args = [torch.from_numpy(v) if isinstance(v, np.ndarray) else v for v in args]
            kwargs = {
                k: torch.from_numpy(v) if isinstance(v, np.ndarray) else v
                for k, v in kwargs.items()
            }
            return getattr(TF, op)(*args, **kwargs)

        return call


def grad_weight(lib):
    if getattr(lib, "is_torch", False):
        return torch.ones(4, dtype=torch.float64, requires_grad=True)
    return Tensor(np.ones(4), requires_grad=True)


ERRORS = [
    (
        "weight-size",
        "cross_entropy",
        lambda L, x, t: L.cross_entropy(x, t, weight=np.ones(3)),
        ValueError,
        "weight must hold one value per class; got shape (3,), expected (4,)",
    ),
    (
        "label-smoothing-above-1",
        "cross_entropy",
        lambda L, x, t: L.cross_entropy(x, t, label_smoothing=1.5),
        ValueError,
        "label_smoothing must be between 0.0 and 1.0; got 1.5",
    ),
    (
        "ignore-index-probabilities",
        "cross_entropy",
        lambda L, x, t: L.cross_entropy(x, np.full((3, 4), 0.25), ignore_index=1),
        ValueError,
        "ignore_index is not supported for probability targets",
    ),
    (
        "weight-requires-grad",
        "cross_entropy",
        lambda L, x, t: L.cross_entropy(x, t, weight=grad_weight(L)),
        RuntimeError,
        "weight must not require grad",
    ),
    (
        "reduction-positional",
        "cross_entropy",
        lambda L, x, t: L.cross_entropy(x, t, "sum"),
        TypeError,
        "pass reduction='sum' by keyword",
    ),
    (
        "nll-float-target",
        "nll_loss",
        lambda L, x, t: L.nll_loss(x, np.array([0.0, 1.0, 2.0])),
        TypeError,
        "target must hold int class indices; got dtype float64",
    ),
    (
        "out-of-range",
        "nll_loss",
        lambda L, x, t: L.nll_loss(x, np.array([0, -1, 2])),
        ValueError,
        "class index out of range; got values in [-1, 2]",
    ),
    (
        "ignore-then-out-of-range",
        "cross_entropy",
        lambda L, x, t: L.cross_entropy(x, np.array([0, 7, 4]), ignore_index=7),
        ValueError,
        "class index out of range; got values in [0, 4]",
    ),
    (
        "nll-reduction",
        "nll_loss",
        lambda L, x, t: L.nll_loss(x, t, reduction="typo"),
        ValueError,
        "unknown reduction; got 'typo'",
    ),
    (
        "spatial-target-shape",
        "cross_entropy",
        lambda L, x, t: L.cross_entropy(x.reshape(1, 4, 3), np.array([[0, 1]])),
        ValueError,
        "class-index targets must have shape (1, 3); got (1, 2)",
    ),
    (
        "bce-weight-broadcast",
        "binary_cross_entropy",
        lambda L, x, t: L.binary_cross_entropy(x + 0.5, x + 1.0, weight=np.ones(3)),
        ValueError,
        "weight must broadcast to the input's shape",
    ),
    (
        "bce-weight-requires-grad",
        "binary_cross_entropy",
        lambda L, x, t: L.binary_cross_entropy(x + 0.5, x + 1.0, weight=grad_weight(L)),
        RuntimeError,
        "weight must not require grad",
    ),
    (
        "bce-reduction-positional",
        "binary_cross_entropy_with_logits",
        lambda L, x, t: L.binary_cross_entropy_with_logits(x, x, "sum"),
        TypeError,
        "pass reduction='sum' by keyword",
    ),
    (
        "pos-weight-broadcast",
        "binary_cross_entropy_with_logits",
        lambda L, x, t: L.binary_cross_entropy_with_logits(x, x, pos_weight=np.ones(3)),
        ValueError,
        "pos_weight must broadcast to the input's shape",
    ),
]


@pytest.mark.parametrize("name, api, call, error, message", ERRORS, ids=[e[0] for e in ERRORS])
def test_errors_say_what_differs_and_torch_refuses_too(name, api, call, error, message):
    with pytest.raises(error) as info:
        call(F, Tensor(X34.copy()), T3)
    assert str(info.value).startswith(f"{api}: ") and message in str(info.value)
    with pytest.raises((RuntimeError, ValueError, TypeError, IndexError)):  # PyTorch refuses too
        call(TorchF(), torch.zeros(3, 4, dtype=torch.float64), torch.from_numpy(T3))


def test_negative_label_smoothing_is_refused_where_torch_ignores_it():
    x, t = np.random.default_rng(12).standard_normal((3, 4)), np.array([0, 1, 2])
    with pytest.raises(ValueError, match="cross_entropy: label_smoothing must be between 0.0"):
        F.cross_entropy(Tensor(x), t, label_smoothing=-0.1)
    tx, tt = torch.from_numpy(x), torch.from_numpy(t)  # PyTorch silently uses 0 instead
    assert TF.cross_entropy(tx, tt, label_smoothing=-0.1) == TF.cross_entropy(tx, tt)


def test_options_refused_for_scalar_values():
    logits = [[Value(1.0), Value(0.0)], [Value(0.0), Value(2.0)]]
    assert isinstance(nn.CrossEntropyLoss()(logits, [0, 1]), Value)  # defaults still work
    for loss in [
        nn.CrossEntropyLoss(weight=[1.0, 2.0]),
        nn.CrossEntropyLoss(ignore_index=0),
        nn.CrossEntropyLoss(label_smoothing=0.1),
    ]:
        with pytest.raises(
            TypeError, match="CrossEntropyLoss: .* is supported for Tensor inputs only"
        ):
            loss(logits, [0, 1])
    with pytest.raises(TypeError, match="BCEWithLogitsLoss: pos_weight is supported for Tensor"):
        nn.BCEWithLogitsLoss(pos_weight=[2.0])([Value(0.0)], [1.0])
    with pytest.raises(
        TypeError, match="BCELoss: weight is supported for Tensor inputs only; got Value"
    ):
        nn.BCELoss(weight=[2.0])([Value(0.5)], [1.0])
    with pytest.raises(TypeError, match="NLLLoss: input must be a Tensor of log-probabilities"):
        nn.NLLLoss()(logits, [0, 1])


def test_module_refuses_a_reduction_in_the_weight_slot():
    with pytest.raises(
        TypeError,
        match="CrossEntropyLoss: weight must be a Tensor or an array; "
        "got 'sum'. As in PyTorch, the first argument is weight",
    ):
        nn.CrossEntropyLoss("sum")
    with pytest.raises(TypeError):
        torch.nn.CrossEntropyLoss("sum")(torch.zeros(1, 2), torch.tensor([0]))
