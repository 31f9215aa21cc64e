"""The kernels' fast paths: 2x2 max pooling, the conv's fused bias, and how batches are split."""

from __future__ import annotations

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


def pool_2x2_reference(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """2x2 stride-2 max pooling in plain numpy: PyTorch's rules (first maximum wins ties, the
    first NaN wins), the flat index h*W + w of each winner."""
    N, C, H, W = x.shape
    OH, OW = H // 2, W // 2
    taps = x[:, :, : 2 * OH, : 2 * OW].reshape(N, C, OH, 2, OW, 2).transpose(0, 1, 2, 4, 3, 5)
    taps = taps.reshape(N, C, OH, OW, 4)  # row-major tap order inside each window
    nan = np.isnan(taps)
    pick = np.where(nan.any(axis=-1), nan.argmax(axis=-1), np.argmax(taps, axis=-1))
    y = np.take_along_axis(taps, pick[..., None], axis=-1)[..., 0]
    rows = 2 * np.arange(OH)[:, None] + pick // 2
    cols = 2 * np.arange(OW)[None, :] + pick % 2
    return y, rows * W + cols


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("shape", [(2, 3, 6, 8), (3, 2, 7, 9), (1, 1, 2, 2)])
def test_max_pool_2x2_matches_plain_numpy_with_ties_and_nans(dtype, shape):
    rng = np.random.default_rng(3)
    x = rng.integers(-2, 3, size=shape).astype(dtype)  # small ints: many ties
    x[0, 0, 0, 1] = np.nan  # a NaN in a window's second tap
    x[-1, -1, -1, -1] = np.nan  # in the trailing row of odd shapes: in no window
    x[0, -1, 1, 0] = -np.inf
    y, argmax = kernels.max_pool2d_forward(x, (2, 2), (2, 2))
    y_ref, argmax_ref = pool_2x2_reference(x)
    np.testing.assert_array_equal(y, y_ref)  # NaN where the reference has NaN
    np.testing.assert_array_equal(argmax, argmax_ref)


def test_max_pool_2x2_matches_torch():
    torch = pytest.importorskip("torch")
    x = np.random.default_rng(4).standard_normal((4, 3, 10, 12)).astype(np.float32)
    x[1, 2, 3, 3] = np.nan
    y, argmax = kernels.max_pool2d_forward(x, (2, 2), (2, 2))
    y_t, argmax_t = torch.nn.functional.max_pool2d(torch.tensor(x), 2, return_indices=True)
    np.testing.assert_array_equal(y, y_t.numpy())
    np.testing.assert_array_equal(argmax, argmax_t.numpy())


def conv_reference(x: np.ndarray, w: np.ndarray, b: np.ndarray, pad: int) -> np.ndarray:
    """Cross-correlation plus bias in float64, one tap at a time."""
    N, C, H, W = x.shape
    F, _, KH, KW = w.shape
    xp = np.pad(x.astype(np.float64), ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    OH, OW = H + 2 * pad - KH + 1, W + 2 * pad - KW + 1
    y = np.zeros((N, F, OH, OW)) + b.reshape(1, F, 1, 1)
    for kh in range(KH):
        for kw in range(KW):
            patch = xp[:, :, kh : kh + OH, kw : kw + OW]
            y += np.einsum("nchw,fc->nfhw", patch, w[:, :, kh, kw].astype(np.float64))
    return y


@pytest.mark.parametrize("count", [1, 2, 3])
def test_conv_forward_adds_the_bias_per_slice(workers, monkeypatch, count):
    workers(count)
    monkeypatch.setattr(threads, "MIN_SLICE_COST", 1)  # split even this small batch
    rng = np.random.default_rng(5)
    x = rng.standard_normal((5, 3, 7, 6))
    w = rng.standard_normal((4, 3, 3, 3))
    b = rng.standard_normal(4)
    y = kernels.conv2d_forward(x, w, (1, 1), (1, 1), None, b)
    np.testing.assert_allclose(y, conv_reference(x, w, b, 1), rtol=1e-12, atol=1e-12)


def blas_threads() -> list[int]:
    threadpoolctl = pytest.importorskip("threadpoolctl")
    return [
        lib["num_threads"] for lib in threadpoolctl.threadpool_info() if lib["user_api"] == "blas"
    ]


def test_small_calls_stay_in_the_calling_thread(workers):
    workers(2)
    callers = []

    def work(start, stop):
        callers.append((threading.current_thread().name, start, stop))

    threads.split_batch(8, work, cost=threads.MIN_SLICE_COST - 1)
    assert callers == [(threading.current_thread().name, 0, 8)]
    threadpoolctl = pytest.importorskip("threadpoolctl")
    with threadpoolctl.threadpool_limits(2, user_api="blas"):
        during = []
        threads.split_batch(8, lambda start, stop: during.append(blas_threads()), cost=1)
        assert during == [[1] * len(blas_threads())]  # its GEMMs are small: BLAS alone too
    callers.clear()
    threads.split_batch(8, work, cost=2 * threads.MIN_SLICE_COST)
    assert sorted(c[1:] for c in callers) == [(0, 4), (4, 8)]


def test_the_caller_runs_slices_no_pool_thread_has_started(workers):
    """A pool thread kept waiting (here: busy with another task) holds nothing up."""
    workers(3)
    threads.split_batch(6, lambda start, stop: None)  # the pool exists, at two threads
    release, unblocked = threading.Event(), threading.Semaphore(0)

    def blocker() -> None:
        release.wait(10.0)
        unblocked.release()

    pool = threads._executor(2)  # grown by earlier tests, perhaps: block every thread it has
    blockers = pool.size
    for _ in range(blockers):
        pool.submit(blocker)
    callers = set()
    hits = np.zeros(6, dtype=int)

    def work(start, stop):
        hits[start:stop] += 1
        callers.add(threading.current_thread().name)

    try:
        began = time.monotonic()
        threads.split_batch(6, work)
        took = time.monotonic() - began
    finally:
        release.set()
        for _ in range(blockers):
            assert unblocked.acquire(timeout=10.0)
    assert hits.tolist() == [1] * 6
    assert callers == {threading.current_thread().name}
    assert took < 5.0  # it did not wait for the blocked pool threads


def test_conv_backward_split_matches_float64_references(workers, monkeypatch):
    monkeypatch.setattr(threads, "MIN_SLICE_COST", 1)  # split even this small batch
    rng = np.random.default_rng(6)
    x = rng.standard_normal((5, 3, 7, 6))
    w = rng.standard_normal((4, 3, 3, 3))
    g = rng.standard_normal((5, 4, 5, 4))  # padding 0: OH, OW = 5, 4
    grad_w_ref = np.zeros_like(w)
    for kh in range(3):
        for kw in range(3):
            patch = x[:, :, kh : kh + 5, kw : kw + 4]
            grad_w_ref[:, :, kh, kw] = np.einsum("nchw,nfhw->fc", patch, g)
    grad_x_ref = np.zeros_like(x)
    for kh in range(3):
        for kw in range(3):
            grad_x_ref[:, :, kh : kh + 5, kw : kw + 4] += np.einsum(
                "nfhw,fc->nchw", g, w[:, :, kh, kw]
            )
    for count in (1, 2, 3):
        workers(count)
        grad_x, grad_w = kernels.conv2d_backward(g, x, w, (1, 1), (0, 0))
        np.testing.assert_allclose(grad_x, grad_x_ref, rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(grad_w, grad_w_ref, rtol=1e-12, atol=1e-12)


def test_pool_threads_never_hold_the_process_at_exit(workers):
    """The pool's threads are daemons: a worker orphaned by an interrupt cannot hang exit."""
    workers(2)
    threads.split_batch(4, lambda start, stop: None)
    pool = [t for t in threading.enumerate() if t.name.startswith("autograd-kernel")]
    assert pool and all(t.daemon for t in pool)
