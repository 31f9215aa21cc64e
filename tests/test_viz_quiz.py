"""viz.quiz and viz.save_quiz: one box per gradient placed on the drawing, answers checked against
autograd's own backward, and a real browser (Debian's chromium, when installed) marking answers."""

from __future__ import annotations

import base64
import html
import json
import math
import re
from pathlib import Path
from typing import Any

import browser
import pytest

import viz
from autograd import Value

chromium, page = browser.chromium, browser.page  # the shared fixtures (tests/browser.py), by name


def slide() -> tuple[Value, dict[str, Value]]:
    """The lecture's f = (x + y)·z with x = 1, y = -3, z = 4, every node named."""
    x, y, z = Value(1.0, label="x"), Value(-3.0, label="y"), Value(4.0, label="z")
    q = x + y
    q.label = "q"
    f = q * z
    f.label = "f"
    return f, {"x": x, "y": y, "z": z, "q": q, "f": f}


def quiz_data(page: str) -> dict[str, Any]:
    """The answers a quiz page carries, decoded as the page's script decodes them."""
    encoded = re.search(r'data-quiz="([^"]+)"', page).group(1)
    return json.loads(base64.b64decode(encoded).decode("utf-8"))


def boxes(page: str) -> dict[str, int]:
    """``{aria-label: node}`` for every input box of a quiz page."""
    found = re.findall(r'<input class="gq-blank" data-node="(\d+)" aria-label="([^"]+)"', page)
    return {html.unescape(label): int(node) for node, label in found}


# ---- the page ---------------------------------------------------------------------------------


def test_one_box_per_gradient_and_answers_match_backward(tmp_path: Path) -> None:
    f, nodes = slide()
    page = viz.save_quiz(f, tmp_path / "quiz.html").read_text(encoding="utf-8")
    assert page.count("<input") == 5
    labels = boxes(page)
    assert sorted(labels) == sorted(f"∂f/∂{name}" for name in nodes)
    data = quiz_data(page)
    f.backward()  # the reference: the engine's own backward on the same expression
    answers = {blank["node"]: blank for blank in data["blanks"]}
    for name, node in nodes.items():
        blank = answers[labels[f"∂f/∂{name}"]]
        assert blank["value"] == node.grad, name
    assert [answers[labels["∂f/∂" + n]]["value"] for n in "xyzqf"] == [4.0, 4.0, -2.0, 4.0, 1.0]


def test_boxes_sit_on_the_drawing_where_the_gradients_are_printed(tmp_path: Path) -> None:
    f, _ = slide()
    page = viz.save_quiz(f, tmp_path / "quiz.html").read_text(encoding="utf-8")
    svg = page[page.index("<svg") : page.index("</svg>")]
    assert svg.count("<foreignObject") == 5  # inside the SVG: they scale with the drawing
    assert "?" not in re.sub(r"<[^>]+>", "", svg)  # no gradient left as ?, none given away
    assert ">-8<" in svg.replace("&#45;", "-") and ">-2<" in svg.replace("&#45;", "-")  # values


def test_reveal_order_follows_backward_steps_and_titles_are_the_hints(tmp_path: Path) -> None:
    f, _ = slide()
    page = viz.save_quiz(f, tmp_path / "quiz.html").read_text(encoding="utf-8")
    labels = {node: label for label, node in boxes(page).items()}
    data = quiz_data(page)
    order = [labels[blank["node"]] for blank in data["blanks"]]
    assert order == ["∂f/∂f", "∂f/∂z", "∂f/∂q", "∂f/∂y", "∂f/∂x"]
    frames = viz.backward_steps(f)
    hints = [blank["hint"] for blank in data["blanks"]]
    assert hints[1] == "backward step 2/5: ∂f/∂z = ∂f/∂f · ∂f/∂z = 1 × (-2) = -2"
    for hint, frame in zip(hints, frames[1:], strict=True):
        assert html.escape(hint) in frame.source


def test_answers_are_not_in_plain_sight_and_nothing_is_fetched(tmp_path: Path) -> None:
    f, _ = slide()
    page = viz.save_quiz(f, tmp_path / "quiz.html").read_text(encoding="utf-8")
    assert "∂f/∂z =" not in page and "the seed" not in page  # hints are encoded with answers
    assert re.findall(r"\b(?:src|href)\s*=", page) == []  # no CDN, no external file
    assert "<script>" in page and page.startswith("<!DOCTYPE html>")


