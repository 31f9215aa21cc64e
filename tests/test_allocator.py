"""glibc's malloc keeps freed array memory for reuse once autograd is imported."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

GLIBC = sys.platform.startswith("linux") and (os.confstr("CS_GNU_LIBC_VERSION") or "").startswith(
    "glibc"
)
MALLOC_VARIABLES = (
    "GRAFOGRAD_MALLOC",
    "MALLOC_MMAP_THRESHOLD_",
    "MALLOC_TRIM_THRESHOLD_",
    "MALLOC_TOP_PAD_",
    "GLIBC_TUNABLES",
)

# Allocate, use and free two 4 MiB arrays, 30 times; print page faults per round.
CHURN = """
import resource, numpy as np
import autograd
def faults():
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt
for _ in range(3):
    a = np.ones(2**20, np.float32); b = a * 2; del a, b
start = faults()
for _ in range(30):
    a = np.ones(2**20, np.float32); b = a * 2; del a, b
print(autograd.allocator.STATE, (faults() - start) / 30)
"""


def churn(**env: str) -> tuple[str, float]:
    full = {k: v for k, v in os.environ.items() if k not in MALLOC_VARIABLES}
    full.update(env)
    done = subprocess.run(
        [sys.executable, "-c", CHURN], env=full, capture_output=True, text=True, check=True
    )
    state, faults = done.stdout.strip().rsplit(maxsplit=1)
    return state, float(faults)


@pytest.mark.skipif(not GLIBC, reason="the tuning applies to glibc's malloc only")
def test_freed_arrays_are_reused_without_page_faults():
    state, faults = churn()
    assert state == "tuned"
    assert faults < 50  # 8 MiB touched per round: 2,048 pages, each a fault when fresh


@pytest.mark.skipif(not GLIBC, reason="the tuning applies to glibc's malloc only")
def test_the_user_can_keep_the_system_allocator():
    assert churn(GRAFOGRAD_MALLOC="system")[0] == "GRAFOGRAD_MALLOC=system"
    assert churn(MALLOC_TRIM_THRESHOLD_="1000000")[0] == "user settings"
    assert churn(GLIBC_TUNABLES="glibc.malloc.trim_threshold=1000000")[0] == "user settings"


def _unknown_name(name: str) -> str:
    raise ValueError(f"unrecognized configuration name {name!r}")


@pytest.mark.parametrize("confstr", [lambda name: None, _unknown_name])
def test_a_libc_that_does_not_say_glibc_is_left_alone(monkeypatch, confstr) -> None:
    # os.confstr gives None when the name has no value on this system, ValueError when the
    # system does not know the name: either way malloc is not tuned
    from autograd import allocator

    for name in MALLOC_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(allocator.os, "confstr", confstr)
    assert allocator.configure() == "not glibc"
