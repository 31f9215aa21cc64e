"""Text for drawings: numbers with up to 4 significant digits, array summaries, HTML-label pieces.

Minus signs are ASCII hyphen-minus everywhere, so what a drawing shows can be searched and copied.
"""

from __future__ import annotations

import html
import math
from typing import Any

from viz.trace import UNKNOWN

GREEN = "#1a7f37"  # forward values
RED = "#c62828"  # gradients
BLUE = "#1f4e9c"  # local derivatives
GREY = "#6b6b6b"  # secondary text
HIGHLIGHT = "#ffe08a"  # the node of the current backward step
PARAM_FILL = "#e3f0fb"  # leaves of tensor graphs (inputs, parameters)
OP_SYMBOLS = {"neg": "-"}


def fmt(x: Any) -> str:
    """A number with up to 4 significant digits; ``?`` for a gradient not yet known.

    >>> [fmt(v) for v in (-8.0, 0.25, 1.5e-05, 4, -0.0, 1234.5678, float("inf"))]
    ['-8', '0.25', '1.5e-05', '4', '0', '1235', 'inf']
    """
    if x is UNKNOWN:
        return "?"
    x = float(x)
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    text = f"{x:.4g}"
    return "0" if text == "-0" else text


def factor(x: Any) -> str:
    """``fmt(x)``, in parentheses when negative, for use inside a product.

    >>> factor(-2.0), factor(4.0)
    ('(-2)', '4')
    """
    text = fmt(x)
    return f"({text})" if text.startswith("-") else text


def esc(text: str) -> str:
    """Text made safe inside a Graphviz HTML-like label."""
    return html.escape(text, quote=True)


def plain(text: str) -> str:
    r"""Text made safe as an ordinary (non-HTML) Graphviz label: entities and backslashes escaped.

    >>> plain("a\\b <c>")
    'a\\\\b &lt;c&gt;'
    """
    return esc(text).replace("\\", "\\\\")


def font(text: str, color: str, size: int | None = None) -> str:
    """Escaped ``text`` in ``color`` (and point ``size``)."""
    sized = f' point-size="{size}"' if size else ""
    return f'<font color="{color}"{sized}>{esc(text)}</font>'


def op_symbol(op: str) -> str:
    """How an op is written inside its circle: its own name, ASCII where the slides use it."""
    return OP_SYMBOLS.get(op, op)


def shape_text(data: Any) -> str:
    """``(3, 2) float32`` for an array."""
    return f"{tuple(data.shape)} {data.dtype}"


def summary(data: Any) -> str:
    """A short description of an array's values: its elements when few, else mean, min and max.

    >>> import numpy as np
    >>> summary(np.array([1.0, -2.0])), summary(np.arange(10.0)), summary(np.array(0.25))
    ('[1, -2]', 'mean 4.5, min 0, max 9', '0.25')
    """
    size = int(data.size)
    if size == 0:
        return "empty"
    if data.ndim == 0:
        return fmt(data.item())
    if size <= 4:
        return "[" + ", ".join(fmt(v) for v in data.ravel().tolist()) + "]"
    return f"mean {fmt(data.mean())}, min {fmt(data.min())}, max {fmt(data.max())}"
