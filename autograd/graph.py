"""The node protocol shared by `Value` and `Tensor`: topological order and the backward driver.

Every node has ``data``, ``grad``, ``op`` (``''`` for a leaf), ``parents`` (argument order, repeats
allowed), ``label`` and ``scope``. How a node passes its gradient to its parents comes in one of two
forms, and the driver understands both:

* ``local_grads``: a tuple of floats ∂self/∂parentᵢ (scalar `Value`), so
  ``grad(parent) += local * grad(self)``;
* ``local_grads is None`` and a method ``_vjp(grad_out)`` returning one gradient per parent
  (``None`` where a parent needs none), with ``_accumulate(grad)`` deciding what the node keeps
  (`Tensor`).

Scalar nodes are many and small, so `Value` keeps ``parents`` and ``local_grads`` in slots and
builds the tuples only when asked; the driver reads those slots directly (see `MANY`).
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

MANY: Any = object()
"""The scalar slot layout's marker for "not one or two parents".

A scalar node (`Value`) read by the driver directly keeps, besides ``_deps`` and ``_pending``:

* one parent ``a``: ``_first = a``, ``_second = None``, ``_g1 = ∂self/∂a``;
* two parents ``a, b``: ``_first = a``, ``_second = b``, ``_g1 = ∂self/∂a``, ``_g2 = ∂self/∂b``;
* any other count (a leaf included): ``_first`` the tuple of parents, ``_second = MANY`` and
  ``_g1`` the tuple of their local derivatives.
