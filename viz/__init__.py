"""Drawings of computation graphs, forward and backward, the way the lecture slides draw them.

``draw`` returns a `graphviz.Digraph` (inline in Jupyter); ``save`` writes SVG/PNG/PDF;
``backward_steps`` and ``play`` show backpropagation one node at a time; `viz.plots` has the
matplotlib figures (matplotlib is imported only when a plot is made).
"""

from viz import plots
from viz.draw import dot_source, draw
from viz.render import RendererNotFound, find_renderer
from viz.save import save
from viz.steps import backward_steps, play, save_steps

__all__ = [
    "RendererNotFound",
    "backward_steps",
    "dot_source",
    "draw",
    "find_renderer",
    "play",
    "plots",
    "save",
    "save_steps",
]
