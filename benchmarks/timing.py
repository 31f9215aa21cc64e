"""Timing shared by the benchmarks: contenders measured in alternating blocks in one process.

`timed_blocks` gives each contender's median and best seconds per call, from `sample_blocks`.

Each block starts from the same state for every contender:

- a pause, so that threads left spinning by the previous block (OpenBLAS waits ~0.1 s, OpenMP
  up to 0.2 s) have gone to sleep: otherwise they take the cores from whoever runs next
  (torch's conv ran 1.3-7 ms on one shape depending on what ran before it);
- a warm-up of at least ``WARMUP_S`` seconds of calls, as in a training loop: after the pause
  the idle virtual CPU is parked by the hypervisor, and the first ~50 ms of a kernel that wakes
  a second thread ran 1.7x slower (its wake-ups landed on the caller's CPU).
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import NamedTuple

PAUSE_S = 0.3
WARMUP_S = 0.1


def sample_blocks(
    fns: list[Callable[[], object]],
    repeats: int,
    rounds: int,
    pause: float = PAUSE_S,
    warmup: float = WARMUP_S,
) -> list[list[float]]:
    """Seconds of each call of each function: ``rounds`` times, each function in turn waits
    ``pause`` seconds, runs untimed for ``warmup`` seconds (two calls at least) and then
    ``repeats`` timed calls."""
    samples: list[list[float]] = [[] for _ in fns]
    for _ in range(rounds):
        for fn, out in zip(fns, samples, strict=True):
            time.sleep(pause)
            fn()
            fn()
            end = time.perf_counter() + warmup
            while time.perf_counter() < end:
                fn()
            for _ in range(repeats):
                start = time.perf_counter()
                fn()
                out.append(time.perf_counter() - start)
    return samples


class Timing(NamedTuple):
    """Seconds per call: the median, and the best (on a shared machine, the closest to idle)."""

    median: float
    best: float


def timing(samples: list[float]) -> Timing:
    """The median and best of ``samples``."""
    return Timing(statistics.median(samples), min(samples))


def timed_blocks(fns: list[Callable[[], object]], repeats: int, rounds: int) -> list[Timing]:
    """Seconds per call of each function, timed in alternating blocks of ``repeats`` calls."""
    return [timing(s) for s in sample_blocks(fns, repeats, rounds)]
