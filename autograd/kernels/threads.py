"""Thread discipline: how the kernels use the cores, next to BLAS and Numba's own threads.

Two rules, both measured on a 2-core machine (benchmarks/bench_kernels.py, bench_tensor.py):

- The batch is split across a few Python threads (`split_batch`), one contiguous slice each.
  Every slice runs a Numba kernel compiled with ``nogil=True`` and numpy's BLAS calls, which
  release the GIL too, so the slices really run at once. Per-image GEMMs of a small conv are
  too small for OpenBLAS to thread by itself, which is why a conv on one thread left a core idle.
  While the slices run, BLAS is made single-threaded (through threadpoolctl) and then given
  its thread count back: its own threads would take the cores the slices run on (conv
  forward+backward on x(32,3,32,32): 14.5 ms with BLAS at 2 threads, 6.9 ms single-threaded).
  A call too small to gain from a second thread runs in the caller alone (`MIN_SLICE_COST`),
  and a slice no pool thread has started when the caller is done with its own is run by the
  caller: on a busy machine a pool thread may wait milliseconds for a core.
- No kernel is a ``parallel=True`` build. Numba's OpenMP workers keep spinning after a parallel
  loop ends and take the cores BLAS needs next (im2col + GEMM ran 4-12x slower). For other
  parallel Numba code in the process, Numba's ``workqueue`` layer, which parks its workers, is
  made the default (`configure`); unlike OpenMP it survives ``fork()``, but it aborts if two
  Python threads launch parallel kernels at the same moment.

The number of threads defaults to Numba's (``NUMBA_NUM_THREADS``, else the cores this process
may run on), worked out without importing Numba; `set_num_threads` changes it, as
``torch.set_num_threads`` does. Nothing here needs Numba but `configure`: without it (see
backend.py) the numpy kernels split their batch the same way, their BLAS calls and most of their
copies releasing the GIL too.

Fork safety. A child of ``fork()`` holds only the thread that forked, with every lock as it
was at that instant; a lock held by another thread (inside BLAS, Numba's compiler, or this
module) never comes free there, and OpenBLAS's own fork handler may wait on a GEMM in flight.
So before a fork, `os.register_at_fork` hooks let kernel calls running in other threads finish
(up to `FORK_WAIT_S` seconds) and hold new ones back until the fork is done; the child starts
with a fresh pool and BLAS at its usual thread count. This covers the library's own threads
only: numpy, BLAS or Numba work that *your* threads run outside the kernels can still hang a
forked child. With such threads, use the ``"spawn"`` or ``"forkserver"`` start method of
`multiprocessing` (or fork before starting them). Forking from a signal handler in the middle
of a kernel call cannot wait for that call.
"""

from __future__ import annotations

import itertools
import os
import queue
import signal
import threading
import time
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

LAYER_VARIABLE = "NUMBA_THREADING_LAYER"
DEFAULT_LAYER = "workqueue"
FORK_WAIT_S = 10.0  # how long a fork waits for kernel calls running in other threads
INTERRUPT_GRACE_S = 5.0  # how long a KeyboardInterrupt waits for the slices of a split batch
# The work (in `split_batch`'s cost units, about a nanosecond of one core's time) that earns a
# thread: waking a pool thread and handing it a slice costs 30-70 us on a 2-core VM. Measured
# there: LeNet's 2x2 pools (0.2-0.4 ms) and conv1 ran faster split, its pooling backward
# (0.1 ms) did not.
MIN_SLICE_COST = 150_000


