"""viz slides media with pip-installed packages only (no system Graphviz on PATH): PDF, one PDF page
per backprop step, an animated GIF, and ``dpi=`` on every raster.

PDFs are read back with pypdfium2 (its own text extraction and rasteriser, not our code); images
with Pillow; expected numbers are the lecture's, worked by hand: f = (x + y)·z at x=1, y=-3, z=4
gives f = -8, q = x + y = -2, ∂f/∂z = -2, ∂f/∂x = ∂f/∂y = 4.
"""

from __future__ import annotations

import io
import warnings
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest
from viz_corpus import slide

import viz
from autograd import Value
from viz import render

pdfium = pytest.importorskip("pypdfium2")
Image = pytest.importorskip("PIL.Image")

FRAMES = 6  # the slide's 5 nodes, one step each, after the forward pass
GREEN, RED = (0x1A, 0x7F, 0x37), (0xC6, 0x28, 0x28)  # the values' and the gradients' colours


@pytest.fixture(autouse=True)
def no_system_dot(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """PATH without any dot and no forcing variable: graphviz-pure beside python is the renderer."""
    from graphviz.backend import dot_command

    monkeypatch.setattr(dot_command, "DOT_BINARY", dot_command.DOT_BINARY)  # restored afterwards
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    monkeypatch.delenv(render.ENV_VAR, raising=False)
    found = render.find_renderer()
    assert found is not None and found.pure, "these tests need graphviz-pure beside python"


def pages(path: Path) -> list[tuple[tuple[float, float], str]]:
    """Each page's size in points and its text, as pdfium reads them."""
    document = pdfium.PdfDocument(str(path))
    try:
        return [(page.get_size(), page.get_textpage().get_text_range()) for page in document]
    finally:
        document.close()


def page_image(path: Path, index: int = 0, scale: float = 2.0) -> Image.Image:
    document = pdfium.PdfDocument(str(path))
    try:
        return document[index].render(scale=scale).to_pil().convert("RGB")
    finally:
        document.close()


def has_colour(image: Image.Image, colour: tuple[int, int, int], tolerance: int = 40) -> bool:
    """Whether some pixel of ``image`` is within ``tolerance`` of ``colour`` in every channel."""
    pixels = np.asarray(image.convert("RGB"), dtype=int)
    return bool((np.abs(pixels - np.array(colour)) <= tolerance).all(axis=-1).any())


def svg_size_pt(path: Path) -> tuple[float, float]:
    root = ET.fromstring(path.read_text(encoding="utf-8"))
    return float(root.get("width", "")[:-2]), float(root.get("height", "")[:-2])


# ---- PDF --------------------------------------------------------------------------------------


def test_pdf_holds_the_slide_as_vector_text_in_its_colours(tmp_path: Path) -> None:
    out = viz.save(slide(), tmp_path / "slide.pdf")
    [(size, text)] = pages(out)
    for number in ("-8", "-2", "4", "-3", "1"):
        assert number in text
    for name in "xyzf":
        assert name in text
    # the page is the drawing's size: the SVG's width and height in points
    svg = viz.save(slide(), tmp_path / "slide.svg")
    assert size == pytest.approx(svg_size_pt(svg), abs=1)
    picture = page_image(out)
    assert has_colour(picture, GREEN), "values are drawn green"
    assert has_colour(picture, RED), "gradients are drawn red"


def test_record_style_pdf_keeps_html_table_cells(tmp_path: Path) -> None:
    [(_, text)] = pages(viz.save(slide(), tmp_path / "record.pdf", style="record"))
    for cell in ("data -8", "grad 1", "data -2", "grad 4", "data 4", "grad -2"):
        assert cell in text


def test_pdf_draws_math_symbols_from_the_standard_fonts(tmp_path: Path) -> None:
    f = slide()
    frame = viz.backward_steps(f)[2]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no character may be left unshown
        [(_, text)] = pages(viz.save(frame, tmp_path / "step.pdf"))
    assert "∂f/∂z = ∂f/∂f · ∂f/∂z = 1 × (-2) = -2" in text
    assert "■" not in text


def test_pdf_draws_superscripts_raised_and_smaller(tmp_path: Path) -> None:
    x = Value(2.0, label="x")
    y = x**-1  # the op is drawn "x⁻¹": no standard PDF font has ⁻
    y.label = "y"
    y.backward()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = viz.save(y, tmp_path / "inverse.pdf")
    document = pdfium.PdfDocument(str(out))
    textpage = document[0].get_textpage()
    every = range(textpage.count_chars())
    chars = [(textpage.get_text_range(i, 1), textpage.get_charbox(i)) for i in every]
    document.close()
    chars = [(c, box) for c, box in chars if c.strip()]  # pdfium adds line breaks between runs
    text = "".join(c for c, _ in chars)
    assert "■" not in text
    at = text.index("x−1")  # the op's label: x, then the raised minus and one
    (_, x_box), (_, one_box) = chars[at], chars[at + 2]
    plain_ones = [box for c, box in chars[at + 3 :] if c == "1"]  # the gradient 1 below
    assert one_box[1] > x_box[1] + 2, "the exponent's baseline is above the x's"
    assert plain_ones, "the seed gradient 1 is drawn"
    plain_height = plain_ones[0][3] - plain_ones[0][1]
    assert one_box[3] - one_box[1] < 0.85 * plain_height, "the exponent is smaller"


def test_pdf_warns_about_characters_no_standard_font_has(tmp_path: Path) -> None:
    cat = Value(2.0, label="猫")
    with pytest.warns(UserWarning, match="save: no standard PDF font has '猫'"):
        viz.save(cat * 2, tmp_path / "cat.pdf")
    assert (tmp_path / "cat.pdf").read_bytes().startswith(b"%PDF")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        viz.save_steps(cat * 2, tmp_path / "cat-steps.pdf")  # 4 pages, one warning
    assert [str(w.message).split(";")[0] for w in caught] == [
        "save_steps: no standard PDF font has '猫'"
    ]


def test_pdf_is_the_same_file_run_after_run(tmp_path: Path) -> None:
    first = viz.save(slide(), tmp_path / "a.pdf").read_bytes()
    second = viz.save(slide(), tmp_path / "b.pdf").read_bytes()
    assert first == second  # no creation date, no random document id


# ---- PDF pages, one per step --------------------------------------------------------------------


def test_steps_pdf_has_one_page_per_frame_all_one_size(tmp_path: Path) -> None:
    [out] = viz.save_steps(slide(), tmp_path / "steps.pdf")
    assert out == tmp_path / "steps.pdf"
    read = pages(out)
    assert len(read) == FRAMES == len(viz.backward_steps(slide()))
    sizes = {size for size, _ in read}
    assert len(sizes) == 1
    # the common size is the largest frame's, frame by frame from the SVGs
    frames = viz.save_steps(slide(), tmp_path / "svg")
    widths, heights = zip(*(svg_size_pt(p) for p in frames))
    assert sizes.pop() == pytest.approx((max(widths), max(heights)), abs=1)
    texts = [text for _, text in read]
    assert "?" in texts[0] and "-8" in texts[0]  # the forward pass: values, gradients unknown
    assert "∂f/∂f = 1" in texts[1]
    assert "1 × (-2) = -2" in texts[2]
    assert "1 × 4 = 4" in texts[3]
    assert "4 × 1 = 4" in texts[4] and "4 × 1 = 4" in texts[5]
    assert "?" not in texts[5].split("\n", 1)[1]  # below the title: every gradient known


def test_steps_pdf_pages_change_only_where_the_step_is(tmp_path: Path) -> None:
    [out] = viz.save_steps(slide(), tmp_path / "steps.pdf")
    first, last = page_image(out, 0, 1.0), page_image(out, FRAMES - 1, 1.0)
    assert first.size == last.size
    changed = (np.asarray(first) != np.asarray(last)).any(axis=-1).sum()
    assert 0 < changed < 0.2 * first.width * first.height  # the picture stays where it was


# ---- GIF ----------------------------------------------------------------------------------------


def gif_frames(path: Path) -> list[tuple[Image.Image, int | None]]:
    gif = Image.open(path)
    frames = []
    for k in range(gif.n_frames):
        gif.seek(k)
        frames.append((gif.convert("RGB"), gif.info.get("duration")))
    assert gif.info.get("loop") == 0, "loops for ever"
    return frames


def test_steps_gif_has_one_frame_per_step_readably_slow(tmp_path: Path) -> None:
    [out] = viz.save_steps(slide(), tmp_path / "steps.gif")
    frames = gif_frames(out)
    assert len(frames) == FRAMES
    assert len({image.size for image, _ in frames}) == 1
    assert all(duration >= 1000 for _, duration in frames)
    pictures = [image.tobytes() for image, _ in frames]
    assert len(set(pictures)) == FRAMES  # each step shows something new
    assert has_colour(frames[-1][0], RED)


def test_gif_of_a_node_animates_and_of_a_drawing_is_one_picture(tmp_path: Path) -> None:
    animated = viz.save(slide(), tmp_path / "slide.gif", interval=700)
    frames = gif_frames(animated)
    assert len(frames) == FRAMES
    assert frames[0][1] == 700
    still = viz.save(viz.draw(slide()), tmp_path / "still.gif")
    assert len(gif_frames(still)) == 1


# ---- dpi ----------------------------------------------------------------------------------------


def size_of(data: bytes) -> tuple[int, int]:
    return Image.open(io.BytesIO(data)).size


def test_png_at_300_dpi_has_300_96ths_the_pixels_and_says_so(tmp_path: Path) -> None:
    default = viz.save(slide(), tmp_path / "default.png")
    sharp = viz.save(slide(), tmp_path / "sharp.png", dpi=300)
    (w0, h0), (w1, h1) = size_of(default.read_bytes()), size_of(sharp.read_bytes())
    assert w1 / w0 == pytest.approx(300 / 96, rel=0.03)
    assert h1 / h0 == pytest.approx(300 / 96, rel=0.03)
    # at 96 dpi a pixel is a CSS pixel: the PNG is the SVG's size in points × 96/72
    svg_w, _ = svg_size_pt(viz.save(slide(), tmp_path / "slide.svg"))
    assert w0 == pytest.approx(svg_w * 96 / 72, abs=3)
    # the resolution is recorded, so slides place both PNGs at the same size
    assert Image.open(sharp).info["dpi"] == pytest.approx((300, 300), abs=0.05)
    assert Image.open(default).info["dpi"] == pytest.approx((96, 96), abs=0.05)


def test_save_steps_takes_dpi_for_png_frames_and_gif(tmp_path: Path) -> None:
    small = viz.save_steps(slide(), tmp_path / "small", "png")
    large = viz.save_steps(slide(), tmp_path / "large", "png", dpi=192)
    assert len(large) == FRAMES
    (w0, _), (w1, _) = size_of(small[0].read_bytes()), size_of(large[0].read_bytes())
    assert w1 / w0 == pytest.approx(2, rel=0.03)
    [small_gif] = viz.save_steps(slide(), tmp_path / "small.gif")
    [large_gif] = viz.save_steps(slide(), tmp_path / "large.gif", dpi=192)
    ratio = gif_frames(large_gif)[0][0].width / gif_frames(small_gif)[0][0].width
    assert ratio == pytest.approx(2, rel=0.03)


def test_vector_formats_ignore_dpi(tmp_path: Path) -> None:
    plain = pages(viz.save(slide(), tmp_path / "plain.pdf"))[0][0]
    assert pages(viz.save(slide(), tmp_path / "dpi.pdf", dpi=300))[0][0] == plain
    plain_svg = svg_size_pt(viz.save(slide(), tmp_path / "plain.svg"))
    assert svg_size_pt(viz.save(slide(), tmp_path / "dpi.svg", dpi=300)) == plain_svg


@pytest.mark.parametrize("dpi", [0, -5, 1.5, True, "300"])
def test_bad_dpi_is_refused_before_anything_is_written(dpi: object, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"save_steps: dpi must be a positive int; got"):
        viz.save_steps(slide(), tmp_path / "steps.gif", dpi=dpi)
    with pytest.raises(ValueError, match=r"save: dpi must be a positive int; got"):
        viz.save(slide(), tmp_path / "slide.gif", dpi=dpi)
    assert not list(tmp_path.glob("*.gif"))


@pytest.mark.parametrize("interval", [0, -1, 2.5, True])
def test_bad_gif_interval_is_refused(interval: object, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"save_steps: interval must be a positive int"):
        viz.save_steps(slide(), tmp_path / "steps.gif", interval=interval)


# ---- the other media, routed by the extension -------------------------------------------------


def test_html_path_is_written_by_the_player(tmp_path: Path) -> None:
    player = pytest.importorskip("viz.player")
    out = viz.save(slide(), tmp_path / "slide.html")
    player.save_html(slide(), tmp_path / "direct.html")
    assert out.read_text(encoding="utf-8") == (tmp_path / "direct.html").read_text(encoding="utf-8")


def test_tex_path_is_written_by_tikz(tmp_path: Path) -> None:
    tikz = pytest.importorskip("viz.tikz")
    out = viz.save(slide(), tmp_path / "slide.tex")
    tikz.save_tex(slide(), tmp_path / "direct.tex")
    assert out.read_text(encoding="utf-8") == (tmp_path / "direct.tex").read_text(encoding="utf-8")
