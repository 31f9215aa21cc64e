"""The two drawing styles for scalar graphs, as functions in `STYLES`: ``cs231n`` (gates as circles,
each wire's value above it and gradient below) and ``record`` (boxes ``label | data | grad`` fed by
op nodes).

Every piece of text is inside a node that Graphviz places (a wire is a small node whose label is
the text above and below a line), so no two labels can overlap and none sits on an arrowhead. A
node read by several gates sends one wire to a junction, and the junction one wire to each gate:
the gradients arriving on the branches are summed on that one wire, as on the slides.
"""

from __future__ import annotations

from collections.abc import Callable

from viz.labels import (
    BLUE,
    GREEN,
    GREY,
    HIGHLIGHT,
    RED,
    esc,
    fmt,
    font,
    literal,
    op_symbol,
    product,
    total,
)
from viz.language import text as word
from viz.scene import Scene, contribution
from viz.sizing import Box, Sketch, text_width
from viz.tensors import tensor_box
from viz.trace import UNKNOWN, is_tensor, local_grads

WIRE_SIZE = 14  # values, gradients and derivatives on the wires (the node font size)
NAME_SIZE = 16  # names of inputs and outputs, and gate symbols
MIN_WIRE = 40  # points: the shortest wire, so that even "1" sits on a visible line
FOLDABLE = ("+", "*", "-", "/")  # a constant operand of these is written into the gate: ×0.5, +1
Row = tuple[str, str]  # (text, colour)


# ---- what the graph shows ---------------------------------------------------------------------


def folded_constants(scene: Scene) -> dict[int, tuple[int, int]]:
    """Gate ``j`` → ``(slot, constant)`` for a binary gate with an unnamed constant operand that
    nothing else reads; the constant is written into the gate and not drawn on its own."""
    trace = scene.trace
    folded: dict[int, tuple[int, int]] = {}
    for j in scene.kept:
        node = trace.nodes[j]
        slots = trace.parents[j]
        if node.op not in FOLDABLE or len(slots) != 2 or is_tensor(node):
            continue
        for k, i in enumerate(slots):
            leaf = trace.nodes[i]
            if (
                not trace.parents[i]
                and not leaf.label
                and len(trace.consumers[i]) == 1
                and slots[1 - k] != i
            ):
                folded[j] = (k, i)
                break
    return folded


def gate_symbol(scene: Scene, j: int, folded: dict[int, tuple[int, int]]) -> str:
    """The text inside gate ``j``: ``×``, ``σ``, or with its constant folded in: ``×0.5``, ``+1``,
    ``1/x``, ``÷2``, ``-3`` (subtract 3) or ``5-`` (subtract from 5)."""
    node = scene.trace.nodes[j]
    if j not in folded:
        return op_symbol(node.op)
    k, i = folded[j]
    c = scene.trace.nodes[i].data
    text = fmt(c, scene.digits)
    wrapped = f"({text})" if text.startswith("-") else text
    if node.op == "+":
        return f"+{wrapped}"
    if node.op == "*":
        return f"×{wrapped}"
    if node.op == "-":
        return f"-{wrapped}" if k == 1 else f"{wrapped}-"
    return f"{text}/x" if k == 0 else f"÷{wrapped}"


def name_of(scene: Scene, i: int) -> str:
    """What a leaf is called in the drawing: its label, else its value."""
    node = scene.trace.nodes[i]
    return node.label or fmt(node.data, scene.digits)


def known(scene: Scene, i: int) -> bool:
    """Whether node ``i``'s gradient is shown (computed, and the mode shows gradients)."""
    return scene.gradients and scene.grads[i] is not UNKNOWN and scene.grads[i] is not None


