"""The backprop player: every frame of `backward_steps` inline as SVG, stepped by a few lines of
plain JavaScript, so it plays offline, in nbconvert's HTML, in an iframe and in Jupyter with no
kernel. `save_html` writes it as a page; `viz.play` returns it for a notebook cell.
"""

from __future__ import annotations

import hashlib
import html
import re
import uuid
from typing import TYPE_CHECKING, Any

from viz import language
from viz.render import PNG_MIME, fit_svg, notebook_bundle, render_bytes, scope_ids
from viz.steps import backward_steps

if TYPE_CHECKING:
    from pathlib import Path

INTERVAL_MS = 1500  # play: time on each frame, long enough to read its chain-rule caption
UPSCALE = 2.5  # a page's drawing grows to fill the window, at most this times its natural size
# the frame's title line in the DOT text of `backward_steps` (`viz.draw.new_digraph`): the
# player shows it as an HTML caption instead, large enough for a projector
TITLE_LINE = re.compile(r"\tfontsize=\S+ label=<(.*)> labelloc=t\n")
SVG_SIZE = re.compile(r'<svg width="([\d.]+)pt" height="([\d.]+)pt"')

STYLE = """\
#{pid} {{font-family: Helvetica, Arial, sans-serif; color: #1b1b1b; background: #fff;
  outline: none; text-align: center}}
#{pid} .gg-frames {{display: grid}}
#{pid} .gg-frame {{grid-area: 1 / 1; margin: 0; min-width: 0; min-height: 0;
  display: flex; flex-direction: column; align-items: center}}
#{pid} .gg-frame[hidden] {{display: flex; visibility: hidden}}
#{pid} figcaption {{font-size: 22px; line-height: 1.3; font-weight: 600; margin: 4px 0 12px}}
#{pid} svg {{max-width: 100%; height: auto}}
#{pid} .gg-controls {{display: flex; flex-wrap: wrap; align-items: center; justify-content: center;
  gap: 12px; margin-top: 12px}}
#{pid} .gg-controls[hidden] {{display: none}}
#{pid} button {{font: inherit; font-size: 18px; padding: 8px 18px; min-width: 6.5em;
  border: 2px solid #555; border-radius: 8px; background: #f2f2f2; color: #1b1b1b;
  cursor: pointer}}
#{pid} button:hover {{background: #e4e4e4}}
#{pid} button:focus-visible, #{pid} input:focus-visible {{outline: 3px solid #1565c0}}
#{pid} input[type=range] {{flex: 1 1 240px; max-width: 640px; height: 32px;
  accent-color: #c62828; cursor: pointer}}
#{pid} .gg-count {{font-size: 18px; min-width: 6em; font-variant-numeric: tabular-nums}}
"""

PAGE_STYLE = """\
html, body {{margin: 0; height: 100%; background: #fff}}
#{pid} {{box-sizing: border-box; height: 100vh; padding: 12px 24px 16px;
  display: flex; flex-direction: column}}
#{pid} .gg-frames {{flex: 1 1 0; min-height: 0}}
#{pid} .gg-frame svg {{flex: 1 1 0; min-height: 0; width: 100%; height: 100%}}
#{pid} figcaption {{font-size: clamp(24px, 2.4vw, 44px)}}
#{pid} button, #{pid} .gg-count {{font-size: clamp(20px, 1.5vw, 30px)}}
"""

# ``{pid}``, ``{last}``, ``{fragment}`` and the words are filled in; every element is found
# through the root, so several players on one page never meet
SCRIPT = """\
(function () {{
  var root = document.getElementById("{pid}");
  if (!root) return;
  var frames = root.querySelectorAll(".gg-frame"), last = {last}, fragment = {fragment};
  var slider = root.querySelector(".gg-slider"), count = root.querySelector(".gg-count");
  var toggle = root.querySelector(".gg-play"), timer = null;
  function current() {{ return +root.getAttribute("data-step"); }}
  function show(k) {{
    k = Math.max(0, Math.min(last, k | 0));
    for (var i = 0; i < frames.length; i++) frames[i].hidden = i !== k;
    root.setAttribute("data-step", String(k));
    slider.value = String(k);
    count.textContent = {step} + " " + k + "/" + last;
    if (fragment && location.hash !== "#" + k) {{
      try {{ history.replaceState(null, "", "#" + k); }} catch (e) {{ location.hash = "#" + k; }}
    }}
  }}
  function stop() {{ clearInterval(timer); timer = null; toggle.textContent = {play}; }}
  function go(k) {{ stop(); show(k); }}
  function start() {{
    if (current() === last) show(0);
    toggle.textContent = {pause};
    timer = setInterval(function () {{
      show(current() + 1);
      if (current() === last) stop();
    }}, {interval});
  }}
  function fromHash() {{
    var m = /^#(\\d+)$/.exec(location.hash);
    return m ? +m[1] : 0;
  }}
  root.querySelector(".gg-prev").addEventListener("click", function () {{ go(current() - 1); }});
  root.querySelector(".gg-next").addEventListener("click", function () {{ go(current() + 1); }});
  toggle.addEventListener("click", function () {{ if (timer) stop(); else start(); }});
  slider.addEventListener("input", function () {{ go(+slider.value); }});
  // a page steps on its arrow keys; a player inside a notebook only while it has the focus
  (fragment ? document : root).addEventListener("keydown", function (e) {{
    if (e.target && e.target.tagName === "INPUT") return;  // the slider moves itself
    var k = {{ArrowRight: current() + 1, ArrowLeft: current() - 1, Home: 0, End: last,
             PageDown: current() + 1, PageUp: current() - 1}}[e.key];  // a presenter's clicker
    if (k === undefined || e.altKey || e.ctrlKey || e.metaKey) return;
    e.preventDefault();
    go(k);
  }});
  if (fragment) window.addEventListener("hashchange", function () {{ go(fromHash()); }});
  root.querySelector(".gg-controls").hidden = false;
  show(fragment ? fromHash() : 0);
}})();
"""


