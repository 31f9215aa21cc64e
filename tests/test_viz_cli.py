"""``python -m viz``: the lecture example end to end, the drawing options passed on, the output
table, a refusal (one line, exit code 2, nothing executed) for every kind of expression outside the
whitelist, and a guard against a long product taking minutes.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
import warnings
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from viz import backward_steps, cli
from viz.expr import ExprError, build_graph, iterative_parse, parse

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
SLIDE = ["(x + y) * z", "x=1", "y=-3", "z=4"]

# Audit events that would mean the expression ran: code execution, processes, files.
FORBIDDEN = {
    "exec",
    "os.system",
    "subprocess.Popen",
    "os.exec",
    "os.posix_spawn",
    "os.spawn",
    "open",
    "os.fork",
    "builtins.input",
    "ctypes.dlopen",
}
_recording: list[list[str]] = []


def _audit(event: str, args: tuple) -> None:
    if _recording:
        _recording[-1].append(event)


sys.addaudithook(_audit)  # inert unless a test is recording


def audited_main(argv: list[str]) -> tuple[int, list[str]]:
    _recording.append([])
    try:
        code = cli.main(argv)
    finally:
        events = _recording.pop()
    return code, events


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "viz", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[1])},
    )


def svg_texts(path: Path) -> list[str]:
    root = ET.parse(path).getroot()
    return ["".join(t.itertext()).strip() for t in root.iter() if t.tag.endswith("text")]


# ---- the slide example --------------------------------------------------------------------------


def test_cli_renders_the_slide_example(tmp_path: Path) -> None:
    done = run_cli(*SLIDE, "-o", "graph.svg", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "f = -8",
        "df/dx = 4",
        "df/dy = 4",
        "df/dz = -2",
        "wrote graph.svg",
    ]
    texts = svg_texts(tmp_path / "graph.svg")
    for shown in ("-8", "-2", "4", "1", "-3", "x", "y", "z", "f"):
        assert shown in texts


def test_cli_without_output_prints_dot(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    assert cli.main([*SLIDE, "--show", "forward"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("digraph {") and '<font color="#1a7f37">-8</font>' in out
    assert "#c62828" not in out  # forward: no gradients


def slide_frames() -> int:
    """How many frames `backward_steps` makes of the slide (one per node, and the forward pass)."""
    return len(backward_steps(build_graph(SLIDE[0], {"x": 1.0, "y": -3.0, "z": 4.0})))


def test_cli_record_png_and_steps(tmp_path: Path) -> None:
    done = run_cli(
        *SLIDE,
        "--style",
        "record",
        "--show",
        "backward",
        "-o",
        "g.png",
        "--steps",
        "frames",
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "g.png").read_bytes().startswith(PNG_MAGIC)
    frames = sorted(p.name for p in (tmp_path / "frames").iterdir())
    assert frames == [f"step_0{i}.png" for i in range(slide_frames())]


def test_cli_steps_default_to_svg(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    assert cli.main([*SLIDE, "--steps", str(tmp_path / "s")]) == 0
    names = sorted(p.name for p in (tmp_path / "s").iterdir())
    assert names == [f"step_0{i}.svg" for i in range(slide_frames())]
    assert "?" in svg_texts(tmp_path / "s" / "step_00.svg")


def test_dash_output_is_stdout(capsys: pytest.CaptureFixture) -> None:
    assert cli.main([*SLIDE, "-o", "-"]) == 0
    assert capsys.readouterr().out.startswith("digraph {")


# ---- drawing options reach the drawing ----------------------------------------------------------


@pytest.fixture
def captured(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """The calls the command line makes to draw and save, recorded instead of run."""
    calls: dict[str, Any] = {}

    def fake_dot_source(root: Any, **options: Any) -> str:
        calls["dot_source"] = options
        return "digraph {}\n"

    def fake_save(root: Any, path: Any, **options: Any) -> Path:
        calls["save"] = (str(path), options)
        return Path(path)

    def fake_save_steps(root: Any, directory: Any, file_format: str, **options: Any) -> list:
        calls["save_steps"] = (file_format, options)
        return []

    monkeypatch.setattr(cli, "dot_source", fake_dot_source)
    monkeypatch.setattr(cli, "save", fake_save)
    monkeypatch.setattr(cli, "save_steps", fake_save_steps)
    return calls


def test_new_options_reach_dot_source(captured: dict[str, Any]) -> None:
    argv = [*SLIDE, "--digits", "2", "--max-width", "800", "--rankdir", "TB"]
    assert cli.main(argv) == 0
    assert captured["dot_source"] == {
        "style": "cs231n",
        "show": "both",
        "digits": 2,
        "max_width": 800,
        "rankdir": "TB",
    }


def test_options_not_given_are_left_to_draw(captured: dict[str, Any]) -> None:
    assert cli.main([*SLIDE, "--style", "record"]) == 0
    assert captured["dot_source"] == {"style": "record", "show": "both"}  # rankdir: automatic


def test_options_reach_save_and_the_frames(captured: dict[str, Any], tmp_path: Path) -> None:
    options = "--digits 3 --max-width 640 --show forward".split()
    argv = [*SLIDE, *options, "-o", str(tmp_path / "g.svg"), "--steps", str(tmp_path / "frames")]
    assert cli.main(argv) == 0
    path, options = captured["save"]
    assert path.endswith("g.svg")
    assert options == {"style": "cs231n", "show": "forward", "digits": 3, "max_width": 640}
    kind, options = captured["save_steps"]
    assert kind == "svg"
    assert options == {"style": "cs231n", "show": "both", "digits": 3, "max_width": 640}


@pytest.mark.parametrize(("suffix", "frames"), [(s, o.frames) for s, o in cli.OUTPUTS.items()])
def test_frames_follow_the_output_suffix(
    suffix: str, frames: str, captured: dict[str, Any], tmp_path: Path
) -> None:
    target = "-" if suffix == cli.STDOUT else str(tmp_path / f"g{suffix.upper()}")
    assert cli.main([*SLIDE, "-o", target, "--steps", str(tmp_path / "frames")]) == 0
    assert captured["save_steps"][0] == frames
    assert frames == ("png" if suffix == ".png" else "svg")  # as before the table


def test_digits_round_the_drawing_and_the_summary(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    assert cli.main(["x * y", "x=1.23456", "y=1", "--digits", "2", "--show", "forward"]) == 0
    dot = capsys.readouterr().out
    assert ">1.2<" in dot and "1.235" not in dot
    out = str(tmp_path / "a.dot")
    assert cli.main(["x * y", "x=1.23456", "y=1", "--digits", "2", "-o", out]) == 0
    assert capsys.readouterr().out.splitlines()[:3] == ["f = 1.2", "df/dx = 1", "df/dy = 1.2"]


def test_a_warning_becomes_one_note_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    def warning_dot_source(root: Any, **options: Any) -> str:
        warnings.warn("draw: the graph has 120 nodes;\n drawing the 40 nearest", stacklevel=2)
        return "digraph {}\n"

    monkeypatch.setattr(cli, "dot_source", warning_dot_source)
    assert cli.main(SLIDE) == 0
    assert (
        capsys.readouterr().err
        == "viz: note: draw: the graph has 120 nodes; drawing the 40 nearest\n"
    )


def test_a_name_used_twice_is_one_leaf() -> None:
    f = build_graph("x * x + exp(0) * x", {"x": 3.0})
    f.backward()
    x = f.parents[0].parents[0]
    assert f.parents[0].parents[1] is x and x.label == "x"
    assert x.grad == 7.0  # d(x² + x)/dx = 2x + 1 at 3


# ---- refusals -----------------------------------------------------------------------------------


REFUSED = {
    "import": ("__import__('os').system('echo hi')", "calling anything but a named function"),
    "attribute": ("x.__class__", "attribute access is not allowed"),
    "open": ("open('/etc/passwd')", "unknown function open"),
    "lambda": ("(lambda: 1)()", "calling anything but a named function"),
    "comprehension": ("[a for a in (1,)]", "comprehensions are not allowed"),
    "conditional": ("x if y else z", "conditional expressions are not allowed"),
}


@pytest.mark.parametrize("case", list(REFUSED))
def test_cli_refuses_in_one_line_and_executes_nothing(case: str, tmp_path: Path) -> None:
    expression, reason = REFUSED[case]
    done = run_cli(expression, "x=1", "y=2", "z=3", "-o", "out.svg", cwd=tmp_path)
    assert done.returncode == 2
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("viz: refused: ") and reason in lines[0]
    assert "Traceback" not in done.stderr
    assert done.stdout == ""  # `echo hi` would print here
    assert list(tmp_path.iterdir()) == []
    code, events = audited_main([expression, "x=1", "y=2", "z=3", "-o", str(tmp_path / "o.svg")])
    assert code == 2
    assert not FORBIDDEN.intersection(events), events


@pytest.mark.parametrize(
    ("expression", "reason"),
    [
        ("exp(x, y)", "exp takes exactly one positional argument"),
        ("exp(x=1)", "exp takes exactly one positional argument"),
        ("w + 1", "the name w is not bound (give it as w=VALUE)"),
        ("x[0]", "subscripts are not allowed"),
        ("'rm -rf'", "only numbers are allowed as constants"),
        ("x // 2", "the operator FloorDiv is not allowed"),
        ("x < y", "comparisons are not allowed"),
        ("(y := 2)", "assignment expressions are not allowed"),
        ("f'{x}'", "f-strings are not allowed"),
        ("exp", "the function exp must be called"),
        ("x +", "cannot parse the expression"),
        ("(" * 300 + "x" + ")" * 300, "cannot parse the expression"),
        ("sin(x).real", "attribute access is not allowed"),
        ("exp(*x)", "exp takes exactly one positional argument"),
    ],
)
def test_more_refusals(expression: str, reason: str, capsys: pytest.CaptureFixture) -> None:
    code, events = audited_main([expression, "x=1", "y=2"])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and reason in err
    assert not FORBIDDEN.intersection(events)


def test_refusal_names_the_outermost_offence() -> None:
    with pytest.raises(ExprError, match=r"^attribute access is not allowed: `x.__class__`"):
        parse("x.__class__", {"x": 1.0})


# ---- other failures: one line, no traceback -----------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "code", "message"),
    [
        (["x + 1", "x"], 2, "expected name=value; got 'x'"),
        (["x + 1", "x=abc"], 2, "the value of x is not a number; got 'abc'"),
        (["log(x)", "x=-1"], 1, "log: argument out of domain; got -1.0"),
        (["x / y", "x=1", "y=0"], 1, "div: division by zero"),
        (["10 ** 400.0"], 1, "a number is too large"),
        (["x", "x=1", "-o", "graph.txt"], 2, "-o must end in .svg"),
        (["x", "--style", "fancy"], 2, "argument --style: invalid choice: 'fancy'"),
        (["x", "x=1", "--digits", "0"], 2, "argument --digits: expected a positive integer"),
        (["x", "x=1", "--max-width", "wide"], 2, "argument --max-width: expected a positive"),
        (["x", "x=1", "--rankdir", "None"], 2, "argument --rankdir: invalid choice: 'None'"),
        (["x", "x=1", "-o", "graph"], 2, "-o must end in .svg, .png, .pdf, .dot, .gv"),
    ],
)
def test_failures_are_one_line(
    argv: list[str], code: int, message: str, capsys: pytest.CaptureFixture
) -> None:
    assert cli.main(argv) == code
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err and "Traceback" not in err


# ---- regression guards --------------------------------------------------------------------------


def test_regression_guard_a_120_factor_product_finishes(tmp_path: Path) -> None:
    """Regression guard, not a timed test: ``x*x*...*x`` (120 factors) once took minutes to lay out
    (106 s). It must finish (drawn, or cut to fit with a note) and exit 0; the timeout is generous
    on purpose, so a slow machine does not fail it, while a hang or a minutes-long layout does.
    """
    product = "*".join(["x"] * 120)
    done = subprocess.run(
        [sys.executable, "-m", "viz", product, "x=1.01", "-o", "p.svg"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[1])},
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "p.svg").read_text(encoding="utf-8").lstrip().startswith("<?xml")
    assert all(line.startswith("viz: note: ") for line in done.stderr.splitlines()), done.stderr


# ---- long expressions, a leading minus, full-width names, hostile input -------------------------


@pytest.mark.parametrize(
    ("expression", "value", "grad"),
    [
        ("+".join(["x"] * 3000), 3000.0, 3000.0),  # Python's own AST conversion recurses on this
        ("+".join(["x"] * 4999), 4999.0, 4999.0),  # 9,997 characters: just within MAX_LENGTH
        ("*".join(["x"] * 3000), 1.0, 3000.0),
        ("-".join(["x"] * 3001), -2999.0, -2999.0),
        ("-" * 3000 + "x", 1.0, 1.0),
        ("exp(" + "+".join(["x"] * 3000) + " - 3000)", 1.0, 3000.0),
        ("x**" * 3000 + "x", 1.0, 1.0),  # right-associative: x**(x**(...)), d/dx at 1 = 1
    ],
    ids=["sum", "sum-at-max-length", "product", "difference", "negations", "call", "powers"],
)
def test_a_long_flat_expression_within_max_length_is_built(
    expression: str, value: float, grad: float
) -> None:
    f = build_graph(expression, {"x": 1.0})
    f.backward()
    leaves = {id(n): n for n in _leaves(f)}
    assert f.data == pytest.approx(value)
    assert [n.grad for n in leaves.values()] == [pytest.approx(grad)]


def _leaves(root: Any) -> list[Any]:
    from viz.trace import Trace

    return [n for n in Trace(root).nodes if not n.parents and n.label]


def test_the_cli_draws_a_3000_term_sum_with_a_note(capsys: pytest.CaptureFixture) -> None:
    assert cli.main(["+".join(["x"] * 3000), "x=1"]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("digraph {")
    assert all(line.startswith("viz: note: ") for line in err.splitlines()), err


@pytest.mark.parametrize(
    ("expression", "reason"),
    [
        ("(" * 4000 + "x" + ")" * 4000, "too many nested parentheses"),
        ("exp(" * 1500 + "x" + ")" * 1500, "too many nested parentheses"),
        ("+".join(["x"] * 3000) + " + x.real", "`.` at column 6004"),
        ("+".join(["x"] * 3000) + " + (lambda: 1)", "`lambda` at column 6004"),
        ("+".join(["x"] * 3000) + " + x // 2", "`//` at column 6005"),
        ("+".join(["x"] * 3000) + " + w", "the name w is not bound"),
        ("+".join(["x"] * 3000) + " + open(x)", "unknown function open"),
        ("+".join(["x"] * 3000) + " + exp(x, x)", "exp takes exactly one positional argument"),
        ("+".join(["x"] * 3000) + " + 'a'", "`'a'` at column 6003"),
        ("+".join(["x"] * 3000) + " +", "cannot parse the expression"),
        ("+".join(["x"] * 3000) + " + (x", "cannot parse the expression"),
        ("+".join(["x"] * 3000) + " x", "cannot parse the expression"),
        ("+".join(["x"] * 3000) + " + 1e309", "the number is too large for a float"),
    ],
    ids=[
        "parentheses",
        "calls",
        "attribute",
        "lambda",
        "floor-division",
        "unbound",
        "unknown-function",
        "two-arguments",
        "string",
        "dangling-operator",
        "unclosed",
        "juxtaposed",
        "huge-number",
    ],
)
def test_a_long_or_deep_expression_outside_the_whitelist_is_refused_in_one_line(
    expression: str, reason: str, capsys: pytest.CaptureFixture
) -> None:
    code, events = audited_main([expression, "x=1"])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and reason in err, err[:300]
    assert err.startswith("viz: refused: ") and len(err) < 600
    assert not FORBIDDEN.intersection(events)


WHITELISTED = st.recursive(
    st.sampled_from(["x", "y", "2", "0.5", "1e3", "1_0", "ｘ"]),
    lambda inner: st.one_of(
        st.tuples(inner, st.sampled_from(["+", "-", "*", "/", "**"]), inner).map(
            lambda t: f"{t[0]} {t[1]} {t[2]}" if len(t[0]) % 2 else f"{t[0]}{t[1]}{t[2]}"
        ),
        st.tuples(st.sampled_from(["-", "+", "- ", "--"]), inner).map("".join),
        inner.map(lambda s: f"({s})"),
        st.tuples(st.sampled_from(["exp", "log", "tanh"]), inner).map(lambda t: f"{t[0]}({t[1]})"),
        st.tuples(inner, inner).map(lambda t: f"abs({t[0]}, {t[1]},)"),
    ),
    max_leaves=12,
)


@given(WHITELISTED)
def test_the_iterative_parser_builds_the_tree_python_builds(text: str) -> None:
    """The parser used when Python's own recursion gives up agrees with ``ast.parse``: the same
    nodes, operators, precedence (``-x**2``, ``x**-y``, right-associative ``**``) and positions.
    """
    assert ast.dump(iterative_parse(text), include_attributes=True) == ast.dump(
        ast.parse(text, mode="eval"), include_attributes=True
    )


@pytest.mark.parametrize(
    "argv",
    [
        ["-x*y", "x=2", "y=3"],
        ["--rankdir", "TB", "-x*y", "x=2", "y=3", "--show", "both"],
        ["-x*y", "x=2", "y=3", "-o", "-"],
        ["--output=-", "-x*y", "x=2", "y=3"],
        ["-o-", "-x*y", "x=2", "y=3"],
        ["-(x*y)", "x=2", "y=3"],
        ["--", "-x*y", "x=2", "y=3"],
        ["--(-x*y)", "x=2", "y=3"],
        ["-x * y", "x=2", "y=3"],
        ["-6"],
        ["-out*y", "out=2", "y=3"],  # not -o with the value "ut*y": that is no file name
    ],
)
def test_an_expression_may_start_with_a_minus(
    argv: list[str], capsys: pytest.CaptureFixture
) -> None:
    assert cli.main(argv) == 0, capsys.readouterr().err
    assert '<font color="#1a7f37">-6</font>' in capsys.readouterr().out


def test_options_keep_their_meaning_around_a_dashed_expression(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    out = tmp_path / "g.dot"
    assert cli.main(["-x*y", "x=2", "y=3", f"-o{out}", "--digits", "2"]) == 0
    assert capsys.readouterr().out.splitlines()[:3] == ["f = -6", "df/dx = -3", "df/dy = -2"]
    assert out.read_text(encoding="utf-8").startswith("digraph {")
    assert cli.main(["--sty", "record", "-x", "x=2", f"--out={out}"]) == 0  # abbreviations
    assert "label=<" in out.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("argv", "summary"),
    [
        (["x*2", "ｘ=3"], ["f = 6", "df/dx = 2"]),
        (["ｘ*2", "x=3"], ["f = 6", "df/dx = 2"]),
        (["ｘ*2", "ｘ=3"], ["f = 6", "df/dx = 2"]),
        (["ﬁ + 1", "fi=2"], ["f = 3", "df/dfi = 1"]),
    ],
)
def test_binding_names_are_normalised_as_the_expression_is(
    argv: list[str], summary: list[str], tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    assert cli.main([*argv, "-o", str(tmp_path / "g.dot")]) == 0, capsys.readouterr().err
    assert capsys.readouterr().out.splitlines()[:2] == summary


@pytest.mark.parametrize(
    ("argv", "code", "message"),
    [
        (["x", "x=nan"], 2, "the value of x must be a finite number; got 'nan'"),
        (["x", "x=inf"], 2, "the value of x must be a finite number; got 'inf'"),
        (["x", "x=-Infinity"], 2, "the value of x must be a finite number; got '-Infinity'"),
        (["x", "x=1e309"], 2, "the value of x must be a finite number; got '1e309'"),
        (["1e309"], 2, "the number is too large for a float: `1e309`"),
        (["x * 1e309", "x=1"], 2, "the number is too large for a float: `1e309`"),
        (["1" + "0" * 400], 2, "the number is too large for a float"),
        (["1" * 5000], 2, "cannot parse the expression: Exceeds the limit"),
        ([""], 2, "the expression is empty; got '', expected e.g. "),
        (["   \t "], 2, "the expression is empty; got '   \\t ', expected e.g. "),
        (["x × y", "x=1", "y=2"], 2, "invalid character '×' (U+00D7)"),
        (["x − y", "x=1", "y=2"], 2, "invalid character '−' (U+2212)"),
        (["x ＋ y", "x=1", "y=2"], 2, "invalid character '＋' (U+FF0B)"),
        (["x", "x²=1"], 2, "expected name=value; got 'x²=1'"),
        (["x", "if=1"], 2, "the name if is a Python keyword; got 'if=1', expected a name"),
        (["x", "x=1", "ｘ=2"], 2, "x is given twice; got 'x=1' and 'ｘ=2', expected one value"),
        (["(-8) ** (1/3)"], 1, "pow: negative base with a fractional exponent; got -8 ** 0.3333"),
        (["(-x) ** 0.5", "x=2"], 1, "pow: negative base with a fractional exponent"),
        (["1 / 0"], 1, "evaluation failed: float division by zero"),
        (["exp(x)", "x=" + "9" * 400], 2, "the value of x must be a finite number; got '9999"),
        (
            ["x", "x=1", "--digits", "18"],
            2,
            "argument --digits: expected a positive integer up to 17; got '18'",
        ),
        (["x", "x=1", "--steps", "/dev/null/frames"], 1, "viz: error: "),
        (["x", "x=1", "-o", "/dev/null/g.svg"], 1, "viz: error: "),
        ([], 2, "the following arguments are required: expression"),
    ],
)
def test_hostile_input_gets_one_line(
    argv: list[str], code: int, message: str, capsys: pytest.CaptureFixture
) -> None:
    assert cli.main(argv) == code
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err and "Traceback" not in err, err[:300]


@pytest.mark.parametrize(
    "argv",
    [
        ["a" * 9000, "x=1"],
        ["x", "x=1", "b" * 9000 + "=oops"],
        ["x", "x=1", "c" * 9000],
        ["exp(" + "d" * 9000 + ")"],
    ],
    ids=["unbound", "binding-value", "binding-form", "in-a-call"],
)
def test_a_very_long_name_is_shortened_in_the_message(
    argv: list[str], capsys: pytest.CaptureFixture
) -> None:
    assert cli.main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and len(err) < 400 and "..." in err, err[:300]


def test_hostile_input_in_a_subprocess_never_shows_a_traceback(tmp_path: Path) -> None:
    for argv in (["(-8) ** (1/3)"], ["+".join(["x"] * 3000), "x=1", "-o", "s.svg"], ["-x", "x=1"]):
        done = run_cli(*argv, cwd=tmp_path)
        assert "Traceback" not in done.stderr and done.returncode in (0, 1, 2), done.stderr
        assert all(line.startswith("viz: ") for line in done.stderr.splitlines()), done.stderr
