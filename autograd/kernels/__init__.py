"""Kernels on plain numpy arrays: matmul, conv2d forward/backward, max and avg pooling, ReLU.

Importing this package imports neither Numba nor any kernel module: the convolution and pooling
kernels load on first use (``kernels.conv2d_forward`` and the like), and `matmul` imports Numba
only for the products it runs on a Numba kernel. Where ``import numba`` fails (a Python Numba
does not support yet, Pyodide), vectorised numpy kernels with the same results run instead
(backend.py); `has_numba` says which. Numba's threading layer is chosen (threads.py) before
Numba is first imported.
"""

from __future__ import annotations

import os
from typing import Any

from autograd.kernels.activation import relu, relu_grad
from autograd.kernels.backend import has_numba
from autograd.kernels.matmul import matmul
from autograd.kernels.threads import (
    DEFAULT_LAYER,
    LAYER_VARIABLE,
    get_num_threads,
    loading,
    set_num_threads,
)

# Set now, not when Numba is first imported here: code that imports Numba itself after this
# package gets the same layer.
os.environ.setdefault(LAYER_VARIABLE, DEFAULT_LAYER)

_LAZY = {
    "conv2d_backward": "conv",
    "conv2d_forward": "conv",
    "conv2d_grad_input": "conv",
    "conv2d_grad_weight": "conv",
    "conv2d_uses_rows": "conv",
    "avg_pool2d_backward": "pool",
    "avg_pool2d_forward": "pool",
    "max_pool2d_backward": "pool",
    "max_pool2d_forward": "pool",
}


def __getattr__(attribute: str) -> Any:
    """Load the convolution and pooling kernels on first use of any of them (PEP 562).

    Both modules load together, so a first training step imports Numba's kernels once. A load
    cut short (Ctrl-C) leaves nothing half-imported (backend.py) and the next use retries.
    """
    if attribute not in _LAZY:
        raise AttributeError(f"module 'autograd.kernels' has no attribute {attribute!r}")
    with loading():  # a fork waits for the import
        from autograd.kernels import conv, pool

    modules = {"conv": conv, "pool": pool}
    for export, module in _LAZY.items():
        globals()[export] = getattr(modules[module], export)
    return globals()[attribute]


def __dir__() -> list[str]:
    """The public kernels, loaded or not (so ``dir(kernels)`` lists what ``kernels.X`` gives)."""
    return sorted(__all__)


__all__ = [
    "avg_pool2d_backward",
    "avg_pool2d_forward",
    "conv2d_backward",
    "conv2d_forward",
    "conv2d_grad_input",
    "conv2d_grad_weight",
    "conv2d_uses_rows",
    "get_num_threads",
    "has_numba",
    "matmul",
    "max_pool2d_backward",
    "max_pool2d_forward",
    "relu",
    "relu_grad",
    "set_num_threads",
]
