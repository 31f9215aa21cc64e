"""PDF from our SVG drawings, with pip-installed packages only: svglib reads the SVG, reportlab
writes vector pages in the standard PDF fonts (Helvetica, and Symbol for ∂ Σ σ → √).

Characters no standard font has are mapped first: superscripts and subscripts (x⁻¹, x⁴) are drawn
as smaller raised or lowered characters; anything else shows as ■, with a warning.
"""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Sequence

SCRIPT_SIZE = 0.7  # a superscript's size, as a fraction of the text's
RAISE = {"<super>": 0.38, "<sub>": -0.15}  # baseline shift of each kind, in font sizes


def pdf_pages(svgs: Sequence[bytes], api: str = "save") -> bytes:
    """One PDF page per SVG, every page the size of the largest drawing.

    A smaller drawing is centred across its page and set at the top, where a frame's title is:
    a slide that steps through the pages keeps the picture still. The file is the same for the
    same drawings, run after run (no date, no random id).

    Args:
        svgs: SVG documents, as Graphviz writes them.
        api: the public function named in errors and warnings.

    Raises:
        ValueError: no SVG given.
        RuntimeError: an SVG that svglib cannot read.

    >>> svg = b'<svg xmlns="http://www.w3.org/2000/svg" width="80pt" height="20pt"/>'
    >>> pdf = pdf_pages([svg, svg])
    >>> pdf.startswith(b"%PDF"), pdf.count(b"/Type /Page\\n")
    (True, 2)
    """
    import io

    from reportlab.graphics import renderPDF
    from reportlab.pdfgen.canvas import Canvas

    if not svgs:
        raise ValueError(f"{api}: no drawing to write; got 0 SVG documents, expected at least 1")
    missing: set[str] = set()
    drawings = [_drawing(svg, api, missing) for svg in svgs]
    if missing:
        import warnings

        warnings.warn(
            f"{api}: no standard PDF font has {''.join(sorted(missing))!r}; in the PDF they show "
            "as ■. Save as .svg or .png to keep them.",
            stacklevel=4,  # pdf_pages, file_bytes, save or save_steps, their caller
        )
    width = max(d.width for d in drawings)
    height = max(d.height for d in drawings)
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=(width, height), invariant=True, pageCompression=True)
    canvas.setCreator("grafograd")
    for d in drawings:
        renderPDF.draw(d, canvas, (width - d.width) / 2, height - d.height)
        canvas.showPage()
    canvas.save()
    return out.getvalue()


def _drawing(svg: bytes, api: str, missing: set[str]) -> Any:
    """``svg`` as a reportlab Drawing, its text set in fonts the PDF has; what no font has is
    added to ``missing``."""
    import io

    from svglib.svglib import svg2rlg

    drawing = svg2rlg(io.BytesIO(svg))
    if drawing is None:
        raise RuntimeError(
            f"{api}: svglib could not read the drawing's SVG; got {len(svg)} bytes starting "
            f"{svg[:40]!r}, expected an SVG document"
        )
    _map_scripts(drawing, missing)
    return drawing


def _map_scripts(group: Any, missing: set[str]) -> None:
    """Replace, in ``group`` and below, each text with super- or subscripts no standard font has
    by a group of pieces, the scripts smaller and shifted; add to ``missing`` what stays unshown.

    Iterative: the tree is walked with a stack of groups.
    """
    from reportlab.graphics.shapes import Group, String

    stack = [group]
    while stack:
        node = stack.pop()
        for k, child in enumerate(node.contents):
            if isinstance(child, Group):
                stack.append(child)
            elif isinstance(child, String):
                pieces = _pieces(child, missing)
                if pieces is not None:
                    node.contents[k] = pieces


def _unshown(text: str, font_name: str) -> set[str]:
    """The characters of ``text`` that a standard PDF font and its substitutes (Symbol,
    ZapfDingbats) lack.

    Empty for an embedded (TrueType) font: it is not a standard font, and may have them all.
    """
    from reportlab.pdfbase.pdfmetrics import getFont

    font = getFont(font_name)
    if getattr(font, "_multiByte", False) or not hasattr(font, "substitutionFonts"):
        return set()
    if _encodes(text, font.encName):  # the common case: plain Latin text
        return set()
    encodings = [f.encName for f in (font, *font.substitutionFonts)]
    return {c for c in set(text) if not any(_encodes(c, e) for e in encodings)}


def _encodes(text: str, encoding: str) -> bool:
    """Whether ``text`` has a code in ``encoding`` (reportlab registers its font encodings)."""
    try:
        text.encode(encoding)
    except UnicodeEncodeError:
        return False
    return True


def _script(char: str) -> tuple[str, str] | None:
    """``("<super>", "4")`` for ``"⁴"``: the kind of script and the plain character; else None."""
    kind, _, code = unicodedata.decomposition(char).partition(" ")
    if kind not in RAISE or not code or " " in code:
        return None
    return kind, chr(int(code, 16))


def _pieces(string: Any, missing: set[str]) -> Any:
    """``string`` as a group of plain and script pieces, or None if it needs no change."""
    from reportlab.graphics.shapes import Group, String
    from reportlab.pdfbase.pdfmetrics import stringWidth

    unshown = _unshown(string.text, string.fontName)
    if not unshown:
        return None
    # every script of the text is drawn alike, ¹ too (Helvetica has its own, a little lower)
    runs: list[tuple[str | None, str]] = []  # (script kind or None, text)
    for char in string.text:
        script = _script(char)
        kind, plain = script if script is not None else (None, char)
        if script is None and char in unshown:
            missing.add(char)
        if runs and runs[-1][0] == kind:
            runs[-1] = (kind, runs[-1][1] + plain)
        else:
            runs.append((kind, plain))
    if all(kind is None for kind, _ in runs):
        return None
    size = string.fontSize
    sizes = [size if kind is None else size * SCRIPT_SIZE for kind, _ in runs]
    widths = [stringWidth(text, string.fontName, s) for (_, text), s in zip(runs, sizes)]
    shift = {"start": 0.0, "middle": 0.5, "end": 1.0}.get(string.textAnchor, 0.0)
    x = string.x - shift * sum(widths)
    group = Group()
    for (kind, text), s, w in zip(runs, sizes, widths):
        y = string.y + (RAISE[kind] * size if kind is not None else 0.0)
        group.add(
            String(x, y, text, fontName=string.fontName, fontSize=s, fillColor=string.fillColor)
        )
        x += w
    return group
