"""``python -m viz EXPR name=value ...``: draw an expression's graph after a backward pass.

Refusals and failures print one line on stderr and exit non-zero, never a traceback.
"""

from __future__ import annotations

import argparse
import keyword
import math
import sys
import unicodedata
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NamedTuple, NoReturn

from viz.draw import RANKDIRS, SHOWS, STYLES, dot_source
from viz.expr import EvaluationError, ExprError, build_graph, shorten
from viz.labels import DIGITS, MAX_DIGITS, fmt
from viz.render import RendererNotFound
from viz.save import save
from viz.steps import save_steps

PROG = "python -m viz"
EXAMPLE = f'example: {PROG} "(x + y) * z" x=1 y=-3 z=4 -o graph.svg'
STDOUT = "-"
# stands in for an expression starting with "-" while argparse reads the rest; a command line
# cannot hold a NUL, so no real argument is equal to it
_DASHED = "\0expression"


class Output(NamedTuple):
    """What ``-o`` writes for one suffix, and the file format of the ``--steps`` frames with it."""

    write: Callable[[Any, str, dict[str, Any]], None]
    frames: str


def _print_dot(root: Any, target: str, options: dict[str, Any]) -> None:
    sys.stdout.write(dot_source(root, **options))


def _save_file(root: Any, target: str, options: dict[str, Any]) -> None:
    save(root, target, **options)
    sys.stdout.write(_summary(root, options.get("digits", DIGITS)) + f"wrote {target}\n")


# One entry per output: the key is the suffix of -o (STDOUT when -o is absent or "-"); `save`
# picks the format from the suffix. Frames are SVG unless the output is a PNG.
OUTPUTS: dict[str, Output] = {
    STDOUT: Output(_print_dot, frames="svg"),
    ".svg": Output(_save_file, frames="svg"),
    ".png": Output(_save_file, frames="png"),
    ".pdf": Output(_save_file, frames="svg"),
    ".dot": Output(_save_file, frames="svg"),
    ".gv": Output(_save_file, frames="svg"),
}
SUFFIXES = ", ".join(key for key in OUTPUTS if key != STDOUT)

# Drawing options passed on only when given, so that `draw`'s own defaults apply otherwise.
OPTIONAL = ("rankdir", "digits", "max_width")

# The frames are about gradients: a view without them falls back to values and gradients.
STEP_SHOWS = {"forward": "both", "shapes": "both"}


class _UsageError(Exception):
    """A command-line mistake, reported in one line."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # one line instead of usage + message
        raise _UsageError(message)


def _positive_int(text: str, most: int | None = None) -> int:
    try:
        number = int(text)
    except ValueError:
        number = 0
    if number < 1 or (most is not None and number > most):
        up_to = "" if most is None else f" up to {most}"
        raise argparse.ArgumentTypeError(
            f"expected a positive integer{up_to}; got {shorten(repr(text))}"
        )
    return number


def _digits(text: str) -> int:
    return _positive_int(text, MAX_DIGITS)


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog=PROG,
        description="Draw the computation graph of a scalar expression after backward(). "
        "Numbers, names bound as name=value, + - * / **, unary minus and "
        "exp log sqrt tanh sigmoid relu sin cos abs are allowed; anything else is refused. "
        "An expression may start with '-' (\"-x * y\").",
        epilog=EXAMPLE,
    )
    parser.add_argument("expression", help='e.g. "(x + y) * z"')
    parser.add_argument("bindings", nargs="*", metavar="name=value", help="e.g. x=1 y=-3 z=4")
    parser.add_argument(
        "-o",
        "--output",
        default=STDOUT,
        help=f"file to write ({SUFFIXES}); DOT to stdout if absent or {STDOUT}",
    )
    parser.add_argument("--style", choices=list(STYLES), default="cs231n")
    parser.add_argument("--show", choices=list(SHOWS), default="both")
    parser.add_argument(
        "--rankdir",
        choices=[r for r in RANKDIRS if r is not None],
        default=None,
        help="direction of the drawing; automatic if absent (LR unless that is too wide)",
    )
    parser.add_argument(
        "--digits", type=_digits, metavar="N", help="significant digits of every number (1-17)"
    )
    parser.add_argument(
        "--max-width",
        type=_positive_int,
        metavar="PX",
        help="widest drawing in pixels at 96 dpi; a wider one is turned or scaled down",
    )
    parser.add_argument(
        "--steps", metavar="DIR", help="also write one frame per backward step: DIR/step_00.svg ..."
    )
    return parser


def _bindings(items: Sequence[str]) -> dict[str, float]:
    """The value of every name; names NFKC-normalised, as Python normalises the expression's."""
    values: dict[str, float] = {}
    given: dict[str, str] = {}
    for item in items:
        typed, sep, text = item.partition("=")
        typed = typed.strip()
        name = unicodedata.normalize("NFKC", typed)  # "ｘ" is the expression's x
        if not sep or not typed.isidentifier() or not name.isidentifier():
            raise _UsageError(f"expected name=value; got {shorten(repr(item))}. {EXAMPLE}")
        if keyword.iskeyword(name):
            raise _UsageError(
                f"the name {name} is a Python keyword; got {shorten(repr(item))}, expected a "
                "name the expression can use"
            )
        if name in given:
            raise _UsageError(
                f"{shorten(name)} is given twice; got {shorten(repr(given[name]))} and "
                f"{shorten(repr(item))}, expected one value per name"
            )
        try:
            value = float(text)
        except ValueError:
            raise _UsageError(
                f"the value of {shorten(name)} is not a number; got {shorten(repr(text))}"
            ) from None
        if not math.isfinite(value):
            raise _UsageError(
                f"the value of {shorten(name)} must be a finite number; got {shorten(repr(text))}"
            )
        values[name], given[name] = value, item
    return values


