"""A corpus of lecture graphs, drawn, laid out by the renderer and measured: text boxes, overlaps,
edge crossings and size on a slide.

The checks read only what the renderer drew (Graphviz JSON with xdot ops, and the SVG's size),
never how `viz` built the DOT, so they keep working while the drawings change.
Run ``python tests/viz_corpus.py [--png DIR]`` for a table of every drawing (and its pictures).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from functools import cache
from itertools import combinations
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

import autograd
import nn
import viz
from autograd import Tensor, Value
from viz.render import require_renderer

PX_PER_PT = 96 / 72  # CSS pixels at 96 dpi; Graphviz works in points (72 per inch)
SLIDE_WIDTH_PX = 1920
DESCENT, ASCENT = 0.21, 0.75  # Helvetica's text below / above the baseline, per point of size
TOUCH = 0.5  # boxes are shrunk by this (pt) before testing, so touching is not overlapping
BEZIER_SAMPLES = 8  # points per cubic segment when an edge is flattened into a polyline
PAD_PT = 4  # Graphviz's default pad around a drawing


# ---- the corpus -----------------------------------------------------------------------------


def slide() -> Value:
    """The lecture's first example: f = (x + y) z at x = 1, y = -3, z = 4."""
    x, y, z = Value(1.0, label="x"), Value(-3.0, label="y"), Value(4.0, label="z")
    f = (x + y) * z
    f.label = "f"
    f.backward()
    return f


def exp_sin_sq() -> Value:
    """f = e^{sin(x²)} at x = 1: a chain of three unary ops."""
    x = Value(1.0, label="x")
    f = (x**2).sin().exp()
    f.label = "f"
    f.backward()
    return f


def sigmoid_circuit() -> Value:
    """CS231n's circuit f = 1 / (1 + exp(-(w0 x0 + w1 x1 + w2))), built from elementary ops."""
    w0, x0 = Value(2.0, label="w0"), Value(-1.0, label="x0")
    w1, x1 = Value(-3.0, label="w1"), Value(-2.0, label="x1")
    w2 = Value(-3.0, label="w2")
    f = 1 / (1 + (-(w0 * x0 + w1 * x1 + w2)).exp())
    f.label = "f"
    f.backward()
    return f


def deck001() -> Value:
    """The backpropagation deck's e = ½ (y - S(w20 + w21 tanh(w10 + w11 x1 + w12 x2)))², with the
    numbers and intermediate names of notebooks/04_backpropagation.ipynb.
    """
    x1, x2, y = Value(0.5, label="x1"), Value(-1.0, label="x2"), Value(1.0, label="y")
    w10, w11, w12 = Value(0.1, label="w10"), Value(0.4, label="w11"), Value(-0.2, label="w12")
    w20, w21 = Value(-0.3, label="w20"), Value(0.8, label="w21")
    z_g = w10 + w11 * x1 + w12 * x2
    z_g.label = "z_g"
    g = z_g.tanh()
    g.label = "g"
    z_f = w20 + w21 * g
    z_f.label = "z_f"
    f = z_f.sigmoid()
    f.label = "f"
    e = 0.5 * (y - f) ** 2
    e.label = "e"
    e.backward()
    return e


def reused() -> Value:
    """f = q² + e^q with q = x + y read three times: the fan-out sum on q."""
    x, y = Value(1.0, label="x"), Value(2.0, label="y")
    q = x + y
    q.label = "q"
    f = q * q + q.exp()
    f.label = "f"
    f.backward()
    return f


def sigmoid_neuron() -> Value:
    """One `nn.scalar.Neuron` with a sigmoid on two labelled inputs."""
    autograd.manual_seed(0)
    n = nn.scalar.Neuron(2, activation="sigmoid")
    out = n([Value(0.5, label="x1"), Value(-1.0, label="x2")])
    out.backward()
    return out


def scalar_mlp() -> Value:
    """A 2-3-1 scalar MLP and its squared error to 1."""
    autograd.manual_seed(0)
    m = nn.scalar.MLP(2, [3, 1])
    out = m([Value(0.5, label="x1"), Value(-1.0, label="x2")])
    loss = (out - 1.0) ** 2
    loss.label = "L"
    loss.backward()
    return loss


