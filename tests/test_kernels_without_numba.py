"""The kernels where ``import numba`` fails: the numpy fallback passes the kernel tests.

`test_the_kernel_suite_passes_without_numba` runs tests/test_kernels.py, tests/test_pool_padding.py
and this file's layer checks in a subprocess whose ``numba`` package raises ImportError (as on a
Python Numba does not support yet, or Pyodide), after checking that Numba really is unavailable
there and that the numpy kernels run. The tests that are about Numba itself (its compiled
dispatchers and their ``py_func``, its threading layer) are left out there. The layer checks
also run here, on whichever kernels this process has.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import nn
from autograd import Tensor, kernels

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).relative_to(ROOT).as_posix()
BLOCKER = 'raise ImportError("numba is blocked for this test")\n'

# Tests about Numba itself: they cannot pass without it, and say nothing about the fallback.
NUMBA_ONLY = (
    "py_func",  # the impl fixture's second run: the plain Python behind each @njit
    "import_compiles_nothing",
    "threading_layer",
    "padded_kernels_as_plain_python",
    "suite_passes_without_numba",  # this driver itself
)


def central_differences(f, x: np.ndarray, eps: float = 1e-6) -> np.ndarray:
    """d f / d x element by element, float64, (f(x + eps) - f(x - eps)) / 2 eps."""
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        saved = x[i]
        x[i] = saved + eps
        up = f(x)
        x[i] = saved - eps
        down = f(x)
        x[i] = saved
        grad[i] = (up - down) / (2 * eps)
    return grad


@pytest.mark.parametrize(
    "pool",
    [
        lambda: nn.MaxPool2d(2),
        lambda: nn.MaxPool2d(3, stride=2, padding=1, dilation=(1, 2), ceil_mode=True),
        lambda: nn.AvgPool2d(3, stride=2, padding=1, ceil_mode=True, count_include_pad=False),
    ],
    ids=["max2", "max-padded-dilated-ceil", "avg-padded-ceil"],
)
def test_conv_then_pool_gradients_match_central_differences(pool):
    rng = np.random.default_rng(0)
    conv = nn.Conv2d(2, 3, kernel_size=3, stride=(1, 2), padding=1, dtype="float64")
    layer = pool()
    x0 = rng.standard_normal((2, 2, 7, 8))
    out_shape = layer(conv(Tensor(x0))).shape
    weights = rng.standard_normal(out_shape)  # the loss: a fixed weighting of the outputs

    def loss(x: np.ndarray) -> float:
        return float((layer(conv(Tensor(x))) * Tensor(weights)).sum().data)

    x = Tensor(x0.copy(), requires_grad=True)
    (layer(conv(x)) * Tensor(weights)).sum().backward()
    np.testing.assert_allclose(x.grad, central_differences(loss, x0.copy()), rtol=1e-6, atol=1e-8)

    w0 = conv.weight.data.copy()

    def loss_of_weight(w: np.ndarray) -> float:
        conv.weight.data[...] = w
        return loss(x0)

    numeric = central_differences(loss_of_weight, w0.copy())
    conv.weight.data[...] = w0
    np.testing.assert_allclose(conv.weight.grad, numeric, rtol=1e-6, atol=1e-8)


def test_batched_tiny_products_match_a_float64_loop():
    rng = np.random.default_rng(1)
    a = rng.standard_normal((6, 3, 4))
    b = rng.standard_normal((6, 4, 2))
    for left, right in [(a, b), (a.transpose(0, 2, 1).copy().transpose(0, 2, 1), b)]:
        out = kernels.matmul(left, right)
        want = [[[sum(left[q, i, p] * right[q, p, j] for p in range(4)) for j in range(2)]
                 for i in range(3)] for q in range(6)]  # fmt: skip
        np.testing.assert_allclose(out, want, rtol=1e-12, atol=1e-12)
        assert out.flags.c_contiguous and out.dtype == np.float64


def test_the_kernel_suite_passes_without_numba(tmp_path):
    (tmp_path / "numba").mkdir()
    (tmp_path / "numba" / "__init__.py").write_text(BLOCKER)
    env = {k: v for k, v in os.environ.items() if k not in ("NUMBA_DISABLE_JIT",)}
    env["PYTHONPATH"] = os.pathsep.join([str(tmp_path), str(ROOT)])
    check = (
        "import sys\n"
        "try:\n"
        "    import numba\n"
        "except ImportError as err:\n"
        "    print('blocked:', err)\n"
        "import numpy as np\n"
        "from autograd import kernels\n"
        "y = kernels.conv2d_forward(np.ones((1, 1, 3, 3)), np.ones((1, 1, 2, 2)), (1, 1), (0, 0))\n"
        "print(kernels.has_numba(), 'numba' in sys.modules, y.ravel().tolist())\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", check], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.splitlines() == [
        "blocked: numba is blocked for this test",
        "False False [4.0, 4.0, 4.0, 4.0]",
    ]
    suite = ["tests/test_kernels.py", "tests/test_pool_padding.py", HERE]
    deselect = " and ".join(f"not {name}" for name in NUMBA_ONLY)
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *suite, "-k", deselect],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    counts = re.search(r"(\d+) passed", done.stdout)
    assert counts and int(counts[1]) >= 150, done.stdout[-2000:]  # the suite really ran
    assert not re.search(r"\d+ (failed|error)", done.stdout), done.stdout[-4000:]
