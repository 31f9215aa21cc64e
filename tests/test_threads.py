"""Threads: grad mode, anomaly mode and the module scope belong to each thread, as in PyTorch.

Two threads train two models exactly as they would one after the other, and a fork while the
kernel pool is busy in another thread neither hangs the parent nor leaves the child broken.
Also here: anomaly checks in backward follow the mode at backward time.
"""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from autograd import (
    Tensor,
    detect_anomaly,
    enable_grad,
    get_default_dtype,
    is_grad_enabled,
    no_grad,
    set_default_dtype,
)
from autograd.graph import current_scope, scope

ROOT = Path(__file__).resolve().parents[1]


def in_thread(fn: Callable[[], object]) -> object:
    """Run ``fn`` in a new thread and return its result (re-raising its error)."""
    result: list[object] = []
    errors: list[BaseException] = []

    def target() -> None:
        try:
            result.append(fn())
        except BaseException as err:  # noqa: BLE001 (handed to the caller)
            errors.append(err)

    thread = threading.Thread(target=target)
    thread.start()
    thread.join(timeout=30)
    assert not thread.is_alive()
    if errors:
        raise errors[0]
    return result[0]


class Holder:
    """Runs ``enter()`` in a helper thread and keeps it inside until `release`."""

    def __init__(self, context: Callable[[], object]) -> None:
        self.inside, self.leave = threading.Event(), threading.Event()
        self.seen: list[object] = []
        self.context = context
        self.thread = threading.Thread(target=self._run)

    def _run(self) -> None:
        with self.context():  # type: ignore[attr-defined]
            self.inside.set()
            self.leave.wait(timeout=30)
            self.seen.append((is_grad_enabled(), current_scope.name))
        self.seen.append((is_grad_enabled(), current_scope.name))

    def __enter__(self) -> Holder:
        self.thread.start()
        assert self.inside.wait(timeout=30)
        return self

    def __exit__(self, *exc: object) -> None:
        self.leave.set()
        self.thread.join(timeout=30)
        assert not self.thread.is_alive()


def test_no_grad_in_one_thread_leaves_backward_in_another_working() -> None:
    w = Tensor([1.0, 2.0], requires_grad=True)
    with Holder(no_grad):
        y = (w * w).sum()
        assert y.requires_grad
        y.backward()
    assert w.grad.tolist() == [2.0, 4.0]


def test_overlapping_no_grad_blocks_in_two_threads_leave_grad_mode_on() -> None:
    first, second = Holder(no_grad), Holder(no_grad)
    first.__enter__()
    second.__enter__()
    first.__exit__()  # the first thread leaves its block while the second is still inside
    second.__exit__()
    assert first.seen == [(False, ""), (True, "")]
    assert second.seen == [(False, ""), (True, "")]
    assert is_grad_enabled()
    assert in_thread(is_grad_enabled) is True


def test_one_no_grad_object_shared_by_two_threads() -> None:
    shared = no_grad()
    first, second = Holder(lambda: shared), Holder(lambda: shared)
    with enable_grad():
        first.__enter__()
        second.__enter__()
        first.__exit__()
        second.__exit__()
    assert first.seen[-1] == second.seen[-1] == (True, "")
    assert is_grad_enabled()


def test_a_node_gets_the_scope_of_its_own_thread() -> None:
    with Holder(lambda: scope("encoder.fc1")) as holder:
        t = Tensor([1.0], requires_grad=True) * 2
        with scope("decoder"):
            u = t + 1
    assert holder.seen[0] == (True, "encoder.fc1")
    assert (t.scope, u.scope, current_scope.name) == ("", "decoder", "")


def test_detect_anomaly_in_one_thread_does_not_raise_in_another() -> None:
    x = Tensor([0.0, 1.0], requires_grad=True)
    with Holder(detect_anomaly):
        with np.errstate(divide="ignore"):
            y = x.log()  # -inf, no error: anomaly mode is on only in the other thread
        assert np.isneginf(y.data[0])
    with detect_anomaly(), pytest.raises(FloatingPointError, match="op 'log'"):
        with np.errstate(divide="ignore"):
            x.log()


def test_a_new_thread_starts_with_grad_on_anomaly_off_and_no_scope() -> None:
    def state() -> tuple[bool, str, bool]:
        with np.errstate(divide="ignore"):
            log0 = Tensor([0.0]).log()  # raises if anomaly mode were on here
        return is_grad_enabled(), current_scope.name, bool(np.isneginf(log0.data[0]))

    with no_grad(), detect_anomaly(), scope("net"):
        assert in_thread(state) == (True, "", True)


