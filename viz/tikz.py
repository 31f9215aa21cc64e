r"""TikZ for LaTeX and Beamer: a drawing redrawn op by op from its Graphviz layout.

`to_tikz` lays the drawing out once (Graphviz JSON with xdot ops: every shape, spline, arrowhead
and piece of text the SVG shows, at the same positions) and writes each op as a TikZ command, so
labels, colours and arrowheads match the SVG. ``steps=True`` lays out every frame of
`backward_steps` and writes what changes between frames inside Beamer overlays (``\only<k>``), so
one slide steps through backpropagation. `save_tex` wraps either in a document that compiles
with ``pdflatex`` and nothing beyond Debian's ``texlive-latex-base``, ``-recommended`` and
``-pictures`` (``texlive-fonts-recommended`` adds the SVG's Helvetica).
"""

from __future__ import annotations

import json
import re
import unicodedata
import warnings
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from viz.labels import BLUE, GREEN, GREY, HIGHLIGHT, PARAM_FILL, RED

if TYPE_CHECKING:
    from pathlib import Path

PAD = 4.0  # bp around the drawing, as Graphviz pads its SVG
# readable names for the house colours; any other colour is named after its hex code
COLOUR_NAMES = {
    GREEN: "vizvalue",
    RED: "vizgrad",
    BLUE: "vizlocal",
    GREY: "vizgrey",
    HIGHLIGHT: "vizcurrent",
    PARAM_FILL: "vizparam",
}
BUILTIN = {"#000000": "black", "#ffffff": "white"}  # xcolor's own: not defined again
NAMED_COLOURS = {"black": "#000000", "white": "#ffffff", "transparent": None, "none": None}
LAYERS = ("_draw_", "_hdraw_", "_tdraw_", "_ldraw_", "_hldraw_", "_tldraw_")

# TeX's special characters, and characters that form ligatures or odd glyphs in OT1 fonts
TEXT_SPECIALS = {
    "\\": r"\textbackslash{}",
    "#": r"\#",
    "$": r"\$",
    "%": r"\%",
    "&": r"\&",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    "<": r"\textless{}",
    ">": r"\textgreater{}",
    "|": r"\textbar{}",
    "'": r"\textquotesingle{}",
    "`": r"\textasciigrave{}",
    '"': r"\textquotedbl{}",
}
MATH_SYMBOLS = {
    "∂": r"\partial",
    "·": r"\cdot",
    "×": r"\times",
    "÷": r"\div",
    "−": "-",
    "±": r"\pm",
    "√": r"\surd",
    "∞": r"\infty",
    "≈": r"\approx",
    "≤": r"\leq",
    "≥": r"\geq",
    "≠": r"\neq",
    "→": r"\to",
    "←": r"\leftarrow",
    "∇": r"\nabla",
    "∈": r"\in",
    "∑": r"\Sigma",
    "∏": r"\Pi",
    "ε": r"\varepsilon",
    "ϵ": r"\epsilon",
    "ϕ": r"\phi",
    "φ": r"\varphi",
}
GREEK = {  # letters and their TeX names; the capitals that look Latin are in TEXT_SYMBOLS
    "αβγδζηθικλμνξπρστυχψω": "alpha beta gamma delta zeta eta theta iota kappa lambda mu nu xi pi "
    "rho sigma tau upsilon chi psi omega",
    "ΓΔΘΛΞΠΣΥΦΨΩ": "Gamma Delta Theta Lambda Xi Pi Sigma Upsilon Phi Psi Omega",
}
for letters, names in GREEK.items():
    MATH_SYMBOLS.update(zip(letters, ["\\" + n for n in names.split()], strict=True))
