"""The two drawing styles: ``cs231n`` (gates as circles, values and gradients on the wires) and
``record`` (boxes ``label | data | grad`` fed by op nodes).
"""

from __future__ import annotations

from typing import Any

from viz.labels import BLUE, GREEN, GREY, HIGHLIGHT, RED, esc, factor, fmt, font, op_symbol, plain
from viz.scene import Scene, contribution
from viz.tensors import tensor_box
from viz.trace import UNKNOWN, is_tensor, local_grads

MAX_TERMS = 4  # a fan-out sum longer than this is shortened to its first terms


def fanout_sum(scene: Scene, i: int) -> str | None:
    """``4 + 4 = 8`` for a node read more than once: each contribution and their sum."""
    uses = scene.trace.consumers[i]
    if len(uses) < 2:
        return None
    terms = [contribution(scene, j, k) for j, k in uses]
    if any(t is None for t in terms):
        return None
    total = UNKNOWN if any(t is UNKNOWN for t in terms) else sum(terms)
    shown = [factor(t) for t in terms[:MAX_TERMS]]
    if len(terms) > MAX_TERMS:
        shown[-1:] = [f"... ({len(terms)} terms)"]
    return " + ".join(shown) + " = " + fmt(total)


def _lit(scene: Scene, i: int) -> dict[str, str]:
    """Attributes that mark the current node of a backward step."""
    if scene.highlight != i:
        return {}
    return {"style": "filled", "fillcolor": HIGHLIGHT, "penwidth": "2.5"}


def _grad_text(scene: Scene, i: int) -> str | None:
    """A scalar node's gradient as shown in its box, or None if it has none to show."""
    grad = scene.grads[i]
    if grad is None:
        return None
    return fmt(grad)


# ---- cs231n ---------------------------------------------------------------------------------


def _wire(top: str, bottom: str, across: bool) -> str:
    """An HTML label drawing a wire: ``top`` above a horizontal line, ``bottom`` below it.

    Edges attach to the line's ends (port ``p``), so the wire reads like the slides' picture.
    With ``across`` false (top-to-bottom layouts) the line is vertical, ``top`` on its left.
    """
    table = '<<table border="0" cellborder="0" cellspacing="0" cellpadding="2">'
    if not across:
        line = '<td port="p" width="1" cellpadding="0" bgcolor="black"></td>'
        cells = (f"<td>{top}</td>" if top else "") + line + (f"<td>{bottom}</td>" if bottom else "")
        return f"{table}<tr>{cells}</tr></table>>"
    rows = [f"<tr><td>{top}</td></tr>"] if top else []
    rows.append('<tr><td port="p" height="1" cellpadding="0" bgcolor="black"></td></tr>')
    if bottom:
        rows.append(f"<tr><td>{bottom}</td></tr>")
    return table + "".join(rows) + "</table>>"


def _wire_node(
    g: Any, scene: Scene, name: str, source: str, target: str, text: tuple[str, str]
) -> None:
    """Node ``source`` to node ``target`` through a wire labelled ``text`` (above, below)."""
    across = scene.rankdir in ("LR", "RL")
    start, end = {"LR": ("w", "e"), "RL": ("e", "w"), "TB": ("n", "s"), "BT": ("s", "n")}[
        scene.rankdir
    ]
    g.node(name, _wire(text[0], text[1], across), shape="plaintext", margin="0")
    g.edge(source, f"{name}:p:{start}", arrowhead="none")
    g.edge(f"{name}:p:{end}", target)


def _wire_text(scene: Scene, i: int, j: int, k: int) -> tuple[str, str]:
    """Above and below the wire from node ``i`` into argument ``k`` of node ``j``."""
    parent = scene.trace.nodes[i]
    if scene.show == "backward":
        rule = local_grads(scene.trace.nodes[j])
        if rule is None:
            grad = scene.grads[i]
            return "", "" if grad is None else font(fmt(grad), RED)
        upstream, local = scene.grads[j], rule[k]
        chain = f"{factor(upstream)} × {factor(local)} = {fmt(contribution(scene, j, k))}"
        return font(f"local {fmt(local)}", BLUE), font(chain, RED)
    top = font(fmt(parent.data), GREEN)
    if scene.show == "forward":
        return top, ""
    sent = contribution(scene, j, k)
    if sent is None:
        sent = scene.grads[i]
    return top, "" if sent is None else font(fmt(sent), RED)


