"""The node protocol shared by `Value` and `Tensor`: topological order and the backward driver.

A node has ``data``, ``grad``, ``op``, ``parents`` (ordered, repeats allowed) and ``label``. To take
part in backpropagation it also implements ``_vjp(grad_out)`` (one gradient per parent, ``None`` for a
parent that needs none) and ``_accumulate(grad)`` (add this pass's gradient to what it keeps).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Protocol


class Node(Protocol):
    """What the engine and `viz` may rely on in a graph node."""

    data: Any
    grad: Any
    op: str
    parents: tuple[Any, ...]
    label: str


def topological_order(root: Any) -> list[Any]:
    """Every node reachable from ``root``, each after all of its parents.

    Iterative depth-first search (no recursion limit), visiting parents in argument order, so the
    same graph always gives the same order.

    >>> from autograd import Value
    >>> x = Value(2.0, label="x"); y = x * x + x
    >>> [n.op or n.label for n in topological_order(y)]
    ['x', '*', '+']
    """
    seen = {id(root)}
    order: list[Any] = []
    stack: list[tuple[Any, Iterator[Any]]] = [(root, iter(root.parents))]
    push, pop, add, append = stack.append, stack.pop, seen.add, order.append
    while stack:
        node, pending = stack[-1]
        for parent in pending:
            key = id(parent)
            if key not in seen:
                add(key)
                push((parent, iter(parent.parents)))
                break
        else:
            pop()
            append(node)
    return order


def backpropagate(root: Any, seed: Any) -> None:
    """Reverse-mode sweep from ``root`` with d root/d root = ``seed``.

    Gradients of this pass are gathered in a dictionary private to the pass and handed to each node's
    ``_accumulate`` once complete, so a gradient left on a node by an earlier pass never feeds the next
    (``b = a*a + a`` backpropagated twice gives ``a.grad == 14``).
    """
    pending: dict[int, Any] = {id(root): seed}
    get, pop = pending.get, pending.pop
    for node in reversed(topological_order(root)):
        grad_out = pop(id(node), None)
        if grad_out is None:
            continue
        node._accumulate(grad_out)
        parents = node.parents
        if not parents:
            continue
        for parent, grad in zip(parents, node._vjp(grad_out)):
            if grad is None:
                continue
            key = id(parent)
            before = get(key)
            pending[key] = grad if before is None else before + grad

