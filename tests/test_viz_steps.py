"""viz.backward_steps, save_steps and play: one frame per node in reverse topological order.

Expected gradients are the lecture's, by hand: df/dx = df/dy = 4, df/dz = -2, df/dq = 4.
"""

from __future__ import annotations

import re
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import viz
from autograd import Value

HIGHLIGHT = "#ffe08a"


def slide(backward: bool = True) -> tuple[Value, ...]:
    x, y, z = Value(1.0, label="x"), Value(-3.0, label="y"), Value(4.0, label="z")
    q = x + y
    f = q * z
    f.label = "f"
    if backward:
        f.backward()
    return x, y, z, q, f


def highlighted(source: str) -> list[str]:
    """Ids of the nodes drawn as the current step."""
    return [m.group(1) for m in re.finditer(r"\t(n\w+) \[[^\n]*" + HIGHLIGHT, source)]


def parents_by_id(source: str) -> dict[str, set[str]]:
    """Node id -> ids of its parents, read from the wires ``nI -> w:p:w`` / ``w:p:e -> nJ``."""
    into: dict[str, str] = {}
    for wire, target in re.findall(r"\t(w\w+):p:e -> (n\d+)", source):
        into[wire] = target
    result: dict[str, set[str]] = {}
    for src, wire in re.findall(r"\t(n\d+) -> (w\w+):p:w", source):
        if wire in into:
            result.setdefault(into[wire], set()).add(src)
    return result


def test_one_frame_per_node_first_with_question_marks_last_without() -> None:
    frames = viz.backward_steps(slide()[-1])
    assert len(frames) == 5  # x, y, q, z, f
    assert "?" in frames[0].source
    assert all("?" not in line for line in frames[-1].source.splitlines())
    unknown = [f.source.count(">?<") for f in frames]
    assert unknown == sorted(unknown, reverse=True) and unknown[-1] == 0


def test_frames_follow_reverse_topological_order_highlighting_one_node_each() -> None:
    frames = viz.backward_steps(slide()[-1])
    current = [highlighted(f.source) for f in frames]
    assert all(len(c) == 1 for c in current)
    order = [c[0] for c in current]
    assert len(set(order)) == 5
    parents = parents_by_id(frames[0].source)
    for step, node in enumerate(order):  # every consumer of a node comes before it
        consumers = [n for n, ps in parents.items() if node in ps]
        assert all(order.index(c) < step for c in consumers)
    assert order[0] == "n4"  # the root first


def test_each_step_reveals_the_lecture_gradient() -> None:
    frames = viz.backward_steps(slide()[-1])
    titles = [re.search(r"label=\"(backward step [^\"]*)\"", f.source).group(1) for f in frames]
    assert titles == [
        "backward step 1/5: df/df = 1 (the seed)",
        "backward step 2/5: z.grad = -2",
        "backward step 3/5: grad of the + node = 4",
        "backward step 4/5: y.grad = 4",
        "backward step 5/5: x.grad = 4",
    ]


def test_steps_replay_the_chain_rule_without_touching_grads() -> None:
    x, y, z, q, f = slide(backward=False)
    frames = viz.backward_steps(f)
    assert (x.grad, y.grad, z.grad, q.grad, f.grad) == (0.0, 0.0, 0.0, 0.0, 0.0)
    assert frames[-1].source.count('<font color="#c62828">4</font>') == 3  # x, y and q wires
    assert '<font color="#c62828">-2</font>' in frames[-1].source


def test_fan_out_step_shows_every_contribution_then_the_sum() -> None:
    a = Value(3.0, label="a")
    b = a * a + a
    frames = viz.backward_steps(b, show="backward")
    assert "a.grad = 3 + 3 + 1 = 7" in frames[-1].source  # 2a + 1 at a = 3
    assert "? + ? + 1 = ?" in frames[0].source  # only the root's contribution is known


def test_record_style_steps_show_unknown_grads() -> None:
    frames = viz.backward_steps(slide()[-1], style="record")
    assert "grad ?" in frames[0].source and "grad ?" not in frames[-1].source
    assert highlighted(frames[2].source) == ["n2", "n2op"]  # the + box and its op node


def test_steps_refuse_forward_mode_and_large_graphs() -> None:
    with pytest.raises(ValueError, match="show='forward' hides the gradients"):
        viz.backward_steps(slide()[-1], show="forward")
    with pytest.raises(ValueError, match="5 nodes, more than max_nodes=3"):
        viz.backward_steps(slide()[-1], max_nodes=3)


def test_save_steps_writes_numbered_frames(tmp_path: Path) -> None:
    paths = viz.save_steps(slide()[-1], tmp_path / "frames")
    assert [p.name for p in paths] == [f"step_0{i}.svg" for i in range(5)]
    first = ET.parse(paths[0]).getroot()
    texts = ["".join(t.itertext()) for t in first.iter() if t.tag.endswith("text")]
    assert "?" in texts
    last = ET.parse(paths[-1]).getroot()
    assert "?" not in ["".join(t.itertext()) for t in last.iter() if t.tag.endswith("text")]


def test_play_returns_a_slider_widget_over_the_frames() -> None:
    widgets = pytest.importorskip("ipywidgets")
    box = viz.play(slide()[-1])
    assert isinstance(box, widgets.VBox)
    controls, picture = box.children
    player, slider = controls.children
    assert (slider.min, slider.max, player.max) == (0, 4, 4)
    assert "<svg" in picture.value and ">?<" in picture.value
    slider.value = 4
    assert "backward step 5/5" in picture.value and ">?<" not in picture.value


def test_play_without_ipywidgets_displays_every_frame_in_order(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    display_module = pytest.importorskip("IPython.display")
    shown: list = []
    monkeypatch.setitem(sys.modules, "ipywidgets", None)  # import raises ImportError
    monkeypatch.setattr(display_module, "display", shown.append)
    assert viz.play(slide()[-1]) is None
    assert len(shown) == 5
    assert [highlighted(f.source) for f in shown] == [["n4"], ["n3"], ["n2"], ["n1"], ["n0"]]


def test_tensor_graph_steps_use_the_stored_leaf_gradient() -> None:
    np = pytest.importorskip("numpy")
    from autograd import Tensor

    W = Tensor(np.ones((3, 2), np.float32), requires_grad=True, label="W")
    loss = (Tensor(np.ones((4, 3), np.float32)) @ W).relu().sum()
    loss.backward()
    frames = viz.backward_steps(loss)
    assert len(frames) == 5  # the data, W, matmul, relu, sum
    assert ["grad ?" in f.source for f in frames] == [True, True, True, False, False]
    assert "a constant tensor of shape (4, 3) gets no gradient" in frames[-1].source
    assert "grad mean 4, min 4, max 4" in frames[-1].source  # d sum(xW)/dW = x^T·1 = 4
    assert "W receives its gradient" in frames[-2].source