def lenet() -> Tensor:
    """LeNet on a batch of two 8x8 images and its cross-entropy: a tensor graph."""
    autograd.manual_seed(0)
    model = nn.LeNet(input_size=8)
    images = np.random.default_rng(0).standard_normal((2, 1, 8, 8)).astype(np.float32)
    x = Tensor(images, label="x")
    loss = nn.CrossEntropyLoss()(model(x), np.array([3, 7]))
    loss.backward()
    return loss


CORPUS: dict[str, Callable[[], Any]] = {
    "slide": slide,
    "exp_sin_sq": exp_sin_sq,
    "sigmoid_circuit": sigmoid_circuit,
    "deck001": deck001,
    "reused": reused,
    "sigmoid_neuron": sigmoid_neuron,
    "scalar_mlp": scalar_mlp,
    "lenet": lenet,
}
SCALAR_CASES = [name for name in CORPUS if name != "lenet"]
SLIDE_CASE = "slide-cs231n-both"


def _drawing(build: Callable[[], Any], **options: Any) -> Callable[[], Any]:
    """A function drawing a fresh root from ``build`` with ``options``."""
    return lambda: viz.draw(build(), **options)


DRAWINGS: list[tuple[str, Callable[[], Any]]] = [
    (f"{name}-{style}-{show}", _drawing(CORPUS[name], style=style, show=show))
    for name in SCALAR_CASES
    for style in ("cs231n", "record")
    for show in ("both", "forward", "backward")
] + [
    ("lenet", _drawing(lenet)),
    ("lenet-modules", _drawing(lenet, collapse="modules")),
]
DRAWING_BY_ID = dict(DRAWINGS)


# ---- rendering ------------------------------------------------------------------------------


def layout(graph: Any) -> dict[str, Any]:
    """The renderer's layout of ``graph`` (anything with a ``.source``): Graphviz JSON, parsed.

    Tested in tests/test_viz_layout.py (it needs a renderer, which a doctest cannot skip).
    """
    done = subprocess.run(
        [require_renderer().path, "-Tjson"], input=graph.source.encode(), capture_output=True
    )
    _check(done)
    return json.loads(done.stdout)


def render(graph: Any) -> tuple[dict[str, Any], str]:
    """The JSON layout and the SVG of ``graph`` from one run of the renderer, so one layout.

    Tested in tests/test_viz_layout.py, like `layout`.
    """
    with tempfile.TemporaryDirectory() as tmp:
        paths = {fmt: Path(tmp) / f"drawing.{fmt}" for fmt in ("json", "svg")}
        command = [require_renderer().path]
        for fmt, path in paths.items():
            command += [f"-T{fmt}", "-o", str(path)]
        _check(subprocess.run(command, input=graph.source.encode(), capture_output=True))
        return json.loads(paths["json"].read_text("utf-8")), paths["svg"].read_text("utf-8")


def _check(done: subprocess.CompletedProcess[bytes]) -> None:
    """Raise with the renderer's own message if it failed."""
    if done.returncode != 0:
        raise RuntimeError(
            f"renderer failed with exit code {done.returncode}: {done.stderr.decode().strip()}"
        )


@cache
def rendered(case: str) -> tuple[dict[str, Any], str]:
    """`render` of the drawing ``case`` of `DRAWINGS`, once per process."""
    return render(DRAWING_BY_ID[case]())


# ---- font metrics ---------------------------------------------------------------------------

AFM_FILES = {  # (family, bold, italic) -> the matching Adobe core font shipped with matplotlib
    ("Helvetica", False, False): "phvr8a.afm",
    ("Helvetica", True, False): "phvb8a.afm",
    ("Helvetica", False, True): "phvro8a.afm",
    ("Helvetica", True, True): "phvbo8a.afm",
    ("Times", False, False): "ptmr8a.afm",
    ("Times", True, False): "ptmb8a.afm",
    ("Times", False, True): "ptmri8a.afm",
    ("Times", True, True): "ptmbi8a.afm",
    ("Courier", False, False): "pcrr8a.afm",
    ("Courier", True, False): "pcrb8a.afm",
    ("Courier", False, True): "pcrro8a.afm",
    ("Courier", True, True): "pcrbo8a.afm",
}
SYMBOL_AFM = "psyr.afm"  # Greek and math glyphs (σ, Σ, ∂) that the text faces lack
BOLD, ITALIC = 1, 2  # bits of the xdot "t" op (font characteristics)