TEXT_SYMBOLS = {
    "\u00a0": "~",
    "ß": r"\ss{}",
    "æ": r"\ae{}",
    "Æ": r"\AE{}",
    "ø": r"\o{}",
    "Ø": r"\O{}",
    "œ": r"\oe{}",
    "Œ": r"\OE{}",
    "ł": r"\l{}",
    "Ł": r"\L{}",
    "ı": r"\i{}",
    "¿": r"\textquestiondown{}",
    "¡": r"\textexclamdown{}",
    "“": r"\textquotedblleft{}",
    "”": r"\textquotedblright{}",
    "‘": r"\textquoteleft{}",
    "’": r"\textquoteright{}",
    "–": r"\textendash{}",
    "—": r"\textemdash{}",
    "…": r"\textellipsis{}",
    "°": r"\textdegree{}",
    "½": r"\textonehalf{}",
    "«": r"$\ll$",
    **dict(zip("ΑΒΕΖΗΙΚΜΝΟΡΤΧο", "ABEZHIKMNOPTXo", strict=True)),
    "»": r"$\gg$",
}
ACCENTS = {  # combining marks (after NFD) as TeX accent commands
    "\u0300": "`",
    "\u0301": "'",
    "\u0302": "^",
    "\u0303": "~",
    "\u0304": "=",
    "\u0306": "u",
    "\u0307": ".",
    "\u0308": '"',
    "\u030a": "r",
    "\u030b": "H",
    "\u030c": "v",
    "\u0327": "c",
    "\u0328": "k",
}
SUPERSCRIPT = dict(zip("⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺⁼⁽⁾ⁿⁱ", "0123456789-+=()ni", strict=True))
SUBSCRIPT = dict(zip("₀₁₂₃₄₅₆₇₈₉₋₊₌₍₎", "0123456789-+=()", strict=True))


def to_tikz(root: Any, steps: bool = False, **options: Any) -> str:
    r"""The drawing of ``root`` as a ``tikzpicture``, laid out by Graphviz as in the SVG.

    Every shape, wire, arrowhead and label of the drawing becomes a TikZ command at its Graphviz
    position (in ``bp``, the drawing's points), its colours are defined with ``\definecolor``
    in the picture (``vizvalue`` green, ``vizgrad`` red, ``vizlocal`` blue...), text in TeX's
    special characters and Unicode (``∂ · × ⁻``) is escaped or set in math, each node's centre a
    named coordinate (``n0``, ``n1``... as in the DOT text) for annotations. The output is
    ASCII and needs only ``\usepackage{tikz}`` (in Beamer with T1 fonts, capital Greek such as
    ``Σ`` also needs ``\usefonttheme{professionalfonts}``, as `save_tex` writes).

    Args:
        root: the output node, or (``steps=False``) a finished drawing such as `draw` returns.
        steps: False draws the finished drawing (`draw`); True writes every frame of
            `backward_steps` into one picture: what changes from frame to frame (gradients,
            the highlighted node, the title) sits in ``\only<k>`` overlays, slide ``k + 1``
            showing frame ``k`` (slide 1: the forward pass, gradients ``?``), for use inside a
            Beamer frame.
        **options: passed to `draw` (or to `backward_steps` when ``steps``): ``style``,
            ``show``, ``digits``, ``rankdir``, ``lang``...

    Returns:
        The LaTeX text from ``\begin{tikzpicture}`` to ``\end{tikzpicture}``.

    Raises:
        TypeError: ``steps`` is not a bool, an option is unknown, or options come with a
            finished drawing.
        RendererNotFound: no Graphviz renderer to lay the drawing out.

    >>> from autograd import Value
    >>> x, y, z = Value(1.0, label="x"), Value(-3.0, label="y"), Value(4.0, label="z")
    >>> f = (x + y) * z; f.label = "f"; f.backward()
    >>> tex = to_tikz(f)
    >>> tex.startswith(r"\begin{tikzpicture}") and r"{-8};" in tex and "vizgrad" in tex
    True
    """
    layouts = _layouts(root, steps, options)
    return _picture(layouts, fixed=steps)


