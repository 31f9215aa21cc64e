"""Thread discipline: how the kernels use the cores, next to BLAS and Numba's own threads.

Two rules, both measured on a 2-core machine (benchmarks/bench_kernels.py, bench_tensor.py):

- The batch is split across a few Python threads (`split_batch`), one contiguous slice each.
  Every slice runs a Numba kernel compiled with ``nogil=True`` and numpy's BLAS calls, which
  release the GIL too, so the slices really run at once. Per-image GEMMs of a small conv are
  too small for OpenBLAS to thread by itself, which is why a conv on one thread left a core idle.
  While the slices run, BLAS is made single-threaded (through threadpoolctl) and then given
  its thread count back: its own threads would take the cores the slices run on (conv
  forward+backward on x(32,3,32,32): 14.5 ms with BLAS at 2 threads, 6.9 ms single-threaded).
- No kernel is a ``parallel=True`` build. Numba's OpenMP workers keep spinning after a parallel
  loop ends and take the cores BLAS needs next (im2col + GEMM ran 4-12x slower). For other
  parallel Numba code in the process, Numba's ``workqueue`` layer, which parks its workers, is
  made the default (`configure`); unlike OpenMP it survives ``fork()``, but it aborts if two
  Python threads launch parallel kernels at the same moment.

The number of threads defaults to Numba's (``NUMBA_NUM_THREADS``, else the core count);
`set_num_threads` changes it, as ``torch.set_num_threads`` does.
"""

from __future__ import annotations

import os
import threading
import warnings
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

LAYER_VARIABLE = "NUMBA_THREADING_LAYER"
DEFAULT_LAYER = "workqueue"

_threads = 0  # 0: not chosen yet; read from Numba's configuration on first use
_pool: ThreadPoolExecutor | None = None
_pool_size = 0
_pool_lock = threading.Lock()
_blas_libs: list | None = None  # threadpoolctl's controllers of the loaded BLAS libraries
_blas_saved: list[int] = []  # their thread counts before the first `_blas_enter`
_blas_users = 0
_blas_lock = threading.Lock()


def configure() -> str:
    """Choose Numba's threading layer before its thread pool starts; return the layer chosen.

    A value the user already put in ``NUMBA_THREADING_LAYER`` wins. Numba reads the variable
    when it is imported, so the choice is also written to ``numba.config``. If Numba's pool is
    already running with another layer, nothing can change it any more, and a warning says so.

    Example:
        >>> configure() in {"workqueue", "omp", "tbb", os.environ["NUMBA_THREADING_LAYER"]}
        True
    """
    layer = os.environ.setdefault(LAYER_VARIABLE, DEFAULT_LAYER)
    import numba

    try:
        running = numba.threading_layer()
    except ValueError:  # no parallel kernel has run yet: the pool has not started
        numba.config.THREADING_LAYER = layer
        return layer
    if layer not in ("default", "safe", "threadsafe", "forksafe") and running != layer:
        warnings.warn(
            f"autograd.kernels: Numba's thread pool already runs the {running!r} layer, so "
            f"{LAYER_VARIABLE}={layer!r} cannot take effect; import autograd.kernels before "
            "running other parallel Numba code to avoid OpenMP/BLAS thread contention.",
            stacklevel=2,
        )
    return running


def get_num_threads() -> int:
    """How many threads a kernel splits its batch across.

    Example:
        >>> get_num_threads() >= 1
        True
    """
    global _threads
    if _threads == 0:
        import numba

        _threads = max(1, int(numba.config.NUMBA_NUM_THREADS))
    return _threads


def set_num_threads(n: int) -> None:
    """Split kernel batches across ``n`` threads from now on (1: run in the calling thread).

    Example:
        >>> before = get_num_threads()
        >>> set_num_threads(1); get_num_threads()
        1
        >>> set_num_threads(before)
    """
    global _threads
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise ValueError(f"set_num_threads: expected a positive int; got {n!r}")
    _threads = n


def split_batch(n: int, work: Callable[[int, int], object]) -> None:
    """Call ``work(start, stop)`` on contiguous slices covering ``range(n)``, one per thread.

    The calling thread takes the first slice itself; the others go to a lazily started pool.
    Returns once every slice is done, re-raising the first error. ``work`` must write only
    inside its own slice of the batch.

    Example:
        >>> seen = []
        >>> split_batch(5, lambda start, stop: seen.append((start, stop)))
        >>> sorted(seen)[0][0], sorted(seen)[-1][1], sum(b - a for a, b in seen)
        (0, 5, 5)
    """
    k = min(n, get_num_threads())
    if k <= 1:
        work(0, n)
        return
    bounds = [n * i // k for i in range(k + 1)]
    pool = _executor(k - 1)
    _blas_enter()
    try:
        futures = [pool.submit(work, bounds[i], bounds[i + 1]) for i in range(1, k)]
        try:
            work(bounds[0], bounds[1])
        finally:  # never return while a slice may still be writing into the caller's arrays
            for future in futures:
                future.exception()
    finally:
        _blas_exit()
    for future in futures:
        future.result()


def _blas_enter() -> None:
    """Make BLAS single-threaded while kernel slices run (nested and concurrent calls count)."""
    global _blas_libs, _blas_saved, _blas_users
    with _blas_lock:
        if _blas_libs is None:
            from threadpoolctl import ThreadpoolController

            _blas_libs = ThreadpoolController().select(user_api="blas").lib_controllers
        if _blas_users == 0:
            _blas_saved = [lib.num_threads for lib in _blas_libs]
            for lib in _blas_libs:
                lib.set_num_threads(1)
        _blas_users += 1


def _blas_exit() -> None:
    """Give BLAS back the thread counts it had before the first `_blas_enter`."""
    global _blas_users
    with _blas_lock:
        _blas_users -= 1
        if _blas_users == 0:
            for lib, threads in zip(_blas_libs or (), _blas_saved, strict=True):
                lib.set_num_threads(threads)


def _forget_threads_after_fork() -> None:
    """A forked child has only the forking thread: start a new pool there when needed."""
    global _pool, _pool_size, _pool_lock, _blas_lock, _blas_users
    _pool, _pool_size, _blas_users = None, 0, 0
    _pool_lock, _blas_lock = threading.Lock(), threading.Lock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_threads_after_fork)


def _executor(workers: int) -> ThreadPoolExecutor:
    """The shared pool, grown (never shrunk) to at least ``workers`` threads."""
    global _pool, _pool_size
    with _pool_lock:
        if _pool is None or _pool_size < workers:
            if _pool is not None:
                _pool.shutdown(wait=False)  # work already queued there still runs
            _pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="autograd-kernel")
            _pool_size = workers
        return _pool
