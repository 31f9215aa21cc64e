"""Argument checks shared by nn's constructors: a slip fails where it is made, in the house form."""

from __future__ import annotations

import math
import numbers
from typing import Any

import numpy as np


def integer(value: Any, api: str, name: str) -> int:
    """``value`` as an int; TypeError for a bool, a float or anything else.

    >>> integer(3, "Linear", "in_features")
    3
    """
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{api}: {name} must be an int; got {value!r}")
    return int(value)


def positive(value: Any, api: str, name: str) -> int:
    """``value`` as an int of at least 1."""
    n = integer(value, api, name)
    if n < 1:
        raise ValueError(f"{api}: {name} must be a positive int; got {value!r}, expected 1 or more")
    return n


def real(value: Any, api: str, name: str, minimum: float | None = None) -> float:
    """``value`` as a finite float, at least ``minimum`` when given.

    >>> real("a", "ELU", "alpha")
    Traceback (most recent call last):
    ...
    TypeError: ELU: alpha must be a real number; got 'a', expected e.g. 1.0
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{api}: {name} must be a real number; got {value!r}, expected e.g. 1.0")
    x = float(value)
    if not math.isfinite(x) or (minimum is not None and x < minimum):
        expected = "a finite number" if minimum is None else f"a finite number >= {minimum:g}"
        raise ValueError(f"{api}: {name} out of range; got {value!r}, expected {expected}")
    return x
