"""Frames around the neurons (or layers) of a scalar network, found from the graph's shape alone.

A neuron is a ``Σ`` node (the n-ary w·x + b that `Value.dot` records) with the named leaves only it
reads (its weights and bias) and the activation that only it feeds. A layer is the nodes sharing a
``scope`` (the `nn` module that made them), with the parameters only they read.
"""

from __future__ import annotations

from viz.scene import Scene
from viz.sizing import Sketch
from viz.trace import is_tensor

SUM_OP = "Σ"


def neurons(scene: Scene) -> dict[int, int]:
    """Node position → the position of the ``Σ`` node of the neuron it belongs to."""
    trace = scene.trace
    owner: dict[int, int] = {}
    for j in scene.kept:
        node = trace.nodes[j]
        if node.op != SUM_OP or is_tensor(node):
            continue
        owner[j] = j
        for i in trace.parents[j]:
            if _private_parameter(scene, i, j):
                owner[i] = j
        readers = trace.consumers[j]
        if len(readers) == 1 and len(trace.parents[readers[0][0]]) == 1:
            owner[readers[0][0]] = j
    return owner


def layers(scene: Scene) -> dict[int, str]:
    """Node position → the scope (layer) it belongs to, parameters joining their one reader's."""
    trace = scene.trace
    owner = {i: getattr(trace.nodes[i], "scope", "") or "" for i in scene.kept}
    for i in scene.kept:
        readers = {j for j, _ in trace.consumers[i]}
        if not owner[i] and len(readers) == 1:
            (j,) = readers
            if _private_parameter(scene, i, j):
                owner[i] = owner.get(j, "")
    return {i: key for i, key in owner.items() if key}


def _private_parameter(scene: Scene, i: int, j: int) -> bool:
    """Whether node ``i`` is a named leaf read by node ``j`` alone."""
    trace = scene.trace
    node = trace.nodes[i]
    return (
        not trace.parents[i]
        and bool(node.label)
        and i in scene.drawn
        and all(reader == j for reader, _ in trace.consumers[i])
    )


def assign(sketch: Sketch, scene: Scene, mode: str) -> None:
    """Put every drawn piece of a neuron (or layer) into one cluster of ``sketch``: its nodes, the
    wires between them, the op nodes of the record style. Nothing happens with fewer than two."""
    owner = (
        {i: f"n{j}" for i, j in neurons(scene).items()}
        if mode == "neuron"
        else {
            i: "l_" + "".join(ch if ch.isalnum() else "_" for ch in key)
            for i, key in layers(scene).items()
        }
    )
    if len(set(owner.values())) < 2:
        return
    trace = scene.trace
    names = set(sketch.boxes)
    for i, key in owner.items():
        for name in (f"n{i}", f"n{i}op", f"t{i}", f"j{i}"):
            if name in names:
                sketch.groups[name] = key
        for k, p in enumerate(trace.parents[i]):
            if owner.get(p) == key and f"w{i}_{k}" in names:
                sketch.groups[f"w{i}_{k}"] = key


def titles(scene: Scene) -> dict[str, str]:
    """Cluster key → its title: a layer's scope; neurons go untitled (their weights name them)."""
    return {
        "l_" + "".join(ch if ch.isalnum() else "_" for ch in key): key
        for key in set(layers(scene).values())
    }
