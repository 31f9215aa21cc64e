"""Exercises that check themselves (`viz.exercises`): right answers say right, wrong ones wrong
with a hint, blank ones "not answered yet"; every notebook's sheet, key and solutions agree, and
the student's notebooks carry no solutions."""

from __future__ import annotations

import json
import math
import re
import runpy
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from autograd import Tensor, Value
from viz import exercises
from viz.exercises import Sheet

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
KEYS = sorted(exercises.ANSWERS.glob("*.json"))

TOY = {
    "notebook": "99_toy",
    "exercises": {
        "1": {
            "kind": "number",
            "answer": -8.0,
            "hint": {"en": "Multiply q by z.", "es": "Multiplica q por z."},
            "wrong": [{"answer": 4.0, "hint": {"en": "That is ∂f/∂q.", "es": "Eso es ∂f/∂q."}}],
        },
        "2": {
            "kind": "numbers",
            "answer": {"x": 4, "y": 4, "z": -2},
            "hint": {"en": "Chain rule.", "es": "Regla de la cadena."},
        },
        "3": {
            "kind": "function",
            "cases": [{"args": [1.5], "expected": 1.0}, {"args": [-2.0], "expected": 0.0}],
            "hint": {"en": "A step.", "es": "Un escalón."},
        },
        "4": {"kind": "exact", "answer": "b", "hint": {"en": "Read.", "es": "Lee."}},
        "5": {"kind": "set", "answer": ["x", "y"], "hint": {"en": "Two.", "es": "Dos."}},
        "6": {"kind": "array", "answer": [[1, 2], [3, 4]], "hint": {"en": "2×2.", "es": "2×2."}},
        "7": {"kind": "exact", "answer": True, "hint": {"en": "Yes?", "es": "¿Sí?"}},
    },
}


@pytest.fixture(params=["en", "es"])
def toy(request: pytest.FixtureRequest) -> Sheet:
    return Sheet("99", TOY, request.param)


def status(verdict: Any) -> str:
    return verdict.status


# --- the checker on every kind of answer ---------------------------------------------------


def test_a_number_in_any_form_is_right(toy: Sheet) -> None:
    answers = (-8, -8.0, np.float32(-8), np.array(-8.0), np.array([-8.0]), [-8.0])
    for answer in (*answers, Value(-8.0), Tensor(np.array([-8.0]))):
        verdict = toy(1, answer)
        assert verdict and verdict.status == "right", (answer, verdict)
    assert toy("1", -8.0000000001)


def test_a_wrong_number_gets_the_hint_and_a_known_mistake_its_own(toy: Sheet) -> None:
    general, known = toy(1, -7.0), toy(1, 4.0)
    assert not general and general.status == "wrong"
    assert ("Multiply q by z." if toy.lang == "en" else "Multiplica q por z.") in general.message
    assert ("That is ∂f/∂q." if toy.lang == "en" else "Eso es ∂f/∂q.") in known.message
    for nonsense in ("-8", None, math.nan, True, {"x": 1}):
        assert toy(1, nonsense).status == "wrong", nonsense


def test_blank_answers_are_neither_right_nor_wrong(toy: Sheet) -> None:
    verdict = toy(1, ...)
    assert verdict.status == "unanswered" and not verdict

    def unfinished(x: float) -> None: ...

    assert toy(3, unfinished).status == "unanswered"


def test_named_numbers_say_which_are_off_or_missing(toy: Sheet) -> None:
    assert toy(2, {"x": 4.0, "y": Value(4.0), "z": -2})
    off = toy(2, {"x": 4, "y": 3, "z": -2})
    assert off.status == "wrong" and re.search(r": y\.", off.message)
    missing = toy(2, {"x": 4})
    assert missing.status == "wrong" and "y, z" in missing.message
    extra = toy(2, {"x": 4, "y": 4, "z": -2, "w": 0})
    assert extra.status == "wrong" and "w" in extra.message
    assert toy(2, [4, 4, -2]).status == "wrong"


def test_a_function_is_run_on_every_case(toy: Sheet) -> None:
    def step(x: float) -> float:
        return 1.0 if x > 0 else 0.0

    def identity(x: float) -> float:
        return x

    def broken(x: float) -> float:
        return 1 / 0

    assert toy(3, step)
    wrong = toy(3, identity)
    assert wrong.status == "wrong" and "identity(1.5)" in wrong.message and " 1.5," in wrong.message
    raised = toy(3, broken)
    assert raised.status == "wrong" and "ZeroDivisionError" in raised.message
    assert toy(3, 1.0).status == "wrong"


def test_exact_set_array_and_bool_answers(toy: Sheet) -> None:
    assert toy(4, " B ") and not toy(4, "a")
    assert toy(5, ("y", "X")) and toy(5, {"x", "y"}) and not toy(5, ["x"]) and not toy(5, "xy")
    assert toy(6, Tensor(np.array([[1.0, 2.0], [3.0, 4.0]]))) and toy(6, [[1, 2], [3, 4]])
    assert toy(6, np.array([[1, 2], [3, 4]])) and not toy(6, np.eye(2))
    shape = toy(6, [1, 2, 3, 4])
    assert shape.status == "wrong" and "(2, 2)" in shape.message
    assert toy(7, True) and not toy(7, 1) and not toy(7, False)


def test_verdicts_speak_the_sheets_language() -> None:
    en, es = Sheet("99", TOY, "en"), Sheet("99", TOY, "es")
    assert repr(en(1, -8)) == "✓ Exercise 1: right."
    assert repr(es(1, -8)) == "✓ Ejercicio 1: correcto."
    assert es(1, ...).message.startswith("… Ejercicio 1: sin responder")
    assert 'data-status="wrong"' in es(1, 0)._repr_html_()


