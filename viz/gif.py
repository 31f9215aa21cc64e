"""Animated GIF from PNG frames (Pillow): every frame on a canvas of one size, looping for ever."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence

INTERVAL = 2000  # ms per frame: time to read a step's title and find its number in the drawing
HOLD_LAST = 2  # the last frame, every gradient known, stays this many intervals before the loop


def gif_frames(pngs: Sequence[bytes], interval: int = INTERVAL, api: str = "save") -> bytes:
    """An animated GIF with one frame per PNG, each shown ``interval`` ms (the last one longer).

    A smaller frame is centred across the largest one's canvas and set at its top, as
    `viz.pdf.pdf_pages` sets its pages, so the picture stays still from frame to frame.

    Args:
        pngs: PNG images, in order.
        interval: milliseconds per frame, a positive int.
        api: the public function named in errors.

    Raises:
        ValueError: no PNG, or an ``interval`` that is not a positive int.

    >>> import io
    >>> from PIL import Image
    >>> def png(width):
    ...     out = io.BytesIO(); Image.new("RGB", (width, 8), "red").save(out, "PNG")
    ...     return out.getvalue()
    >>> gif = Image.open(io.BytesIO(gif_frames([png(10), png(20)], interval=500)))
    >>> gif.n_frames, gif.size, gif.info["duration"], gif.info["loop"]
    (2, (20, 8), 500, 0)
    """
    import io

    from PIL import Image

    if isinstance(interval, bool) or not isinstance(interval, int) or interval < 1:
        raise ValueError(
            f"{api}: interval must be a positive int (milliseconds per frame); got "
            f"{interval!r}, expected e.g. {INTERVAL}"
        )
    if not pngs:
        raise ValueError(f"{api}: no frame to animate; got 0 images, expected at least 1")
    images = [Image.open(io.BytesIO(png)).convert("RGBA") for png in pngs]
    width = max(im.width for im in images)
    height = max(im.height for im in images)
    frames = []
    for im in images:
        canvas = Image.new("RGBA", (width, height), "white")
        canvas.alpha_composite(im, ((width - im.width) // 2, 0))
        # one adaptive palette per frame, undithered: text stays crisp
        rgb = canvas.convert("RGB")
        frames.append(rgb.convert("P", palette=Image.Palette.ADAPTIVE, dither=Image.Dither.NONE))
    durations = [interval] * (len(frames) - 1) + [interval * HOLD_LAST]
    out = io.BytesIO()
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:], duration=durations, loop=0)
    return out.getvalue()
