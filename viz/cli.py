"""``python -m viz EXPR name=value ...``: draw an expression's graph after a backward pass, as a
drawing, slides, a step-by-step player, a TikZ picture or a quiz, in English or Spanish.

Refusals and failures print one line on stderr and exit non-zero, never a traceback.
"""

from __future__ import annotations

import argparse
import keyword
import math
import sys
import textwrap
import unicodedata
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NamedTuple, NoReturn

from viz.draw import RANKDIRS, SHOWS, STYLES, dot_source
from viz.expr import EvaluationError, ExprError, build_graph, shorten
from viz.labels import DIGITS, MAX_DIGITS, fmt
from viz.language import LANGUAGES, current, speaking
from viz.language import text as word
from viz.render import RendererNotFound
from viz.save import save
from viz.steps import save_steps

PROG = "python -m viz"
SLIDE = f'{PROG} "(x + y) * z" x=1 y=-3 z=4'
# one command per medium, shown by --help
EXAMPLES = (
    f"{SLIDE} -o graph.svg",
    f"{SLIDE} -o graph.pdf",
    f"{SLIDE} -o steps.gif --dpi 150",
    f"{SLIDE} --html player.html --lang es",
    f"{SLIDE} --tikz graph.tex",
    f"{SLIDE} --quiz quiz.html",
)
STDOUT = "-"
# stands in for an expression starting with "-" while argparse reads the rest; a command line
# cannot hold a NUL, so no real argument is equal to it
_DASHED = "\0expression"


class Output(NamedTuple):
    """What ``-o`` writes for one suffix, the file format of the ``--steps`` frames with it, and
    whether it steps through backpropagation (and so shows gradients whatever ``--show`` says)."""

    write: Callable[[Any, str, dict[str, Any]], None]
    frames: str
    steps: bool = False


def _print_dot(root: Any, target: str, options: dict[str, Any]) -> None:
    drawing = {name: value for name, value in options.items() if name not in RASTER}
    sys.stdout.write(dot_source(root, **drawing))


def _save_file(root: Any, target: str, options: dict[str, Any]) -> None:
    save(root, target, **options)
    lang = options.get("lang")
    summary = _summary(root, options.get("digits", DIGITS))
    sys.stdout.write(summary + word("cli_wrote", lang, path=target) + "\n")


# One entry per output: the key is the suffix of -o (STDOUT when -o is absent or "-"); `save`
# picks the format from the suffix. Frames are SVG unless the output is a PNG.
OUTPUTS: dict[str, Output] = {
    STDOUT: Output(_print_dot, frames="svg"),
    ".svg": Output(_save_file, frames="svg"),
    ".png": Output(_save_file, frames="png"),
    ".pdf": Output(_save_file, frames="svg"),
    ".dot": Output(_save_file, frames="svg"),
    ".gv": Output(_save_file, frames="svg"),
    ".tex": Output(_save_file, frames="svg"),
    ".html": Output(_save_file, frames="svg", steps=True),
    ".gif": Output(_save_file, frames="svg", steps=True),
}
SUFFIXES = ", ".join(key for key in OUTPUTS if key != STDOUT)

# Drawing options passed on only when given, so that `draw`'s own defaults apply otherwise.
OPTIONAL = ("rankdir", "digits", "max_width", "lang")
# Options of the files that are pictures, passed to `save` and `save_steps` only.
RASTER = ("dpi",)

# The frames are about gradients: a view without them falls back to values and gradients.
STEP_SHOWS = {"forward": "both", "shapes": "both"}


class _UsageError(Exception):
    """A command-line mistake, reported in one line."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # one line instead of usage + message
        raise _UsageError(message)


def _requested_language(argv: Sequence[str]) -> str:
    """The language ``--lang X`` (or ``--lang=X``) asks for, read before parsing so that the
    help and the parser's own messages can speak it; the current language if none is valid."""
    args = list(argv)
    for i, arg in enumerate(args):
        if arg == "--":
            break
        name, _, value = arg.partition("=")
        if name == "--lang":
            value = value or (args[i + 1] if i + 1 < len(args) else "")
            if value in LANGUAGES:
                return value
    return current()


def _positive_int(lang: str, option: str, most: int | None = None) -> Callable[[str], int]:
    """The ``type=`` of ``option``, which takes a positive integer (at most ``most``)."""

    def positive_int(text: str) -> int:
        try:
            number = int(text)
        except ValueError:
            number = 0
        if number < 1 or (most is not None and number > most):
            up_to = "" if most is None else word("cli_up_to", lang, most=most)
            message = word("cli_bad_int", lang, most=up_to, text=shorten(repr(text)))
            # argparse lets any error but ArgumentTypeError, TypeError and ValueError through, so
            # the whole line, "argument --dpi: " included, speaks the language
            raise _UsageError(word("cli_bad_option", lang, option=option, message=message))
        return number

    return positive_int


