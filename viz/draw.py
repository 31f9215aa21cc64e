"""`draw` and `dot_source`: any graph that follows the node protocol as a Graphviz drawing.

Node ids in the DOT text are positions in a deterministic topological order (never ``id()``), so
the same code gives byte-identical DOT in every process.
"""

from __future__ import annotations

import math
import warnings
from typing import Any, NamedTuple

from viz import clusters, language, modules, styles
from viz.labels import DIGITS, literal
from viz.render import drawing_class
from viz.scene import Scene, note_hidden
from viz.sizing import PT_TO_PX, Sketch
from viz.trace import Trace, nearest, stored_grads

STYLES = tuple(styles.STYLES)  # ("cs231n", "record"): a new style is one entry there
SHOWS = ("both", "forward", "backward", "shapes")
RANKDIRS = (None, "LR", "RL", "TB", "BT")
COLLAPSES = (None, "modules")
CLUSTERS = ("neuron", "layer", None)
FONT = "Helvetica"
MAX_WIDTH = 1920  # px at 96 dpi: a full-HD slide


class Options(NamedTuple):
    """The drawing options of `draw`, checked once (see `options`)."""

    style: str = "cs231n"
    show: str = "both"
    rankdir: str | None = None
    max_nodes: int | None = 500
    collapse: str | None = None
    digits: int = DIGITS
    size: tuple[float, float] | None = None
    max_width: int | None = MAX_WIDTH
    cluster: str | None = "neuron"
    lang: str | None = None  # None: the language set by `viz.set_language` ("en" unless set)


def draw(
    root: Any,
    style: str = "cs231n",
    show: str = "both",
    rankdir: str | None = None,
    max_nodes: int | None = 500,
    collapse: str | None = None,
    digits: int = DIGITS,
    size: tuple[float, float] | str | None = None,
    max_width: int | None = MAX_WIDTH,
    cluster: str | None = "neuron",
    lang: str | None = None,
) -> Any:
    """Draw the graph that ends at ``root``.

    Args:
        root: the output node (a `Value`, a `Tensor`, or any node of the protocol).
        style: ``"cs231n"`` (op circles, inputs by name, each wire's value above it in green and
            gradient below in red) or ``"record"`` (boxes ``label | data | grad`` and op nodes).
        show: ``"both"`` values and gradients; ``"forward"`` values only; ``"backward"`` the
            chain rule on every edge, local derivative and ``upstream × local = contribution``,
            and for a node read more than once, each contribution and their sum; ``"shapes"``
            (tensor graphs) ops and shapes only, for architecture slides. Gradients that no
            ``backward()`` has computed yet are drawn as ``?``.
        rankdir: ``"LR"`` (left to right, as on the slides), ``"RL"``, ``"TB"`` or ``"BT"``;
            None picks ``"LR"`` unless that would be wider than ``max_width``, then ``"TB"``.
        max_nodes: draw at most this many nodes, the ones nearest the output, plus a note
            counting the rest (a warning says so); a graph whose drawing would be far taller
            than a slide is cut the same way. None draws everything.
        collapse: ``"modules"`` draws one box per `nn` module (nodes grouped by ``scope``).
        digits: significant digits of every number shown (CS231n's slides use 2).
        size: ``(width, height)`` in inches (or Graphviz's ``"W,H"``): scale the drawing down
            to fit that box.
        max_width: the widest drawing, in pixels at 96 dpi, that the automatic ``rankdir``
            aims for; a drawing still wider is scaled down to it. None never scales.
        cluster: scalar networks: ``"neuron"`` frames each neuron's weights, sum and
            activation; ``"layer"`` frames each layer; None frames nothing.
        lang: the language of every word drawn (``"local"``, ``"seed"``, titles...): ``"en"``
            or ``"es"``; None uses the one `viz.set_language` set (English unless set).

    Returns:
        A `graphviz.Digraph`; Jupyter shows it inline, ``.source`` is its DOT text.

    >>> from autograd import Value
    >>> x, y, z = Value(1.0, label="x"), Value(-3.0, label="y"), Value(4.0, label="z")
    >>> f = (x + y) * z; f.label = "f"; f.backward()
    >>> g = draw(f)
    >>> "-8" in g.source and "-2" in g.source and 'label=<x>' in g.source
    True
    """
    given = {
        "style": style, "show": show, "rankdir": rankdir, "max_nodes": max_nodes,
        "collapse": collapse, "digits": digits, "size": size, "max_width": max_width,
        "cluster": cluster, "lang": lang,
    }  # fmt: skip
    return _draw("draw", root, given)