def test_reused_node_gets_one_box_and_its_branches_stay_covered(tmp_path: Path) -> None:
    a = Value(3.0, label="a")
    b = a * a + a
    b.label = "b"
    page = viz.save_quiz(b, tmp_path / "quiz.html").read_text(encoding="utf-8")
    labels = boxes(page)
    assert sorted(labels) == ["∂b/∂a", "∂b/∂b", "∂b/∂×"]
    data = quiz_data(page)
    b.backward()
    by_node = {blank["node"]: blank["value"] for blank in data["blanks"]}
    assert by_node[labels["∂b/∂a"]] == a.grad == 7.0
    # the three branches into × and + carry 3, 3 and 1: covered until a's gradient is found
    assert sorted(cover["text"] for cover in data["covers"]) == ["1", "3", "3"]
    assert {cover["node"] for cover in data["covers"]} == {labels["∂b/∂a"]}
    assert page.count('class="gq-cover"') == 3


def test_record_style_and_spanish(tmp_path: Path) -> None:
    f, _ = slide()
    page = viz.save_quiz(f, tmp_path / "q.html", style="record", lang="es")
    text = page.read_text(encoding="utf-8")
    assert text.count("<input") == 5
    assert ">comprobar<" in text and ">mostrar el siguiente<" in text and 'lang="es"' in text
    data = quiz_data(text)
    assert (data["words"]["right"], data["words"]["wrong"]) == ("correcto", "incorrecto")
    frames = viz.backward_steps(f, style="record", lang="es")[1:]
    english = quiz_data(viz.quiz(f, style="record").html)["blanks"]
    for blank, frame, other in zip(data["blanks"], frames, english, strict=True):
        assert html.escape(blank["hint"]) in frame.source and blank["hint"] != other["hint"]


@pytest.mark.parametrize("style", ["cs231n", "record"])
def test_hostile_labels_stay_text(style: str) -> None:
    x = Value(1.0, label='"><script>alert(1)</script>&amp;\\N')
    y = Value(2.0, label="_______")  # looks like a blank
    f = x * y
    f.label = "?"  # looks like a gradient not known yet
    page = viz.quiz(f, style=style).html
    assert page.count("<input") == 3 and "<script>alert" not in page
    assert sorted(boxes(page)) == sorted(
        ["∂?/∂?", "∂?/∂_______", '∂?/∂"><script>alert(1)</script>&amp;\\N']
    )


def test_tolerance_is_half_a_unit_in_the_last_digit_shown() -> None:
    x = Value(3.0, label="x")
    f = x.log()
    f.label = "f"
    for digits, shown, tol in ((4, "0.3333", 5e-5), (2, "0.33", 5e-3), (1, "0.3", 5e-2)):
        page = viz.quiz(f, digits=digits).html
        x_box = boxes(page)["∂f/∂x"]
        (answer,) = [b for b in quiz_data(page)["blanks"] if b["node"] == x_box]
        assert answer["text"] == shown
        assert math.isclose(answer["tol"], tol, rel_tol=1e-12)
        assert abs(answer["value"] - 1 / 3) <= answer["tol"]  # the true value rounds to it
    big = Value(200.0, label="w") * Value(123.456, label="v")
    data = quiz_data(viz.quiz(big, digits=2).html)
    assert {b["text"]: b["tol"] for b in data["blanks"]} == {"1": 0.05, "123": 0.5, "200": 0.5}


def test_notebook_object_has_unique_ids_and_a_png_fallback() -> None:
    f, _ = slide()
    first, second = viz.quiz(f), viz.quiz(f)
    ids = [
        re.search(r'<div class="gq" id="([^"]+)"', q._repr_html_()).group(1)
        for q in (first, second)
    ]
    assert ids[0] != ids[1]
    assert f'id="{ids[0]}-graph0"' in first.html  # the SVG's own ids are scoped too
    data, metadata = first._repr_mimebundle_()
    assert data["text/html"] == first.html
    assert data["image/png"].startswith(b"\x89PNG") and metadata["image/png"]["width"] > 0
    only_png, _ = first._repr_mimebundle_(include=["image/png"])
    assert sorted(only_png) == ["image/png"]


