"""How big a drawing will be, estimated before Graphviz lays it out: text widths from Helvetica's
metrics, ranks by longest path. `draw` uses it to pick the orientation that fits a slide and to cut
a graph that would make a drawing far taller than any screen.
"""

from __future__ import annotations

from collections.abc import Iterable

from viz.labels import GREY, literal

# Helvetica advance widths in 1/1000 em (Adobe's AFM), for the characters drawings print
_NARROW = dict.fromkeys("iljI.,:;'!|[] ", 278)
_WIDTHS = {
    **dict.fromkeys("0123456789abcdeghnopqu$_#?", 556),
    **dict.fromkeys("fkrstvxyzJ", 500),
    **dict.fromkeys("ABEKPSVXY", 667),
    **dict.fromkeys("CDHNRUw", 722),
    **dict.fromkeys("GOQ", 778),
    **dict.fromkeys("FTZL", 611),
    **dict.fromkeys("mM", 833),
    "W": 944,
    **dict.fromkeys("()-", 333),
    **dict.fromkeys("+=<>×÷~", 584),
    **dict.fromkeys("*^", 389),
    "/": 278,
    "%": 889,
    "&": 667,
    **_NARROW,
}
_UNKNOWN_WIDTH = 720  # Greek letters, ∂, Σ, √ and anything else: a wide glyph, to be safe
PT_TO_PX = 96 / 72


def text_width(text: str, size: float) -> float:
    """Width in points of ``text`` set in Helvetica at ``size`` points.

    >>> round(text_width("local 4", 12), 1)
    36.7
    """
    return sum(_WIDTHS.get(ch, _UNKNOWN_WIDTH) for ch in text) * size / 1000


class Box:
    """A laid-out thing's size in points: ``w`` across, ``h`` down."""

    __slots__ = ("w", "h")

    def __init__(self, w: float, h: float) -> None:
        self.w, self.h = w, h

    @staticmethod
    def of_lines(lines: Iterable[tuple[str, float]], pad: float = 4.0) -> Box:
        """The box around lines of ``(text, size)`` stacked vertically, ``pad`` points around."""
        lines = list(lines)
        w = max((text_width(t, s) for t, s in lines), default=0.0)
        h = sum(1.2 * s for _, s in lines)
        return Box(w + 2 * pad, h + 2 * pad)


def extent(
    boxes: dict[str, Box], edges: Iterable[tuple[str, str]], across: bool, gap: float, sep: float
) -> tuple[float, float]:
    """``(width, height)`` in points of a layered drawing of ``boxes`` joined by ``edges``.

    Ranks are longest paths from the sources; along the rank direction the extent is the sum of
    each rank's deepest box plus ``gap`` between ranks, across it the largest rank's boxes side by
    side with ``sep`` between them. ``across`` is True for left-to-right drawings.

    >>> b = {"a": Box(10, 20), "b": Box(30, 5), "c": Box(10, 10)}
    >>> extent(b, [("a", "b"), ("b", "c")], True, 5, 2)
    (60, 20)
    >>> extent(b, [("a", "b"), ("a", "c")], True, 5, 2)
    (45, 20)
    """
    rank = _ranks(boxes, list(edges))
    along: dict[int, float] = {}
    side: dict[int, float] = {}
    for name, box in boxes.items():
        deep, wide = (box.w, box.h) if across else (box.h, box.w)
        r = rank[name]
        along[r] = max(along.get(r, 0.0), deep)
        side[r] = side.get(r, -sep) + wide + sep
    length = sum(along.values()) + gap * max(len(along) - 1, 0)
    breadth = max(side.values(), default=0.0)
    return (length, breadth) if across else (breadth, length)


class Sketch:
    """A drawing being built: the Graphviz statements, each node's estimated size, and which
    cluster (if any) a node belongs to. `emit` writes it into a `graphviz.Digraph`.

    It offers ``node`` and ``edge`` like a Digraph, so code that draws can target either.
    """

    __slots__ = ("nodes", "edges", "boxes", "groups")

    DEFAULT_BOX = Box(160.0, 70.0)  # a tensor box: a few short rows

    def __init__(self) -> None:
        self.nodes: list[tuple[str, str, dict[str, str]]] = []
        self.edges: list[tuple[str, str, dict[str, str]]] = []
        self.boxes: dict[str, Box] = {}
        self.groups: dict[str, str] = {}  # node name -> cluster key

    def node(self, name: str, label: str = "", box: Box | None = None, **attrs: str) -> None:
        """A node with its estimated size (a generic box when none is given)."""
        self.nodes.append((name, label, attrs))
        self.boxes[name] = box or self.DEFAULT_BOX

    def edge(self, tail: str, head: str, **attrs: str) -> None:
        """An edge; ``tail`` and ``head`` may name a port (``w3:p:e``)."""
        self.edges.append((tail, head, attrs))

    def links(self) -> list[tuple[str, str]]:
        """The edges as pairs of node names (ports dropped)."""
        return [(t.split(":")[0], h.split(":")[0]) for t, h, _ in self.edges]

    def extent(self, across: bool, gap: float, sep: float) -> tuple[float, float]:
        """The estimated ``(width, height)`` in points (see `extent`)."""
        return extent(self.boxes, self.links(), across, gap, sep)

    def span(self) -> int:
        """How many ranks the edges cross in all: Graphviz adds a node for every rank an edge
        crosses, so this bounds the work of its layout."""
        order = _ranks(self.boxes, self.links())
        return sum(abs(order[h] - order[t]) for t, h in self.links() if t in order and h in order)

    def emit(self, g: object, titles: dict[str, str]) -> None:
        """Write the statements into ``g``: clustered nodes in subgraphs titled ``titles[key]``."""
        clustered: dict[str, list[tuple[str, str, dict[str, str]]]] = {}
        for stmt in self.nodes:
            key = self.groups.get(stmt[0])
            if key is None:
                g.node(stmt[0], stmt[1], **stmt[2])  # type: ignore[attr-defined]
            else:
                clustered.setdefault(key, []).append(stmt)
        for key, stmts in clustered.items():
            with g.subgraph(name=f"cluster_{key}") as c:  # type: ignore[attr-defined]
                c.attr(
                    style="rounded,dashed",
                    color="#9e9e9e",
                    label=literal(titles[key]) if key in titles else "",
                    fontcolor=GREY,
                    fontsize="14",
                    margin="6",
                )
                for name, label, attrs in stmts:
                    c.node(name, label, **attrs)
        for tail, head, attrs in self.edges:
            g.edge(tail, head, **attrs)  # type: ignore[attr-defined]


def _ranks(boxes: dict[str, Box], edges: list[tuple[str, str]]) -> dict[str, int]:
    """Longest-path rank of every node (sources at 0)."""
    succ: dict[str, list[str]] = {name: [] for name in boxes}
    indegree = dict.fromkeys(boxes, 0)
    for a, b in edges:
        if a in succ and b in succ:
            succ[a].append(b)
            indegree[b] += 1
    rank = dict.fromkeys(boxes, 0)
    ready = [name for name, d in indegree.items() if d == 0]
    while ready:
        name = ready.pop()
        for b in succ[name]:
            rank[b] = max(rank[b], rank[name] + 1)
            indegree[b] -= 1
            if indegree[b] == 0:
                ready.append(b)
    return rank
