"""`save`: a drawing written to SVG, PNG or PDF (or its DOT text) by the renderer found."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pathlib import Path

from viz.render import render_bytes

FORMATS = ("svg", "png", "pdf", "dot", "gv")
PNG_DPI = 144  # Graphviz's default of 96 makes slide numbers blurry


def save(root_or_graph: Any, path: str | Path, dpi: int | None = None, **options: Any) -> Path:
    """Write a drawing to ``path``; the extension picks the format.

    Args:
        root_or_graph: an output node (drawn with `draw` and ``options``) or a drawing
            (a `graphviz.Digraph`, e.g. from `draw` or `backward_steps`).
        path: ending in ``.svg``, ``.png``, ``.pdf`` (needs a system Graphviz), or ``.dot``/``.gv``
            (the DOT text; no renderer needed).
        dpi: resolution of a PNG (default 144).
        **options: passed to `draw` when a node is given.

    Returns:
        The path written.

    Raises:
        RendererNotFound: no Graphviz renderer, or PDF asked of graphviz-pure; the message says
            what to install.

    >>> import tempfile, pathlib
    >>> from autograd import Value
    >>> out = save(Value(2.0, label="a") * 3, pathlib.Path(tempfile.mkdtemp()) / "a.svg")
    >>> out.read_text().lstrip().startswith("<?xml")
    True
    """
    from pathlib import Path  # imported here to keep `import viz` light

    if dpi is not None and (isinstance(dpi, bool) or not isinstance(dpi, int) or dpi < 1):
        raise ValueError(f"save: dpi must be a positive int; got {dpi!r}, expected e.g. 144")
    path = Path(path)
    kind = path.suffix.lower().lstrip(".")
    if kind not in FORMATS:
        raise ValueError(
            f"save: unknown file type; got {path.name!r}, expected a name ending in "
            + ", ".join("." + f for f in FORMATS)
        )
    if hasattr(root_or_graph, "source") and not hasattr(root_or_graph, "parents"):
        if options:
            raise TypeError(
                f"save: drawing options apply to a node, not to a finished drawing; got "
                f"{sorted(options)}. Pass them to draw(), or pass the node to save()."
            )
        source = root_or_graph.source
    else:
        from viz.draw import draw

        source = draw(root_or_graph, **options).source
    if kind in ("dot", "gv"):
        path.write_text(source, encoding="utf-8")
        return path
    resolution = (dpi or PNG_DPI) if kind == "png" else dpi
    path.write_bytes(render_bytes(source, kind, api="save", dpi=resolution))
    return path
