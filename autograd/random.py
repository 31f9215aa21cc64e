"""The engine's random generator: factories and `nn` initialisation draw from it.

`manual_seed` replaces it with a freshly seeded one.
"""

from __future__ import annotations

import numpy as np

_generator = np.random.default_rng()


def manual_seed(seed: int) -> np.random.Generator:
    """Reseed the generator behind `randn`, `rand`, dropout and `nn` initialisation.

    >>> manual_seed(0) is generator()
    True
    """
    global _generator
    _generator = np.random.default_rng(seed)
    return _generator


def generator() -> np.random.Generator:
    """The current generator (a new one after each `manual_seed`)."""
    return _generator
