"""viz.save_html and viz.play: the backprop player as one offline HTML page and as a notebook
output, every frame inline as SVG with its chain-rule caption (the browser drives it in
tests/test_viz_browser.py).

Expected numbers are the slide's, by hand and by PyTorch where installed (x=1, y=-3, z=4,
q=x+y, f=q*z: df/dq = df/dx = df/dy = z = 4, df/dz = q = -2), never read back from the code.
"""

from __future__ import annotations

import html
import re
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import viz
from autograd import Value

RED = "#c62828"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
FIGURE = re.compile(
    r'<figure class="gg-frame" data-frame="(\d+)"( hidden)?><figcaption>(.*?)</figcaption>\n'
    r"(<svg.*?</svg>)",
    re.S,
)
# the gradient written below each wire, frame by frame (wires: x, y, q, z, f; ? until known)
SLIDE_GRADS = [
    ["?", "?", "?", "?", "?"],
    ["?", "?", "?", "?", "1"],  # the seed
    ["?", "?", "?", "-2", "1"],  # df/dz = q
    ["?", "?", "4", "-2", "1"],  # df/dq = z
    ["?", "4", "4", "-2", "1"],  # df/dy = df/dq · 1
    ["4", "4", "4", "-2", "1"],  # df/dx = df/dq · 1
]


@pytest.fixture(autouse=True)
def needs_renderer() -> None:
    if viz.render.find_renderer() is None:
        pytest.skip("no Graphviz renderer: install graphviz-pure or a system Graphviz")


def slide() -> Value:
    x, y, z = Value(1.0, label="x"), Value(-3.0, label="y"), Value(4.0, label="z")
    f = (x + y) * z
    f.label = "f"
    return f


def frames(page: str) -> list[tuple[bool, str, str]]:
    """``(hidden, caption, svg)`` of every frame, in order."""
    found = FIGURE.findall(page)
    assert [int(k) for k, *_ in found] == list(range(len(found)))
    return [(bool(hidden), html.unescape(caption), svg) for _, hidden, caption, svg in found]


def red_texts(svg: str) -> list[str]:
    """The gradients a frame shows, left to right and top to bottom."""
    root = ET.fromstring(svg)
    texts = [t for t in root.iter("{http://www.w3.org/2000/svg}text") if t.get("fill") == RED]
    texts.sort(key=lambda t: (round(float(t.get("x", 0))), float(t.get("y", 0))))
    return [(t.text or "").replace("\N{MINUS SIGN}", "-") for t in texts]


def test_save_html_writes_one_offline_page_with_every_frame(tmp_path: Path) -> None:
    path = viz.save_html(slide(), tmp_path / "steps.html")
    assert path == tmp_path / "steps.html"
    page = path.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and '<meta charset="utf-8">' in page
    shown = frames(page)
    assert len(shown) == 6  # the forward pass and one frame per node
    assert [hidden for hidden, _, _ in shown] == [False] + [True] * 5
    # nothing is fetched: no script, style sheet, image or font from anywhere
    assert not re.search(r"<(script|link|img|iframe)\b[^>]*\b(src|href)=", page)
    assert "@import" not in page and "url(http" not in page
    assert len(re.findall(r'data-step="\d+"', page)) == 1 and 'data-step="0"' in page
    assert page.count("<script>") == 1


def test_each_frame_shows_the_gradients_known_at_its_step(tmp_path: Path) -> None:
    shown = frames(viz.save_html(slide(), tmp_path / "steps.html").read_text(encoding="utf-8"))
    # compared as multisets: where each wire sits is the layout's business
    assert [sorted(red_texts(svg)) for _, _, svg in shown] == [sorted(g) for g in SLIDE_GRADS]


def test_the_last_frame_agrees_with_pytorch(tmp_path: Path) -> None:
    torch = pytest.importorskip("torch")
    x, y, z = (torch.tensor(v, dtype=torch.float64, requires_grad=True) for v in (1.0, -3.0, 4.0))
    ((x + y) * z).backward()
    expected = sorted(f"{g:g}" for g in (x.grad.item(), y.grad.item(), z.grad.item(), 4.0, 1.0))
    shown = frames(viz.save_html(slide(), tmp_path / "steps.html").read_text(encoding="utf-8"))
    assert sorted(red_texts(shown[-1][2])) == expected  # q's 4 (= z) and f's seed 1 too


def test_captions_are_the_chain_rule_titles_and_leave_the_drawings(tmp_path: Path) -> None:
    shown = frames(viz.save_html(slide(), tmp_path / "steps.html").read_text(encoding="utf-8"))
    captions = [caption for _, caption, _ in shown]
    assert captions[0].startswith("forward pass")
    assert captions[2] == "backward step 2/5: ∂f/∂z = ∂f/∂f · ∂f/∂z = 1 × (-2) = -2"
    assert captions[3].endswith("= 1 × 4 = 4")
    assert all("backward step" not in svg for _, _, svg in shown)  # said once, as the caption


