"""Tensor engine speed next to PyTorch and numpy: train step, conv, matmul, op overhead, start-up.

Run: ``python benchmarks/bench_tensor.py [--repeats 20] [--rounds 3] [--threads 2] [--quick]
[--busy 1]``.

Contenders run in this one process at the same thread count, in alternating timed blocks (two
warm-up calls, then ``--repeats`` timed calls, ``--rounds`` blocks each); medians and ratios are
printed (ratio = ours / theirs in time, so below 1 is faster; for matmul also throughput as a
fraction of numpy's). PyTorch columns are skipped when torch is not installed. Start-up numbers
come from fresh subprocesses: ``import autograd, nn, viz``, and the first LeNet training step
with a cold (fresh ``NUMBA_CACHE_DIR``) and then a warm kernel cache.

``--busy N`` starts N competing CPU-bound processes (a Python busy loop each) for the whole run,
as on a shared machine; comparing a run with and without it shows how each engine degrades
when its threads cannot all have a core.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from shapes import CONV_SHAPES, MATMUL_SIZES
from timing import timed_blocks

ROOT = Path(__file__).resolve().parents[1]
LENET_SHAPES = [(8, 1, 3, 3), (8,), (16, 8, 3, 3), (16,), (10, 784), (10,)]


def medians(fns: list[Callable[[], object]], repeats: int, rounds: int) -> list[float]:
    """Median seconds per call of each function, timed in alternating blocks."""
    return [t.median for t in timed_blocks(fns, repeats, rounds)]


def row(name: str, ours: float, others: dict[str, float | None], unit: float = 1e3) -> None:
    cells = [f"{name:<34}", f"{ours * unit:10.3f}"]
    for other in others.values():
        if other is None:
            cells += [f"{'-':>10}", f"{'-':>7}"]
        else:
            cells += [f"{other * unit:10.3f}", f"{ours / other:7.2f}"]
    print(" ".join(cells))


def header(title: str, others: list[str], unit: str = "ms") -> None:
    print(f"\n{title}")
    cells = [f"{'':<34}", f"{'ours ' + unit:>10}"]
    for name in others:
        cells += [f"{name + ' ' + unit:>10}", f"{'ratio':>7}"]
    print(" ".join(cells))


# ---- LeNet-like training step -------------------------------------------------------------------


def lenet_data(seed: int = 0) -> tuple[np.ndarray, np.ndarray, list[np.ndarray]]:
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((64, 1, 28, 28)).astype(np.float32)
    y = rng.integers(0, 10, 64)
    params = [(rng.standard_normal(s) * 0.1).astype(np.float32) for s in LENET_SHAPES]
    return x, y, params


def our_lenet_step(x: np.ndarray, y: np.ndarray, init: list[np.ndarray]) -> Callable[[], float]:
    """conv 1→8 3×3 p1, relu, maxpool 2, conv 8→16 3×3 p1, relu, maxpool 2, linear, CE, SGD."""
    from autograd import Tensor
    from nn import functional as F

    params = [Tensor(p, requires_grad=True) for p in init]
    inputs = Tensor(x)

    def step() -> float:
        w1, b1, w2, b2, w3, b3 = params
        h = F.max_pool2d(F.conv2d(inputs, w1, b1, padding=1).relu(), 2)
        h = F.max_pool2d(F.conv2d(h, w2, b2, padding=1).relu(), 2)
        loss = F.cross_entropy(F.linear(h.flatten(1), w3, b3), y)
        for p in params:
            p.grad = None
        loss.backward()
        for p in params:
            p.data -= 0.01 * p.grad
        return loss.item()

    return step


def torch_lenet_step(torch: Any, x: np.ndarray, y: np.ndarray, init: list[np.ndarray]):
    TF = torch.nn.functional
    params = [torch.tensor(p, requires_grad=True) for p in init]
    inputs, targets = torch.tensor(x), torch.tensor(y)

    def step() -> float:
        w1, b1, w2, b2, w3, b3 = params
        h = TF.max_pool2d(TF.relu(TF.conv2d(inputs, w1, b1, padding=1)), 2)
        h = TF.max_pool2d(TF.relu(TF.conv2d(h, w2, b2, padding=1)), 2)
        loss = TF.cross_entropy(TF.linear(h.flatten(1), w3, b3), targets)
        for p in params:
            p.grad = None
        loss.backward()
        with torch.no_grad():
            for p in params:
                p -= 0.01 * p.grad
        return loss.item()

    return step


def bench_lenet(torch: Any, repeats: int, rounds: int) -> None:
    header("LeNet-like train step, batch 64, 28x28 float32 (forward, backward, SGD)", ["torch"])
    x, y, init = lenet_data()
    ours = our_lenet_step(x, y, init)
    fns: list[Callable[[], object]] = [ours]
    if torch is not None:
        theirs = torch_lenet_step(torch, x, y, init)
        first_ours, first_theirs = ours(), theirs()
        print(f"  (first-step losses: ours {first_ours:.6f}, torch {first_theirs:.6f})")
        fns.append(theirs)
    times = medians(fns, repeats, rounds)
    row("train step", times[0], {"torch": times[1] if torch is not None else None})


# ---- conv2d forward + backward ------------------------------------------------------------------


def bench_conv(torch: Any, repeats: int, rounds: int) -> None:
    from autograd import Tensor
    from nn import functional as F

    header("conv2d forward + backward (x and w gradients), float32, through autograd", ["torch"])
    rng = np.random.default_rng(1)
    for x_shape, w_shape, pad in CONV_SHAPES:
        xa = rng.standard_normal(x_shape).astype(np.float32)
        wa = rng.standard_normal(w_shape).astype(np.float32)
        x, w = Tensor(xa, requires_grad=True), Tensor(wa, requires_grad=True)

        def ours(x=x, w=w, pad=pad) -> None:
            x.grad = w.grad = None
            F.conv2d(x, w, padding=pad).sum().backward()

        fns: list[Callable[[], object]] = [ours]
        if torch is not None:
            xt = torch.tensor(xa, requires_grad=True)
            wt = torch.tensor(wa, requires_grad=True)

            def theirs(xt=xt, wt=wt, pad=pad) -> None:
                xt.grad = wt.grad = None
                torch.nn.functional.conv2d(xt, wt, padding=pad).sum().backward()

            fns.append(theirs)
        times = medians(fns, repeats, rounds)
        name = f"x{x_shape} w{w_shape} p{pad}".replace(" ", "")
        row(name, times[0], {"torch": times[1] if torch is not None else None})


# ---- matmul -------------------------------------------------------------------------------------


def bench_matmul(torch: Any, repeats: int, rounds: int) -> None:
    from autograd import Tensor

    print("\nmatmul forward, Tensor @ Tensor (GFLOP/s; ratio = our throughput / theirs)")
    print(f"{'':<34} {'ours':>10} {'numpy':>10} {'ratio':>7} {'torch':>10} {'ratio':>7}")
    rng = np.random.default_rng(2)
    for dtype in (np.float32, np.float64):
        for n in MATMUL_SIZES:
            a = rng.standard_normal((n, n)).astype(dtype)
            b = rng.standard_normal((n, n)).astype(dtype)
            ta, tb = Tensor(a, requires_grad=True), Tensor(b, requires_grad=True)
            fns: list[Callable[[], object]] = [lambda ta=ta, tb=tb: ta @ tb, lambda a=a, b=b: a @ b]
            if torch is not None:
                at, bt = torch.tensor(a), torch.tensor(b)
                fns.append(lambda at=at, bt=bt: at @ bt)
            times = medians(fns, repeats, rounds)
            flops = 2.0 * n**3 / 1e9
            ours, numpy_ = flops / times[0], flops / times[1]
            cells = [f"{np.dtype(dtype).name} n={n:<24}", f"{ours:10.1f}", f"{numpy_:10.1f}"]
            cells.append(f"{ours / numpy_:7.2f}")
            if torch is not None:
                theirs = flops / times[2]
                cells += [f"{theirs:10.1f}", f"{ours / theirs:7.2f}"]
            print(" ".join(cells))


# ---- per-op overhead ----------------------------------------------------------------------------


def bench_tiny(torch: Any, repeats: int, rounds: int) -> None:
    from autograd import Tensor

    header("1-element a + b with grad: forward + backward (per-op overhead)", ["torch"], "us")
    a, b = Tensor([1.0], requires_grad=True), Tensor([2.0], requires_grad=True)

    def ours() -> None:
        for _ in range(100):
            (a + b).backward()

    fns: list[Callable[[], object]] = [ours]
    if torch is not None:
        at = torch.tensor([1.0], requires_grad=True)
        bt = torch.tensor([2.0], requires_grad=True)

        def theirs() -> None:
            for _ in range(100):
                (at + bt).backward()

        fns.append(theirs)
    times = medians(fns, max(repeats // 2, 3), rounds)
    row("a + b, backward", times[0] / 100, {"torch": times[1] / 100 if torch else None}, 1e6)


# ---- start-up -----------------------------------------------------------------------------------

FIRST_STEP = """
import sys, time
sys.path.insert(0, {root!r}); sys.path.insert(0, {bench!r})
start = time.perf_counter()
import autograd, nn.functional
imported = time.perf_counter()
from bench_tensor import lenet_data, our_lenet_step
x, y, init = lenet_data()
step = our_lenet_step(x, y, init)
begin = time.perf_counter()
step()
first = time.perf_counter()
step()
second = time.perf_counter()
print(imported - start, first - begin, second - first)
"""


def run_child(code: str, env: dict[str, str]) -> tuple[float, list[float]]:
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    wall = time.perf_counter() - start
    values = [float(v) for v in done.stdout.split()] if done.stdout.strip() else []
    return wall, values


def bench_startup(threads: int, runs: int) -> None:
    env = dict(os.environ)
    env.setdefault("OMP_NUM_THREADS", str(threads))
    imports = [run_child("import autograd, nn, viz", env)[0] for _ in range(runs)]
    print(
        f'\n`python -c "import autograd, nn, viz"`: median {statistics.median(imports):.3f} s '
        f"over {runs} runs (process start included; target <= 1.0 s)"
    )
    bare = [run_child("pass", env)[0] for _ in range(runs)]
    print(f"  (a bare `python -c pass` takes {statistics.median(bare):.3f} s here)")

    code = FIRST_STEP.format(root=str(ROOT), bench=str(Path(__file__).resolve().parent))
    with tempfile.TemporaryDirectory(prefix="numba-cold-") as cache:
        env_cache = dict(env, NUMBA_CACHE_DIR=cache)
        cold_wall, (cold_import, cold_first, cold_second) = run_child(code, env_cache)
        warm = [run_child(code, env_cache) for _ in range(runs)]
    warm_first = statistics.median(v[1][1] for v in warm)
    warm_wall = statistics.median(v[0] for v in warm)
    print("first LeNet training step in a fresh process (imports of autograd/nn excluded):")
    print(
        f"  cold kernel cache: {cold_first:7.3f} s  (process total {cold_wall:.2f} s; "
        f"second step {cold_second * 1e3:.1f} ms; target <= 30 s)"
    )
    print(
        f"  warm kernel cache: {warm_first:7.3f} s  (process total {warm_wall:.2f} s, median of "
        f"{runs}; target <= 2 s)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--quick", action="store_true", help="fewer repeats, no start-up section")
    parser.add_argument(
        "--busy", type=int, default=0, help="competing CPU-bound processes to run meanwhile"
    )
    args = parser.parse_args()
    if args.busy < 0:
        parser.error(f"--busy must be at least 0; got {args.busy}")
    busy = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(args.busy)]
    try:
        run(args)
    finally:
        for process in busy:
            process.kill()
            process.wait()


def run(args: argparse.Namespace) -> None:
    """Print every section, at the thread count and repeats ``args`` asks for."""
    repeats, rounds = (5, 1) if args.quick else (args.repeats, args.rounds)

    from autograd import allocator, kernels  # its kernels are serial builds: no Numba thread pool

    kernels.set_num_threads(args.threads)
    try:
        from threadpoolctl import threadpool_limits

        threadpool_limits(args.threads, user_api="blas")
        blas = f"BLAS threads {args.threads}"
    except ImportError:
        blas = "BLAS threads: library default (threadpoolctl not installed)"
    try:
        import torch

        torch.set_num_threads(args.threads)
        torch_note = f"torch {torch.__version__}, {torch.get_num_threads()} threads"
    except ImportError:
        torch = None
        torch_note = "torch not installed: its columns are skipped"
    print(
        f"cores {os.cpu_count()}; numpy {np.__version__}; kernel threads "
        f"{kernels.get_num_threads()} (numba: {kernels.has_numba()}); {blas}; {torch_note}; malloc "
        f"{allocator.STATE}; competing busy processes {args.busy}"
    )
    bench_lenet(torch, repeats, rounds)
    bench_conv(torch, repeats, rounds)
    bench_matmul(torch, max(repeats // 2, 3), rounds)
    bench_tiny(torch, repeats, rounds)
    if not args.quick:
        bench_startup(args.threads, runs=5)


if __name__ == "__main__":
    main()
