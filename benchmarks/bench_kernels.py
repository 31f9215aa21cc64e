"""Kernel speed: conv2d and pooling against PyTorch, matmul's Numba kernel against numpy, the
numpy fallback against the Numba kernels, and thread discipline.

Run: ``python benchmarks/bench_kernels.py [--repeats 10] [--rounds 3] [--threads 2]``;
``--fallback`` times only the numpy kernels that run where Numba cannot be imported against
the Numba kernels (conv shapes, pooling, the LeNet-like step).

Every contender runs in this one process at the same thread count, in alternating blocks
(a pause and a warm-up excluded, then ``--repeats`` timed calls; ``--rounds`` blocks each; see
timing.py), so each starts with the other libraries' worker threads idle; contenders on the
same BLAS (matmul) alternate call by call instead. A conv section shows what splitting the
batch across threads, and BLAS going single-threaded meanwhile, each bring.

Tables give medians and the ratio of medians, and the ratio of the best times too: on a
machine shared with other work the best time is the closest to an idle machine. The last
section starts subprocesses that differ only in how pooling runs (serial as shipped, or a
parallel build under each Numba threading layer / OpenMP wait policy) and times the same kernel
sequences in each.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
import types
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial

import numpy as np
from shapes import CONV_SHAPES, MATMUL_SIZES
from timing import Timing, timed_blocks, timing

POOL_SHAPES = [(64, 8, 28, 28), (64, 16, 14, 14)]
# (B, n, k, m): batches of small products on both sides of matmul.TINY multiply-adds each.
BATCHED_SHAPES = [
    (64, 2, 2, 2),
    (1024, 3, 3, 3),
    (64, 4, 4, 4),
    (64, 4, 8, 2),
    (64, 6, 6, 6),
    (64, 8, 8, 8),
    (64, 16, 16, 16),
]


def timed_alternating(fns: list[Callable[[], object]], calls: int) -> list[Timing]:
    """Seconds per call of each function, the functions called in turn, so all see one machine."""
    samples: list[list[float]] = [[] for _ in fns]
    for fn in fns:
        fn()
    for _ in range(calls):
        for fn, out in zip(fns, samples, strict=True):
            start = time.perf_counter()
            fn()
            out.append(time.perf_counter() - start)
    return [timing(s) for s in samples]


def ms(seconds: float) -> str:
    return f"{seconds * 1e3:8.3f}"


def lenet_kernel_step(kernels, rng: np.random.Generator, dtype: type) -> Callable[[], None]:
    """The kernel calls of one LeNet-like train step (conv-relu-pool x2, linear), no autograd."""
    x = rng.standard_normal((64, 1, 28, 28)).astype(dtype)
    w1 = rng.standard_normal((8, 1, 3, 3)).astype(dtype)
    w2 = rng.standard_normal((16, 8, 3, 3)).astype(dtype)
    w3 = rng.standard_normal((784, 10)).astype(dtype)
    one, two = (1, 1), (2, 2)

    def step() -> None:
        a1 = np.maximum(kernels.conv2d_forward(x, w1, one, one), 0)
        p1, i1 = kernels.max_pool2d_forward(a1, two, two)
        a2 = np.maximum(kernels.conv2d_forward(p1, w2, one, one), 0)
        p2, i2 = kernels.max_pool2d_forward(a2, two, two)
        flat = p2.reshape(64, 784)
        logits = kernels.matmul(flat, w3)
        g = logits - logits.mean()
        kernels.matmul(flat.T.copy(), g)
        gflat = kernels.matmul(g, w3.T.copy()).reshape(p2.shape)
        ga2 = kernels.max_pool2d_backward(gflat, i2, a2.shape[2:]) * (a2 > 0)
        kernels.conv2d_grad_weight(ga2, p1, (3, 3), one, one)
        gp1 = kernels.conv2d_grad_input(ga2, w2, p1.shape[2:], one, one)
        ga1 = kernels.max_pool2d_backward(gp1, i1, a1.shape[2:]) * (a1 > 0)
        kernels.conv2d_grad_weight(ga1, x, (3, 3), one, one)

    return step


def conv_case(kernels, torch, xs, ws, p: int, dtype: type, repeats: int, rounds: int) -> str:
    """One table row: our three conv kernels against torch's forward + autograd.grad."""
    rng = np.random.default_rng(0)
    x = rng.standard_normal(xs).astype(dtype)
    w = rng.standard_normal(ws).astype(dtype)
    s, pad = (1, 1), (p, p)
    g = rng.standard_normal(kernels.conv2d_forward(x, w, s, pad).shape).astype(dtype)
    tx = torch.from_numpy(x).requires_grad_()
    tw = torch.from_numpy(w).requires_grad_()
    tg = torch.from_numpy(g)

    def forward() -> None:
        kernels.conv2d_forward(x, w, s, pad)

    def grad_input() -> None:
        kernels.conv2d_grad_input(g, w, xs[2:], s, pad)

    def grad_weight() -> None:
        kernels.conv2d_grad_weight(g, x, ws[2:], s, pad)

    def ours() -> None:
        forward()
        grad_input()
        grad_weight()

    def theirs() -> None:
        y = torch.nn.functional.conv2d(tx, tw, stride=s, padding=pad)
        torch.autograd.grad(y, (tx, tw), tg)

    t = timed_blocks([forward, grad_input, grad_weight, ours, theirs], repeats, rounds)
    label = f"{xs}/{ws[:2]}{ws[2]}x{ws[3]}/p{p}"
    ratios = f"{t[3].median / t[4].median:9.2f}x {t[3].best / t[4].best:9.2f}x"
    return f"{label:34}{''.join(ms(v.median) + ' ' for v in t)}{ratios}"