def save_tex(root: Any, path: str | Path, steps: bool = False, **options: Any) -> Path:
    r"""Write `to_tikz` of ``root`` as a LaTeX document that ``pdflatex`` compiles.

    ``steps=False`` gives a one-page PDF cut to the drawing, as the ``standalone`` class would
    (an ``article`` that sets the page size itself: ``standalone`` needs Debian's large
    ``texlive-latex-extra``); ``steps=True`` a Beamer document with one frame whose slides step
    through backpropagation, the drawing scaled down to fit the slide when it is larger.
    Helvetica (as in the SVG) is used when its TeX fonts are installed
    (``texlive-fonts-recommended``), else Latin Modern Sans.

    Args:
        root: as in `to_tikz`.
        path: the ``.tex`` file to write (UTF-8; the text is ASCII).
        steps: as in `to_tikz`.
        **options: as in `to_tikz`.

    Returns:
        The path written.

    >>> import tempfile, pathlib
    >>> from autograd import Value
    >>> out = save_tex(Value(2.0, label="a") * 3, pathlib.Path(tempfile.mkdtemp()) / "a.tex")
    >>> out.read_text().startswith(r"\documentclass{article}")
    True
    """
    from pathlib import Path

    layouts = _layouts(root, steps, options)
    picture = _picture(layouts, fixed=steps)
    width, height = (side * _scale(layouts[-1]) for side in _extent(layouts)[2:])  # for Beamer
    preamble = [
        r"% Written by grafograd (viz.save_tex); compile with pdflatex.",
        r"\ifdefined\pdfgentounicode\input{glyphtounicode}\pdfgentounicode=1\fi",
    ]
    # Latin Modern scales to any size (Computer Modern's bitmaps snap 14bp to 14.4pt and move
    # every label); Helvetica, as in the SVG, where texlive-fonts-recommended provides it
    fonts = (
        r"\usepackage[T1]{fontenc}\usepackage{lmodern}"
        r"\IfFileExists{t1uhv.fd}{\usepackage{helvet}}{}"
    )
    if steps:
        body = [
            r"\documentclass{beamer}",
            *preamble,
            r"\usepackage{tikz}",
            fonts,
            # Beamer's sans-serif math takes capital Greek (Σ) from the T1 text font, which has none
            r"\usefonttheme{professionalfonts}",
            r"\setbeamertemplate{navigation symbols}{}",
            r"\begin{document}",
            r"\begin{frame}[plain]",
            r"\centering",
            rf"\pgfmathsetmacro\vizscale{{min(1, \textwidth/{width:.2f}bp, "
            rf"0.95\textheight/{height:.2f}bp)}}",
            r"\scalebox{\vizscale}{%",
            picture + "}",
            r"\end{frame}",
            r"\end{document}",
        ]
    else:  # one page exactly the picture's size, as the standalone class makes it
        body = [
            r"\documentclass{article}",
            *preamble,
            r"\usepackage{tikz}",
            fonts,
            r"\begin{document}",
            r"\setbox0=\hbox{%",
            picture + "}",
            r"\pdfpagewidth=\wd0 \pdfpageheight=\dimexpr\ht0+\dp0\relax",
            r"\hoffset=-1in \voffset=-1in \shipout\box0",
            r"\end{document}",
        ]
    out = Path(path)
    out.write_text("\n".join(body) + "\n", encoding="utf-8")
    return out


# ---- layouts ----------------------------------------------------------------------------------


def _layouts(root: Any, steps: Any, options: dict[str, Any]) -> list[dict[str, Any]]:
    """The Graphviz JSON layout of the drawing, or of every frame of `backward_steps`."""
    from viz.render import render_bytes

    if not isinstance(steps, bool):
        raise TypeError(f"to_tikz: steps must be a bool; got {steps!r}, expected True or False")
    if hasattr(root, "source") and not hasattr(root, "parents"):
        if steps or options:
            raise TypeError(
                "to_tikz: a finished drawing is drawn as it is; got "
                f"steps={steps}, options {sorted(options)}, expected neither. Pass the output "
                "node instead to step through it or change how it is drawn."
            )
        sources = [root.source]
    elif steps:
        from viz.steps import backward_steps

        sources = [frame.source for frame in backward_steps(root, **options)]
    else:
        from viz.draw import draw
        from viz.draw import options as checked

        checked("to_tikz", root, **options)  # so that errors name to_tikz
        sources = [draw(root, **options).source]
    return [json.loads(render_bytes(s, "json", api="to_tikz")) for s in sources]


