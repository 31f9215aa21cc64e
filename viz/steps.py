"""Backpropagation as a film: one drawing per step, a slider in Jupyter, numbered files for slides.

Step ``s`` finishes the gradient of the node ``s``-th from the end of the topological order (the
root first); gradients not reached yet are drawn as ``?``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from viz.draw import build, check_options
from viz.labels import fmt
from viz.scene import Scene
from viz.styles import fanout_sum
from viz.trace import UNKNOWN, Trace, is_tensor, replayed_grads, stored_grads

if TYPE_CHECKING:
    from pathlib import Path


def backward_steps(
    root: Any,
    style: str = "cs231n",
    show: str = "both",
    rankdir: str = "LR",
    max_nodes: int | None = 100,
) -> list[Any]:
    """One drawing per backpropagation step, in reverse topological order.

    Frame ``s`` highlights the node whose gradient step ``s`` completes; gradients not yet known
    are shown as ``?``. For scalar graphs the gradients are replayed from the local derivatives
    (seed 1), so ``root.backward()`` need not have run; tensor graphs show their stored grads.

    Args:
        root: the output node.
        style, rankdir: as in `draw`.
        show: ``"both"`` (values and gradients) or ``"backward"`` (the chain rule on each edge).
        max_nodes: refuse graphs with more nodes than this (one frame per node).

    >>> from autograd import Value
    >>> x, y, z = Value(1.0, label="x"), Value(-3.0, label="y"), Value(4.0, label="z")
    >>> frames = backward_steps((x + y) * z)
    >>> len(frames), "?" in frames[0].source, "?" in frames[-1].source
    (5, True, False)
    """
    check_options("backward_steps", root, style, show, rankdir, max_nodes, None)
    if show == "forward":
        raise ValueError(
            "backward_steps: show='forward' hides the gradients the steps are about; "
            "got 'forward', expected 'both' or 'backward'"
        )
    trace = Trace(root)
    if max_nodes is not None and len(trace) > max_nodes:
        raise ValueError(
            f"backward_steps: the graph has {len(trace)} nodes, more than max_nodes={max_nodes}; "
            "one frame per node is too many to read. Pass a larger max_nodes, or step through a "
            "smaller graph."
        )
    final = replayed_grads(trace)
    if final is None:
        final = stored_grads(trace)
    frames = []
    count = len(trace)
    for s in range(count):
        current = trace.root - s
        # a node that ends with no gradient (a constant tensor, an intermediate one not
        # retained) never shows "?": there is nothing still to come
        grads = [g if i >= current or g is None else UNKNOWN for i, g in enumerate(final)]
        title = f"backward step {s + 1}/{count}: {_step_text(trace, grads, current)}"
        frames.append(build(trace, grads, style, show, rankdir, None, None, current, title))
    return frames


def _step_text(trace: Trace, grads: list[Any], i: int) -> str:
    """``a.grad = 3 + 3 + 1 = 7``: what this step computes."""
    node = trace.nodes[i]
    if is_tensor(node):
        name = node.label or (f"the {node.op} node" if node.op else "a constant tensor")
        if grads[i] is None and not node.op:
            return f"{name} of shape {tuple(node.data.shape)} gets no gradient"
        return f"{name} receives its gradient"
    name = node.label or (f"the {node.op} node" if node.op else fmt(node.data))
    if i == trace.root:
        seed = fmt(grads[i])
        return f"d{name}/d{name} = {seed} (the seed)" if node.label else f"the seed {seed}"
    scene = Scene(trace, [], set(), grads, "backward")
    total = fanout_sum(scene, i)
    grad = total or fmt(grads[i])
    return f"{name}.grad = {grad}" if node.label else f"grad of {name} = {grad}"


def save_steps(
    root: Any, directory: str | Path, file_format: str = "svg", **options: Any
) -> list[Path]:
    """Write the frames of `backward_steps` to ``directory`` as ``step_00.svg``, ``step_01.svg``...

    Args:
        root: the output node.
        directory: created if missing.
        file_format: ``"svg"``, ``"png"`` or ``"pdf"`` (PDF needs a system Graphviz).
        **options: passed to `backward_steps`.

    Returns:
        The paths written, in step order.
    """
    from pathlib import Path

    from viz.save import save

    frames = backward_steps(root, **options)
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    width = max(2, len(str(len(frames) - 1)))
    names = (folder / f"step_{s:0{width}d}.{file_format}" for s in range(len(frames)))
    return [save(frame, name) for frame, name in zip(frames, names, strict=True)]


def play(root: Any, **options: Any) -> Any:
    """Step through backpropagation in Jupyter.

    With ipywidgets installed, returns a widget: a play button and a slider over the frames of
    `backward_steps` (each frame rendered to SVG when first shown). Without ipywidgets, displays
    every frame in order and returns None.

    Args:
        root: the output node.
        **options: passed to `backward_steps` (``style``, ``show``, ``rankdir``, ``max_nodes``).
    """
    frames = backward_steps(root, **options)
    try:
        import ipywidgets as widgets
    except ImportError:
        widgets = None
    if widgets is None:
        from IPython.display import display

        for frame in frames:
            display(frame)
        return None
    from viz.render import render_bytes

    cache: dict[int, str] = {}

    def svg(s: int) -> str:
        if s not in cache:
            text = render_bytes(frames[s].source, "svg", api="play").decode()
            cache[s] = text[text.find("<svg"):]
        return cache[s]

    last = len(frames) - 1
    picture = widgets.HTML(svg(0))
    slider = widgets.IntSlider(value=0, min=0, max=last, description="step")
    player = widgets.Play(value=0, min=0, max=last, interval=1200)
    widgets.jslink((player, "value"), (slider, "value"))
    slider.observe(lambda change: setattr(picture, "value", svg(change["new"])), names="value")
    return widgets.VBox([widgets.HBox([player, slider]), picture])
