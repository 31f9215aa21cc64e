"""``collapse="modules"``: one box per `nn` module, grouping nodes by the ``scope`` they carry.

viz never imports `nn`: a node's ``scope`` (the dotted path of the module that made it) is all it
reads. A parameter is a leaf made outside any call, so it joins the module whose path prefixes its
dotted label (``"0.weight"`` joins ``"0"``). A box is titled by the layer its ops and parameter
shapes identify, as PyTorch would name it (``Conv2d 1→6, 5×5``, ``Linear 784→120``), with the
path as a subtitle; the ops a loss leaves after the last layer become one box named after it.
"""

from __future__ import annotations

import warnings
from collections import Counter
from typing import Any

from viz.labels import DIGITS, GREEN, GREY, RED, fmt
from viz.language import text as word
from viz.scene import Scene, note_hidden
from viz.sizing import PT_TO_PX, Box, Sketch, text_width
from viz.tensors import (
    LINE,
    TEXT_SIZE,
    Row,
    is_tensor_value,
    put,
    table,
    tensor_box,
    value_rows,
)
from viz.trace import Trace, is_tensor, nearest, stored_grads

MAX_ROWS = 6  # parameters listed in one module box before the rest is counted
MAX_WIDTH = 1920  # px at 96 dpi: the width of a full-HD slide
LOSS = "\0loss"  # the group key of a loss's ops (never a module path)
MODULE_FILL = "#f4f4f4"
LOSS_FILL = "#fdf0e6"
COLUMN_PAD = 4  # points around each column of a top-to-bottom box
RANK_GAP = NODE_GAP = 18.0  # points between ranks and between boxes, as `draw` lays them out

# a module made of one of these ops is the layer of that name
ONE_OP_LAYERS = {
    "relu": "ReLU",
    "leaky_relu": "LeakyReLU",
    "elu": "ELU",
    "sigmoid": "Sigmoid",
    "tanh": "Tanh",
    "softplus": "Softplus",
    "softmax": "Softmax",
    "log_softmax": "LogSoftmax",
    "flatten": "Flatten",
}
POOLS = {"max_pool2d": "MaxPool2d", "avg_pool2d": "AvgPool2d"}

# the ops each loss of nn.functional records, in topological order, before its mean or sum
LOSSES = {
    ("log_softmax", "getitem", "neg"): "CrossEntropyLoss",  # class-index targets
    ("log_softmax", "*", "sum", "neg"): "CrossEntropyLoss",  # probability targets
    ("-", "*"): "MSELoss",
    ("-", "abs"): "L1Loss",
    ("-", "*", "+"): "BCELoss",
    ("softplus", "*", "-"): "BCEWithLogitsLoss",
    ("*", "-", "relu"): "HingeLoss",
}


def group_keys(trace: Trace) -> list[str]:
    """Per node, the module it belongs to (``''`` for none).

    A leaf made outside any module joins one when its dotted label starts with the module's path
    (``"fc.weight"``, as `nn` names tensor parameters), or when it is a scalar read by a single
    node of that module (a scalar neuron's ``w1`` or ``b``). A scalar input read by every neuron
    of a layer stays outside.

    >>> class N:
    ...     def __init__(self, label="", parents=(), scope=""):
    ...         self.data, self.grad, self.op, self.label = 0.0, 0.0, "*" if parents else "", label
    ...         self.parents, self.scope = parents, scope
    >>> w, b, x = N("fc.weight"), N("b"), N("x")
    >>> h = N(parents=(w, x), scope="fc")
    >>> group_keys(Trace(N(parents=(h, b, x), scope="fc")))
    ['fc', '', 'fc', 'fc', 'fc']
    """
    keys = [getattr(node, "scope", "") or "" for node in trace.nodes]
    for i, node in enumerate(trace.nodes):
        if keys[i] or trace.parents[i] or not node.label:
            continue
        uses = trace.consumers[i]
        for j, _ in uses:
            if keys[j] and node.label.startswith(keys[j] + "."):
                keys[i] = keys[j]
                break
        else:
            readers = {j for j, _ in uses}
            if len(readers) == 1 and not is_tensor(node):
                keys[i] = keys[readers.pop()]
    return keys


def loss_tail(trace: Trace, keys: list[str]) -> list[int]:
    """The ops outside any module that end at the root, when they are one of `nn`'s losses.

    A loss module called on its own is a root module, so its nodes carry no scope: they are
    recognised by the ops they record (`LOSSES`). Returns their positions, or ``[]``.
    """
    tail: set[int] = set()
    for j in range(trace.root, -1, -1):
        if keys[j] or not trace.parents[j]:
            continue
        uses = trace.consumers[j]
        if j == trace.root or (uses and all(c in tail for c, _ in uses)):
            tail.add(j)
    nodes = sorted(tail)
    return nodes if len(nodes) > 1 and loss_name(trace, nodes) else []


