"""Exercises that check themselves: a notebook's answer sheet says right or wrong, with a hint.

The answer keys are data, one JSON file per notebook in ``viz/answers/`` (``01.json`` for
``notebooks/01_*.ipynb``); the worked solutions are in ``notebooks/solutions/``, outside the
student's notebook. A notebook gets its sheet once and checks each answer in place::

    check = viz.exercises.sheet("01", lang=LANG)
    answer = ...        # the student writes the answer here
    check(1, answer)    # "✓ Exercise 1: right." or "✗ ... not yet." with a hint

An answer left as ``...`` (or a function still returning None) is "not answered yet", neither
right nor wrong, so a notebook runs top to bottom before anyone has solved anything.

Each exercise in a key has a ``kind``:

* ``number``: one number; ``answer`` a float, compared with ``rtol``/``atol`` (default 1e-6). A
  one-element `Value`, `Tensor` or array counts as its number.
* ``array``: numbers of a given shape; ``answer`` a nested list.
* ``numbers``: named numbers, e.g. every gradient of a graph; ``answer`` ``{"x": 4, "y": -2}``.
  The student's dict must have the same names; the verdict names the ones that are off.
* ``exact``: an int, a bool, a string (compared without case or surrounding spaces) or a list.
* ``set``: a collection whose order does not matter (strings compared as in ``exact``).
* ``function``: a function the student writes; ``cases`` lists ``{"args": [...], "expected":
  ...}`` and every case must give its expected number or array.

Every exercise has a ``hint`` (``{"en": ..., "es": ...}``) shown with a wrong answer, and may list
``wrong``: common wrong answers, each with the hint that answer deserves.
"""

from __future__ import annotations

import html
import json
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from viz import language

if TYPE_CHECKING:
    import numpy as np

ANSWERS = Path(__file__).with_name("answers")
KINDS = ("number", "array", "numbers", "exact", "set", "function")
RIGHT, WRONG, UNANSWERED = "right", "wrong", "unanswered"


@dataclass(frozen=True)
class Verdict:
    """What `Sheet.__call__` says about one answer: ``status`` is ``"right"``, ``"wrong"`` or
    ``"unanswered"``; ``message`` is the sentence the student reads. True only when right."""

    exercise: str
    status: str
    message: str

    def __bool__(self) -> bool:
        return self.status == RIGHT

    def __repr__(self) -> str:
        return self.message

    def _repr_html_(self) -> str:
        color = {RIGHT: "#1a7f37", WRONG: "#b42318", UNANSWERED: "#6b7280"}[self.status]
        return (
            f'<div class="grafograd-check" data-status="{self.status}" '
            f'style="color:{color};font-weight:600">{html.escape(self.message)}</div>'
        )


def _number(x: Any) -> float | None:
    """``x`` as a float if it is one number (a Python number, a one-element array, a `Value` or
    a `Tensor`), else None."""
    import numpy as np

    if isinstance(x, bool):
        return None
    if isinstance(x, (int, float, np.number)):
        return float(x)
    arr = _array(x)
    if arr is not None and arr.size == 1 and np.issubdtype(arr.dtype, np.number):
        return float(arr.reshape(()))
    return None


def _array(x: Any) -> np.ndarray | None:
    """``x`` as a float ndarray (numbers, nested lists, arrays, a `Value`'s or `Tensor`'s data),
    else None."""
    import numpy as np

    data = x if isinstance(x, np.ndarray) else getattr(x, "data", x)  # an ndarray's .data: bytes
    if data is not x and not isinstance(data, (int, float, np.ndarray, np.number)):
        return None
    if isinstance(data, (str, bytes, Mapping)) or data is None or data is Ellipsis:
        return None
    try:
        arr = np.asarray(data, dtype=np.float64)
    except (TypeError, ValueError):
        return None
    return arr


def _normal(x: Any) -> Any:
    """Strings without case or surrounding spaces; numpy scalars as Python ones."""
    import numpy as np

    if isinstance(x, str):
        return x.strip().casefold()
    if isinstance(x, np.generic):
        return x.item()
    return x


