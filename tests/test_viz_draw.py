"""viz.draw: the lecture's (x + y)·z in both styles and all modes; fan-out, tensors, limits.

Expected numbers are the lecture's, worked by hand: f = -8, q = x + y = -2; df/dx = df/dy = z = 4,
df/dz = q = -2, df/dq = 4. DOT snapshots in tests/snapshots/viz/ were reviewed by eye once; every
snapshot test also checks the numbers on each wire against these hand-computed values.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest
from viz_corpus import slide

import viz
from autograd import Value

SNAPSHOTS = Path(__file__).parent / "snapshots" / "viz"
GREEN, RED, BLUE = "#1a7f37", "#c62828", "#1f4e9c"
HIGHLIGHT = "#ffe08a"


def colored(text: str, color: str) -> list[str]:
    """The texts drawn in ``color`` (HTML-like labels), in order."""
    return re.findall(rf'<font color="{color}"[^>]*>(.*?)</font>', text)


def node_lines(source: str) -> dict[str, str]:
    """DOT node statements by node id."""
    lines = {}
    for line in source.splitlines():
        m = re.match(r"\s*(\w+) \[", line)
        if m and "->" not in line:
            lines[m.group(1)] = line
    return lines


def wires(source: str) -> dict[str, tuple[list[str], list[str]]]:
    """For a cs231n drawing: source node's name -> (texts above its wire, texts below), per wire.

    The wire ``w`` is found from the edge ``nI -> w:p:w``; the name is the label of ``nI``
    (a leaf's name, an op's symbol). Several wires from one node get keys name#0, name#1, ...
    A node read several times has one trunk wire ``nI -> tI`` to a junction; it is found too.
    """
    nodes = node_lines(source)
    found: dict[str, tuple[list[str], list[str]]] = {}
    for src, wire in re.findall(r"\s(n\d+) -> ([wt]\w+):p:w", source):
        label = re.search(r'label=(?:"([^"]*)"|<([^<>]*)|([\w.-]+))', nodes[src])
        name = label.group(1) or label.group(2) or label.group(3)
        table = nodes[wire]
        above, _, below = table.partition('port="p"')
        key = name
        n = 0
        while key in found:
            key = f"{name}#{n}"
            n += 1
        found[key] = (colored(above, GREEN) + colored(above, BLUE), colored(below, RED))
    return found


# ---- snapshots of the slide example --------------------------------------------------------------


@pytest.mark.parametrize("style", ["cs231n", "record"])
@pytest.mark.parametrize("show", ["both", "forward", "backward"])
def test_slide_dot_matches_reviewed_snapshot(style: str, show: str) -> None:
    source = viz.dot_source(slide(), style=style, show=show)
    path = SNAPSHOTS / f"slide_{style}_{show}.dot"
    if os.environ.get("GRAFOGRAD_UPDATE_SNAPSHOTS"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source, encoding="utf-8")
    assert source == path.read_text(encoding="utf-8")


def test_cs231n_both_puts_lecture_values_above_and_gradients_below_each_wire() -> None:
    w = wires(viz.dot_source(slide(), style="cs231n", show="both"))
    assert w["x"] == (["1"], ["4"])
    assert w["y"] == (["-3"], ["4"])
    assert w["z"] == (["4"], ["-2"])
    assert w["+"] == (["-2"], ["4"])  # q = -2, df/dq = z = 4
    source = viz.dot_source(slide())
    out = node_lines(source)["wout"]
    assert colored(out, GREEN) == ["-8"] and colored(out, RED) == ["1"]
    assert "rankdir=LR" in source
    assert re.search(r"n\d+ \[label=<\+> [^\]]*shape=circle", source)
    assert re.search(r"n\d+ \[label=<×> [^\]]*shape=circle", source)  # the slide's ×, not *
    for name in "xyz":
        assert re.search(rf"n\d+ \[label=<{name}> [^\]]*shape=plaintext", source)


def test_cs231n_forward_shows_values_only() -> None:
    source = viz.dot_source(slide(), show="forward")
    w = wires(source)
    assert w["x"] == (["1"], []) and w["y"] == (["-3"], []) and w["z"] == (["4"], [])
    assert w["+"] == (["-2"], [])
    assert colored(source, RED) == []
    assert "-8" in colored(source, GREEN)


def test_cs231n_backward_writes_the_chain_rule_on_each_wire() -> None:
    w = wires(viz.dot_source(slide(), show="backward"))
    assert w["x"] == (["local 1"], ["4 × 1 = 4"])
    assert w["y"] == (["local 1"], ["4 × 1 = 4"])
    assert w["+"] == (["local 4"], ["1 × 4 = 4"])  # d(q·z)/dq = z = 4
    assert w["z"] == (["local -2"], ["1 × (-2) = -2"])  # d(q·z)/dz = q = -2


def test_record_boxes_hold_label_data_and_grad() -> None:
    source = viz.dot_source(slide(), style="record")
    for name, data, grad in (("x", "1", "4"), ("y", "-3", "4"), ("z", "4", "-2"), ("f", "-8", "1")):
        line = next(v for v in node_lines(source).values() if f"<b>{name}</b>" in v)
        assert colored(line, GREEN) == [f"data {data}"]
        assert colored(line, RED) == [f"grad {grad}"]
    q_box = next(v for v in node_lines(source).values() if "data -2" in v)
    assert colored(q_box, RED) == ["grad 4"]
    assert re.search(r"n\dop \[label=<\+>", source) and re.search(r"n\dop \[label=<×>", source)


def test_record_forward_and_backward_modes() -> None:
    fwd = viz.dot_source(slide(), style="record", show="forward")
    assert colored(fwd, RED) == [] and "data -8" in colored(fwd, GREEN)
    bwd = viz.dot_source(slide(), style="record", show="backward")
    assert colored(bwd, GREEN) == []
    assert sorted(colored(bwd, BLUE)) == ["local -2", "local 1", "local 1", "local 4"]
    assert sorted(c for c in colored(bwd, RED) if "×" in c) == [
        "1 × (-2) = -2",
        "1 × 4 = 4",
        "4 × 1 = 4",
        "4 × 1 = 4",
    ]


def test_dot_is_identical_across_three_fresh_processes() -> None:
    script = textwrap.dedent(
        """
        import viz
        from autograd import Value
        x, y, z = Value(1.0, label="x"), Value(-3.0, label="y"), Value(4.0, label="z")
        a = Value(3.0, label="a")
        f = (x + y) * z + a * a + (a * 2).tanh()
        f.backward()
        for style in ("cs231n", "record"):
            for show in ("both", "forward", "backward"):
                print(viz.dot_source(f, style=style, show=show))
        """
    )
    outputs = []
    for seed in ("0", "1", "random"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run(
            [sys.executable, "-c", script], capture_output=True, text=True, env=env, check=True
        )
        outputs.append(done.stdout)
    assert outputs[0] == outputs[1] == outputs[2]
    assert outputs[0].count("digraph {") == 6
    assert " 0x" not in outputs[0]  # no object ids


# ---- fan-out ------------------------------------------------------------------------------------


def test_square_shows_each_contribution_and_their_sum() -> None:
    a = Value(3.0, label="a")
    b = a * a
    b.backward()
    source = viz.dot_source(b, show="backward")
    nodes = node_lines(source)
    # one trunk from a to a junction, carrying the sum; one branch per use, each with its product
    assert wires(source)["a"] == ([], ["3 + 3 = 6"])  # d(a²)/da = 2a = 6
    branches = re.findall(r"\s(j\d+) -> (w\w+):p:w", source)
    assert len(branches) == 2 and len({j for j, _ in branches}) == 1
    for _, w in branches:
        assert colored(nodes[w], BLUE) == ["local 3"] and colored(nodes[w], RED) == ["1 × 3 = 3"]
    both = viz.dot_source(b, show="both")
    assert wires(both)["a"] == (["3"], ["6"])
    assert [colored(node_lines(both)[w], RED) for _, w in branches] == [["3"], ["3"]]


def test_node_used_three_times_sums_in_both_styles() -> None:
    a = Value(3.0, label="a")
    b = a * a + a  # db/da = 2a + 1 = 7
    b.backward()
    assert "3 + 3 + 1 = 7" in colored(viz.dot_source(b, show="backward"), RED)
    record_backward = colored(viz.dot_source(b, style="record", show="backward"), RED)
    assert "3 + 3 + 1 = 7" in record_backward and "grad 7" in record_backward
    record_both = viz.dot_source(b, style="record", show="both")
    a_box = next(v for v in node_lines(record_both).values() if "<b>a</b>" in v)
    assert colored(a_box, RED) == ["grad 7"]


def test_constant_operand_is_written_into_its_gate_as_on_the_slides() -> None:
    x = Value(2.0, label="x")
    f = (1 / (x + 1)) * 0.5 - 3  # 1/x, +1, ×0.5, -3 gates
    f.backward()
    source = viz.dot_source(f)
    for gate in ("+1", "1/x", "×0.5", "-3"):
        assert re.search(rf"n\d+ \[label=<{re.escape(gate)}> [^\]]*shape=circle", source), gate
    assert not re.search(r"n\d+ \[label=<(1|0.5|3)> ", source)  # no separate constant leaves
    assert wires(source)["x"] == (["2"], ["-0.05556"])  # d/dx 0.5/(x+1) = -0.5/9


def test_an_unnamed_leaf_read_twice_shows_its_number() -> None:
    c = Value(2.0)
    f = c * c
    f.backward()
    source = viz.dot_source(f)
    assert re.search(r"n\d+ \[label=<2> fontsize=16 [^\]]*shape=plaintext", source)
    assert wires(source)["2"] == (["2"], ["4"])


def test_top_to_bottom_layout_uses_vertical_wires() -> None:
    source = viz.dot_source(slide(), rankdir="TB")
    assert "rankdir=TB" in source and ":p:n" in source and ":p:s" in source
    assert wires(source.replace(":p:n", ":p:w"))["z"] == (["4"], ["-2"])


def test_number_format_keeps_four_significant_digits() -> None:
    x = Value(1.5e-05, label="x")
    w = Value(0.25, label="w")
    f = x * w + Value(12345.678, label="c")
    source = viz.dot_source(f, show="forward")
    shown = colored(source, GREEN)
    assert "0.000015" in shown and "0.25" in shown and "12346" in shown  # never 1.235e+04
    assert "e+" not in source and "e-0" not in source
    two = colored(viz.dot_source(f, show="forward", digits=2), GREEN)
    assert "0.000015" in two and "0.25" in two and "12346" in two


# ---- options and errors -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("option", "value"),
    [("style", "fancy"), ("show", "all"), ("rankdir", "UP"), ("collapse", "layers")],
)
def test_unknown_option_is_named(option: str, value: str) -> None:
    with pytest.raises(ValueError, match=rf"draw: unknown {option}; got '{value}'"):
        viz.draw(slide(), **{option: value})


def test_root_must_be_a_node() -> None:
    with pytest.raises(TypeError, match="draw: root must be a graph node"):
        viz.draw(3.0)
    with pytest.raises(ValueError, match="max_nodes must be a positive int"):
        viz.draw(slide(), max_nodes=0)


def test_draw_returns_a_graphviz_digraph() -> None:
    graphviz = pytest.importorskip("graphviz")
    g = viz.draw(slide())
    assert isinstance(g, graphviz.Digraph)
    assert g.source == viz.dot_source(slide())


# ---- large graphs -------------------------------------------------------------------------------


def test_30000_node_graph_is_summarised_with_a_note_naming_max_nodes() -> None:
    x, w = Value(1.0, label="x"), Value(1.0, label="w")
    s = x
    for _ in range(29_998):
        s = s * w
    # 29,998 products + 2 leaves = 30,000 nodes
    with pytest.warns(
        UserWarning,
        match="30000 nodes, more than max_nodes=500 and 500 of them would make a drawing",
    ):
        source = viz.dot_source(s)  # 500 nodes of a chain would be ~50,000 px long: cut further
    drawn = [k for k in node_lines(source) if re.fullmatch(r"n\d+", k)]
    assert 10 < len(drawn) < 500
    assert f"{30_000 - len(drawn)} more nodes not drawn: the drawing would be too big" in source
    assert "max_nodes=None draws them all" in source
    assert len(source) < 1_000_000
    with pytest.warns(UserWarning, match="max_nodes=40"):
        small = viz.dot_source(s, style="record", max_nodes=40)
    assert "29960 more nodes not drawn (max_nodes=40)" in small
    with pytest.raises(ValueError, match="more than max_nodes=100"):
        viz.backward_steps(s)


def test_graph_at_the_limit_draws_all_without_warning(recwarn: pytest.WarningsRecorder) -> None:
    viz.dot_source(slide(), max_nodes=5)
    assert not recwarn.list


# ---- tensor graphs through the protocol (a minimal node class) ----------------------------------


class FakeTensor:
    """The node protocol as a Tensor follows it: array data, grad array or None, no local_grads."""

    local_grads = None

    def __init__(self, data, op="", parents=(), label="", scope="", grad=None):
        self.data, self.op, self.parents = np.asarray(data), op, tuple(parents)
        self.label, self.scope, self.grad = label, scope, grad


def fake_mlp() -> FakeTensor:
    x = FakeTensor(np.ones((4, 3), dtype=np.float32), label="x")
    w1 = FakeTensor(np.full((3, 5), 0.5, np.float32), label="fc1.weight", grad=np.ones((3, 5)))
    b1 = FakeTensor(np.zeros(5, np.float32), label="fc1.bias", grad=np.full(5, 2.0))
    h = FakeTensor(np.full((4, 5), 1.5, np.float32), "matmul", (x, w1), scope="fc1")
    h = FakeTensor(np.full((4, 5), 1.5, np.float32), "+", (h, b1), scope="fc1")
    h = FakeTensor(np.full((4, 5), 1.5, np.float32), "relu", (h,), scope="fc1")
    w2 = FakeTensor(np.full((5, 2), -1.0, np.float32), label="fc2.weight")
    o = FakeTensor(np.full((4, 2), -7.5, np.float32), "matmul", (h, w2), scope="fc2")
    return FakeTensor(np.array(56.25, np.float32), "mean", (o,), label="loss")


def test_tensor_nodes_show_op_shape_dtype_and_a_value_summary() -> None:
    source = viz.dot_source(fake_mlp())
    assert source.count("<b>matmul</b>") == 2 and "<b>relu</b>" in source
    assert "(4, 3) float32" in source and "(3, 5) float32" in source and "() float32" in source
    assert "<b>fc1.weight</b>" in source and "<b>fc2.weight</b>" in source
    assert "mean 1.5, min 1.5, max 1.5" in source  # the hidden activations, 20 elements
    assert "grad [2, 2, 2, 2]" not in source and "grad mean 2, min 2, max 2" in source
    assert "56.25" in source
    forward = viz.dot_source(fake_mlp(), style="record", show="forward")
    assert "grad" not in forward and "(4, 2) float32" in forward


def test_collapse_modules_draws_one_box_per_layer() -> None:
    source = viz.dot_source(fake_mlp(), collapse="modules")
    boxes = re.findall(r"<b>(fc\d)</b>", source)
    assert boxes == ["fc1", "fc2"]
    fc1 = node_lines(source)[next(k for k, v in node_lines(source).items() if "<b>fc1</b>" in v)]
    assert "5 nodes: matmul, +, relu" in fc1  # 3 ops and the 2 parameters
    assert "<b>weight</b>" in fc1 and "<b>bias</b>" in fc1 and "out (4, 5) float32" in fc1
    assert "<b>relu</b>" not in source  # the ops live inside their box
    assert re.search(r"\bm\d+ -> m\d+\b", source)  # fc1 feeds fc2
    assert "<b>x</b>" in source and "<b>mean</b>" in source  # outside any module: own nodes


def test_collapse_modules_summarises_past_max_nodes() -> None:
    x = FakeTensor(np.zeros(2), label="x")
    node = x
    for i in range(50):
        node = FakeTensor(np.zeros(2), "relu", (node,), scope=f"layer{i}")
    with pytest.warns(UserWarning, match="max_nodes=10"):
        source = viz.dot_source(node, collapse="modules", max_nodes=10)
    assert source.count("<b>ReLU</b>") == 10  # each box titled by its layer, its path below
    assert len(re.findall(r">layer\d+</font>", source)) == 10
    assert "41 more nodes not drawn (max_nodes=10)" in source


# ---- real tensors and nn modules ----------------------------------------------------------------


def test_real_tensor_graph_shows_shapes_and_parameter_names() -> None:
    from autograd import Tensor

    W = Tensor(np.arange(6.0, dtype=np.float32).reshape(3, 2), requires_grad=True, label="W")
    x = Tensor(np.ones((4, 3), dtype=np.float32), requires_grad=True, label="x")
    loss = (x @ W).relu().sum()
    loss.backward()
    source = viz.dot_source(loss)
    assert "<b>W</b>" in source and "(3, 2) float32" in source and "(4, 2) float32" in source
    assert "<b>relu</b>" in source and "() float32" in source
    # every xW entry is positive, so d sum(relu(xW))/dW = x^T·1 = 4 and d/dx = 1·W^T = row sums
    assert "grad mean 4, min 4, max 4" in source
    assert "grad mean 5, min 1, max 9" in source


def test_nn_module_scopes_collapse_into_layer_boxes() -> None:
    nn = pytest.importorskip("nn")
    from autograd import Tensor

    if not hasattr(nn, "Sequential") or not hasattr(nn, "Linear"):
        pytest.skip("nn.Sequential / nn.Linear not available yet")
    model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2))
    out = model(Tensor(np.ones((5, 3), dtype=np.float32))).sum()
    out.backward()
    source = viz.dot_source(out, collapse="modules")
    boxes = re.findall(r"<b>(.*?)</b>", source)
    assert {"Linear 3→4", "ReLU", "Linear 4→2"} <= set(boxes)  # as PyTorch's repr names them
    assert '<font color="#6b6b6b">0</font>' in source  # the module's path, as a subtitle
    assert "weight" in source and "(4, 3) float32" in source


def test_scalar_mlp_collapses_weights_into_layers_and_keeps_inputs_outside() -> None:
    scalar = pytest.importorskip("nn.scalar")
    net = scalar.MLP(2, [3, 1])
    x1, x2 = Value(1.0, label="x1"), Value(-1.0, label="x2")
    out = net([x1, x2])
    out.backward()
    source = viz.dot_source(out, collapse="modules")
    lines = node_lines(source)
    boxes = {
        re.search(r"<b>(layers\.\d)</b>", v).group(1): k
        for k, v in lines.items()
        if "<b>layers." in v
    }
    assert sorted(boxes) == ["layers.0", "layers.1"]
    first = lines[boxes["layers.0"]]
    assert "Σ x3, relu x3" in first and "3 outputs" in first  # 3 neurons, each Σ then relu
    assert "<b>w[1]_11</b>" in first and "<b>b[1]_1</b>" in first
    inputs = [k for k, v in lines.items() if "<b>x1</b>" in v or "<b>x2</b>" in v]
    assert len(inputs) == 2 and all(k.startswith("n") for k in inputs)  # each its own node
    for k in inputs:
        assert f"{k} -> {boxes['layers.0']}" in source
    assert f"{boxes['layers.0']} -> {boxes['layers.1']}" in source


# ---- lecture-grade drawings ---------------------------------------------------------------------


def test_gradients_before_backward_are_question_marks_not_zeros() -> None:
    x, y = Value(1.0, label="x"), Value(-3.0, label="y")
    f = x * y
    for style in ("cs231n", "record"):
        reds = colored(viz.dot_source(f, style=style), RED)
        assert reds and all("?" in text for text in reds), reds
    f.backward()
    assert "?" not in "".join(colored(viz.dot_source(f), RED))
    f.zero_grad()  # zero_grad clears the gradients: again nothing computed
    assert all("?" in text for text in colored(viz.dot_source(f), RED))


def test_gates_are_written_as_on_the_cs231n_slide() -> None:
    w0, x0, w1, x1, w2 = (
        Value(v, label=n)
        for v, n in zip((2.0, -1.0, -3.0, -2.0, -3.0), ("w0", "x0", "w1", "x1", "w2"), strict=True)
    )
    f = 1 / (1 + (-(w0 * x0 + w1 * x1 + w2)).exp())
    f.backward()
    source = viz.dot_source(f, digits=2)
    gates = re.findall(r"\[label=<([^>]+)> [^\]]*shape=circle", source)
    assert sorted(gates) == sorted(["×", "×", "+", "+", "×(-1)", "exp", "+1", "1/x"])
    assert "*" not in "".join(gates) and "/" not in gates
    # CS231n's numbers at two digits: f = 0.73, df/dw0 = -0.2, df/dx0 = 0.39
    assert "0.73" in colored(source, GREEN)
    assert {"-0.2", "0.39", "-0.39", "-0.59"} <= set(colored(source, RED))


def test_sigmoid_and_square_gates_use_math_notation() -> None:
    x = Value(0.5, label="x")
    f = (x**2).sigmoid() + x**-1
    f.backward()
    gates = re.findall(r"\[label=<([^>]+)> [^\]]*shape=circle", viz.dot_source(f))
    assert {"x²", "σ", "x⁻¹"} <= set(gates)


def test_labels_with_control_characters_render_literally() -> None:
    pytest.importorskip("graphviz")
    from viz.render import find_renderer, render_bytes

    if find_renderer() is None:
        pytest.skip("no Graphviz renderer")
    a = Value(1.0, label="a\x01b\tc\rd \\N \\G <b>&")
    f = a * 2
    f.label = "out\x02"
    f.backward()
    for style in ("cs231n", "record"):
        svg = render_bytes(viz.dot_source(f, style=style), "svg").decode()
        texts = "".join(re.findall(r"<text[^>]*>([^<]*)</text>", svg))
        # Graphviz would drop the tab, and replace \N and \G by the node's and graph's names
        shown = texts.replace("\u2060", "")  # a word joiner keeps \N from being expanded
        assert "a\\x01b\\tc\\rd \\N \\G &lt;b&gt;&amp;" in shown
        assert "out\\x02" in shown


def test_a_scalar_mlp_draws_one_frame_per_neuron_or_per_layer() -> None:
    import autograd
    import nn

    autograd.manual_seed(0)
    net = nn.scalar.MLP(2, [3, 1])
    loss = (net([Value(0.5, label="x1"), Value(-1.0, label="x2")]) - 1.0) ** 2
    loss.backward()
    neurons = viz.dot_source(loss)
    assert neurons.count("subgraph cluster_") == 4  # 3 hidden neurons and the output neuron
    assert "w[1]_21" in neurons and "b[2]_1" in neurons
    layers = viz.dot_source(loss, cluster="layer")
    assert layers.count("subgraph cluster_") == 2
    assert "label=<layers.0>" in layers
    assert "subgraph" not in viz.dot_source(loss, cluster=None)


def test_a_wide_network_is_summarised_never_a_58000_px_image() -> None:
    import autograd
    import nn

    autograd.manual_seed(0)
    net = nn.scalar.MLP(2, [16, 16, 1])
    out = net([Value(0.5, label="x1"), Value(-1.0, label="x2")])
    out.backward()
    with pytest.warns(UserWarning, match="would make a drawing .* px.* max_nodes=None"):
        source = viz.dot_source(out)  # 404 nodes: under max_nodes, far over a slide
    assert "more nodes not drawn" in source and "max_nodes=None draws them all" in source
    drawn = [k for k in node_lines(source) if re.fullmatch(r"n\d+", k)]
    assert 10 < len(drawn) < 404
    every = viz.dot_source(out, max_nodes=None)  # asked for: drawn whole
    assert len([k for k in node_lines(every) if re.fullmatch(r"n\d+", k)]) == 404 - 0


def test_orientation_is_chosen_to_fit_and_size_options_reach_graphviz() -> None:
    x1, x2, y = Value(0.5, label="x1"), Value(-1.0, label="x2"), Value(1.0, label="y")
    w = [Value(v, label=n) for v, n in ((0.1, "w10"), (0.4, "w11"), (-0.3, "w12"), (0.2, "w20"))]
    e = 0.5 * (y - (w[3] + 0.7 * (w[0] + w[1] * x1 + w[2] * x2).tanh()).sigmoid()) ** 2
    e.backward()
    assert "rankdir=LR" in viz.dot_source(slide())
    assert "rankdir=TB" in viz.dot_source(e, show="backward")  # too wide from left to right
    assert "rankdir=LR" in viz.dot_source(e, show="backward", rankdir="LR")  # as asked
    assert "rankdir=LR" in viz.dot_source(e, show="backward", max_width=None)
    assert 'size="20,1000"' in viz.dot_source(slide())  # scaled down only past 1920 px
    assert 'size="4,3"' in viz.dot_source(slide(), size=(4, 3))
    assert 'size="4.5,3"' in viz.dot_source(slide(), size="4.5,3")
    assert ' size="' not in viz.dot_source(slide(), max_width=None)
    with pytest.raises(ValueError, match=r"draw: size must be \(width, height\) in inches"):
        viz.draw(slide(), size=(4, -1))
    with pytest.raises(ValueError, match="draw: digits must be an int from 1 to 17"):
        viz.draw(slide(), digits=0)
    with pytest.raises(TypeError, match="backward_steps: unknown option 'colour'"):
        viz.backward_steps(slide(), colour="red")


@pytest.mark.parametrize("digits", [2, 3, 4])
def test_shown_factors_multiply_to_the_shown_product(digits: int) -> None:
    from viz.labels import fmt, number, product

    rng = np.random.default_rng(digits)
    for a, b in rng.normal(0, 3, size=(300, 2)) * 10.0 ** rng.integers(-3, 3, size=(300, 2)):
        text = product(a, b, digits)
        left, result = text.split(" = ")
        fa, fb = (number(t.strip("()")) for t in left.split(" × "))
        assert result == fmt(a * b, digits), text  # the result is from the unrounded factors
        assert fmt(fa * fb, digits) == result, text  # and the shown factors give it
        assert "e" not in text  # never 1.5e-08
