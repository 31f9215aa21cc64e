"""nn.Module's one walk over what a module holds: names, order and containers, checked against
hand-written expectations and against the same model built with PyTorch's containers."""

from __future__ import annotations

import numpy as np
import pytest

import nn
from autograd import Tensor, Value


class Block(nn.Module):
    """Two parameters and a buffer, as a BatchNorm-like layer holds them."""

    def __init__(self, width: int = 2) -> None:
        super().__init__()
        self.weight = nn.Parameter(Tensor(np.ones((width, width))))
        self.bias = nn.Parameter(Tensor(np.zeros(width)))
        self.register_buffer("running", Tensor(np.zeros(width)))

    def forward(self, x):
        return x @ self.weight + self.bias


class Nested(nn.Module):
    """Parameters and modules in lists, tuples and dicts, nested, with str and int keys."""

    def __init__(self) -> None:
        super().__init__()
        self.scale = Value(2.0)
        self.stages = [Block(), (Block(), [Value(1.0), Value(-1.0)])]
        self.table = {"first": Block(), 7: nn.Parameter(Tensor([3.0])), "deep": {"x": Block()}}
        self.plain = Tensor([1.0])  # no grad: not a parameter
        self.result = Value(1.0) * 2  # not a leaf: not a parameter

    def forward(self, x):
        return x


# the names an independent reading of the attributes gives: own parameters in attribute order,
# containers entry by entry, then each sub-module (depth first, in the order they were found)
OWN = ["scale", "stages.1.1.0", "stages.1.1.1", "table.7"]
CHILDREN = ["stages.0", "stages.1.0", "table.first", "table.deep.x"]


def test_members_children_and_parameters_in_attribute_order():
    model = Nested()
    assert [name for name, _ in model.named_children()] == CHILDREN
    assert [name for name, _ in model.named_modules()] == ["", *CHILDREN]
    expected = OWN + [f"{child}.{p}" for child in CHILDREN for p in ("weight", "bias")]
    named = list(model.named_parameters())
    assert [name for name, _ in named] == expected
    assert model.parameters() == [p for _, p in named]  # the same objects, in the same order
    assert [name for name, _ in model.named_parameters(recurse=False)] == OWN
    assert model.table[7] is dict(named)["table.7"]
    assert model.num_parameters() == 1 + 2 + 1 + 4 * (4 + 2)


def test_state_dict_each_module_parameters_then_buffers():
    model = Nested()
    per_child = [f"{c}.{k}" for c in CHILDREN for k in ("weight", "bias", "running")]
    assert list(model.state_dict()) == OWN + per_child
    assert [name for name, _ in model.named_buffers()] == [f"{c}.running" for c in CHILDREN]
    copy = Nested()
    copy.table[7].data = np.array([-5.0], dtype=np.float32)
    copy.load_state_dict(model.state_dict())
    assert copy.table[7].item() == 3.0


def test_shared_objects_appear_once_under_their_first_name():
    model = Nested()
    model.again = model.stages  # the same list under a second attribute
    model.alias = model.table["first"].weight  # an own parameter: named before the children's
    names = [name for name, _ in model.named_parameters()]
    assert len(names) == len(set(names)) == len(model.parameters())
    assert names[: len(OWN) + 1] == [*OWN, "alias"]
    assert "table.first.weight" not in names and not any(n.startswith("again") for n in names)
    assert [name for name, _ in model.named_modules()] == ["", *CHILDREN]


def test_a_container_that_holds_itself_is_walked_once():
    model = nn.Module()
    loop: list = [Value(1.0)]
    loop.append(loop)
    loop.append(Block())
    model.loop = loop
    assert [name for name, _ in model.named_parameters()] == [
        "loop.0", "loop.2.weight", "loop.2.bias",
    ]  # fmt: skip


def test_names_and_order_match_torch_containers():
    torch = pytest.importorskip("torch")

    class TorchBlock(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.weight = torch.nn.Parameter(torch.ones(2, 2))
            self.bias = torch.nn.Parameter(torch.zeros(2))
            self.register_buffer("running", torch.zeros(2))

    class TorchNet(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.stem = torch.nn.Parameter(torch.ones(1))
            self.blocks = torch.nn.ModuleList([TorchBlock(), TorchBlock()])
            self.heads = torch.nn.ModuleDict({"a": TorchBlock(), "b": TorchBlock()})
            self.tail = torch.nn.Sequential(TorchBlock(), torch.nn.Sequential(TorchBlock()))

    class Net(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.stem = nn.Parameter(Tensor([1.0]))
            self.blocks = [Block(), Block()]
            self.heads = {"a": Block(), "b": Block()}
            self.tail = nn.Sequential(Block(), nn.Sequential(Block()))

    ours, theirs = Net(), TorchNet()
    assert [n for n, _ in ours.named_parameters()] == [n for n, _ in theirs.named_parameters()]
    assert list(ours.state_dict()) == list(theirs.state_dict())
    assert [n for n, _ in ours.named_buffers()] == [n for n, _ in theirs.named_buffers()]
    # torch names its containers as modules of their own; the walk goes through ours
    containers = {"blocks", "heads"}
    assert [n for n, _ in ours.named_modules()] == [
        n for n, _ in theirs.named_modules() if n not in containers
    ]
