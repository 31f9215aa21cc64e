"""Scalar engine speed: micrograd's demo step beside grafograd's, and a deep chain.

Run: ``python benchmarks/bench_scalar.py [--repeats 15] [--chain 1000000]``.

The step is the one in micrograd's demo notebook: an MLP(2, [16, 16, 1]) on 100 two-moons points,
SVM max-margin loss + 1e-4·L2, forward, backward and an SGD update. Both engines run alternately in
this one process, so they share the machine's state; the medians and their ratio are printed, first
with the garbage collector at its default settings and then with it disabled (micrograd's nodes are
reference cycles, so much of its time is the collector).
"""

from __future__ import annotations

import argparse
import gc
import math
import statistics
import time

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


def bench_step(repeats: int, collector: bool) -> dict[str, float]:
    X, y = two_moons(100, 0.1, seed=1)
    rows, labels = X.tolist(), y.tolist()
    manual_seed(1337)
    ours = MLP(2, [16, 16, 1])
    times: dict[str, list[float]] = {"grafograd": []}
    try:
        from micrograd.nn import MLP as MicroMLP

        theirs = MicroMLP(2, [16, 16, 1])
        times["micrograd"] = []
    except ImportError:
        theirs = None
    was_enabled = gc.isenabled()
    (gc.enable if collector else gc.disable)()
    try:
        for k in range(repeats + 1):
            lr = 1.0 - 0.9 * k / 100
            t_ours = timed(grafograd_step, ours, rows, labels, lr)
            t_theirs = timed(micrograd_step, theirs, rows, labels, lr) if theirs else None
            if k == 0:
                continue  # warm-up
            times["grafograd"].append(t_ours)
            if t_theirs is not None:
                times["micrograd"].append(t_theirs)
    finally:
        (gc.enable if was_enabled else gc.disable)()
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


def calibration() -> float:
    """Seconds for 10 million plain-Python additions: how fast this machine is right now."""
    start = time.perf_counter()
    total = 0
    for i in range(10_000_000):
        total += i
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--chain", type=int, default=1_000_000)
    parser.add_argument("--chain-repeats", type=int, default=3)
    args = parser.parse_args()

    print(f"micrograd demo step, MLP(2, [16, 16, 1]), 100 points, median of {args.repeats}")
    for collector in (True, False):
        med = bench_step(args.repeats, collector)
        line = f"  gc {'on ' if collector else 'off'}: grafograd {med['grafograd'] * 1e3:8.1f} ms"
        if "micrograd" in med:
            ratio = med["micrograd"] / med["grafograd"]
            line += f"   micrograd {med['micrograd'] * 1e3:8.1f} ms"
            line += f"   grafograd is {ratio:5.1f}x faster"
        else:
            line += "   (micrograd not installed: pip install -e '.[bench]')"
        print(line)

    print(f"machine speed now: 10M plain-Python additions take {calibration():.2f} s")
    fwd, bwd = bench_chain(args.chain, args.chain_repeats)
    print(
        f"chain of {args.chain:,} tanh nodes, gc on, median of {args.chain_repeats}: "
        f"forward {fwd:.2f} s, backward {bwd:.2f} s, total {fwd + bwd:.2f} s"
    )


if __name__ == "__main__":
    main()
