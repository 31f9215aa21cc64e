"""viz.backward_steps, save_steps and play: the forward pass, then one frame per node in reverse
topological order, each showing exactly the gradients known so far.

Expected gradients are computed by hand and checked by finite differences, never read back from
the code: on the slide (x=1, y=-3, z=4, q=x+y, f=q*z) df/dx = df/dy = df/dq = z = 4 and
df/dz = q = -2; on the reused graph (x=1, y=2, q=x+y, f=q*q+exp(q)) df/dq = 2q + e^q = 26.09.
"""

from __future__ import annotations

import html
import math
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import pytest

import viz
from autograd import Value

HIGHLIGHT = "#ffe08a"
RED = "#c62828"
NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


def slide(backward: bool = True) -> tuple[Value, ...]:
    x, y, z = Value(1.0, label="x"), Value(-3.0, label="y"), Value(4.0, label="z")
    q = x + y
    q.label = "q"
    f = q * z
    f.label = "f"
    if backward:
        f.backward()
    return x, y, z, q, f


def reused() -> Value:
    x, y = Value(1.0, label="x"), Value(2.0, label="y")
    q = x + y
    q.label = "q"
    f = q * q + q.exp()
    f.label = "f"
    return f


def derivative(f: Callable[[float], float], at: float, h: float = 1e-6) -> float:
    """Central finite difference."""
    return (f(at + h) - f(at - h)) / (2 * h)


# the gradients by hand, keyed by trace position (parents before consumers, root last), each
# with the numbers its frame reveals on the wires leaving it (contributions upstream × local) and,
# for a node read more than once, the sum noted beside it
Q = 1.0 + 2.0  # q on the reused graph
SLIDE_NODES = {  # x0 y1 q2 z3 f4
    4: ("f", [1.0]),  # the seed, on the output wire
    3: ("z", [-2.0]),  # df/dz = q
    2: ("q", [4.0]),  # df/dq = z
    1: ("y", [4.0]),  # df/dy = df/dq · 1
    0: ("x", [4.0]),
}
REUSED_NODES = {  # x0 y1 q2 (q*q)3 exp4 f5
    5: ("f", [1.0]),
    4: ("(exp)", [1.0]),  # into the + gate: local 1
    3: ("(×)", [1.0]),
    # two wires into q*q (1 × q each), one into exp (1 × e^q), and their sum beside q: 26.09
    2: ("q", [Q, Q, math.exp(Q), 2 * Q + math.exp(Q)]),
    1: ("y", [2 * Q + math.exp(Q)]),
    0: ("x", [2 * Q + math.exp(Q)]),
}


def test_hand_gradients_agree_with_finite_differences() -> None:
    def f_slide(x: float, y: float, z: float) -> float:
        return (x + y) * z

    assert derivative(lambda x: f_slide(x, -3.0, 4.0), 1.0) == pytest.approx(4.0)
    assert derivative(lambda y: f_slide(1.0, y, 4.0), -3.0) == pytest.approx(4.0)
    assert derivative(lambda z: f_slide(1.0, -3.0, z), 4.0) == pytest.approx(-2.0)

    def f_reused(x: float, y: float) -> float:
        q = x + y
        return q * q + math.exp(q)

    dx = derivative(lambda t: f_reused(t, 2.0), 1.0)
    dy = derivative(lambda t: f_reused(1.0, t), 2.0)
    assert (dx, dy) == pytest.approx((REUSED_NODES[0][1][0], REUSED_NODES[1][1][0]), rel=1e-6)
    dq = derivative(lambda q: q * q + math.exp(q), Q)
    assert dq == pytest.approx(sum(REUSED_NODES[2][1][:3]), rel=1e-6)  # the sum of the paths


def title(source: str) -> str:
    """The drawing's title: the graph-level ``label``."""
    match = re.search(r"^\t(?:\w+=\S+ )*label=<([^<>]*)>", source, re.MULTILINE)
    assert match, "frame has no title"
    return html.unescape(match.group(1)).replace("\u2060", "")


