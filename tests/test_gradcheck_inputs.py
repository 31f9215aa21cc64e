"""`gradcheck` leaves its inputs as it found them, whatever ``fn`` does; it refuses bad settings."""

from __future__ import annotations

import math

import numpy as np
import pytest

from autograd import Tensor, Value, gradcheck


def test_a_value_input_is_restored_when_fn_raises_at_a_shifted_point() -> None:
    a = Value(5e-7)  # a - eps is outside log's domain
    with pytest.raises(ValueError, match="log") as info:
        gradcheck(lambda u: u.log(), a)
    assert a.data == 5e-7
    notes = "\n".join(getattr(info.value, "__notes__", []))
    assert "gradcheck: fn raised at input 0 shifted by -eps" in notes or sys_lacks_notes()


def test_a_later_value_input_is_restored_too() -> None:
    a, b = Value(2.0), Value(3e-7)
    with pytest.raises(ValueError):
        gradcheck(lambda u, v: u * v.log(), a, b)
    assert (a.data, b.data) == (2.0, 3e-7)


def test_tensor_inputs_are_restored_when_fn_raises_at_a_shifted_point() -> None:
    data = np.array([[1.0, 5e-7], [2.0, 3.0]])
    x = Tensor(data.copy(), requires_grad=True)
    seen = []

    def guarded_log(t: Tensor) -> Tensor:
        seen.append(t)
        if (t.data <= 0).any():
            raise ValueError("guarded_log: argument out of domain")
        return t.log()

    with pytest.raises(ValueError, match="guarded_log"):
        gradcheck(guarded_log, x)
    np.testing.assert_array_equal(x.data, data)
    leaf = seen[0]  # the float64 copy gradcheck perturbs is put back as well
    np.testing.assert_array_equal(leaf.data, data)


def test_large_tensor_inputs_are_restored_along_random_directions() -> None:
    x = Tensor(np.full(10, 1e-7), requires_grad=True)
    seen = []

    def guarded(t: Tensor) -> Tensor:
        seen.append(t)
        if (t.data <= 0).any():
            raise ValueError("guarded: out of domain")
        return t.log().sum()

    with pytest.raises(ValueError, match="guarded"):
        gradcheck(guarded, x, max_elements=4, eps=1e-6)
    np.testing.assert_array_equal(seen[0].data, np.full(10, 1e-7))


def sys_lacks_notes() -> bool:
    return not hasattr(BaseException, "add_note")  # Python 3.10


@pytest.mark.parametrize(
    "setting, bad",
    [
        ("eps", 0),
        ("eps", 0.0),
        ("eps", -1e-6),
        ("eps", math.inf),
        ("eps", math.nan),
        ("atol", -1e-5),
        ("atol", math.nan),
        ("atol", math.inf),
        ("rtol", -1.0),
        ("max_elements", 0),
        ("directions", -2),
    ],
)
def test_bad_settings_are_refused(setting: str, bad: object) -> None:
    a = Value(0.5)
    with pytest.raises(ValueError, match=rf"^gradcheck: {setting} .*; got {bad!r}") as info:
        gradcheck(lambda u: u * u, a, **{setting: bad})
    assert a.data == 0.5 and "expected" in str(info.value)


@pytest.mark.parametrize(
    "setting, bad",
    [("eps", True), ("eps", "1e-6"), ("rtol", None), ("max_elements", 2.5), ("directions", 1.0)],
)
def test_settings_of_the_wrong_type_are_refused(setting: str, bad: object) -> None:
    with pytest.raises(TypeError, match=rf"^gradcheck: {setting} .*; got {bad!r}"):
        gradcheck(lambda u: u * u, Value(0.5), **{setting: bad})


def test_eps_zero_is_a_value_error_not_a_division_by_zero() -> None:
    with pytest.raises(ValueError, match="gradcheck: eps must be a positive finite number"):
        gradcheck(lambda u: u * u, Value(1.0), eps=0)
    with pytest.raises(ValueError, match="gradcheck: eps"):
        gradcheck(lambda t: t * t, Tensor([1.0], requires_grad=True), eps=0)


@pytest.mark.parametrize("atol, rtol", [(0.0, 1e-3), (1e-5, 0.0), (np.float64(1e-5), 1)])
def test_zero_tolerances_and_numpy_numbers_are_accepted(atol: float, rtol: float) -> None:
    assert gradcheck(lambda u: u * u, Value(1.5), atol=atol, rtol=rtol) is True