def bench_conv(kernels, torch, dtype: type, repeats: int, rounds: int) -> None:
    print(f"\nconv2d forward + grad_input + grad_weight, {np.dtype(dtype).name}, ms (median)")
    heads = "".join(f"{h:>9}" for h in ("fwd", "g_in", "g_w", "ours", "torch"))
    print(f"{'x / w / pad':34}{heads} {'ours/torch':>10} {'(best)':>10}")
    for xs, ws, p in CONV_SHAPES:
        print(conv_case(kernels, torch, xs, ws, p, dtype, repeats, rounds))


def bench_conv_threads(kernels, torch, dtype: type, repeats: int, rounds: int) -> None:
    """Our conv forward + backward with one kernel thread, with the batch split across threads
    but BLAS left multi-threaded, and as shipped (split, BLAS single-threaded meanwhile)."""
    from autograd.kernels import threads

    print(f"\nconv2d forward + backward, {np.dtype(dtype).name}, ms (median): thread discipline")
    heads = "".join(f"{h:>14}" for h in ("1 thread", "split, BLAS>1", "as shipped", "torch"))
    print(f"{'x / w / pad':34}{heads}")
    shipped = threads.get_num_threads()
    enter, leave = threads._blas_enter, threads._blas_exit
    rng = np.random.default_rng(4)
    for xs, ws, p in CONV_SHAPES:
        x = rng.standard_normal(xs).astype(dtype)
        w = rng.standard_normal(ws).astype(dtype)
        s, pad = (1, 1), (p, p)
        g = rng.standard_normal(kernels.conv2d_forward(x, w, s, pad).shape).astype(dtype)
        tx, tw = torch.from_numpy(x).requires_grad_(), torch.from_numpy(w).requires_grad_()
        tg = torch.from_numpy(g)

        def conv(workers: int, blas_single: bool, x=x, w=w, g=g, s=s, pad=pad) -> Callable:
            def run() -> None:
                threads.set_num_threads(workers)
                threads._blas_enter = enter if blas_single else (lambda: None)
                threads._blas_exit = leave if blas_single else (lambda: None)
                try:
                    kernels.conv2d_forward(x, w, s, pad)
                    kernels.conv2d_backward(g, x, w, s, pad)
                finally:
                    threads.set_num_threads(shipped)
                    threads._blas_enter, threads._blas_exit = enter, leave

            return run

        def theirs(tx=tx, tw=tw, tg=tg, s=s, pad=pad) -> None:
            y = torch.nn.functional.conv2d(tx, tw, stride=s, padding=pad)
            torch.autograd.grad(y, (tx, tw), tg)

        fns = [conv(1, True), conv(max(shipped, 2), False), conv(shipped, True), theirs]
        t = timed_blocks(fns, repeats, rounds)
        label = f"{xs}/{ws[:2]}{ws[2]}x{ws[3]}/p{p}"
        print(f"{label:34}{''.join(f'{v.median * 1e3:14.3f}' for v in t)}")


