"""Which kernels run: Numba's where ``import numba`` works, else vectorised numpy ones.

Numba has no wheel for a CPython newer than it supports yet, nor for Pyodide; there the
``*_numpy`` modules stand in for the ``*_numba`` ones with the same functions and results
(slower: benchmarks/bench_kernels.py ``--fallback`` measures by how much). The choice is made
once, on the first kernel call that needs it, not when ``autograd.kernels`` is imported: a
matrix product that runs on numpy's BLAS never imports Numba.

This is where Numba is first imported, so an import cut short here, by Ctrl-C for one, is
undone (`forget_half_imported`) and the next call starts it afresh.
"""

from __future__ import annotations

import sys

from autograd.kernels.threads import configure, loading

_numba: bool | None = None  # None: not tried yet


def has_numba() -> bool:
    """Whether the Numba kernels run; the first call imports Numba (threading layer first).

    An ImportError from ``import numba`` (not installed, or a Python it does not support)
    selects the numpy kernels for the rest of the process; any other error propagates and the
    next call tries again.

    Example:
        >>> has_numba() == ("numba" in sys.modules)
        True
    """
    global _numba
    if _numba is None:
        before = set(sys.modules)
        try:
            with loading():
                configure()  # imports Numba, having chosen its threading layer
            _numba = True
        except ImportError:
            forget_half_imported(before)
            _numba = False
        except BaseException:
            forget_half_imported(before)
            raise
    return _numba


def forget_half_imported(before: set[str]) -> None:
    """Drop the modules a failed import left behind without their package.

    Python removes a module whose own import failed, but keeps the submodules it had finished:
    ``numba.core.config`` stays while ``numba`` and ``numba.core`` go, and a retry would then
    build a new ``numba`` without its ``core`` attribute ("module 'numba' has no attribute
    'core'" from then on). Only modules new since ``before`` are considered.

    Example:
        >>> before = set(sys.modules)
        >>> sys.modules["gone_package.left_behind"] = sys  # its package failed to import
        >>> forget_half_imported(before)
        >>> "gone_package.left_behind" in sys.modules
        False
    """
    modules = sys.modules
    for module in [module for module in modules if module not in before]:
        package = module.rpartition(".")[0]
        while package and package in modules:
            package = package.rpartition(".")[0]
        if package:  # some package above it is gone: it would be an orphan
            modules.pop(module, None)