def _owners(layout: dict[str, Any]) -> Iterator[tuple[tuple[Any, ...], dict[str, Any]]]:
    """Everything that draws, keyed the same in every frame, in drawing order: clusters, edges,
    nodes, then the graph's own label (the title). The graph's background is left out, so the
    picture sits on the slide's own background."""
    objects = layout.get("objects", [])
    clusters = layout.get("_subgraph_cnt", 0)
    names = {o["_gvid"]: o["name"] for o in objects}
    for o in objects[:clusters]:
        yield ("cluster", o["name"]), o
    seen: dict[tuple[str, str], int] = {}
    for e in layout.get("edges", []):
        ends = (names[e["tail"]], names[e["head"]])
        seen[ends] = seen.get(ends, -1) + 1
        yield ("edge", *ends, seen[ends]), e
    for o in objects[clusters:]:
        yield ("node", o["name"]), o
    yield ("graph",), {"_ldraw_": layout.get("_ldraw_", [])}


def _centre(owner: dict[str, Any]) -> tuple[float, float] | None:
    """A node's position, or a cluster's box centre; None for edges and the graph."""
    if "pos" in owner and "tail" not in owner:
        x, y = owner["pos"].split(",")[:2]
        return float(x), float(y)
    if "bb" in owner:
        x0, y0, x1, y1 = (float(v) for v in owner["bb"].split(","))
        return (x0 + x1) / 2, (y0 + y1) / 2
    return None


def _scale(layout: dict[str, Any]) -> float:
    """How much Graphviz shrinks the drawing to fit its ``size`` (in inches), as in the SVG.

    >>> _scale({"bb": "0,0,288,72", "size": "2,10"}), _scale({"bb": "0,0,288,72"})
    (0.5, 1.0)
    """
    if "size" not in layout:
        return 1.0
    w, h = (float(v) * 72 for v in layout["size"].rstrip("!").split(","))
    x0, y0, x1, y1 = (float(v) for v in layout["bb"].split(","))
    return min(1.0, w / max(x1 - x0, 1e-9), h / max(y1 - y0, 1e-9))


def _extent(layouts: list[dict[str, Any]]) -> tuple[float, float, float, float]:
    """``(x0, y0, width, height)`` in bp, before `_scale`, of a box that holds every frame, with
    4 bp around it once scaled.

    The frames share the last one's layout, but a title may be wider in another frame; the box
    is centred on the last frame's and as large as the largest, so no slide of a step-through
    moves the drawing.
    """
    boxes = [[float(v) for v in layout["bb"].split(",")] for layout in layouts]
    x0, y0, x1, y1 = boxes[-1]
    pad = PAD / _scale(layouts[-1])
    width = max(b[2] - b[0] for b in boxes) + 2 * pad
    height = max(b[3] - b[1] for b in boxes) + 2 * pad
    return (x0 + x1 - width) / 2, (y0 + y1 - height) / 2, width, height


# ---- the picture ------------------------------------------------------------------------------