def _example(lang: str) -> str:
    return f"{word('cli_example', lang)}: {EXAMPLES[0]}"


def _parser(lang: str | None = None) -> argparse.ArgumentParser:
    """The command line's parser, its help in ``lang`` (None: the current language)."""
    lang = lang or current()

    class Formatter(argparse.RawDescriptionHelpFormatter):
        def add_usage(self, *args: Any, **kwargs: Any) -> None:
            kwargs.setdefault("prefix", word("cli_usage", lang))
            super().add_usage(*args, **kwargs)

    parser = _Parser(
        prog=PROG,
        description=textwrap.fill(word("cli_description", lang), 79),
        epilog=word("cli_examples", lang) + ":\n" + "\n".join(f"  {e}" for e in EXAMPLES),
        formatter_class=Formatter,
        add_help=False,
    )
    given = parser.add_argument_group(word("cli_arguments", lang))
    given.add_argument(
        "expression", metavar=word("cli_expression_name", lang), help=word("cli_expression", lang)
    )
    given.add_argument(
        "bindings",
        nargs="*",
        metavar=word("cli_binding_name", lang),
        help=word("cli_bindings", lang),
    )
    file = word("cli_file", lang)
    opts = parser.add_argument_group(word("cli_options", lang))
    opts.add_argument("-h", "--help", action="help", help=word("cli_help", lang))
    opts.add_argument(
        "-o",
        "--output",
        default=STDOUT,
        metavar=file,
        help=word("cli_output", lang, suffixes=SUFFIXES, stdout=STDOUT),
    )
    opts.add_argument(
        "--style", choices=list(STYLES), default="cs231n", help=word("cli_style", lang)
    )
    opts.add_argument("--show", choices=list(SHOWS), default="both", help=word("cli_show", lang))
    opts.add_argument(
        "--rankdir",
        choices=[r for r in RANKDIRS if r is not None],
        default=None,
        help=word("cli_rankdir", lang),
    )
    opts.add_argument(
        "--digits",
        type=_positive_int(lang, "--digits", MAX_DIGITS),
        metavar="N",
        help=word("cli_digits", lang),
    )
    opts.add_argument(
        "--max-width",
        type=_positive_int(lang, "--max-width"),
        metavar="PX",
        help=word("cli_max_width", lang),
    )
    opts.add_argument(
        "--dpi", type=_positive_int(lang, "--dpi"), metavar="N", help=word("cli_dpi", lang)
    )
    opts.add_argument("--lang", choices=list(LANGUAGES), default=None, help=word("cli_lang", lang))
    opts.add_argument("--steps", metavar="DIR", help=word("cli_steps", lang))
    opts.add_argument("--html", metavar=file, help=word("cli_html", lang))
    opts.add_argument("--tikz", metavar=file, help=word("cli_tikz", lang))
    opts.add_argument("--quiz", metavar=file, help=word("cli_quiz", lang))
    return parser


def _bindings(items: Sequence[str], lang: str | None = None) -> dict[str, float]:
    """The value of every name; names NFKC-normalised, as Python normalises the expression's."""
    lang = lang or current()
    values: dict[str, float] = {}
    given: dict[str, str] = {}
    for item in items:
        typed, sep, text = item.partition("=")
        typed = typed.strip()
        name = unicodedata.normalize("NFKC", typed)  # "ｘ" is the expression's x
        shown, typed_value = shorten(repr(item)), shorten(repr(text))
        if not sep or not typed.isidentifier() or not name.isidentifier():
            raise _UsageError(word("cli_bad_binding", lang, item=shown, example=_example(lang)))
        if keyword.iskeyword(name):
            raise _UsageError(word("cli_keyword", lang, name=name, item=shown))
        if name in given:
            first = shorten(repr(given[name]))
            raise _UsageError(
                word("cli_twice", lang, name=shorten(name), first=first, second=shown)
            )
        try:
            value = float(text)
        except ValueError:
            raise _UsageError(
                word("cli_not_number", lang, name=shorten(name), text=typed_value)
            ) from None
        if not math.isfinite(value):
            raise _UsageError(word("cli_not_finite", lang, name=shorten(name), text=typed_value))
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


