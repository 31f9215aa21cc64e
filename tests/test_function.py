"""User-defined ops: `autograd.Function` against PyTorch's custom functions and central
differences, the scalar gate `scalar_function` against built-in ops, and micrograd's lecture
names on `Value` (``_prev``, ``_op``, ``backward_step``) against the lecture's numbers.
"""

from __future__ import annotations

import gc
import math
import weakref
from typing import Any

import numpy as np
import pytest

import viz
from autograd import (
    Function,
    Tensor,
    Value,
    gradcheck,
    is_grad_enabled,
    no_grad,
    scalar_function,
    topological_order,
)

torch = pytest.importorskip("torch")

RNG = np.random.default_rng(7)


def leaf(array: np.ndarray) -> Tensor:
    return Tensor(array, requires_grad=True)


def leaf_t(array: np.ndarray) -> Any:
    return torch.tensor(array, requires_grad=True)


# ---- the tutorial's functions, written once for each library -------------------------------


class LegendrePolynomial3(Function):  # P₃(x) = ½(5x³ - 3x); P₃'(x) = 1.5(5x² - 1)
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return 0.5 * (5 * x**3 - 3 * x)

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return grad_output * 1.5 * (5 * x**2 - 1)


class LegendrePolynomial3Torch(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return 0.5 * (5 * x**3 - 3 * x)

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return grad_output * 1.5 * (5 * x**2 - 1)


class MyReLU(Function):  # edits its grad_output in place, which must not leak elsewhere
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x.relu()

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        grad_output[x.data < 0] = 0.0
        return grad_output


class ScaledPower(Function):  # k·x^p with a constant k and a keyword p
    @staticmethod
    def forward(ctx, x, k, p=2.0):
        ctx.save_for_backward(x)
        ctx.k, ctx.p = k, p
        ctx.seen_needs = ctx.needs_input_grad
        return k * x**p

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return grad_output * ctx.k * ctx.p * x ** (ctx.p - 1), None, None


class ScaledPowerTorch(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, k, p=2.0):
        ctx.save_for_backward(x)
        ctx.k, ctx.p = k, p
        return k * x**p

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return grad_output * ctx.k * ctx.p * x ** (ctx.p - 1), None, None


def torch_twin(cls: type) -> Any:
    """The same Function body as a torch.autograd.Function (its static methods reused)."""
    return type(
        cls.__name__ + "Torch",
        (torch.autograd.Function,),
        {
            "forward": staticmethod(cls.forward),
            "backward": staticmethod(cls.backward),
            **(
                {"setup_context": staticmethod(cls.setup_context)}
                if hasattr(cls, "setup_context")
                else {}
            ),
        },
    )


def test_legendre_tutorial_matches_torch_forward_and_backward() -> None:
    data = RNG.uniform(-1.0, 1.0, size=(4, 3))
    x, xt = leaf(data), leaf_t(data)
    y, yt = LegendrePolynomial3.apply(x), LegendrePolynomial3Torch.apply(xt)
    np.testing.assert_allclose(y.data, yt.detach().numpy(), rtol=1e-12)
    weights = RNG.standard_normal((4, 3))
    (y * weights).sum().backward()
    (yt * torch.tensor(weights)).sum().backward()
    np.testing.assert_allclose(x.grad, xt.grad.numpy(), rtol=1e-12)
    assert y.op == "LegendrePolynomial3" and y.parents == (x,)


def test_gradcheck_works_on_a_function() -> None:
    assert gradcheck(LegendrePolynomial3.apply, leaf(RNG.standard_normal((3, 2))))
    assert gradcheck(lambda t: ScaledPower.apply(t, 1.5, p=3.0), leaf(RNG.standard_normal(5)))


def test_gradcheck_catches_a_wrong_backward() -> None:
    class Wrong(Function):
        @staticmethod
        def forward(ctx, x):
            return x * x

        @staticmethod
        def backward(ctx, grad_output):
            return grad_output  # the true derivative is 2x

    with pytest.raises(AssertionError, match="gradient of input 0"):
        gradcheck(Wrong.apply, leaf(np.array([0.5, 2.0])))


def test_constants_and_keywords_get_no_gradient_and_match_torch() -> None:
    data = RNG.uniform(0.5, 2.0, size=6)
    x, xt = leaf(data), leaf_t(data)
    y, yt = ScaledPower.apply(x, 3.0, p=1.5), ScaledPowerTorch.apply(xt, 3.0, p=1.5)
    y.sum().backward()
    yt.sum().backward()
    np.testing.assert_allclose(y.data, yt.detach().numpy(), rtol=1e-12)
    np.testing.assert_allclose(x.grad, xt.grad.numpy(), rtol=1e-12)
    assert y.parents == (x,)


def test_keyword_arguments_are_inputs_as_in_torch() -> None:
    class Mul(Function):
        @staticmethod
        def forward(ctx, x, y=None):
            ctx.save_for_backward(x, y)
            return x * y

        @staticmethod
        def backward(ctx, grad_output):
            x, y = ctx.saved_tensors
            return grad_output * y, grad_output * x

    a, b = RNG.standard_normal(3), RNG.standard_normal(3)
    x, y, xt, yt = leaf(a), leaf(b), leaf_t(a), leaf_t(b)
    out = Mul.apply(x, y=y)
    assert out.parents == (x, y)
    out.sum().backward()
    torch_twin(Mul).apply(xt, y=yt).sum().backward()
    np.testing.assert_allclose(x.grad, xt.grad.numpy(), rtol=1e-12)
    np.testing.assert_allclose(y.grad, yt.grad.numpy(), rtol=1e-12)
    with pytest.raises(RuntimeError, match=r"got 1, expected 3"):
        returning(lambda g: g).apply(leaf(np.ones(3)), 2.0, scale=1.0).sum().backward()


class LinearFunction(Function):  # x @ wᵀ + b in the setup_context style of PyTorch's docs
    @staticmethod
    def forward(x, weight, bias=None):
        out = x @ weight.T
        return out if bias is None else out + bias

    @staticmethod
    def setup_context(ctx, inputs, output):
        x, weight, bias = inputs
        ctx.save_for_backward(x, weight, bias)

    @staticmethod
    def backward(ctx, grad_output):
        x, weight, bias = ctx.saved_tensors
        grad_x = grad_output @ weight if ctx.needs_input_grad[0] else None
        grad_w = grad_output.T @ x if ctx.needs_input_grad[1] else None
        grad_b = grad_output.sum(0) if bias is not None and ctx.needs_input_grad[2] else None
        return grad_x, grad_w, grad_b


def test_setup_context_style_matches_torch() -> None:
    arrays = [RNG.standard_normal(shape) for shape in ((4, 3), (2, 3), (2,))]
    ours, theirs = [leaf(a) for a in arrays], [leaf_t(a) for a in arrays]
    (LinearFunction.apply(*ours) ** 2).sum().backward()
    (torch_twin(LinearFunction).apply(*theirs) ** 2).sum().backward()
    for x, xt in zip(ours, theirs):
        np.testing.assert_allclose(x.grad, xt.grad.numpy(), rtol=1e-12)
    x, w = leaf(arrays[0]), leaf(arrays[1])
    out = LinearFunction.apply(x, w)  # the default bias=None is an input too, as in torch
    assert out.parents == (x, w)
    assert gradcheck(LinearFunction.apply, *[leaf(a) for a in arrays])
    with pytest.raises(TypeError, match=r"LinearFunction\.apply: missing a required argument"):
        LinearFunction.apply(x)


def test_needs_input_grad_follows_requires_grad_and_grad_mode() -> None:
    seen = []

    class Probe(Function):
        @staticmethod
        def forward(ctx, a, b, k):
            seen.append(ctx.needs_input_grad)
            return a * b * k

        @staticmethod
        def backward(ctx, grad_output):
            return None, None, None

    a, b = leaf(np.ones(2)), Tensor(np.ones(2))
    Probe.apply(a, b, 2.0)
    with no_grad():
        out = Probe.apply(a, b, 2.0)
    assert seen == [(True, False, False), (False, False, False)]
    assert not out.requires_grad and out.parents == ()


def test_forward_and_backward_run_with_recording_off() -> None:
    modes = []

    class Probe(Function):
        @staticmethod
        def forward(ctx, x):
            modes.append(is_grad_enabled())
            inner = x * 2
            assert inner.parents == ()
            return inner

        @staticmethod
        def backward(ctx, grad_output):
            modes.append(is_grad_enabled())
            return grad_output * 2

    x = leaf(np.array([1.0, 2.0]))
    y = Probe.apply(x)
    y.sum().backward()
    assert modes == [False, False] and y.parents == (x,)
    np.testing.assert_array_equal(x.grad, [2.0, 2.0])


def test_no_input_requires_grad_returns_forward_result_as_is() -> None:
    x = Tensor(np.array([0.5, 1.0]))
    y = LegendrePolynomial3.apply(x)
    assert not y.requires_grad and y.op == ""


def test_editing_grad_output_in_place_does_not_leak_into_other_branches() -> None:
    data = np.array([-1.0, 0.5, 2.0, -0.3])
    x, xt = leaf(data), leaf_t(data)

    class MyReLUTorch(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x.clamp(min=0)

        @staticmethod
        def backward(ctx, grad_output):
            (x,) = ctx.saved_tensors
            grad_input = grad_output.clone()
            grad_input[x < 0] = 0
            return grad_input

    (MyReLU.apply(x) + x * 3).sum().backward()
    (MyReLUTorch.apply(xt) + xt * 3).sum().backward()
    np.testing.assert_allclose(x.grad, xt.grad.numpy())


def test_gradients_accumulate_over_repeated_backward() -> None:
    x = leaf(np.array([0.2, -0.4]))
    y = LegendrePolynomial3.apply(x).sum()
    y.backward()
    first = x.grad.copy()
    y.backward()
    np.testing.assert_allclose(x.grad, 2 * first)


# ---- what backward returns: count, type, shape, dtype -----------------------------------------


def returning(grads: Any) -> type:
    """A Function of (x, n) whose backward returns ``grads(grad_output)``."""

    class Returning(Function):
        @staticmethod
        def forward(ctx, x, n=2.0, scale=1.0):
            return x * n * scale

        @staticmethod
        def backward(ctx, grad_output):
            return grads(grad_output)

    return Returning


def test_wrong_number_of_gradients_names_the_function() -> None:
    fn = returning(lambda g: (g, None, g))
    with pytest.raises(
        RuntimeError, match=r"Returning\.backward: .*incorrect number.*got 3, expected 2"
    ):
        fn.apply(leaf(np.ones(3)), 2.0).sum().backward()
    with pytest.raises(RuntimeError, match=r"got 1, expected 2"):
        returning(lambda g: g).apply(leaf(np.ones(3)), 2.0).sum().backward()


def test_extra_trailing_nones_are_allowed_as_in_torch() -> None:
    x = leaf(np.ones(3))
    returning(lambda g: (g * 2, None, None, None)).apply(x, 2.0).sum().backward()
    np.testing.assert_array_equal(x.grad, [2.0, 2.0, 2.0])


def test_gradient_for_a_constant_input_is_refused() -> None:
    fn = returning(lambda g: (g, g))
    with pytest.raises(RuntimeError, match="different than None at position 1.*not a Tensor"):
        fn.apply(leaf(np.ones(3)), 2.0).sum().backward()


def test_gradient_that_is_not_a_tensor_is_refused() -> None:
    fn = returning(lambda g: (g.data, None))
    with pytest.raises(TypeError, match=r"Returning\.backward: gradient 0 must be a Tensor"):
        fn.apply(leaf(np.ones(3)), 2.0).sum().backward()


def test_gradient_of_the_wrong_shape_names_the_function() -> None:
    fn = returning(lambda g: (g[:2], None))
    with pytest.raises(
        RuntimeError, match=r"Returning\.backward: .*invalid gradient at index 0.*\(2,\).*\(3,\)"
    ):
        fn.apply(leaf(np.ones(3)), 2.0).sum().backward()


def test_broadcast_gradient_is_summed_back_as_torch_does() -> None:
    data = RNG.standard_normal((1, 3))
    x, xt = leaf(data), leaf_t(data)

    def wide(g: Any) -> tuple[Any, None]:
        return g * Tensor(np.ones((4, 3))), None

    def wide_t(g: Any) -> tuple[Any, None]:
        return g * torch.ones(4, 3, dtype=torch.float64), None

    returning(wide).apply(x, 2.0).sum().backward()
    fn_t = torch_twin(returning(wide_t))
    fn_t.apply(xt, 2.0).sum().backward()
    np.testing.assert_allclose(x.grad, xt.grad.numpy())
    np.testing.assert_array_equal(x.grad, [[4.0, 4.0, 4.0]])


def test_gradient_is_cast_to_the_input_dtype_as_torch_does() -> None:
    x = Tensor(np.ones(3, dtype=np.float32), requires_grad=True)
    returning(lambda g: (Tensor(np.full(3, 0.5)), None)).apply(x, 2.0).sum().backward()
    assert x.grad.dtype == np.float32
    np.testing.assert_array_equal(x.grad, [0.5, 0.5, 0.5])


# ---- saved tensors and the version counter ------------------------------------------------


class MulByConstant(Function):  # x * c, where c is a Tensor that needs no gradient
    @staticmethod
    def forward(ctx, x, c):
        ctx.save_for_backward(c)
        return x * c

    @staticmethod
    def backward(ctx, grad_output):
        (c,) = ctx.saved_tensors
        return grad_output * c, None


def test_saved_tensor_edited_in_place_is_refused() -> None:
    x, c = leaf(np.ones(3)), Tensor(np.array([1.0, 2.0, 3.0]))
    y = MulByConstant.apply(x, c)
    c[0] = 5.0
    with pytest.raises(RuntimeError, match=r"MulByConstant\.backward: .*modified by an inplace"):
        y.sum().backward()


def test_saved_tensor_left_alone_gives_the_gradient() -> None:
    x, c = leaf(np.ones(3)), Tensor(np.array([1.0, 2.0, 3.0]))
    MulByConstant.apply(x, c).sum().backward()
    np.testing.assert_array_equal(x.grad, [1.0, 2.0, 3.0])


def test_saved_output_edited_in_place_is_refused() -> None:
    class Exp(Function):
        @staticmethod
        def forward(ctx, x):
            result = x.exp()
            ctx.save_for_backward(result)
            return result

        @staticmethod
        def backward(ctx, grad_output):
            (result,) = ctx.saved_tensors
            return grad_output * result

    x = leaf(np.array([0.0, 1.0]))
    y = Exp.apply(x)
    y.sum().backward()
    np.testing.assert_allclose(x.grad, np.exp([0.0, 1.0]))
    y.data = y.data * 0.0  # an edit of the output counts on the tensor forward saved
    with pytest.raises(RuntimeError, match=r"Exp\.backward: .*saved tensor 0"):
        y.sum().backward()


def test_save_for_backward_takes_tensors_only() -> None:
    class SavesNumber(Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x, 3.0)
            return x

    with pytest.raises(TypeError, match=r"SavesNumber\.forward: save_for_backward can only save"):
        SavesNumber.apply(leaf(np.ones(2)))


def test_graph_is_freed_by_reference_counting() -> None:
    gc.disable()
    try:
        x = leaf(np.ones(3))
        y = LegendrePolynomial3.apply(x)
        s, c, _ = SinCos.apply(x)
        refs = [weakref.ref(y), weakref.ref(s), weakref.ref(s.parents[0])]
        del y, s, c
        assert [ref() for ref in refs] == [None, None, None]
    finally:
        gc.enable()


# ---- several outputs --------------------------------------------------------------------------


class SinCos(Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x.sin(), x.cos(), "tag"

    @staticmethod
    def backward(ctx, grad_sin, grad_cos, grad_tag):
        (x,) = ctx.saved_tensors
        assert grad_tag is None
        return grad_sin * x.cos() - grad_cos * x.sin()


def test_several_outputs_match_torch_and_run_backward_once() -> None:
    data = RNG.standard_normal(5)
    x, xt = leaf(data), leaf_t(data)
    calls = []

    class Counting(SinCos):
        @staticmethod
        def backward(ctx, grad_sin, grad_cos, grad_tag):
            calls.append(1)
            return SinCos.backward(ctx, grad_sin, grad_cos, grad_tag)

    s, c, tag = Counting.apply(x)
    st, ct, tag_t = torch_twin(SinCos).apply(xt)
    assert tag == tag_t == "tag"
    (s * 2 + c * c).sum().backward()
    (st * 2 + ct * ct).sum().backward()
    np.testing.assert_allclose(x.grad, xt.grad.numpy(), rtol=1e-12)
    assert calls == [1]
    assert s.op == "Counting[0]" and c.op == "Counting[1]" and s.parents[0].op == "Counting"


def test_an_unused_output_gets_a_zero_gradient_as_in_torch() -> None:
    data = RNG.standard_normal(4)
    x, xt = leaf(data), leaf_t(data)
    SinCos.apply(x)[1].sum().backward()
    torch_twin(SinCos).apply(xt)[1].sum().backward()
    np.testing.assert_allclose(x.grad, xt.grad.numpy(), rtol=1e-12)


def test_gradcheck_on_several_outputs() -> None:
    def both(t: Tensor) -> Tensor:
        s, c, _ = SinCos.apply(t)
        return s * 3 + c

    assert gradcheck(both, leaf(RNG.standard_normal((2, 3))))


def test_non_differentiable_outputs_get_zeros_and_no_graph() -> None:
    seen = []

    class SortWithIndices(Function):
        @staticmethod
        def forward(ctx, x):
            order = np.argsort(x.data)
            values, mask = Tensor(x.data[order]), Tensor(x.data > 0)
            ctx.order = order
            ctx.mark_non_differentiable(mask)
            return values, Tensor(order), mask

        @staticmethod
        def backward(ctx, grad_values, grad_order, grad_mask):
            seen.append((grad_order.data.tolist(), grad_mask.data.tolist()))
            grad = np.zeros_like(grad_values.data)
            grad[ctx.order] = grad_values.data
            return Tensor(grad)

    x = leaf(np.array([0.3, -1.0, 2.0]))
    values, order, mask = SortWithIndices.apply(x)
    assert values.requires_grad and not order.requires_grad and not mask.requires_grad
    (values * Tensor(np.array([1.0, 2.0, 3.0]))).sum().backward()
    np.testing.assert_array_equal(x.grad, [2.0, 1.0, 3.0])
    assert seen == [([0, 0, 0], [False, False, False])]


# ---- misuse -----------------------------------------------------------------------------------


def test_calling_an_instance_says_to_use_apply() -> None:
    with pytest.raises(RuntimeError, match=r"LegendrePolynomial3\.apply"):
        LegendrePolynomial3()(leaf(np.ones(2)))


def test_missing_forward_or_backward_is_named() -> None:
    class NoForward(Function):
        pass

    class NoBackward(Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

    with pytest.raises(TypeError, match=r"NoForward\.apply: NoForward defines no forward"):
        NoForward.apply(leaf(np.ones(2)))
    with pytest.raises(TypeError, match=r"NoBackward\.apply: NoBackward defines no backward"):
        NoBackward.apply(leaf(np.ones(2)))
    assert NoBackward.apply(Tensor(np.ones(2))).tolist() == [2.0, 2.0]


def test_function_is_drawn_under_its_class_name() -> None:
    x = Tensor(np.array([0.5, 1.0]), requires_grad=True, label="x")
    source = viz.dot_source(LegendrePolynomial3.apply(x).sum())
    assert "<b>LegendrePolynomial3</b>" in source


# ---- the scalar gate --------------------------------------------------------------------------


@scalar_function
def swish(x: float) -> tuple[float, tuple[float]]:  # x·σ(x); d/dx = σ + x·σ(1 - σ)
    s = 1.0 / (1.0 + math.exp(-x))
    return x * s, (s + x * s * (1.0 - s),)


@scalar_function
def scaled_sigmoid(x: float, k: float, *, alpha: float = 1.0) -> tuple[float, tuple[float, float]]:
    # α·σ(kx); d/dx = α·k·σ(1 - σ), d/dk = α·x·σ(1 - σ)
    s = 1.0 / (1.0 + math.exp(-k * x))
    d = alpha * s * (1.0 - s)
    return alpha * s, (d * k, d * x)


@pytest.mark.parametrize("point", [-3.0, -0.5, 0.0, 0.7, 4.0])
def test_swish_gate_equals_built_in_ops_torch_and_central_differences(point: float) -> None:
    x, x_ref = Value(point), Value(point)
    y, y_ref = swish(x), x_ref * x_ref.sigmoid()
    y.backward()
    y_ref.backward()
    xt = torch.tensor(point, dtype=torch.float64, requires_grad=True)
    torch.nn.functional.silu(xt).backward()
    assert math.isclose(y.data, y_ref.data, rel_tol=1e-12, abs_tol=1e-15)
    assert math.isclose(x.grad, x_ref.grad, rel_tol=1e-12, abs_tol=1e-15)
    assert math.isclose(x.grad, xt.grad.item(), rel_tol=1e-12, abs_tol=1e-15)
    assert gradcheck(swish, Value(point))
    assert y.op == "swish" and y.parents == (x,) and len(y.local_grads) == 1


def test_gate_with_two_inputs_constants_and_settings() -> None:
    x, k = Value(0.4), Value(1.5)
    assert gradcheck(lambda a, b: scaled_sigmoid(a, b, alpha=2.0), x, k)
    x = Value(0.4)
    y = scaled_sigmoid(x, 1.5, alpha=2.0)  # the number 1.5 is a constant: not a parent
    assert y.parents == (x,) and len(y.local_grads) == 1
    xt = torch.tensor(0.4, dtype=torch.float64, requires_grad=True)
    (2.0 * torch.sigmoid(1.5 * xt)).backward()
    y.backward()
    assert math.isclose(y.data, 2.0 / (1.0 + math.exp(-0.6)), rel_tol=1e-12)
    assert math.isclose(x.grad, xt.grad.item(), rel_tol=1e-12)


def test_gate_of_numbers_only_is_a_constant() -> None:
    y = swish(1.0)
    assert y.op == "" and y.parents == () and math.isclose(y.data, 1.0 / (1.0 + math.exp(-1.0)))


def test_gate_used_twice_accumulates_both_contributions() -> None:
    x = Value(0.8)
    y = swish(x) * swish(x)
    y.backward()
    s = 1.0 / (1.0 + math.exp(-0.8))
    assert math.isclose(x.grad, 2 * 0.8 * s * (s + 0.8 * s * (1 - s)), rel_tol=1e-12)


@pytest.mark.parametrize(
    ("body", "error", "match"),
    [
        (lambda x: x * 2, TypeError, "must return \\(value, local_grads\\)"),
        (lambda x: (x, (1.0, 2.0)), ValueError, "one local derivative per input; got 2"),
        (lambda x: (x, 1.0), TypeError, "local derivatives must be a tuple; got float"),
        (lambda x: ("a", (1.0,)), TypeError, "value must be a number"),
        (lambda x: (x, (None,)), TypeError, "local derivative 0 must be a number"),
    ],
)
def test_gate_that_returns_the_wrong_thing_is_named(body: Any, error: type, match: str) -> None:
    gate = scalar_function(body)
    with pytest.raises(error, match="<lambda>: .*" + match):
        gate(Value(1.0))


def test_gate_refuses_non_numbers_and_non_callables() -> None:
    with pytest.raises(TypeError, match="swish: wrong type; got str"):
        swish("1.0")
    with pytest.raises(TypeError, match="scalar_function: expected a function"):
        scalar_function(3)


def test_gate_is_drawn_under_its_name_escaped() -> None:
    x = Value(0.5, label="x")
    source = viz.dot_source(swish(x))
    assert "<swish>" in source
    odd = scalar_function(lambda a: (a, (1.0,)))
    assert "&lt;lambda&gt;" in viz.dot_source(odd(x))


# ---- micrograd's lecture names ----------------------------------------------------------------


def lecture_neuron() -> tuple[dict[str, Value], list[Value]]:
    """The lecture's neuron o = tanh(x1·w1 + x2·w2 + b), its nodes in the lecture's order."""
    x1, x2 = Value(2.0, label="x1"), Value(0.0, label="x2")
    w1, w2 = Value(-3.0, label="w1"), Value(1.0, label="w2")
    b = Value(6.8813735870195432, label="b")
    x1w1, x2w2 = x1 * w1, x2 * w2
    x1w1x2w2 = x1w1 + x2w2
    n = x1w1x2w2 + b
    o = n.tanh()
    leaves = {"x1": x1, "x2": x2, "w1": w1, "w2": w2, "b": b}
    return leaves, [o, n, b, x1w1x2w2, x2w2, x1w1]


def test_manual_backward_steps_give_the_lecture_numbers() -> None:
    leaves, steps = lecture_neuron()
    o = steps[0]
    o.grad = 1.0
    for node in steps:  # the lecture's o._backward(); n._backward(); ...
        node.backward_step()
    got = {name: v.grad for name, v in leaves.items()}
    assert round(o.data, 4) == 0.7071
    expected = {"x1": -1.5, "w1": 1.0, "x2": 0.5, "w2": 0.0, "b": 0.5}
    for name, grad in expected.items():
        assert math.isclose(got[name], grad, abs_tol=1e-6), (name, got[name])

    again, chain = lecture_neuron()
    chain[0].backward()
    assert {name: v.grad for name, v in again.items()} == got

    names = ["x1", "x2", "w1", "w2", "b"]
    xs = {k: torch.tensor(leaves[k].data, dtype=torch.float64, requires_grad=True) for k in names}
    ot = torch.tanh(xs["x1"] * xs["w1"] + xs["x2"] * xs["w2"] + xs["b"])
    ot.backward()
    for name in names:
        assert math.isclose(got[name], xs[name].grad.item(), rel_tol=1e-12, abs_tol=1e-15)


def test_backward_steps_in_reverse_topological_order_equal_backward() -> None:
    a, b = Value(0.7), Value(-1.2)
    root = (a * b + a).tanh() * a
    root.grad = 1.0
    for node in reversed(topological_order(root)):
        node.backward_step()
    manual = (a.grad, b.grad)
    a.grad = b.grad = 0.0
    root.zero_grad()
    root.backward()
    assert manual == (a.grad, b.grad)


def test_prev_and_op_are_the_lecture_names() -> None:
    a, b = Value(2.0), Value(3.0)
    c = a + b
    assert c._prev == {a, b} and c._op == "+"
    assert (a * a)._prev == {a}
    assert a._prev == set() and a._op == ""
    with pytest.raises(AttributeError):
        c._prev = {a}
    with pytest.raises(AttributeError):
        c._op = "*"
