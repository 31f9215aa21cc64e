"""`save`: a drawing written to a file whose extension picks the medium: SVG, PNG, PDF, GIF, TikZ,
an HTML player, or its DOT text."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pathlib import Path

from viz.render import render_bytes

FORMATS = ("svg", "png", "pdf", "gif", "tex", "html", "dot", "gv")
DPI = 96  # a raster file's default: Graphviz's and the CSS pixel's, so a PNG shows at its size
PNG_DPI = 144  # the notebook's PNG fallback (see `viz.render.notebook_bundle`): sharp on HiDPI


def save(root_or_graph: Any, path: str | Path, dpi: int | None = None, **options: Any) -> Path:
    """Write a drawing to ``path``; the extension picks the medium.

    Every format is written with pip-installed packages only (graphviz-pure, svglib, reportlab,
    Pillow); no system Graphviz is needed.

    Args:
        root_or_graph: an output node (drawn with `draw` and ``options``) or a drawing
            (a `graphviz.Digraph`, e.g. from `draw` or `backward_steps`).
        path: ending in ``.svg``, ``.png``, ``.pdf`` (vector, fonts as in the SVG), ``.gif``
            (for a node: backpropagation animated, as `save_steps` writes it; for a drawing: that
            one picture), ``.tex`` (a standalone TikZ document, see `viz.to_tikz`), ``.html``
            (the offline player, see `viz.save_html`), or ``.dot``/``.gv`` (the DOT text).
        dpi: pixels per inch of a PNG or GIF (default 96: one pixel per CSS pixel; 300 for a
            projector gives 300/96 the pixels each way). The vector formats ignore it.
        **options: passed to `draw` when a node is given (to `backward_steps` for a ``.gif``,
            to `viz.save_html` and `viz.to_tikz` for ``.html`` and ``.tex``).

    Returns:
        The path written.

    Raises:
        ValueError: an unknown extension, or a ``dpi`` that is not a positive int.
        TypeError: drawing options given with a finished drawing.
        RendererNotFound: no Graphviz renderer; the message says what to install.

    >>> import tempfile, pathlib
    >>> from autograd import Value
    >>> out = save(Value(2.0, label="a") * 3, pathlib.Path(tempfile.mkdtemp()) / "a.svg")
    >>> out.read_text().lstrip().startswith("<?xml")
    True
    """
    from pathlib import Path  # imported here to keep `import viz` light

    check_dpi(dpi, "save")
    path = Path(path)
    kind = path.suffix.lower().lstrip(".")
    if kind not in FORMATS:
        raise ValueError(
            f"save: unknown file type; got {path.name!r}, expected a name ending in "
            + ", ".join("." + f for f in FORMATS)
        )
    drawing = is_drawing(root_or_graph)
    if kind == "tex":
        from viz.tikz import save_tex

        save_tex(root_or_graph, path, **options)
        return path
    if kind == "html":
        from viz.player import save_html

        save_html(root_or_graph, path, **options)
        return path
    if kind == "gif" and not drawing:
        from viz.steps import save_steps

        return save_steps(root_or_graph, path, dpi=dpi, **options)[0]
    if drawing:
        if options:
            raise TypeError(
                f"save: drawing options apply to a node, not to a finished drawing; got "
                f"{sorted(options)}. Pass them to draw(), or pass the node to save()."
            )
        source = root_or_graph.source
    else:
        from viz.draw import draw

        source = draw(root_or_graph, **options).source
    path.write_bytes(file_bytes([source], kind, dpi or DPI, "save"))
    return path


def is_drawing(root_or_graph: Any) -> bool:
    """Whether ``root_or_graph`` is a finished drawing (DOT source), not a node to draw."""
    return hasattr(root_or_graph, "source") and not hasattr(root_or_graph, "parents")


def check_dpi(dpi: Any, api: str) -> None:
    """Refuse a ``dpi`` that is not None or a positive int."""
    if dpi is not None and (isinstance(dpi, bool) or not isinstance(dpi, int) or dpi < 1):
        raise ValueError(f"{api}: dpi must be a positive int; got {dpi!r}, expected e.g. {DPI}")


def file_bytes(
    sources: list[str], kind: str, dpi: int, api: str, interval: int | None = None
) -> bytes:
    """The file of kind ``kind`` that shows the drawings ``sources`` (DOT texts): one for
    ``svg``/``png``/``dot``/``gv``, one page each for ``pdf``, one frame each for ``gif``.

    Args:
        sources: DOT texts, in order.
        kind: ``svg``, ``png``, ``pdf``, ``gif``, ``dot`` or ``gv``.
        dpi: the resolution of PNG and GIF pixels.
        api: the public function named in errors.
        interval: milliseconds per GIF frame (None: `viz.gif.INTERVAL`).

    >>> file_bytes(["digraph { a -> b }"], "pdf", 96, "save").startswith(b"%PDF")
    True
    """
    if kind in ("dot", "gv", "svg", "png") and len(sources) != 1:
        raise ValueError(
            f"{api}: a .{kind} file holds one drawing; got {len(sources)}, expected 1. "
            "Write .pdf or .gif for several, or one file each."
        )
    if kind in ("dot", "gv"):
        return sources[0].encode("utf-8")
    if kind == "svg":
        return render_bytes(sources[0], "svg", api=api)
    if kind == "png":
        return render_bytes(sources[0], "png", api=api, dpi=dpi)
    if kind == "pdf":
        from viz.pdf import pdf_pages

        # always through our SVG: the same vector PDF from graphviz-pure and from a system dot
        return pdf_pages([render_bytes(s, "svg", api=api) for s in sources], api)
    if kind == "gif":
        from viz.gif import INTERVAL, gif_frames

        pngs = [render_bytes(s, "png", api=api, dpi=dpi) for s in sources]
        return gif_frames(pngs, INTERVAL if interval is None else interval, api)
    raise ValueError(
        f"{api}: no picture of kind {kind!r}; got {kind!r}, expected svg, png, pdf, gif, dot, gv"
    )
