"""Drawings of computation graphs, forward and backward, the way the lecture slides draw them."""

from viz.draw import dot_source, draw
from viz.render import RendererNotFound

__all__ = ["RendererNotFound", "dot_source", "draw"]
