"""Scalar engine speed: micrograd's demo step beside grafograd's, and a deep chain.

Run: ``python benchmarks/bench_scalar.py [--block 5] [--warmup 2] [--rounds 3] [--chain 1000000]``.

The step is the one in micrograd's demo notebook: an MLP(2, [16, 16, 1]) on 100 two-moons points,
SVM max-margin loss + 1e-4·L2, forward, backward and an SGD update. It is timed twice, first with
the garbage collector at its default settings, then with it disabled (micrograd's nodes are
reference cycles, so much of its time is the collector).

The method is steady-state blocks, so that each engine pays for its own garbage and nothing else.
An engine runs a block of ``warmup`` untimed steps and then ``block`` timed ones, one after
another; the two engines' blocks alternate, ``rounds`` times (the first engine changing every
round). With the collector on, a step leaves work for the collections that come later: micrograd's
cycles wait for one, and the collections an engine triggers scan what the other left. Alternating
single steps (as this benchmark did first) made each of our steps pay for the collection of
micrograd's cycles; collecting before every step hid micrograd's own collections instead. Within
a block, after its warm-up steps have collected what the other engine left, every step meets the
garbage of its own engine's previous steps, as in a training loop. The per-step median of each
engine over all its blocks is printed with the ratio, and, next to each section, the calibration:
how long 10 million plain-Python additions take right now (the shared machine's speed drifts).

The chain (x → tanh(x), a million times, then backward) is printed beside its floor: the same
chain built from bare 4-slot objects inline and swept back by a plain loop, with the collector on
and off. That is the least this CPython can spend on a million nodes that are Python objects
pointing to each other; most of it, with the collector on, is the collector's full collections
over the growing heap.
"""

from __future__ import annotations

import argparse
import gc
import math
import statistics
import time
from collections.abc import Callable

import numpy as np

from autograd import Value
from autograd.random import manual_seed
from nn.scalar import MLP


