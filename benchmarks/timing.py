"""Timing shared by the benchmarks: contenders measured in alternating blocks in one process."""

from __future__ import annotations

import time
from collections.abc import Callable


def sample_blocks(fns: list[Callable[[], object]], repeats: int, rounds: int) -> list[list[float]]:
    """Seconds of each call of each function: ``rounds`` times, each function in turn runs two
    untimed warm-up calls and then ``repeats`` timed ones, so all contenders see the same
    machine state."""
    samples: list[list[float]] = [[] for _ in fns]
    for _ in range(rounds):
        for fn, out in zip(fns, samples, strict=True):
            fn()
            fn()
            for _ in range(repeats):
                start = time.perf_counter()
                fn()
                out.append(time.perf_counter() - start)
    return samples