def test_the_default_dtype_is_shared_by_all_threads() -> None:
    try:
        in_thread(lambda: set_default_dtype("float64"))
        assert get_default_dtype() == np.float64
        assert in_thread(lambda: Tensor([1.0]).dtype) == np.float64
    finally:
        set_default_dtype("float32")


# ---- anomaly checks follow the mode at backward time ------------------------------------------


def test_anomaly_checks_in_backward_follow_the_mode_at_backward_time() -> None:
    x = Tensor([0.0, 4.0], requires_grad=True)
    with detect_anomaly():
        y = x.sqrt()  # finite forward; its gradient at 0 is inf
    y.sum().backward()  # anomaly mode is off now: no check, as in PyTorch
    assert np.isinf(x.grad[0])
    z = x.sqrt()  # built outside the mode ...
    x.grad = None
    with detect_anomaly(), pytest.raises(FloatingPointError, match="backward of op 'sqrt'"):
        z.sum().backward()  # ... but checked when differentiated inside it


# ---- two models trained in two threads --------------------------------------------------------


def train_pair(seeds: tuple[int, int], threaded: bool) -> list[tuple[dict, list[np.ndarray]]]:
    """Train two MLPs on moons with validation, in two threads or one after the other."""
    import nn
    from autograd import manual_seed
    from nn.data import DataLoader, moons

    jobs = []
    for seed in seeds:  # built up front: initialisation draws from the engine's one generator
        manual_seed(seed)
        model = nn.MLP(2, 12, 2, activation="tanh")
        X, y = moons(120, noise=0.15, seed=seed)
        Xv, yv = moons(40, noise=0.15, seed=seed + 100)
        optimizer = nn.optim.Adam(model.parameters(), lr=0.05)
        train = DataLoader(X, y, batch_size=16, seed=seed)
        jobs.append((model, optimizer, train, DataLoader(Xv, yv, batch_size=16, shuffle=False)))
    results: list[object] = [None, None]

    def run(i: int) -> None:
        model, optimizer, train, val = jobs[i]
        history = nn.fit(
            model, nn.CrossEntropyLoss(), optimizer, train, epochs=4, val=val,
            metrics=["accuracy"], progress=False,
        )  # fmt: skip
        results[i] = (history.history, [p.data.copy() for p in model.parameters()])

    if threaded:
        workers = [threading.Thread(target=run, args=(i,)) for i in range(2)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(timeout=60)
        assert not any(worker.is_alive() for worker in workers)
    else:
        run(0)
        run(1)
    assert all(r is not None for r in results), "a training thread failed"
    return results  # type: ignore[return-value]


def test_two_threads_train_two_models_as_one_after_the_other() -> None:
    seeds = (3, 7)
    expected = train_pair(seeds, threaded=False)
    for _ in range(20):
        got = train_pair(seeds, threaded=True)
        for (history, params), (want_history, want_params) in zip(got, expected, strict=True):
            assert history == want_history
            for p, q in zip(params, want_params, strict=True):
                np.testing.assert_array_equal(p, q)


# ---- BLAS stays single-threaded while split batches run, in any thread ----------------------


def test_blas_is_single_threaded_during_a_split_batch_in_another_thread() -> None:
    """threadpoolctl >= 3.8 lets only one thread (the first to set a limit, here the main
    thread) change OpenBLAS's pool and silently ignores the others; kernels run anywhere."""
    threadpoolctl = pytest.importorskip("threadpoolctl")
    from autograd.kernels import threads

    def blas() -> list[int]:
        libs = threadpoolctl.threadpool_info()
        return [lib["num_threads"] for lib in libs if lib["user_api"] == "blas"]

    before = threads.get_num_threads()
    threads.set_num_threads(2)
    try:
        with threadpoolctl.threadpool_limits(2, user_api="blas"):
            limited = blas()
            during: list[list[int]] = []
            in_thread(lambda: threads.split_batch(4, lambda a, b: during.append(blas())))
            after = blas()
    finally:
        threads.set_num_threads(before)
    assert during == [[1] * len(limited)] * 2
    assert after == limited


# ---- fork while the kernel pool is busy -------------------------------------------------------

FORK_WHILE_BUSY = """
import os, signal, sys, threading, time, traceback
sys.path.insert(0, {root!r})
import numpy as np
from threadpoolctl import threadpool_info, threadpool_limits
from autograd import Tensor
from autograd.kernels import threads
import nn.functional as F

threadpool_limits(2, user_api="blas")
threads.set_num_threads(2)
def blas():
    return [lib["num_threads"] for lib in threadpool_info() if lib["user_api"] == "blas"]

rng = np.random.default_rng(0)
x = Tensor(rng.standard_normal((32, 8, 16, 16)), requires_grad=True)  # mostly in the kernels
w = Tensor(rng.standard_normal((16, 8, 3, 3)), requires_grad=True)
def conv():
    x.grad = w.grad = None
    F.conv2d(x, w, padding=1).sum().backward()
    return x.grad.copy(), w.grad.copy()
want = conv()
before = blas()  # after the first conv: loading the kernels may load another BLAS

stop, rounds = threading.Event(), [0]
def busy():
    while not stop.is_set():
        conv()
        rounds[0] += 1
worker = threading.Thread(target=busy)
worker.start()
while rounds[0] < 2:
    time.sleep(0.001)

for i in range(6):
    time.sleep(0.003 * i)
    pid = os.fork()
    if pid == 0:
        code = 3
        try:
            child_blas = blas()
            gx, gw = conv()
            ok = np.allclose(gx, want[0]) and np.allclose(gw, want[1])
            code = 0 if ok and child_blas == before == blas() else 1
            if code:
                print("child:", child_blas, before, blas(), ok, flush=True)
        except BaseException:
            traceback.print_exc()
        finally:
            os._exit(code)
    deadline = time.monotonic() + 30
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            sys.exit("child hung")
        time.sleep(0.002)
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"child {{i}} exited with {{os.waitstatus_to_exitcode(status)}}")
stop.set()
worker.join(timeout=30)
assert not worker.is_alive(), "the busy thread hung"
assert blas() == before
print("ok", rounds[0] > 2)
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="os.fork semantics of Linux")
def test_fork_while_the_kernel_pool_is_busy() -> None:
    pytest.importorskip("threadpoolctl")
    done = subprocess.run(
        [sys.executable, "-c", FORK_WHILE_BUSY.format(root=str(ROOT))],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-3000:]
    assert done.stdout.strip().splitlines()[-1] == "ok True"


FORK_WHILE_LOADING = """
import os, signal, sys, threading, time
sys.path.insert(0, {root!r})
import numpy as np
from autograd import kernels
from autograd.kernels import threads

threads.set_num_threads(2)
rng = np.random.default_rng(0)
def first_loads():  # each call is the first of its kind: Numba compiles or loads it
    for dtype in (np.float32, np.float64):
        x = rng.standard_normal((16, 4, 20, 20)).astype(dtype)
        w = rng.standard_normal((8, 4, 3, 3)).astype(dtype)
        y = kernels.conv2d_forward(x, w, (1, 1), (1, 1))
        kernels.conv2d_backward(np.ones_like(y), x, w, (1, 1), (1, 1))
        _, argmax = kernels.max_pool2d_forward(x, (2, 2), (2, 2))
        kernels.max_pool2d_backward(np.ones((16, 4, 10, 10), dtype), argmax, (20, 20))
        kernels.avg_pool2d_forward(x, (2, 2), (2, 2))
worker = threading.Thread(target=first_loads)
worker.start()
for delay in (0.01, 0.05, 0.1, 0.2):
    time.sleep(delay)
    pid = os.fork()  # Numba's compiler lock may be held by the worker now
    if pid == 0:
        code = 1
        try:  # a kernel the worker never loads: the child compiles or loads it itself
            g = kernels.avg_pool2d_backward(np.ones((2, 3, 2, 2)), (4, 4), (2, 2), (2, 2))
            code = 0 if g.shape == (2, 3, 4, 4) else 2
        finally:
            os._exit(code)
    deadline = time.monotonic() + 30
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            sys.exit(f"the child forked after {{delay}} s hung: it inherited a held lock")
        time.sleep(0.005)
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        sys.exit(f"the child forked after {{delay}} s exited with {{code}}")
worker.join(timeout=60)
print("ok", not worker.is_alive())
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="os.fork semantics of Linux")
def test_fork_while_another_thread_loads_a_kernel() -> None:
    """The child needs Numba's compiler lock for its own first kernel: the fork has to wait
    until the other thread's first load (compile or cache load) is over."""
    done = subprocess.run(
        [sys.executable, "-c", FORK_WHILE_LOADING.format(root=str(ROOT))],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-3000:]
    assert done.stdout.strip().splitlines()[-1] == "ok True"
