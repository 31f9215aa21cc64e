"""viz on tensor networks: module boxes titled by their layer (read from real `nn` graphs), the loss
as one box, ``show="shapes"`` for architecture slides, and LeNet drawings that fit a slide.

Expected titles are what PyTorch's repr names each layer, worked out from the layers' arguments:
``Conv2d(1, 6, 5)`` has weight (6, 1, 5, 5), so its box reads ``Conv2d 1→6, 5×5``.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

import autograd
import nn
import viz
from autograd import Tensor
from viz.labels import fmt
from viz.modules import preferred_rankdir
from viz.trace import Trace

GREEN, RED = "#1a7f37", "#c62828"
SLIDE_WIDTH = 1920  # px at 96 dpi

LENET_TITLES = [
    "Conv2d 1→6, 5×5", "ReLU", "MaxPool2d",
    "Conv2d 6→16, 5×5", "ReLU", "MaxPool2d",
    "Flatten", "Linear 784→120", "ReLU", "Linear 120→84", "ReLU", "Linear 84→10",
    "CrossEntropyLoss",
]  # fmt: skip
LENET_PATHS = [
    "features.0", "features.1", "features.2", "features.3", "features.4", "features.5",
    "classifier.0", "classifier.1", "classifier.2", "classifier.3", "classifier.4",
    "classifier.5",
]  # fmt: skip


def lenet_loss(batch: int = 4) -> Tensor:
    """LeNet-5 on a batch of 28×28 images with a cross-entropy loss, after backward."""
    autograd.manual_seed(0)
    net = nn.LeNet(input_size=28)
    rng = np.random.default_rng(0)
    x = Tensor(rng.random((batch, 1, 28, 28), dtype=np.float32), label="x")
    loss = nn.CrossEntropyLoss()(net(x), rng.integers(0, 10, batch))
    loss.backward()
    return loss


def boxes(source: str) -> list[str]:
    """The DOT statements of the module boxes (ids ``m<k>``), in drawing order."""
    return [line for line in source.splitlines() if re.match(r"\s*m\d+ \[label=", line)]


def title(box: str) -> str:
    """A box's title: its first bold text."""
    return re.search(r"<b>(.*?)</b>", box).group(1)


def colored(text: str, color: str) -> list[str]:
    return re.findall(rf'<font color="{color}"[^>]*>(.*?)</font>', text)


def svg_size_px(path: Path) -> tuple[float, float]:
    """Width and height of a rendered SVG in pixels at 96 dpi (Graphviz writes points)."""
    found = re.search(r'<svg width="([\d.]+)pt" height="([\d.]+)pt"', path.read_text("utf-8"))
    return float(found.group(1)) * 96 / 72, float(found.group(2)) * 96 / 72


# ---- titles --------------------------------------------------------------------------------------


def test_lenet_boxes_are_titled_by_their_layers_with_the_path_as_subtitle() -> None:
    source = viz.dot_source(lenet_loss(), collapse="modules")
    found = boxes(source)
    assert [title(b) for b in found] == LENET_TITLES
    for box, path in zip(found, LENET_PATHS, strict=False):
        assert f'<font color="#6b6b6b">{path}</font>' in box
    conv = found[0]
    assert "<b>weight</b>" in conv and "(6, 1, 5, 5) float32" in conv
    assert "<b>bias</b>" in conv and "(6,) float32" in conv
    assert "out (4, 6, 28, 28) float32" in conv
    assert "nodes:" not in source  # a recognised layer needs no list of its ops


def test_hand_made_sequential_names_each_layer() -> None:
    autograd.manual_seed(1)
    model = nn.Sequential(
        nn.Conv2d(3, 8, 3, padding=1), nn.Tanh(), nn.AvgPool2d(2), nn.Flatten(),
        nn.Dropout(0.25), nn.Linear(8 * 4 * 4, 5, bias=False), nn.Sigmoid(),
    )  # fmt: skip
    x = Tensor(np.random.default_rng(1).random((2, 3, 8, 8), dtype=np.float32), label="x")
    loss = nn.MSELoss()(model(x), Tensor(np.zeros((2, 5), np.float32)))
    loss.backward()
    found = boxes(viz.dot_source(loss, collapse="modules"))
    assert [title(b) for b in found] == [
        "Conv2d 3→8, 3×3", "Tanh", "AvgPool2d", "Flatten", "Dropout p=0.25",
        "Linear 128→5, no bias", "Sigmoid", "MSELoss",
    ]  # fmt: skip
    assert '<font color="#6b6b6b">4</font>' in found[4]  # the path "4"