def red_texts(source: str) -> list[str]:
    """Every gradient text of a drawing (red HTML-label fonts)."""
    found = re.findall(rf'<font color="{RED}"[^>]*>(.*?)</font>', source)
    return [html.unescape(t) for t in found]


def red_numbers(source: str) -> list[float]:
    return [float(n) for text in red_texts(source) for n in NUMBER.findall(text)]


def highlighted(source: str) -> list[str]:
    """Ids of the nodes drawn as the current step."""
    return [m.group(1) for m in re.finditer(r"\t(n\w+) \[[^\n]*" + HIGHLIGHT, source)]


def current_position(source: str) -> int:
    """The trace position of the highlighted node (the record style also lights its op node)."""
    ids = [int(i[1:]) for i in highlighted(source) if re.fullmatch(r"n\d+", i)]
    assert len(ids) == 1, f"expected one highlighted node, got {highlighted(source)}"
    return ids[0]


@pytest.mark.parametrize("style", ["cs231n", "record"])
@pytest.mark.parametrize(
    ("root", "nodes"), [(lambda: slide()[-1], SLIDE_NODES), (reused, REUSED_NODES)]
)
def test_each_frame_shows_exactly_the_gradients_known_so_far(
    root: Callable[[], Value], nodes: dict[int, tuple[str, list[float]]], style: str
) -> None:
    frames = viz.backward_steps(root(), style=style)
    count = len(nodes)
    assert len(frames) == count + 1
    # frame 0: the forward pass, every gradient still "?"
    assert red_numbers(frames[0].source) == []
    assert any("?" in text for text in red_texts(frames[0].source))
    assert highlighted(frames[0].source) == []
    assert title(frames[0].source) == "forward pass: every gradient still ?"
    expected: list[float] = []
    for k in range(1, count + 1):
        source = frames[k].source
        position = count - k  # reverse topological order: the root first
        assert current_position(source) == position
        name, revealed = nodes[position]
        assert title(source).startswith(f"backward step {k}/{count}: ∂f/∂{name} = ")
        expected += revealed
        if style == "cs231n":  # the record style shows a box per node, not per wire
            shown = sorted(red_numbers(source))
            assert shown == pytest.approx(sorted(expected), rel=1e-3), f"frame {k}"
        else:
            grads = [
                n for text in red_texts(source) if "?" not in text for n in NUMBER.findall(text)
            ]
            assert sorted(float(g) for g in grads) == pytest.approx(
                sorted(nodes[p][1][-1] for p in range(position, count)), rel=1e-3
            ), f"frame {k}"
        for text in red_texts(source):  # a gradient is either known or "?", never half of each
            assert not ("?" in text and NUMBER.search(text)), f"frame {k}: {text!r}"
    assert all("?" not in text for text in red_texts(frames[-1].source))


def test_titles_carry_the_lecture_numbers() -> None:
    assert [title(f.source) for f in viz.backward_steps(slide()[-1])] == [
        "forward pass: every gradient still ?",
        "backward step 1/5: ∂f/∂f = 1 (the seed)",
        "backward step 2/5: ∂f/∂z = ∂f/∂f · ∂f/∂z = 1 × (-2) = -2",
        "backward step 3/5: ∂f/∂q = ∂f/∂f · ∂f/∂q = 1 × 4 = 4",
        "backward step 4/5: ∂f/∂y = ∂f/∂q · ∂q/∂y = 4 × 1 = 4",
        "backward step 5/5: ∂f/∂x = ∂f/∂q · ∂q/∂x = 4 × 1 = 4",
    ]


