"""viz rendering: renderer discovery (env var, dot on PATH, graphviz-pure beside python), save to
SVG/PNG/DOT, the error without any renderer, PDF without a system Graphviz, Jupyter's inline SVG
and PNG (the PNG is what an untrusted notebook shows).
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import textwrap
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from viz_corpus import slide

import viz
from autograd import Value
from viz import render

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
VENV_BIN = Path(sys.executable).parent


def svg_texts(svg: str) -> list[str]:
    """Every text the SVG draws, entities decoded (Graphviz writes '-' as &#45;)."""
    root = ET.fromstring(svg)
    assert root.tag.endswith("svg")
    return ["".join(t.itertext()).strip() for t in root.iter() if t.tag.endswith("text")]


@pytest.fixture
def no_system_dot(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """PATH without any dot, and no forcing variable; the venv python stays sys.executable."""
    from graphviz.backend import dot_command

    monkeypatch.setattr(dot_command, "DOT_BINARY", dot_command.DOT_BINARY)  # restored afterwards
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    monkeypatch.delenv(render.ENV_VAR, raising=False)
    return empty


# ---- rendering the slide ------------------------------------------------------------------------


@pytest.mark.parametrize("style", ["cs231n", "record"])
def test_rendered_svg_shows_the_lecture_numbers_and_names(style: str, tmp_path: Path) -> None:
    out = viz.save(slide(), tmp_path / "slide.svg", style=style)
    texts = svg_texts(out.read_text(encoding="utf-8"))
    joined = " ".join(texts)
    for number in ("-8", "-2", "4", "1", "-3"):
        assert any(number == t or t.endswith(" " + number) for t in texts), (number, texts)
    for name in ("x", "y", "z"):
        assert name in texts
    assert "−" not in joined  # one minus sign throughout: ASCII hyphen-minus


def test_path_with_only_the_venv_bin_renders_svg_and_png(tmp_path: Path) -> None:
    script = textwrap.dedent(
        """
        import shutil, sys
        import viz
        from autograd import Value
        assert shutil.which("dot") is None, shutil.which("dot")
        x, y, z = Value(1.0, label="x"), Value(-3.0, label="y"), Value(4.0, label="z")
        f = (x + y) * z
        f.backward()
        viz.save(f, "slide.svg")
        viz.save(f, "slide.png", style="record")
        print(viz.find_renderer())
        """
    )
    env = {k: v for k, v in os.environ.items() if k != render.ENV_VAR}
    env["PATH"] = str(VENV_BIN)
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert "pure=True" in done.stdout
    assert "-8" in svg_texts((tmp_path / "slide.svg").read_text(encoding="utf-8"))
    png = (tmp_path / "slide.png").read_bytes()
    assert png.startswith(PNG_MAGIC) and len(png) > 1000


def test_graphviz_pure_is_found_beside_python_without_path(no_system_dot: Path) -> None:
    found = viz.find_renderer()
    assert found is not None and found.pure
    assert Path(found.path) == VENV_BIN / "graphviz-pure"


def test_without_any_renderer_the_error_names_the_fix(
    no_system_dot: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(sys, "executable", str(tmp_path / "elsewhere" / "python"))
    assert viz.find_renderer() is None
    f = slide()
    with pytest.raises(viz.RendererNotFound) as caught:
        viz.save(f, tmp_path / "a.svg")
    message = str(caught.value)
    assert "pip install graphviz-pure" in message and "apt-get install graphviz" in message
    assert "GRAFOGRAD_DOT" in message
    assert not (tmp_path / "a.svg").exists()
    data, metadata = viz.draw(f)._repr_mimebundle_()  # a repr never raises: it says the fix
    assert set(data) == {"text/plain"} and metadata == {}
    assert "pip install graphviz-pure" in data["text/plain"] and "dot_source" in data["text/plain"]
    assert "digraph" in viz.dot_source(f)  # DOT text needs no renderer
    viz.save(f, tmp_path / "a.dot")
    assert (tmp_path / "a.dot").read_text(encoding="utf-8") == viz.dot_source(f)


def test_environment_variable_forces_a_binary(
    no_system_dot: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    fake = tmp_path / "mydot"
    fake.write_text("#!/bin/sh\ncat > /dev/null\nprintf '<svg>forced</svg>'\n")
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv(render.ENV_VAR, str(fake))
    out = viz.save(slide(), tmp_path / "forced.svg")
    assert out.read_text() == "<svg>forced</svg>"
    monkeypatch.setenv(render.ENV_VAR, str(tmp_path / "missing-dot"))
    with pytest.raises(viz.RendererNotFound, match="GRAFOGRAD_DOT names no executable"):
        viz.save(slide(), tmp_path / "b.svg")


def png_size(png: bytes) -> tuple[int, int]:
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")  # IHDR


def test_jupyter_bundle_has_svg_and_png_through_graphviz_pure(no_system_dot: Path) -> None:
    data, metadata = viz.draw(slide())._repr_mimebundle_()
    assert set(data) == {"image/svg+xml", "image/png"}
    assert "-8" in svg_texts(data["image/svg+xml"])
    assert data["image/png"].startswith(PNG_MAGIC)
    png = viz.draw(slide()).pipe(format="png")
    assert png.startswith(PNG_MAGIC)


def test_png_is_rendered_at_save_dpi_and_shown_at_its_natural_size() -> None:
    from viz.save import PNG_DPI

    data, metadata = viz.draw(slide())._repr_mimebundle_()
    width, _ = png_size(data["image/png"])
    shown = metadata["image/png"]
    assert shown == {
        "width": round(width * 96 / PNG_DPI)
    }  # no height: narrowed, it keeps its shape
    # natural size: the SVG's width in points, as CSS pixels (96 per inch, 72 points per inch)
    svg_width = ET.fromstring(data["image/svg+xml"]).get("width", "")
    assert svg_width.endswith("pt")
    assert abs(shown["width"] - float(svg_width[:-2]) * 96 / 72) <= 3


def test_bundle_honours_include_and_exclude(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    real = render.render_bytes

    def counting(source: str, fmt: str, **kwargs: object) -> bytes:
        calls.append(fmt)
        return real(source, fmt, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(render, "render_bytes", counting)
    g = viz.draw(slide())
    g._repr_mimebundle_()
    assert sorted(calls) == ["png", "svg"]  # one render per format
    calls.clear()
    data, metadata = g._repr_mimebundle_(include=["image/png"])
    assert set(data) == {"image/png"} and set(metadata) == {"image/png"} and calls == ["png"]
    data, metadata = g._repr_mimebundle_(exclude=["image/png"])
    assert set(data) == {"image/svg+xml"} and metadata == {}
    assert g._repr_mimebundle_(include=["image/svg+xml"], exclude=["image/svg+xml"]) == ({}, {})
    assert g._repr_mimebundle_(include=[]) == ({}, {})


def test_ipython_displays_both_images_with_the_png_size() -> None:
    formatters = pytest.importorskip("IPython.core.formatters")
    data, metadata = formatters.DisplayFormatter().format(viz.draw(slide()))
    assert {"image/svg+xml", "image/png"} <= set(data)
    assert set(metadata["image/png"]) == {"width"}


def test_a_failing_renderer_gives_what_it_can_or_a_text_bundle(
    no_system_dot: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    broken = tmp_path / "brokendot"
    broken.write_text(
        "#!/bin/sh\ncat > /dev/null\necho 'Error: syntax error in line 1' >&2\nexit 1\n"
    )
    broken.chmod(broken.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv(render.ENV_VAR, str(broken))
    data, metadata = viz.draw(slide())._repr_mimebundle_()
    assert set(data) == {"text/plain"} and "syntax error in line 1" in data["text/plain"]
    svg_only = tmp_path / "svgonlydot"  # a dot built without PNG support
    svg_only.write_text(
        '#!/bin/sh\ncat > /dev/null\ncase "$1" in -Tpng) echo "no png" >&2; exit 1;; esac\n'
        "printf '<svg>only</svg>'\n"
    )
    svg_only.chmod(svg_only.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv(render.ENV_VAR, str(svg_only))
    assert viz.draw(slide())._repr_mimebundle_() == ({"image/svg+xml": "<svg>only</svg>"}, {})
    monkeypatch.setenv(render.ENV_VAR, str(tmp_path / "missing-dot"))
    data, _ = viz.draw(slide())._repr_mimebundle_()
    assert "GRAFOGRAD_DOT names no executable" in data["text/plain"]


def test_save_accepts_a_finished_drawing_and_checks_its_arguments(tmp_path: Path) -> None:
    frames = viz.backward_steps(slide())
    out = viz.save(frames[0], tmp_path / "frame.png")
    assert out.read_bytes().startswith(PNG_MAGIC)
    with pytest.raises(TypeError, match="drawing options apply to a node"):
        viz.save(frames[0], tmp_path / "frame.svg", style="record")
    with pytest.raises(ValueError, match=r"save: unknown file type; got 'graph.txt'"):
        viz.save(slide(), tmp_path / "graph.txt")


def test_png_resolution_is_adjustable(tmp_path: Path) -> None:
    def width(path: Path) -> int:
        return int.from_bytes(path.read_bytes()[16:20], "big")  # IHDR width

    small = viz.save(slide(), tmp_path / "small.png", dpi=72)
    large = viz.save(slide(), tmp_path / "large.png", dpi=144)
    assert 1.8 < width(large) / width(small) < 2.2


def test_inline_rendering_prints_no_glyph_warnings(capfd: pytest.CaptureFixture) -> None:
    a = Value(3.0, label="a")
    b = a * a  # backward mode writes "1 × 3 = 3": a non-ASCII glyph
    b.backward()
    g = viz.draw(b, show="backward")
    assert "×" in g.source
    data, _ = g._repr_mimebundle_()
    assert "1 × 3 = 3" in svg_texts(data["image/svg+xml"])
    assert data["image/png"].startswith(PNG_MAGIC)
    assert capfd.readouterr().err == ""
