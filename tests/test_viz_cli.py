"""``python -m viz``: the lecture example end to end, and a refusal (one line, exit code 2, nothing
executed) for every kind of expression outside the whitelist.
"""

from __future__ import annotations

import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from viz import cli
from viz.expr import ExprError, build_graph, parse

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
SLIDE = ["(x + y) * z", "x=1", "y=-3", "z=4"]

# Audit events that would mean the expression ran: code execution, processes, files.
FORBIDDEN = {"exec", "os.system", "subprocess.Popen", "os.exec", "os.posix_spawn", "os.spawn",
             "open", "os.fork", "builtins.input", "ctypes.dlopen"}
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
        [sys.executable, "-m", "viz", *args], cwd=cwd, capture_output=True, text=True,
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
        "f = -8", "df/dx = 4", "df/dy = 4", "df/dz = -2", "wrote graph.svg"
    ]
    texts = svg_texts(tmp_path / "graph.svg")
    for shown in ("-8", "-2", "4", "1", "-3", "x", "y", "z", "f"):
        assert shown in texts


def test_cli_without_output_prints_dot(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    assert cli.main([*SLIDE, "--show", "forward"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("digraph {") and '<font color="#1a7f37">-8</font>' in out
    assert "#c62828" not in out  # forward: no gradients


def test_cli_record_png_and_steps(tmp_path: Path) -> None:
    done = run_cli(*SLIDE, "--style", "record", "--show", "backward", "-o", "g.png",
                   "--steps", "frames", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "g.png").read_bytes().startswith(PNG_MAGIC)
    frames = sorted(p.name for p in (tmp_path / "frames").iterdir())
    assert frames == [f"step_0{i}.png" for i in range(5)]


def test_cli_steps_default_to_svg(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    assert cli.main([*SLIDE, "--steps", str(tmp_path / "s")]) == 0
    names = sorted(p.name for p in (tmp_path / "s").iterdir())
    assert names == [f"step_0{i}.svg" for i in range(5)]
    assert "?" in svg_texts(tmp_path / "s" / "step_00.svg")


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
    ],
)
def test_failures_are_one_line(
    argv: list[str], code: int, message: str, capsys: pytest.CaptureFixture
) -> None:
    assert cli.main(argv) == code
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err and "Traceback" not in err