@cache
def afm_widths(filename: str) -> dict[str, float]:
    """Advance widths (1/1000 em) by character, from one of matplotlib's AFM files.

    Glyph names are turned into characters with the Adobe Glyph List (fontTools, a matplotlib
    dependency), so ``multiply`` is ``×`` and ``twosuperior`` is ``²``.

    >>> afm_widths("phvr8a.afm")["x"], afm_widths("phvr8a.afm")["×"]
    (500.0, 584.0)
    """
    import matplotlib
    from fontTools import agl

    path = Path(matplotlib.get_data_path()) / "fonts" / "afm" / filename
    widths: dict[str, float] = {}
    for line in path.read_text("latin-1").splitlines():
        if not line.startswith("C "):
            continue
        fields = dict(f.strip().split(" ", 1) for f in line.split(";") if " " in f.strip())
        char = agl.toUnicode(fields["N"])
        if len(char) == 1:
            widths.setdefault(char, float(fields["WX"]))
    return widths


def afm_file(face: str, style: int = 0) -> str:
    """The AFM file for a Graphviz font name and xdot font characteristics.

    >>> afm_file("Helvetica"), afm_file("Helvetica-Bold"), afm_file("Times-Roman", BOLD)
    ('phvr8a.afm', 'phvb8a.afm', 'ptmb8a.afm')
    """
    lower = face.lower()
    family = next((f for f in ("Times", "Courier") if f.lower() in lower), "Helvetica")
    bold = bool(style & BOLD) or "bold" in lower
    italic = bool(style & ITALIC) or "italic" in lower or "oblique" in lower
    return AFM_FILES[(family, bold, italic)]


def text_width(text: str, size: float, face: str = "Helvetica", style: int = 0) -> float:
    """Width in points of ``text`` set in ``face`` at ``size`` points, from the font's metrics.

    A glyph missing from the face is looked up in Symbol (where σ and ∂ live), then as its
    compatibility form (``⁻¹⁰`` as ``−10``, full size), and failing that counts as the face's
    widest ASCII glyph: the estimate errs on the wide side only.

    >>> text_width("x", 18)
    9.0
    >>> text_width("×", 14) > text_width(" ", 14)
    True
    >>> text_width("10⁻⁵", 10) == text_width("10−5", 10)
    True
    """
    widths, symbol = afm_widths(afm_file(face, style)), afm_widths(SYMBOL_AFM)
    widest = max(w for c, w in widths.items() if c.isascii())

    def glyph(char: str) -> float:
        if char in widths or char in symbol:
            return widths.get(char, symbol.get(char, widest))
        plain = unicodedata.normalize("NFKC", char)
        if plain != char and all(c in widths or c in symbol for c in plain):
            return sum(widths.get(c, symbol.get(c, widest)) for c in plain)
        return widest

    return sum(glyph(c) for c in text) * size / 1000


# ---- geometry -------------------------------------------------------------------------------


class Box(NamedTuple):
    """An axis-aligned rectangle in points (y up, as in Graphviz JSON), with what it holds."""

    x0: float
    y0: float
    x1: float
    y1: float
    text: str  # the text drawn, or "arrowhead"
    owner: str  # "node n3", "edge n2->n4", "graph", "subgraph cluster_0"

    def shrunk(self, by: float) -> Box:
        """This box with every side moved ``by`` points inwards."""
        return self._replace(x0=self.x0 + by, y0=self.y0 + by, x1=self.x1 - by, y1=self.y1 - by)

    def meets(self, other: Box) -> bool:
        """Whether the two boxes share interior area.

        >>> Box(0, 0, 2, 2, "a", "x").meets(Box(1, 1, 3, 3, "b", "y"))
        True
        >>> Box(0, 0, 2, 2, "a", "x").meets(Box(2, 0, 4, 2, "b", "y"))
        False
        """
        return (
            self.x0 < other.x1 and other.x0 < self.x1 and self.y0 < other.y1 and other.y0 < self.y1
        )

    def describe(self) -> str:
        """``'4 × 1 = 4' (edge n2->n4)``."""
        return f"{self.text!r} ({self.owner})"


