"""`viz.to_tikz` and `viz.tikz.save_tex`: the drawing as TikZ, Beamer overlays for the backward
steps, TeX's specials escaped, and (when pdflatex is installed) documents that compile and show
the lecture's numbers.

References are independent of the TikZ writer: the lecture's hand-computed numbers, the colours
and texts of the renderer's own SVG, and what pdflatex and pdftotext make of the output.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
from viz_corpus import slide

import viz
from autograd import Value
from viz.render import find_renderer, render_bytes
from viz.tikz import escape, save_tex, to_tikz

pytestmark = pytest.mark.skipif(find_renderer() is None, reason="no Graphviz renderer")

PDFLATEX = shutil.which("pdflatex")
needs_pdflatex = pytest.mark.skipif(PDFLATEX is None, reason="pdflatex is not installed")
HOSTILE = r"a_b^c #1 $x$ 50% & {y} ~ \textbf{x} \N ∂·−⁻×"


def hostile() -> Value:
    """A graph whose input label holds every TeX special character and Unicode math."""
    a = Value(2.0, label=HOSTILE)
    f = (a * Value(-0.5, label="w")).tanh()
    f.label = "señal"
    f.backward()
    return f


def node_texts(tex: str) -> list[str]:
    r"""The text of every ``\node ... {text};`` of a picture."""
    return re.findall(r"\\node\[[^\]]*\] at \([^)]*\) \{(.*)\};", tex)


def brace_depths(tex: str) -> list[int]:
    """The brace depth after each unescaped brace (escaped ones, ``\\{``, do not count)."""
    depth, depths = 0, []
    for match in re.finditer(r"\\.|[{}]", tex):
        if match.group() in "{}":
            depth += 1 if match.group() == "{" else -1
            depths.append(depth)
    return depths


def overlays(tex: str) -> list[tuple[int, int | None]]:
    r"""The ``(first, last)`` slides of every ``\only<a-b>`` (last None: to the end)."""
    spans = []
    for spec in re.findall(r"\\only<([0-9-]+)>", tex):
        first, dash, last = spec.partition("-")
        spans.append((int(first), int(last) if last else (None if dash else int(first))))
    return spans


# ---- structure ---------------------------------------------------------------------------------


def test_slide_shows_every_label_value_and_gradient():
    tex = to_tikz(slide())
    texts = node_texts(tex)
    assert tex.startswith(r"\begin{tikzpicture}") and tex.endswith(r"\end{tikzpicture}")
    for name in ("x", "y", "z", "f", "+", r"$\times$"):
        assert name in texts
    # values (green, above each wire) and gradients (red, below) as computed by hand
    green = [t for t, c in _coloured(tex) if c == "vizvalue"]
    red = [t for t, c in _coloured(tex) if c == "vizgrad"]
    assert sorted(green) == sorted(["1", "-3", "-2", "4", "-8"])
    assert sorted(red) == sorted(["4", "4", "4", "-2", "1"])


def _coloured(tex: str) -> list[tuple[str, str]]:
    """``(text, colour)`` of every text node."""
    found = re.findall(r"\\node\[[^\]]*text=(\w+)[^\]]*\] at \([^)]*\) \{(.*?)\};", tex)
    return [(text, colour) for colour, text in found]


def test_colours_are_those_of_the_svg_and_all_defined():
    root = slide()
    tex = to_tikz(root)
    defined = dict(re.findall(r"\\definecolor\{(\w+)\}\{HTML\}\{([0-9A-F]{6})\}", tex))
    used = set(re.findall(r"(?:text|draw|fill)=(\w+)", tex))
    assert used <= set(defined) | {"black", "white"}
    svg = render_bytes(viz.draw(root).source, "svg").decode()
    in_svg = {c.upper() for c in re.findall(r'(?:fill|stroke)="#([0-9a-fA-F]{6})"', svg)}
    assert in_svg - {"000000", "FFFFFF"} == set(defined.values())


def test_node_centres_are_named_coordinates_at_the_layout_positions():
    import json

    root = slide()
    layout = json.loads(render_bytes(viz.dot_source(root), "json"))
    tex = to_tikz(root)
    for obj in layout["objects"]:
        x, y = (float(v) for v in obj["pos"].split(","))
        found = re.search(rf"\\coordinate \({obj['name']}\) at \(([-\d.]+), ([-\d.]+)\);", tex)
        assert (
            found
            and abs(float(found.group(1)) - x) < 0.01
            and abs(float(found.group(2)) - y) < 0.01
        )


def test_braces_balance_and_output_is_ascii():
    for tex in (to_tikz(slide()), to_tikz(hostile()), to_tikz(hostile(), steps=True)):
        depths = brace_depths(tex)
        assert min(depths) >= 0 and depths[-1] == 0
        assert tex.isascii()
        assert tex.count(r"\begin{") == tex.count(r"\end{")
        for text in node_texts(tex):  # math stays inside its own label
            assert text.replace(r"\$", "").count("$") % 2 == 0


def test_hostile_label_is_escaped():
    tex = to_tikz(hostile())
    expected = (
        r"a\_b\textasciicircum{}c \#1 \$x\$ 50\% \& \{y\} \textasciitilde{} "
        r"\textbackslash{}textbf\{x\} \textbackslash{}N $\partial$$\cdot$$-$\textsuperscript{$-$}"
        r"$\times$"
    )
    assert expected in node_texts(tex)
    assert r"se\~{n}al" in node_texts(tex)


@pytest.mark.parametrize(
    ("text", "tex"),
    [
        ("#$%&_{}", r"\#\$\%\&\_\{\}"),
        ("~^\\", r"\textasciitilde{}\textasciicircum{}\textbackslash{}"),
        ("a--b,,c", "a-{}-b,{},c"),
        ("<|>", r"\textless{}\textbar{}\textgreater{}"),
        ("∂f/∂x", r"$\partial$f/$\partial$x"),
        ("1.5·10⁻⁸", r"1.5$\cdot$10\textsuperscript{$-$8}"),
        ("x² w₁₂", r"x\textsuperscript{2} w\textsubscript{12}"),
        ("σ(Σ) ≤ ∞", r"$\sigma$($\Sigma$) $\leq$ $\infty$"),
        ("¿pérdida?", r"\textquestiondown{}p\'{e}rdida?"),
        ("a\u2060b", "ab"),
    ],
)
def test_escape(text, tex):
    assert escape(text) == tex


def test_unknown_character_is_shown_as_its_code_point_with_a_warning():
    with pytest.warns(UserWarning, match="no TeX for '中'"):
        assert escape("中") == "[U+4E2D]"


# ---- Beamer overlays ---------------------------------------------------------------------------


def test_steps_overlay_one_reveal_per_backward_step():
    root = slide()
    frames = viz.backward_steps(root)
    tex = to_tikz(root, steps=True)
    spans = overlays(tex)
    last = max(s[1] or s[0] for s in spans)
    assert last == len(frames)  # slide k + 1 shows frame k
    revealed = {first for first, _ in spans if first > 1}
    assert revealed == set(range(2, len(frames) + 1))  # frames - 1 reveals, one per step
    # slide 1 (the forward pass): all five gradients are "?"; from the last slide on, the
    # lecture's gradients
    red = r"\\node\[[^\]]*text=vizgrad[^\]]*\][^{]*\{(.*?)\};\}"
    assert re.findall(r"\\only<1(?:-\d+)?>\{" + red, tex) == ["?"] * 5
    final = re.findall(r"\\only<\d+->\{" + red, tex)
    assert sorted(final) == sorted(["4", "4", "4", "-2", "1"])


def test_steps_picture_keeps_one_bounding_box():
    tex = to_tikz(slide(), steps=True)
    assert tex.count(r"\useasboundingbox") == 1
    assert r"\only" not in tex.split(r"\useasboundingbox")[0]


def test_errors_name_to_tikz():
    with pytest.raises(TypeError, match=r"to_tikz: steps must be a bool; got 'yes'"):
        to_tikz(slide(), steps="yes")
    with pytest.raises(TypeError, match=r"to_tikz: unknown option 'colour'"):
        to_tikz(slide(), colour="red")
    with pytest.raises(TypeError, match=r"to_tikz: a finished drawing is drawn as it is"):
        to_tikz(viz.draw(slide()), steps=True)
    with pytest.raises(TypeError, match=r"to_tikz: root must be a graph node"):
        to_tikz(3.0)


def test_a_finished_drawing_gives_the_same_picture():
    root = slide()
    assert to_tikz(viz.draw(root, style="record")) == to_tikz(root, style="record")


def test_options_reach_the_drawing():
    root = slide()
    assert "local" in " ".join(node_texts(to_tikz(root, show="backward")))
    assert "3.14159" in " ".join(node_texts(to_tikz(Value(3.14159265) * 1, digits=6)))
    if "lang" not in viz.draw.__code__.co_varnames:
        pytest.skip("draw has no lang= yet")
    spanish = to_tikz(root, steps=True, lang="es")
    assert "backward step" not in spanish and "forward pass" not in spanish


# ---- documents, compiled -----------------------------------------------------------------------


def compile_tex(path: Path) -> Path:
    """``path`` compiled by pdflatex in its folder; the PDF's path, or a failure with the log."""
    done = subprocess.run(
        [PDFLATEX, "-interaction=nonstopmode", "-halt-on-error", path.name],
        cwd=path.parent,
        capture_output=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout.decode(errors="replace")[-3000:]
    return path.with_suffix(".pdf")


def pdf_pages(pdf: Path) -> list[str]:
    """The text of each page, by pdftotext or pypdfium2 (skips when neither is installed)."""
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True
        ).stdout.decode()
        return text.split("\f")[:-1] if text.endswith("\f") else text.split("\f")
    pdfium = pytest.importorskip("pypdfium2", reason="no pdftotext and no pypdfium2")
    from pypdfium2.raw import FPDF_PAGEOBJ_TEXT

    pages = []
    for page in pdfium.PdfDocument(str(pdf)):
        text = page.get_textpage()  # one line per text object: each TikZ node is one or more
        objects = (o for o in page.get_objects() if o.type == FPDF_PAGEOBJ_TEXT)
        pages.append("\n".join(text.get_text_bounded(*o.get_bounds()) for o in objects))
    return pages


def numbers(text: str) -> list[str]:
    """The numbers on a page, minus signs as ASCII (pdftotext may give U+2212)."""
    return re.findall(r"-?\d+(?:\.\d+)?", text.replace("\u2212", "-"))


@needs_pdflatex
def test_slide_document_compiles_and_shows_the_lecture_numbers(tmp_path):
    pdf = compile_tex(save_tex(slide(), tmp_path / "slide.tex"))
    (page,) = pdf_pages(pdf)
    found = numbers(page)
    for value in ("-8", "-2", "4", "-3", "1"):
        assert value in found
    assert found.count("4") >= 4  # z = 4, and the three gradients 4


@needs_pdflatex
def test_steps_document_has_one_page_per_frame(tmp_path):
    root = slide()
    frames = viz.backward_steps(root)
    pages = pdf_pages(compile_tex(save_tex(root, tmp_path / "steps.tex", steps=True)))
    assert len(pages) == len(frames)
    # the forward pass: the values and no gradient yet
    assert sorted(numbers(pages[0])) == sorted(["1", "-3", "-2", "4", "-8"])
    assert "?" in pages[0] and "?" not in pages[-1]
    assert "5/5" in pages[-1] and "-8" in numbers(pages[-1]) and "-2" in numbers(pages[-1])


@needs_pdflatex
def test_hostile_label_compiles_and_prints_as_typed(tmp_path):
    pdf = compile_tex(save_tex(hostile(), tmp_path / "hostile.tex"))
    (page,) = pdf_pages(pdf)
    flat = "".join(page.split())
    assert r"a_b^c#1$x$50%&{y}~\textbf{x}\N" in flat
    assert "señal" in flat


@needs_pdflatex
def test_capital_greek_survives_beamer_sans_math(tmp_path):
    # Beamer sets math in the sans text font, which in T1 has no Σ (it printed a black square)
    s = Value(2.0, label="Σw") * Value(3.0, label="Γ")
    s.label = "Ω"
    pages = pdf_pages(compile_tex(save_tex(s, tmp_path / "greek.tex", steps=True)))
    shown = unicodedata.normalize("NFKC", pages[-1])  # pdftotext may give Ω as the ohm sign
    assert all(letter in shown for letter in "ΣΓΩ")