class _Palette:
    """The colours and fonts a picture uses, each defined once, and its `_scale` (TikZ scales
    coordinates and, with ``transform shape``, text, but never line widths)."""

    def __init__(self, scale: float) -> None:
        self.scale = scale
        self.defined: dict[str, str] = {}
        self.fonts: dict[str, str] = {}
        self.missing: list[str] = []  # characters `escape` has no TeX for

    def font(self, size: float, face: str, flags: int) -> str:
        """The name of a TikZ style for Graphviz font ``face`` at ``size`` bp, bold (flag 1) or
        italic (flag 2); the style is defined once in the picture.

        No ``#1`` parameters: a Beamer frame reads its body as an argument, where ``#`` fails.
        """
        face = face.lower()
        family = (
            r"\ttfamily" if "courier" in face or "mono" in face
            else r"\rmfamily" if "times" in face or ("serif" in face and "sans" not in face)
            else r"\sffamily"
        )  # fmt: skip
        name = f"viz {family[1:3]} {_n(size)}"
        if flags & 1:
            family, name = family + r"\bfseries", name + " bold"
        if flags & 2:
            family, name = family + r"\itshape", name + " italic"
        self.fonts[name] = rf"{family}\fontsize{{{_n(size)}bp}}{{{_n(size * 1.2)}bp}}\selectfont"
        return name

    def name(self, colour: str) -> str | None:
        """The TikZ name of a Graphviz colour, None when it is fully transparent."""
        hex_code = NAMED_COLOURS.get(colour.lower(), colour.lower())
        if hex_code is None:
            return None
        if not re.fullmatch(r"#[0-9a-f]{6}([0-9a-f]{2})?", hex_code):
            raise ValueError(
                f"to_tikz: unknown colour in the layout; got {colour!r}, expected #rrggbb[aa]"
            )
        if hex_code[7:] == "00":
            return None
        rgb = hex_code[:7]
        if rgb in BUILTIN:
            return BUILTIN[rgb]
        name = COLOUR_NAMES.get(rgb, "viz" + rgb[1:])
        self.defined[name] = rgb[1:].upper()
        return name

    @staticmethod
    def opacity(colour: str) -> str:
        """The opacity of a colour with alpha (``"0.50"``), or ``""`` for an opaque one."""
        alpha = colour[7:9] if colour.startswith("#") else ""
        return "" if alpha in ("", "ff") else f"{int(alpha, 16) / 255:.2f}"


def _picture(layouts: list[dict[str, Any]], fixed: bool) -> str:
    """The ``tikzpicture`` of one layout, or of several frames as Beamer overlays.

    Its bounding box is the layout's, padded; ``fixed`` (for overlays) keeps it even where TeX
    sets a label wider than Graphviz measured it, so that no slide moves the drawing.
    """
    final = layouts[-1]
    palette = _Palette(_scale(final))
    slots: dict[tuple[Any, ...], list[str | None]] = {}
    order: list[tuple[Any, ...]] = []
    reference = {key: owner for key, owner in _owners(final)}
    for k, layout in enumerate(layouts):
        for key, owner in _owners(layout):
            for layer in LAYERS:
                ops = owner.get(layer)
                if not ops:
                    continue
                base = reference.get(key, {}).get(layer)
                for slot, command in _commands(ops, base, owner, reference.get(key), palette):
                    full = (*key, layer, slot)
                    if full not in slots:
                        slots[full] = [None] * len(layouts)
                        order.append(full)
                    slots[full][k] = command
    x0, y0, width, height = _extent(layouts)
    scale = palette.scale
    lines = [
        rf"\begin{{tikzpicture}}[x=1bp, y=1bp, line width={_n(scale, 3)}bp, line cap=round,",
        rf"  scale={_n(scale, 4)}, viz text/.style={{inner sep=0pt, anchor=base, transform shape}}]"
        if scale != 1.0
        else r"  viz text/.style={inner sep=0pt, anchor=base}]",
    ]
    rank = {key: r for r, (key, _) in enumerate(_owners(final))}
    order.sort(
        key=lambda full: (
            rank.get(full[:-2], len(rank)),
            LAYERS.index(full[-2]),
            -1 if full[-1] == "all" else full[-1],
        )
    )
    commands = []
    for full in order:
        commands.extend(_overlaid(slots[full]))
    lines += [rf"\definecolor{{{n}}}{{HTML}}{{{h}}}" for n, h in palette.defined.items()]
    lines += [rf"\tikzset{{{n}/.style={{font={f}}}}}" for n, f in palette.fonts.items()]
    box = f"({_n(x0)}, {_n(y0)}) rectangle ({_n(x0 + width)}, {_n(y0 + height)})"
    lines.append(rf"\useasboundingbox {box};" if fixed else rf"\path {box};")
    for owner in final.get("objects", [])[final.get("_subgraph_cnt", 0) :]:
        centre = _centre(owner)
        if centre is not None and re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", owner["name"]):
            lines.append(rf"\coordinate ({owner['name']}) at ({_n(centre[0])}, {_n(centre[1])});")
    lines += commands
    lines.append(r"\end{tikzpicture}")
    if palette.missing:
        _warn_missing(palette.missing, stacklevel=4)  # at the caller of to_tikz or save_tex
    return "\n".join(lines)