class _State:
    """Everything this module keeps between calls, in one object.

    ``lock`` is a C-level lock (``with lock`` cannot be cut short by Ctrl-C); it guards the
    fields from ``pool`` down. `_after_fork_in_child` gives a forked child fresh ones.
    """

    __slots__ = (
        "threads",
        "compiled",
        "blas_libs",
        "blas_saved",
        "generation",
        "lock",
        "changed",
        "pool",
        "blas_users",
        "running",
        "forking",
    )

    def __init__(self) -> None:
        self.threads = 0  # 0: not chosen yet; Numba's default on first use
        self.compiled: set[tuple[object, object]] = set()  # (work's code, kind) that ran once
        self.blas_libs: list | None = None  # threadpoolctl's controllers of the loaded BLAS
        self.blas_saved: list = []  # (controller, thread count) pairs saved by `_blas_enter`
        self.generation = 0  # bumped in a forked child: calls begun before end unrecorded
        self.start_afresh()

    def start_afresh(self) -> None:
        """New locks, no pool, no calls running: the state of a new process (or forked child)."""
        self.lock = threading.RLock()
        self.changed = threading.Condition(self.lock)  # a kernel call ended or a fork is over
        self.pool: _Workers | None = None
        self.blas_users = 0  # split batches running now (BLAS stays single-threaded meanwhile)
        self.running: dict[int, int] = {}  # thread id -> `split_batch` calls running in it
        self.forking = False  # a fork waits for the calls running in other threads to finish


_state = _State()


def configure() -> str:
    """Choose Numba's threading layer before its thread pool starts; return the layer chosen.

    A value the user already put in ``NUMBA_THREADING_LAYER`` wins. Numba reads the variable
    when it is imported, so the choice is also written to ``numba.config``. If Numba's pool is
    already running with another layer, nothing can change it any more, and a warning says so.
    This imports Numba (an ImportError where it cannot be imported); backend.py calls it.

    Example:
        >>> configure() in {"workqueue", "omp", "tbb", os.environ["NUMBA_THREADING_LAYER"]}
        True
    """
    layer = os.environ.setdefault(LAYER_VARIABLE, DEFAULT_LAYER)
    import numba

    try:
        running = numba.threading_layer()
    except ValueError:  # no parallel kernel has run yet: the pool has not started
        config: Any = numba.config  # its settings are set at run time: no attributes to type
        config.THREADING_LAYER = layer
        return layer
    if layer not in ("default", "safe", "threadsafe", "forksafe") and running != layer:
        warnings.warn(
            f"autograd.kernels: Numba's thread pool already runs the {running!r} layer, so "
            f"{LAYER_VARIABLE}={layer!r} cannot take effect; import autograd.kernels before "
            "running other parallel Numba code to avoid OpenMP/BLAS thread contention.",
            stacklevel=2,
        )
    return running


def _default_threads() -> int:
    """Numba's default thread count, read as Numba reads it but without importing Numba:
    ``NUMBA_NUM_THREADS``, else the cores this process may run on."""
    value = os.environ.get("NUMBA_NUM_THREADS", "").strip()
    if value:
        if not value.isdigit() or int(value) < 1:
            raise ValueError(
                f"get_num_threads: NUMBA_NUM_THREADS must be a positive int; got {value!r}"
            )
        return int(value)
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def get_num_threads() -> int:
    """How many threads a kernel splits its batch across.

    Example:
        >>> get_num_threads() >= 1
        True
    """
    if _state.threads == 0:
        _state.threads = _default_threads()
    return _state.threads


def set_num_threads(n: int) -> None:
    """Split kernel batches across ``n`` threads from now on (1: run in the calling thread).

    Example:
        >>> before = get_num_threads()
        >>> set_num_threads(1); get_num_threads()
        1
        >>> set_num_threads(before)
    """
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise ValueError(f"set_num_threads: expected a positive int; got {n!r}")
    _state.threads = n