def test_refusals_say_what_a_quiz_needs() -> None:
    import autograd

    f, _ = slide()
    with pytest.raises(ValueError, match=r"quiz: .*got show='backward', expected 'both'"):
        viz.quiz(f, show="backward")
    with pytest.raises(ValueError, match="unknown lang"):
        viz.quiz(f, lang="fr")
    with pytest.raises(TypeError, match="unknown option"):
        viz.quiz(f, digts=2)
    w = autograd.Tensor([[1.0, 2.0]], requires_grad=True, label="w")
    with pytest.raises(TypeError, match=r"quiz: a quiz asks for one number per gradient"):
        viz.quiz((w * w).sum())
    with pytest.raises(TypeError, match="root must be a graph node"):
        viz.save_quiz(3.0, "never.html")


# ---- a real browser (tests/browser.py: chromium driven by playwright, offline) ----------------


def box(scope: Any, label: str) -> Any:
    """The input box of ``label`` in ``scope`` (the page, or one quiz on it)."""
    return scope.locator(f"input[aria-label={json.dumps(label, ensure_ascii=False)}]")


def fill(scope: Any, label: str, text: str) -> None:
    """Type ``text`` into the box of ``label`` as a user would: clear it, then key by key."""
    box(scope, label).fill("")
    if text:
        box(scope, label).press_sequentially(text)


def marks(scope: Any, labels: list[str]) -> list[str]:
    """The mark on each box: ``right``, ``wrong``, ``revealed`` or ``""`` (not marked)."""
    return [box(scope, label).get_attribute("data-mark") or "" for label in labels]


def click(scope: Any, which: str) -> None:
    """A real mouse click on the quiz's ``check`` or ``reveal`` button."""
    scope.locator(f".gq-{which}").click()


def test_browser_marks_right_and_wrong_answers_and_reveals_in_order(
    page: Any, tmp_path: Path
) -> None:
    f, _ = slide()
    page.goto(viz.save_quiz(f, tmp_path / "quiz.html").as_uri())
    labels = ["∂f/∂f", "∂f/∂z", "∂f/∂q", "∂f/∂x", "∂f/∂y"]
    assert marks(page, labels) == [""] * 5
    for label, text in zip(labels, ["1", "−2,0", "4.0004", "4.001", ""], strict=True):
        fill(page, label, text)
    click(page, "check")
    assert marks(page, labels) == ["right", "right", "right", "wrong", ""]
    score = page.locator(".gq-score").text_content()
    assert "3/5" in score and "try again" in score
    assert box(page, "∂f/∂x").get_attribute("title") == "wrong"
    fill(page, "∂f/∂x", "4.2")  # editing clears the mark until the next check
    assert marks(page, ["∂f/∂x"]) == [""]
    click(page, "reveal")  # f, z and q are right: the next step is y's
    assert box(page, "∂f/∂y").input_value() == "4"
    assert marks(page, ["∂f/∂y"]) == ["revealed"]
    hint = page.locator(".gq-hint")
    assert hint.text_content() == "backward step 4/5: ∂f/∂y = ∂f/∂q · ∂q/∂y = 4 × 1 = 4"
    assert hint.is_visible()  # frame 4's title, shown to the class
    click(page, "reveal")
    assert box(page, "∂f/∂x").input_value() == "4"
    assert page.locator(".gq-reveal").is_disabled()
    assert page.outside == []


def edges(element: Any) -> tuple[float, float, float, float]:
    """``(left, top, right, bottom)`` of an element on the screen."""
    r = element.bounding_box()
    return r["x"], r["y"], r["x"] + r["width"], r["y"] + r["height"]


def test_browser_boxes_sit_under_the_values_of_their_wires(page: Any, tmp_path: Path) -> None:
    f, _ = slide()
    page.goto(viz.save_quiz(f, tmp_path / "quiz.html").as_uri())
    left, top, right, bottom = edges(page.locator("svg.gq-svg"))
    boxes = [edges(b) for b in page.locator("input.gq-blank").all()]
    values = [edges(t) for t in page.locator('text[fill="#1a7f37"]').all()]
    assert len(boxes) == 5 and len(values) == 5  # x, y, z, x + y and f
    for i, (x0, y0, x1, y1) in enumerate(boxes):
        assert left <= x0 < x1 <= right and top <= y0 < y1 <= bottom  # on the drawing
        for u0, v0, u1, v1 in boxes[i + 1 :]:
            assert x1 <= u0 or u1 <= x0 or y1 <= v0 or v1 <= y0  # no two boxes overlap
        # right under a wire's value, as the drawings print a gradient under the value
        above = [v for v in values if x0 <= (v[0] + v[2]) / 2 <= x1 and v[3] <= y0 + 2]
        assert above and y0 - max(v[3] for v in above) < (y1 - y0), (i, boxes, values)


