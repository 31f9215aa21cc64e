"""`Sequential`: modules applied one after the other, named ``"0"``, ``"1"``, … as in PyTorch."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from nn.module import Module


class Sequential(Module):
    """Calls its modules in order, each on the previous one's output.

    >>> from nn.layers import Linear
    >>> from nn.activations import ReLU
    >>> net = Sequential(Linear(2, 3), ReLU(), Linear(3, 1))
    >>> len(net), [name for name, _ in net.named_parameters()]
    (3, ['0.weight', '0.bias', '2.weight', '2.bias'])
    >>> net
    Sequential(
      (0): Linear(in_features=2, out_features=3, bias=True)
      (1): ReLU()
      (2): Linear(in_features=3, out_features=1, bias=True)
    )
    """

    def __init__(self, *modules: Module) -> None:
        super().__init__()
        self._size = 0
        for module in modules:
            self.append(module)

    def append(self, module: Module) -> Sequential:
        """Add a module at the end; returns self."""
        if not isinstance(module, Module):
            raise TypeError(
                f"Sequential: every entry must be a Module; got {type(module).__name__} at "
                f"position {self._size}"
            )
        setattr(self, str(self._size), module)
        self._size += 1
        return self

    def forward(self, x: Any) -> Any:
        for module in self:
            x = module(x)
        return x

    def __len__(self) -> int:
        return self._size

    def __iter__(self) -> Iterator[Module]:
        return (getattr(self, str(i)) for i in range(self._size))

    def __getitem__(self, index: int | slice) -> Any:
        if isinstance(index, slice):
            return Sequential(*list(self)[index])
        return getattr(self, self._name(index))

    def __setitem__(self, index: int, module: Module) -> None:
        """Replace the module at ``index`` (``model[-1] = nn.Linear(84, 2)``, a new head)."""
        if not isinstance(module, Module):
            raise TypeError(
                f"Sequential: every entry must be a Module; got {type(module).__name__} for "
                f"position {index}"
            )
        setattr(self, self._name(index), module)

    def _name(self, index: Any) -> str:
        """The attribute name of position ``index`` (negative counts from the end)."""
        n = self._size
        if isinstance(index, bool) or not isinstance(index, int) or not -n <= index < n:
            raise IndexError(
                f"Sequential: index out of range; got {index!r}, expected {-n}..{n - 1}"
            )
        return str(index % n)
