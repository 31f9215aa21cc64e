"""nn.Module: parameter discovery and names, modes, scopes, state dicts, save/load and repr."""

from __future__ import annotations

import numpy as np
import pytest

import nn
from autograd import Tensor, Value, manual_seed
from autograd.graph import current_scope, topological_order


class Pair(nn.Module):
    """Two Tensor parameters and a non-parameter tensor, to check what counts."""

    def __init__(self) -> None:
        super().__init__()
        self.w = Tensor(np.ones((2, 3)), requires_grad=True)
        self.b = Tensor(np.zeros(3), requires_grad=True)
        self.mask = Tensor(np.ones(3))  # no grad: not a parameter
        self.note = "text"

    def forward(self, x):
        return x @ self.w + self.b


class Tree(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.left = Pair()
        self.blocks = [Pair(), Pair()]
        self.named = {"last": Pair()}
        self.scale = Value(2.0)

    def forward(self, x):
        h = self.left(x)[:, :2]
        h = self.blocks[0](h)[:, :2]
        h = self.blocks[1](h)[:, :2]
        return self.named["last"](h) * self.scale.data


def test_named_parameters_dotted_and_in_order():
    names = [name for name, _ in Tree().named_parameters()]
    assert names == [
        "scale",
        "left.w", "left.b",
        "blocks.0.w", "blocks.0.b",
        "blocks.1.w", "blocks.1.b",
        "named.last.w", "named.last.b",
    ]  # fmt: skip
    assert [name for name, _ in Tree().named_modules()] == [
        "", "left", "blocks.0", "blocks.1", "named.last",
    ]  # fmt: skip


def test_shared_parameters_and_modules_appear_once():
    tree = Tree()
    tree.blocks[1] = tree.blocks[0]  # list mutated in place: the same module twice
    tree.alias = tree.left.w
    names = [name for name, _ in tree.named_parameters()]
    assert names.count("blocks.0.w") == 1 and "blocks.1.w" not in names
    assert len(tree.parameters()) == len({id(p) for p in tree.parameters()}) == 7
    assert tree.num_parameters() == 1 + 3 * (6 + 3)


def test_parameters_are_leaves_only():
    pair = Pair()
    pair.cache = pair.w * 2  # a result, not a parameter
    pair.value_result = Value(1.0) + 1
    assert [n for n, _ in pair.named_parameters()] == ["w", "b"]


def test_train_eval_return_self_and_recurse():
    tree = Tree()
    assert tree.eval() is tree
    assert all(not m.training for m in tree.modules())
    assert tree.train() is tree
    assert all(m.training for m in tree.modules())


def test_zero_grad_tensors_none_values_zero():
    tree = Tree()
    out = tree(Tensor(np.ones((1, 2))))
    out.sum().backward()
    tree.scale.grad = 5.0
    assert tree.left.w.grad is not None
    tree.zero_grad()
    assert all(p.grad is None for p in tree.parameters() if isinstance(p, Tensor))
    assert tree.scale.grad == 0.0


def test_call_records_scopes_and_labels_parameters():
    tree = Tree()
    out = tree(Tensor(np.ones((1, 2))))
    scopes = {n.scope for n in topological_order(out) if n.op}
    assert {"left", "blocks.0", "blocks.1", "named.last"} <= scopes
    assert current_scope.name == ""  # restored after the call
    assert tree.blocks[1].w.label == "blocks.1.w"
    assert tree.scale.label == "scale"  # an unnamed Value gets its path too
    seq = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Sequential(nn.Linear(3, 1)))
    y = seq(Tensor(np.ones((4, 2), dtype=np.float32)))
    assert y.scope == "2.0"
    assert seq[2][0].weight.label == "2.0.weight"


def test_scope_restored_after_an_error():
    seq = nn.Sequential(nn.Linear(2, 3))
    with pytest.raises(ValueError):
        seq(Tensor(np.ones((1, 5), dtype=np.float32)))
    assert current_scope.name == ""


