"""Reading a graph through the node protocol: a deterministic order, consumers, gradients, limits.

Nothing here knows `Value` or `Tensor`: a node is anything with ``data``, ``grad``, ``op``,
``parents`` and ``label`` (``local_grads`` and ``scope`` are read when present).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Sequence
from numbers import Number
from typing import Any


class _Unknown:
    """The gradient of a node that backpropagation has not reached yet (drawn as ``?``)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "UNKNOWN"


UNKNOWN: Any = _Unknown()


class Trace:
    """A graph flattened into lists indexed by topological position (parents before consumers).

    Attributes:
        nodes: the nodes, each after all of its parents; ``nodes[-1]`` is the root.
        parents: for node ``i``, the positions of its parents in argument order (repeats kept).
        consumers: for node ``i``, the ``(consumer, slot)`` pairs that read it.

    >>> class N:
    ...     def __init__(self, op="", parents=()):
    ...         self.data, self.grad, self.op, self.parents, self.label = 0.0, 0.0, op, parents, ""
    >>> a = N(); b = N("*", (a, a)); c = N("+", (b, a))
    >>> t = Trace(c)
    >>> t.parents, t.consumers
    ([(), (0, 0), (1, 0)], [[(1, 0), (1, 1), (2, 1)], [(2, 0)], []])
    """

    __slots__ = ("nodes", "parents", "consumers")

    def __init__(self, root: Any) -> None:
        from autograd.graph import topological_order  # the engine's walk; imported when used,
        # so that `import viz` stays light

        self.nodes = topological_order(root)
        at = {id(node): i for i, node in enumerate(self.nodes)}.__getitem__
        self.parents = [tuple(map(at, map(id, node.parents))) for node in self.nodes]
        self.consumers: list[list[tuple[int, int]]] = [[] for _ in self.nodes]
        for j, slots in enumerate(self.parents):
            for k, i in enumerate(slots):
                self.consumers[i].append((j, k))

    def __len__(self) -> int:
        return len(self.nodes)

    @property
    def root(self) -> int:
        """Position of the root (the last node)."""
        return len(self.nodes) - 1


def nearest(start: int, parents_of: Callable[[int], Sequence[int]], limit: int) -> list[int]:
    """Up to ``limit`` units closest to ``start``, found breadth-first along parents.

    Ties go in argument order, so the choice is deterministic.
    """
    kept = [start]
    seen = {start}
    queue = deque([start])
    while queue and len(kept) < limit:
        for p in parents_of(queue.popleft()):
            if p not in seen:
                seen.add(p)
                kept.append(p)
                queue.append(p)
                if len(kept) == limit:
                    break
    return kept


def is_tensor(node: Any) -> bool:
    """True when ``node.data`` is an array (anything but a plain or numpy scalar)."""
    return not isinstance(node.data, Number)


def local_grads(node: Any) -> tuple[float, ...] | None:
    """``node.local_grads`` when the node carries scalar local derivatives, else None."""
    return getattr(node, "local_grads", None)


def stored_grads(trace: Trace) -> list[Any]:
    """The gradients the nodes hold now (``None`` where a tensor keeps none); all `UNKNOWN` for a
    scalar graph whose root holds gradient 0, i.e. before any ``backward()`` (or after
    ``zero_grad()``), where the zeros the nodes hold are no gradients at all."""
    root = trace.nodes[-1]
    if not is_tensor(root) and root.grad == 0:
        return [UNKNOWN] * len(trace.nodes)
    return [node.grad for node in trace.nodes]


def replayed_grads(trace: Trace) -> list[Any] | None:
    """d root / d node for every node, by the scalar chain rule with seed 1, touching no node.

    Returns None unless every consumer carries ``local_grads`` (tensor graphs do not).
    """
    rules: list[Any] = [local_grads(node) for node in trace.nodes]
    if any(rule is None for rule, slots in zip(rules, trace.parents, strict=True) if slots):
        return None
    grads = [0.0] * len(trace.nodes)
    grads[trace.root] = 1.0
    for j in range(trace.root, -1, -1):
        upstream = grads[j]
        rule = rules[j]
        for k, i in enumerate(trace.parents[j]):
            grads[i] += upstream * rule[k]
    return grads