class Sheet:
    """The exercises of one notebook: ``sheet(exercise, answer)`` checks an answer."""

    def __init__(self, notebook: str, key: Mapping[str, Any], lang: str) -> None:
        self.notebook = notebook
        self.title = key.get("notebook", notebook)
        self.exercises: Mapping[str, Mapping[str, Any]] = key["exercises"]
        self.lang = lang

    def __repr__(self) -> str:
        return f"Sheet({self.notebook!r}, exercises={list(self.exercises)}, lang={self.lang!r})"

    def _text(self, name: str, **fields: Any) -> str:
        return language.text(name, self.lang, **fields)

    def _hint(self, spec: Mapping[str, Any]) -> str:
        hint = spec.get(self.lang) or spec["en"]
        return str(hint)

    def __call__(self, exercise: int | str, answer: Any) -> Verdict:
        name = str(exercise)
        if name not in self.exercises:
            raise KeyError(
                f"check: notebook {self.notebook} has no exercise {exercise!r}; "
                f"expected one of {list(self.exercises)}"
            )
        spec = self.exercises[name]
        label = self._text("ex_label", exercise=name)
        if answer is Ellipsis:
            return Verdict(name, UNANSWERED, self._text("ex_unanswered", label=label))
        if spec["kind"] == "function":
            problem = self._function_problem(spec, answer)
            if problem is Ellipsis:
                return Verdict(name, UNANSWERED, self._text("ex_unfinished", label=label))
        else:
            problem = self._value_problem(spec, spec["answer"], answer)
        if problem is None:
            return Verdict(name, RIGHT, self._text("ex_right", label=label))
        for known in spec.get("wrong", ()):
            if self._value_problem(spec, known["answer"], answer) is None:
                return Verdict(
                    name, WRONG, self._text("ex_wrong", label=label, hint=self._hint(known["hint"]))
                )
        hint = self._hint(spec["hint"])
        if problem:
            hint = f"{problem} {hint}"
        return Verdict(name, WRONG, self._text("ex_wrong", label=label, hint=hint))

    def _close(self, spec: Mapping[str, Any], expected: float, got: float) -> bool:
        rtol, atol = _tolerances(spec)
        return math.isfinite(got) and math.isclose(got, expected, rel_tol=rtol, abs_tol=atol)

    def _value_problem(self, spec: Mapping[str, Any], expected: Any, got: Any) -> str | None:
        """None if ``got`` matches ``expected``; else what is off ("" when the hint says it)."""
        import numpy as np

        kind = spec["kind"]
        if kind in ("number", "function") and not isinstance(expected, list):
            value = _number(got)
            if value is None:
                return self._text("ex_not_number", got=type(got).__name__)
            return None if self._close(spec, float(expected), value) else ""
        if kind in ("array", "function"):
            want = np.asarray(expected, dtype=np.float64)
            arr = _array(got)
            if arr is None:
                return self._text("ex_not_array", got=type(got).__name__)
            if arr.shape != want.shape:
                return self._text("ex_shape", got=arr.shape, expected=want.shape)
            rtol, atol = _tolerances(spec)
            return None if np.allclose(arr, want, rtol=rtol, atol=atol) else ""
        if kind == "numbers":
            if not isinstance(got, Mapping):
                return self._text("ex_not_mapping", got=type(got).__name__)
            missing = [str(k) for k in expected if k not in got]
            extra = [str(k) for k in got if k not in expected]
            if missing:
                return self._text("ex_missing", names=", ".join(missing))
            if extra:
                return self._text("ex_extra", names=", ".join(extra))
            off = [
                k
                for k, v in expected.items()
                if (n := _number(got[k])) is None or not self._close(spec, float(v), n)
            ]
            return self._text("ex_off", names=", ".join(off)) if off else None
        if kind == "exact":
            if isinstance(expected, list):
                items = list(got) if isinstance(got, (list, tuple)) else None
                same = items is not None and [_normal(i) for i in items] == [
                    _normal(i) for i in expected
                ]
            elif isinstance(expected, bool) or isinstance(got, bool):
                same = type(_normal(got)) is type(expected) and _normal(got) == expected
            else:
                same = _normal(got) == _normal(expected)
            return None if same else ""
        if kind == "set":
            if isinstance(got, (str, bytes)) or not hasattr(got, "__iter__"):
                return self._text("ex_not_collection", got=type(got).__name__)
            return None if {_normal(i) for i in got} == {_normal(i) for i in expected} else ""
        raise ValueError(f"check: unknown exercise kind {kind!r}; expected one of {KINDS}")

    def _function_problem(self, spec: Mapping[str, Any], answer: Any) -> Any:
        """None if every case passes, Ellipsis if the function is not written yet (it returns
        None everywhere), else what the first failing case gave."""
        if not callable(answer):
            return self._text("ex_not_function", got=type(answer).__name__)
        results = []
        for case in spec["cases"]:
            args = case["args"]
            try:
                results.append(answer(*args))
            except Exception as exc:  # the student's code failing is an answer, not our error
                return self._text("ex_raised", call=_call(answer, args), error=repr(exc))
        if all(r is None for r in results):
            return Ellipsis
        for case, got in zip(spec["cases"], results, strict=True):
            problem = self._value_problem(spec, case["expected"], got)
            if problem is not None:
                return self._text(
                    "ex_case",
                    call=_call(answer, case["args"]),
                    got=_show(got),
                    expected=_show(case["expected"]),
                )
        return None


