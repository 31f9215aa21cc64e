"""Drawings of computation graphs, forward and backward, the way the lecture slides draw them.

``draw`` returns a `graphviz.Digraph` (inline in Jupyter); ``save`` writes SVG, PNG, PDF, TikZ,
an HTML player or a GIF; ``backward_steps``, ``play`` and ``save_html`` show backpropagation one
node at a time, with no kernel needed; ``quiz`` leaves the gradients for the student;
`viz.exercises` checks a notebook's exercises; ``lang="es"`` (or ``set_language``) speaks
Spanish; `viz.plots` has the matplotlib figures (matplotlib is imported only when a plot is made).
"""

from viz import exercises, plots
from viz.draw import dot_source, draw
from viz.language import get_language, set_language
from viz.player import save_html
from viz.quiz import quiz, save_quiz
from viz.render import RendererNotFound, find_renderer
from viz.save import save
from viz.steps import backward_steps, play, save_steps
from viz.tikz import to_tikz

__all__ = [
    "RendererNotFound",
    "backward_steps",
    "dot_source",
    "draw",
    "exercises",
    "find_renderer",
    "get_language",
    "play",
    "plots",
    "quiz",
    "save",
    "save_html",
    "save_quiz",
    "save_steps",
    "set_language",
    "to_tikz",
]
