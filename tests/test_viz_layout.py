"""Drawings are lecture-grade: no text on text or on an arrowhead, a width that fits a 1920 px
slide with text no smaller than the slide example's, and the small examples without crossings.

The geometry is the renderer's own layout (tests/viz_corpus.py). The helpers are first shown to
fail on hand-made layouts, so a clean corpus means something.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from graphviz import Digraph
from viz_corpus import (
    DRAWINGS,
    SLIDE_CASE,
    SLIDE_WIDTH_PX,
    Box,
    arrowheads,
    crossings,
    height_px,
    layout,
    layout_overlaps,
    min_text_px,
    overlaps,
    render,
    rendered,
    svg_scale,
    text_boxes,
    text_width,
    width_px,
)

from viz.render import find_renderer

CASES = [case for case, _ in DRAWINGS]
NO_CROSSINGS = ("slide", "exp_sin_sq", "sigmoid_circuit")
SHOWN = 10  # overlaps listed in a failure message


@pytest.fixture
def renderer() -> None:
    """Skip the test when there is no Graphviz binary to lay graphs out."""
    if find_renderer() is None:
        pytest.skip("no Graphviz renderer found; pip install graphviz-pure")


def _plain(label: str) -> dict[str, str]:
    """Attributes of a plaintext node squeezed to a point, so its label spills over."""
    return {
        "label": label,
        "shape": "plaintext",
        "fixedsize": "true",
        "width": "0.2",
        "height": "0.2",
        "fontname": "Helvetica",
    }


# ---- the checker can fail -------------------------------------------------------------------


@pytest.mark.usefixtures("renderer")
def test_layout_and_render_agree() -> None:
    g = Digraph()
    g.edge("a", "b")
    data, svg = render(g)
    assert sorted(o["name"] for o in layout(g)["objects"]) == ["a", "b"]
    assert layout(g) == data and svg.lstrip().startswith("<?xml") and "<svg" in svg


def test_font_metrics_know_non_ascii_glyphs() -> None:
    pytest.importorskip("matplotlib")
    space = text_width(" ", 14)
    assert text_width("×", 14) > space  # Helvetica's multiply, 584 units against 278
    assert text_width("σ", 14) > space and text_width("∂", 14) > space  # from Symbol
    assert text_width("²", 14) == pytest.approx(333 * 14 / 1000)
    assert text_width("\u2603", 14) >= text_width("W", 14)  # unknown: the widest ASCII glyph


@pytest.mark.usefixtures("renderer")
def test_text_box_is_as_wide_as_the_font_says() -> None:
    pytest.importorskip("matplotlib")
    text = "4 × 1 = 4 σ ∂"
    g = Digraph()
    g.node("a", text, shape="plaintext", fontname="Helvetica")
    data = layout(g)
    [box] = text_boxes(data)
    [op] = [op for op in data["objects"][0]["_ldraw_"] if op["op"] == "T"]
    assert box.x1 - box.x0 == pytest.approx(max(op["width"], text_width(text, 14)))
    assert (box.x0 + box.x1) / 2 == pytest.approx(op["pt"][0])  # centred on its anchor
    assert box.y1 - box.y0 == pytest.approx(0.96 * 14)
    assert box.text == text and box.owner == "node a"


@pytest.mark.usefixtures("renderer")
def test_spilled_labels_are_an_overlap() -> None:
    pytest.importorskip("matplotlib")
    g = Digraph(graph_attr={"nodesep": "0"})
    g.node("a", **_plain("wide text"))
    g.node("b", **_plain("more text"))
    with g.subgraph() as row:
        row.attr(rank="same")
        row.edge("a", "b", style="invis")
    assert layout_overlaps(layout(g)) == ["'wide text' (node a) overlaps 'more text' (node b)"]


@pytest.mark.usefixtures("renderer")
def test_separate_labels_are_no_overlap() -> None:
    pytest.importorskip("matplotlib")
    g = Digraph()
    g.edge("a", "b", label="a label", xlabel="an external label", taillabel="tail")
    assert len(text_boxes(layout(g))) == 5
    assert layout_overlaps(layout(g)) == []


def test_text_on_an_arrowhead_is_an_overlap() -> None:
    text = Box(0, 0, 10, 10, "grad 4", "node n1")
    head = Box(8, 2, 14, 6, "arrowhead", "edge n0->n1")
    assert overlaps([text], [head]) == ["'grad 4' (node n1) overlaps an arrowhead (edge n0->n1)"]
    assert overlaps([text], [head._replace(x0=9.6)]) == []  # a touch is not an overlap


@pytest.mark.usefixtures("renderer")
def test_arrowheads_of_a_real_layout() -> None:
    g = Digraph()
    g.edge("a", "b", dir="both")
    g.edge("b", "c", arrowhead="none")
    heads = arrowheads(layout(g))
    assert len(heads) == 2 and {h.owner for h in heads} == {"edge a->b"}
    assert all(h.x1 > h.x0 and h.y1 > h.y0 for h in heads)


def _edge(tail: int, head: int, points: list[list[float]]) -> dict:
    return {"tail": tail, "head": head, "_draw_": [{"op": "b", "points": points}]}


def test_crossing_edges_are_counted_once_per_pair() -> None:
    there_and_back = _edge(0, 1, [[0, 0], [1, 1], [2, 2], [3, 3], [2, 4], [1, 5], [0, 6]])
    across = _edge(2, 3, [[0, 3], [1, 3], [2, 3], [3, 3.5]])  # cuts both halves of the first
    far = _edge(4, 5, [[10, 0], [11, 1], [12, 2], [13, 3]])
    assert crossings({"edges": [there_and_back, across, far]}) == 1
    shared = _edge(1, 3, across["_draw_"][0]["points"])  # same curve, but meets node 1
    assert crossings({"edges": [there_and_back, shared]}) == 0
    assert crossings({"edges": [there_and_back, far]}) == 0


@pytest.mark.usefixtures("renderer")
def test_crossings_of_a_real_layout() -> None:
    def two_columns(swapped: bool) -> Digraph:
        g = Digraph(graph_attr={"rankdir": "LR"})
        for names in (("a", "b"), ("c", "d")):
            with g.subgraph() as column:  # a flat invisible edge fixes the order in a rank
                column.attr(rank="same")
                column.edge(*names, style="invis")
        g.edge("a", "d" if swapped else "c")
        g.edge("b", "c" if swapped else "d")
        return g

    assert crossings(layout(two_columns(swapped=False))) == 0
    assert crossings(layout(two_columns(swapped=True))) == 1


@pytest.mark.usefixtures("renderer")
def test_size_attribute_shrinks_width_and_text() -> None:
    g = Digraph(graph_attr={"size": "1,1"})
    g.edge("a long node name", "another long node name")
    data, svg = render(g)
    scale = svg_scale(data, svg)
    assert 0 < scale < 1 and width_px(svg) <= 96.5 and height_px(svg) <= 96.5
    assert min_text_px(data, svg) == pytest.approx(14 * scale * 96 / 72)
    assert render(Digraph())[1] and svg_scale(*render(Digraph())) == 1


# ---- the corpus -----------------------------------------------------------------------------


@pytest.mark.usefixtures("renderer")
@pytest.mark.parametrize("case", CASES)
def test_corpus_has_no_text_overlaps(case: str) -> None:
    pytest.importorskip("matplotlib")
    found = layout_overlaps(rendered(case)[0])
    more = f"\n  ... and {len(found) - SHOWN} more" if len(found) > SHOWN else ""
    assert not found, f"{case}: {len(found)} overlaps:\n  " + "\n  ".join(found[:SHOWN]) + more


# The issue that set the slide budget asks it of the scalar MLP in show="both" (and forward); its
# backward mode, with a product on each of ~40 wires, may be scaled down to the slide's width.
SCALED_TO_FIT = ("scalar_mlp-cs231n-backward", "scalar_mlp-record-backward")


@pytest.mark.usefixtures("renderer")
@pytest.mark.parametrize("case", [c for c in CASES if c not in SCALED_TO_FIT])
def test_corpus_fits_a_slide(case: str) -> None:
    data, svg = rendered(case)
    width, smallest = width_px(svg), min_text_px(data, svg)
    floor = min_text_px(*rendered(SLIDE_CASE))
    problems = []
    if width > SLIDE_WIDTH_PX:
        problems.append(f"{width:.0f} px wide, more than {SLIDE_WIDTH_PX}")
    if smallest < floor:
        problems.append(
            f"smallest text {smallest:.1f} px, below the {floor:.1f} px of {SLIDE_CASE}"
        )
    assert not problems, f"{case}: " + "; ".join(problems)


@pytest.mark.usefixtures("renderer")
@pytest.mark.parametrize("case", SCALED_TO_FIT)
def test_scaled_drawings_still_fit_the_slide_width(case: str) -> None:
    assert width_px(rendered(case)[1]) <= SLIDE_WIDTH_PX


@pytest.mark.usefixtures("renderer")
def test_corpus_crossings_are_reported(record_property: Callable[[str, object], None]) -> None:
    counts = {case: crossings(rendered(case)[0]) for case in CASES}
    for case, n in counts.items():
        record_property(f"crossings[{case}]", n)
        print(f"{case}: {n} crossings")
    crossed = {c: n for c, n in counts.items() if c.split("-")[0] in NO_CROSSINGS and n}
    assert not crossed, f"small examples drawn with crossing edges: {crossed}"
