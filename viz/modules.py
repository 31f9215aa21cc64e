"""``collapse="modules"``: one box per `nn` module, grouping nodes by the ``scope`` they carry.

viz never imports `nn`: a node's ``scope`` (the dotted path of the module that made it) is all it
reads. A parameter is a leaf made outside any call, so it joins the module whose path prefixes its
dotted label (``"0.weight"`` joins ``"0"``).
"""

from __future__ import annotations

import warnings
from collections import Counter
from typing import Any

from viz.labels import GREEN, GREY, RED, esc, fmt, font, shape_text, summary
from viz.scene import Scene, note_hidden
from viz.tensors import is_tensor_value, tensor_box
from viz.trace import UNKNOWN, Trace, is_tensor, nearest

MAX_ROWS = 6  # parameters listed in one module box before the rest is counted


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


def draw_modules(
    g: Any, trace: Trace, grads: list[Any], show: str, max_nodes: int | None
) -> None:
    """Fill ``g`` with one box per module and one node per node outside any module."""
    keys = group_keys(trace)
    unit_of: list[int] = []
    names: list[str] = []  # a module path, or '' for a single ungrouped node
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
    scene = Scene(trace, singles, set(singles), grads, show)
    uid = [f"m{u}" if names[u] else f"n{members[u][0]}" for u in range(len(names))]
    for u in kept:
        if names[u]:
            label = _module_label(scene, names[u], members[u], unit_of)
            g.node(uid[u], label, shape="plaintext", margin="0")
        elif is_tensor(trace.nodes[members[u][0]]):
            tensor_box(g, scene, members[u][0])
        else:
            g.node(uid[u], _scalar_label(scene, members[u][0]), shape="plaintext", margin="0")
    for u in kept:
        for p in unit_parents[u]:
            if p in drawn:
                g.edge(uid[p], uid[u])
    if len(kept) < len(names):
        hidden = sum(len(members[u]) for u in range(len(names)) if u not in drawn)
        cut = [uid[u] for u in kept if any(p not in drawn for p in unit_parents[u])]
        note_hidden(g, hidden, max_nodes, cut)


def _module_label(scene: Scene, name: str, nodes: list[int], unit_of: list[int]) -> str:
    """A module's box: its path, its ops, its parameters and what it outputs."""
    trace = scene.trace
    ops = Counter(trace.nodes[i].op for i in nodes if trace.parents[i])
    op_text = ", ".join(op if n == 1 else f"{op} x{n}" for op, n in ops.items())
    count = f"{len(nodes)} node" + ("s" if len(nodes) > 1 else "")
    rows = [f"<b>{esc(name)}</b>", font(f"{count}: {op_text}", GREY)]
    params = [i for i in nodes if not trace.parents[i] and trace.nodes[i].label]
    for i in params[:MAX_ROWS]:
        rows.extend(_param_rows(scene, i, name))
    if len(params) > MAX_ROWS:
        rows.append(font(f"... {len(params) - MAX_ROWS} more parameters", GREY))
    me = unit_of[nodes[0]]
    outputs = [
        i for i in nodes
        if i == trace.root or any(unit_of[j] != me for j, _ in trace.consumers[i])
    ]
    if len(outputs) == 1:
        rows.extend(_value_rows(scene, outputs[0], "out "))
    elif outputs:
        rows.append(font(f"{len(outputs)} outputs", GREY))
    cells = "".join(f"<tr><td>{row}</td></tr>" for row in rows)
    return (
        '<<table border="1" cellborder="0" cellspacing="0" cellpadding="3" style="rounded" '
        f'bgcolor="#f4f4f4">{cells}</table>>'
    )


def _param_rows(scene: Scene, i: int, module: str) -> list[str]:
    """``weight (4, 3) float32``, then its value summary and its gradient summary."""
    node = scene.trace.nodes[i]
    short = node.label[len(module) + 1:] if node.label.startswith(module + ".") else node.label
    first, *rest = _value_rows(scene, i, "") or [""]
    if not is_tensor(node):
        return [" ".join([f"<b>{esc(short)}</b>", first, *rest])]
    return [f"<b>{esc(short)}</b> {first}", *rest]


def _value_rows(scene: Scene, i: int, prefix: str) -> list[str]:
    """Shape (tensors), value summary and gradient summary of node ``i``, as the mode asks."""
    node = scene.trace.nodes[i]
    tensor = is_tensor(node)
    rows = [font(prefix + shape_text(node.data), GREY)] if tensor else []
    if scene.values:
        rows.append(font(summary(node.data) if tensor else prefix + fmt(node.data), GREEN))
    grad = scene.grads[i]
    if scene.gradients and grad is not None:
        text = "?" if grad is UNKNOWN else summary(grad) if is_tensor_value(grad) else fmt(grad)
        rows.append(font("grad " + text, RED))
    return rows


def _scalar_label(scene: Scene, i: int) -> str:
    """A scalar node outside any module, as one box ``name | data | grad``."""
    node = scene.trace.nodes[i]
    name = node.label or node.op or "const"
    cells = [f"<td><b>{esc(name)}</b></td>", *(f"<td>{r}</td>" for r in _value_rows(scene, i, ""))]
    return (
        f'<<table border="0" cellborder="1" cellspacing="0" cellpadding="4"><tr>{"".join(cells)}'
        "</tr></table>>"
    )