def cs231n(g: Any, scene: Scene) -> None:
    """Gates as circles, inputs as their names, each wire's value above it and gradient below."""
    trace = scene.trace
    for i in scene.kept:
        node = trace.nodes[i]
        if is_tensor(node):
            tensor_box(g, scene, i)
            continue
        extra = fanout_sum(scene, i) if scene.gradients else None
        if not trace.parents[i]:
            name = node.label or fmt(node.data)
            label = f"<{esc(name)}<br/>{font(extra, RED, 13)}>" if extra else plain(name)
            g.node(f"n{i}", label, shape="plaintext", fontsize="18", **_lit(scene, i))
            continue
        named = node.label and not (i == trace.root and root_sink(node))
        notes = [font(node.label, GREY)] if named else []
        if extra:
            notes.append(font(extra, RED, 13))
        attrs = {"xlabel": "<" + "<br/>".join(notes) + ">"} if notes else {}
        symbol = op_symbol(node.op)
        size = "16" if len(symbol) <= 2 else "11"
        g.node(f"n{i}", plain(symbol), shape="circle", fontsize=size, **attrs, **_lit(scene, i))
    inputs = [f"n{i}" for i in scene.kept if not trace.parents[i] and trace.nodes[i].label]
    if len(inputs) > 1:
        with g.subgraph() as column:  # named inputs line up on the left, as on the slides
            column.attr(rank="min")
            for above, below in zip(inputs, inputs[1:], strict=False):
                column.edge(above, below, style="invis")  # keeps them in creation order
    for j in scene.kept:
        for k, i in enumerate(trace.parents[j]):
            if i not in scene.drawn:
                continue
            if is_tensor(trace.nodes[i]) or is_tensor(trace.nodes[j]):
                g.edge(f"n{i}", f"n{j}")
                continue
            _wire_node(g, scene, f"w{j}_{k}", f"n{i}", f"n{j}", _wire_text(scene, i, j, k))
    _output(g, scene)


def root_sink(root: Any) -> bool:
    """Whether the output wire ends at the root's name (a named op; a leaf shows its own)."""
    return bool(root.label and root.parents)


def _output(g: Any, scene: Scene) -> None:
    """The wire leaving the root: its value (or the seed) above, d root/d root below."""
    r = scene.trace.root
    root = scene.trace.nodes[r]
    if is_tensor(root):
        return
    grad = scene.grads[r]
    top = font(fmt(root.data), GREEN) if scene.values else font("seed", BLUE)
    bottom = font(fmt(grad), RED) if scene.gradients and grad is not None else ""
    if root_sink(root):
        g.node("out", plain(root.label), shape="plaintext", fontsize="18")
    else:
        g.node("out", "", shape="none", width="0", height="0")
    _wire_node(g, scene, "wout", f"n{r}", "out", (top, bottom))


# ---- record ---------------------------------------------------------------------------------


def record(g: Any, scene: Scene) -> None:
    """Boxes ``label | data | grad``; each computed box is fed by a small node naming its op."""
    trace = scene.trace
    for i in scene.kept:
        node = trace.nodes[i]
        if is_tensor(node):
            tensor_box(g, scene, i)
            continue
        cells = [f"<td><b>{esc(node.label)}</b></td>"] if node.label else []
        if scene.values:
            cells.append(f"<td>{font('data ' + fmt(node.data), GREEN)}</td>")
        grad = _grad_text(scene, i)
        if scene.gradients and grad is not None:
            total = fanout_sum(scene, i) if scene.show == "backward" else None
            cells.append(f"<td>{font('grad ' + (total or grad), RED)}</td>")
        bg = f' bgcolor="{HIGHLIGHT}"' if scene.highlight == i else ""
        table = (
            f'<<table border="0" cellborder="1" cellspacing="0" cellpadding="5"{bg}>'
            f"<tr>{''.join(cells)}</tr></table>>"
        )
        g.node(f"n{i}", table, shape="plaintext", margin="0")
        if trace.parents[i]:
            symbol = op_symbol(node.op)
            size = "14" if len(symbol) <= 2 else "10"
            g.node(f"n{i}op", plain(symbol), shape="circle", fontsize=size, **_lit(scene, i))
            g.edge(f"n{i}op", f"n{i}")
    for j in scene.kept:
        target = f"n{j}" if is_tensor(trace.nodes[j]) else f"n{j}op"
        for k, i in enumerate(trace.parents[j]):
            if i in scene.drawn:
                g.edge(f"n{i}", target, **_record_edge(scene, i, j, k))


def _record_edge(scene: Scene, i: int, j: int, k: int) -> dict[str, str]:
    """In ``backward`` mode, the chain rule for this argument as the edge's label."""
    if scene.show != "backward" or is_tensor(scene.trace.nodes[j]):
        return {}
    rule = local_grads(scene.trace.nodes[j])
    if rule is None:
        return {}
    upstream, local = scene.grads[j], rule[k]
    chain = f"{factor(upstream)} × {factor(local)} = {fmt(contribution(scene, j, k))}"
    return {"label": f"<{font(f'local {fmt(local)}', BLUE)}<br/>{font(chain, RED)}>"}
