"""``t.grad_fn`` has the shape of PyTorch's: names, and ``next_functions`` per input."""

from __future__ import annotations

import numpy as np
import pytest

from autograd import Tensor
from autograd.grad_fn import AccumulateGrad, BackwardFunction

torch = pytest.importorskip("torch")


def skeleton(fn) -> object:
    """A backward graph as nested (name without PyTorch's version digit, inputs) tuples."""
    if fn is None:
        return None
    name = fn.name().rstrip("0123456789").removeprefix("torch::autograd::")
    return (name, tuple(skeleton(f) for f, _ in fn.next_functions))


def build(lib, w, b, x):
    # the autograd tutorial's z = x·w + b, then a loss, with constants mixed in
    z = (x * w).sum(0) + b
    return ((z * 2.0 - 1.0) ** 2).sum()


def test_the_tutorials_graph_has_pytorchs_shape() -> None:
    rng = np.random.default_rng(0)
    x, w, b = rng.standard_normal((5, 1)), rng.standard_normal((5, 3)), rng.standard_normal(3)
    import autograd

    ours = build(autograd, Tensor(w, requires_grad=True), Tensor(b, requires_grad=True), Tensor(x))
    theirs = build(
        torch,
        torch.tensor(w, requires_grad=True),
        torch.tensor(b, requires_grad=True),
        torch.tensor(x),
    )
    assert skeleton(ours.grad_fn) == skeleton(theirs.grad_fn)


def test_leaves_and_constants() -> None:
    w = Tensor([1.0, 2.0], requires_grad=True, label="w")
    assert w.grad_fn is None and Tensor([1.0]).grad_fn is None
    fn = (w * 3).grad_fn
    assert isinstance(fn, BackwardFunction) and fn.name() == "MulBackward"
    (leaf, _), (constant, _) = fn.next_functions
    assert isinstance(leaf, AccumulateGrad) and leaf.variable is w and constant is None
    assert repr(leaf) == "<AccumulateGrad 'w' shape=(2,)>"