def sent_text(scene: Scene, i: int, j: int, k: int) -> Row | None:
    """Below the wire from ``i`` into slot ``k`` of ``j``: the gradient it carries back, ``?`` until
    ``i``'s gradient is known; in ``backward`` mode the product ``upstream × local = sent``."""
    if not scene.gradients:
        return None
    if scene.grads[i] is None:
        return None
    rule = local_grads(scene.trace.nodes[j])
    if not known(scene, i):
        return ("?", RED)
    if rule is None:  # a tensor consumer: its contribution is not a number
        return (fmt(scene.grads[i], scene.digits), RED)
    if scene.show == "backward":
        return (product(scene.grads[j], rule[k], scene.digits), RED)
    return (fmt(contribution(scene, j, k), scene.digits), RED)


def local_text(scene: Scene, j: int, k: int) -> Row | None:
    """``local 3``: ∂j/∂(slot k), known after the forward pass (``backward`` mode only); the word
    in the drawing's language."""
    rule = local_grads(scene.trace.nodes[j])
    if scene.show != "backward" or rule is None:
        return None
    return (word("local", value=fmt(rule[k], scene.digits)), BLUE)


def sum_text(scene: Scene, i: int, uses: list[tuple[int, int]]) -> Row | None:
    """Below the wire that leaves a node read several times: its gradient, or in ``backward`` mode
    each contribution and their sum."""
    if not scene.gradients or scene.grads[i] is None:
        return None
    if not known(scene, i):
        return ("?", RED)
    if scene.show == "backward":
        terms = [contribution(scene, j, k) for j, k in uses]
        if all(isinstance(t, float) for t in terms):
            return (total(terms, scene.digits), RED)
    return (fmt(scene.grads[i], scene.digits), RED)


def value_rows(scene: Scene, i: int, named: bool) -> list[Row]:
    """Above the wire that leaves node ``i``: its name (when it is a named gate) and value."""
    node = scene.trace.nodes[i]
    rows = [(node.label, GREY)] if named and node.label else []
    if scene.values:
        rows.append((fmt(node.data, scene.digits), GREEN))
    return rows


def uses_of(scene: Scene, i: int, folded: dict[int, tuple[int, int]]) -> list[tuple[int, int]]:
    """The drawn ``(consumer, slot)`` pairs that read node ``i``."""
    return [
        (j, k)
        for j, k in scene.trace.consumers[i]
        if j in scene.drawn and folded.get(j, (None, None))[1] != i
    ]


# ---- wires ------------------------------------------------------------------------------------


def wire_label(top: list[Row], bottom: list[Row], across: bool) -> tuple[str, Box]:
    """An HTML label drawing a wire: ``top`` rows above a line, ``bottom`` rows below it (or, in
    top-to-bottom drawings, to the left and right of a vertical line); edges attach to the line's
    ends (port ``p``)."""
    span = "width" if across else "height"
    table = (
        f'<<table border="0" cellborder="0" cellspacing="0" cellpadding="1" {span}="{MIN_WIRE}">'
    )

    def cell(rows: list[Row]) -> str:
        return "<br/>".join(font(text, colour) for text, colour in rows)

    lines = [(text, WIRE_SIZE) for text, _ in top + bottom]
    box = Box.of_lines(lines, pad=2)
    if not across:
        line = '<td port="p" width="1" cellpadding="0" bgcolor="black"></td>'
        cells = (f'<td cellpadding="3">{cell(top)}</td>' if top else "") + line
        cells += f'<td cellpadding="3">{cell(bottom)}</td>' if bottom else ""
        side = Box.of_lines([(t, WIRE_SIZE) for t, _ in top], pad=4)
        other = Box.of_lines([(t, WIRE_SIZE) for t, _ in bottom], pad=4)
        box = Box(side.w + other.w + 4, max(side.h, other.h, MIN_WIRE))
        return f"{table}<tr>{cells}</tr></table>>", box
    rows = [f"<tr><td>{cell(top)}</td></tr>"] if top else []
    rows.append('<tr><td port="p" height="1" cellpadding="0" bgcolor="black"></td></tr>')
    if bottom:
        rows.append(f"<tr><td>{cell(bottom)}</td></tr>")
    return table + "".join(rows) + "</table>>", Box(max(box.w, MIN_WIRE), box.h)


