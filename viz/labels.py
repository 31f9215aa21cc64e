"""Text for drawings: numbers as a slide prints them, gate symbols, array summaries, safe labels.

Numbers keep ``digits`` significant digits in plain positional notation (no ``e+04``); minus
signs are ASCII hyphen-minus, so what a drawing shows can be searched and copied.
"""

from __future__ import annotations

import html
import math
import unicodedata
from decimal import Decimal
from typing import Any

from viz.language import text as word
from viz.trace import UNKNOWN

GREEN = "#1a7f37"  # forward values
RED = "#c62828"  # gradients
BLUE = "#1f4e9c"  # local derivatives
GREY = "#6b6b6b"  # secondary text
HIGHLIGHT = "#ffe08a"  # the node of the current backward step
PARAM_FILL = "#e3f0fb"  # leaves of tensor graphs (inputs, parameters)
DIGITS = 4
MAX_DIGITS = 17  # enough for any float64
SMALLEST_PLAIN = 1e-5  # below this, 0.0000001515 is hard to read: 1.515·10⁻⁷

# how a gate is written inside its circle, as the slides write it
OP_SYMBOLS = {
    "*": "×",
    "/": "÷",
    "neg": "×(-1)",
    "sigmoid": "σ",
    "abs": "|x|",
    "sqrt": "√x",
    "relu": "ReLU",
    "leaky_relu": "LReLU",
    "elu": "ELU",
}
SUPERSCRIPTS = str.maketrans("0123456789-.", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻·")
PLAIN_DIGITS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻", "0123456789-")


def fmt(x: Any, digits: int = DIGITS) -> str:
    """A number with ``digits`` significant digits, never in exponent notation; ``?`` if unknown.

    >>> [fmt(v) for v in (-8.0, 0.25, 1.5e-05, 4, -0.0, 12345.678, 1234.5678, float("inf"))]
    ['-8', '0.25', '0.000015', '4', '0', '12346', '1235', 'inf']
    >>> fmt(2.0 / 3.0, 2), fmt(123456789.0, 2), fmt(1.515e-08), fmt(-3e-30)
    ('0.67', '123456789', '1.515·10⁻⁸', '-3·10⁻³⁰')
    """
    if x is UNKNOWN:
        return "?"
    x = float(x)
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    if x == 0.0:
        return "0"
    rounded = float(f"{x:.{digits}g}")
    if abs(rounded) >= 10**digits:
        text = f"{x:.0f}"  # every digit of the integer part: 12346, not 1.235e+04
    elif abs(rounded) < SMALLEST_PLAIN:
        mantissa, exponent = f"{x:.{digits}g}".split("e")
        return f"{_trim(mantissa)}·10{str(int(exponent)).translate(SUPERSCRIPTS)}"
    else:
        text = _trim(format(Decimal(repr(rounded)), "f"))
    return "0" if text in ("-0", "") else text


def _trim(text: str) -> str:
    """``1.500`` → ``1.5``, ``2.`` → ``2``."""
    return text.rstrip("0").rstrip(".") if "." in text else text


def factor(x: Any, digits: int = DIGITS) -> str:
    """``fmt(x)``, in parentheses when negative, for use inside a product.

    >>> factor(-2.0), factor(4.0)
    ('(-2)', '4')
    """
    text = fmt(x, digits)
    return f"({text})" if text.startswith("-") else text


def product(a: Any, b: Any, digits: int = DIGITS) -> str:
    """``a × b = c`` with ``c`` from the unrounded factors, and factors printed with as many digits
    as it takes for the shown factors to multiply to the shown ``c``.

    >>> product(-1.367663, 3.0)
    '(-1.3677) × 3 = -4.103'
    >>> product(4.0, -2.0), product(UNKNOWN, 2.0)
    ('4 × (-2) = -8', '? × 2 = ?')
    """
    if a is UNKNOWN or b is UNKNOWN:
        return f"{factor(a, digits)} × {factor(b, digits)} = ?"
    a, b = float(a), float(b)
    shown = fmt(a * b, digits)
    more = digits
    while more < MAX_DIGITS and math.isfinite(a * b):
        fa, fb = number(fmt(a, more)), number(fmt(b, more))
        if fa is not None and fb is not None and fmt(fa * fb, digits) == shown:
            break
        more += 1
    return f"{factor(a, more)} × {factor(b, more)} = {shown}"


def number(text: str) -> float | None:
    """The value of a number as `fmt` prints it, or None for ``inf``, ``nan`` and ``?``.

    >>> number("-0.25"), number("1.515·10⁻⁸"), number("inf")
    (-0.25, 1.515e-08, None)
    """
    mantissa, dot, power = text.partition("·10")
    try:
        value = float(mantissa) * (10.0 ** int(power.translate(PLAIN_DIGITS)) if dot else 1.0)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def total(terms: list[Any], digits: int = DIGITS, max_terms: int = 4) -> str:
    """``3 + 3 + 20.09 = 26.09``: contributions arriving at a node read more than once.

    >>> total([3.0, 3.0, 20.0855]), total([1.0, UNKNOWN])
    ('3 + 3 + 20.09 = 26.09', '1 + ? = ?')
    >>> total([1.0] * 6)
    '1 + 1 + 1 + ... (6 terms) = 6'
    """
    known = all(t is not UNKNOWN for t in terms)
    result = fmt(math.fsum(terms), digits) if known else "?"
    shown = [factor(t, digits) for t in terms]
    if len(shown) > max_terms:
        shown = [*shown[: max_terms - 1], word("terms", n=len(terms))]
    return " + ".join(shown) + " = " + result


def printable(text: str) -> str:
    r"""``text`` with control and format characters shown as escapes (``\x01``, ``\t``).

    >>> printable("a\tb\x01\r")
    'a\\tb\\x01\\r'
    """
    if text.isprintable():
        return text
    return "".join(
        ch if ch.isprintable() or unicodedata.category(ch) == "Zs" else repr(ch)[1:-1]
        for ch in text
    )


def esc(text: str) -> str:
    r"""Text made safe inside a Graphviz HTML-like label: entities escaped, control characters
    shown as escapes, and a backslash followed by an invisible word joiner, so that no renderer
    expands ``\N`` or ``\G`` to the node's or the graph's name (graphviz-pure does, even for an
    entity).

    >>> esc("a<b \\N")
    'a&lt;b &#92;&#8288;N'
    """
    return html.escape(printable(text), quote=True).replace("\\", "&#92;&#8288;")


def literal(text: str) -> str:
    r"""A Graphviz label that shows ``text`` exactly as it is: an HTML-like label, so that no
    escape (``\N``, ``\G``, ``\l``) and no markup in the text is interpreted.

    >>> literal("a <c> & d")
    '<a &lt;c&gt; &amp; d>'
    """
    return f"<{esc(text)}>"


def font(text: str, color: str, size: int | None = None) -> str:
    """Escaped ``text`` in ``color`` (and point ``size``)."""
    sized = f' point-size="{size}"' if size else ""
    return f'<font color="{color}"{sized}>{esc(text)}</font>'


def op_symbol(op: str) -> str:
    """How an op is written inside its circle: ``×``, ``σ``, ``x²``; other ops by their name.

    >>> [op_symbol(op) for op in ("*", "sigmoid", "**2", "**-1", "**0.5", "tanh", "Σ")]
    ['×', 'σ', 'x²', 'x⁻¹', 'x^0.5', 'tanh', 'Σ']
    """
    if op.startswith("**") and len(op) > 2:
        exponent = op[2:]
        if exponent.lstrip("-").isdigit():
            return "x" + exponent.translate(SUPERSCRIPTS)
        return "x^" + exponent
    if op == "**":
        return "x^y"
    return OP_SYMBOLS.get(op, op)


def shape_text(data: Any) -> str:
    """``(3, 2) float32`` for an array."""
    return f"{tuple(data.shape)} {data.dtype}"


def summary(data: Any, digits: int = DIGITS) -> str:
    """A short description of an array's values: its elements when few, else mean, min and max.

    >>> import numpy as np
    >>> summary(np.array([1.0, -2.0])), summary(np.arange(10.0)), summary(np.array(0.25))
    ('[1, -2]', 'mean 4.5, min 0, max 9', '0.25')
    """
    return ", ".join(summary_lines(data, digits))


def summary_lines(data: Any, digits: int = DIGITS) -> list[str]:
    """`summary` in parts that may take a line each: the elements, or the mean and the range.

    >>> import numpy as np
    >>> summary_lines(np.arange(10.0)), summary_lines(np.zeros(0))
    (['mean 4.5', 'min 0, max 9'], ['empty'])
    """
    size = int(data.size)
    if size == 0:
        return [word("empty")]
    if data.ndim == 0:
        return [fmt(data.item(), digits)]
    if size <= 4:
        return ["[" + ", ".join(fmt(v, digits) for v in data.ravel().tolist()) + "]"]
    low, high = fmt(data.min(), digits), fmt(data.max(), digits)
    return [word("mean", value=fmt(data.mean(), digits)), word("range", low=low, high=high)]