def loss_name(trace: Trace, nodes: list[int]) -> str | None:
    """The loss whose ops ``nodes`` are (a scalar from a mean or sum of `LOSSES`), else None."""
    ops = tuple(trace.nodes[i].op for i in nodes if trace.parents[i])
    last = trace.nodes[nodes[-1]]
    if not ops or ops[-1] not in ("mean", "sum") or getattr(last.data, "ndim", 0) != 0:
        return None
    return LOSSES.get(ops[:-1])


def layer_title(trace: Trace, nodes: list[int]) -> str | None:
    """What PyTorch would call the layer that made ``nodes``, or None if no layer fits.

    Read from the ops and the parameter shapes alone: ``Conv2d 1→6, 5×5`` from a ``conv2d``
    with weight (6, 1, 5, 5); ``Linear 784→120`` from a ``linear`` with weight (120, 784);
    ``MaxPool2d`` (its window is not in the graph, and shapes alone cannot tell a 2×2 window
    from a 3×3 one with padding; the output shape shows what it did); ``Dropout p=0.5`` from a
    product that zeroes some inputs and scales the others by 1/(1 - p).
    """
    ops = [i for i in nodes if trace.parents[i]]
    if len(ops) > 1:
        return loss_name(trace, nodes)
    if not ops:
        return None
    node = trace.nodes[ops[0]]
    parents = [trace.nodes[p] for p in trace.parents[ops[0]]]
    if node.op in ONE_OP_LAYERS:
        return ONE_OP_LAYERS[node.op]
    if node.op in POOLS:
        return POOLS[node.op]
    # (x, weight, bias): a bias is the last parent, one number per output
    has_bias = len(parents) > 1 and getattr(parents[-1].data, "ndim", 0) == 1
    bias = "" if has_bias else ", " + word("no_bias")
    if node.op == "conv2d":
        weight = _weight(parents, 4)
        if weight is not None:
            out, cin, kh, kw = weight.shape
            return f"Conv2d {cin}→{out}, {kh}×{kw}{bias}"
    if node.op == "linear":
        weight = _weight(parents, 2)
        if weight is not None:
            out, cin = weight.shape
            return f"Linear {cin}→{out}{bias}"
    if node.op == "*" and len(parents) == 1:
        p = _dropout_p(parents[0].data, node.data)
        if p is not None:
            return f"Dropout p={fmt(p)}"
    return None


def _weight(parents: list[Any], ndim: int) -> Any:
    """The weight among an op's parents (x, weight, bias): the second, or the first if x was a
    constant; None if it does not have ``ndim`` dimensions."""
    for node in parents[1:2] + parents[:1]:
        if getattr(node.data, "ndim", 0) == ndim:
            return node.data
    return None


def _dropout_p(x: Any, y: Any) -> float | None:
    """p when ``y`` is ``x`` with some nonzero elements zeroed and the rest scaled by 1/(1 - p)."""
    if not is_tensor_value(x) or getattr(x, "shape", None) != getattr(y, "shape", None):
        return None
    kept = y != 0
    if not kept.any() or not ((~kept) & (x != 0)).any():
        return None
    ratio = y[kept] / x[kept]
    scale = float(ratio.mean())
    if scale <= 1.0 or float(ratio.max() - ratio.min()) > 1e-4 * scale:
        return None
    return 1.0 - 1.0 / scale


# ---- the drawing ----------------------------------------------------------------------------