def _draw(api: str, root: Any, given: dict[str, Any]) -> Any:
    """`draw` on behalf of ``api`` (its errors name it), with the options in ``given``."""
    opts = options(api, root, **given)
    trace = Trace(root)
    return build(trace, stored_grads(trace), opts)


def dot_source(root: Any, **options: Any) -> str:
    """The DOT text of `draw` (same options); needs no renderer.

    >>> from autograd import Value
    >>> print(dot_source(Value(2.0, label="a"), show="forward").splitlines()[0])
    digraph {
    """
    return _draw("dot_source", root, options).source


def options(api: str, root: Any, **given: Any) -> Options:
    """``given`` checked and completed with the defaults; a clear error for anything wrong.

    >>> from autograd import Value
    >>> options("draw", Value(1.0), digits=2).digits
    2
    >>> options("draw", Value(1.0), shw="both")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    TypeError: draw: unknown option 'shw'; expected one of ('style', 'show', 'rankdir', ...
    """
    if not all(hasattr(root, a) for a in ("data", "grad", "op", "parents")):
        raise TypeError(
            f"{api}: root must be a graph node with data, grad, op and parents; "
            f"got {type(root).__name__} {root!r:.60}. Pass the output Value or Tensor."
        )
    unknown = sorted(set(given) - set(Options._fields))
    if unknown:
        raise TypeError(f"{api}: unknown option {unknown[0]!r}; expected one of {Options._fields}")
    opts = Options(**given)
    for name, choices in (
        ("style", STYLES),
        ("show", SHOWS),
        ("rankdir", RANKDIRS),
        ("collapse", COLLAPSES),
        ("cluster", CLUSTERS),
    ):
        if getattr(opts, name) not in choices:
            raise ValueError(
                f"{api}: unknown {name}; got {getattr(opts, name)!r}, expected one of {choices}"
            )
    for name, example in (("max_nodes", 500), ("max_width", MAX_WIDTH)):
        if not _positive_int_or_none(getattr(opts, name)):
            raise ValueError(
                f"{api}: {name} must be a positive int or None; got {getattr(opts, name)!r}, "
                f"expected e.g. {example}"
            )
    if not _positive_int_or_none(opts.digits) or opts.digits is None or opts.digits > 17:
        raise ValueError(
            f"{api}: digits must be an int from 1 to 17; got {opts.digits!r}, expected e.g. 4"
        )
    return opts._replace(size=_size(api, opts.size), lang=language.check(api, opts.lang))


def _positive_int_or_none(x: Any) -> bool:
    return x is None or (isinstance(x, int) and not isinstance(x, bool) and x >= 1)


def _size(api: str, size: Any) -> tuple[float, float] | None:
    """``(w, h)`` inches from a pair or Graphviz's ``"w,h"``."""
    if size is None:
        return None
    try:
        parts = size.split(",") if isinstance(size, str) else list(size)
        w, h = (float(p) for p in parts)
    except (TypeError, ValueError):
        w = h = float("nan")
    if not (w > 0 and h > 0 and math.isfinite(w) and math.isfinite(h)):
        raise ValueError(
            f"{api}: size must be (width, height) in inches; got {size!r}, expected e.g. (10, 6)"
        )
    return (w, h)


MAX_SPAN = 6000  # ranks crossed by all edges together: beyond this Graphviz's layout takes seconds
LENGTH_PER_WIDTH = 4  # the longer side of a drawing may be at most this many max_widths
RANK_GAP = 11.0  # Graphviz's ranksep and nodesep below, in points
NODE_GAP = 18.0
ESTIMATE_MARGIN = 1.05
BREADTH_MARGIN = 1.3


def build(
    trace: Trace,
    grads: list[Any],
    opts: Options,
    highlight: int | None = None,
    title: str | None = None,
) -> Any:
    """The drawing of ``trace`` with the given gradients (stored, or a backward step's), every
    word in the language of ``opts.lang``."""
    with language.speaking(opts.lang):
        return _build(trace, grads, opts, highlight, title)


