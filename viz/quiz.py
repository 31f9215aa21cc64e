"""Quizzes from the learner's own expression: the drawing with every value shown and every gradient
a blank box, checked in the browser with no kernel (`save_quiz` writes the page, `quiz` shows it in
Jupyter); "reveal next" uncovers the gradients in the order of `backward_steps`, with its titles.
"""

from __future__ import annotations

import base64
import html
import json
import math
import re
import uuid
from typing import TYPE_CHECKING, Any

from viz import language
from viz.draw import build, options
from viz.labels import BLUE, GREEN, RED, fmt, number, op_symbol
from viz.render import (
    NOTEBOOK_WIDTH,
    PNG_MIME,
    SCREEN_DPI,
    notebook_bundle,
    render_bytes,
    scope_ids,
)
from viz.sizing import text_width
from viz.steps import backward_steps
from viz.trace import UNKNOWN, Trace, is_tensor, replayed_grads

if TYPE_CHECKING:
    from collections.abc import Iterable
    from pathlib import Path

HTML_MIME = "text/html"
PAGE_ZOOM = 2.0  # a saved page shows the drawing up to twice its natural size, for a projector
NOTEBOOK_ZOOM = 1.25
# words the shared table (viz/language.py) does not hold yet: the page's heading
_RED_RUN = re.compile(rf'(<font color="{RED}"[^>]*>)([^<]*?)\?([^<]*)</font>')
_NODE_LINE = re.compile(r"^\t(\w+) \[label=<", re.MULTILINE)
_NODE_GROUP = re.compile(
    r'(<g id="[^"]*" class="node">\s*<title>([^<]*)</title>)(.*?)(</g>)', re.DOTALL
)
_TEXT = re.compile(r"<text ([^>]*)>([^<]*)</text>")
_ATTRIBUTE = re.compile(r'([\w:-]+)="([^"]*)"')
_FRAME_LABEL = re.compile(r"\blabel=<(.*)> labelloc=")


