"""What one drawing shows (`Scene`), what a consumer sends back along an edge, and the note for
nodes left out; shared by the scalar styles and the tensor and module drawings.
"""

from __future__ import annotations

from typing import Any

from viz import language
from viz.labels import DIGITS
from viz.trace import UNKNOWN, Trace, local_grads


class Scene:
    """What one drawing shows: which nodes, which gradients, which mode, which node is current.

    ``kept`` lists the positions drawn in topological order (``drawn`` is the same as a set);
    ``grads`` holds per node a number, an array, None (not kept) or UNKNOWN (not reached yet).
    """

    __slots__ = ("trace", "kept", "drawn", "grads", "show", "highlight", "rankdir", "digits")

    def __init__(
        self,
        trace: Trace,
        kept: list[int],
        drawn: set[int],
        grads: list[Any],
        show: str,
        highlight: int | None = None,
        rankdir: str = "LR",
        digits: int = DIGITS,
    ) -> None:
        self.trace, self.kept, self.drawn, self.grads = trace, kept, drawn, grads
        self.show, self.highlight, self.rankdir, self.digits = show, highlight, rankdir, digits

    @property
    def values(self) -> bool:
        """Whether forward values are shown (``"both"`` and ``"forward"``)."""
        return self.show in ("both", "forward")

    @property
    def gradients(self) -> bool:
        """Whether gradients are shown (``"both"`` and ``"backward"``)."""
        return self.show in ("both", "backward")

    @property
    def across(self) -> bool:
        """Whether the drawing runs left to right (or right to left)."""
        return self.rankdir in ("LR", "RL")


def contribution(scene: Scene, j: int, k: int) -> Any:
    """What consumer ``j`` sends back through its argument ``k``: upstream × local, when known."""
    upstream = scene.grads[j]
    if upstream is UNKNOWN:
        return UNKNOWN
    rule = local_grads(scene.trace.nodes[j])
    if rule is None or upstream is None:
        return None
    return upstream * rule[k]


def note_hidden(
    g: Any, hidden: int, max_nodes: int | None, targets: list[str], too_big: bool = False
) -> None:
    """A dashed note ``N more nodes not drawn (max_nodes=M)`` linked to where they attach, in the
    drawing's language; ``too_big``: the cut was made because the drawing would be too big."""
    if too_big:
        text = language.text("hidden_nodes_why", n=hidden, why=language.text("too_big"))
    else:
        text = language.text("hidden_nodes", n=hidden, limit=max_nodes)
    g.node("hidden", text, shape="box", style="dashed,rounded")
    for target in targets:
        g.edge("hidden", target, style="dashed", arrowhead="none")