def draw_modules(
    g: Any,
    trace: Trace,
    grads: list[Any],
    show: str,
    max_nodes: int | None,
    digits: int = DIGITS,
    rankdir: str | None = None,
) -> None:
    """Fill ``g`` with one box per module and one node per node outside any module.

    A box's parts (title, parameters, output) run across the flow: stacked in a left-to-right
    drawing, side by side in a top-to-bottom one, where all boxes share column widths and read
    like a table of the layers. ``rankdir`` is the drawing's (read from ``g`` when None).
    """
    if rankdir is None:
        rankdir = getattr(g, "graph_attr", {}).get("rankdir", "LR")
    keys = group_keys(trace)
    for i in loss_tail(trace, keys):
        keys[i] = LOSS
    unit_of: list[int] = []
    names: list[str] = []  # a module path, LOSS, or '' for a single ungrouped node
    members: list[list[int]] = []
    first: dict[str, int] = {}
    for i, key in enumerate(keys):
        if key and key in first:
            u = first[key]
        else:
            u = len(names)
            names.append(key)
            members.append([])
            if key:
                first[key] = u
        unit_of.append(u)
        members[u].append(i)
    unit_parents: list[list[int]] = [[] for _ in names]
    for j, slots in enumerate(trace.parents):
        for i in slots:
            a, b = unit_of[i], unit_of[j]
            if a != b and a not in unit_parents[b]:
                unit_parents[b].append(a)
    kept = list(range(len(names)))
    if max_nodes is not None and len(names) > max_nodes:
        kept = sorted(nearest(unit_of[trace.root], unit_parents.__getitem__, max_nodes))
        warnings.warn(
            f"draw: the collapsed graph has {len(names)} boxes, more than max_nodes={max_nodes}; "
            f"drawing the {max_nodes} nearest the output. Pass max_nodes=None to draw all.",
            stacklevel=4,
        )
    drawn = set(kept)
    singles = [members[u][0] for u in kept if not names[u]]
    scene = Scene(trace, singles, set(singles), grads, show, rankdir=rankdir, digits=digits)
    uid = [f"m{u}" if names[u] else f"n{members[u][0]}" for u in range(len(names))]
    parts = {u: _module_parts(scene, names[u], members[u], unit_of) for u in kept if names[u]}
    # 10 % to spare: the renderer's own text metrics must not widen one box beyond the others
    widths = [1.1 * max((_width(p[k]) for p in parts.values()), default=0.0) for k in range(3)]
    for u in kept:
        if names[u]:
            fill = LOSS_FILL if names[u] == LOSS else MODULE_FILL
            if scene.across:
                label, box = table([row for part in parts[u] for row in part], fill)
            else:
                label, box = _columns(parts[u], widths, fill)
            put(g, uid[u], label, box, shape="plaintext", margin="0")
        elif is_tensor(trace.nodes[members[u][0]]):
            tensor_box(g, scene, members[u][0])
        else:
            label, box = _scalar_label(scene, members[u][0])
            put(g, uid[u], label, box, shape="plaintext", margin="0")
    for u in kept:
        for p in unit_parents[u]:
            if p in drawn:
                g.edge(uid[p], uid[u])
    if len(kept) < len(names):
        hidden = sum(len(members[u]) for u in range(len(names)) if u not in drawn)
        cut = [uid[u] for u in kept if any(p not in drawn for p in unit_parents[u])]
        note_hidden(g, hidden, max_nodes, cut)


def preferred_rankdir(
    trace: Trace, collapse: str | None, show: str = "both", max_width: int = MAX_WIDTH
) -> str:
    """``"LR"`` when the drawing fits ``max_width`` pixels left to right (or would be no wider
    top to bottom), else ``"TB"``: a deep network reads down the slide.

    Estimated from the boxes' text before any layout: each rank as deep as its widest box.
    Scalar graphs without ``collapse`` keep the slides' ``"LR"``.

    >>> from autograd import Tensor
    >>> x = Tensor([[1.0, 2.0]], requires_grad=True, label="x")
    >>> preferred_rankdir(Trace((x * 2).relu().sum()), None)
    'LR'
    """
    if collapse != "modules" and not is_tensor(trace.nodes[trace.root]):
        return "LR"
    grads = stored_grads(trace)
    extents = {}
    for rankdir in ("LR", "TB"):
        sketch = Sketch()
        if collapse == "modules":
            draw_modules(sketch, trace, grads, show, None, rankdir=rankdir)
        else:
            scene = Scene(trace, [], set(), grads, show, rankdir=rankdir)
            for j, slots in enumerate(trace.parents):
                tensor_box(sketch, scene, j)
                for i in slots:
                    sketch.edge(f"n{i}", f"n{j}")
        extents[rankdir] = sketch.extent(rankdir == "LR", RANK_GAP, NODE_GAP)[0] * PT_TO_PX
    if extents["LR"] <= max_width or extents["LR"] <= extents["TB"]:
        return "LR"
    return "TB"


Parts = tuple[list[Row], list[Row], list[Row]]  # a box's title, parameters and output