class Player:
    """The frames of `backward_steps`, shown by Jupyter as a player that needs no kernel.

    Its HTML output holds every frame as inline SVG and a few lines of JavaScript (slider,
    previous/next, play/pause, ← → keys once clicked), so an executed notebook keeps a working
    player in nbconvert's HTML; its PNG output (frame 0) is the fallback of viewers that run no
    script. Each display gets ids of its own, so one page can hold many players.

    Attributes:
        frames: the `graphviz.Digraph` frames of `backward_steps`.
        lang: the language of the player's words and of the frames.
    """

    def __init__(self, frames: list[Any], lang: str, api: str = "play") -> None:
        self.frames = frames
        self.lang = lang
        self._svgs, self._titles = _rendered(frames, api)

    def __repr__(self) -> str:
        return f"<backprop player: {len(self.frames)} frames; display it in Jupyter>"

    def html(self, page: bool = False, pid: str | None = None) -> str:
        """The player as an HTML fragment (``page``: filling the window, stepped by the URL
        fragment ``#k`` and the page's arrow keys), its root element's id ``pid`` (default:
        fresh for every call).
        """
        return _player_html(
            self._svgs, self._titles, self.lang, pid or f"gg-player-{uuid.uuid4().hex[:12]}", page
        )

    def _repr_html_(self) -> str:
        """The player, with ids of its own (see `html`)."""
        return self.html()

    def _repr_png_(self) -> tuple[bytes, dict[str, Any]] | None:
        """Frame 0 as PNG and its width in CSS pixels; None if no renderer can make it."""
        data, metadata = notebook_bundle(self.frames[0].source, include=[PNG_MIME])
        if PNG_MIME not in data:
            return None
        return data[PNG_MIME], metadata[PNG_MIME]

    def _repr_mimebundle_(
        self, include: Any = None, exclude: Any = None, **kwargs: Any
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        """The player as HTML, frame 0 as PNG and a line of text, as Jupyter asks for them."""
        wanted = set(include) if include is not None else {"text/html", PNG_MIME}
        wanted -= set(exclude or ())
        data: dict[str, Any] = {"text/plain": repr(self)}
        metadata: dict[str, Any] = {}
        if "text/html" in wanted:
            data["text/html"] = self._repr_html_()
        if PNG_MIME in wanted:
            png = self._repr_png_()
            if png is not None:
                data[PNG_MIME], metadata[PNG_MIME] = png
        return data, metadata


def player(root: Any, api: str = "play", **options: Any) -> Player:
    """A `Player` over the frames of ``backward_steps(root, **options)``; errors name ``api``."""
    lang = language.check(api, options.get("lang"))
    return Player(backward_steps(root, **options), lang, api)


def save_html(root: Any, path: str | Path, **options: Any) -> Path:
    """Write the backprop player to ``path``: one self-contained HTML page that plays offline.

    Every frame of `backward_steps` is inline as SVG and a few lines of plain JavaScript step
    through them: slider, previous/next buttons, the ← → keys (Home, End, and Page Up/Down,
    which a presenter's clicker sends), play/pause. The URL fragment ``#k`` opens step k and
    follows the steps, and the player's root element carries ``data-step="k"`` for the step
    shown; each frame's chain-rule title is its caption. The page fills its window (a projector,
    or an ``<iframe>`` in reveal.js or an LMS page) and loads nothing from the network.

    Args:
        root: the output node.
        path: the file to write (conventionally ``.html``); its folder must exist.
        **options: passed to `backward_steps` (``style``, ``show``, ``digits``, ``lang``...).

    Returns:
        The path written.

    >>> import tempfile, pathlib
    >>> from autograd import Value
    >>> x, y = Value(2.0, label="x"), Value(3.0, label="y")
    >>> page = save_html(x * y, pathlib.Path(tempfile.mkdtemp()) / "steps.html")
    >>> text = page.read_text(encoding="utf-8")
    >>> text.count("<svg"), text.count('data-step="0"'), "<script src" in text
    (4, 1, False)
    """
    from pathlib import Path

    made = player(root, "save_html", **options)
    # a page's id comes from its content: the same graph writes the same file, run after run
    digest = hashlib.sha1("".join(made._svgs).encode()).hexdigest()[:10]
    body = made.html(page=True, pid=f"gg-player-{digest}")
    name = html.escape(getattr(root, "label", "") or "", quote=True)
    title = " — ".join(t for t in (name, html.escape(language.words(made.lang)["step"])) if t)
    page = (
        f'<!DOCTYPE html>\n<html lang="{made.lang}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{title}</title>\n</head>\n<body>\n{body}</body>\n</html>\n"
    )
    path = Path(path)
    path.write_text(page, encoding="utf-8")
    return path


def _rendered(frames: list[Any], api: str) -> tuple[list[str], list[str]]:
    """Each frame as SVG without its title, and the titles (HTML-escaped), rendered side by side."""
    from concurrent.futures import ThreadPoolExecutor

    titles, sources = [], []
    for frame in frames:
        found = TITLE_LINE.search(frame.source)
        # the label is escaped for Graphviz (`viz.labels.esc`); unescaped, then escaped for HTML
        text = html.unescape(found.group(1)).replace("\u2060", "") if found else ""
        titles.append(html.escape(text))
        sources.append(
            frame.source[: found.start()] + frame.source[found.end() :] if found else frame.source
        )
    # one renderer process per frame: side by side, a 100-frame player takes seconds, not minutes
    with ThreadPoolExecutor(max_workers=4) as pool:
        svgs = list(pool.map(lambda s: render_bytes(s, "svg", api=api).decode("utf-8"), sources))
    return [_bare(svg) for svg in svgs], titles


def _bare(svg: str) -> str:
    """``svg`` ready to inline: no XML prologue, comments or ``<title>`` tooltips (they would name
    the DOT ids ``n0``, ``w2_0`` under the pointer)."""
    svg = svg[svg.find("<svg") :]
    svg = re.sub(r"<!--.*?-->\n?", "", svg, flags=re.S)
    return re.sub(r"<title>.*?</title>\n?", "", svg, flags=re.S)


def _scoped(svg: str, prefix: str, page: bool) -> str:
    """``svg`` with every id (and reference to one) prefixed, sized for a notebook or a page."""
    svg = scope_ids(svg, prefix)
    if not page:
        return fit_svg(svg)
    found = SVG_SIZE.search(svg)
    if not found:
        return svg
    limit = f' style="max-width: {float(found.group(1)) * UPSCALE:g}pt"'
    return svg[: found.start()] + f'<svg width="100%" height="100%"{limit}' + svg[found.end() :]


def _player_html(svgs: list[str], titles: list[str], lang: str, pid: str, page: bool) -> str:
    """The player's markup, style and script (see `Player.html`)."""
    import json

    words = language.words(lang)
    last = len(svgs) - 1
    figures = "".join(
        f'<figure class="gg-frame" data-frame="{k}"{" hidden" if k else ""}>'
        f"<figcaption>{title}</figcaption>\n{_scoped(svg, f'{pid}-{k}-', page)}</figure>\n"
        for k, (svg, title) in enumerate(zip(svgs, titles, strict=True))
    )
    play, pause = f"▶ {words['play']}", f"❚❚ {words['pause']}"
    style = STYLE + (PAGE_STYLE if page else "")
    script = SCRIPT.format(
        pid=pid,
        last=last,
        fragment="true" if page else "false",
        interval=INTERVAL_MS,
        step=json.dumps(words["step"]),
        play=json.dumps(play),
        pause=json.dumps(pause),
    )
    step = html.escape(words["step"])
    return (
        f'<div class="gg-player" id="{pid}" data-step="0" tabindex="0" lang="{lang}">\n'
        f"<style>\n{style.format(pid=pid)}</style>\n"
        f'<div class="gg-frames">\n{figures}</div>\n'
        '<div class="gg-controls" hidden>\n'
        f'<button type="button" class="gg-prev">◀ {html.escape(words["previous"])}</button>\n'
        f'<button type="button" class="gg-play">{html.escape(play)}</button>\n'
        f'<button type="button" class="gg-next">{html.escape(words["next"])} ▶</button>\n'
        f'<input type="range" class="gg-slider" min="0" max="{last}" value="0" step="1" '
        f'aria-label="{step}">\n'
        f'<span class="gg-count">{step} 0/{last}</span>\n</div>\n'
        f"<script>\n{script}</script>\n</div>\n"
    )
