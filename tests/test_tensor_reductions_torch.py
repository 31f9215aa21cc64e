"""Reductions with PyTorch's habits: ``dim``/``keepdim`` next to numpy's ``axis``/``keepdims``,
``max(dim)`` → ``(values, indices)``, ``amax``/``amin``, ``argmax``/``argmin``, ``var``/``std``,
``cumsum``, ``all``/``any``, ``size()``, ``cat``.

Every value and gradient is checked against PyTorch on the same float64 inputs (skipped when torch
is missing), against numpy, or against central differences (`gradcheck`); the error cases check
that a difference from PyTorch is said, not silently computed.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import autograd as ag
from autograd import Tensor, gradcheck


def _torch() -> Any:
    return pytest.importorskip("torch")


def _data(shape: tuple[int, ...], seed: int = 0) -> np.ndarray:
    """Distinct float64 values (no ties), so that max/min pick one element."""
    rng = np.random.default_rng(seed)
    return (
        rng.permutation(np.prod(shape, dtype=int)).reshape(shape) * 0.37
        - 3.0
        + rng.uniform(0, 0.01, shape)
    )


def _check_against_torch(
    ours: Callable[[Tensor], Tensor],
    theirs: Callable[[Any], Any],
    data: np.ndarray,
    seed: int = 1,
) -> None:
    """Same forward values, shape and dtype, and the same gradient for a random upstream one."""
    torch = _torch()
    x = Tensor(data, requires_grad=True)
    xt = torch.tensor(data, requires_grad=True)
    y, yt = ours(x), theirs(xt)
    assert y.shape == tuple(yt.shape)
    np.testing.assert_allclose(y.numpy(), yt.detach().numpy(), rtol=1e-10, atol=1e-12)
    grad = np.random.default_rng(seed).standard_normal(y.shape)
    y.backward(grad)
    (expected,) = torch.autograd.grad(yt, xt, torch.tensor(grad))
    assert x.grad is not None
    np.testing.assert_allclose(x.grad, expected.numpy(), rtol=1e-10, atol=1e-12)


# One row per call: our spelling (PyTorch's, numpy's, or positional) and PyTorch's own call.
CALLS: list[tuple[str, Callable[[Any], Any], Callable[[Any], Any]]] = [
    ("sum-dim", lambda x: x.sum(dim=1), lambda t: t.sum(dim=1)),
    ("sum-axis", lambda x: x.sum(axis=1), lambda t: t.sum(dim=1)),
    ("sum-positional-keep", lambda x: x.sum(1, True), lambda t: t.sum(1, True)),
    (
        "sum-dims-keepdim",
        lambda x: x.sum(dim=(0, -1), keepdim=True),
        lambda t: t.sum((0, -1), True),
    ),
    ("sum-axis-keepdims", lambda x: x.sum(axis=-1, keepdims=True), lambda t: t.sum(-1, True)),
    ("sum-dim-keepdims", lambda x: x.sum(dim=0, keepdims=True), lambda t: t.sum(0, True)),
    ("mean-dim", lambda x: x.mean(dim=-2), lambda t: t.mean(dim=-2)),
    (
        "mean-axis-keepdims",
        lambda x: x.mean(axis=(0, 2), keepdims=True),
        lambda t: t.mean((0, 2), True),
    ),
    ("max-all", lambda x: x.max(), lambda t: t.max()),
    ("max-dim-values", lambda x: x.max(1).values, lambda t: t.max(1).values),
    (
        "max-dim-keepdim",
        lambda x: x.max(dim=-1, keepdim=True).values,
        lambda t: t.max(dim=-1, keepdim=True).values,
    ),
    ("max-axis-first", lambda x: x.max(axis=0)[0], lambda t: t.max(0)[0]),
    ("min-all", lambda x: x.min(), lambda t: t.min()),
    ("min-dim-values", lambda x: x.min(dim=2).values, lambda t: t.min(dim=2).values),
    ("min-keepdims", lambda x: x.min(0, keepdims=True).values, lambda t: t.min(0, True).values),
    ("amax-dims", lambda x: x.amax(dim=(0, 2)), lambda t: t.amax(dim=(0, 2))),
    ("amax-axis-keepdims", lambda x: x.amax(axis=1, keepdims=True), lambda t: t.amax(1, True)),
    ("amax-all", lambda x: x.amax(), lambda t: t.amax()),
    ("amin-neg", lambda x: x.amin(-1), lambda t: t.amin(-1)),
    ("amin-keepdim", lambda x: x.amin(dim=(1, 2), keepdim=True), lambda t: t.amin((1, 2), True)),
    ("var-all", lambda x: x.var(), lambda t: t.var()),
    ("var-dim", lambda x: x.var(1), lambda t: t.var(1)),
    (
        "var-dims-keepdim",
        lambda x: x.var(dim=(0, 2), keepdim=True),
        lambda t: t.var(dim=(0, 2), keepdim=True),
    ),
    ("var-biased-positional", lambda x: x.var(1, False), lambda t: t.var(1, False)),
    ("var-unbiased-only", lambda x: x.var(False), lambda t: t.var(False)),
    ("var-correction-0", lambda x: x.var(correction=0), lambda t: t.var(correction=0)),
    (
        "var-axis-correction-2",
        lambda x: x.var(axis=-1, correction=2),
        lambda t: t.var(-1, correction=2),
    ),
    (
        "var-correction-float",
        lambda x: x.var(0, correction=0.5),
        lambda t: t.var(0, correction=0.5),
    ),
    ("std-all", lambda x: x.std(), lambda t: t.std()),
    ("std-dim-keepdims", lambda x: x.std(axis=1, keepdims=True), lambda t: t.std(1, keepdim=True)),
    ("std-biased", lambda x: x.std(dim=0, unbiased=False), lambda t: t.std(0, unbiased=False)),
    (
        "std-correction-3",
        lambda x: x.std((1, 2), correction=3),
        lambda t: t.std((1, 2), correction=3),
    ),
    ("cumsum-0", lambda x: x.cumsum(0), lambda t: t.cumsum(0)),
    ("cumsum-dim-neg", lambda x: x.cumsum(dim=-1), lambda t: t.cumsum(dim=-1)),
    ("cumsum-axis", lambda x: x.cumsum(axis=1), lambda t: t.cumsum(1)),
    ("logsumexp-dim", lambda x: x.logsumexp(dim=1, keepdim=True), lambda t: t.logsumexp(1, True)),
    ("logsumexp-axes", lambda x: x.logsumexp(axis=(0, 1)), lambda t: t.logsumexp((0, 1))),
    ("softmax-dim", lambda x: x.softmax(dim=0), lambda t: t.softmax(dim=0)),
    ("softmax-axis", lambda x: x.softmax(axis=1), lambda t: t.softmax(1)),
    ("softmax-positional", lambda x: x.softmax(-1), lambda t: t.softmax(-1)),
    ("log-softmax-dim", lambda x: x.log_softmax(dim=-2), lambda t: t.log_softmax(dim=-2)),
    ("log-softmax-axis", lambda x: x.log_softmax(axis=2), lambda t: t.log_softmax(2)),
    ("squeeze-dim", lambda x: x[:, :1].squeeze(dim=1), lambda t: t[:, :1].squeeze(dim=1)),
    ("squeeze-axis-other", lambda x: x.squeeze(axis=0), lambda t: t.squeeze(0)),
    ("unsqueeze-dim", lambda x: x.unsqueeze(dim=-1), lambda t: t.unsqueeze(dim=-1)),
    ("unsqueeze-axis", lambda x: x.unsqueeze(axis=1), lambda t: t.unsqueeze(1)),
    (
        "transpose-dims",
        lambda x: x.transpose(dim0=0, dim1=2),
        lambda t: t.transpose(dim0=0, dim1=2),
    ),
    ("transpose-axes", lambda x: x.transpose(axis0=-1, axis1=1), lambda t: t.transpose(-1, 1)),
    ("flatten-dims", lambda x: x.flatten(start_dim=1), lambda t: t.flatten(start_dim=1)),
    ("cat-dim", lambda x: ag.cat([x, x * 2], dim=1), lambda t: _torch().cat([t, t * 2], dim=1)),
    ("cat-axis", lambda x: ag.cat((x, x), axis=-1), lambda t: _torch().cat((t, t), dim=-1)),
    (
        "concatenate-dim",
        lambda x: ag.concatenate([x, -x], dim=0),
        lambda t: _torch().cat([t, -t], dim=0),
    ),
    ("stack-dim", lambda x: ag.stack([x, x * 3], dim=2), lambda t: _torch().stack([t, t * 3], 2)),
    ("stack-axis-neg", lambda x: ag.stack([x, x], axis=-1), lambda t: _torch().stack([t, t], -1)),
]


@pytest.mark.parametrize("name, ours, theirs", CALLS, ids=[c[0] for c in CALLS])
def test_values_and_gradients_match_torch(name: str, ours: Any, theirs: Any) -> None:
    _check_against_torch(ours, theirs, _data((3, 4, 5)))


@pytest.mark.parametrize(
    "name, fn",
    [
        ("max-dim", lambda x: x.max(1).values),
        ("min-dim-keepdim", lambda x: x.min(dim=0, keepdim=True).values),
        ("amax-dims", lambda x: x.amax(dim=(0, 1))),
        ("amin", lambda x: x.amin(axis=-1)),
        ("var", lambda x: x.var(dim=1)),
        ("var-keepdim-correction", lambda x: x.var(0, keepdim=True, correction=0)),
        ("std", lambda x: x.std()),
        ("std-dim", lambda x: x.std(-1, unbiased=False)),
        ("cumsum-0", lambda x: x.cumsum(0)),
        ("cumsum-1", lambda x: x.cumsum(dim=1)),
        ("logsumexp", lambda x: x.logsumexp(dim=0)),
    ],
)
def test_gradients_match_central_differences(name: str, fn: Any) -> None:
    assert gradcheck(fn, Tensor(_data((3, 4), seed=7), requires_grad=True))


# ---- max(dim) and min(dim): (values, indices) -----------------------------------------------


def test_max_dim_returns_values_and_indices_like_torch_return_types() -> None:
    torch = _torch()
    data = _data((4, 3))
    result, expected = Tensor(data).max(1), torch.tensor(data).max(1)
    values, indices = result
    assert result.values is values and result.indices is indices and result[0] is values
    np.testing.assert_array_equal(values.numpy(), expected.values.numpy())
    np.testing.assert_array_equal(indices.numpy(), expected.indices.numpy())
    assert indices.dtype == np.int64 and not indices.requires_grad
    assert type(result)._fields == ("values", "indices")


def test_predicted_classes_of_a_batch_of_two_are_indices_not_maxima() -> None:
    # The silent bug this API fixes: `_, predicted = torch.max(outputs, 1)` ported as
    # `outputs.max(1)` must unpack class indices, even when the batch size is 2.
    torch = _torch()
    outputs = np.array([[0.1, 2.5, -1.0, 0.3], [4.0, 0.2, 0.1, 9.0]])
    _, predicted = Tensor(outputs).max(1)
    _, expected = torch.max(torch.tensor(outputs), 1)
    assert predicted.tolist() == expected.tolist() == [1, 3]


@pytest.mark.parametrize("op", ["max", "min"])
@pytest.mark.parametrize("dim, keepdim", [(0, False), (1, True), (-1, False), (-2, True)])
def test_max_min_dim_keepdim_and_negative_dims_match_torch(
    op: str, dim: int, keepdim: bool
) -> None:
    torch = _torch()
    data = _data((3, 5))
    ours = getattr(Tensor(data), op)(dim, keepdim)
    theirs = getattr(torch.tensor(data), op)(dim, keepdim)
    assert ours.values.shape == tuple(theirs.values.shape)
    np.testing.assert_array_equal(ours.values.numpy(), theirs.values.numpy())
    np.testing.assert_array_equal(ours.indices.numpy(), theirs.indices.numpy())


@pytest.mark.parametrize("op", ["max", "min"])
def test_ties_pick_the_first_index_and_its_gradient_only_like_torch(op: str) -> None:
    torch = _torch()
    data = np.array([[1.0, 3.0, 3.0, 0.0], [2.0, 2.0, 2.0, 2.0], [-1.0, -1.0, 5.0, -1.0]])
    x, xt = Tensor(data, requires_grad=True), torch.tensor(data, requires_grad=True)
    ours, theirs = getattr(x, op)(1), getattr(xt, op)(1)
    np.testing.assert_array_equal(ours.indices.numpy(), theirs.indices.numpy())
    np.testing.assert_array_equal(ours.indices.numpy(), getattr(np, f"arg{op}")(data, axis=1))
    ours.values.sum().backward()
    theirs.values.sum().backward()
    np.testing.assert_array_equal(x.grad, xt.grad.numpy())
    assert x.grad.sum(axis=1).tolist() == [1.0, 1.0, 1.0]  # one element per row


@pytest.mark.parametrize("op", ["amax", "amin", "max", "min"])
def test_full_and_amax_reductions_split_the_gradient_among_ties_like_torch(op: str) -> None:
    torch = _torch()
    data = np.array([[1.0, 3.0, 3.0], [3.0, 0.0, 1.0]]) * (1 if "max" in op else -1)
    x, xt = Tensor(data, requires_grad=True), torch.tensor(data, requires_grad=True)
    getattr(x, op)().backward()
    getattr(xt, op)().backward()
    np.testing.assert_allclose(x.grad, xt.grad.numpy())
    if op.startswith("a"):
        x.grad = None
        xt.grad = None
        getattr(x, op)(dim=1).sum().backward()
        getattr(xt, op)(dim=1).sum().backward()
        np.testing.assert_allclose(x.grad, xt.grad.numpy())
        np.testing.assert_allclose(x.grad[0], [0.0, 0.5, 0.5])


def test_max_of_a_0d_tensor_along_dim_0_is_itself_at_index_0_like_torch() -> None:
    torch = _torch()
    for dim in (0, -1):
        x = Tensor(np.float64(2.5), requires_grad=True)
        values, indices = x.max(dim)
        theirs = torch.tensor(2.5).max(dim)
        assert values.shape == () == tuple(theirs.values.shape) and values.item() == 2.5
        assert indices.shape == () and indices.item() == theirs.indices.item() == 0
        values.backward()
        assert x.grad.item() == 1.0
    assert Tensor(2.0).max(0, keepdim=True).values.shape == ()
    assert Tensor(2.0).max().shape == () and Tensor(2.0).amax(0).shape == ()


def test_max_with_nan_gives_nan_at_the_first_nan_like_torch() -> None:
    torch = _torch()
    data = np.array([[1.0, np.nan, 2.0, np.nan], [0.0, 3.0, 1.0, 2.0]])
    for op in ("max", "min"):
        ours, theirs = getattr(Tensor(data), op)(1), getattr(torch.tensor(data), op)(1)
        np.testing.assert_array_equal(ours.values.numpy(), theirs.values.numpy())
        np.testing.assert_array_equal(ours.indices.numpy(), theirs.indices.numpy())
    assert np.isnan(Tensor([1.0, float("nan")]).max().item())


@pytest.mark.parametrize("dtype", ["int32", "int64", "bool"])
def test_max_dim_of_integer_and_bool_tensors_matches_torch(dtype: str) -> None:
    torch = _torch()
    data = np.array([[1, 5, 5], [3, -(2**31), 0]]).astype(dtype)
    ours, theirs = Tensor(data).max(1), torch.tensor(data).max(1)
    np.testing.assert_array_equal(ours.values.numpy(), theirs.values.numpy())
    np.testing.assert_array_equal(ours.indices.numpy(), theirs.indices.numpy())
    assert ours.values.dtype == np.dtype(dtype)


def test_max_with_a_tensor_is_the_elementwise_maximum_like_torch() -> None:
    a, b = _data((2, 3)), _data((3,), seed=3)
    _check_against_torch(lambda x: x.max(Tensor(b)), lambda t: t.max(t.new_tensor(b)), a)
    _check_against_torch(lambda x: x.min(Tensor(b)), lambda t: t.min(t.new_tensor(b)), a)


def test_max_over_a_non_empty_dim_of_an_empty_tensor_is_empty_like_torch() -> None:
    torch = _torch()
    ours, theirs = Tensor(np.zeros((0, 3))).max(1), torch.zeros(0, 3).max(1)
    assert ours.values.shape == tuple(theirs.values.shape) == (0,)
    assert ours.indices.shape == (0,) and ours.indices.dtype == np.int64
    assert Tensor(np.zeros((0, 3))).amax(1).shape == tuple(torch.zeros(0, 3).amax(1).shape)
    assert Tensor(np.zeros((0, 3))).argmax(1).shape == (0,)


# ---- argmax and argmin ------------------------------------------------------------------------


@pytest.mark.parametrize("op", ["argmax", "argmin"])
@pytest.mark.parametrize(
    "args, kwargs",
    [
        ((), {}),
        ((0,), {}),
        ((1, False), {}),
        ((1, True), {}),
        ((), {"dim": -1}),
        ((), {"axis": 0, "keepdims": True}),
        ((), {"keepdim": True}),
    ],
    ids=["flat", "dim0", "dim1", "dim1-keep", "dim-neg", "axis-keepdims", "flat-keepdim"],
)
def test_argmax_argmin_match_torch(op: str, args: tuple, kwargs: dict) -> None:
    torch = _torch()
    data = _data((10, 20), seed=2)
    theirs_kwargs = {{"axis": "dim", "keepdims": "keepdim"}.get(k, k): v for k, v in kwargs.items()}
    ours = getattr(Tensor(data, requires_grad=True), op)(*args, **kwargs)
    theirs = getattr(torch.tensor(data), op)(*args, **theirs_kwargs)
    assert ours.dtype == np.int64 and not ours.requires_grad
    assert ours.shape == tuple(theirs.shape)
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())


@pytest.mark.parametrize(
    "values",
    [[2.0, 2.0], [1.0, 2.0, 2.0], [3.0, 2.0, 2.0], [0, -(2**31)], [-(2**31), 0]],
    ids=["equal", "tie-last", "tie-min", "int-low-last", "int-low-first"],
)
def test_argmax_argmin_ties_and_extreme_integers_match_torch(values: list) -> None:
    torch = _torch()
    for op in ("argmax", "argmin"):
        data = np.array(values, dtype=np.int64 if isinstance(values[0], int) else np.float64)
        assert getattr(Tensor(data), op)().item() == getattr(torch.tensor(data), op)().item()


def test_argmax_of_a_0d_tensor_is_0_and_of_an_empty_one_is_an_error() -> None:
    assert Tensor(3.0).argmax().item() == 0 and Tensor(3.0).argmin(0).item() == 0
    with pytest.raises(ValueError, match=r"^argmax: cannot find a position in an empty tensor"):
        Tensor(np.zeros((0, 3))).argmax()
    with pytest.raises(ValueError, match=r"^argmin: cannot reduce an empty dim; got dim 0"):
        Tensor(np.zeros((0, 3))).argmin(0)


# ---- var and std ------------------------------------------------------------------------------


def test_var_and_std_default_to_unbiased_unlike_numpy() -> None:
    data = _data((4, 6), seed=5)
    x = Tensor(data)
    np.testing.assert_allclose(x.var().item(), data.var(ddof=1))
    np.testing.assert_allclose(x.std(1).numpy(), data.std(axis=1, ddof=1))
    np.testing.assert_allclose(x.var(correction=0).item(), data.var())
    np.testing.assert_allclose(x.std(unbiased=False).item(), data.std())


def test_var_keeps_float32() -> None:
    x = Tensor(np.arange(6.0, dtype=np.float32), requires_grad=True)
    y = x.std()
    y.backward()
    assert y.dtype == np.float32 and x.grad.dtype == np.float32


def test_std_of_constant_values_has_zero_gradient_like_torch() -> None:
    torch = _torch()
    x, xt = (
        Tensor(np.ones(3), requires_grad=True),
        torch.ones(3, dtype=torch.float64, requires_grad=True),
    )
    x.std().backward()
    xt.std().backward()
    np.testing.assert_array_equal(x.grad, xt.grad.numpy())
    assert x.grad.tolist() == [0.0, 0.0, 0.0]


@pytest.mark.parametrize("op", ["var", "std"])
@pytest.mark.parametrize(
    "shape, kwargs",
    [
        ((1, 0, 3, 0, 5), {"dim": (1, 3)}),
        ((1, 0, 3, 0, 5), {"dim": (1, 3), "correction": 0}),
        ((1, 0, 3, 0, 5), {"dim": (1, 3), "correction": 5}),
        ((1, 2, 3, 1, 5), {"dim": (0, 3)}),
        ((1, 2, 3, 1, 5), {"dim": (0, 4), "correction": 5}),
        ((1,), {"dim": (0,), "correction": 0}),
        ((1, 2, 3, 1, 5), {"dim": (0, 4)}),
    ],
    ids=[
        "zero-in-dims",
        "zero-corr0",
        "zero-corr5",
        "one-in-dims",
        "corr-too-big",
        "single",
        "two-left",
    ],
)
def test_var_std_with_few_or_no_values_match_torch(op: str, shape: tuple, kwargs: dict) -> None:
    # nan and inf where the degrees of freedom run out, as in PyTorch, with its warning
    data = _data(shape, seed=4) if np.prod(shape) else np.zeros(shape)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*degrees of freedom is <= 0")
        _check_against_torch(
            lambda x: getattr(x, op)(**kwargs), lambda t: getattr(t, op)(**kwargs), data
        )


def test_var_warns_when_the_degrees_of_freedom_run_out() -> None:
    with pytest.warns(RuntimeWarning, match=r"^var: degrees of freedom is <= 0; got 1 values"):
        assert np.isnan(Tensor([2.0]).var().item())
    with pytest.warns(RuntimeWarning, match=r"^std: degrees of freedom"):
        Tensor(2.0).std()


# ---- cumsum, all, any -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "shape, dim",
    [
        ((), 0),
        ((), -1),
        ((20,), 0),
        ((4, 6), 0),
        ((4, 6), 1),
        ((2, 3, 4), 2),
        ((2, 3, 4), -1),
        ((2, 0, 4), 1),
        ((0, 3), 0),
        ((2, 3, 0), 2),
    ],
)
def test_cumsum_matches_torch_including_0d_and_empty(shape: tuple, dim: int) -> None:
    _check_against_torch(lambda x: x.cumsum(dim), lambda t: t.cumsum(dim), _data(shape, seed=6))


@pytest.mark.parametrize("dtype", ["int32", "int64", "bool"])
def test_cumsum_of_integers_and_bools_gives_int64_like_torch(dtype: str) -> None:
    torch = _torch()
    data = np.array([[1, 0, 3], [4, 5, 0]]).astype(dtype)
    ours, theirs = Tensor(data).cumsum(1), torch.tensor(data).cumsum(1)
    assert ours.dtype == np.int64 and theirs.dtype == torch.int64
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())


@pytest.mark.parametrize("op", ["all", "any"])
@pytest.mark.parametrize(
    "data, kwargs",
    [
        (np.array([[1.0, 0.0, 2.0], [3.0, 4.0, 5.0]]), {}),
        (np.array([[1.0, 0.0, 2.0], [3.0, 4.0, 5.0]]), {"dim": 1}),
        (np.array([[1.0, 0.0, 2.0], [3.0, 4.0, 5.0]]), {"dim": 0, "keepdim": True}),
        (np.array([[True, True], [False, True]]), {"axis": -1, "keepdims": True}),
        (np.array([[False, False]]), {}),
        (np.array(2.0), {}),
        (np.zeros(0), {}),
        (np.ones((1, 0, 3, 0, 5)), {"dim": (1, 3)}),
        (np.ones((3, 4, 5, 6)), {"dim": (1, 2)}),
    ],
    ids=["all", "dim", "keepdim", "bool-axis", "false", "0d", "empty", "zero-dims", "dims"],
)
def test_all_any_match_torch(op: str, data: np.ndarray, kwargs: dict) -> None:
    torch = _torch()
    theirs_kwargs = {{"axis": "dim", "keepdims": "keepdim"}.get(k, k): v for k, v in kwargs.items()}
    ours = getattr(Tensor(data), op)(**kwargs)
    theirs = getattr(torch.tensor(data), op)(**theirs_kwargs)
    assert ours.dtype == np.bool_ and ours.shape == tuple(theirs.shape)
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())


# ---- size() -----------------------------------------------------------------------------------


def test_size_is_numpys_count_and_pytorchs_size_call() -> None:
    torch = _torch()
    data = np.zeros((2, 3, 4))
    t, tt = Tensor(data), torch.tensor(data)
    assert t.size == data.size == 24 and isinstance(t.size, int)
    assert t.size() == tuple(tt.size()) == (2, 3, 4)
    assert [t.size(d) for d in (0, 1, 2, -1, -3)] == [tt.size(d) for d in (0, 1, 2, -1, -3)]
    assert t.size(dim=1) == 3 and t.numel() == tt.numel()
    assert Tensor(2.0).size() == () == tuple(torch.tensor(2.0).size()) and Tensor(2.0).size == 1
    assert Tensor(np.zeros((0, 3))).size == 0 and not Tensor(np.zeros((0, 3))).size
    assert np.zeros(Tensor(np.ones(5)).size).shape == (5,) and t.size * 2 == 48


def test_size_refuses_a_dim_out_of_range() -> None:
    with pytest.raises(ValueError, match=r"^size: axis 3 is out of range"):
        Tensor(np.zeros((2, 3, 4))).size(3)
    with pytest.raises(TypeError, match=r"^size: axis must be an int"):
        Tensor(np.zeros((2, 3))).size(1.0)
    with pytest.raises(ValueError, match=r"^size: a 0-d tensor has no dims"):
        Tensor(2.0).size(0)


# ---- what differs says so ---------------------------------------------------------------------

T = np.arange(24.0).reshape(2, 3, 4)


@pytest.mark.parametrize(
    "api, call",
    [
        ("sum", lambda t: t.sum(0, axis=1)),
        ("mean", lambda t: t.mean(dim=0, axis=0)),
        ("max", lambda t: t.max(dim=1, axis=1)),
        ("min", lambda t: t.min(1, axis=0)),
        ("amax", lambda t: t.amax(dim=0, axis=0)),
        ("amin", lambda t: t.amin(0, axis=(1, 2))),
        ("argmax", lambda t: t.argmax(0, axis=0)),
        ("argmin", lambda t: t.argmin(dim=0, axis=1)),
        ("var", lambda t: t.var(0, axis=1)),
        ("std", lambda t: t.std(dim=0, axis=1)),
        ("cumsum", lambda t: t.cumsum(0, axis=0)),
        ("all", lambda t: t.all(0, axis=0)),
        ("any", lambda t: t.any(dim=1, axis=1)),
        ("logsumexp", lambda t: t.logsumexp(0, axis=0)),
        ("softmax", lambda t: t.softmax(0, axis=1)),
        ("log_softmax", lambda t: t.log_softmax(dim=-1, axis=-1)),
        ("squeeze", lambda t: t.squeeze(0, axis=0)),
        ("unsqueeze", lambda t: t.unsqueeze(0, axis=0)),
        ("transpose", lambda t: t.transpose(0, 1, axis0=0)),
        ("transpose", lambda t: t.transpose(0, 1, axis1=1)),
        ("concatenate", lambda t: ag.cat([t, t], dim=0, axis=1)),
        ("concatenate", lambda t: ag.concatenate([t, t], 0, axis=0)),
        ("stack", lambda t: ag.stack([t, t], dim=0, axis=0)),
    ],
)
def test_both_spellings_of_the_dim_are_a_type_error(api: str, call: Any) -> None:
    with pytest.raises(
        TypeError, match=rf"^{api}: got both (dim|axis)\w*=.*; expected one of them"
    ):
        call(Tensor(T))


@pytest.mark.parametrize(
    "api",
    [
        "sum",
        "mean",
        "max",
        "min",
        "amax",
        "amin",
        "argmax",
        "argmin",
        "var",
        "std",
        "all",
        "any",
        "logsumexp",
    ],
)
def test_both_spellings_of_keepdim_or_a_non_bool_are_type_errors(api: str) -> None:
    t = Tensor(T)
    with pytest.raises(TypeError, match=rf"^{api}: got both keepdim=False and keepdims=True"):
        getattr(t, api)(dim=1, keepdim=False, keepdims=True)
    with pytest.raises(TypeError, match=rf"^{api}: keepdim must be True or False; got str"):
        getattr(t, api)(dim=1, keepdim="yes")


@pytest.mark.parametrize("op, alternative", [("max", "amax"), ("min", "amin")])
@pytest.mark.parametrize("dims", [(0, 1), [0, 2], (1,)])
def test_max_over_several_dims_is_refused_pointing_to_amax(
    op: str, alternative: str, dims: Any
) -> None:
    torch = _torch()
    with pytest.raises(TypeError):  # PyTorch refuses it too
        getattr(torch.ones(2, 3, 4), op)(dims)
    with pytest.raises(TypeError, match=rf"^{op}: dim must be one int.*use {alternative}\(dim="):
        getattr(Tensor(T), op)(dims)
    with pytest.raises(TypeError, match=rf"^{op}: dim must be one int"):
        getattr(Tensor(T), op)(axis=dims)


def test_the_values_indices_pair_used_as_values_says_what_it_is() -> None:
    result = Tensor(T, requires_grad=True).max(1)
    with pytest.raises(AttributeError, match=r"\(values, indices\) pair.*'sum'.*amax\(dim\)"):
        result.sum()
    with pytest.raises(TypeError, match=r"pair, not an array.*\.values"):
        np.asarray(result)
    with pytest.raises(TypeError, match=r"pair, not an array"):
        Tensor(result)
    with pytest.raises(TypeError, match=r"pair, not an array"):
        np.ones((2, 4)) - result
    with pytest.raises(TypeError, match=r"^add: unsupported operand; got ValuesIndices"):
        Tensor(T) + result


def test_max_with_a_tensor_refuses_keepdim() -> None:
    with pytest.raises(TypeError, match=r"^max: keepdim goes with a dim"):
        Tensor(T).max(Tensor(T), keepdim=True)


def test_an_empty_tuple_of_dims_is_refused_as_ambiguous() -> None:
    torch = _torch()
    assert torch.ones(2, 3).sum(dim=()).shape == ()  # PyTorch: all dims; numpy: none
    assert np.ones((2, 3)).sum(axis=()).shape == (2, 3)
    for api in ("sum", "mean", "amax", "logsumexp", "var", "all"):
        with pytest.raises(ValueError, match=rf"^{api}: an empty tuple of dims is ambiguous"):
            getattr(Tensor(T), api)(dim=())


def test_cumsum_and_unsqueeze_need_a_dim_like_torch() -> None:
    with pytest.raises(TypeError, match=r"^cumsum: missing dim.*x\.flatten\(\)\.cumsum\(0\)"):
        Tensor(T).cumsum()
    with pytest.raises(TypeError, match=r"^unsqueeze: missing dim"):
        Tensor(T).unsqueeze()


@pytest.mark.parametrize(
    "call, error, message",
    [
        (
            lambda t: t.var(1, True, correction=0),
            TypeError,
            r"^var: got both unbiased=True and "
            r"correction=0",
        ),
        (lambda t: t.std(True, unbiased=False), TypeError, r"^std: got a bool as dim"),
        (lambda t: t.var(unbiased=1), TypeError, r"^var: unbiased must be True or False"),
        (lambda t: t.var(correction="1"), TypeError, r"^var: correction must be a number"),
        (lambda t: t.std(correction=float("inf")), ValueError, r"^std: correction must be finite"),
        (
            lambda t: Tensor(np.array([1, 2])).var(),
            TypeError,
            r"^var: needs a floating-point tensor",
        ),
        (lambda t: t.max(3), ValueError, r"^max: axis 3 is out of range"),
        (lambda t: t.max(1.0), TypeError, r"^max: axis must be an int"),
        (
            lambda t: Tensor(np.zeros((2, 0))).max(1),
            ValueError,
            r"^max: cannot reduce an empty dim",
        ),
        (lambda t: Tensor(np.zeros((2, 0))).amax(), ValueError, r"^amax: cannot reduce an empty"),
        (lambda t: t.cumsum(3), ValueError, r"^cumsum: axis 3 is out of range"),
        (lambda t: t.argmax((0, 1)), TypeError, r"^argmax: axis must be an int"),
    ],
)
def test_bad_arguments_get_errors_naming_the_op(call: Any, error: type, message: str) -> None:
    with pytest.raises(error, match=message):
        call(Tensor(T))


def test_existing_numpy_style_calls_keep_working() -> None:
    t = Tensor(T)
    np.testing.assert_array_equal(
        t.sum(axis=1, keepdims=True).numpy(), T.sum(axis=1, keepdims=True)
    )
    np.testing.assert_array_equal(t.mean(axis=(0, 2)).numpy(), T.mean(axis=(0, 2)))
    np.testing.assert_array_equal(t.amax(axis=1).numpy(), T.max(axis=1))
    np.testing.assert_array_equal(t.argmax(axis=1).numpy(), T.argmax(axis=1))
    np.testing.assert_array_equal(ag.concatenate([t, t], axis=2).numpy(), np.concatenate([T, T], 2))
    np.testing.assert_array_equal(ag.stack([t, t], 1).numpy(), np.stack([T, T], 1))
    assert t.transpose().shape == (4, 3, 2) and t.squeeze().shape == (2, 3, 4)
    assert ag.cat is ag.concatenate
