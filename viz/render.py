"""Finding a Graphviz renderer, writing drawings to files, and showing them in Jupyter.

Order of search: the binary named by ``$GRAFOGRAD_DOT``, a system ``dot`` on PATH, then the
``graphviz-pure`` binary installed beside ``sys.executable`` (found without PATH, so it works in an
unactivated virtual environment and in Jupyter kernels).
"""

from __future__ import annotations

import os
import re
import sys
from functools import lru_cache
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from collections.abc import Iterable
    from pathlib import Path

ENV_VAR = "GRAFOGRAD_DOT"
SVG_MIME = "image/svg+xml"
PNG_MIME = "image/png"
SCREEN_DPI = 96  # the CSS pixel: a PNG at PNG_DPI is shown at this scale, i.e. at its natural size
NOTEBOOK_WIDTH = 1100  # CSS px: a drawing wider than a notebook column is shown narrowed to this
PURE_NAME = "graphviz-pure"
PURE_FORMATS = frozenset({"svg", "png", "jpg", "jpeg", "dot", "gv", "plain", "json", "xdot"})
INSTALL_HINT = (
    "Install one: `pip install graphviz-pure` (into this Python environment), or a system "
    "Graphviz (`apt-get install graphviz`, `brew install graphviz`, `conda install graphviz`), "
    f"or point ${ENV_VAR} at a dot binary."
)


class RendererNotFound(RuntimeError):
    """No Graphviz binary to turn DOT text into a picture; the message says how to get one."""


class Renderer(NamedTuple):
    """A Graphviz binary: its path and whether it is the ``graphviz-pure`` port (no PDF)."""

    path: str
    pure: bool

    def supports(self, fmt: str) -> bool:
        """True if this renderer writes ``fmt`` (graphviz-pure has no PDF)."""
        return not self.pure or fmt in PURE_FORMATS


def pure_beside_python() -> Path:
    """Where ``pip install graphviz-pure`` puts its binary: next to ``sys.executable``."""
    from pathlib import Path  # here and below: keeps `import viz` light

    name = PURE_NAME + (".exe" if os.name == "nt" else "")
    return Path(sys.executable).parent / name


def find_renderer() -> Renderer | None:
    """The renderer to use now, or None if there is none.

    Raises:
        RendererNotFound: ``$GRAFOGRAD_DOT`` is set but names no executable.
    """
    import shutil

    forced = os.environ.get(ENV_VAR)
    if forced:
        path = shutil.which(forced)
        if path is None:
            raise RendererNotFound(
                f"render: ${ENV_VAR} names no executable; got {forced!r}, expected the path of a "
                f"dot or graphviz-pure binary. Fix the variable or unset it. {INSTALL_HINT}"
            )
        return Renderer(path, _is_pure(path))
    system = shutil.which("dot")
    if system is not None:
        return Renderer(system, _is_pure(system))
    pure = pure_beside_python()
    if pure.is_file() and os.access(pure, os.X_OK):
        return Renderer(str(pure), True)
    return None


def require_renderer(api: str = "render") -> Renderer:
    """The renderer to use now; raises `RendererNotFound`, saying how to install one, if none.

    >>> require_renderer().supports("svg")
    True
    """
    renderer = find_renderer()
    if renderer is None:
        raise RendererNotFound(
            f"{api}: no Graphviz renderer found; got no `dot` on PATH and no {PURE_NAME} at "
            f"{pure_beside_python()}, expected one of them. {INSTALL_HINT}"
        )
    return renderer


def use_renderer(api: str = "render") -> Renderer:
    """`require_renderer`, then point the ``graphviz`` package at it (for ``pipe``/``render``)."""
    from pathlib import Path

    from graphviz.backend import dot_command

    renderer = require_renderer(api)
    # The graphviz package builds every command from this module global, read at call time.
    dot_command.DOT_BINARY = Path(renderer.path)
    return renderer