def wire(
    sk: Sketch,
    scene: Scene,
    name: str,
    source: str,
    target: str,
    top: list[Row],
    bottom: list[Row],
    arrow: bool = True,
) -> None:
    """Node ``source`` to node ``target`` through a wire labelled ``top`` and ``bottom``; with no
    text at all, a plain edge."""
    head = {} if arrow else {"arrowhead": "none"}
    if not top and not bottom:
        sk.edge(source, target, **head)
        return
    start, end = {"LR": ("w", "e"), "RL": ("e", "w"), "TB": ("n", "s"), "BT": ("s", "n")}[
        scene.rankdir
    ]
    label, box = wire_label(top, bottom, scene.across)
    sk.node(name, label, box, shape="plaintext", margin="0")
    sk.edge(source, f"{name}:p:{start}", arrowhead="none")
    sk.edge(f"{name}:p:{end}", target, **head)


def wires_from(
    sk: Sketch,
    scene: Scene,
    i: int,
    folded: dict[int, tuple[int, int]],
    target: Callable[[int], str],
    named: bool,
) -> None:
    """The wires leaving node ``i``: one wire per reader, or a trunk to a junction and a branch per
    reader when several read it. ``target(j)`` is the Graphviz node a wire into ``j`` ends at."""
    uses = uses_of(scene, i, folded)
    if not uses:
        return
    if is_tensor(scene.trace.nodes[i]) or any(is_tensor(scene.trace.nodes[j]) for j, _ in uses):
        for j, _ in uses:
            sk.edge(f"n{i}", target(j))
        return
    values = value_rows(scene, i, named)
    if len(uses) == 1:
        ((j, k),) = uses
        below = [r for r in (sent_text(scene, i, j, k),) if r]
        above = [*values, *[r for r in (local_text(scene, j, k),) if r]]
        wire(sk, scene, f"w{j}_{k}", f"n{i}", target(j), above, below)
        return
    junction = f"j{i}"
    sk.node(junction, "", Box(4, 4), shape="point", width="0.06", height="0.06")
    below = [r for r in (sum_text(scene, i, uses),) if r]
    wire(sk, scene, f"t{i}", f"n{i}", junction, values, below, arrow=False)
    for j, k in uses:
        above = [r for r in (local_text(scene, j, k),) if r]
        below = [r for r in (sent_text(scene, i, j, k),) if r]
        wire(sk, scene, f"w{j}_{k}", junction, target(j), above, below)


def output(sk: Sketch, scene: Scene, source: str) -> None:
    """The wire leaving the root: its value above (``backward`` mode: the seed), d root/d root
    below; it ends at the root's name when the root is a named gate."""
    r = scene.trace.root
    root = scene.trace.nodes[r]
    if is_tensor(root):
        return
    top = [(fmt(root.data, scene.digits), GREEN)] if scene.values else [(word("seed"), BLUE)]
    bottom = []
    if scene.gradients and scene.grads[r] is not None:
        bottom = [("?" if scene.grads[r] is UNKNOWN else fmt(scene.grads[r], scene.digits), RED)]
    if root.label and scene.trace.parents[r]:
        sink = literal(root.label)
        box = Box(text_width(root.label, NAME_SIZE) + 16, 30)
        sk.node("out", sink, box, shape="plaintext", fontsize=str(NAME_SIZE))
    else:
        sk.node("out", "", Box(1, 1), shape="none", width="0", height="0")
    wire(sk, scene, "wout", source, "out", top, bottom)


def lit(scene: Scene, i: int) -> dict[str, str]:
    """Attributes that mark the current node of a backward step."""
    if scene.highlight != i:
        return {}
    return {"style": "filled", "fillcolor": HIGHLIGHT, "penwidth": "2.5"}


def gate(sk: Sketch, scene: Scene, name: str, i: int, folded: dict[int, tuple[int, int]]) -> None:
    """Gate ``i`` as a circle holding its symbol, one font size for all."""
    symbol = gate_symbol(scene, i, folded)
    d = max(36.0, text_width(symbol, NAME_SIZE) + 14)
    sk.node(
        name,
        literal(symbol),
        Box(d, d),
        shape="circle",
        fontsize=str(NAME_SIZE),
        width=f"{d / 72:.2f}",
        fixedsize="true",
        **lit(scene, i),
    )