def test_a_reused_node_sums_its_paths_in_its_own_frame() -> None:
    titles = [title(f.source) for f in viz.backward_steps(reused())]
    assert titles == [
        "forward pass: every gradient still ?",
        "backward step 1/6: ∂f/∂f = 1 (the seed)",
        "backward step 2/6: ∂f/∂(exp) = ∂f/∂f · ∂f/∂(exp) = 1 × 1 = 1",
        "backward step 3/6: ∂f/∂(×) = ∂f/∂f · ∂f/∂(×) = 1 × 1 = 1",
        # 2q + e^q at q = 3: 3 + 3 + 20.0855
        "backward step 4/6: ∂f/∂q = 3 + 3 + 20.09 = 26.09 (paths through ×, × and exp)",
        "backward step 5/6: ∂f/∂y = ∂f/∂q · ∂q/∂y = 26.09 × 1 = 26.09",
        "backward step 6/6: ∂f/∂x = ∂f/∂q · ∂q/∂x = 26.09 × 1 = 26.09",
    ]


def test_titles_name_unlabelled_nodes_by_gate_or_value_and_follow_digits() -> None:
    x = Value(0.5, label="x")
    f = 3 * x.sigmoid()
    titles = [title(frame.source) for frame in viz.backward_steps(f, digits=2)]
    s = 1 / (1 + math.exp(-0.5))  # sigmoid(0.5) = 0.6225, its derivative s(1 - s) = 0.235
    assert titles[1] == "backward step 1/4: ∂(×)/∂(×) = 1 (the seed)"
    assert titles[2] == "backward step 2/4: ∂(×)/∂(σ) = ∂(×)/∂(×) · ∂(×)/∂(σ) = 1 × 3 = 3"
    assert titles[3].startswith("backward step 3/4: ∂(×)/∂x = ∂(×)/∂(σ) · ∂(σ)/∂x = 3 × ")
    assert titles[3].endswith(f"= {3 * s * (1 - s):.2f}")
    assert (
        titles[4] == f"backward step 4/4: ∂(×)/∂(3) = ∂(×)/∂(×) · ∂(×)/∂(3) = 1 × {s:.2f} = {s:.2f}"
    )


def test_steps_replay_the_chain_rule_without_touching_grads() -> None:
    x, y, z, q, f = slide(backward=False)
    frames = viz.backward_steps(f)
    assert (x.grad, y.grad, z.grad, q.grad, f.grad) == (0.0, 0.0, 0.0, 0.0, 0.0)
    assert sorted(red_numbers(frames[-1].source)) == [-2.0, 1.0, 4.0, 4.0, 4.0]


def test_backward_mode_shows_a_fan_out_sum_once_the_node_is_reached() -> None:
    a = Value(3.0, label="a")
    b = a * a + a
    frames = viz.backward_steps(b, show="backward")
    assert len(frames) == 4  # forward, +, ×, a
    assert any("3 + 3 + 1 = 7" in t for t in red_texts(frames[-1].source))  # 2a + 1 at a = 3
    assert not any("= 7" in t for t in red_texts(frames[-2].source))
    assert all("?" in t for t in red_texts(frames[0].source))  # local derivatives, no gradient


def test_record_style_steps_show_unknown_grads() -> None:
    frames = viz.backward_steps(slide()[-1], style="record")
    assert "grad ?" in frames[0].source and "grad ?" not in frames[-1].source
    assert highlighted(frames[3].source) == ["n2", "n2op"]  # the + box and its op node


def test_steps_check_their_options() -> None:
    with pytest.raises(ValueError, match="show='forward' hides the gradients"):
        viz.backward_steps(slide()[-1], show="forward")
    with pytest.raises(ValueError, match="5 nodes, more than max_nodes=3"):
        viz.backward_steps(slide()[-1], max_nodes=3)
    with pytest.raises(ValueError, match="backward_steps: unknown style"):
        viz.backward_steps(slide()[-1], style="fancy")
    with pytest.raises(TypeError, match="backward_steps: unknown option 'colour'"):
        viz.backward_steps(slide()[-1], colour="red")
    with pytest.raises(TypeError, match="backward_steps: root must be a graph node"):
        viz.backward_steps(4.0)


