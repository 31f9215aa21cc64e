"""``python -m viz EXPR name=value ...``: draw an expression's graph after a backward pass.

Refusals and failures print one line on stderr and exit non-zero, never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from viz.draw import SHOWS, STYLES, dot_source
from viz.expr import EvaluationError, ExprError, build_graph
from viz.labels import fmt
from viz.render import RendererNotFound
from viz.save import FORMATS, save
from viz.steps import save_steps

PROG = "python -m viz"
EXAMPLE = f'example: {PROG} "(x + y) * z" x=1 y=-3 z=4 -o graph.svg'


class _UsageError(Exception):
    """A command-line mistake, reported in one line."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # one line instead of usage + message
        raise _UsageError(message)


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog=PROG,
        description="Draw the computation graph of a scalar expression after backward(). "
        "Numbers, names bound as name=value, + - * / **, unary minus and "
        "exp log sqrt tanh sigmoid relu sin cos abs are allowed; anything else is refused.",
        epilog=EXAMPLE,
    )
    parser.add_argument("expression", help='e.g. "(x + y) * z"')
    parser.add_argument("bindings", nargs="*", metavar="name=value", help="e.g. x=1 y=-3 z=4")
    parser.add_argument(
        "-o", "--output", help="file to write (.svg, .png, .pdf, .dot); DOT to stdout if absent"
    )
    parser.add_argument("--style", choices=STYLES, default="cs231n")
    parser.add_argument("--show", choices=SHOWS, default="both")
    parser.add_argument("--rankdir", choices=("LR", "RL", "TB", "BT"), default="LR")
    parser.add_argument(
        "--steps", metavar="DIR", help="also write one frame per backward step: DIR/step_00.svg ..."
    )
    return parser


def _bindings(items: Sequence[str]) -> dict[str, float]:
    values: dict[str, float] = {}
    for item in items:
        name, sep, text = item.partition("=")
        name = name.strip()
        if not sep or not name.isidentifier():
            raise _UsageError(f"expected name=value; got {item!r}. {EXAMPLE}")
        try:
            values[name] = float(text)
        except ValueError:
            raise _UsageError(f"the value of {name} is not a number; got {text!r}") from None
    return values


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (0 ok, 1 failed, 2 refused or misused)."""
    try:
        args = _parser().parse_args(argv)
        values = _bindings(args.bindings)
        if args.output and Path(args.output).suffix.lower().lstrip(".") not in FORMATS:
            raise _UsageError(
                f"-o must end in {', '.join('.' + f for f in FORMATS)}; got {args.output!r}"
            )
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
    options = {"style": args.style, "show": args.show, "rankdir": args.rankdir}
    try:
        root.backward()
        if args.output is None:
            sys.stdout.write(dot_source(root, **options))
        else:
            save(root, args.output, **options)
            sys.stdout.write(_summary(root) + f"wrote {args.output}\n")
        if args.steps:
            kind = "png" if args.output and args.output.lower().endswith(".png") else "svg"
            show = "both" if args.show == "forward" else args.show
            frames = save_steps(
                root, args.steps, kind, style=args.style, show=show, rankdir=args.rankdir
            )
            sys.stderr.write(f"wrote {len(frames)} frames to {args.steps}\n")
    except (RendererNotFound, OSError, RuntimeError, ValueError) as e:
        sys.stderr.write(f"viz: error: {' '.join(str(e).split())}\n")
        return 1
    return 0


def _summary(root: object) -> str:
    """``f = -8`` and the gradient of every named input, one per line."""
    from viz.trace import topological

    name = root.label or "f"  # type: ignore[attr-defined]
    lines = [f"{name} = {fmt(root.data)}"]  # type: ignore[attr-defined]
    for node in topological(root):
        if not node.parents and node.label:
            lines.append(f"d{name}/d{node.label} = {fmt(node.grad)}")
    return "\n".join(lines) + "\n"
