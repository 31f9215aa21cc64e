"""Backpropagation as a film: one drawing per step, a slider in Jupyter, numbered files for slides.

Frame 0 is the finished forward pass (every gradient ``?``); frame ``k`` adds the gradient of the
``k``-th node in reverse topological order (the root's seed first) and its title says how it was
computed: upstream gradient × local derivative, or the sum over the paths of a reused node.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from viz.draw import build, options
from viz.labels import DIGITS, fmt, op_symbol, product, summary, total
from viz.language import speaking
from viz.language import text as word
from viz.trace import UNKNOWN, Trace, is_tensor, local_grads, replayed_grads, stored_grads

if TYPE_CHECKING:
    from pathlib import Path

MAX_PATHS = 4  # a reused node's title names the gates it feeds when there are at most this many


def backward_steps(
    root: Any,
    style: str = "cs231n",
    show: str = "both",
    rankdir: str | None = None,
    max_nodes: int | None = 100,
    digits: int = DIGITS,
    **drawing: Any,
) -> list[Any]:
    """The forward pass, then one drawing per backpropagation step in reverse topological order.

    Frame 0 shows the values with every gradient ``?``. Frame ``k`` (1 to N, the node count)
    shows the gradients known once the ``k``-th node from the end of the topological order is
    done (frame 1: the root's seed), highlights that node and says in its title how its gradient
    was computed. For scalar graphs the gradients are replayed from the local derivatives (seed 1),
    so ``root.backward()`` need not have run; tensor graphs show their stored gradients.

    Args:
        root: the output node.
        style, rankdir, digits: as in `draw`; ``digits`` applies to the titles too.
        show: ``"both"`` (values and gradients) or ``"backward"`` (the chain rule on each edge).
        max_nodes: refuse graphs with more nodes than this (one frame per node); None: no limit.
            Unlike `draw`, a frame is never cut to fit a slide: each draws every node.
        **drawing: the other options of `draw` (``size``, ``max_width``, ``collapse``,
            ``cluster``, ``lang``: the titles speak it too).

    Returns:
        N + 1 `graphviz.Digraph` frames.

    >>> from autograd import Value
    >>> x, y, z = Value(1.0, label="x"), Value(-3.0, label="y"), Value(4.0, label="z")
    >>> f = (x + y) * z; f.label = "f"
    >>> frames = backward_steps(f)
    >>> len(frames), "?" in frames[0].source, "?" in frames[-1].source
    (6, True, False)
    >>> "backward step 2/5: ∂f/∂z = ∂f/∂f · ∂f/∂z = 1 × (-2) = -2" in frames[2].source
    True
    """
    opts = options(
        "backward_steps",
        root,
        style=style,
        show=show,
        rankdir=rankdir,
        max_nodes=max_nodes,
        digits=digits,
        **drawing,
    )
    trace, final = _checked(root, opts.show, opts.max_nodes)
    titles = _titles(trace, final, opts.digits, opts.lang)
    # every frame draws every node: a drawing cut to fit a slide could leave out the node the
    # frame is about; max_nodes has already refused graphs too big to step through
    whole = opts._replace(max_nodes=None)
    frames = []
    for k, title in enumerate(titles):
        current = None if k == 0 else trace.root - k + 1
        frames.append(build(trace, _known(final, trace.root - k), whole, current, title))
    return frames


def _checked(root: Any, show: str, max_nodes: int | None) -> tuple[Trace, list[Any]]:
    """The trace of ``root`` and its final gradients, once ``show`` and the size are acceptable."""
    if show not in ("both", "backward"):
        raise ValueError(
            f"backward_steps: show={show!r} hides the gradients the steps are about; "
            f"got {show!r}, expected 'both' or 'backward'"
        )
    trace = Trace(root)
    if max_nodes is not None and len(trace) > max_nodes:
        raise ValueError(
            f"backward_steps: the graph has {len(trace)} nodes, more than max_nodes={max_nodes}; "
            "one frame per node is too many to read. Pass a larger max_nodes, or step through a "
            "smaller graph."
        )
    final = replayed_grads(trace)
    return trace, stored_grads(trace) if final is None else final


def _known(final: list[Any], last_unknown: int) -> list[Any]:
    """``final`` with the gradients of positions up to ``last_unknown`` still to come (``?``).

    A node that ends with no gradient (a constant tensor, an intermediate one not retained) keeps
    None: nothing is still to come for it.
    """
    return [UNKNOWN if i <= last_unknown and g is not None else g for i, g in enumerate(final)]


def _titles(trace: Trace, final: list[Any], digits: int, lang: str | None = None) -> list[str]:
    """The title of every frame, in ``lang`` (None: the current language).

    >>> from autograd import Value
    >>> a = Value(3.0, label="a")
    >>> b = a * a + a; b.label = "b"
    >>> trace = Trace(b)
    >>> for title in _titles(trace, replayed_grads(trace), 4): print(title)
    forward pass: every gradient still ?
    backward step 1/3: ∂b/∂b = 1 (the seed)
    backward step 2/3: ∂b/∂(×) = ∂b/∂b · ∂b/∂(×) = 1 × 1 = 1
    backward step 3/3: ∂b/∂a = 3 + 3 + 1 = 7 (paths through ×, × and b)
    """
    count = len(trace)
    with speaking(lang):
        titles = [word("forward_title")]
        for k in range(1, count + 1):
            text = _step_text(trace, final, trace.root - k + 1, digits)
            titles.append(word("step_title", k=k, n=count, text=text))
    return titles


def _name(node: Any, bare: bool = False) -> str:
    """How a title names a scalar node: its label, else its gate symbol, else its value; inside
    ``∂f/∂(×)`` (``bare`` false) the symbol or value is in parentheses.
    """
    if node.label:
        return node.label
    name = op_symbol(node.op) if node.op else fmt(node.data)
    return name if bare else f"({name})"


def _step_text(trace: Trace, grads: list[Any], i: int, digits: int) -> str:
    """What the step that finishes node ``i`` computes, with its numbers."""
    node = trace.nodes[i]
    if is_tensor(node):
        return _tensor_text(trace, grads, i, digits)
    out = _name(trace.nodes[trace.root])
    name = _name(node)
    if i == trace.root:
        return f"∂{out}/∂{out} = {fmt(grads[i], digits)} ({word('the_seed')})"
    uses = trace.consumers[i]
    rules = [local_grads(trace.nodes[j]) for j, _ in uses]
    local = [rule[k] for rule, (_, k) in zip(rules, uses, strict=True) if rule is not None]
    if len(local) < len(uses):  # stored gradients: no local derivative to show
        return f"∂{out}/∂{name} = {fmt(grads[i], digits)}"
    if len(uses) == 1:
        j = uses[0][0]
        via = _name(trace.nodes[j])
        chain = f"∂{out}/∂{via} · ∂{via}/∂{name}"
        return f"∂{out}/∂{name} = {chain} = {product(grads[j], local[0], digits)}"
    terms = [grads[j] * d for (j, _), d in zip(uses, local, strict=True)]
    gates = [_name(trace.nodes[j], bare=True) for j, _ in uses]
    paths = (
        word("paths_through", gates=", ".join(gates[:-1]), last=gates[-1])
        if len(gates) <= MAX_PATHS
        else word("paths", n=len(gates))
    )
    return f"∂{out}/∂{name} = {total(terms, digits)} ({paths})"


def _tensor_text(trace: Trace, grads: list[Any], i: int, digits: int) -> str:
    """A tensor node's step: its stored gradient arriving, or why it keeps none."""
    node = trace.nodes[i]
    if node.label:
        name = node.label
    else:
        name = word("the_op_node", op=op_symbol(node.op)) if node.op else word("constant_tensor")
    grad = grads[i]
    if grad is None:
        if not node.op:
            return word("no_gradient", name=name, shape=tuple(node.data.shape))
        return word("seed_not_kept" if i == trace.root else "passes_through", name=name)
    key = "seed_arrives" if i == trace.root else "grad_arrives"
    return word(key, name=name, summary=summary(grad, digits))


def save_steps(
    root: Any,
    path: str | Path,
    file_format: str = "svg",
    *,
    dpi: int | None = None,
    interval: int | None = None,
    **options: Any,
) -> list[Path]:
    """Write the frames of `backward_steps` as one file (PDF pages, an animated GIF) or a folder.

    A path ending in ``.pdf`` gets one page per frame, every page the same size (in Beamer,
    ``\\includegraphics[page=k]{steps.pdf}`` shows frame k - 1); one ending in ``.gif`` an
    animated GIF, one frame per step, looping. Any other path (or an existing folder) is a folder of
    ``step_00.svg``, ``step_01.svg``...: ``step_00`` is the forward pass, ``step_01`` the seed,
    and so on. The folder then holds this run's frames only: the frames of an earlier run in the
    same format that this run does not overwrite (a 6-frame run's ``step_03`` to ``step_05``
    after a 3-frame run) are removed. Only files named exactly like frames, ``step_`` + digits +
    ``.`` + ``file_format``, are removed; other files, folders and frames in other formats are
    left alone.

    Args:
        root: the output node.
        path: ``steps.pdf``, ``steps.gif``, or a folder (created if missing).
        file_format: the format of each frame in a folder: ``"svg"``, ``"png"``, ``"pdf"``, or
            ``"dot"``/``"gv"`` for the DOT text. A ``.pdf`` or ``.gif`` path names its own.
        dpi: pixels per inch of PNG and GIF frames (default 96); vector frames ignore it.
        interval: milliseconds each GIF frame is shown (default 2000; the last frame twice as
            long).
        **options: passed to `backward_steps`.

    Returns:
        The paths written, in step order (one path for a ``.pdf`` or ``.gif``).

    Raises:
        ValueError: an unknown ``file_format``, a bad ``dpi`` or ``interval``, or a graph
            `backward_steps` refuses.

    >>> import tempfile, pathlib
    >>> from autograd import Value
    >>> x, y = Value(2.0, label="x"), Value(3.0, label="y")
    >>> [pdf] = save_steps(x * y, pathlib.Path(tempfile.mkdtemp()) / "steps.pdf")
    >>> pdf.read_bytes().count(b"/Type /Page\\n")  # forward pass, then the 3 nodes' steps
    4
    """
    import re
    from pathlib import Path

    from viz.save import DPI, check_dpi, file_bytes, save

    formats = ("svg", "png", "pdf", "dot", "gv")
    if file_format not in formats:  # before anything is drawn or a folder is made
        raise ValueError(
            f"save_steps: unknown file_format; got {file_format!r}, expected one of {formats}"
        )
    check_dpi(dpi, "save_steps")
    target = Path(path)
    kind = target.suffix.lower().lstrip(".")
    frames = backward_steps(root, **options)
    if kind in ("pdf", "gif") and not target.is_dir():
        sources = [frame.source for frame in frames]
        target.write_bytes(file_bytes(sources, kind, dpi or DPI, "save_steps", interval))
        return [target]
    target.mkdir(parents=True, exist_ok=True)
    width = max(2, len(str(len(frames) - 1)))
    names = (target / f"step_{s:0{width}d}.{file_format}" for s in range(len(frames)))
    written = [save(frame, name, dpi=dpi) for frame, name in zip(frames, names, strict=True)]
    # removed only once every new frame is written: a render that fails midway deletes nothing
    frame_name = re.compile(rf"step_[0-9]{{2,}}\.{re.escape(file_format)}")
    ours = {p.name for p in written}
    for p in target.iterdir():
        if frame_name.fullmatch(p.name) and p.name not in ours and p.is_file():
            p.unlink()
    return written


def play(root: Any, widgets: bool | None = None, **options: Any) -> Any:
    """Step through backpropagation in Jupyter, with no kernel needed to step.

    Returns a player (see `viz.player.Player`): its HTML output holds every frame of
    `backward_steps` as inline SVG with a slider, previous/next and play/pause buttons in plain
    JavaScript, so it still plays in an executed notebook exported by nbconvert or opened
    without a kernel; its PNG output (frame 0) is what viewers that run no script show.
    ``widgets=True`` returns the older ipywidgets slider instead, which redraws each frame
    from the kernel.

    Args:
        root: the output node.
        widgets: True for the ipywidgets slider; None or False for the HTML player.
        **options: passed to `backward_steps` (``style``, ``show``, ``rankdir``, ``digits``,
            ``lang``...).

    Raises:
        ImportError: ``widgets=True`` and ipywidgets is not installed.

    >>> from autograd import Value
    >>> x, y = Value(2.0, label="x"), Value(3.0, label="y")
    >>> shown = play(x * y)
    >>> len(shown.frames), shown._repr_html_().count("<svg")
    (4, 4)
    """
    if widgets not in (None, True, False):
        raise TypeError(f"play: widgets must be None, True or False; got {widgets!r}")
    if widgets:
        ipywidgets = _import_ipywidgets()
        return _slider(ipywidgets, backward_steps(root, **options), options.get("lang"))
    from viz.player import player  # here: viz.player imports this module

    return player(root, "play", **options)


def _import_ipywidgets() -> Any:
    """The ipywidgets module; an ImportError that says what to do if it is missing."""
    try:
        import ipywidgets
    except ImportError:
        raise ImportError(
            "play: widgets=True needs ipywidgets, which is not installed. "
            "Run `pip install ipywidgets`, or leave widgets unset for the HTML player."
        ) from None
    return ipywidgets


def _slider(ipywidgets: Any, frames: list[Any], lang: str | None) -> Any:
    """A play button and a slider over ``frames``, each rendered to SVG when first shown."""
    from viz.language import text
    from viz.render import render_bytes

    cache: dict[int, str] = {}

    def svg(s: int) -> str:
        if s not in cache:
            text = render_bytes(frames[s].source, "svg", api="play").decode()
            cache[s] = text[text.find("<svg") :]
        return cache[s]

    last = len(frames) - 1
    picture = ipywidgets.HTML(svg(0))
    slider = ipywidgets.IntSlider(value=0, min=0, max=last, description=text("step", lang))
    player = ipywidgets.Play(value=0, min=0, max=last, interval=1200)
    ipywidgets.jslink((player, "value"), (slider, "value"))
    slider.observe(lambda change: setattr(picture, "value", svg(change["new"])), names="value")
    return ipywidgets.VBox([ipywidgets.HBox([player, slider]), picture])