def _overlaid(per_frame: list[str | None]) -> list[str]:
    r"""One slot's commands: once if every frame has the same, else each run of frames that
    agree inside ``\only<a-b>`` (frame ``k`` is slide ``k + 1``)."""
    if all(c == per_frame[0] for c in per_frame) and per_frame[0] is not None:
        return [per_frame[0]]
    out = []
    start = 0
    last = len(per_frame) - 1
    for k in range(1, len(per_frame) + 1):
        if k <= last and per_frame[k] == per_frame[start]:
            continue
        command = per_frame[start]
        if command is not None:
            end = "" if k - 1 == last else str(k)
            span = str(start + 1) if k - 1 == start and end else f"{start + 1}-{end}"
            out.append(rf"\only<{span}>{{{command}}}")
        start = k
    return out


def _commands(
    ops: list[dict[str, Any]],
    base: list[dict[str, Any]] | None,
    owner: dict[str, Any],
    reference: dict[str, Any] | None,
    palette: _Palette,
) -> Iterator[tuple[Any, str]]:
    """``(slot, command)`` for each op that draws, in the last frame's geometry.

    When the last frame draws the same sequence of ops (``base``), each op takes its geometry
    from there and its colours and text from this frame, slot by op index: a gradient ``?``
    becomes ``-2`` in the same place. Otherwise (a node highlighted in this frame only) the ops
    are moved by the offset between the node's two positions and form one slot.
    """
    same = base is not None and [o["op"] for o in ops] == [o["op"] for o in base]
    shift = (0.0, 0.0)
    if not same and reference is not None:
        here, there = _centre(owner), _centre(reference)
        if here is not None and there is not None:
            shift = (there[0] - here[0], there[1] - here[1])
    state = _State()
    whole = []
    flush = _flush_left(base if same and base is not None else ops)
    for i, op in enumerate(ops):
        geometry = base[i] if same and base is not None else op
        command = state.apply(op, geometry, shift, palette, i in flush)
        if command is None:
            continue
        if same:
            yield i, command
        else:
            whole.append(command)
    if whole:
        yield "all", " ".join(whole)


def _flush_left(ops: list[dict[str, Any]]) -> set[int]:
    """The texts of a left-aligned block: those that share their left edge with a text of
    another width. TeX measures text a little differently from Graphviz, so these keep their left
    edge; every other text keeps its centre (a table cell's, as Graphviz writes each with its
    left edge).

    >>> texts = [{"op": "T", "pt": [5, 0], "width": w, "align": "l"} for w in (10, 30, 20)]
    >>> sorted(_flush_left(texts + [{"op": "T", "pt": [9, 0], "width": 3, "align": "l"}]))
    [0, 1, 2]
    """
    lefts: dict[float, set[float]] = {}
    texts = {i: op for i, op in enumerate(ops) if op["op"] == "T"}
    for op in texts.values():
        lefts.setdefault(_left(op), set()).add(round(float(op.get("width", 0.0)), 2))
    return {i for i, op in texts.items() if len(lefts[_left(op)]) > 1}


def _left(op: dict[str, Any]) -> float:
    """The left edge of a text op, to a hundredth of a bp."""
    width = float(op.get("width", 0.0))
    shift = {"l": 0.0, "r": width}.get(op.get("align", "c"), width / 2)
    return round(float(op["pt"][0]) - shift, 2)


