"""Numba kernels on plain numpy arrays: matmul, conv2d forward/backward, max and avg pooling.

Importing this package compiles nothing; each kernel compiles on its first call and is cached
on disk. The threading layer is chosen first, before any kernel can start Numba's pool.
"""

from autograd.kernels.threads import configure as _configure_threads
from autograd.kernels.threads import get_num_threads, set_num_threads

_configure_threads()

from autograd.kernels.conv import (  # noqa: E402
    conv2d_backward,
    conv2d_forward,
    conv2d_grad_input,
    conv2d_grad_weight,
)
from autograd.kernels.matmul import matmul  # noqa: E402
from autograd.kernels.pool import (  # noqa: E402
    avg_pool2d_backward,
    avg_pool2d_forward,
    max_pool2d_backward,
    max_pool2d_forward,
)

__all__ = [
    "avg_pool2d_backward",
    "avg_pool2d_forward",
    "conv2d_backward",
    "conv2d_forward",
    "conv2d_grad_input",
    "conv2d_grad_weight",
    "matmul",
    "max_pool2d_backward",
    "max_pool2d_forward",
    "get_num_threads",
    "set_num_threads",
]