def _output(target: str, lang: str | None = None) -> Output:
    """The entry of `OUTPUTS` for ``-o target``."""
    key = STDOUT if target == STDOUT else Path(target).suffix.lower()
    if key not in OUTPUTS:
        raise _UsageError(word("cli_bad_suffix", lang, suffixes=SUFFIXES, target=repr(target)))
    return OUTPUTS[key]


def _say(kind: str, message: Any, lang: str) -> None:
    """One line on stderr: ``viz: error: ...`` (``kind`` is a key of the word table)."""
    sys.stderr.write(f"viz: {word(kind, lang)}: {message}\n")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (0 ok, 1 failed, 2 refused or misused)."""
    argv = sys.argv[1:] if argv is None else list(argv)
    lang = _requested_language(argv)
    try:
        args = _parse_args(_parser(lang), argv)
        values = _bindings(args.bindings, lang)
        output = _output(args.output, lang)
        with speaking(lang):  # a refusal speaks the language asked for
            root = build_graph(args.expression, values)
    except _UsageError as e:
        _say("cli_error", e, lang)
        return 2
    except EvaluationError as e:
        _say("cli_error", e, lang)
        return 1
    except ExprError as e:
        _say("cli_refused", e, lang)
        return 2
    if root.parents and not root.label:
        root.label = "f"
    given = {name: getattr(args, name) for name in OPTIONAL if getattr(args, name) is not None}
    options = {"style": args.style, "show": args.show, **given}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        code = _write(root, args, output, options, lang)
    # a warning (e.g. a graph cut to fit) becomes one line too, not Python's two-line format
    for note in dict.fromkeys(" ".join(str(w.message).split()) for w in caught):
        _say("cli_note", note, lang)
    return code


def _write(
    root: Any, args: argparse.Namespace, output: Output, options: dict[str, Any], lang: str
) -> int:
    """Backward, the drawing, and the frames, player, TikZ picture and quiz asked for; the exit
    status."""
    raster = {name: getattr(args, name) for name in RASTER if getattr(args, name) is not None}
    # the frames, the player and the quiz are about gradients: they show them whatever --show says
    steps = {**options, "show": STEP_SHOWS.get(args.show, args.show)}
    try:
        root.backward()
        output.write(root, args.output, {**(steps if output.steps else options), **raster})
        if args.steps:
            frames = save_steps(root, args.steps, output.frames, **steps, **raster)
            if Path(args.steps).suffix.lower() in (".pdf", ".gif"):  # every frame in one file
                sys.stderr.write(word("cli_wrote", lang, path=args.steps) + "\n")
            else:
                sys.stderr.write(
                    word("cli_wrote_frames", lang, n=len(frames), path=args.steps) + "\n"
                )
        for flag, (name, write, drawing) in EXTRAS.items():
            target = getattr(args, flag)
            if target:
                write(_public(name, flag, lang), root, target, steps if drawing else options)
                sys.stderr.write(word("cli_wrote", lang, path=target) + "\n")
    except (RendererNotFound, OSError, RuntimeError, ValueError) as e:
        _say("cli_error", " ".join(str(e).split()), lang)
        return 1
    return 0


def _public(name: str, flag: str, lang: str) -> Callable[..., Any]:
    """``viz.<name>`` (looked up when asked for: the player, TikZ and quiz live in their own
    modules); a RuntimeError naming ``--flag`` if this installation lacks it."""
    import viz

    found = getattr(viz, name, None)
    if found is None:
        raise RuntimeError(word("cli_missing", lang, name=name, flag=f"--{flag}"))
    return found


def _to_file(make: Callable[..., Any], root: Any, target: str, options: dict[str, Any]) -> None:
    make(root, target, **options)


def _text_to_file(
    make: Callable[..., str], root: Any, target: str, options: dict[str, Any]
) -> None:
    Path(target).write_text(make(root, **options), encoding="utf-8")


# --html, --tikz and --quiz: the viz function each calls, how its result reaches the file, and
# whether it steps through the gradients (and so shows them whatever --show says)
EXTRAS: dict[str, tuple[str, Callable[..., None], bool]] = {
    "html": ("save_html", _to_file, True),
    "tikz": ("to_tikz", _text_to_file, False),
    "quiz": ("save_quiz", _to_file, True),
}


def _summary(root: Any, digits: int = DIGITS) -> str:
    """``f = -8`` and the gradient of every named input, one per line."""
    from viz.trace import Trace

    name = root.label or "f"
    lines = [f"{name} = {fmt(root.data, digits)}"]
    for node in Trace(root).nodes:
        if not node.parents and node.label:
            lines.append(f"d{name}/d{node.label} = {fmt(node.grad, digits)}")
    return "\n".join(lines) + "\n"