"""


class Node:
    """Base of graph nodes: the two slots the backward driver borrows during a pass.

    ``_deps`` counts the consumers of a node inside the graph being differentiated and
    ``_pending`` gathers the gradient of the current pass; after every completed pass they are
    back to 0 and None, so a gradient left by an earlier pass never feeds the next one. A pass
    cut short (an error, Ctrl-C, a fork while another thread was inside it) may leave them
    stale; the next pass through the node ignores whatever it finds there (see `backpropagate`).
    """

    __slots__ = ("_deps", "_pending")


class _Scope(threading.local):
    """The dotted name of the `nn` module running now in this thread; new nodes record it as
    ``scope``. Each thread starts at ``""``."""

    def __init__(self) -> None:
        self.name = ""


current_scope = _Scope()


@contextmanager
def scope(name: str) -> Iterator[None]:
    """Within the block, every node this thread creates gets ``scope == name``.

    `nn.Module.__call__` does the same inline. Other threads keep their own scope.

    >>> from autograd import Value
    >>> with scope("net.fc1"):
    ...     y = Value(1.0) * 2
    >>> y.scope, current_scope.name
    ('net.fc1', '')
    """
    outer = current_scope.name
    current_scope.name = name
    try:
        yield
    finally:
        current_scope.name = outer


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


def reachable(root: Any) -> list[Any]:
    """Every node of the graph ending at ``root``, once each (root first; not a topological order).

    The cyclic garbage collector is paused meanwhile: graph walks allocate no cycles, and a full
    collection over a large graph would cost more than the walk itself.

    >>> from autograd import Value
    >>> a = Value(1.0); len(reachable(a * a + 2))
    4
    """
    collecting = gc.isenabled()
    try:
        gc.disable()  # inside the try: an interrupt right after it still re-enables
        seen = {id(root)}
        found = [root]
        stack = [root]
        push, pop, add, append = stack.append, stack.pop, seen.add, found.append
        while stack:
            for parent in pop().parents:
                key = id(parent)
                if key not in seen:
                    add(key)
                    append(parent)
                    push(parent)
        return found
    finally:
        if collecting:
            gc.enable()


class _Pass:
    """Marks the nodes the current backward pass has reached (one fresh object per pass)."""

    __slots__ = ()


def backpropagate(root: Any, seed: Any, scalar: type[Any] | None = None) -> None:
    """Reverse-mode sweep from ``root`` with d root/d root = ``seed``.

    Kahn's algorithm over the consumers: a first walk counts, for every node, how many nodes of
    the graph use it; the sweep then hands a node's gradient on once all of its consumers have
    contributed. The cyclic garbage collector is paused meanwhile (see `reachable`).

    Nodes whose type is exactly ``scalar`` are read through the scalar slot layout (`MANY`);
    every other node, a subclass that computes its ``parents`` say, through the protocol.

    Interrupt-safe by construction: the first walk stamps each node it reaches with this pass's
    own marker (in ``_pending``) and only then starts its count, so whatever an earlier pass
    left on a node — cut short by an error, a KeyboardInterrupt, a fork — is overwritten, never
    read. Nothing has to be cleaned up for the next pass to be right; the clean-up after a
    failure only drops the gradients held for the failed pass, and may itself be interrupted.
    """
    collecting = gc.isenabled()
    try:
        gc.disable()
        # A scalar pass marks with a float 0.0 of its own: its nodes' sums start from it, and
        # `is` still tells it from every value an earlier pass left (those are other objects).
        mark = _Pass() if scalar is None else float(0)
        _count_consumers(root, mark, scalar)
        _sweep(root, seed, mark, scalar)
    except BaseException:
        _release(root)
        raise
    finally:
        if collecting:
            gc.enable()


def _count_consumers(root: Any, mark: Any, scalar: type[Any] | None) -> None:
    root._deps, root._pending = 0, mark
    stack = [root]
    push, pop = stack.append, stack.pop
    while stack:
        node = pop()
        while True:
            if type(node) is not scalar:
                parents = node.parents
            elif node._second is MANY:
                parents = node._first
            else:  # one or two parents, counted without building their tuple
                second = node._second
                if second is not None:
                    if second._pending is mark:
                        second._deps += 1
                    else:
                        second._pending = mark
                        second._deps = 1
                        push(second)
                first = node._first
                if first._pending is mark:
                    first._deps += 1
                    break
                first._pending = mark
                first._deps = 1
                node = first  # walked next without a trip through the stack: a chain is a loop
                continue
            for parent in parents:
                if parent._pending is mark:
                    parent._deps += 1
                else:  # first reached in this pass: what an older pass left here is stale
                    parent._pending = mark
                    parent._deps = 1
                    push(parent)
            break


def _sweep(root: Any, seed: Any, mark: Any, scalar: type[Any] | None) -> None:
    root._pending = seed
    ready: list[Any] = []
    push, pop = ready.append, ready.pop
    node = root
    while True:
        grad_out = node._pending
        node._pending = None
        if type(node) is not scalar:
            _hand_on(node, grad_out, mark, push)
        else:  # grad(parent) += local * grad(self), from the slots; a scalar pass's mark is a 0.0
            node.grad += grad_out
            second = node._second
            if second is MANY:
                for parent, local in zip(node._first, node._g1):
                    parent._pending += local * grad_out
                    deps = parent._deps - 1
                    parent._deps = deps
                    if deps == 0:
                        push(parent)
            else:
                # The parent that becomes ready last is the one the stack would give next: it
                # is taken directly instead (the same order, and a chain is a loop).
                first = node._first
                first._pending += node._g1 * grad_out
                deps = first._deps - 1
                first._deps = deps
                if second is None:
                    if deps == 0:
                        node = first
                        continue
                else:
                    if deps == 0:
                        push(first)
                    second._pending += node._g2 * grad_out
                    deps = second._deps - 1
                    second._deps = deps
                    if deps == 0:
                        node = second
                        continue
        if not ready:
            return
        node = pop()


def _hand_on(node: Any, grad_out: Any, mark: Any, push: Any) -> None:
    """The sweep's step for a node read through the protocol: keep its gradient, then hand one
    on to each parent, pushing those whose consumers have all contributed."""
    parents = node.parents
    local_grads = node.local_grads
    if local_grads is not None:  # scalar rule: grad(parent) += local * grad(self)
        node.grad += grad_out
        for parent, local in zip(parents, local_grads):
            before = parent._pending
            parent._pending = local * grad_out if before is mark else before + local * grad_out
            deps = parent._deps - 1
            parent._deps = deps
            if deps == 0:
                push(parent)
        return
    grads = ()
    if grad_out is not mark:  # mark: no consumer handed this node a gradient
        node._accumulate(grad_out)
        if parents:
            grads = node._vjp(grad_out)
            if len(grads) != len(parents):
                raise RuntimeError(
                    f"backward: op {node.op!r} returned {len(grads)} gradients; "
                    f"expected {len(parents)}, one per input"
                )
    for i, parent in enumerate(parents):
        grad = grads[i] if grads else None
        if grad is not None:
            before = parent._pending
            parent._pending = grad if before is mark else before + grad
        deps = parent._deps - 1
        parent._deps = deps
        if deps == 0:
            push(parent)


def _release(root: Any) -> None:
    """After a failed pass, drop the gradients it held; correctness does not depend on it."""
    for node in reachable(root):
        node._deps, node._pending = 0, None
