"""Shared test settings: headless matplotlib, hypothesis without deadlines (JIT compiles vary)."""

from __future__ import annotations

import os

import matplotlib
from hypothesis import settings

os.environ.setdefault("MPLBACKEND", "Agg")
matplotlib.use("Agg")

settings.register_profile("grafograd", deadline=None, max_examples=50, derandomize=True)
settings.load_profile("grafograd")