@lru_cache(maxsize=8)
def _is_pure(path: str) -> bool:
    """Whether the binary at ``path`` is graphviz-pure (asked once: ``-V`` names the port)."""
    import subprocess
    from pathlib import Path

    if PURE_NAME in Path(path).name:
        return True
    try:
        done = subprocess.run([path, "-V"], capture_output=True, timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return False
    return PURE_NAME.encode() in done.stdout + done.stderr


def render_bytes(source: str, fmt: str, api: str = "render", dpi: int | None = None) -> bytes:
    """DOT text rendered to ``fmt`` by the current renderer.

    Raises:
        RendererNotFound: no renderer, or one that cannot write ``fmt`` (PDF with graphviz-pure).
        RuntimeError: the renderer failed; its message is included.
    """
    import subprocess

    renderer = require_renderer(api)
    if not renderer.supports(fmt):
        raise RendererNotFound(
            f"{api}: {fmt.upper()} output needs a system Graphviz; got {PURE_NAME} at "
            f"{renderer.path}, expected `dot` on PATH. Save as .svg or .png instead, or install "
            "Graphviz (`apt-get install graphviz`, `brew install graphviz`)."
        )
    command = [renderer.path, f"-T{fmt}"]
    if dpi is not None:
        command.append(f"-Gdpi={dpi}")
    done = subprocess.run(command, input=source.encode(), capture_output=True, check=False)
    if done.returncode != 0:
        message = done.stderr.decode(errors="replace").strip().splitlines()
        raise RuntimeError(
            f"{api}: {renderer.path} failed with exit code {done.returncode}; "
            f"got {message[-1] if message else 'no message'}"
        )
    if fmt == "png" and dpi is not None:
        return png_with_dpi(done.stdout, dpi)
    return done.stdout


def png_with_dpi(png: bytes, dpi: int) -> bytes:
    """``png`` with its resolution recorded (a ``pHYs`` chunk) if it has none: slide software
    and LaTeX then place a 300-dpi PNG at the same size as a 96-dpi one, only sharper.

    >>> import zlib
    >>> ihdr = b"IHDR" + (1).to_bytes(4, "big") * 2 + bytes([8, 0, 0, 0, 0])
    >>> png = b"\\x89PNG\\r\\n\\x1a\\n" + (13).to_bytes(4, "big") + ihdr
    >>> png += zlib.crc32(ihdr).to_bytes(4, "big")
    >>> tagged = png_with_dpi(png, 300)
    >>> tagged[33:54].hex(" ")  # pHYs: 11811 pixels per metre each way, unit metre
    '00 00 00 09 70 48 59 73 00 00 2e 23 00 00 2e 23 01 78 a5 3f 76'
    >>> png_with_dpi(tagged, 96) == tagged
    True
    """
    import zlib

    end_of_ihdr = 8 + 8 + 13 + 4  # signature, IHDR length and type, IHDR data, CRC
    first_data = png.find(b"IDAT")
    if png[12:16] != b"IHDR" or b"pHYs" in png[: first_data if first_data > 0 else len(png)]:
        return png
    per_metre = round(dpi / 0.0254).to_bytes(4, "big")
    body = b"pHYs" + per_metre + per_metre + b"\x01"
    chunk = (9).to_bytes(4, "big") + body + zlib.crc32(body).to_bytes(4, "big")
    return png[:end_of_ihdr] + chunk + png[end_of_ihdr:]


def notebook_bundle(
    source: str,
    include: Iterable[str] | None = None,
    exclude: Iterable[str] | None = None,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """What Jupyter shows for a drawing: ``(data, metadata)`` with SVG and PNG, rendered quietly.

    SVG is sharp where the notebook is trusted; the PNG (at ``PNG_DPI``, with its width in CSS
    pixels as metadata, so it shows at its natural size) is what JupyterLab falls back to in an
    untrusted notebook, where it refuses SVG. ``include``/``exclude`` choose MIME types as in
    ``graphviz``'s own ``_repr_mimebundle_`` (default: both). Never raises: a format the renderer
    fails on is left out; without a renderer, or if every format fails, the bundle is one
    ``text/plain`` message that says what to do.

    >>> data, metadata = notebook_bundle("digraph { a -> b }")
    >>> sorted(data), data[PNG_MIME].startswith(b"\\x89PNG"), sorted(metadata[PNG_MIME])
    (['image/png', 'image/svg+xml'], True, ['width'])
    >>> notebook_bundle("digraph { a }", include=["image/svg+xml"], exclude=["image/svg+xml"])
    ({}, {})
    """
    from viz.save import PNG_DPI  # here: viz.save imports this module

    wanted = set(include) if include is not None else {SVG_MIME, PNG_MIME}
    wanted -= set(exclude or ())
    data: dict[str, Any] = {}
    metadata: dict[str, Any] = {}
    failure: Exception | None = None
    for mime in (m for m in (SVG_MIME, PNG_MIME) if m in wanted):
        try:
            if mime == SVG_MIME:
                data[mime] = fit_svg(render_bytes(source, "svg", api="draw").decode("utf-8"))
            else:
                data[mime] = render_bytes(source, "png", api="draw", dpi=PNG_DPI)
                metadata[mime] = _css_size(data[mime], PNG_DPI)
        except (RendererNotFound, RuntimeError, OSError) as e:  # e.g. a dot built without PNG
            failure = e
    if failure is None or data or "text/plain" in set(exclude or ()):
        return data, metadata
    text = " ".join(str(failure).split())
    hint = "viz.dot_source(root) gives the DOT text without a renderer."
    return {"text/plain": f"(drawing not shown) {text} {hint}"}, {}


def _css_size(png: bytes, dpi: int) -> dict[str, int]:
    """The width of a PNG rendered at ``dpi``, in CSS pixels (from its IHDR chunk).

    Width only: a viewer that narrows a wide drawing to fit keeps its aspect ratio then.
    """
    width = int.from_bytes(png[16:20], "big")
    return {"width": max(1, min(NOTEBOOK_WIDTH, round(width * SCREEN_DPI / dpi)))}


def scope_ids(svg: str, prefix: str) -> str:
    """``svg`` with every id, and every reference to one (``href="#…"``, ``url(#…)``), prefixed:
    several drawings inlined in one page (a player's frames, quizzes) then never share an id.

    >>> scope_ids('<g id="a"><use href="#a"/><path fill="url(#g)"/></g>', "p1-")
    '<g id="p1-a"><use href="#p1-a"/><path fill="url(#p1-g)"/></g>'
    """
    svg = re.sub(r'\bid="([^"]*)"', rf'id="{prefix}\1"', svg)
    svg = re.sub(r'(href=")#([^"]*)"', rf'\1#{prefix}\2"', svg)
    return re.sub(r"url\(#([^)]*)\)", rf"url(#{prefix}\1)", svg)


def fit_svg(svg: str) -> str:
    """``svg`` with its width and height scaled down to at most `NOTEBOOK_WIDTH` CSS pixels.

    The ``viewBox`` keeps the picture whole: a drawing made for a 1920 px slide fits a notebook
    column (nbconvert's HTML shows SVG as an ``<img>`` no stylesheet narrows).

    >>> fit_svg('<svg width="1440pt" height="144pt" viewBox="0 0 1440 144">')
    '<svg width="825pt" height="82.5pt" viewBox="0 0 1440 144">'
    >>> fit_svg('<svg width="72pt" height="36pt" viewBox="0 0 72 36">')
    '<svg width="72pt" height="36pt" viewBox="0 0 72 36">'
    """
    import re

    found = re.search(r'<svg width="([\d.]+)pt" height="([\d.]+)pt"', svg)
    if not found:
        return svg
    width, height = float(found.group(1)), float(found.group(2))
    limit = NOTEBOOK_WIDTH * 72 / SCREEN_DPI
    if width <= limit:
        return svg
    scale = limit / width
    sized = f'<svg width="{limit:g}pt" height="{height * scale:.4g}pt"'
    return svg[: found.start()] + sized + svg[found.end() :]


def drawing_class() -> type:
    """``graphviz.Digraph`` that finds a renderer (or says how to get one) before rendering.

    Jupyter shows it inline through ``_repr_mimebundle_`` (see `notebook_bundle`): SVG and PNG
    from the renderer found here, graphviz-pure included.
    """
    return _drawing_class()


@lru_cache(maxsize=1)
def _drawing_class() -> type:
    import graphviz

    class Drawing(graphviz.Digraph):
        """A `graphviz.Digraph` that locates its renderer itself (see `viz.render`)."""

        # Quiet unless asked otherwise: graphviz-pure warns on stderr about the width of every
        # non-ASCII glyph (×, Σ), which Jupyter would print under each drawing. Failures still
        # raise with the renderer's message.

        def pipe(self, *args: Any, **kwargs: Any) -> Any:
            use_renderer("pipe")
            if len(args) < 5:  # quiet is pipe's fifth positional parameter
                kwargs.setdefault("quiet", True)
            return super().pipe(*args, **kwargs)

        def render(self, *args: Any, **kwargs: Any) -> Any:
            use_renderer("render")
            if len(args) < 9:  # quiet is render's ninth positional parameter
                kwargs.setdefault("quiet", True)
            return super().render(*args, **kwargs)

        def _repr_mimebundle_(
            self,
            include: Iterable[str] | None = None,
            exclude: Iterable[str] | None = None,
            **kwargs: Any,
        ) -> tuple[dict[str, Any], dict[str, Any]]:
            return notebook_bundle(self.source, include, exclude)

    return Drawing
