"""`draw` and `dot_source`: any graph that follows the node protocol as a Graphviz drawing.

Node ids in the DOT text are positions in a deterministic topological order (never ``id()``), so
the same code gives byte-identical DOT in every process.
"""

from __future__ import annotations

import warnings
from typing import Any

from viz import modules, styles
from viz.labels import plain
from viz.render import drawing_class
from viz.scene import Scene, note_hidden
from viz.trace import Trace, nearest, stored_grads

STYLES = ("cs231n", "record")
SHOWS = ("both", "forward", "backward")
RANKDIRS = ("LR", "RL", "TB", "BT")
COLLAPSES = (None, "modules")
FONT = "Helvetica"


def draw(
    root: Any,
    style: str = "cs231n",
    show: str = "both",
    rankdir: str = "LR",
    max_nodes: int | None = 500,
    collapse: str | None = None,
) -> Any:
    """Draw the graph that ends at ``root``.

    Args:
        root: the output node (a `Value`, a `Tensor`, or any node of the protocol).
        style: ``"cs231n"`` (op circles, inputs by name, each wire's value above it in green and
            gradient below in red) or ``"record"`` (boxes ``label | data | grad`` and op nodes).
        show: ``"both"`` values and gradients; ``"forward"`` values only; ``"backward"`` the
            chain rule on every edge, local derivative and ``upstream × local = contribution``,
            and for a node read more than once, each contribution and their sum.
        rankdir: ``"LR"`` (left to right, as on the slides), ``"RL"``, ``"TB"`` or ``"BT"``.
        max_nodes: draw at most this many nodes, the ones nearest the output, plus a note
            counting the rest (a warning says so); None draws everything.
        collapse: ``"modules"`` draws one box per `nn` module (nodes grouped by ``scope``).

    Returns:
        A `graphviz.Digraph`; Jupyter shows it inline, ``.source`` is its DOT text.

    >>> from autograd import Value
    >>> x, y, z = Value(1.0, label="x"), Value(-3.0, label="y"), Value(4.0, label="z")
    >>> f = (x + y) * z; f.label = "f"; f.backward()
    >>> g = draw(f)
    >>> "-8" in g.source and "-2" in g.source and 'label=x' in g.source
    True
    """
    check_options("draw", root, style, show, rankdir, max_nodes, collapse)
    trace = Trace(root)
    return build(trace, stored_grads(trace), style, show, rankdir, max_nodes, collapse)


def dot_source(root: Any, **options: Any) -> str:
    """The DOT text of `draw` (same options); needs no renderer.

    >>> from autograd import Value
    >>> print(dot_source(Value(2.0, label="a"), show="forward").splitlines()[0])
    digraph {
    """
    return draw(root, **options).source


def check_options(
    api: str,
    root: Any,
    style: str,
    show: str,
    rankdir: str,
    max_nodes: int | None,
    collapse: str | None,
) -> None:
    """Raise a clear error for a root that is no node or an option outside its choices."""
    if not all(hasattr(root, a) for a in ("data", "grad", "op", "parents")):
        raise TypeError(
            f"{api}: root must be a graph node with data, grad, op and parents; "
            f"got {type(root).__name__} {root!r:.60}. Pass the output Value or Tensor."
        )
    for name, value, choices in (
        ("style", style, STYLES),
        ("show", show, SHOWS),
        ("rankdir", rankdir, RANKDIRS),
        ("collapse", collapse, COLLAPSES),
    ):
        if value not in choices:
            raise ValueError(f"{api}: unknown {name}; got {value!r}, expected one of {choices}")
    if max_nodes is not None and (
        isinstance(max_nodes, bool) or not isinstance(max_nodes, int) or max_nodes < 1
    ):
        raise ValueError(
            f"{api}: max_nodes must be a positive int or None; got {max_nodes!r}, expected e.g. 500"
        )


def build(
    trace: Trace,
    grads: list[Any],
    style: str,
    show: str,
    rankdir: str,
    max_nodes: int | None,
    collapse: str | None,
    highlight: int | None = None,
    title: str | None = None,
) -> Any:
    """The drawing of ``trace`` with the given gradients (stored, or a backward step's)."""
    g = new_digraph(rankdir, style, title)
    if collapse == "modules":
        modules.draw_modules(g, trace, grads, show, max_nodes)
        return g
    kept = list(range(len(trace)))
    if max_nodes is not None and len(trace) > max_nodes:
        kept = sorted(nearest(trace.root, trace.parents.__getitem__, max_nodes))
        warnings.warn(
            f"draw: the graph has {len(trace)} nodes, more than max_nodes={max_nodes}; drawing "
            f"the {max_nodes} nearest the output. Pass max_nodes=None to draw all of them, or "
            "collapse='modules' for a network.",
            stacklevel=3,
        )
    scene = Scene(trace, kept, set(kept), grads, show, highlight, rankdir)
    (styles.cs231n if style == "cs231n" else styles.record)(g, scene)
    if len(kept) < len(trace):
        note_hidden(g, len(trace) - len(kept), max_nodes, _cut(trace, scene.drawn, kept))
    return g


def new_digraph(rankdir: str, style: str, title: str | None) -> Any:
    """An empty drawing with the house look: Helvetica, white background, tight ranks."""
    g = drawing_class()(
        graph_attr={
            "rankdir": rankdir,
            "bgcolor": "white",
            "fontname": FONT,
            "nodesep": "0.25",
            "ranksep": "0.25" if style == "cs231n" else "0.4",
        },
        node_attr={"fontname": FONT, "fontsize": "14"},
        edge_attr={"fontname": FONT, "fontsize": "12", "arrowsize": "0.7"},
    )
    if title:
        g.attr(label=plain(title), labelloc="t", fontsize="16")
    return g


def _cut(trace: Trace, drawn: set[int], kept: list[int]) -> list[str]:
    """Ids of the drawn nodes that have a parent left out."""
    return [f"n{j}" for j in kept if any(i not in drawn for i in trace.parents[j])]
