"""``t.grad_fn``: PyTorch's view of the graph behind a result, for printing and walking.

PyTorch keeps a separate graph of backward functions; here the tensors are the graph, so
``grad_fn`` is a small read-only window on a result tensor: its name (``MulBackward`` for
``*``), and ``next_functions``, one ``(fn, 0)`` pair per input, where ``fn`` is the input's own
``grad_fn``, an `AccumulateGrad` for a leaf that requires grad, or None for a constant — the same
shape as PyTorch's, so the autograd tutorial's ``print(loss.grad_fn.next_functions[0][0])`` ports.
"""

from __future__ import annotations

from typing import Any

_NAMES = {"+": "Add", "-": "Sub", "*": "Mul", "/": "Div", "**": "Pow", "@": "MatMul"}


class BackwardFunction:
    """The backward step of one recorded op (what ``result.grad_fn`` returns)."""

    __slots__ = ("_node",)

    def __init__(self, node: Any) -> None:
        self._node = node

    def name(self) -> str:
        """PyTorch-style name: ``MulBackward`` for ``*``, ``ReluBackward`` for ``relu``.

        >>> from autograd import Tensor
        >>> x = Tensor([1.0], requires_grad=True)
        >>> (x * 2).relu().grad_fn.name()
        'ReluBackward'
        """
        op = self._node.op
        op = "**" if op.startswith("**") else op  # "**2": a power with a constant exponent
        base = _NAMES.get(op) or "".join(part.capitalize() for part in op.split("_"))
        return f"{base}Backward"

    @property
    def next_functions(self) -> tuple[tuple[Any, int], ...]:
        """One ``(function, 0)`` pair per input, in input order (None for a constant).

        >>> from autograd import Tensor
        >>> x = Tensor([1.0], requires_grad=True)
        >>> (x * 2 + 1).grad_fn.next_functions
        ((<MulBackward op='*'>, 0), (None, 0))
        """
        node = self._node
        parents = iter(node.parents)
        kept = node._kept or (True,) * len(node.parents)  # False: a number, not a parent
        return tuple((grad_fn_of(next(parents)) if k else None, 0) for k in kept)

    def __repr__(self) -> str:
        return f"<{self.name()} op={self._node.op!r}>"


class AccumulateGrad:
    """Where a leaf's gradient lands (PyTorch's name); ``variable`` is the leaf."""

    __slots__ = ("variable",)
    next_functions: tuple = ()

    def __init__(self, leaf: Any) -> None:
        self.variable = leaf

    def name(self) -> str:
        return "AccumulateGrad"

    def __repr__(self) -> str:
        label = f" {self.variable.label!r}" if self.variable.label else ""
        return f"<AccumulateGrad{label} shape={self.variable.shape}>"


def grad_fn_of(tensor: Any) -> BackwardFunction | AccumulateGrad | None:
    """``tensor.grad_fn`` for a result, an `AccumulateGrad` for a leaf that requires grad, else
    None (what PyTorch's ``next_functions`` holds for each input)."""
    if tensor.parents:
        return BackwardFunction(tensor)
    return AccumulateGrad(tensor) if tensor.requires_grad else None