def test_a_long_chain_draws_every_node_in_every_frame(recwarn: pytest.WarningsRecorder) -> None:
    x, w = Value(1.0, label="x"), Value(1.0, label="w")
    s = x
    for _ in range(60):  # a drawing too tall for a slide: `draw` would cut it
        s = s * w
    frames = viz.backward_steps(s)
    assert not recwarn.list
    assert len(frames) == 63
    assert [current_position(f.source) for f in frames[1:]] == list(range(61, -1, -1))
    assert "more nodes not drawn" not in frames[-1].source


def test_save_steps_writes_numbered_frames(tmp_path: Path) -> None:
    paths = viz.save_steps(slide()[-1], tmp_path / "frames")
    assert [p.name for p in paths] == [f"step_0{i}.svg" for i in range(6)]

    def red(path: Path) -> list[str]:
        return [
            "".join(t.itertext())
            for t in ET.parse(path).getroot().iter()
            if t.tag.endswith("text") and t.get("fill") == RED
        ]

    assert red(paths[0]) and set(red(paths[0])) == {"?"}
    assert red(paths[-1]) and "?" not in red(paths[-1])


def test_save_steps_removes_the_stale_frames_of_a_longer_run(tmp_path: Path) -> None:
    folder = tmp_path / "frames"
    assert len(viz.save_steps(slide()[-1], folder)) == 6  # step_00 ... step_05
    others = ["notes.txt", "step_03.png", "step_3.svg", "step_03.svg.bak", "my_step_04.svg"]
    others += ["step_04a.svg", "step_x.svg", "Step_04.svg", "step_04.SVG"]
    for name in others:
        (folder / name).write_text("not a frame", encoding="utf-8")
    (folder / "step_07.svg").mkdir()  # a folder named like a frame is left alone too
    (folder / "step_120.svg").write_text("<svg/>", encoding="utf-8")  # from a 121-frame run
    x = Value(0.5, label="x")
    paths = viz.save_steps(x.exp(), folder)  # two nodes: three frames
    assert [p.name for p in paths] == ["step_00.svg", "step_01.svg", "step_02.svg"]
    left = sorted(p.name for p in folder.iterdir())
    assert left == sorted([*others, "step_07.svg", "step_00.svg", "step_01.svg", "step_02.svg"])
    assert "backward step 2/2" in paths[-1].read_text(encoding="utf-8")


def test_save_steps_leaves_frames_of_another_format(tmp_path: Path) -> None:
    folder = tmp_path / "frames"
    folder.mkdir()
    (folder / "step_05.png").write_bytes(b"an older run's PNG")
    viz.save_steps(Value(0.5, label="x").exp(), folder)
    assert sorted(p.name for p in folder.iterdir()) == [
        "step_00.svg",
        "step_01.svg",
        "step_02.svg",
        "step_05.png",
    ]


def test_save_steps_refuses_an_unknown_format_before_making_the_folder(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"^save_steps: unknown file_format; got 'bmp', expected"):
        viz.save_steps(slide()[-1], tmp_path / "frames", file_format="bmp")
    assert not (tmp_path / "frames").exists()


def test_tensor_graph_steps_use_the_stored_leaf_gradient() -> None:
    np = pytest.importorskip("numpy")
    from autograd import Tensor

    W = Tensor(np.ones((3, 2), np.float32), requires_grad=True, label="W")
    loss = (Tensor(np.ones((4, 3), np.float32)) @ W).relu().sum()
    loss.backward()
    frames = viz.backward_steps(loss)
    assert len(frames) == 6  # the forward pass, then sum, relu, matmul, W, the data
    assert ["grad ?" in f.source for f in frames] == [True, True, True, True, False, False]
    titles = [title(f.source) for f in frames]
    assert titles[4] == "backward step 4/5: the gradient of W arrives: mean 4, min 4, max 4"
    assert titles[5] == "backward step 5/5: a constant tensor of shape (4, 3) gets no gradient"
    assert "not kept" in titles[1] and "the sum node" in titles[1]
    assert "grad mean 4, min 4, max 4" in frames[-1].source  # d sum(xW)/dW = x^T·1 = 4