def test_pool_title_claims_no_window_the_graph_does_not_record() -> None:
    # a 2x2 window with stride 2 and a 3x3 window with stride 2 both take 7 -> 3
    for pool in (nn.MaxPool2d(2), nn.MaxPool2d(3, stride=2)):
        x = Tensor(np.ones((1, 2, 7, 7), np.float32), requires_grad=True, label="x")
        out = nn.Sequential(pool)(x).sum()
        assert title(boxes(viz.dot_source(out, collapse="modules"))[0]) == "MaxPool2d"


class Affine(nn.Module):
    """A layer of no `nn` class: x @ W + b."""

    def __init__(self) -> None:
        super().__init__()
        self.weight = Tensor(np.ones((3, 2), np.float32), requires_grad=True)
        self.bias = Tensor(np.zeros(2, np.float32), requires_grad=True)

    def forward(self, x: Tensor) -> Tensor:
        return x @ self.weight + self.bias


def test_a_module_no_layer_fits_keeps_its_path_and_ops_as_title() -> None:
    out = nn.Sequential(Affine(), nn.ReLU())(Tensor(np.ones((4, 3), np.float32))).sum()
    found = boxes(viz.dot_source(out, collapse="modules"))
    assert [title(b) for b in found] == ["0", "ReLU"]
    assert "4 nodes: matmul, +" in found[0]


# ---- the loss box --------------------------------------------------------------------------------


def test_cross_entropy_is_one_box_with_its_ops_and_value() -> None:
    loss = lenet_loss()
    source = viz.dot_source(loss, collapse="modules")
    box = boxes(source)[-1]
    assert title(box) == "CrossEntropyLoss"
    assert "log_softmax → getitem → neg → mean" in box
    assert colored(box, GREEN) == [fmt(loss.item())]
    assert "<b>log_softmax</b>" not in source and "<b>mean</b>" not in source


@pytest.mark.parametrize(
    ("loss_fn", "target", "probs", "name"),
    [
        (nn.MSELoss(), np.zeros((4, 3), np.float32), False, "MSELoss"),
        (nn.L1Loss(reduction="sum"), np.zeros((4, 3), np.float32), False, "L1Loss"),
        (nn.BCELoss(), np.ones((4, 3), np.float32), True, "BCELoss"),
        (nn.BCEWithLogitsLoss(), np.ones((4, 3), np.float32), False, "BCEWithLogitsLoss"),
        (nn.HingeLoss(), -np.ones((4, 3), np.float32), False, "HingeLoss"),
        (nn.CrossEntropyLoss(), np.array([0, 1, 2, 0]), False, "CrossEntropyLoss"),
        (nn.CrossEntropyLoss(), np.eye(3, dtype=np.float32)[[0, 1, 2, 0]], False,
         "CrossEntropyLoss"),
    ],
)  # fmt: skip
def test_each_loss_is_recognised_by_its_ops(loss_fn, target, probs, name) -> None:
    autograd.manual_seed(0)
    layers = [nn.Linear(4, 3)] + ([nn.Sigmoid()] if probs else [])
    pred = nn.Sequential(*layers)(Tensor(np.ones((4, 4), np.float32), label="x"))
    target = target if target.dtype.kind == "i" else Tensor(target)
    found = boxes(viz.dot_source(loss_fn(pred, target), collapse="modules"))
    assert title(found[-1]) == name


