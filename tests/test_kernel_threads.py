"""The kernels' batch split across threads: coverage, errors, BLAS threads, same results."""

from __future__ import annotations

import os
import threading
import time

import numpy as np
import pytest

from autograd import kernels
from autograd.kernels import threads


@pytest.fixture
def workers():
    """Set the kernel thread count for one test and put the previous one back."""
    before = threads.get_num_threads()
    yield threads.set_num_threads
    threads.set_num_threads(before)


@pytest.mark.parametrize("n", [1, 2, 5, 64])
@pytest.mark.parametrize("count", [1, 2, 3, 8])
def test_split_batch_covers_every_index_once(workers, n, count):
    workers(count)
    hits = np.zeros(n, dtype=int)
    slices, callers = [], set()

    def work(start, stop):
        hits[start:stop] += 1
        slices.append(stop - start)
        callers.add(threading.current_thread().name)

    threads.split_batch(n, work)
    assert hits.tolist() == [1] * n
    assert len(slices) == min(n, count) and max(slices) - min(slices) <= 1
    assert threading.current_thread().name in callers  # the caller takes a slice itself


def test_split_batch_reraises_after_every_slice_is_done(workers):
    workers(3)
    finished = []

    def work(start, stop):
        if start == 0:
            raise ValueError("slice 0 failed")
        threading.Event().wait(0.05)
        finished.append(start)

    with pytest.raises(ValueError, match="slice 0 failed"):
        threads.split_batch(9, work)
    assert sorted(finished) == [3, 6]  # the other slices ran to the end before the error


@pytest.mark.parametrize("bad", [0, -1, 1.5, True, "2"])
def test_set_num_threads_rejects_non_positive_ints(bad):
    with pytest.raises(ValueError, match="set_num_threads: expected a positive int"):
        threads.set_num_threads(bad)


def blas_threads():
    threadpoolctl = pytest.importorskip("threadpoolctl")
    libs = threadpoolctl.threadpool_info()
    return [lib["num_threads"] for lib in libs if lib["user_api"] == "blas"]


def test_blas_is_single_threaded_only_while_slices_run(workers):
    workers(2)
    threadpoolctl = pytest.importorskip("threadpoolctl")
    with threadpoolctl.threadpool_limits(2, user_api="blas"):
        before = blas_threads()
        during = []
        threads.split_batch(4, lambda start, stop: during.append(blas_threads()))
        assert during == [[1] * len(before)] * 2
        assert blas_threads() == before


def test_conv_results_do_not_depend_on_the_thread_count(workers):
    rng = np.random.default_rng(0)
    x = rng.standard_normal((7, 3, 9, 8))
    w = rng.standard_normal((4, 3, 3, 3))
    results = {}
    for count in (1, 2, 3):
        workers(count)
        y = kernels.conv2d_forward(x, w, (1, 1), (1, 1))
        g = np.cos(y)
        results[count] = (y, *kernels.conv2d_backward(g, x, w, (1, 1), (1, 1)))
    for count in (2, 3):
        for ours, single in zip(results[count], results[1], strict=True):
            np.testing.assert_allclose(ours, single, rtol=1e-12, atol=1e-12)
    # Per-slice weight-gradient sums are added in slice order: the same bits on every run.
    again = kernels.conv2d_backward(np.cos(results[3][0]), x, w, (1, 1), (1, 1))[1]
    assert np.array_equal(again, results[3][2])


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork()")
def test_kernels_still_run_in_a_forked_child(workers):
    workers(2)
    x = np.random.default_rng(1).standard_normal((4, 2, 6, 6))
    expected = kernels.max_pool2d_forward(x, (2, 2), (2, 2))[0]  # the pool's threads start here
    pid = os.fork()
    if pid == 0:  # child: a stale pool would wait forever for threads that do not exist
        ok = np.array_equal(kernels.max_pool2d_forward(x, (2, 2), (2, 2))[0], expected)
        os._exit(0 if ok else 1)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            assert os.waitstatus_to_exitcode(status) == 0
            return
        time.sleep(0.05)
    os.kill(pid, 9)
    pytest.fail("the forked child hung in a kernel")
