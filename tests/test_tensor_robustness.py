"""Robustness of the tensor engine: edits of saved data, junk arguments, edge-case numerics, axes.

Each section pins one mechanism: the version counter that makes `backward` refuse data changed
after an op saved it, the constructor's and factories' type checks, PyTorch's values for powers
at zero, axis handling of 0-d and empty tensors, and errors that name the op. A hypothesis fuzz at
the end calls the public API with junk and requires every failure to be a named, typed error.
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd as ag
import autograd.random as engine_random
from autograd import Tensor, Value
from nn import functional as F

MODIFIED = "modified by an inplace operation"


def leaf(values: Any, dtype: str = "float64") -> Tensor:
    return Tensor(values, dtype=dtype, requires_grad=True)


# ---- 1. the version counter of saved tensors ---------------------------------------------------


def test_every_library_edit_bumps_the_version() -> None:
    t = Tensor([1.0, 2.0])
    assert t._version == 0
    t.data = np.array([3.0, 4.0])
    assert t._version == 1
    t.data -= 1.0  # getter, numpy's in-place subtract, then the setter
    assert t._version == 2 and t.tolist() == [2.0, 3.0]
    t[0] = 7.0
    assert t._version == 3
    t._bump_version()
    assert t._version == 4
    assert (t * 2)._version == 0  # a result starts its own count


def test_assigning_data_of_a_saved_input_makes_backward_raise() -> None:
    w = Tensor([1.0, 2.0], requires_grad=True, label="w")
    y = (w * w).sum()
    w.data = np.array([10.0, 10.0], dtype=np.float32)
    with pytest.raises(RuntimeError) as err:
        y.backward()
    message = str(err.value)
    assert message.startswith("backward: one of the variables needed for gradient computation")
    assert MODIFIED in message and "op '*'" in message and "'w'" in message
    assert "got version 1, expected no edit" in message
    assert w.grad is None


def test_an_in_place_update_through_data_is_detected() -> None:
    w = leaf([1.0, 2.0])
    y = (w @ w).tanh()
    w.data -= 0.1 * np.ones(2)  # an optimizer step taken before backward
    with pytest.raises(RuntimeError, match=rf"{MODIFIED}.*op 'matmul'"):
        y.backward()


def test_setitem_on_a_saved_constant_is_detected() -> None:
    w, c = leaf([1.0, 2.0]), Tensor([3.0, 4.0], dtype="float64")
    y = (w * c).sum()
    c[0] = 30.0
    with pytest.raises(RuntimeError, match=rf"{MODIFIED}: input 1 .*of op '\*'"):
        y.backward()


def test_an_edited_saved_output_is_detected() -> None:
    x = leaf([0.5, 1.0])
    y = x.exp()
    z = y.sum()
    y.data *= 2.0  # exp's backward reads its own output
    with pytest.raises(RuntimeError, match=rf"{MODIFIED}: the output .*of op 'exp'"):
        z.backward()


def test_ops_that_save_no_values_ignore_later_edits_as_pytorch_does() -> None:
    w, c = leaf([1.0, 2.0]), Tensor([3.0, 4.0], dtype="float64")
    y = ((w + c) - c).reshape(2, 1).sum()  # add, sub, reshape and sum read only shapes
    c.data = np.zeros(2)
    w.data = np.zeros(2)
    y.backward()
    np.testing.assert_array_equal(w.grad, [1.0, 1.0])


def test_detach_and_views_share_the_version_counter() -> None:
    w = leaf([1.0, 2.0, 3.0, 4.0])
    y = (w * w).sum()
    d = w.detach()
    d[0] = 5.0  # writes into w's memory
    assert w._version == 1
    with pytest.raises(RuntimeError, match=MODIFIED):
        y.backward()

    c = Tensor(np.arange(4.0))
    view, copy = c.reshape(2, 2), c[[0, 1]]
    y = (leaf(np.ones(4)) * c).sum()
    copy[0] = 9.0  # an advanced index copies: c is untouched
    y.backward()
    view[0, 0] = 9.0
    assert c._version == 1
    with pytest.raises(RuntimeError, match=MODIFIED):
        y.backward()


def test_edits_after_backward_are_fine_and_repeated_backward_still_checks() -> None:
    w = leaf([1.0, 2.0])
    for _ in range(3):  # a training loop: forward, backward, then update
        w.grad = None
        y = (w * w).sum()
        y.backward()
        np.testing.assert_allclose(w.grad, 2 * w.data)
        w.data -= 0.1 * w.grad
    w.data = w.data + 1.0
    with pytest.raises(RuntimeError, match=MODIFIED):
        y.backward()


def test_a_failed_check_leaves_the_graph_usable() -> None:
    w, c = leaf([1.0, 2.0]), Tensor([3.0, 4.0], dtype="float64")
    y = (w * c).sum()
    c.data = c.data
    with pytest.raises(RuntimeError, match=MODIFIED):
        y.backward()
    z = (w * c).sum()  # a new graph records the new version
    z.backward()
    np.testing.assert_array_equal(w.grad, [3.0, 4.0])


def test_data_setter_checks_what_it_gets() -> None:
    t = Tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(TypeError, match="data: "):
        t.data = np.array(["a"])
    with pytest.raises(TypeError, match="data: "):
        t.data = np.arange(2)  # integers cannot carry a gradient
    t.data = np.float64(3.0) * np.ones(2)
    assert t._version == 1 and t.dtype == np.float64


def _torch_edit(t: Any) -> None:
    import torch

    with torch.no_grad():
        t.mul_(2.0)


def _our_edit(t: Tensor) -> None:
    t.data = t.data * 2.0


@pytest.mark.parametrize(
    "name, build, raises",
    [
        ("mul reads both inputs", lambda a, b: (a * b).sum(), True),
        ("matmul reads both inputs", lambda a, b: (a @ b).sum(), True),
        ("exp reads its output", lambda a, b: a.exp().sum() + b.sum(), False),
        ("div reads the divisor", lambda a, b: (b / a).sum(), True),
        ("add reads nothing", lambda a, b: (a + b).sum(), False),
        ("sum and reshape read nothing", lambda a, b: a.reshape(3, 1).sum() + b.sum(), False),
        ("tanh reads its output", lambda a, b: a.tanh().sum() + b.sum(), False),
    ],
)
def test_version_checks_agree_with_pytorch(name: str, build: Any, raises: bool) -> None:
    torch = pytest.importorskip("torch")
    values = np.array([0.5, 1.0, 2.0])
    ours = [leaf(values), leaf(values + 1)]
    theirs = [torch.tensor(v, requires_grad=True) for v in (values, values + 1)]
    y, y_t = build(*ours), build(*theirs)
    _our_edit(ours[0])
    _torch_edit(theirs[0])
    if raises:
        with pytest.raises(RuntimeError, match=MODIFIED):
            y_t.backward()
        with pytest.raises(RuntimeError, match=MODIFIED):
            y.backward()
    else:
        y_t.backward()
        y.backward()
        for mine, reference in zip(ours, theirs, strict=True):
            np.testing.assert_allclose(mine.grad, reference.grad.numpy())


# ---- 2. constructor and factory junk -------------------------------------------------------------

JUNK_DATA = [
    ("None", None, TypeError),
    ("str", "1.5", TypeError),
    ("list with str", [1, "2"], TypeError),
    ("bytes", b"12", TypeError),
    ("bytearray", bytearray(b"1"), TypeError),
    ("object array", np.array([1, 2], dtype=object), TypeError),
    ("string array", np.array(["1"]), TypeError),
    ("complex", 1 + 2j, TypeError),
    ("complex list", [1j, 2.0], TypeError),
    ("complex array", np.ones(2, complex), TypeError),
    ("dict", {"a": 1}, TypeError),
    ("set", {1, 2}, TypeError),
    ("list with None", [1.0, None], TypeError),
    ("list with Value", [Value(1.0)], TypeError),
    ("ragged", [[1, 2], [3]], ValueError),
    ("huge int", 10**400, ValueError),
]


@pytest.mark.parametrize("name, data, error", JUNK_DATA, ids=[j[0] for j in JUNK_DATA])
def test_tensor_refuses_junk_data(name: str, data: Any, error: type) -> None:
    with pytest.raises(error) as err:
        Tensor(data)
    assert str(err.value).startswith("Tensor: ")
    with pytest.raises(error, match="^tensor: |^Tensor: "):
        ag.tensor(data)


def test_object_arrays_are_refused_even_with_a_dtype() -> None:
    with pytest.raises(TypeError, match="Tensor: unsupported dtype; got object"):
        Tensor(np.array([1, 2], dtype=object), dtype="float32")


@pytest.mark.parametrize(
    "make, error, match",
    [
        (lambda: Tensor([1.0], dtype="abc"), TypeError, "Tensor: not a dtype; got 'abc'"),
        (lambda: Tensor([1.0], dtype="complex64"), TypeError, "Tensor: unsupported dtype"),
        (lambda: Tensor([1.0], dtype=object), TypeError, "Tensor: unsupported dtype"),
        (lambda: Tensor([math.nan], dtype="int64"), ValueError, "Tensor: values out of range"),
        (lambda: Tensor([300], dtype="int8"), ValueError, "Tensor: values out of range for int8"),
        (lambda: Tensor(np.array([-1]), dtype="uint8"), ValueError, "Tensor: values out of range"),
        (lambda: Tensor(1.0, label=3), TypeError, "Tensor: label must be a str; got int"),
        (lambda: Tensor(1.0, requires_grad="yes"), TypeError, "Tensor: requires_grad must be"),
        (lambda: Tensor([1.0]).astype("complex64"), TypeError, "astype: unsupported dtype"),
        (lambda: Tensor([1.0]).astype("abc"), TypeError, "astype: not a dtype"),
        (lambda: leaf([1.0]).astype("U3"), TypeError, "astype: unsupported dtype"),
    ],
)
def test_bad_dtypes_and_arguments(make: Any, error: type, match: str) -> None:
    with pytest.raises(error, match=match):
        make()


def test_number_like_data_still_works() -> None:
    assert Tensor(True).item() == 1.0 and Tensor(True).dtype == np.float32
    assert Tensor(Fraction(1, 2)).item() == 0.5
    assert Tensor(2**64).item() == pytest.approx(1.8446744e19)
    assert Tensor([Tensor(1.0), Tensor(2.0)]).tolist() == [1.0, 2.0]
    assert Tensor(np.float32(2)).dtype == np.float32
    assert Tensor([]).shape == (0,) and Tensor([[1, 2.5]]).dtype == np.float32
    with np.errstate(all="raise"):  # overflow to inf is quiet, as in PyTorch
        assert Tensor(1e300).item() == math.inf
    assert Tensor([1.5, -2.7], dtype="int64").tolist() == [1, -2]
    x = leaf([1.5])
    assert x.astype("int64").requires_grad is False  # integer results leave the graph


@pytest.mark.parametrize(
    "make, error, api",
    [
        (lambda: ag.zeros(2.5), TypeError, "zeros"),
        (lambda: ag.zeros("a"), TypeError, "zeros"),
        (lambda: ag.zeros(None), TypeError, "zeros"),
        (lambda: ag.zeros((2, "a")), TypeError, "zeros"),
        (lambda: ag.zeros(True), TypeError, "zeros"),
        (lambda: ag.zeros(2, dtype="abc"), TypeError, "zeros"),
        (lambda: ag.zeros(2, dtype="complex64"), TypeError, "zeros"),
        (lambda: ag.zeros(2, dtype="int64", requires_grad=True), TypeError, "zeros"),
        (lambda: ag.zeros(2**63), ValueError, "zeros"),
        (lambda: ag.zeros(10**30, 10**30), ValueError, "zeros"),
        (lambda: ag.ones(-1), ValueError, "ones"),
        (lambda: ag.ones(2, -1), ValueError, "ones"),
        (lambda: ag.full("a", 1.0), TypeError, "full"),
        (lambda: ag.full((2,), "a"), TypeError, "full"),
        (lambda: ag.full((2,), None), TypeError, "full"),
        (lambda: ag.full((2,), 10**400), ValueError, "full"),
        (lambda: ag.arange("a"), TypeError, "arange"),
        (lambda: ag.arange(0, "b"), TypeError, "arange"),
        (lambda: ag.arange(0, 1, None), TypeError, "arange"),
        (lambda: ag.arange(math.nan), ValueError, "arange"),
        (lambda: ag.arange(0, math.inf), ValueError, "arange"),
        (lambda: ag.arange(0, 1e30), ValueError, "arange"),
        (lambda: ag.arange(0, 1, dtype="U2"), TypeError, "arange"),
        (lambda: ag.randn(2, "x"), TypeError, "randn"),
        (lambda: ag.randn(2, dtype="int64"), TypeError, "randn"),
        (lambda: ag.rand(-2), ValueError, "rand"),
        (lambda: ag.rand(2**63), ValueError, "rand"),
        (lambda: ag.zeros_like("a"), TypeError, "zeros_like"),
        (lambda: ag.ones_like(ag.zeros(2), dtype="U3"), TypeError, "ones_like"),
        (lambda: ag.manual_seed("a"), TypeError, "manual_seed"),
        (lambda: ag.manual_seed(1.5), TypeError, "manual_seed"),
        (lambda: ag.manual_seed(True), TypeError, "manual_seed"),
        (lambda: ag.manual_seed(None), TypeError, "manual_seed"),
        (lambda: ag.manual_seed(-(2**63) - 1), ValueError, "manual_seed"),
        (lambda: ag.manual_seed(2**64), ValueError, "manual_seed"),
        (lambda: ag.arange(0, 10, -1), ValueError, "arange"),
    ],
)
def test_factories_refuse_junk_naming_the_api(make: Any, error: type, api: str) -> None:
    with pytest.raises(error) as err:
        make()
    assert str(err.value).startswith(f"{api}: "), str(err.value)


def test_factories_still_accept_numpy_integers() -> None:
    assert ag.zeros(np.int64(2), 3).shape == (2, 3) and ag.ones([2, 1]).shape == (2, 1)
    assert ag.manual_seed(np.int64(3)) is not None and ag.manual_seed(2**64 - 1) is not None
    # a negative seed counts modulo 2**64, as in PyTorch (which accepts manual_seed(-1))
    ag.manual_seed(-1)
    first = ag.rand(3).numpy()
    ag.manual_seed(2**64 - 1)
    np.testing.assert_array_equal(ag.rand(3).numpy(), first)
    assert ag.arange(5, 0, -1).tolist() == [5.0, 4.0, 3.0, 2.0, 1.0] and ag.arange(2, 2).size == 0
    assert ag.arange(np.float32(2.0)).tolist() == [0.0, 1.0]
    assert ag.full((2,), np.float64(1.5)).tolist() == [1.5, 1.5]


# ---- 3. powers at zero, as PyTorch computes them -------------------------------------------------

# (exponent y, 0 ** y, d/dx at x = 0, d/dy at x = 0), read off torch 2.13 in float64
POW_AT_ZERO = [
    (0.0, 1.0, 0.0, 0.0),
    (0.5, 0.0, math.inf, 0.0),
    (1.0, 0.0, 1.0, 0.0),
    (2.0, 0.0, 0.0, 0.0),
    (3.0, 0.0, 0.0, 0.0),
    (-0.5, math.inf, -math.inf, -math.inf),
    (-1.0, math.inf, -math.inf, -math.inf),
    (-2.0, math.inf, -math.inf, -math.inf),
]


def _same(ours: float, expected: float) -> bool:
    return (math.isnan(ours) and math.isnan(expected)) or ours == expected


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("y, z, dx, dy", POW_AT_ZERO)
def test_tensor_pow_at_zero_matches_pytorch(
    y: float, z: float, dx: float, dy: float, dtype: str
) -> None:
    base, exponent = leaf([0.0], dtype), leaf([y], dtype)
    out = base**exponent
    out.backward(np.ones(1))
    got = (out.item(), base.grad.item(), exponent.grad.item())
    assert all(map(_same, got, (z, dx, dy))), got
    base = leaf([0.0], dtype)  # a number exponent
    out = base**y
    out.backward(np.ones(1))
    assert _same(out.item(), z) and _same(base.grad.item(), dx)
    exponent = leaf([y], dtype)  # a number base
    out = 0.0**exponent
    out.backward(np.ones(1))
    assert _same(out.item(), z) and _same(exponent.grad.item(), dy)


def test_tensor_x_to_the_x_at_zero_has_gradient_zero() -> None:
    x = leaf([0.0, 1.0, 2.0])
    (x**x).sum().backward()
    np.testing.assert_allclose(x.grad, [0.0, 1.0, 4.0 * (1.0 + math.log(2.0))])


@pytest.mark.parametrize("y, z, dx, dy", [row for row in POW_AT_ZERO if row[0] >= 0])
def test_value_pow_at_zero_matches_pytorch(y: float, z: float, dx: float, dy: float) -> None:
    base, exponent = Value(0.0), Value(y)
    out = base**exponent
    out.backward()
    assert (out.data, base.grad, exponent.grad) == (z, dx, dy)
    base = Value(0.0)
    out = base**y
    out.backward()
    assert (out.data, base.grad) == (z, dx)
    x = Value(0.0)
    (x**x).backward()
    assert x.grad == 0.0


def test_value_zero_to_a_negative_power_stays_a_named_domain_error() -> None:
    # DESIGN.md: Value's domain errors raise (like x / 0) where PyTorch returns inf.
    with pytest.raises(ZeroDivisionError, match="pow: zero to a negative power"):
        Value(0.0) ** Value(-1.0)


@pytest.mark.parametrize("x", [0.0, -0.0, 2.0])
@pytest.mark.parametrize("y", [0.0, 0.5, 1.0, 2.0, 3.0, -0.5, -1.0, -2.0, -3.0])
def test_tensor_pow_edge_cases_against_torch(x: float, y: float) -> None:
    torch = pytest.importorskip("torch")
    xt = torch.tensor([x], dtype=torch.float64, requires_grad=True)
    yt = torch.tensor([y], dtype=torch.float64, requires_grad=True)
    (xt**yt).sum().backward()
    a, b = leaf([x]), leaf([y])
    (a**b).sum().backward()
    for ours, theirs in ((a.grad, xt.grad), (b.grad, yt.grad), ((a**b).data, (xt**yt).detach())):
        np.testing.assert_array_equal(ours, theirs.numpy())


def test_integer_powers_with_negative_exponents_name_pow() -> None:
    with pytest.raises(ValueError, match="pow: integers to negative integer powers"):
        Tensor(np.array([0, 2])) ** -1


# ---- 4. shapes and axes --------------------------------------------------------------------------


@pytest.mark.parametrize("op", ["softmax", "log_softmax"])
@pytest.mark.parametrize("shape, axis", [((0, 3), 0), ((0, 3), -1), ((2, 0), 1), ((0,), 0)])
def test_softmax_of_an_empty_axis_is_empty(op: str, shape: tuple, axis: int) -> None:
    x = leaf(np.ones(shape))
    y = getattr(x, op)(axis)
    assert y.shape == shape
    y.sum().backward()
    assert x.grad.shape == shape


@pytest.mark.parametrize("axis", [0, -1, (0,), (-1,)])
@pytest.mark.parametrize(
    "op, value", [("sum", 2.0), ("mean", 2.0), ("amax", 2.0), ("amin", 2.0), ("logsumexp", 2.0)]
)
def test_reductions_of_a_0d_tensor_accept_axis_0_and_minus_1(
    op: str, value: float, axis: Any
) -> None:
    x = leaf(2.0)
    y = getattr(x, op)(axis=axis)
    assert y.shape == () and y.item() == value
    assert getattr(x, op)(axis=axis, keepdims=True).shape == ()
    y.backward()
    assert x.grad.item() == 1.0


def test_0d_tensors_accept_axis_0_and_minus_1_like_pytorch() -> None:
    x = leaf(2.0)
    assert x.squeeze(0).shape == () and x.squeeze(-1).shape == ()
    assert Tensor(np.ones((2, 3))).squeeze(0).shape == (2, 3)  # not size 1: kept, as in PyTorch
    assert x.unsqueeze(0).shape == (1,) and x.unsqueeze(-1).shape == (1,)
    assert x.transpose(0, -1).shape == () and x.flatten(0, -1).shape == (1,)
    assert x.softmax(0).item() == 1.0 and x.softmax(-1).item() == 1.0
    assert x.log_softmax(0).item() == 0.0
    x.softmax(-1).backward()
    assert x.grad.item() == 0.0


@pytest.mark.parametrize(
    "call, api, span",
    [
        (lambda t: t.sum(axis=1), "sum", "[-1, 0]"),
        (lambda t: t.mean(axis=-2), "mean", "[-1, 0]"),
        (lambda t: t.max(axis=1), "max", "[-1, 0]"),
        (lambda t: t.logsumexp(axis=1), "logsumexp", "[-1, 0]"),
        (lambda t: t.softmax(1), "softmax", "[-1, 0]"),
        (lambda t: t.squeeze(1), "squeeze", "[-1, 0]"),
        (lambda t: t.unsqueeze(2), "unsqueeze", "[-1, 0]"),
        (lambda t: t.transpose(0, 1), "transpose", "[-1, 0]"),
    ],
)
def test_axis_errors_of_0d_tensors_give_the_right_range(call: Any, api: str, span: str) -> None:
    with pytest.raises(ValueError) as err:
        call(Tensor(2.0))
    message = str(err.value)
    assert message.startswith(f"{api}: axis ") and f"expected an axis in {span}" in message


def test_axis_errors_give_the_range_of_the_tensor() -> None:
    with pytest.raises(ValueError, match=r"sum: axis 2 is out of range; .*\[-2, 1\]"):
        Tensor(np.ones((2, 3))).sum(axis=2)
    with pytest.raises(ValueError, match=r"unsqueeze: axis 3 is out of range; .*\[-3, 2\]"):
        Tensor(np.ones((2, 3))).unsqueeze(3)


@pytest.mark.parametrize("kernel", [(0, 0), (0, 2), (2, 0)])
def test_conv2d_refuses_an_empty_kernel(kernel: tuple[int, int]) -> None:
    with pytest.raises(ValueError, match="conv2d: kernel must be at least 1x1"):
        F.conv2d(Tensor(np.ones((1, 1, 3, 3))), Tensor(np.ones((1, 1, *kernel))))


# ---- 5. errors that name the op ------------------------------------------------------------------

BINARY = [
    ("add", lambda a, b: a + b),
    ("sub", lambda a, b: a - b),
    ("mul", lambda a, b: a * b),
    ("div", lambda a, b: a / b),
    ("pow", lambda a, b: a**b),
    ("maximum", ag.maximum),
    ("minimum", ag.minimum),
    ("lt", lambda a, b: a < b),
    ("le", lambda a, b: a <= b),
    ("gt", lambda a, b: a > b),
    ("ge", lambda a, b: a >= b),
    ("eq", lambda a, b: a == b),
    ("ne", lambda a, b: a != b),
]


@pytest.mark.parametrize("api, op", BINARY, ids=[b[0] for b in BINARY])
def test_broadcasting_mismatches_name_the_op(api: str, op: Any) -> None:
    a, b = leaf(np.ones((2, 3))), leaf(np.ones((3, 2)))
    expected = rf"^{api}: shapes \(2, 3\) and \(3, 2\) cannot be broadcast together; got "
    with pytest.raises(ValueError, match=expected):
        op(a, b)
    with pytest.raises(ValueError, match=expected):
        op(a, np.ones((3, 2)))
    # array <op> tensor: arithmetic runs the reflected op; a comparison runs its mirror image
    mirrored = {"lt": "gt", "le": "ge", "gt": "lt", "ge": "le", "eq": "eq", "ne": "ne"}.get(api)
    shapes = r"\(2, 3\) and \(3, 2\)" if mirrored else r"\(3, 2\) and \(2, 3\)"
    with pytest.raises(ValueError, match=rf"^{mirrored or api}: shapes {shapes}"):
        op(np.ones((3, 2)), a)


@pytest.mark.parametrize(
    "call, error, api",
    [
        (lambda t: t.sum(axis=1.0), TypeError, "sum"),
        (lambda t: t.sum(axis="0"), TypeError, "sum"),
        (lambda t: t.mean(axis=[0, "a"]), TypeError, "mean"),
        (lambda t: t.amax(axis=(0, 0)), ValueError, "amax"),
        (lambda t: t.sum(keepdims="yes"), TypeError, "sum"),
        (lambda t: t.reshape(None), TypeError, "reshape"),
        (lambda t: t.reshape("a"), TypeError, "reshape"),
        (lambda t: t.reshape(2.0, 3), TypeError, "reshape"),
        (lambda t: t.reshape(-1, -1), ValueError, "reshape"),
        (lambda t: t.reshape(-2, -3), ValueError, "reshape"),
        (lambda t: t.view(None), TypeError, "view"),
        (lambda t: ag.concatenate([t, t], axis="0"), TypeError, "concatenate"),
        (lambda t: ag.concatenate([t, t], axis=5), ValueError, "concatenate"),
        (lambda t: ag.concatenate([Tensor(1.0), Tensor(2.0)]), ValueError, "concatenate"),
        (lambda t: ag.concatenate([t, Tensor(np.ones(3))]), ValueError, "concatenate"),
        (lambda t: ag.concatenate(t), TypeError, "concatenate"),
        (lambda t: ag.stack([t, t], axis=3), ValueError, "stack"),
        (lambda t: ag.stack([t, t], axis=-4), ValueError, "stack"),
        (lambda t: ag.stack([t, t], axis=1.5), TypeError, "stack"),
        (lambda t: ag.stack([t, "a"]), TypeError, "stack"),
        (lambda t: t.transpose(0, "a"), TypeError, "transpose"),
        (lambda t: t.transpose(0, 5), ValueError, "transpose"),
        (lambda t: t.permute(None), TypeError, "permute"),
        (lambda t: t.permute("ab"), TypeError, "permute"),
        (lambda t: t.permute(0), ValueError, "permute"),
        (lambda t: t.permute(0, 1, 2), ValueError, "permute"),
        (lambda t: t.flatten("a"), TypeError, "flatten"),
        (lambda t: t[1.5], TypeError, "getitem"),
        (lambda t: t[[0.5]], TypeError, "getitem"),
        (lambda t: t[Tensor([1.0])], TypeError, "getitem"),
        (lambda t: t[1.0:2], TypeError, "getitem"),
        (lambda t: t["a"], TypeError, "getitem"),
        (lambda t: t[Value(1.0)], TypeError, "getitem"),
        (lambda t: t[0, 0, 0], IndexError, "getitem"),
        (lambda t: t[2**63], IndexError, "getitem"),
        (lambda t: t @ 2, TypeError, "matmul"),
        (lambda t: t @ [1.0, 2.0, 3.0], TypeError, "matmul"),
        (lambda t: t @ np.array(["a", "b", "c"]), TypeError, "matmul"),
        (lambda t: t.matmul(None), TypeError, "matmul"),
        (lambda t: 2 @ t, TypeError, "matmul"),
        (lambda t: t + np.array(["a"]), TypeError, "add"),
        (lambda t: t * np.array([1 + 2j]), TypeError, "mul"),
        (lambda t: t + 10**400, ValueError, "add"),
        (lambda t: Tensor(np.arange(3)) + 2**70, ValueError, "add"),
        (lambda t: t < "a", TypeError, "lt"),
        (lambda t: t.leaky_relu("a"), TypeError, "leaky_relu"),
        (lambda t: t.elu(None), TypeError, "elu"),
        (lambda t: t.clip("a"), TypeError, "clip"),
        (lambda t: t.clip(None, [1]), TypeError, "clip"),
        (lambda t: t.softmax(1.0), TypeError, "softmax"),
        (lambda t: t.pow("2"), TypeError, "pow"),
        (lambda t: (t * 2).backward("a"), TypeError, "backward"),
        (lambda t: (t * 2).backward(np.ones((3, 2))), ValueError, "backward"),
    ],
)
def test_junk_arguments_get_errors_that_name_the_op(call: Any, error: type, api: str) -> None:
    t = leaf(np.ones((2, 3)))
    with pytest.raises(error) as err:
        call(t)
    assert str(err.value).startswith(f"{api}: "), str(err.value)


@pytest.mark.parametrize(
    "call, api",
    [
        (lambda: Value(-1.0).leaky_relu("a"), "leaky_relu"),
        (lambda: Value(-1.0).elu(None), "elu"),
        (lambda: Value.sum([Value(1.0), "a"]), "sum"),
    ],
)
def test_value_arguments_name_the_op(call: Any, api: str) -> None:
    with pytest.raises(TypeError, match=f"^{api}: "):
        call()


def test_float_index_hint_says_how_to_convert() -> None:
    with pytest.raises(TypeError, match=r"astype\('int64'\)"):
        Tensor(np.ones(3))[Tensor([1.0])]


# ---- the fuzz ------------------------------------------------------------------------------------

# Sizes stay tiny or beyond any allocation: a junk size must never allocate gigabytes.
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 4),
    st.sampled_from([2**63, 2**64, 10**30, -(10**30), 10**400]),
    st.sampled_from([0.5, 1.5, -2.5, 2.0, -0.0, math.nan, math.inf, -math.inf, 1e300, 1e-300]),
    st.text(max_size=2),
    st.sampled_from(
        [
            b"1",
            1 + 2j,
            object(),
            Value(1.0),
            np.array(["a"]),
            (),
            "float32",
            np.array([1, 2], dtype=object),
            slice(0, 1.5),
            Ellipsis,
            np.int64(1),
        ]
    ),
)
junk = st.recursive(
    scalars, lambda inner: st.lists(inner, max_size=3) | st.tuples(inner, inner), max_leaves=6
)

T23 = np.arange(6.0).reshape(2, 3)

CALLS: list[tuple[str, Any]] = [
    ("Tensor", lambda a, b: Tensor(a)),
    ("Tensor", lambda a, b: Tensor(T23, dtype=a)),
    ("Tensor", lambda a, b: Tensor(1.0, requires_grad=a)),
    ("Tensor", lambda a, b: Tensor(a, dtype=b)),
    ("tensor", lambda a, b: ag.tensor(a)),
    ("zeros", lambda a, b: ag.zeros(a)),
    ("zeros", lambda a, b: ag.zeros(a, b)),
    ("ones", lambda a, b: ag.ones(a, dtype=b)),
    ("full", lambda a, b: ag.full(a, b)),
    ("arange", lambda a, b: ag.arange(a)),
    ("arange", lambda a, b: ag.arange(a, b)),
    ("arange", lambda a, b: ag.arange(0, 3, a)),
    ("randn", lambda a, b: ag.randn(a, b)),
    ("rand", lambda a, b: ag.rand(a)),
    ("zeros_like", lambda a, b: ag.zeros_like(a)),
    ("ones_like", lambda a, b: ag.ones_like(Tensor(T23), dtype=a)),
    ("manual_seed", lambda a, b: ag.manual_seed(a)),
    ("sum", lambda a, b: leaf(T23).sum(a, b)),
    ("mean", lambda a, b: leaf(T23).mean(a)),
    ("max", lambda a, b: leaf(T23).max(a, b)),
    ("min", lambda a, b: leaf(2.0).min(a)),
    ("logsumexp", lambda a, b: leaf(T23).logsumexp(a)),
    ("softmax", lambda a, b: leaf(T23).softmax(a)),
    ("log_softmax", lambda a, b: leaf(2.0).log_softmax(a)),
    ("reshape", lambda a, b: leaf(T23).reshape(a)),
    ("reshape", lambda a, b: leaf(T23).reshape(a, b)),
    ("transpose", lambda a, b: leaf(T23).transpose(a, b)),
    ("permute", lambda a, b: leaf(T23).permute(a)),
    ("permute", lambda a, b: leaf(T23).permute(a, b)),
    ("flatten", lambda a, b: leaf(T23).flatten(a, b)),
    ("squeeze", lambda a, b: leaf(T23).squeeze(a)),
    ("unsqueeze", lambda a, b: leaf(T23).unsqueeze(a)),
    ("getitem", lambda a, b: leaf(T23)[a]),
    ("getitem", lambda a, b: leaf(T23)[a, b]),
    ("matmul", lambda a, b: leaf(T23) @ a),
    ("add", lambda a, b: leaf(T23) + a),
    ("sub", lambda a, b: leaf(T23) - a),
    ("mul", lambda a, b: leaf(T23) * a),
    ("div", lambda a, b: leaf(T23) / a),
    ("pow", lambda a, b: leaf(T23) ** a),
    ("maximum", lambda a, b: leaf(T23).maximum(a)),
    ("minimum", lambda a, b: ag.minimum(a, leaf(T23))),
    ("lt", lambda a, b: leaf(T23) < a),
    ("clip", lambda a, b: leaf(T23).clip(a, b)),
    ("leaky_relu", lambda a, b: leaf(T23).leaky_relu(a)),
    ("elu", lambda a, b: leaf(T23).elu(a)),
    ("astype", lambda a, b: leaf(T23).astype(a)),
    ("concatenate", lambda a, b: ag.concatenate([leaf(T23), a])),
    ("concatenate", lambda a, b: ag.concatenate([leaf(T23), leaf(T23)], axis=a)),
    ("stack", lambda a, b: ag.stack([leaf(T23), a])),
    ("stack", lambda a, b: ag.stack([leaf(T23), leaf(T23)], axis=a)),
    ("backward", lambda a, b: (leaf(T23) * 2).backward(a)),
    ("data", lambda a, b: setattr(leaf(T23), "data", a)),
]


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(CALLS), junk, junk)
def test_fuzz_junk_arguments_fail_with_named_errors(call: tuple[str, Any], a: Any, b: Any) -> None:
    api, fn = call
    allowed: tuple[type, ...] = (TypeError, ValueError, RuntimeError)
    if api == "getitem":  # an index out of range is an IndexError, as in Python and PyTorch
        allowed += (IndexError,)
    seeded = engine_random._generator  # a junk seed that works must not reseed the later tests
    try:
        fn(a, b)
    except allowed as err:
        assert api.lower() in str(err).lower(), f"{type(err).__name__}: {err}"
    finally:
        engine_random._generator = seeded
