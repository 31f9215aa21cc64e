"""Tensor nodes in a drawing: a box with the op (or the name), shape and dtype, and summaries.

Boxes are built as rows of text, so their size is known before Graphviz lays them out.
"""

from __future__ import annotations

from typing import Any

from viz.labels import (
    GREEN,
    GREY,
    HIGHLIGHT,
    PARAM_FILL,
    RED,
    esc,
    fmt,
    font,
    shape_text,
    summary_lines,
)
from viz.language import text as word
from viz.scene import Scene
from viz.sizing import Box, Sketch, text_width
from viz.trace import UNKNOWN

TEXT_SIZE = 14  # every text: the slide example's size, readable when projected
LINE = 1.2 * TEXT_SIZE  # height of a line of text, in points
CELL_PAD = 3  # cellpadding of the tables below, in points


class Row:
    """One line of a box: its HTML, and the pieces of plain text (each bold or not) that set its
    width."""

    __slots__ = ("html", "parts")

    def __init__(self, html: str, *parts: tuple[str, bool]) -> None:
        self.html, self.parts = html, parts

    @classmethod
    def text(cls, text: str, color: str | None = None, bold: bool = False) -> Row:
        """A row of one piece of ``text`` (escaped), in ``color``, ``bold``."""
        html = esc(text) if color is None else font(text, color)
        return cls(f"<b>{html}</b>" if bold else html, (text, bold))

    def then(self, other: Row) -> Row:
        """This row and ``other`` on one line, a space apart."""
        return Row(f"{self.html} {other.html}", *self.parts, (" ", False), *other.parts)

    def width(self) -> float:
        """Estimated width in points (bold Helvetica is about 8 % wider)."""
        return sum(text_width(t, TEXT_SIZE) * (1.08 if bold else 1.0) for t, bold in self.parts)


def table(rows: list[Row], fill: str, rounded: bool = True) -> tuple[str, Box]:
    """The HTML label of a one-column box of ``rows`` and its estimated size."""
    style = ' style="rounded"' if rounded else ""
    # a no-break space either side keeps text off the border when the renderer's font runs wider
    # than the metrics Graphviz measured it with
    cells = "".join(f"<tr><td>&#160;{r.html}&#160;</td></tr>" for r in rows)
    html = (
        f'<<table border="1" cellborder="0" cellspacing="0" cellpadding="{CELL_PAD}" '
        f'bgcolor="{fill}"{style}>{cells}</table>>'
    )
    width = max(r.width() for r in rows) + 2 * text_width(" ", TEXT_SIZE) + 2 * CELL_PAD + 2
    box = Box(width, len(rows) * (LINE + 2 * CELL_PAD) + 2)
    return html, box


def put(g: Any, name: str, label: str, box: Box, **attrs: str) -> None:
    """Add node ``name`` to ``g``; a `Sketch` also records its estimated size."""
    if isinstance(g, Sketch):
        g.node(name, label, box, **attrs)
    else:
        g.node(name, label, **attrs)


def value_rows(
    scene: Scene, i: int, prefix: str = "", dtype: bool = True, split: bool = True
) -> list[Row]:
    """Shape (and dtype), then a value summary and a gradient summary as the mode asks; with
    ``split`` an array's mean and its range take a line each, keeping the box narrow."""
    node = scene.trace.nodes[i]
    digits = scene.digits
    shape = shape_text(node.data) if dtype else str(tuple(node.data.shape))
    rows = [Row.text(prefix + shape, GREY)]
    if scene.values:
        rows.extend(
            Row.text(line, GREEN) for line in _lines(summary_lines(node.data, digits), split)
        )
    grad = scene.grads[i]
    if scene.gradients and grad is not None:
        if grad is UNKNOWN:
            parts = ["?"]
        else:
            parts = summary_lines(grad, digits) if is_tensor_value(grad) else [fmt(grad, digits)]
        parts[0] = word("grad", value=parts[0])
        rows.extend(Row.text(line, RED) for line in _lines(parts, split))
    return rows


def _lines(parts: list[str], split: bool) -> list[str]:
    """``mean 0.5, min 0, max 1`` as one line, or split as ``mean 0.5`` and ``min 0, max 1``."""
    return parts if split else [", ".join(parts)]


def is_tensor_value(x: Any) -> bool:
    """True for arrays (anything with a ``shape`` that is not a plain number)."""
    return hasattr(x, "shape") and not isinstance(x, (int, float))


def tensor_box(g: Any, scene: Scene, i: int) -> None:
    """A tensor node: its op (or name), shape and dtype, and summaries of data and grad."""
    node = scene.trace.nodes[i]
    leaf = not scene.trace.parents[i]
    if leaf:
        title = Row.text(node.label or word("tensor"), bold=True)
    else:
        title = Row.text(node.op, bold=True)
        if node.label:
            title = title.then(Row.text(node.label, GREY))
        scope = getattr(node, "scope", "")
        if scope:
            title = title.then(Row.text(f"[{scope}]", GREY))
    fill = HIGHLIGHT if scene.highlight == i else PARAM_FILL if leaf else "white"
    # the parameters sit beside the ops in a top-to-bottom flow: split summaries keep them narrow
    rows = value_rows(scene, i, split=leaf and not scene.across)
    html, box = table([title, *rows], fill, rounded=not leaf)
    # one group for all ops: Graphviz keeps the edges between them straight, so the data's path
    # runs down one line and each parameter sits beside the op that reads it
    spine = {} if leaf else {"group": "ops"}
    put(g, f"n{i}", html, box, shape="plaintext", margin="0", **spine)