def test_ops_that_are_no_loss_stay_single_nodes() -> None:
    pred = nn.Sequential(nn.Linear(4, 3))(Tensor(np.ones((4, 4), np.float32), label="x"))
    unreduced = nn.CrossEntropyLoss(reduction="none")(pred, np.array([0, 1, 2, 0]))
    source = viz.dot_source(unreduced, collapse="modules")
    assert "CrossEntropyLoss" not in source and "<b>log_softmax</b>" in source
    square = viz.dot_source((pred * pred).mean(), collapse="modules")
    assert [title(b) for b in boxes(square)] == ["Linear 4→3"]
    assert "<b>*</b>" in square and "<b>mean</b>" in square


# ---- shapes mode ---------------------------------------------------------------------------------


def test_shapes_mode_shows_titles_and_shapes_but_no_values_or_gradients() -> None:
    loss = lenet_loss()
    source = viz.dot_source(loss, collapse="modules", show="shapes")
    assert colored(source, GREEN) == [] and colored(source, RED) == []
    assert "grad" not in source and "mean 0" not in source
    found = boxes(source)
    assert [title(b) for b in found] == LENET_TITLES
    assert "<b>weight</b> <font" in found[0] and ">(6, 1, 5, 5)</font>" in found[0]
    assert ">out (4, 6, 28, 28)</font>" in found[0]
    assert ">out (4, 10)</font>" in found[-2] and ">out ()</font>" in found[-1]


def test_plain_tensor_graph_in_shapes_mode_shows_op_shape_and_dtype_only() -> None:
    source = viz.dot_source(lenet_loss(), show="shapes")
    assert colored(source, GREEN) == [] and colored(source, RED) == []
    assert "<b>conv2d</b>" in source and "(4, 6, 28, 28) float32" in source
    assert "<b>features.0.weight</b>" in source and "(6, 1, 5, 5) float32" in source


# ---- orientation and size ------------------------------------------------------------------------


def test_preferred_rankdir_is_top_to_bottom_for_lenet_and_left_to_right_for_a_small_mlp() -> None:
    lenet = Trace(lenet_loss())
    assert preferred_rankdir(lenet, "modules") == "TB"
    assert preferred_rankdir(lenet, "modules", show="shapes") == "TB"
    assert preferred_rankdir(lenet, None) == "TB"
    autograd.manual_seed(0)
    mlp = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 3))
    x = Tensor(np.random.default_rng(0).random((5, 4), dtype=np.float32), label="x")
    loss = nn.CrossEntropyLoss()(mlp(x), np.array([0, 1, 2, 0, 1]))
    loss.backward()
    assert preferred_rankdir(Trace(loss), "modules") == "LR"


def test_top_to_bottom_boxes_share_column_widths() -> None:
    source = viz.dot_source(lenet_loss(), collapse="modules", rankdir="TB")
    columns = [re.findall(r'<td width="(\d+)"', box) for box in boxes(source)]
    assert all(len(c) == 3 for c in columns)  # title | parameters | output
    assert len({tuple(c) for c in columns}) == 1  # the same widths in every box: a table
    left_to_right = viz.dot_source(lenet_loss(), collapse="modules", rankdir="LR")
    assert '<td width="' not in left_to_right  # there each box is one column of rows


needs_renderer = pytest.mark.skipif(viz.find_renderer() is None, reason="no Graphviz renderer")


@needs_renderer
@pytest.mark.parametrize("show", ["both", "shapes"])
def test_lenet_module_drawing_fits_a_slide_width(show: str, tmp_path: Path) -> None:
    g = viz.draw(lenet_loss(), collapse="modules", show=show, max_width=None)  # no scaling
    assert "rankdir=TB" in g.source
    width, _ = svg_size_px(viz.save(g, tmp_path / "lenet.svg"))
    assert width <= SLIDE_WIDTH


@needs_renderer
def test_lenet_tensor_graph_drawn_top_to_bottom_fits_a_slide_width(tmp_path: Path) -> None:
    g = viz.draw(lenet_loss(), rankdir="TB", max_width=None)
    width, height = svg_size_px(viz.save(g, tmp_path / "lenet_ops.svg"))
    assert width <= SLIDE_WIDTH
    assert height > width  # the ops run down one line, parameters beside them
