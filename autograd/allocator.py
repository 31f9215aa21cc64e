"""Keep freed array memory in the process instead of handing it back to the OS after every op.

A training step allocates and frees the same large arrays every time (im2col columns,
activations, gradients). glibc's malloc serves big blocks with a fresh ``mmap`` and returns
them with ``munmap``, or trims the freed top of its heap, so the next step touches brand-new
pages: one page fault per 4 KiB. On a virtual machine a fault cost about 3 us, and a conv2d
forward+backward on x(64,8,14,14) took 1,700 faults, 8 ms instead of 3 (measured with
``resource.getrusage``). With a fixed mmap threshold of 32 MiB (glibc's largest) and a trim
threshold of 128 MiB, blocks below 32 MiB come from the heap and up to 128 MiB of freed memory
stays mapped for reuse: the same step then faults zero times. It is what the environment
variables ``MALLOC_MMAP_THRESHOLD_`` and ``MALLOC_TRIM_THRESHOLD_`` do, applied at import.

The setting is process-wide and costs memory that a long-lived process keeps (up to the trim
threshold). It is skipped when malloc is not glibc's, when the user already tuned it
(``MALLOC_*_`` variables or ``GLIBC_TUNABLES``), or when ``GRAFOGRAD_MALLOC=system``.
"""

from __future__ import annotations

import os

MMAP_THRESHOLD = 32 * 2**20
TRIM_THRESHOLD = 128 * 2**20
_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3  # mallopt's parameter numbers (malloc.h)
_USER_SETTINGS = ("MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_", "MALLOC_TOP_PAD_")


def configure() -> str:
    """Apply the thresholds if this process runs glibc and nobody chose otherwise.

    Returns what happened, for the benchmarks' header: ``"tuned"``, or why not.

    Example:
        >>> configure() in {"tuned", "not glibc", "user settings", "GRAFOGRAD_MALLOC=system",
        ...                 "mallopt refused"}
        True
    """
    if os.environ.get("GRAFOGRAD_MALLOC", "") == "system":
        return "GRAFOGRAD_MALLOC=system"
    if any(name in os.environ for name in _USER_SETTINGS) or "malloc" in os.environ.get(
        "GLIBC_TUNABLES", ""
    ):
        return "user settings"
    try:
        libc_version = os.confstr("CS_GNU_LIBC_VERSION")
    except (AttributeError, ValueError, OSError):  # not a POSIX system that knows the name
        return "not glibc"
    if libc_version is None or not libc_version.startswith("glibc"):  # None: no value for it
        return "not glibc"
    import ctypes

    libc = ctypes.CDLL(None)
    ok = libc.mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD) and libc.mallopt(
        _M_TRIM_THRESHOLD, TRIM_THRESHOLD
    )
    return "tuned" if ok else "mallopt refused"


STATE = configure()
