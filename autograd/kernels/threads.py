"""Thread discipline: the threading layer Numba's parallel kernels use next to BLAS threads.

Numba's OpenMP workers keep spinning after a parallel loop ends; on a 2-core machine they take
the cores that BLAS needs next, and BLAS's spinning threads do the same back (im2col + GEMM ran
4-12x slower). Numba's own ``workqueue`` layer parks its workers instead, so it is the default
here. It aborts the process if two threads launch parallel kernels at once, so every launch
holds `launch_lock`.
"""

from __future__ import annotations

import os
import threading
import warnings

LAYER_VARIABLE = "NUMBA_THREADING_LAYER"
DEFAULT_LAYER = "workqueue"

launch_lock = threading.Lock()
"""Held around every parallel kernel call: one launch at a time, whatever the layer."""


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