def _parse_args(parser: argparse.ArgumentParser, argv: Sequence[str]) -> argparse.Namespace:
    """``parser``'s reading of ``argv``, with an expression that starts with ``-`` (``"-x*y"``)
    taken as the expression rather than as an unknown option.

    The expression is the first argument that is neither an option nor an option's value;
    ``-o`` with a value attached counts as the option only if the value is ``-`` or a file name
    with a suffix, so ``"-out*2"`` is an expression. ``--`` before it works as usual.
    """
    args = list(argv)
    # argparse lists its options only in this attribute: whether each one takes a value
    takes_value = {
        option: action.nargs != 0 for action in parser._actions for option in action.option_strings
    }
    i = 0
    while i < len(args) and args[i] != "--" and args[i].startswith("-") and args[i] != "-":
        name, has_value, _ = args[i].partition("=")
        options = [o for o in takes_value if o.startswith(name)] if name.startswith("--") else []
        if name in takes_value or options:  # exact, or a long option abbreviated
            valued = takes_value.get(name, any(takes_value[o] for o in options))
            i += 2 if valued and not has_value else 1
        elif takes_value.get(args[i][:2]) and _file_name(args[i][2:]):  # -ograph.svg
            i += 1
        else:
            expression, args[i] = args[i], _DASHED
            namespace = parser.parse_args(args)
            if namespace.expression == _DASHED:
                namespace.expression = expression
            return namespace
    return parser.parse_args(args)


def _file_name(text: str) -> bool:
    """Whether ``-o`` + ``text`` reads as the output option: stdout, or a name with a suffix."""
    return text == STDOUT or bool(Path(text).suffix)


def _output(target: str) -> Output:
    """The entry of `OUTPUTS` for ``-o target``."""
    key = STDOUT if target == STDOUT else Path(target).suffix.lower()
    if key not in OUTPUTS:
        raise _UsageError(f"-o must end in {SUFFIXES}; got {target!r}")
    return OUTPUTS[key]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (0 ok, 1 failed, 2 refused or misused)."""
    try:
        args = _parse_args(_parser(), sys.argv[1:] if argv is None else argv)
        values = _bindings(args.bindings)
        output = _output(args.output)
        root = build_graph(args.expression, values)
    except _UsageError as e:
        sys.stderr.write(f"viz: error: {e}\n")
        return 2
    except EvaluationError as e:
        sys.stderr.write(f"viz: error: {e}\n")
        return 1
    except ExprError as e:
        sys.stderr.write(f"viz: refused: {e}\n")
        return 2
    if root.parents and not root.label:
        root.label = "f"
    given = {name: getattr(args, name) for name in OPTIONAL if getattr(args, name) is not None}
    options = {"style": args.style, "show": args.show, **given}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        code = _write(root, args, output, options)
    # a warning (e.g. a graph cut to fit) becomes one line too, not Python's two-line format
    for note in dict.fromkeys(" ".join(str(w.message).split()) for w in caught):
        sys.stderr.write(f"viz: note: {note}\n")
    return code


def _write(root: Any, args: argparse.Namespace, output: Output, options: dict[str, Any]) -> int:
    """Backward, the drawing, and the frames if asked; the exit status."""
    try:
        root.backward()
        output.write(root, args.output, options)
        if args.steps:
            steps = {**options, "show": STEP_SHOWS.get(args.show, args.show)}
            frames = save_steps(root, args.steps, output.frames, **steps)
            sys.stderr.write(f"wrote {len(frames)} frames to {args.steps}\n")
    except (RendererNotFound, OSError, RuntimeError, ValueError) as e:
        sys.stderr.write(f"viz: error: {' '.join(str(e).split())}\n")
        return 1
    return 0


def _summary(root: Any, digits: int = DIGITS) -> str:
    """``f = -8`` and the gradient of every named input, one per line."""
    from viz.trace import Trace

    name = root.label or "f"
    lines = [f"{name} = {fmt(root.data, digits)}"]
    for node in Trace(root).nodes:
        if not node.parents and node.label:
            lines.append(f"d{name}/d{node.label} = {fmt(node.grad, digits)}")
    return "\n".join(lines) + "\n"