def split_batch(
    n: int, work: Callable[[int, int], object], kind: object = None, cost: float | None = None
) -> None:
    """Call ``work(start, stop)`` on contiguous slices covering ``range(n)``, one per thread.

    ``cost`` estimates the call's work in about nanoseconds of one core (the callers count
    one per element visited by a copy or pooling window, one per 20 multiply-adds of a GEMM);
    when given, the batch gets one slice per `MIN_SLICE_COST` of it, up to the thread count,
    so a small call runs in the calling thread alone. BLAS is single-threaded during the call
    whenever more than one thread could have run it.

    The calling thread takes the first slice itself; each of the others goes to whichever
    thread comes for it first, a pool thread (the pool starts lazily) or the caller once its
    own slice is done (`_Slices`). Returns once every slice is done, re-raising the error of
    the first slice that failed. A KeyboardInterrupt that arrives meanwhile is held back until
    then (up to `INTERRUPT_GRACE_S`; a second one gets through at once), since ``work`` may
    still be writing into the caller's arrays. ``work`` must write only inside its own slice
    of the batch.

    The first call of each ``work`` (its code) and ``kind`` (whatever selects the compiled
    kernels it runs: the dtype, which kernels) runs the caller's slice alone and before the
    others, with Ctrl-C held back (`_interrupts_held`): Numba then compiles, or loads from its
    cache, in the calling thread only and is never interrupted half-way. (An interrupt inside
    llvmlite's lock can also leave that lock held by the interrupted thread, which gets in
    again, while any other thread would wait on it for ever.)

    Example:
        >>> seen = []
        >>> split_batch(5, lambda start, stop: seen.append((start, stop)))
        >>> sorted(seen)[0][0], sorted(seen)[-1][1], sum(b - a for a, b in seen)
        (0, 5, 5)
    """
    k = min(n, get_num_threads())
    single_blas = k > 1  # kept when `cost` leaves the caller alone: its GEMMs are small too
    if cost is not None:
        k = max(1, min(k, -int(-cost // MIN_SLICE_COST)))  # the ceiling of the ratio
    key = (getattr(work, "__code__", work), kind)
    cold = key not in _state.compiled
    if k == 1 and not cold:  # the caller alone: no slices to hand out
        with _kernel_call(single_blas):
            work(0, n)
        return
    slices = _Slices(work, [n * i // k for i in range(k + 1)])
    with _kernel_call(single_blas):
        if cold:  # the first run: Numba compiles (or loads) the kernels here, alone
            with _interrupts_held():
                slices.run(0)
        try:
            if k > 1:
                pool = _executor(k - 1)
                for _ in range(1, k):
                    pool.submit(slices.help)
            if not cold:
                slices.run(0)
        finally:  # never return while a slice may still be writing into the caller's arrays
            _finish(slices)
    if slices.errors:
        raise slices.errors[min(slices.errors)]
    if cold:
        _state.compiled.add(key)
        _forget_blas_libs()  # a first compile can load another BLAS (Numba loads SciPy's)


class _Slices:
    """The slices of one `split_batch` call. Slice 0 is the caller's; each of the others goes
    to whichever thread asks first, so a pool thread that the system keeps waiting (a busy
    machine) leaves its slices to the caller instead of holding the whole call up."""

    __slots__ = ("work", "bounds", "claims", "left", "lock", "done", "errors")

    def __init__(self, work: Callable[[int, int], object], bounds: list[int]) -> None:
        self.work, self.bounds = work, bounds
        self.claims = itertools.count(1)  # next() on it is atomic: no two takers get one slice
        self.left = len(bounds) - 1  # slices not finished yet
        self.lock = threading.Lock()
        self.done = threading.Lock()  # held until the last slice finishes (lighter than Event)
        self.done.acquire()
        self.errors: dict[int, Exception] = {}  # slice -> the error it raised

    def take(self) -> int | None:
        """The next slice nobody has taken yet, or None."""
        i = next(self.claims)
        return i if i < len(self.bounds) - 1 else None

    def run(self, i: int) -> None:
        """Run slice ``i``, keep its error, and count it finished."""
        try:
            self.work(self.bounds[i], self.bounds[i + 1])
        except Exception as err:  # the other slices still run
            self.errors[i] = err
        finally:
            with self.lock:
                self.left -= 1
                if self.left == 0:
                    self.done.release()

    def help(self) -> None:
        """A pool thread's task: run slices until none is left (often none, under load)."""
        while (i := self.take()) is not None:
            self.run(i)


def call_compiled(kernel: Callable[..., Any], kind: object, *args: object) -> Any:
    """Call a Numba kernel in the calling thread and return what it returns, Ctrl-C held back
    on its first call per ``kind`` (whatever selects the compiled specialisation: dtypes,
    layouts), when Numba compiles it or loads it from its cache (see `split_batch` for why); a
    fork waits for that first call. Costs a set lookup on later calls, for kernels too small
    to split.

    Example:
        >>> seen = []
        >>> call_compiled(seen.append, "list", 1); call_compiled(seen.append, "list", 2)
        >>> seen, call_compiled(len, "list", seen)
        ([1, 2], 2)
    """
    key = (kernel, kind)
    if key in _state.compiled:
        return kernel(*args)
    with _kernel_call(False), _interrupts_held():  # a fork waits for the compile (its locks)
        result = kernel(*args)
    _state.compiled.add(key)
    return result


@contextmanager
def loading() -> Iterator[None]:
    """Count the block, a first import of Numba or of kernel modules, as a kernel call: a fork
    in another thread waits until it is over, since a child would inherit its import and
    compiler locks held, by a thread it does not have.

    Example:
        >>> with loading():
        ...     import numpy
    """
    with _kernel_call(False):
        yield


def _finish(slices: _Slices) -> None:
    """The caller's part after its own slice: run the slices no pool thread has taken yet, then
    wait for the rest. An interrupt that comes meanwhile is held back until every slice is
    done (up to `INTERRUPT_GRACE_S`; a second one gets through at once), then re-raised."""
    held: BaseException | None = None
    deadline = 0.0
    while True:
        try:
            if held is None:
                while (i := slices.take()) is not None:
                    with _interrupts_held():  # delivered once the slice is done, caught below
                        slices.run(i)
                slices.done.acquire()
            else:  # an interrupt came: wait out the grace period at most
                slices.done.acquire(timeout=max(0.0, deadline - time.monotonic()))
            break
        except BaseException as err:  # KeyboardInterrupt: the slices run on regardless
            if held is not None:
                raise
            held, deadline = err, time.monotonic() + INTERRUPT_GRACE_S
    if held is not None:
        raise held


@contextmanager
def _interrupts_held() -> Iterator[None]:
    """Hold Ctrl-C (SIGINT) back during the block, then deliver it; in the main thread, which
    is where Python handles signals (elsewhere nothing to do).

    Numba's first compile or cache load of a kernel fills its typing and target registries; a
    KeyboardInterrupt half-way leaves them half-built for the rest of the process ("Unknown
    attribute 'shape' of type array(float64, 4d, C)"). Held back for well under a second when
    the kernel comes from Numba's cache, a few seconds for a fresh compile; once per kernel."""
    main = threading.current_thread() is threading.main_thread()
    handler = signal.getsignal(signal.SIGINT) if main else None
    if handler is None:  # not the main thread, or a handler Python cannot restore
        yield
        return
    held: list[int] = []
    signal.signal(signal.SIGINT, lambda signum, frame: held.append(signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, handler)
        if held:
            if callable(handler):
                handler(signal.SIGINT, None)
            else:  # SIG_DFL or SIG_IGN: let the system do what it would have done
                signal.raise_signal(signal.SIGINT)


@contextmanager
def _kernel_call(splits: bool) -> Iterator[None]:
    """Bookkeeping around one `split_batch` call: wait while a fork is pending, count the call
    (a fork waits for it), and keep BLAS single-threaded while any split batch runs.

    Each count and the flag that says to undo it change together, with no call in between
    (Python delivers a KeyboardInterrupt only at calls), and this is a generator, so its
    ``finally`` runs even if an interrupt lands in ``__exit__`` (closing the generator)."""
    state, me = _state, threading.get_ident()
    generation, counted, lowered = state.generation, False, False
    try:
        with state.lock:
            while state.forking and me not in state.running:
                state.changed.wait()
            generation = state.generation
            state.running[me] = state.running.get(me, 0) + 1
            counted = True
            if splits:
                state.blas_users += 1
                lowered = True
                if state.blas_users == 1:
                    _blas_enter()
        yield
    finally:
        if generation == state.generation:  # not a call begun in the parent of a forked child
            with state.lock:
                if counted:
                    left = state.running.pop(me) - 1
                    if left:
                        state.running[me] = left
                if lowered:
                    state.blas_users -= 1
                    if state.blas_users == 0:
                        try:
                            _blas_exit()
                        except BaseException:
                            _blas_exit()  # an interrupt half-way: finish, then let it through
                            raise
                state.changed.notify_all()


def _blas_enter() -> None:
    """Make BLAS single-threaded, saving its thread counts (called by the first split batch
    to start, with the state's lock held)."""
    if _state.blas_libs is None:
        from threadpoolctl import ThreadpoolController

        _state.blas_libs = ThreadpoolController().select(user_api="blas").lib_controllers
    saved = [(lib, lib.num_threads) for lib in _state.blas_libs]
    _state.blas_saved = saved
    for lib, _ in saved:
        _set_blas_threads(lib, 1)


def _blas_exit() -> None:
    """Give BLAS back the thread counts `_blas_enter` saved (called by the last split batch
    to end, with the state's lock held)."""
    for lib, threads in _state.blas_saved:
        _set_blas_threads(lib, threads)


def _forget_blas_libs() -> None:
    """Have the next `_blas_enter` look again for the BLAS libraries loaded in the process."""
    with _state.lock:
        if _state.blas_users == 0:
            _state.blas_libs = None


def _set_blas_threads(lib: Any, threads: int) -> None:
    """Set a BLAS library's thread count from whichever thread runs the kernel.

    threadpoolctl 3.8 lets only one thread, the first to set a limit, change OpenBLAS's
    process-wide pool, and silently ignores the others; a kernel called from any other thread
    left BLAS multi-threaded under its slices. Its unrestricted setter is used where it has one.
    """
    getattr(lib, "_real_set_num_threads", lib.set_num_threads)(threads)


class _Workers:
    """The pool threads: daemons, each running the tasks it takes from one shared queue.

    Daemons, unlike `concurrent.futures.ThreadPoolExecutor`'s workers, which the interpreter
    joins at exit: a Ctrl-C landing inside ``submit`` between a worker's start and its
    registration left that worker waiting for a task forever, and the process hung on exit.
    Nothing is lost at exit: `split_batch` never returns while one of its slices is running,
    and a task (`_Slices.help`) keeps its own errors.
    """

    def __init__(self) -> None:
        self.tasks: queue.SimpleQueue[Callable[[], object]] = queue.SimpleQueue()
        self.size = 0

    def grow(self, workers: int) -> None:
        """Start threads until there are ``workers``."""
        while self.size < workers:
            name = f"autograd-kernel_{self.size}"
            threading.Thread(target=self._serve, name=name, daemon=True).start()
            self.size += 1

    def submit(self, task: Callable[[], object]) -> None:
        self.tasks.put(task)

    def _serve(self) -> None:
        while True:
            self.tasks.get()()


def _executor(workers: int) -> _Workers:
    """The shared pool, grown (never shrunk) to at least ``workers`` threads."""
    state = _state
    with state.lock:
        if state.pool is None:
            state.pool = _Workers()
        state.pool.grow(workers)
        return state.pool


def _before_fork() -> None:
    """Let kernel calls running in other threads finish (bounded) and hold new ones back."""
    state = _state
    with state.lock:
        state.forking = True
        me = threading.get_ident()
        deadline = time.monotonic() + FORK_WAIT_S
        while any(thread != me for thread in state.running):
            left = deadline - time.monotonic()
            if left <= 0:
                break  # a call that never ends must not hang the fork as well
            state.changed.wait(min(left, 0.05))


def _after_fork_in_parent() -> None:
    with _state.lock:
        _state.forking = False
        _state.changed.notify_all()


def _after_fork_in_child() -> None:
    """A forked child has only the forking thread: new locks, a new pool when needed, BLAS at
    its usual thread count, and calls begun before the fork end without bookkeeping."""
    lowered = _state.blas_users > 0  # calls still running at the fork made BLAS single-threaded
    _state.start_afresh()
    _state.generation += 1
    if lowered:
        _blas_exit()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(
        before=_before_fork,
        after_in_parent=_after_fork_in_parent,
        after_in_child=_after_fork_in_child,
    )