def test_state_dict_round_trip_and_save_load(tmp_path):
    manual_seed(0)
    net = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 2))
    manual_seed(1)
    other = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 2))
    x = Tensor(np.random.default_rng(0).normal(size=(5, 3)).astype(np.float32))
    assert not np.allclose(net(x).data, other(x).data)
    state = net.state_dict()
    assert list(state) == ["0.weight", "0.bias", "2.weight", "2.bias"]
    state["0.bias"][:] = 99.0  # a copy: editing it leaves the model alone
    assert not np.any(net[0].bias.data == 99.0)
    path = net.save(tmp_path / "net")
    assert path.endswith(".npz")
    other.load(tmp_path / "net")
    np.testing.assert_array_equal(other(x).data, net(x).data)
    assert not np.shares_memory(other[0].weight.numpy(), net[0].weight.numpy())


def test_scalar_state_round_trip():
    manual_seed(3)
    a = nn.scalar.MLP(2, [3, 1])
    b = nn.scalar.MLP(2, [3, 1])
    b.load_state_dict(a.state_dict())
    assert [p.data for p in b.parameters()] == [p.data for p in a.parameters()]
    assert all(type(p.data) is float for p in b.parameters())


def test_load_state_dict_names_missing_unexpected_and_mismatched():
    net = nn.Sequential(nn.Linear(3, 4), nn.Linear(4, 2))
    state = net.state_dict()
    del state["1.bias"]
    state["2.bias"] = np.zeros(2)
    message = r"missing keys \['1.bias'\]; unexpected keys \['2.bias'\]"
    with pytest.raises(RuntimeError, match=message):
        net.load_state_dict(state)
    before = net[0].weight.data.copy()
    state["0.weight"] = np.ones((4, 3)) * 7
    result = net.load_state_dict(state, strict=False)
    assert result.missing_keys == ["1.bias"] and result.unexpected_keys == ["2.bias"]
    assert np.all(net[0].weight.data == 7) and not np.all(before == 7)
    bad = net.state_dict()
    bad["1.weight"] = np.zeros((3, 3))
    with pytest.raises(
        RuntimeError,
        match=r"size mismatch for 1.weight: got shape \(3, 3\), "
        r"expected \(2, 4\)",
    ):
        net.load_state_dict(bad)


def test_repr_is_indented():
    net = nn.Sequential(nn.Linear(2, 3), nn.Sequential(nn.ReLU(), nn.Dropout(0.1)))
    assert repr(net) == (
        "Sequential(\n"
        "  (0): Linear(in_features=2, out_features=3, bias=True)\n"
        "  (1): Sequential(\n"
        "    (0): ReLU()\n"
        "    (1): Dropout(p=0.1)\n"
        "  )\n"
        ")"
    )


def test_module_without_super_init_still_works():
    class Bare(nn.Module):
        def __init__(self):
            self.w = Value(1.0)

        def forward(self, x):
            return self.w * x

    bare = Bare()
    assert bare(3.0).data == 3.0 and bare.training
    assert bare.eval().training is False


def test_double_and_requires_grad():
    net = nn.Linear(2, 2)
    assert net.weight.dtype == np.float32
    net.double()
    assert net.weight.dtype == np.float64 and net(np.ones((1, 2))).dtype == np.float64
    params = net.parameters()
    net.requires_grad_(False)
    assert net.parameters() == params and not params[0].requires_grad  # kept, as in PyTorch


def test_sequential_setitem_swaps_a_head_as_in_pytorch():
    torch = pytest.importorskip("torch")
    ours = nn.Sequential(nn.Linear(4, 3), nn.ReLU(), nn.Linear(3, 2))
    theirs = torch.nn.Sequential(torch.nn.Linear(4, 3), torch.nn.ReLU(), torch.nn.Linear(3, 2))
    ours[-1], theirs[-1] = nn.Linear(3, 5), torch.nn.Linear(3, 5)
    assert [n for n, _ in ours.named_parameters()] == [n for n, _ in theirs.named_parameters()]
    assert ours(np.ones((1, 4), np.float32)).shape == (1, 5)
    with pytest.raises(TypeError, match="Sequential: every entry must be a Module; got int"):
        ours[0] = 3
    with pytest.raises(IndexError, match="Sequential: index out of range; got 3"):
        ours[3] = nn.ReLU()