class Quiz:
    """What `quiz` returns: Jupyter shows the quiz page (script included, so no kernel is needed to
    check or reveal) and, where HTML is not trusted, a PNG of the blank drawing.

    Attributes:
        html: the quiz as an HTML fragment; its ids are unique to this quiz.
        source: the DOT text of the blank drawing (what the PNG shows).
        blanks: how many gradients are to be filled in.
        lang: the language of its words (and of its plain-text line).
    """

    __slots__ = ("html", "source", "blanks", "lang")

    def __init__(self, fragment: str, source: str, blanks: int, lang: str = "en") -> None:
        self.html, self.source, self.blanks, self.lang = fragment, source, blanks, lang

    def __repr__(self) -> str:
        key = "quiz_blank" if self.blanks == 1 else "quiz_blanks"
        return f"Quiz({language.text(key, self.lang, n=self.blanks)})"

    def _repr_html_(self) -> str:
        return self.html

    def _repr_mimebundle_(
        self,
        include: Iterable[str] | None = None,
        exclude: Iterable[str] | None = None,
        **kwargs: Any,
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        """HTML, plus the blank drawing as PNG for untrusted notebooks and GitHub (left out
        quietly if it cannot be rendered), plus a line of text."""
        wanted = set(include) if include is not None else {HTML_MIME, PNG_MIME, "text/plain"}
        wanted -= set(exclude or ())
        data: dict[str, Any] = {}
        metadata: dict[str, Any] = {}
        if PNG_MIME in wanted:
            png, png_metadata = notebook_bundle(self.source, include=[PNG_MIME])
            if PNG_MIME in png:
                data[PNG_MIME], metadata[PNG_MIME] = png[PNG_MIME], png_metadata[PNG_MIME]
        if HTML_MIME in wanted:
            data[HTML_MIME] = self.html
        if "text/plain" in wanted:
            data["text/plain"] = repr(self)
        return data, metadata


def quiz(root: Any, **options: Any) -> Quiz:
    """A quiz on the graph of ``root`` for Jupyter: values shown, every gradient a box to fill.

    "check" marks each answer right or wrong to the drawing's ``digits``; "reveal next" fills in
    the next gradient in backpropagation's order and shows how it was computed. Everything runs in
    the browser: an executed notebook keeps a working quiz in nbconvert's HTML export and without a
    kernel. Each call gets its own ids, so several quizzes work on one page.

    Args:
        root: the output `Value` of a scalar graph (``backward()`` need not have run).
        **options: as in `backward_steps` (``style``, ``rankdir``, ``digits``, ``lang``...);
            ``show`` must be ``"both"``.

    Returns:
        A `Quiz`, shown inline by Jupyter.

    Raises:
        TypeError: ``root`` is not a scalar graph (tensor gradients are arrays, not one number).
        ValueError: an option a quiz cannot use, or a graph `backward_steps` refuses.

    >>> from autograd import Value
    >>> x, y, z = Value(1.0, label="x"), Value(-3.0, label="y"), Value(4.0, label="z")
    >>> f = (x + y) * z; f.label = "f"
    >>> q = quiz(f)
    >>> q, q.html.count("<input")
    (Quiz(5 gradients to fill in), 5)
    """
    fragment, source, blanks = _quiz(
        "quiz", root, f"gq-{uuid.uuid4().hex[:8]}", NOTEBOOK_ZOOM, options
    )
    return Quiz(fragment, source, blanks, language.check("quiz", options.get("lang")))


def save_quiz(root: Any, path: str | Path, **options: Any) -> Path:
    """Write a quiz on the graph of ``root`` as one offline HTML page (no network, plain JS).

    The page shows the drawing with every value and, where each gradient would be printed, a box
    to type it in. "check" marks every answer right or wrong: right when it rounds to the number
    the drawing would show (half a unit in its last significant digit), written ``-2``, ``−2``,
    ``-2.0`` or with a decimal comma, ``-2,0``. "reveal next" fills in one gradient at a time in
    the order of `backward_steps`, with that step's title: the chain rule with its numbers. The
    answers are in the page (it checks offline) but not in plain sight: base64-encoded JSON, which
    keeps them from a glance at the source, not from a determined student.

    Args:
        root: the output `Value` of a scalar graph (``backward()`` need not have run).
        path: the ``.html`` file to write.
        **options: as in `quiz`.

    Returns:
        The path written.

    >>> import tempfile, pathlib
    >>> from autograd import Value
    >>> a = Value(3.0, label="a"); b = a * a + a; b.label = "b"
    >>> out = save_quiz(b, pathlib.Path(tempfile.mkdtemp()) / "quiz.html")
    >>> page = out.read_text(encoding="utf-8")
    >>> page.startswith("<!DOCTYPE html>"), page.count("<input"), "src=" in page
    (True, 3, False)
    """
    from pathlib import Path

    path = Path(path)
    fragment, _, _ = _quiz("save_quiz", root, "gq", PAGE_ZOOM, options)
    lang = language.check("save_quiz", options.get("lang"))
    title = html.escape(_title_text(root, lang))
    page = (
        f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{title}</title>\n</head>\n"
        f'<body style="margin: 24px; background: white">\n{fragment}\n</body>\n</html>\n'
    )
    path.write_text(page, encoding="utf-8")
    return path


def _quiz(
    api: str, root: Any, uid: str, zoom: float, given: dict[str, Any]
) -> tuple[str, str, int]:
    """The quiz fragment with ids under ``uid``, the DOT text of its blank drawing, and how many
    blanks it has."""
    opts = options(api, root, **given)
    if opts.show != "both":
        raise ValueError(
            f"{api}: a quiz shows the values and leaves the gradients blank; got show="
            f"{opts.show!r}, expected 'both'"
        )
    if opts.collapse is not None:
        raise ValueError(
            f"{api}: a quiz asks for the gradient of every node; got collapse={opts.collapse!r}, "
            "expected None"
        )
    trace = Trace(root)
    tensor = next((node for node in trace.nodes if is_tensor(node)), None)
    if tensor is not None:
        raise TypeError(
            f"{api}: a quiz asks for one number per gradient; got a tensor node "
            f"{tensor.label or tensor.op or 'leaf'!r} of shape {tuple(tensor.data.shape)}, "
            "expected a graph of Value nodes. Step through a tensor graph with "
            "viz.backward_steps instead."
        )
    frames = backward_steps(root, **given)  # refuses graphs too big to step through
    final = replayed_grads(trace)
    if final is None:  # every Value carries its local derivatives; another node type may not
        raise TypeError(
            f"{api}: a quiz replays the chain rule from each node's local_grads; got a node "
            "without them, expected Value nodes"
        )
    titles = [_frame_title(frame) for frame in frames]
    blank = build(trace, [UNKNOWN] * len(trace), opts._replace(max_nodes=None))
    width = max(5, opts.digits + 3)  # room for a sign, a point and every digit
    source, roles = _blank_source(api, blank.source, trace, width)
    svg = render_bytes(source, "svg", api=api).decode("utf-8")
    out = _node_name(root)
    names = {i: f"∂{out}/∂{_node_name(node)}" for i, node in enumerate(trace.nodes)}
    svg, covers = _inputs(svg, roles, names, width, uid)
    asked = {role[0] for role in roles.values() if len(role) == 1}
    # frame k finishes node root - k + 1: the order "reveal next" follows
    order = [(k, trace.root - k + 1) for k in range(1, len(trace) + 1)]
    blanks = [_answer(i, final[i], titles[k], opts.digits) for k, i in order if i in asked]
    hidden = [
        {"node": i, "text": fmt(final[j] * trace.nodes[j].local_grads[k], opts.digits)}
        for i, j, k in covers
    ]
    words = language.words(opts.lang)
    data = {
        "blanks": blanks,
        "covers": hidden,
        "words": {key: words[key] for key in ("right", "wrong", "try_again")},
    }
    encoded = base64.b64encode(json.dumps(data, ensure_ascii=False).encode("utf-8")).decode()
    title = _title_text(root, opts.lang)
    return _fragment(uid, svg, encoded, title, words, zoom), source, len(blanks)


def _node_name(node: Any) -> str:
    """How the quiz names a node: its label, else its gate symbol, else its value."""
    return node.label or (op_symbol(node.op) if node.op else fmt(node.data))


def _title_text(root: Any, lang: str | None) -> str:
    """The quiz's heading in ``lang``."""
    return language.text("quiz_title", language.check("quiz", lang), out=_node_name(root))


def _frame_title(frame: Any) -> str:
    """The title a `backward_steps` frame prints (its graph label), as plain text."""
    for line in frame.body:
        found = _FRAME_LABEL.search(line)
        if found:
            return html.unescape(found.group(1)).replace("\u2060", "")
    return ""


def _role(name: str, trace: Trace, names: set[str]) -> tuple[int, ...] | None:
    """What the ``?`` in drawn node ``name`` stands for: ``(i,)``, node ``i``'s gradient (the
    output's wire ``wout``, the trunk ``t{i}`` of a node read several times, the wire ``w{j}_{k}``
    of a node read once, the record box ``n{i}``); or ``(i, j, k)``, what gate ``j`` sends back
    to ``i`` through its argument ``k`` (a branch after the trunk ``t{i}``: shown with ``i``'s
    gradient, since the branches add up to it). None for a node of no known kind."""
    if name == "wout":
        return (trace.root,)
    found = re.fullmatch(r"[tn](\d+)", name)
    if found:
        return (int(found.group(1)),)
    found = re.fullmatch(r"w(\d+)_(\d+)", name)
    if found:
        j, k = int(found.group(1)), int(found.group(2))
        i = trace.parents[j][k]
        return (i, j, k) if f"t{i}" in names else (i,)
    return None


def _blank_source(
    api: str, source: str, trace: Trace, width: int
) -> tuple[str, dict[str, tuple[int, ...]]]:
    """``source`` with each ``?`` that stands for a node's gradient replaced by ``width``
    underscores (so that the layout leaves room for a box), and the `_role` of every drawn node
    that shows a ``?``."""
    names = set(_NODE_LINE.findall(source))
    blank = "_" * width
    roles: dict[str, tuple[int, ...]] = {}
    lines = source.split("\n")
    for n, line in enumerate(lines):
        found = _NODE_LINE.match(line)
        unknowns = len(_RED_RUN.findall(line))
        if not unknowns:
            continue
        name = found.group(1) if found else ""
        role = _role(name, trace, names)
        if role is None or unknowns > 1:
            raise RuntimeError(
                f"{api}: cannot tell which gradient a '?' of the drawing stands for; got "
                f"{line.strip()[:80]!r}, expected one '?' in a wire or a box"
            )
        roles[name] = role
        if len(role) == 1:
            lines[n] = _RED_RUN.sub(lambda m: _split(m, blank), line)
    return "\n".join(lines), roles


def _split(run: re.Match[str], blank: str) -> str:
    """A red font run ``grad ?`` as the runs ``grad `` and ``blank``: its own SVG text."""
    head, before, after = run.groups()
    return "".join(f"{head}{part}</font>" for part in (before, blank, after) if part)


def _inputs(
    svg: str,
    roles: dict[str, tuple[int, ...]],
    names: dict[int, str],
    width: int,
    uid: str,
) -> tuple[str, list[tuple[int, ...]]]:
    """The rendered ``svg`` with an input box over every blank, each branch ``?`` marked to be
    uncovered, and ids under ``uid``; also the ``(i, j, k)`` of every branch, in order."""
    blank = "_" * width
    covers: list[tuple[int, ...]] = []
    boxes = []

    def node(group: re.Match[str]) -> str:
        head, name, body, tail = group.groups()
        role = roles.get(html.unescape(name))
        if role is None:
            return group.group(0)

        def text(element: re.Match[str]) -> str:
            attributes = dict(_ATTRIBUTE.findall(element.group(1)))
            red = attributes.get("fill") == RED
            if len(role) == 1 and element.group(2) == blank and red:
                boxes.append(role[0])
                return _box(
                    attributes, role[0], names[role[0]], text_width(blank, _size(attributes))
                )
            if len(role) == 3 and element.group(2) == "?" and red:
                covers.append(role)
                return _cover(attributes, len(covers) - 1)
            return element.group(0)

        return head + _TEXT.sub(text, body) + tail

    svg = _NODE_GROUP.sub(node, svg)
    wanted = sorted(role[0] for role in roles.values() if len(role) == 1)
    if sorted(boxes) != wanted:
        raise RuntimeError(
            f"quiz: the rendered drawing lost some blanks; got boxes for nodes {sorted(boxes)}, "
            f"expected {wanted}"
        )
    svg = svg[svg.index("<svg") :]
    return scope_ids(svg, f"{uid}-"), covers


def _size(attributes: dict[str, str]) -> float:
    return float(attributes.get("font-size", "14"))


def _left(attributes: dict[str, str], width: float) -> float:
    """Where an SVG text of ``width`` starts, given its anchor."""
    x = float(attributes["x"])
    anchor = attributes.get("text-anchor", "start")
    return x - width / 2 if anchor == "middle" else x - width if anchor == "end" else x


def _box(attributes: dict[str, str], i: int, name: str, width: float) -> str:
    """An input box where the blank text was: as wide as the blank, a line of text high."""
    size = _size(attributes)
    x, top = _left(attributes, width), float(attributes["y"]) - 1.02 * size
    return (
        f'<foreignObject x="{x:.2f}" y="{top:.2f}" width="{width:.2f}" height="{1.32 * size:.2f}"'
        ' style="overflow: visible"><div xmlns="http://www.w3.org/1999/xhtml" class="gq-cell">'
        f'<input class="gq-blank" data-node="{i}" aria-label="{html.escape(name)}" '
        'autocomplete="off" spellcheck="false"/><span class="gq-badge"></span></div>'
        "</foreignObject>"
    )


def _cover(attributes: dict[str, str], index: int) -> str:
    """A branch's ``?``, centred where it was so that the number replacing it stays in place."""
    size = _size(attributes)
    centre = _left(attributes, text_width("?", size)) + text_width("?", size) / 2
    family = html.escape(attributes.get("font-family", "Helvetica,sans-Serif"))
    return (
        f'<text class="gq-cover" data-cover="{index}" text-anchor="middle" x="{centre:.2f}" '
        f'y="{attributes["y"]}" font-family="{family}" font-size="{size:g}" fill="{RED}">?</text>'
    )


def _tolerance(value: float | None, digits: int) -> float:
    """Half a unit in the last digit of ``value`` as the drawing shows it: its ``digits``-th
    significant digit, or the units of an integer with more digits (0 for 0 and non-numbers)."""
    if not value:
        return 0.0
    if abs(value) >= 10**digits:
        return 0.5
    return 0.5 * 10.0 ** (math.floor(math.log10(abs(value))) - digits + 1)


def _answer(i: int, grad: float, hint: str, digits: int) -> dict[str, Any]:
    """What the page needs to check node ``i``'s box and to reveal it."""
    text = fmt(grad, digits)
    value = number(text)
    return {"node": i, "text": text, "value": value, "tol": _tolerance(value, digits), "hint": hint}


def _fragment(uid: str, svg: str, encoded: str, title: str, words: Any, zoom: float) -> str:
    """The quiz's HTML: heading, drawing, buttons, score and hint lines, style and script."""
    found = re.search(r'<svg width="([\d.]+)pt" height="([\d.]+)pt"', svg)
    natural = float(found.group(1)) * SCREEN_DPI / 72 if found else NOTEBOOK_WIDTH
    opening = f'<svg class="gq-svg" style="max-width: {natural * zoom:.0f}px"'
    svg = svg[: found.start()] + opening + svg[found.end() :] if found else svg
    style = (
        _STYLE.replace("#ID", f"#{uid}")
        .replace("RED", RED)
        .replace("GREEN", GREEN)
        .replace("BLUE", BLUE)
    )
    return (
        f'<div class="gq" id="{uid}" data-quiz="{encoded}">\n<style>{style}</style>\n'
        f'<p class="gq-title">{html.escape(title)}</p>\n<div class="gq-drawing">{svg}</div>\n'
        '<div class="gq-controls">'
        f'<button type="button" class="gq-check">{html.escape(words["check"])}</button>'
        f'<button type="button" class="gq-reveal">{html.escape(words["reveal_next"])}</button>'
        '<span class="gq-score" aria-live="polite"></span></div>\n'
        '<p class="gq-hint" aria-live="polite"></p>\n</div>\n'
        f"<script>(function (root) {{{_SCRIPT}}})(document.getElementById({json.dumps(uid)}));"
        "</script>"
    )


_STYLE = """
#ID { font-family: Helvetica, Arial, sans-serif; color: #222; }
#ID .gq-title { font-size: 20px; font-weight: bold; margin: 0 0 12px; }
#ID .gq-svg { display: block; width: 100%; height: auto; }
#ID .gq-cell { position: relative; width: 100%; height: 100%; }
#ID input.gq-blank { box-sizing: border-box; width: 100%; height: 100%; margin: 0; padding: 0 1px;
  font: 13px Helvetica, Arial, sans-serif; text-align: center; color: RED; background: white;
  border: 1px solid RED; border-radius: 3px; outline: none; }
#ID input.gq-blank:focus { box-shadow: 0 0 0 2px #9db7e8; }
#ID input.gq-blank[data-mark="right"] { color: GREEN; border: 2px solid GREEN;
  background: #e7f5ea; }
#ID input.gq-blank[data-mark="wrong"] { border: 2px solid RED; background: #fde8e8; }
#ID input.gq-blank[data-mark="revealed"] { color: BLUE; border: 1px dashed BLUE;
  background: #edf2fb; }
#ID .gq-badge { position: absolute; left: 100%; top: 0; margin-left: 1px;
  font: bold 12px Helvetica, Arial, sans-serif; }
#ID input[data-mark="right"] + .gq-badge::after { content: "\\2713"; color: GREEN; }
#ID input[data-mark="wrong"] + .gq-badge::after { content: "\\2717"; color: RED; }
#ID .gq-controls { margin-top: 14px; font-size: 20px; }
#ID .gq-controls button { font-size: 20px; padding: 6px 18px; margin-right: 12px; cursor: pointer; }
#ID .gq-hint { font-size: 20px; min-height: 1.4em; margin: 12px 0 0; }
"""

# The checker, run in the page (``root`` is the quiz's element). A number is read as typed on
# either side of the Atlantic: -2, −2, -2.0, −2,0 (decimal comma), 1.5e-8 or 1.5·10⁻⁸.
_SCRIPT = r"""
var data = JSON.parse(new TextDecoder().decode(
  Uint8Array.from(atob(root.dataset.quiz), function (c) { return c.charCodeAt(0); })));
var words = data.words, boxes = {};
var score = root.querySelector(".gq-score"), hint = root.querySelector(".gq-hint");
var reveal = root.querySelector(".gq-reveal");
var SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺", PLAIN = "0123456789-+";
function normal(text) {
  return text.replace(/[\s\u00a0\u202f]+/g, "")
    .replace(/[\u2212\u2012\u2013\u2014\ufe63\uff0d]/g, "-")
    .replace(/[⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺]/g, function (c) { return PLAIN[SUPERSCRIPTS.indexOf(c)]; })
    .replace(/∞/g, "inf").toLowerCase();
}
function parse(text) {
  var m = /^([+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+))(?:(?:e|[·×x*]10\^?)([+-]?\d+))?$/.exec(normal(text));
  return m ? Number(m[1].replace(",", ".") + "e" + (m[2] || "0")) : NaN;
}
function isRight(entry, text) {
  if (entry.value === null) return normal(text).replace(/^\+/, "") === entry.text;
  return Math.abs(parse(text) - entry.value) <= entry.tol * (1 + 1e-9);
}
function mark(box, state) {
  box.dataset.mark = state;
  box.title = state === "right" || state === "wrong" ? words[state] : "";
  box.setAttribute("aria-invalid", state === "wrong" ? "true" : "false");
}
function done(box) { return box.dataset.mark === "right" || box.dataset.mark === "revealed"; }
function uncover(node) {
  root.querySelectorAll("text.gq-cover").forEach(function (t) {
    var cover = data.covers[Number(t.dataset.cover)];
    if (cover.node === node) t.textContent = cover.text;
  });
}
function tally() {
  var right = 0, wrong = 0;
  data.blanks.forEach(function (entry) {
    var state = boxes[entry.node].dataset.mark;
    right += state === "right" ? 1 : 0;
    wrong += state === "wrong" ? 1 : 0;
  });
  score.textContent = words.right + ": " + right + "/" + data.blanks.length +
    (wrong ? " \u00b7 " + words.wrong + ": " + wrong + " \u2014 " + words.try_again : "");
  reveal.disabled = data.blanks.every(function (e) { return done(boxes[e.node]); });
}
function check() {
  data.blanks.forEach(function (entry) {
    var box = boxes[entry.node];
    if (box.dataset.mark === "revealed") return;
    if (!box.value.trim()) mark(box, "");
    else if (isRight(entry, box.value)) { mark(box, "right"); uncover(entry.node); }
    else mark(box, "wrong");
  });
  tally();
}
function next() {
  var entry = data.blanks.find(function (e) { return !done(boxes[e.node]); });
  if (!entry) return;
  var box = boxes[entry.node];
  box.value = entry.text;
  box.readOnly = true;
  mark(box, "revealed");
  uncover(entry.node);
  hint.textContent = entry.hint;
  tally();
}
root.querySelectorAll("input.gq-blank").forEach(function (box) {
  boxes[box.dataset.node] = box;
  box.addEventListener("input", function () {
    if (box.dataset.mark !== "revealed" && box.dataset.mark) { mark(box, ""); tally(); }
  });
  box.addEventListener("keydown", function (e) { if (e.key === "Enter") check(); });
});
root.querySelector(".gq-check").addEventListener("click", check);
reveal.addEventListener("click", next);
"""