# ---- the styles -------------------------------------------------------------------------------


def scalar_nodes(sk: Sketch, scene: Scene, folded: dict[int, tuple[int, int]]) -> list[int]:
    """The drawn nodes a style draws itself, in order: tensor nodes are drawn here as boxes, and
    constants folded into their gates are left out."""
    hidden = {i for _, i in folded.values()}
    own = []
    for i in scene.kept:
        if i in hidden:
            continue
        if is_tensor(scene.trace.nodes[i]):
            tensor_box(sk, scene, i)
        else:
            own.append(i)
    return own


def cs231n(sk: Sketch, scene: Scene) -> None:
    """Gates as circles, inputs as their names, each wire's value above it and gradient below."""
    trace = scene.trace
    folded = folded_constants(scene)
    for i in scalar_nodes(sk, scene, folded):
        if trace.parents[i]:
            gate(sk, scene, f"n{i}", i, folded)
            continue
        name = name_of(scene, i)
        box = Box(text_width(name, NAME_SIZE) + 8, 28)
        attrs = {"shape": "plaintext", "fontsize": str(NAME_SIZE), "margin": "0.04"}
        sk.node(f"n{i}", literal(name), box, **attrs, **lit(scene, i))
    hidden = {i for _, i in folded.values()}
    for i in scene.kept:
        if i not in hidden:
            named = bool(trace.parents[i]) and i != trace.root
            wires_from(sk, scene, i, folded, lambda j: f"n{j}", named)
    output(sk, scene, f"n{trace.root}")


def record(sk: Sketch, scene: Scene) -> None:
    """Boxes ``label | data | grad``; each computed box is fed by a small node naming its op. In
    ``backward`` mode the wires into an op carry the chain rule, as in ``cs231n``."""
    trace = scene.trace
    folded = folded_constants(scene)
    for i in scalar_nodes(sk, scene, folded):
        node = trace.nodes[i]
        cells, lines = [], []
        if node.label:
            cells.append(f"<td><b>{esc(node.label)}</b></td>")
            lines.append(node.label)
        if scene.values:
            text = word("data", value=fmt(node.data, scene.digits))
            cells.append(f"<td>{font(text, GREEN)}</td>")
            lines.append(text)
        if scene.gradients and scene.grads[i] is not None:
            grad = "?" if not known(scene, i) else fmt(scene.grads[i], scene.digits)
            text = word("grad", value=grad)
            cells.append(f"<td>{font(text, RED)}</td>")
            lines.append(text)
        if not cells:
            cells, lines = [f"<td>{esc(name_of(scene, i))}</td>"], [name_of(scene, i)]
        bg = f' bgcolor="{HIGHLIGHT}"' if scene.highlight == i else ""
        table = (
            f'<<table border="0" cellborder="1" cellspacing="0" cellpadding="5"{bg}>'
            f"<tr>{''.join(cells)}</tr></table>>"
        )
        w = sum(text_width(t, 14) + 12 for t in lines)
        sk.node(f"n{i}", table, Box(w, 28), shape="plaintext", margin="0")
        if trace.parents[i]:
            gate(sk, scene, f"n{i}op", i, folded)
            sk.edge(f"n{i}op", f"n{i}")
    hidden = {i for _, i in folded.values()}
    for i in scene.kept:
        if i in hidden:
            continue
        if scene.show == "backward":
            wires_from(sk, scene, i, folded, lambda j: _op_of(scene, j), named=False)
            continue
        for j, _ in uses_of(scene, i, folded):
            sk.edge(f"n{i}", _op_of(scene, j))


def _op_of(scene: Scene, j: int) -> str:
    """Where an edge into node ``j`` ends in the record style: its op node (tensors: the box)."""
    return f"n{j}" if is_tensor(scene.trace.nodes[j]) else f"n{j}op"


STYLES: dict[str, Callable[[Sketch, Scene], None]] = {"cs231n": cs231n, "record": record}
