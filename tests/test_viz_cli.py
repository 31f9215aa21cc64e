"""``python -m viz``: the lecture example end to end, the drawing options passed on, the output
table, a refusal (one line, exit code 2, nothing executed) for every kind of expression outside the
whitelist, and a guard against a long product taking minutes.
"""

from __future__ import annotations

import os
import subprocess
import sys
import warnings
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from viz import backward_steps, cli
from viz.expr import ExprError, build_graph, parse

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