class _State:
    """The pen, fill, font and line style in effect while an xdot op list is drawn."""

    def __init__(self) -> None:
        self.pen, self.fill = "#000000", "#000000"
        self.size, self.face, self.flags = 14.0, "Times-Roman", 0
        self.dash, self.width = "", 1.0

    def apply(
        self,
        op: dict[str, Any],
        geometry: dict[str, Any],
        shift: tuple[float, float],
        palette: _Palette,
        flush: bool,
    ) -> str | None:
        """Update the state for ``op``, or return the command that draws it (``flush``: a text
        of a left-aligned block)."""
        code = op["op"]
        if code in ("c", "C"):
            colour = op.get("color") or op.get("stops", [{}])[0].get("color", "#000000")
            if code == "c":
                self.pen = colour
            else:
                self.fill = colour
        elif code == "F":
            self.size, self.face = float(op["size"]), op["face"]
        elif code == "t":
            self.flags = int(op["fontchar"])
        elif code == "S":
            self._style(op["style"])
        elif code == "T":
            return self._text(op, geometry, shift, palette, flush)
        elif code in "eEpPLbB":
            return self._shape(code, geometry, shift, palette)
        # colour, font and style ops only change the state; images ("I") are not drawn (no
        # drawing of ours has any)
        return None

    def _style(self, style: str) -> None:
        width = re.fullmatch(r"setlinewidth\(([\d.]+)\)", style)
        if width:
            self.width = float(width.group(1))
        elif style in ("dashed", "dotted"):
            self.dash = style
        elif style == "solid":
            self.dash = ""
        elif style == "bold":
            self.width = 2.0

    def _text(
        self,
        op: dict[str, Any],
        geometry: dict[str, Any],
        shift: tuple[float, float],
        palette: _Palette,
        flush: bool,
    ) -> str | None:
        # graphviz-pure's JSON doubles the backslash that `labels.esc` puts before a word joiner
        text = op["text"].replace("\\\\\u2060", "\\\u2060")
        if not text.strip():
            return None
        colour = palette.name(self.pen)
        if colour is None:
            return None
        width = float(geometry.get("width", 0.0))
        x, y = _left(geometry) + (0.0 if flush else width / 2), geometry["pt"][1]
        anchor = ", anchor=base west" if flush else ""
        font = palette.font(self.size, self.face, self.flags)
        opacity = palette.opacity(self.pen)
        extra = f", text opacity={opacity}" if opacity else ""
        return (
            rf"\node[viz text{anchor}, {font}, text={colour}{extra}] "
            rf"at ({_n(x + shift[0])}, {_n(y + shift[1])}) {{{escape(text, palette.missing)}}};"
        )

    def _shape(
        self, code: str, geometry: dict[str, Any], shift: tuple[float, float], palette: _Palette
    ) -> str | None:
        filled = code in "EPB"
        pen = palette.name(self.pen)
        fill = palette.name(self.fill) if filled else None
        if pen is None and fill is None:
            return None
        options = []
        if pen is not None:
            options.append(f"draw={pen}")
            if palette.opacity(self.pen):
                options.append(f"draw opacity={palette.opacity(self.pen)}")
        if fill is not None:
            options.append(f"fill={fill}")
            if palette.opacity(self.fill):
                options.append(f"fill opacity={palette.opacity(self.fill)}")
        if self.dash:
            options.append(self.dash)
        if self.width != 1.0:
            options.append(f"line width={_n(self.width * palette.scale, 3)}bp")
        dx, dy = shift
        if code in "eE":
            x, y, rx, ry = geometry["rect"]
            at = f"({_n(x + dx)}, {_n(y + dy)})"
            if rx == ry:
                path = f"{at} circle [radius={_n(rx)}]"
            else:
                path = f"{at} ellipse [x radius={_n(rx)}, y radius={_n(ry)}]"
        else:
            points = [f"({_n(px + dx)}, {_n(py + dy)})" for px, py in geometry["points"]]
            if code in "bB":
                segments = [points[0]]
                for j in range(1, len(points) - 2, 3):
                    segments.append(
                        f".. controls {points[j]} and {points[j + 1]} .. {points[j + 2]}"
                    )
                path = " ".join(segments)
            else:
                path = " -- ".join(points)
            if code in "pPB":
                path += " -- cycle"
        return rf"\path[{', '.join(options)}] {path};"


