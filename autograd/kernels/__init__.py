"""Numba kernels on plain numpy arrays: matmul, conv2d forward/backward, max and avg pooling.

Importing this package compiles nothing; each kernel compiles on its first call and is cached
on disk. The threading layer is chosen first, before any kernel can start Numba's pool. This is
where Numba is first imported, lazily (ops import this package on their first call), so an
import cut short here, by Ctrl-C for one, is undone (`_forget_half_imported`) and the next call
starts it afresh.
"""

import sys


def _forget_half_imported(before: set[str]) -> None:
    """Drop the modules a failed import left behind without their package.

    Python removes a module whose own import failed, but keeps the submodules it had finished:
    ``numba.core.config`` stays while ``numba`` and ``numba.core`` go, and a retry would then
    build a new ``numba`` without its ``core`` attribute ("module 'numba' has no attribute
    'core'" from then on). Only modules new since ``before`` are considered.
    """
    modules = sys.modules
    for name in [name for name in modules if name not in before]:
        package = name.rpartition(".")[0]
        while package and package in modules:
            package = package.rpartition(".")[0]
        if package:  # some package above it is gone: it would be an orphan
            modules.pop(name, None)


_before_import = set(sys.modules)
try:
    from autograd.kernels.threads import configure as _configure_threads
    from autograd.kernels.threads import get_num_threads, set_num_threads

    _configure_threads()

    from autograd.kernels.conv import (
        conv2d_backward,
        conv2d_forward,
        conv2d_grad_input,
        conv2d_grad_weight,
    )
    from autograd.kernels.matmul import matmul
    from autograd.kernels.pool import (
        avg_pool2d_backward,
        avg_pool2d_forward,
        max_pool2d_backward,
        max_pool2d_forward,
    )
except BaseException:
    _forget_half_imported(_before_import)
    raise
finally:
    del _before_import

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