def _owners(data: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Everything that can carry drawing ops, with a name for messages: the graph, its
    subgraphs and nodes (JSON ``objects``) and its edges (named ``tail->head``).
    """
    yield "graph", data
    for o in data.get("objects", []):
        kind = "subgraph" if "nodes" in o or "edges" in o or "bb" in o else "node"
        yield f"{kind} {o.get('name', '?')}", o
    names = node_names(data)
    for e in data.get("edges", []):
        yield f"edge {edge_name(names, e)}", e


def node_names(data: dict[str, Any]) -> dict[int, str]:
    """Object names by ``_gvid``, the number by which JSON edges name their ends."""
    return {
        o.get("_gvid", i): o.get("name", f"#{i}") for i, o in enumerate(data.get("objects", []))
    }


def edge_name(names: dict[int, str], edge: dict[str, Any]) -> str:
    """``tail->head`` by node name.

    >>> edge_name(node_names({"objects": [{"_gvid": 0, "name": "a"}, {"_gvid": 1, "name": "b"}]}),
    ...           {"tail": 0, "head": 1})
    'a->b'
    """
    return f"{names.get(edge.get('tail', -1), '?')}->{names.get(edge.get('head', -1), '?')}"


class _Text(NamedTuple):
    """One ``T`` op with the font in effect where it is drawn."""

    owner: str
    op: dict[str, Any]
    size: float
    face: str
    style: int  # xdot font characteristics (bold, italic, ...)


def _texts(data: dict[str, Any]) -> Iterator[_Text]:
    """Every non-blank text of every xdot op list (``_draw_``, ``_ldraw_``, ``_hdraw_``,
    ``_tldraw_``, ...), following the ``F`` (font) and ``t`` (bold, italic) ops before it.
    """
    for owner, obj in _owners(data):
        for key, ops in obj.items():
            if not (key.startswith("_") and key.endswith("draw_") and isinstance(ops, list)):
                continue
            size = float(obj.get("fontsize", 14))  # Graphviz's defaults, if no F op comes first
            face = str(obj.get("fontname", "Times-Roman"))
            style = 0
            for op in ops:
                kind = op.get("op")
                if kind == "F":
                    size, face = float(op["size"]), str(op.get("face", face))
                elif kind == "t":
                    style = int(op.get("fontchar", 0))
                elif kind == "T" and op.get("text", "").strip():
                    yield _Text(owner, op, size, face, style)


def text_boxes(data: dict[str, Any]) -> list[Box]:
    """Every text the layout draws, as a box in points.

    x comes from the op's anchor and ``align`` (l, c, r); the width is the larger of the
    renderer's and the font metrics' (`text_width`), because the renderer may undercount glyphs
    it does not know. y spans the font size in effect (op ``F``) around the baseline, from
    ``DESCENT`` below it to ``ASCENT`` above.

    >>> font = {"op": "F", "size": 18.0, "face": "Helvetica"}
    >>> op = {"op": "T", "pt": [10.0, 20.0], "align": "c", "width": 1.0, "text": "x"}
    >>> [box] = text_boxes({"objects": [{"name": "a", "_ldraw_": [font, op]}]})
    >>> box.x0, box.x1, round(box.y0, 2), box.y1, box.owner
    (5.5, 14.5, 16.22, 33.5, 'node a')
    """
    boxes = []
    for t in _texts(data):
        text = t.op["text"]
        width = max(float(t.op.get("width", 0)), text_width(text, t.size, t.face, t.style))
        x, baseline = float(t.op["pt"][0]), float(t.op["pt"][1])
        left = {"l": x, "r": x - width}.get(t.op.get("align", "c"), x - width / 2)
        bottom, top = baseline - DESCENT * t.size, baseline + ASCENT * t.size
        boxes.append(Box(left, bottom, left + width, top, text, t.owner))
    return boxes


def text_sizes(data: dict[str, Any]) -> list[float]:
    """The font size (pt) of every text drawn, in the order of `text_boxes`.

    >>> ops = [{"op": "F", "size": 9.0}, {"op": "T", "pt": [0, 0], "text": "a"}]
    >>> text_sizes({"objects": [{"name": "a", "_ldraw_": ops}]})
    [9.0]
    """
    return [t.size for t in _texts(data)]


def arrowheads(data: dict[str, Any]) -> list[Box]:
    """The bounding box of every arrowhead: polygons (ops ``P``, ``p``) of edges' ``_hdraw_``
    and ``_tdraw_``.

    >>> head = {"op": "P", "points": [[0, 0], [4, 1], [0, 2]]}
    >>> arrowheads({"objects": [{"name": "a"}], "edges": [{"tail": 0, "head": 0,
    ...     "_hdraw_": [head]}]})
    [Box(x0=0, y0=0, x1=4, y1=2, text='arrowhead', owner='edge a->a')]
    """
    boxes = []
    for owner, obj in _owners(data):
        if not owner.startswith("edge "):
            continue
        for key in ("_hdraw_", "_tdraw_"):
            for op in obj.get(key, []):
                if op.get("op") in ("P", "p"):
                    xs, ys = zip(*op["points"])
                    boxes.append(Box(min(xs), min(ys), max(xs), max(ys), "arrowhead", owner))
    return boxes


def overlaps(boxes: Iterable[Box], heads: Iterable[Box] = ()) -> list[str]:
    """Every pair of text boxes that overlap, and every text box on an arrowhead, as messages.

    Each box is first shrunk by ``TOUCH`` points, so boxes that only touch pass.

    >>> a = Box(0, 0, 10, 10, "3 + 3 = 6", "edge n2->n4")
    >>> b = Box(5, 5, 15, 15, "local 3", "node w4_1")
    >>> overlaps([a, b])
    ["'3 + 3 = 6' (edge n2->n4) overlaps 'local 3' (node w4_1)"]
    >>> overlaps([a, b._replace(x0=10.5)])
    []
    """
    texts = [b.shrunk(TOUCH) for b in boxes]
    arrows = [h.shrunk(TOUCH) for h in heads]
    found = [
        f"{a.describe()} overlaps {b.describe()}" for a, b in combinations(texts, 2) if a.meets(b)
    ]
    found += [
        f"{t.describe()} overlaps an arrowhead ({h.owner})"
        for t in texts
        for h in arrows
        if t.meets(h)
    ]
    return found


def layout_overlaps(data: dict[str, Any]) -> list[str]:
    """`overlaps` of a whole layout: its texts against each other and against its arrowheads."""
    return overlaps(text_boxes(data), arrowheads(data))


# ---- size on a slide ------------------------------------------------------------------------


def _svg_attribute(svg: str, name: str) -> str:
    """The value of attribute ``name`` on the ``<svg>`` element."""
    element = re.search(r"<svg\b[^>]*>", svg)
    found = element and re.search(rf'\s{name}="([^"]*)"', element.group(0))
    if not found:
        raise ValueError(f"svg: no {name} attribute on the <svg> element; got {svg[:200]!r}")
    return found.group(1)


def _points(length: str) -> float:
    """An SVG length (``478pt``, ``120px``, ``5in``) in points."""
    found = re.fullmatch(r"([\d.]+)\s*(pt|px|in|)", length.strip())
    if found is None:
        raise ValueError(f"svg: unreadable length; got {length!r}, expected e.g. '478pt'")
    return float(found.group(1)) * {"pt": 1.0, "": 1.0, "px": 72 / 96, "in": 72.0}[found.group(2)]


def width_px(svg: str) -> float:
    """The drawing's final width in px at 96 dpi, from the SVG (after any ``size`` scaling).

    >>> width_px('<svg width="72pt" height="36pt">')
    96.0
    """
    return _points(_svg_attribute(svg, "width")) * PX_PER_PT


def height_px(svg: str) -> float:
    """The drawing's final height in px at 96 dpi, like `width_px`.

    >>> height_px('<svg width="72pt" height="36pt">')
    48.0
    """
    return _points(_svg_attribute(svg, "height")) * PX_PER_PT


def svg_scale(data: dict[str, Any], svg: str) -> float:
    """How much the renderer shrank the drawing to honour ``size`` (1 when it did not).

    Read from the scale that the SVG applies to the layout's coordinates; without one, the SVG's
    width over the layout's (bounding box plus Graphviz's default pad).

    >>> svg_scale({}, '<svg width="70pt"><g transform="scale(0.5 0.5) rotate(0)">')
    0.5
    >>> svg_scale({"bb": "0,0,92,10"}, '<svg width="50pt" height="9pt">')
    0.5
    """
    found = re.search(r'<g\b[^>]*transform="[^"]*scale\(([\d.eE+-]+)', svg)
    if found:
        return float(found.group(1))
    x0, _, x1, _ = (float(v) for v in data["bb"].split(","))
    return _points(_svg_attribute(svg, "width")) / (x1 - x0 + 2 * PAD_PT)


def min_text_px(data: dict[str, Any], svg: str) -> float:
    """The smallest text in the drawing, in px at 96 dpi after the ``size`` scaling.

    >>> ops = [{"op": "F", "size": 12.0}, {"op": "T", "pt": [0, 0], "text": "a"}]
    >>> min_text_px({"objects": [{"_ldraw_": ops}]}, '<svg><g transform="scale(0.5 0.5)">')
    8.0
    """
    sizes = text_sizes(data)
    return min(sizes) * svg_scale(data, svg) * PX_PER_PT if sizes else float("inf")


# ---- crossings ------------------------------------------------------------------------------


def bezier_polyline(points: list[list[float]], samples: int = BEZIER_SAMPLES) -> np.ndarray:
    """A piecewise cubic Bezier (1 + 3k control points, as in xdot ``b``/``B``) as ``samples``
    points per segment, shape (n, 2).

    >>> bezier_polyline([[0, 0], [1, 0], [2, 0], [3, 0]], samples=4)[:, 0].tolist()
    [0.0, 1.0, 2.0, 3.0]
    """
    ctrl = np.asarray(points, dtype=float)
    t = np.linspace(0.0, 1.0, samples)[:, None]
    pieces = []
    for s in range(0, len(ctrl) - 3, 3):
        p0, p1, p2, p3 = ctrl[s : s + 4]
        pieces.append(
            (1 - t) ** 3 * p0 + 3 * (1 - t) ** 2 * t * p1 + 3 * (1 - t) * t**2 * p2 + t**3 * p3
        )
    return np.concatenate(pieces) if pieces else ctrl


def edge_polylines(data: dict[str, Any]) -> list[tuple[int, int, np.ndarray]]:
    """(tail, head, polyline) for every edge drawn (invisible edges have no ``_draw_``)."""
    lines = []
    for e in data.get("edges", []):
        for op in e.get("_draw_", []):
            if op.get("op") in ("b", "B"):
                lines.append((e["tail"], e["head"], bezier_polyline(op["points"])))
    return lines


def polylines_cross(a: np.ndarray, b: np.ndarray) -> bool:
    """Whether two polylines properly cross: some segment of each strictly straddles the other.

    >>> polylines_cross(np.array([[0, 0], [2, 2]]), np.array([[0, 2], [2, 0]]))
    True
    >>> polylines_cross(np.array([[0, 0], [2, 2]]), np.array([[2, 2], [4, 0]]))
    False
    """
    if (a.min(0) > b.max(0)).any() or (b.min(0) > a.max(0)).any():
        return False
    p, r = a[:-1, None, :], (a[1:] - a[:-1])[:, None, :]  # segments of a: p + t r
    q, s = b[None, :-1, :], (b[1:] - b[:-1])[None, :, :]  # segments of b: q + u s

    def cross(v: np.ndarray, w: np.ndarray) -> np.ndarray:
        return v[..., 0] * w[..., 1] - v[..., 1] * w[..., 0]

    # orientation of each end of one segment against the other; opposite signs on both: a cross
    d1, d2 = cross(r, q - p), cross(r, q + s - p)
    d3, d4 = cross(s, p - q), cross(s, p + r - q)
    return bool(((d1 * d2 < 0) & (d3 * d4 < 0)).any())


def crossings(data: dict[str, Any]) -> int:
    """How many pairs of drawn edges cross, counting only edges that share no node.

    >>> def edge(tail, head, pts): return {"tail": tail, "head": head,
    ...     "_draw_": [{"op": "b", "points": pts}]}
    >>> crossings({"edges": [edge(0, 1, [[0, 0], [1, 1], [2, 2], [3, 3]]),
    ...                      edge(2, 3, [[0, 3], [1, 2], [2, 1], [3, 0]])]})
    1
    """
    lines = edge_polylines(data)
    return sum(
        1
        for (t1, h1, a), (t2, h2, b) in combinations(lines, 2)
        if not {t1, h1} & {t2, h2} and polylines_cross(a, b)
    )


def texts_on_edges(data: dict[str, Any]) -> list[str]:
    """Every text that a drawn edge runs through (its shrunk box meets the edge's polyline).

    Not a test of the corpus (yet): the table prints the count, to show where wires cut labels.

    >>> op = {"op": "T", "pt": [5.0, 0.0], "align": "c", "width": 10.0, "text": "abc"}
    >>> line = {"op": "b", "points": [[0, 3], [3, 3], [7, 3], [10, 3]]}
    >>> texts_on_edges({"objects": [{"name": "a", "_ldraw_": [op]}],
    ...                 "edges": [{"tail": 0, "head": 0, "_draw_": [line]}]})
    ["'abc' (node a) lies on edge a->a"]
    """
    names = node_names(data)
    lines = [
        (edge_name(names, e), bezier_polyline(op["points"]))
        for e in data.get("edges", [])
        for op in e.get("_draw_", [])
        if op.get("op") in ("b", "B")
    ]
    found = []
    for box in text_boxes(data):
        s = box.shrunk(TOUCH)
        outline = np.array([[s.x0, s.y0], [s.x1, s.y0], [s.x1, s.y1], [s.x0, s.y1], [s.x0, s.y0]])
        for name, line in lines:
            inside = (line > [s.x0, s.y0]).all(1) & (line < [s.x1, s.y1]).all(1)
            if inside.any() or polylines_cross(line, outline):
                found.append(f"{box.describe()} lies on edge {name}")
                break
    return found


# ---- a table of the corpus ------------------------------------------------------------------


def measure(case: str) -> dict[str, Any]:
    """The numbers of the table for drawing ``case``."""
    data, svg = rendered(case)
    return {
        "case": case,
        "width_px": width_px(svg),
        "height_px": height_px(svg),
        "overlaps": len(layout_overlaps(data)),
        "crossings": crossings(data),
        "min_text_px": min_text_px(data, svg),
        "on_edges": len(texts_on_edges(data)),
    }


def main(argv: list[str]) -> None:
    """Print one line per drawing; with ``--png DIR`` also write each drawing's PNG there."""
    png_dir = Path(argv[argv.index("--png") + 1]) if "--png" in argv else None
    if png_dir is not None:
        png_dir.mkdir(parents=True, exist_ok=True)
    print(
        f"{'case':32} {'width px':>9} {'height px':>9} {'overlaps':>8} {'crossings':>9} "
        f"{'min text px':>11} {'on edges':>8}"
    )
    for case, make in DRAWINGS:
        row = measure(case)
        print(
            f"{case:32} {row['width_px']:9.0f} {row['height_px']:9.0f} {row['overlaps']:8d} "
            f"{row['crossings']:9d} {row['min_text_px']:11.1f} {row['on_edges']:8d}"
        )
        if png_dir is not None:
            viz.save(make(), png_dir / f"{case}.png")


if __name__ == "__main__":
    main(sys.argv[1:])