def _n(x: float, places: int = 2) -> str:
    """A number (a coordinate in bp) to ``places`` decimals, without trailing zeros.

    >>> _n(44.760), _n(-0.0), _n(3.0)
    ('44.76', '0', '3')
    """
    text = f"{x:.{places}f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


# ---- text -------------------------------------------------------------------------------------


def escape(text: str, missing: list[str] | None = None) -> str:
    r"""``text`` as LaTeX that prints it in text mode: TeX's specials escaped, Unicode mapped to
    math (``∂`` → ``$\partial$``), accents to accent commands, super- and subscript digits to
    ``\textsuperscript``; the result is ASCII.

    A character with no such mapping (CJK, emoji) is printed as its code point ``[U+4E2D]`` and
    added to ``missing``; without that list, a warning names it.

    >>> print(escape("a_1 & 50% {x}"))
    a\_1 \& 50\% \{x\}
    >>> print(escape("∂f/∂x · 10⁻⁸ — señal"))
    $\partial$f/$\partial$x $\cdot$ 10\textsuperscript{$-$8} \textemdash{} se\~{n}al
    """
    out: list[str] = []
    unmapped: list[str] = []
    i = 0
    while i < len(text):
        ch = text[i]
        for table, command in ((SUPERSCRIPT, r"\textsuperscript"), (SUBSCRIPT, r"\textsubscript")):
            if ch in table:
                run = ""
                while i < len(text) and text[i] in table:
                    run += "$-$" if table[text[i]] == "-" else table[text[i]]
                    i += 1
                out.append(f"{command}{{{run}}}")
                break
        else:
            out.append(_char(ch, text[i + 1 : i + 2], unmapped))
            i += 1
    if missing is not None:
        missing.extend(unmapped)
    elif unmapped:
        _warn_missing(unmapped, stacklevel=3)
    return "".join(out)


def _warn_missing(chars: list[str], stacklevel: int) -> None:
    """Warn once about the characters `escape` printed as code points."""
    warnings.warn(
        f"to_tikz: no TeX for {''.join(sorted(set(chars)))!r}; printed as code points "
        "([U+4E2D]). Use letters, digits or Greek in labels.",
        stacklevel=stacklevel,
    )


def _char(ch: str, following: str, missing: list[str]) -> str:
    """One character of `escape`: ``following`` is the next one (ligatures ``--``, ``,,``)."""
    if ch in TEXT_SPECIALS:
        return TEXT_SPECIALS[ch]
    if ch in "-," and following == ch:
        return ch + "{}"
    if ch.isascii():
        return ch
    if ch in MATH_SYMBOLS:
        return f"${MATH_SYMBOLS[ch]}$"
    if ch in TEXT_SYMBOLS:
        return TEXT_SYMBOLS[ch]
    if unicodedata.category(ch) == "Cf":  # word joiners and zero-width marks: invisible
        return ""
    if unicodedata.category(ch) == "Zs":
        return " "
    base, marks = unicodedata.normalize("NFD", ch)[0], unicodedata.normalize("NFD", ch)[1:]
    if marks and base.isascii() and all(m in ACCENTS for m in marks):
        letter = r"\i" if base == "i" else base
        for mark in marks:
            letter = f"\\{ACCENTS[mark]}{{{letter}}}"
        return letter
    compatible = unicodedata.normalize("NFKC", ch)
    if compatible != ch and compatible.isascii():
        return escape(compatible)
    missing.append(ch)
    return f"[U+{ord(ch):04X}]"