def two_moons(n: int, noise: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaved half circles, labels ±1."""
    rng = np.random.default_rng(seed)
    half = n // 2
    t_out = np.linspace(0.0, math.pi, n - half)
    t_in = np.linspace(0.0, math.pi, half)
    X = np.concatenate(
        [
            np.stack([np.cos(t_out), np.sin(t_out)], axis=1),
            np.stack([1.0 - np.cos(t_in), 0.5 - np.sin(t_in)], axis=1),
        ]
    )
    X += rng.normal(scale=noise, size=X.shape)
    y = np.concatenate([-np.ones(n - half), np.ones(half)])
    return X, y


def grafograd_step(model: MLP, X: list[list[float]], y: list[float], lr: float) -> float:
    scores = [model(x) for x in X]
    margins = Value.sum((1.0 - yi * s).relu() for yi, s in zip(y, scores)) * (1.0 / len(y))
    params = model.parameters()
    loss = margins + 1e-4 * Value.dot(params, params)
    model.zero_grad()
    loss.backward()
    for p in params:
        p.data -= lr * p.grad
    return loss.data


def micrograd_step(model, X: list[list[float]], y: list[float], lr: float) -> float:
    from micrograd.engine import Value as MValue

    inputs = [[MValue(v) for v in row] for row in X]
    scores = [model(x) for x in inputs]
    margins = sum((1 + -yi * s).relu() for yi, s in zip(y, scores)) * (1.0 / len(y))
    loss = margins + 1e-4 * sum(p * p for p in model.parameters())
    model.zero_grad()
    loss.backward()
    for p in model.parameters():
        p.data -= lr * p.grad
    return loss.data


def timed(fn, *args) -> float:
    start = time.perf_counter()
    fn(*args)
    return time.perf_counter() - start


def bench_step(block: int, warmup: int, rounds: int, collector: bool) -> dict[str, float]:
    """Median seconds per demo step of each engine, by the block method of the module docstring."""
    X, y = two_moons(100, 0.1, seed=1)
    rows, labels = X.tolist(), y.tolist()
    manual_seed(1337)
    engines: list[tuple[str, Callable[..., float], object]] = [
        ("grafograd", grafograd_step, MLP(2, [16, 16, 1]))
    ]
    try:
        from micrograd.nn import MLP as MicroMLP

        engines.append(("micrograd", micrograd_step, MicroMLP(2, [16, 16, 1])))
    except ImportError:
        pass
    times: dict[str, list[float]] = {name: [] for name, _, _ in engines}
    steps = dict.fromkeys(times, 0)  # each engine's own step count sets its learning rate
    was_enabled = gc.isenabled()
    (gc.enable if collector else gc.disable)()
    try:
        for r in range(rounds):
            for name, step, model in engines[r % 2 :] + engines[: r % 2]:
                for k in range(warmup + block):
                    lr = 1.0 - 0.9 * steps[name] / 100
                    steps[name] += 1
                    t = timed(step, model, rows, labels, lr)
                    if k >= warmup:
                        times[name].append(t)
    finally:
        (gc.enable if was_enabled else gc.disable)()
        gc.collect()  # micrograd's cycles, left uncollected with the collector off
    return {name: statistics.median(ts) for name, ts in times.items()}


def bench_chain(n: int, repeats: int) -> tuple[float, float]:
    """Median forward and backward seconds of x → tanh(x) repeated n times."""
    forward, backward = [], []
    for _ in range(repeats):
        x = Value(0.5)
        start = time.perf_counter()
        node = x
        for _ in range(n):
            node = node.tanh()
        middle = time.perf_counter()
        node.backward()
        end = time.perf_counter()
        forward.append(middle - start)
        backward.append(end - middle)
        del node
    return statistics.median(forward), statistics.median(backward)


class BareNode:
    """The least a node of the chain can hold: its value, gradient, parent and local derivative."""

    __slots__ = ("data", "grad", "parent", "local")


def bench_floor(n: int, repeats: int, collector: bool) -> float:
    """Median seconds, forward + backward, of the same chain built from `BareNode`s inline (no
    method call, no checks, nothing a drawing needs) and swept back by a plain loop: what this
    CPython takes for n small objects that point to each other, with the collector on or off:
    an engine whose nodes are Python objects holding at least these four can hardly be faster."""
    new, tanh = object.__new__, math.tanh
    totals = []
    was_enabled = gc.isenabled()
    (gc.enable if collector else gc.disable)()
    try:
        for _ in range(repeats):
            node = new(BareNode)
            node.data, node.grad, node.parent, node.local = 0.5, 0.0, None, 0.0
            start = time.perf_counter()
            for _ in range(n):
                t = tanh(node.data)
                out = new(BareNode)
                out.data, out.grad, out.parent, out.local = t, 0.0, node, 1.0 - t * t
                node = out
            node.grad = 1.0
            while node.parent is not None:
                node.parent.grad += node.local * node.grad
                node = node.parent
            totals.append(time.perf_counter() - start)
            node = out = None  # the chain is freed here, outside the timing
    finally:
        (gc.enable if was_enabled else gc.disable)()
    return statistics.median(totals)


def calibration() -> float:
    """Seconds for 10 million plain-Python additions: how fast this machine is right now."""
    start = time.perf_counter()
    total = 0
    for i in range(10_000_000):
        total += i
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--block", type=int, default=5, help="timed steps per block")
    parser.add_argument("--warmup", type=int, default=2, help="untimed steps opening each block")
    parser.add_argument("--rounds", type=int, default=3, help="blocks per engine")
    parser.add_argument("--chain", type=int, default=1_000_000)
    parser.add_argument("--chain-repeats", type=int, default=3)
    args = parser.parse_args()

    print(
        f"micrograd demo step, MLP(2, [16, 16, 1]), 100 points: median of {args.rounds} blocks "
        f"x {args.block} steps per engine, each block after {args.warmup} untimed steps"
    )
    for collector in (True, False):
        speed = calibration()
        med = bench_step(args.block, args.warmup, args.rounds, collector)
        line = f"  gc {'on ' if collector else 'off'}: grafograd {med['grafograd'] * 1e3:8.1f} ms"
        if "micrograd" in med:
            ratio = med["micrograd"] / med["grafograd"]
            line += f"   micrograd {med['micrograd'] * 1e3:8.1f} ms"
            line += f"   grafograd is {ratio:5.1f}x faster"
        else:
            line += "   (micrograd not installed: pip install -e '.[bench]')"
        print(f"{line}   (calibration {speed:.2f} s)")

    speed = calibration()
    fwd, bwd = bench_chain(args.chain, args.chain_repeats)
    print(
        f"chain of {args.chain:,} tanh nodes, gc on, median of {args.chain_repeats}: "
        f"forward {fwd:.2f} s, backward {bwd:.2f} s, total {fwd + bwd:.2f} s"
        f"   (calibration {speed:.2f} s)"
    )
    floor_on = bench_floor(args.chain, args.chain_repeats, collector=True)
    floor_off = bench_floor(args.chain, args.chain_repeats, collector=False)
    print(
        f"  floor, the same chain of bare 4-slot objects built inline: gc on {floor_on:.2f} s, "
        f"gc off {floor_off:.2f} s   (calibration {calibration():.2f} s)"
    )
    print(f"calibration: seconds for 10M plain-Python additions; now {calibration():.2f} s")


if __name__ == "__main__":
    main()
