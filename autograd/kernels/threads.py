"""Thread discipline: the threading layer for parallel Numba code next to BLAS threads.

Numba's OpenMP workers keep spinning after a parallel loop ends; on a 2-core machine they take
the cores that BLAS needs next, and BLAS's spinning threads do the same back (im2col + GEMM ran
4-12x slower). The kernels here run serially and leave the threads to BLAS: as fast as the best
parallel build in a LeNet step, and the fastest next to a threaded GEMM (measured). For other
parallel Numba code in the process, Numba's own ``workqueue`` layer, which parks its workers,
is made the default. Unlike OpenMP it survives ``fork()``, but it aborts if two Python threads
launch parallel kernels at the same moment.
"""

from __future__ import annotations

import os
import warnings

LAYER_VARIABLE = "NUMBA_THREADING_LAYER"
DEFAULT_LAYER = "workqueue"


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