def _build(
    trace: Trace, grads: list[Any], opts: Options, highlight: int | None, title: str | None
) -> Any:
    if opts.collapse == "modules":
        rankdir = opts.rankdir or modules.preferred_rankdir(
            trace, opts.collapse, opts.show, opts.max_width or MAX_WIDTH
        )
        g = new_digraph(rankdir, title, opts)
        modules.draw_modules(g, trace, grads, opts.show, opts.max_nodes, opts.digits, rankdir)
        return g
    kept = list(range(len(trace)))
    reasons = [""]  # why nodes are left out: too many, then too big a drawing
    if opts.max_nodes is not None and len(trace) > opts.max_nodes:
        kept = sorted(nearest(trace.root, trace.parents.__getitem__, opts.max_nodes))
        reasons[0] = language.text("cut_max_nodes", limit=opts.max_nodes)
    while True:
        scene, sketch = _sketch(trace, kept, grads, opts, opts.rankdir or "LR", highlight)
        if opts.rankdir is None and _too_wide(sketch, scene, opts):
            down = _sketch(trace, kept, grads, opts, "TB", highlight)
            if _width(*down) < _width(scene, sketch):
                scene, sketch = down
        over = _over_budget(sketch, scene, opts)
        if not over or len(kept) <= 2:
            break
        if len(reasons) < 2:  # say why once, for the first set of nodes found too big
            who = language.text("cut_some", k=len(kept)) if reasons[0] else language.text("cut_all")
            reasons.append(language.text("cut_would_make", who=who, over=over))
        kept = sorted(nearest(trace.root, trace.parents.__getitem__, int(len(kept) * 0.7)))
    why = " ".join(r for r in reasons if r)
    if len(kept) < len(trace):
        warnings.warn(
            language.text("cut_warning", n=len(trace), why=why, k=len(kept)), stacklevel=3
        )
    g = new_digraph(scene.rankdir, title, opts)
    sketch.emit(g, clusters.titles(scene))
    if len(kept) < len(trace):
        cut = _cut(trace, scene.drawn, kept)
        note_hidden(g, len(trace) - len(kept), opts.max_nodes, cut, too_big=len(reasons) > 1)
    return g


def _sketch(
    trace: Trace,
    kept: list[int],
    grads: list[Any],
    opts: Options,
    rankdir: str,
    highlight: int | None,
) -> tuple[Scene, Sketch]:
    scene = Scene(trace, kept, set(kept), grads, opts.show, highlight, rankdir, opts.digits)
    sketch = Sketch()
    styles.STYLES[opts.style](sketch, scene)
    if opts.cluster:
        clusters.assign(sketch, scene, opts.cluster)
    return scene, sketch


def _width(scene: Scene, sketch: Sketch) -> float:
    """The estimated width in px at 96 dpi (Graphviz's come out up to ~15 % wider)."""
    return sketch.extent(scene.across, RANK_GAP, NODE_GAP)[0] * PT_TO_PX * ESTIMATE_MARGIN


def _too_wide(sketch: Sketch, scene: Scene, opts: Options) -> bool:
    """Whether a left-to-right drawing would be wider than ``max_width``."""
    return opts.max_width is not None and _width(scene, sketch) > opts.max_width


def _over_budget(sketch: Sketch, scene: Scene, opts: Options) -> str:
    """Why the drawing must be cut (far longer than a slide, or too slow to lay out), or ``''``."""
    if opts.max_nodes is None:
        return ""
    width, height = sketch.extent(scene.across, RANK_GAP, NODE_GAP)
    longest = max(width, height) * PT_TO_PX * BREADTH_MARGIN  # frames of clusters add ~30 %
    limit = LENGTH_PER_WIDTH * (opts.max_width or MAX_WIDTH)
    if longest > limit:
        w, h = f"{width * PT_TO_PX:,.0f}", f"{height * PT_TO_PX:,.0f}"
        return language.text("cut_too_long", w=w, h=h, limit=f"{limit:,}")
    if sketch.span() > MAX_SPAN:
        return language.text("cut_too_slow")
    return ""


def new_digraph(rankdir: str, title: str | None, opts: Options) -> Any:
    """An empty drawing with the house look: Helvetica, white background, tight ranks, and at most
    ``size`` (or ``max_width``) across."""
    graph_attr = {
        "rankdir": rankdir,
        "bgcolor": "white",
        "fontname": FONT,
        "nodesep": f"{NODE_GAP / 72:.2f}",
        "ranksep": f"{RANK_GAP / 72:.2f}",
    }
    if opts.size is not None:
        graph_attr["size"] = f"{opts.size[0]:g},{opts.size[1]:g}"
    elif opts.max_width is not None:
        graph_attr["size"] = f"{opts.max_width / 96:g},1000"
    g = drawing_class()(
        graph_attr=graph_attr,
        # nodes as small as their labels (Graphviz's default minimum is 0.75 x 0.5 inches)
        node_attr={"fontname": FONT, "fontsize": "14", "width": "0", "height": "0"},
        edge_attr={"fontname": FONT, "fontsize": "12", "arrowsize": "0.7"},
    )
    if title:
        g.attr(label=literal(title), labelloc="t", fontsize="16")
    return g


def _cut(trace: Trace, drawn: set[int], kept: list[int]) -> list[str]:
    """Ids of the drawn nodes that have a parent left out."""
    return [f"n{j}" for j in kept if any(i not in drawn for i in trace.parents[j])]