def _module_parts(scene: Scene, name: str, nodes: list[int], unit_of: list[int]) -> Parts:
    """A module's box: the layer's name and path (or the path and its ops), its parameters and
    what it outputs."""
    trace = scene.trace
    title = layer_title(trace, nodes)
    params: list[Row] = []
    if name == LOSS:  # its ops take the place of parameters
        head = [Row.text(title or word("loss"), bold=True)]
        params = [Row.text(" → ".join(trace.nodes[i].op for i in nodes if trace.parents[i]), GREY)]
    elif title:
        head = [Row.text(title, bold=True), Row.text(name, GREY)]
    else:
        ops = Counter(trace.nodes[i].op for i in nodes if trace.parents[i])
        op_text = ", ".join(op if n == 1 else f"{op} x{n}" for op, n in ops.items())
        count = word("nodes_count" if len(nodes) > 1 else "node_count", n=len(nodes))
        head = [Row.text(name, bold=True), Row.text(f"{count}: {op_text}", GREY)]
    leaves = [i for i in nodes if not trace.parents[i] and trace.nodes[i].label]
    for i in leaves[:MAX_ROWS]:
        params.extend(_param_rows(scene, i, name))
    if len(leaves) > MAX_ROWS:
        params.append(Row.text(word("more_parameters", n=len(leaves) - MAX_ROWS), GREY))
    me = unit_of[nodes[0]]
    outputs = [
        i for i in nodes if i == trace.root or any(unit_of[j] != me for j, _ in trace.consumers[i])
    ]
    out: list[Row] = []
    if len(outputs) == 1:
        out = _value_rows(scene, outputs[0], word("out", value=""))
    elif outputs:
        out = [Row.text(word("outputs", n=len(outputs)), GREY)]
    return head, params, out


def _width(rows: list[Row]) -> float:
    return max((r.width() for r in rows), default=0.0)


def _columns(parts: Parts, widths: list[float], fill: str) -> tuple[str, Box]:
    """A box whose parts sit side by side, each column at least ``widths[k]`` points wide (the
    widest of that part in any box), so a column of boxes lines up like a table."""
    space = text_width(" ", TEXT_SIZE)  # the no-break space either side of each line
    cells, heights, total = [], [], 0.0
    for rows, width in zip(parts, widths):
        if width == 0.0:
            continue
        # one cell of lines (a nested table would be stretched to the row's height); the
        # no-break spaces keep text off the border when the renderer's font runs wide
        lines = "".join(f'&#160;{r.html}&#160;<br align="left"/>' for r in rows)
        cells.append(f'<td width="{width + 2 * space:.0f}" align="left">{lines}</td>')
        heights.append(len(rows) * LINE)
        total += width + 2 * space + 2 * COLUMN_PAD
    html = (
        f'<<table border="1" cellborder="0" cellspacing="0" cellpadding="{COLUMN_PAD}" '
        f'style="rounded" bgcolor="{fill}"><tr>{"".join(cells)}</tr></table>>'
    )
    return html, Box(total + 2, max(heights) + 2 * COLUMN_PAD + 2)


def _param_rows(scene: Scene, i: int, module: str) -> list[Row]:
    """``weight (4, 3) float32``, then its value summary and its gradient summary, each a row."""
    node = scene.trace.nodes[i]
    short = node.label[len(module) + 1 :] if node.label.startswith(module + ".") else node.label
    name = Row.text(short, bold=True)
    rows = _value_rows(scene, i, "")
    if not is_tensor(node):  # a scalar: name, value and gradient fit on one line
        for row in rows:
            name = name.then(row)
        return [name]
    return [name.then(rows[0]), *rows[1:]]


def _value_rows(scene: Scene, i: int, prefix: str) -> list[Row]:
    """Shape (tensors), value summary and gradient summary of node ``i``, as the mode asks."""
    if is_tensor(scene.trace.nodes[i]):  # an architecture slide shows shapes only
        return value_rows(scene, i, prefix, dtype=scene.show != "shapes", split=scene.across)
    node, digits = scene.trace.nodes[i], scene.digits
    rows = [Row.text(prefix + fmt(node.data, digits), GREEN)] if scene.values else []
    grad = scene.grads[i]
    if scene.gradients and grad is not None:
        rows.append(Row.text(word("grad", value=fmt(grad, digits)), RED))
    return rows


def _scalar_label(scene: Scene, i: int) -> tuple[str, Box]:
    """A scalar node outside any module, as one box ``name | data | grad``."""
    node = scene.trace.nodes[i]
    name = node.label or node.op or word("constant")
    cells = [Row.text(name, bold=True), *_value_rows(scene, i, "")]
    html = "".join(f"<td>{c.html}</td>" for c in cells)
    box = Box(sum(c.width() + 10 for c in cells), 28)
    return (
        f'<<table border="0" cellborder="1" cellspacing="0" cellpadding="4"><tr>{html}'
        "</tr></table>>"
    ), box