def _tolerances(spec: Mapping[str, Any]) -> tuple[float, float]:
    """An exercise's (rtol, atol), 1e-6 each unless its key says otherwise."""
    return spec.get("rtol", 1e-6), spec.get("atol", 1e-6)


def _call(fn: Callable[..., Any], args: list[Any]) -> str:
    name = getattr(fn, "__name__", None) or type(fn).__name__
    return f"{name}({', '.join(_show(a) for a in args)})"


def _show(x: Any) -> str:
    import numpy as np

    number = _number(x)
    if number is not None:
        return f"{number:.6g}"
    arr = _array(x)
    if arr is not None:
        return np.array2string(arr, precision=4, separator=", ")
    return repr(x)


def _number_of(notebook: str) -> str:
    """``"01"`` for ``"01"`` or ``"01_computational_graphs"``."""
    return str(notebook).split("_")[0]


def load_key(notebook: str) -> dict[str, Any]:
    """The answer key of ``notebook`` (``"01"`` or ``"01_computational_graphs"``), validated."""
    number = _number_of(notebook)
    path = ANSWERS / f"{number}.json"
    if not number.isdigit() or not path.is_file():
        known = sorted(p.stem for p in ANSWERS.glob("*.json"))
        raise ValueError(f"sheet: no exercises for notebook {notebook!r}; expected one of {known}")
    key = json.loads(path.read_text(encoding="utf-8"))
    for name, spec in key["exercises"].items():
        kind = spec.get("kind")
        if kind not in KINDS:
            raise ValueError(
                f"{path.name}: exercise {name}: kind {kind!r}, expected one of {KINDS}"
            )
        needed = ("cases",) if kind == "function" else ("answer",)
        for field in (*needed, "hint"):
            if field not in spec:
                raise ValueError(f"{path.name}: exercise {name} has no {field!r}")
        for text in [spec["hint"], *(w["hint"] for w in spec.get("wrong", ()))]:
            if set(text) != set(language.LANGUAGES):
                raise ValueError(
                    f"{path.name}: exercise {name}: a hint in {sorted(text)}, "
                    f"expected {sorted(language.LANGUAGES)}"
                )
    return key


def sheet(notebook: str, lang: str | None = None) -> Sheet:
    """The answer sheet of ``notebook`` (``"01"``), speaking ``lang`` (``"en"``, ``"es"``; None:
    the current language).

    >>> check = sheet("01", lang="en")
    >>> check(1, ...)
    … Exercise 1: not answered yet: write your answer in place of the ...
    """
    return Sheet(_number_of(notebook), load_key(notebook), language.check("sheet", lang))
