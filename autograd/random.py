"""The engine's random generator: factories and `nn` initialisation draw from it.

`manual_seed` replaces it with a freshly seeded one.
"""

from __future__ import annotations

import numpy as np

_SEEDS = 2**64  # seeds are 64-bit, as in PyTorch; a negative one counts modulo 2**64

_generator = np.random.default_rng()


def manual_seed(seed: int) -> np.random.Generator:
    """Reseed the generator behind `randn`, `rand`, dropout and `nn` initialisation.

    >>> manual_seed(0) is generator()
    True
    """
    if not isinstance(seed, (int, np.integer)) or isinstance(seed, (bool, np.bool_)):
        raise TypeError(f"manual_seed: seed must be an int; got {type(seed).__name__} {seed!r:.40}")
    if not -(_SEEDS // 2) <= seed < _SEEDS:
        raise ValueError(
            f"manual_seed: seed out of range; got {seed}, expected an int in [-2**63, 2**64 - 1]"
        )
    global _generator
    _generator = np.random.default_rng(int(seed) % _SEEDS)
    return _generator


def generator() -> np.random.Generator:
    """The current generator (a new one after each `manual_seed`)."""
    return _generator