def test_bad_calls_are_refused_clearly(toy: Sheet, tmp_path: Path, monkeypatch: Any) -> None:
    with pytest.raises(KeyError, match="no exercise 8"):
        toy(8, 1)
    with pytest.raises(ValueError, match="no exercises for notebook '77'"):
        exercises.sheet("77")
    monkeypatch.setattr(exercises, "ANSWERS", tmp_path)
    (tmp_path / "97.json").write_text(json.dumps(TOY))
    assert exercises.sheet("97_toy", lang="es")(1, -8)
    with pytest.raises(ValueError, match="unknown lang"):
        exercises.sheet("97", lang="fr")
    bad = {"exercises": {"1": {"kind": "number", "answer": 1, "hint": {"en": "only English"}}}}
    (tmp_path / "98.json").write_text(json.dumps(bad))
    with pytest.raises(ValueError, match="a hint in"):
        exercises.sheet("98")
    (tmp_path / "96.json").write_text(json.dumps({"exercises": {"1": {"kind": "guess"}}}))
    with pytest.raises(ValueError, match="kind 'guess'"):
        exercises.sheet("96")


# --- the course's keys, solutions and notebooks ----------------------------------------------


def notebook_of(key: Path) -> Path:
    (path,) = NOTEBOOKS.glob(f"{key.stem}_*.ipynb")
    return path


def test_every_notebook_has_an_answer_key() -> None:
    assert [k.stem for k in KEYS] == [p.name[:2] for p in sorted(NOTEBOOKS.glob("*.ipynb"))]


def solutions(key: Path) -> dict[str, Any]:
    path = NOTEBOOKS / "solutions" / f"{notebook_of(key).stem}.py"
    assert path.is_file(), f"no solutions file {path.name}"
    return runpy.run_path(str(path))["ANSWERS"]


@pytest.mark.parametrize("key", KEYS, ids=[k.stem for k in KEYS])
def test_the_solutions_are_right_and_known_mistakes_wrong(key: Path) -> None:
    spec = json.loads(key.read_text(encoding="utf-8"))
    assert spec["notebook"] == notebook_of(key).stem
    answers = solutions(key)
    assert sorted(answers) == sorted(spec["exercises"])
    for lang in ("en", "es"):
        sheet = exercises.sheet(key.stem, lang=lang)
        for name, item in spec["exercises"].items():
            assert sheet(name, answers[name]).status == "right", (name, sheet(name, answers[name]))
            assert sheet(name, ...).status == "unanswered"
            for known in item.get("wrong", ()):
                verdict = sheet(name, known["answer"])
                assert verdict.status == "wrong" and known["hint"][lang] in verdict.message


def perturbed(item: dict[str, Any]) -> Any:
    """An answer near the right one but wrong, for every kind."""
    kind, right = item["kind"], item.get("answer")
    if kind == "number":
        return right + 0.5 + abs(right)
    if kind == "array":
        return (np.asarray(right, dtype=float) + 1.0).tolist()
    if kind == "numbers":
        return {k: v + 1.0 for k, v in right.items()}
    if kind == "function":
        return lambda *args: 123456.789
    if kind == "set":
        return list(right)[1:] if len(right) > 1 else ["not an answer"]
    if isinstance(right, bool):
        return not right
    if isinstance(right, list):
        return list(reversed(right)) if len(set(map(str, right))) > 1 else right + right
    return "not an answer" if isinstance(right, str) else right + 1


@pytest.mark.parametrize("key", KEYS, ids=[k.stem for k in KEYS])
def test_a_wrong_answer_to_every_exercise_says_wrong_with_a_hint(key: Path) -> None:
    spec = json.loads(key.read_text(encoding="utf-8"))
    for lang in ("en", "es"):
        sheet = exercises.sheet(key.stem, lang=lang)
        for name, item in spec["exercises"].items():
            verdict = sheet(name, perturbed(item))
            assert verdict.status == "wrong", (name, verdict)
            assert item["hint"][lang] in verdict.message or any(
                w["hint"][lang] in verdict.message for w in item.get("wrong", ())
            )


def notebook_cells(path: Path) -> list[dict[str, Any]]:
    return list(json.loads(path.read_text(encoding="utf-8"))["cells"])


EDITIONS = [p for k in KEYS for p in (notebook_of(k), NOTEBOOKS / "es" / notebook_of(k).name)]


@pytest.mark.parametrize(
    "notebook", EDITIONS, ids=[f"{p.parent.name}/{p.stem[:2]}" for p in EDITIONS]
)
def test_the_students_notebook_asks_every_exercise_and_holds_no_solution(notebook: Path) -> None:
    number = notebook.name[:2]
    spec = json.loads((exercises.ANSWERS / f"{number}.json").read_text(encoding="utf-8"))
    cells = notebook_cells(notebook)
    sources = ["".join(c["source"]) for c in cells if c["cell_type"] == "code"]
    assert any(f'viz.exercises.sheet("{number}", lang=LANG)' in s for s in sources)
    asked = set()
    for source in sources:
        for name in re.findall(r"^check\((\w+), ", source, re.MULTILINE):
            asked.add(name.strip("\"'"))
            assert "..." in source, f"exercise {name}'s cell has no blank to fill in"
    assert asked == set(spec["exercises"]), (sorted(asked), sorted(spec["exercises"]))
    for cell in cells:
        meta = cell.get("metadata", {})
        assert "solution" not in meta.get("tags", []), "a solution cell in the student's notebook"
        assert not meta.get("jupyter", {}).get("source_hidden"), "a hidden cell"
        assert not re.search(r"(?im)^#+ *(solution|soluci[oó]n)", "".join(cell["source"]))
