"""Tensor nodes in a drawing: a box with the op (or the name), shape and dtype, and summaries."""

from __future__ import annotations

from typing import Any

from viz.labels import GREEN, GREY, HIGHLIGHT, PARAM_FILL, RED, esc, fmt, font, shape_text, summary
from viz.scene import Scene
from viz.trace import UNKNOWN


def tensor_rows(scene: Scene, i: int) -> list[str]:
    """Shape and dtype, then a value summary and a gradient summary as the mode asks."""
    node = scene.trace.nodes[i]
    rows = [font(shape_text(node.data), GREY)]
    if scene.values:
        rows.append(font(summary(node.data), GREEN))
    grad = scene.grads[i]
    if scene.gradients and grad is not None:
        text = "?" if grad is UNKNOWN else summary(grad) if is_tensor_value(grad) else fmt(grad)
        rows.append(font("grad " + text, RED))
    return rows


def is_tensor_value(x: Any) -> bool:
    """True for arrays (anything with a ``shape`` that is not a plain number)."""
    return hasattr(x, "shape") and not isinstance(x, (int, float))


def tensor_box(g: Any, scene: Scene, i: int) -> None:
    """A tensor node: its op (or name), shape and dtype, and summaries of data and grad."""
    node = scene.trace.nodes[i]
    leaf = not scene.trace.parents[i]
    if leaf:
        title = f"<b>{esc(node.label or 'tensor')}</b>"
    else:
        title = f"<b>{esc(node.op)}</b>" + (f" {font(node.label, GREY)}" if node.label else "")
        scope = getattr(node, "scope", "")
        if scope:
            title += " " + font(f"[{scope}]", GREY, 11)
    rows = [title, *tensor_rows(scene, i)]
    fill = HIGHLIGHT if scene.highlight == i else PARAM_FILL if leaf else "white"
    style = "" if leaf else ' style="rounded"'
    table = (
        f'<<table border="1" cellborder="0" cellspacing="0" cellpadding="3" bgcolor="{fill}"'
        f"{style}>" + "".join(f"<tr><td>{row}</td></tr>" for row in rows) + "</table>>"
    )
    g.node(f"n{i}", table, shape="plaintext", margin="0")