def test_labels_are_escaped_in_captions(tmp_path: Path) -> None:
    a = Value(2.0, label="<b>a&")
    b = a * 3
    b.label = "b"
    page = viz.save_html(b, tmp_path / "steps.html").read_text(encoding="utf-8")
    assert "<b>a&" not in page and "&lt;b&gt;a&amp;" in page
    assert "∂b/∂<b>a&" in frames(page)[-1][1]


def test_every_id_is_unique_and_every_reference_resolves(tmp_path: Path) -> None:
    first, second = viz.play(slide())._repr_html_(), viz.play(slide())._repr_html_()
    both = first + second
    ids = re.findall(r'\bid="([^"]+)"', both)
    assert len(ids) == len(set(ids)) > 2
    for ref in re.findall(r'(?:href="#|url\(#)([^")]+)', both):
        assert ref in ids
    roots = re.findall(r'<div class="gg-player" id="([^"]+)"', both)
    assert len(roots) == 2 and roots[0] != roots[1]
    assert first.count(f'getElementById("{roots[0]}")') == 1


def test_the_same_graph_writes_the_same_page(tmp_path: Path) -> None:
    one = viz.save_html(slide(), tmp_path / "one.html").read_bytes()
    two = viz.save_html(slide(), tmp_path / "two.html").read_bytes()
    assert one == two


def test_play_gives_the_player_as_html_and_frame_zero_as_png() -> None:
    shown = viz.play(slide())
    data, metadata = shown._repr_mimebundle_()
    assert set(data) == {"text/html", "image/png", "text/plain"}
    assert len(frames(data["text/html"])) == 6 and "<script>" in data["text/html"]
    assert data["image/png"].startswith(PNG_MAGIC) and metadata["image/png"]["width"] > 0
    assert "6 frames" in data["text/plain"]
    png, png_metadata = shown._repr_png_()
    assert png.startswith(PNG_MAGIC) and png_metadata == metadata["image/png"]
    only_png, _ = shown._repr_mimebundle_(include=["image/png"])
    assert "text/html" not in only_png
    # a notebook's player steps while focused; the page's fragment is left alone
    assert "fragment = false" in data["text/html"]


def test_play_passes_options_and_language_through() -> None:
    shown = viz.play(slide(), lang="es", digits=2)
    page = shown._repr_html_()
    for word in ("anterior", "siguiente", "reproducir", "paso 0/5", "retropropagación, paso 2/5"):
        assert word in page
    for word in ("previous", "next ▶", "▶ play", "step 0/5", "backward step"):
        assert word not in page
    assert "pausa" in page


def test_play_and_save_html_refuse_what_backward_steps_refuses(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"^save_html: unknown lang; got 'fr', expected one of"):
        viz.save_html(slide(), tmp_path / "steps.html", lang="fr")
    with pytest.raises(ValueError, match="hides the gradients"):
        viz.play(slide(), show="forward")
    with pytest.raises(TypeError, match=r"^play: widgets must be None, True or False; got 'y'"):
        viz.play(slide(), widgets="y")  # type: ignore[arg-type]
    assert not (tmp_path / "steps.html").exists()


def test_a_reused_node_and_a_tensor_graph_play() -> None:
    np = pytest.importorskip("numpy")
    from autograd import Tensor

    a = Value(3.0, label="a")
    b = a * a + a
    b.label = "b"
    captions = [c for _, c, _ in frames(viz.play(b)._repr_html_())]
    assert captions[-1] == "backward step 3/3: ∂b/∂a = 3 + 3 + 1 = 7 (paths through ×, × and b)"
    W = Tensor(np.ones((3, 2), np.float32), requires_grad=True, label="W")
    loss = (Tensor(np.ones((1, 3), np.float32)) @ W).sum()
    loss.backward()
    captions = [c for _, c, _ in frames(viz.play(loss)._repr_html_())]
    assert len(captions) == 5  # the forward pass, then the sum, the matmul, W and the constant
    assert any("the gradient of W arrives" in c for c in captions)


def test_widgets_true_gives_the_ipywidgets_slider() -> None:
    widgets = pytest.importorskip("ipywidgets")
    box = viz.play(slide(), widgets=True, lang="es")
    assert isinstance(box, widgets.VBox)
    controls, picture = box.children
    player, slider = controls.children
    assert (slider.min, slider.max, player.max, slider.description) == (0, 5, 5, "paso")
    slider.value = 3
    assert "= 1 × 4 = 4" in picture.value


def test_widgets_true_without_ipywidgets_says_what_to_do(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "ipywidgets", None)  # import raises ImportError
    with pytest.raises(ImportError, match="pip install ipywidgets"):
        viz.play(slide(), widgets=True)
    assert len(viz.play(slide()).frames) == 6  # the HTML player needs no widgets