@pytest.mark.parametrize(
    ("typed", "mark"),
    [
        ("-2", "right"), ("−2", "right"), ("-2.0", "right"), ("−2,0", "right"),
        (" - 2 ", "right"), ("-2.0004", "right"), ("-1,9996", "right"), ("-2e0", "right"),
        ("-0.2E1", "right"), ("-2·10⁰", "right"), ("–2", "right"),
        ("-2.0006", "wrong"), ("2", "wrong"), ("-2.0.0", "wrong"), ("-2,0,0", "wrong"),
        ("abc", "wrong"), ("-", "wrong"), ("-2x", "wrong"),
    ],
)  # fmt: skip
def test_browser_reads_numbers_as_typed(
    page: Any, tmp_path_factory: pytest.TempPathFactory, typed: str, mark: str
) -> None:
    quiz = tmp_path_factory.getbasetemp() / "numbers.html"
    if not quiz.exists():
        viz.save_quiz(slide()[0], quiz)
    page.goto(quiz.as_uri())
    fill(page, "∂f/∂z", typed)  # the answer is -2, shown with 4 digits: tolerance 0.0005
    assert box(page, "∂f/∂z").input_value() == typed
    box(page, "∂f/∂z").press("Enter")  # Enter checks, as the button does
    assert marks(page, ["∂f/∂z"]) == [mark]


def test_browser_two_quizzes_on_one_page_keep_apart(page: Any, tmp_path: Path) -> None:
    f, _ = slide()
    first, second = viz.quiz(f), viz.quiz(f, lang="es")
    two = tmp_path / "two.html"
    two.write_text(
        f'<!DOCTYPE html><meta charset="utf-8"><body>{first.html}{second.html}</body>',
        encoding="utf-8",
    )
    page.goto(two.as_uri())
    quizzes = page.locator(".gq")
    ids = [quizzes.nth(i).get_attribute("id") for i in range(quizzes.count())]
    assert len(ids) == 2 and ids[0] != ids[1]
    one, other = quizzes.nth(0), quizzes.nth(1)
    fill(other, "∂f/∂z", "7")
    click(other, "check")
    read = "boxes => boxes.map(b => b.dataset.mark || '')"
    assert other.locator("input").evaluate_all(read).count("wrong") == 1
    assert one.locator("input").evaluate_all(read) == [""] * 5
    assert "incorrecto" in other.locator(".gq-score").text_content()
    assert page.outside == []


def test_browser_quiz_works_in_an_nbconvert_export_without_a_kernel(
    page: Any, tmp_path: Path
) -> None:
    nbformat = pytest.importorskip("nbformat")
    nbconvert = pytest.importorskip("nbconvert")
    pytest.importorskip("ipykernel")
    code = (
        "from autograd import Value\nimport viz\n"
        "x, y, z = Value(1.0, label='x'), Value(-3.0, label='y'), Value(4.0, label='z')\n"
        "f = (x + y) * z; f.label = 'f'\nviz.quiz(f)"
    )
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])
    nbconvert.preprocessors.ExecutePreprocessor(timeout=120).preprocess(
        notebook, {"metadata": {"path": str(Path(__file__).parent.parent)}}
    )
    output = notebook.cells[0].outputs[0]
    assert {"text/html", "image/png"} <= set(output["data"])  # PNG: untrusted viewers, GitHub
    body, _ = nbconvert.HTMLExporter().from_notebook_node(notebook)
    exported = tmp_path / "exported.html"
    exported.write_text(body, encoding="utf-8")
    page.goto(exported.as_uri())  # offline: no kernel, and its CDN scripts are refused
    fill(page, "∂f/∂z", "-2")
    fill(page, "∂f/∂x", "-4")
    click(page, "check")
    assert marks(page, ["∂f/∂z", "∂f/∂x", "∂f/∂y"]) == ["right", "wrong", ""]