def pool_case(kernels, torch, xs, dtype: type, repeats: int, rounds: int) -> str:
    """One table row: max and avg pooling 2x2/2, forward + backward, ours and torch's."""
    rng = np.random.default_rng(1)
    k = (2, 2)
    x = rng.standard_normal(xs).astype(dtype)
    g = rng.standard_normal((xs[0], xs[1], xs[2] // 2, xs[3] // 2)).astype(dtype)
    tx = torch.from_numpy(x).requires_grad_()
    tg = torch.from_numpy(g)

    def max_ours() -> None:
        _, where = kernels.max_pool2d_forward(x, k, k)
        kernels.max_pool2d_backward(g, where, xs[2:])

    def max_torch() -> None:
        torch.autograd.grad(torch.nn.functional.max_pool2d(tx, k, k), tx, tg)

    def avg_ours() -> None:
        kernels.avg_pool2d_forward(x, k, k)
        kernels.avg_pool2d_backward(g, xs[2:], k, k)

    def avg_torch() -> None:
        torch.autograd.grad(torch.nn.functional.avg_pool2d(tx, k, k), tx, tg)

    t = timed_blocks([max_ours, max_torch, avg_ours, avg_torch], repeats, rounds)
    cells = [
        f"{ms(ours.median):>9} {ms(theirs.median)} {ours.median / theirs.median:6.2f}x "
        f"{ours.best / theirs.best:6.2f}x"
        for ours, theirs in ((t[0], t[1]), (t[2], t[3]))
    ]
    return f"{str(xs):22} {cells[0]}   {cells[1]}"


def bench_pool(kernels, torch, dtype: type, repeats: int, rounds: int) -> None:
    print(f"\npooling 2x2 stride 2, forward + backward, {np.dtype(dtype).name}, ms (median)")
    heads = f"{'max ours':>9} {'torch':>8} {'ratio':>7} {'(best)':>7}"
    print(f"{'x':22} {heads}   {heads.replace('max', 'avg')}")
    for xs in POOL_SHAPES:
        print(pool_case(kernels, torch, xs, dtype, repeats, rounds))


def bench_matmul(kernels, repeats: int, rounds: int) -> None:
    """2-D products (BLAS in both columns: the dispatch costs nothing), then batches of small
    products: the Numba kernel against ``np.matmul`` on each side of ``matmul.TINY``."""
    from numba import njit

    from autograd.kernels.matmul import TINY
    from autograd.kernels.matmul_numba import batched_matmul

    @njit(cache=True)
    def numba_dot(a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return np.dot(a, b)

    print("\nmatmul (n, n) @ (n, n), ms (median); throughput ratio = numpy's time / the other's")
    print(
        f"{'n':>5} {'dtype':8} {'ours':>8} {'numpy':>8} {'ours/numpy':>11} {'(best)':>7}"
        f"   {'Numba np.dot':>12} {'vs numpy':>9} {'(best)':>7}"
    )
    rng = np.random.default_rng(2)
    for n in MATMUL_SIZES:
        for dtype in (np.float32, np.float64):
            a = rng.standard_normal((n, n)).astype(dtype)
            b = rng.standard_normal((n, n)).astype(dtype)
            ours, theirs = timed_alternating(
                [partial(kernels.matmul, a, b), partial(np.matmul, a, b)], repeats * rounds
            )
            # Numba's np.dot runs on another BLAS pool: alternating it call by call with numpy
            # would time the two pools' contention (shown below), so it gets blocks of its own.
            dot, ref = timed_blocks(
                [partial(numba_dot, a, b), partial(np.matmul, a, b)], repeats, rounds
            )
            print(
                f"{n:5d} {np.dtype(dtype).name:8} {ms(ours.median)} {ms(theirs.median)} "
                f"{theirs.median / ours.median:10.2f}x {theirs.best / ours.best:6.2f}x"
                f"   {ms(dot.median):>12} {ref.median / dot.median:8.2f}x"
                f" {ref.best / dot.best:6.2f}x"
            )
    a = rng.standard_normal((512, 512)).astype(np.float32)
    b = rng.standard_normal((512, 512)).astype(np.float32)

    def alternate() -> None:
        np.matmul(a, b)
        numba_dot(a, b)

    t = timed_blocks(
        [partial(np.matmul, a, b), partial(numba_dot, a, b), alternate], repeats, rounds
    )
    print(
        "two BLAS pools (numpy's OpenBLAS, and scipy's that Numba's np.dot calls), 512 float32: "
        f"numpy alone {ms(t[0].median).strip()} ms, Numba alone {ms(t[1].median).strip()} ms, "
        f"one of each in turn {ms(t[2].median).strip()} ms per pair "
        f"({t[2].median / (t[0].median + t[1].median):.1f}x the sum)"
    )

    print(
        f"\nbatched (B, n, k) @ (B, k, m), us (median): matmul_numba.batched_matmul against "
        f"np.matmul; kernels.matmul runs the kernel up to n*k*m = {TINY}"
    )
    print(
        f"{'B, n, k, m':18} {'n*k*m':>6} {'dtype':8} {'Numba':>9} {'numpy':>9} {'numpy/Numba':>12}"
    )
    calls = max(repeats * rounds * 20, 200)  # microseconds each: many calls per sample
    for B, n, k, m in BATCHED_SHAPES:
        for dtype in (np.float32, np.float64):
            a = rng.standard_normal((B, n, k)).astype(dtype)
            b = rng.standard_normal((B, k, m)).astype(dtype)
            out = np.empty((B, n, m), dtype=dtype)

            def kernel(a=a, b=b, out=out) -> None:
                batched_matmul(a, b, np.empty_like(out))

            ours, theirs = timed_alternating([kernel, partial(np.matmul, a, b)], calls)
            print(
                f"{str((B, n, k, m)):18} {n * k * m:6d} {np.dtype(dtype).name:8} "
                f"{ours.median * 1e6:9.2f} {theirs.median * 1e6:9.2f} "
                f"{theirs.median / ours.median:11.2f}x"
            )


LINEAR_SHAPES = [(100, 2, 16), (100, 16, 16), (64, 784, 10), (64, 256, 64), (256, 512, 256)]


def bench_fused_linear(repeats: int, rounds: int) -> None:
    """A Linear layer's forward with its activation, relu(x @ w.T + b), as one Numba loop nest
    against BLAS and two numpy passes: the candidate the README's matmul words are about. The
    Numba kernel lives here only, as a measured contender; kernels.matmul does not ship it."""
    from numba import njit

    @njit(cache=True, nogil=True)
    def fused(x: np.ndarray, w: np.ndarray, b: np.ndarray, out: np.ndarray) -> None:
        n, k = x.shape
        m = w.shape[0]
        for i in range(n):
            row = out[i]
            for j in range(m):
                row[j] = b[j]
            for p in range(k):
                left = x[i, p]
                col = w[:, p]
                for j in range(m):
                    row[j] += left * col[j]
            for j in range(m):
                if row[j] < 0.0:
                    row[j] = 0.0

    print(
        "\nfused Linear forward relu(x @ w.T + b), us (median): one Numba loop nest against "
        "BLAS + numpy's add and maximum"
    )
    print(f"{'batch, in, out':18} {'dtype':8} {'Numba':>9} {'numpy':>9} {'numpy/Numba':>12}")
    rng = np.random.default_rng(4)
    for n, k, m in LINEAR_SHAPES:
        for dtype in (np.float32, np.float64):
            x = rng.standard_normal((n, k)).astype(dtype)
            w = rng.standard_normal((m, k)).astype(dtype)
            b = rng.standard_normal(m).astype(dtype)
            wt = np.ascontiguousarray(w.T)  # (k, m): the kernel's inner loop walks its rows

            def ours(x=x, wt=wt, b=b) -> None:
                fused(x, wt.T, b, np.empty((x.shape[0], b.shape[0]), dtype=x.dtype))

            def theirs(x=x, w=w, b=b) -> None:
                np.maximum(x @ w.T + b, 0.0)

            expected = np.maximum(x.astype(np.float64) @ w.T.astype(np.float64) + b, 0.0)
            got = np.empty((n, m), dtype=dtype)
            fused(x, wt.T, b, got)
            assert np.allclose(got, expected, rtol=1e-3, atol=1e-3), "fused kernel is wrong"
            calls = max(repeats * rounds * 10, 100)
            t_ours, t_theirs = timed_alternating([ours, theirs], calls)
            print(
                f"{str((n, k, m)):18} {np.dtype(dtype).name:8} {t_ours.median * 1e6:9.2f} "
                f"{t_theirs.median * 1e6:9.2f} {t_theirs.median / t_ours.median:11.2f}x"
            )


@contextmanager
def numpy_kernels() -> Iterator[None]:
    """Run the conv and pool wrappers on the numpy fallback (as where Numba cannot be
    imported): their kernel names are rebound to conv_numpy's and pool_numpy's, then back."""
    from autograd.kernels import conv, conv_numpy, pool, pool_numpy

    swaps = [(conv, conv_numpy, ("im2col", "col2im"))]
    pools = [n for n in vars(pool_numpy) if n.startswith(("max_pool2d_", "avg_pool2d_"))]
    swaps.append((pool, pool_numpy, pools))
    saved = [(module, name, getattr(module, name)) for module, _, names in swaps for name in names]
    try:
        for module, fallback, names in swaps:
            for name in names:
                setattr(module, name, getattr(fallback, name))
        yield
    finally:
        for module, name, kernel in saved:
            setattr(module, name, kernel)


def bench_fallback(kernels, dtype: type, repeats: int, rounds: int) -> None:
    """The numpy fallback's time over the Numba kernels', on the conv shapes, pooling and the
    LeNet-like step."""

    def fallback(fn: Callable[[], object]) -> Callable[[], None]:
        def run() -> None:
            with numpy_kernels():
                fn()

        return run

    print(f"\nnumpy fallback against the Numba kernels, {np.dtype(dtype).name}, ms (median)")
    print(f"{'workload':44} {'Numba':>9} {'numpy':>9} {'numpy/Numba':>12} {'(best)':>7}")
    rng = np.random.default_rng(5)
    cases: list[tuple[str, Callable[[], None]]] = []
    for xs, ws, p in CONV_SHAPES:
        x = rng.standard_normal(xs).astype(dtype)
        w = rng.standard_normal(ws).astype(dtype)
        s, pad = (1, 1), (p, p)
        g = rng.standard_normal(kernels.conv2d_forward(x, w, s, pad).shape).astype(dtype)

        def conv(x=x, w=w, g=g, s=s, pad=pad) -> None:
            kernels.conv2d_forward(x, w, s, pad)
            kernels.conv2d_backward(g, x, w, s, pad)

        cases.append((f"conv fwd+bwd {xs}/{ws[:2]}{ws[2]}x{ws[3]}/p{p}", conv))
    for xs in POOL_SHAPES:
        x = rng.standard_normal(xs).astype(dtype)
        g = rng.standard_normal((xs[0], xs[1], xs[2] // 2, xs[3] // 2)).astype(dtype)

        def pools(x=x, g=g, hw=xs[2:]) -> None:
            _, where = kernels.max_pool2d_forward(x, (2, 2), (2, 2))
            kernels.max_pool2d_backward(g, where, hw)
            kernels.avg_pool2d_forward(x, (2, 2), (2, 2))
            kernels.avg_pool2d_backward(g, hw, (2, 2), (2, 2))

        cases.append((f"max+avg pool 2x2 fwd+bwd {xs}", pools))
    cases.append(("LeNet-like kernel step, batch 64", lenet_kernel_step(kernels, rng, dtype)))
    for label, fn in cases:
        numba_t, numpy_t = timed_blocks([fn, fallback(fn)], repeats, rounds)
        print(
            f"{label:44} {ms(numba_t.median):>9} {ms(numpy_t.median):>9} "
            f"{numpy_t.median / numba_t.median:11.2f}x {numpy_t.best / numba_t.best:6.2f}x"
        )


def bench_lenet(kernels, torch, repeats: int, rounds: int) -> None:
    print("\nLeNet-like step at batch 64, float32, ms (median)")
    rng = np.random.default_rng(3)
    ours = lenet_kernel_step(kernels, rng, np.float32)
    model = torch.nn.Sequential(
        torch.nn.Conv2d(1, 8, 3, padding=1),
        torch.nn.ReLU(),
        torch.nn.MaxPool2d(2),
        torch.nn.Conv2d(8, 16, 3, padding=1),
        torch.nn.ReLU(),
        torch.nn.MaxPool2d(2),
        torch.nn.Flatten(),
        torch.nn.Linear(784, 10),
    )
    opt = torch.optim.SGD(model.parameters(), lr=0.01)
    tx = torch.randn(64, 1, 28, 28)
    ty = torch.randint(0, 10, (64,))

    def theirs() -> None:
        opt.zero_grad()
        torch.nn.functional.cross_entropy(model(tx), ty).backward()
        opt.step()

    mine, full = timed_blocks([ours, theirs], repeats, rounds)
    print(
        f"our kernels alone (no autograd, no optimizer): {ms(mine.median).strip()}; torch full "
        f"train step: {ms(full.median).strip()}; ratio {mine.median / full.median:.2f}x (best "
        f"{mine.best / full.best:.2f}x), a lower bound for the Tensor engine's step"
    )


PARALLEL_POOLS = "BENCH_PARALLEL_POOLS"
THREAD_SETTINGS = [
    ("serial pool kernels, batch split (as shipped)", {}),
    ("parallel pools, omp (Numba's default here)", {"NUMBA_THREADING_LAYER": "omp"}),
    (
        "parallel pools, omp + OMP_WAIT_POLICY=PASSIVE",
        {"NUMBA_THREADING_LAYER": "omp", "OMP_WAIT_POLICY": "PASSIVE"},
    ),
    ("parallel pools, workqueue", {"NUMBA_THREADING_LAYER": "workqueue"}),
]


def parallel_build(kernel) -> Callable:
    """A ``parallel=True`` build of a serial pool kernel: its loops become ``prange`` (Numba runs
    the outermost, the plane loop, on its thread pool and the nested ones serially). Not cached:
    the cache would hand back the serial build."""
    import numba

    py = kernel.py_func
    scope = {**py.__globals__, "range": numba.prange}
    source = types.FunctionType(py.__code__, scope, py.__name__, py.__defaults__, py.__closure__)
    return numba.njit(parallel=True, cache=False)(source)


def threading_child(repeats: int, rounds: int) -> None:
    """Subprocess body: time the two workloads; print one JSON line."""
    import numba

    from autograd import kernels
    from autograd.kernels import pool

    if os.environ.get(PARALLEL_POOLS):
        # Each parallel kernel gets the whole batch (two threads may not launch workqueue
        # kernels at once), in place of the batch split.
        for name in ("max_pool2d_kernel", "max_pool2d_scatter"):
            setattr(pool, name, parallel_build(getattr(pool, name)))
        pool.split_batch = lambda n, work, kind=None: work(0, n)
    rng = np.random.default_rng(3)
    step = lenet_kernel_step(kernels, rng, np.float32)
    x = rng.standard_normal((64, 16, 28, 28)).astype(np.float32)
    a = rng.standard_normal((512, 512)).astype(np.float32)

    def pool_then_gemm() -> None:
        kernels.max_pool2d_forward(x, (2, 2), (2, 2))
        kernels.matmul(a, a)

    lenet, pair = timed_blocks([step, pool_then_gemm], repeats, rounds)
    try:
        layer = numba.threading_layer()
    except ValueError:  # nothing parallel ran, so Numba never started its pool
        layer = "none started"
    print(json.dumps({"layer": layer, "lenet": lenet.median * 1e3, "pair": pair.median * 1e3}))


def bench_threading(repeats: int, runs: int) -> None:
    print(f"\nthread discipline: {runs} rounds of fresh subprocesses that differ only as listed,")
    print("ms (median over subprocesses): the LeNet kernel sequence above, and a max-pool")
    print("(64, 16, 28, 28) followed by a 512 float32 matmul (big enough for BLAS to use all its")
    print("threads)")
    varied = ("NUMBA_THREADING_LAYER", "OMP_WAIT_POLICY", PARALLEL_POOLS)
    base = {k: v for k, v in os.environ.items() if k not in varied}
    results: dict[str, list[dict]] = {}
    for _ in range(runs):
        for name, extra in THREAD_SETTINGS:
            env = {**base, **extra, **({PARALLEL_POOLS: "1"} if extra else {})}
            done = subprocess.run(
                [sys.executable, __file__, "--child", "--repeats", str(repeats), "--rounds", "1"],
                env=env,
                capture_output=True,
                text=True,
                check=True,
            )
            results.setdefault(name, []).append(json.loads(done.stdout.strip().splitlines()[-1]))
    medians = {
        name: [statistics.median(r[key] for r in runs) for key in ("lenet", "pair")]
        for name, runs in results.items()
    }
    best = [min(m[i] for m in medians.values()) for i in range(2)]
    print(f"{'setting':48} {'LeNet':>8} {'/best':>6} {'pool+GEMM':>10} {'/best':>6}  layer")
    for name, (lenet, pair) in medians.items():
        layer = results[name][0]["layer"]
        print(
            f"{name:48} {lenet:8.3f} {lenet / best[0]:5.2f}x {pair:10.3f} "
            f"{pair / best[1]:5.2f}x  {layer}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=10, help="timed calls per block")
    parser.add_argument("--rounds", type=int, default=3, help="blocks per contender")
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 1, help="threads for all")
    parser.add_argument("--dtype", choices=["float32", "float64"], default="float32")
    parser.add_argument(
        "--subprocesses", type=int, default=6, help="subprocess runs per thread setting"
    )
    parser.add_argument("--skip-threading", action="store_true", help="skip the subprocess part")
    parser.add_argument(
        "--fallback", action="store_true", help="only the numpy fallback against Numba"
    )
    parser.add_argument(
        "--linear", action="store_true", help="only the fused Linear forward against numpy"
    )
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        threading_child(args.repeats, args.rounds)
        return

    import numba

    from autograd import kernels

    dtype = np.float32 if args.dtype == "float32" else np.float64
    if args.linear:
        bench_fused_linear(args.repeats, args.rounds)
        return
    if args.fallback:
        kernels.set_num_threads(args.threads)
        bench_fallback(kernels, dtype, args.repeats, args.rounds)
        return
    import torch

    torch.set_num_threads(args.threads)
    try:
        from threadpoolctl import threadpool_limits

        threadpool_limits(args.threads, user_api="blas")
        blas = f"BLAS threads {args.threads} (threadpoolctl)"
    except ImportError:
        blas = "BLAS threads: library default (threadpoolctl not installed)"
    kernels.set_num_threads(args.threads)
    print(
        f"cores {os.cpu_count()}; torch threads {torch.get_num_threads()}, {blas}, kernel threads "
        f"{kernels.get_num_threads()}, Numba threads {numba.config.NUMBA_NUM_THREADS} (unused: "
        f"no kernel is a parallel build; layer set to {numba.config.THREADING_LAYER}); "
        f"{args.rounds} blocks x {args.repeats} timed calls each"
    )
    bench_conv(kernels, torch, dtype, args.repeats, args.rounds)
    bench_conv_threads(kernels, torch, dtype, args.repeats, args.rounds)
    bench_pool(kernels, torch, dtype, args.repeats, args.rounds)
    bench_matmul(kernels, args.repeats, args.rounds)
    bench_fused_linear(args.repeats, args.rounds)
    bench_fallback(kernels, dtype, args.repeats, args.rounds)
    bench_lenet(kernels, torch, args.repeats, args.rounds)
    if not args.skip_threading:
        bench_threading(args.repeats, args.subprocesses)


if __name__ == "__main__":
    main()
