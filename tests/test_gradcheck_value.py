"""`gradcheck` on functions of `Value`s: it accepts true gradients and catches false ones.

A false gradient needs no engine change: `Value.dot` with an input's current *data* as a constant
weight makes a node whose recorded derivative misses that weight's own dependence on the input.
"""

from __future__ import annotations

import re

import pytest

from autograd import GradcheckError, Value, gradcheck


def half_detached_square(a: Value) -> Value:
    """a² in value, but the engine sees a·c with c = a.data constant: analytic a, true 2a."""
    return Value.dot([a], [a.data])


# ---- correct functions pass ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "fn, xs",
    [
        (lambda x, y, z: (x + y) * z, (1.0, -3.0, 4.0)),
        (lambda a, b: (a * b).tanh() + (a / b).exp(), (0.3, -1.2)),
        (lambda a, b: a**b + b.sigmoid().log(), (1.7, 0.4)),
        (lambda a: (a * a + 1.0).sqrt() * a.sin() - a.cos() ** 2, (0.8,)),
        (lambda a, b, c: Value.dot([a, b], [b, c], bias=c.elu()).leaky_relu(0.2), (0.5, -1.5, 0.7)),
        (lambda a, b: Value.sum([a, a * b, 2**b, abs(b)]), (2.0, -0.6)),
    ],
)
def test_true_gradients_pass(fn: object, xs: tuple[float, ...]) -> None:
    assert gradcheck(fn, *(Value(x) for x in xs)) is True


def test_inputs_are_restored() -> None:
    a, b = Value(0.1), Value(-2.5)
    gradcheck(lambda u, v: u * v + v.exp(), a, b)
    assert (a.data, b.data) == (0.1, -2.5)
    with pytest.raises(GradcheckError):
        gradcheck(lambda u, v: u * v + half_detached_square(v), a, b)
    assert (a.data, b.data) == (0.1, -2.5)


# ---- false gradients are caught, and the worst input is named -----------------------------------


def test_false_gradient_names_the_input() -> None:
    a, b = Value(0.5), Value(1.5)
    with pytest.raises(GradcheckError) as info:
        gradcheck(lambda u, v: u * v + half_detached_square(v), a, b)
    message = str(info.value)
    assert message.startswith("gradcheck:")
    assert "input 1" in message and "input 0" not in message
    # analytic u + v.data = 2.0; numeric u + 2v = 3.5
    assert re.search(r"analytic 2\.0\b", message), message
    assert re.search(r"numeric 3\.(5|4999)", message), message


@pytest.mark.parametrize("small, large, named", [(0.01, 3.0, "input 1"), (3.0, 0.01, "input 0")])
def test_the_worst_of_two_false_gradients_is_named(small: float, large: float, named: str) -> None:
    with pytest.raises(GradcheckError, match=named):
        gradcheck(
            lambda u, v: half_detached_square(u) + half_detached_square(v),
            Value(small),
            Value(large),
        )


def test_tolerances_are_honoured() -> None:
    # the recorded derivative is off by 1e-7·a: inside the default tolerance, outside a tight one
    def nearly(a: Value) -> Value:
        return a * a + Value.dot([a], [1e-7 * a.data])

    assert gradcheck(nearly, Value(2.0)) is True
    with pytest.raises(GradcheckError, match="input 0"):
        gradcheck(nearly, Value(2.0), atol=1e-10, rtol=1e-12)


def test_step_size_is_honoured() -> None:
    # for a³ the central difference is 3a² + eps²: eps = 0.1 puts it 0.01 away
    cube = lambda a: a**3  # noqa: E731
    assert gradcheck(cube, Value(1.0)) is True
    with pytest.raises(GradcheckError):
        gradcheck(cube, Value(1.0), eps=0.1, atol=1e-3, rtol=1e-3)


@pytest.mark.parametrize("op", ["relu", "step"])
def test_kinks_show_up_as_mismatches(op: str) -> None:
    # at 0 the recorded derivative is 0; the central difference sees the kink (relu: 1/2) or
    # the jump (step: 1/(2·eps)), the lectures' reason a step cannot be trained by gradients
    with pytest.raises(GradcheckError):
        gradcheck(lambda a: getattr(a, op)(), Value(0.0))


# ---- what gradcheck refuses ---------------------------------------------------------------------


def test_non_value_inputs_are_refused() -> None:
    with pytest.raises(TypeError, match=r"gradcheck: input 0 .*got float"):
        gradcheck(lambda a: a * 2, 1.0)
    with pytest.raises(TypeError, match=r"gradcheck: input 1 .*got str"):
        gradcheck(lambda a, b: a * 2, Value(1.0), "b")


def test_non_value_outputs_are_refused() -> None:
    with pytest.raises(TypeError, match=r"gradcheck: fn must return a Value; got float"):
        gradcheck(lambda a: a.data * 2, Value(1.0))
    with pytest.raises(TypeError, match=r"gradcheck: .*got tuple"):
        gradcheck(lambda a: (a, a), Value(1.0))
