"""`Module`: the base of every network. Parameters are found by walking attributes, not registered.

A module's parameters are the `Value`s and the leaf `Tensor`s with ``requires_grad`` that it holds
in attributes (directly or in lists, tuples and dicts), then those of its sub-modules, each with a
dotted name (``"0.weight"``, ``"layers.1.neurons.0.b"``), a shared one once.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import Any, NamedTuple

import numpy as np

from autograd import Tensor, Value
from autograd.graph import current_scope

Parameter = Value | Tensor

_set = object.__setattr__


class IncompatibleKeys(NamedTuple):
    """What `Module.load_state_dict` could not match: keys the model has and the state lacks, and
    keys the state has and the model lacks."""

    missing_keys: list[str]
    unexpected_keys: list[str]


class Module:
    """Base class of layers and models: override ``forward``; call the module to run it.

    Calling a module runs ``forward`` with the module's dotted path as the graph's current scope,
    so every node it creates records which layer made it (viz draws one box per layer from that).
    The first call of a root module also labels its `Tensor` parameters with their dotted names.

    >>> from autograd import Tensor
    >>> class Affine(Module):
    ...     def __init__(self):
    ...         super().__init__()
    ...         self.scale = Tensor([2.0], requires_grad=True)
    ...         self.shift = Tensor([0.5], requires_grad=True)
    ...     def forward(self, x):
    ...         return x * self.scale + self.shift
    >>> class Net(Module):
    ...     def __init__(self):
    ...         super().__init__()
    ...         self.first, self.second = Affine(), Affine()
    ...     def forward(self, x):
    ...         return self.second(self.first(x))
    >>> net = Net()
    >>> [name for name, _ in net.named_parameters()]
    ['first.scale', 'first.shift', 'second.scale', 'second.shift']
    >>> y = net(Tensor([1.0])); y.item(), y.scope, net.first.scale.label
    (5.5, 'second', 'first.scale')
    >>> net
    Net(
      (first): Affine()
      (second): Affine()
    )
    """

    # Class-level defaults, so a subclass that forgets super().__init__() still works.
    forward: Callable[..., Any]  # defined by every subclass
    training: bool = True
    _scope_local: str = ""  # this module's name inside its parent ("fc1", "0", "layers.2")
    _scope_cache: tuple[str | None, str] = (None, "")  # (scope of the caller, scope of this call)

    def __init__(self) -> None:
        _set(self, "training", True)

    def __setattr__(self, name: str, value: Any) -> None:
        if isinstance(value, Module):
            _adopt(value, name)
        elif isinstance(value, (list, tuple)):
            for i, item in enumerate(value):
                if isinstance(item, Module):
                    _adopt(item, f"{name}.{i}")
        elif isinstance(value, dict):
            for key, item in value.items():
                if isinstance(item, Module):
                    _adopt(item, f"{name}.{key}")
        _set(self, name, value)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        # What `autograd.graph.scope(name)` does, inline: a generator-based context manager would
        # cost more than the bookkeeping itself on every layer call.
        holder = current_scope
        outer = holder.name
        cache = self._scope_cache
        if cache[0] is outer:
            name = cache[1]
        else:
            local = self._scope_local
            name = (f"{outer}.{local}" if local else outer) if outer else local
            if not outer and not local:  # a root module: name its parameters
                self._label_parameters()
            _set(self, "_scope_cache", (outer, name))
        holder.name = name
        try:
            return self.forward(*args, **kwargs)
        finally:
            holder.name = outer

    # ---- walking the tree ------------------------------------------------------------------

    def _members(self) -> Iterator[tuple[str, Any]]:
        """(name, object) for the parameters and sub-modules held directly by this module."""
        for name, value in vars(self).items():
            yield from _flatten(name, value)

    def named_children(self) -> Iterator[tuple[str, Module]]:
        """(name, module) for the direct sub-modules."""
        for name, value in vars(self).items():
            if isinstance(value, Module):
                yield name, value
            elif isinstance(value, (list, tuple, dict)):
                yield from _modules_in(name, value)

    def children(self) -> Iterator[Module]:
        """The direct sub-modules."""
        for _, module in self.named_children():
            yield module

    def named_modules(self, prefix: str = "") -> Iterator[tuple[str, Module]]:
        """(dotted name, module) for this module (name ``prefix``) and all below it, each once."""
        seen: set[int] = set()
        stack: list[tuple[str, Module]] = [(prefix, self)]
        while stack:
            name, module = stack.pop()
            if id(module) in seen:
                continue
            seen.add(id(module))
            yield name, module
            below = [(f"{name}.{n}" if name else n, m) for n, m in module.named_children()]
            stack.extend(reversed(below))

    def modules(self) -> Iterator[Module]:
        """This module and all below it, each once."""
        for _, module in self.named_modules():
            yield module

    def named_parameters(self, prefix: str = "") -> Iterator[tuple[str, Parameter]]:
        """(dotted name, parameter): each module's own parameters, then its sub-modules', once each.

        >>> from nn.scalar import Neuron
        >>> [name for name, _ in Neuron(2).named_parameters()]
        ['w.0', 'w.1', 'b']
        """
        seen: set[int] = set()
        for module_name, module in self.named_modules(prefix):
            for name, value in module._members():
                if isinstance(value, Module) or id(value) in seen:
                    continue
                seen.add(id(value))
                yield (f"{module_name}.{name}" if module_name else name), value

    def parameters(self) -> list[Any]:
        """Every parameter (`Value` or `Tensor`) once, in `named_parameters` order, as a list."""
        params: list[Any] = []
        seen: set[int] = set()
        for module in self.modules():
            found: list[Any] = []
            for value in vars(module).values():
                _collect(value, found)
            for p in found:
                key = id(p)
                if key not in seen:
                    seen.add(key)
                    params.append(p)
        return params

    def num_parameters(self) -> int:
        """How many numbers the parameters hold (a `Value` counts 1).

        >>> from nn.scalar import MLP
        >>> MLP(3, [4, 2]).num_parameters()  # s·n + n + n·m + m = 3·4 + 4 + 4·2 + 2
        26
        """
        return sum(p.data.size if isinstance(p, Tensor) else 1 for p in self.parameters())

    def _label_parameters(self) -> None:
        """Name Tensor parameters (and unnamed Value parameters) by their dotted path."""
        for name, p in self.named_parameters():
            if isinstance(p, Tensor) or not p.label:
                p.label = name

    def apply(self, fn: Callable[[Module], Any]) -> Module:
        """Call ``fn`` on every module (children first, as in PyTorch); returns self."""
        for module in reversed(list(self.modules())):
            fn(module)
        return self

    # ---- modes and gradients ---------------------------------------------------------------

    def train(self, mode: bool = True) -> Module:
        """Set training mode (dropout active) on this module and all below it; returns self."""
        for module in self.modules():
            _set(module, "training", bool(mode))
        return self

    def eval(self) -> Module:
        """Set evaluation mode (dropout off); returns self."""
        return self.train(False)

    def zero_grad(self) -> None:
        """Clear the gradients: a Tensor's ``grad`` becomes None, a Value's 0.0."""
        for p in self.parameters():
            p.grad = None if isinstance(p, Tensor) else 0.0

    def requires_grad_(self, requires_grad: bool = True) -> Module:
        """Freeze (False) or unfreeze the Tensor parameters; returns self.

        Frozen tensors are no longer parameters, so take ``parameters()`` before freezing if you
        need them later.
        """
        for p in self.parameters():
            if isinstance(p, Tensor):
                p.requires_grad = requires_grad
        return self

    def double(self) -> Module:
        """Convert Tensor parameters to float64 in place (gradients cleared); returns self."""
        return self._cast(np.float64)

    def float(self) -> Module:
        """Convert Tensor parameters to float32 in place (gradients cleared); returns self."""
        return self._cast(np.float32)

    def _cast(self, dtype: Any) -> Module:
        for p in self.parameters():
            if isinstance(p, Tensor):
                p.data = p.data.astype(dtype)
                p.grad = None
        return self

    # ---- state -----------------------------------------------------------------------------

    def state_dict(self) -> dict[str, np.ndarray]:
        """A copy of every parameter as a numpy array, by dotted name (a Value gives a 0-d array).

        >>> from nn.scalar import Neuron
        >>> sorted(Neuron(1).state_dict())
        ['b', 'w.0']
        """
        return {
            name: p.data.copy() if isinstance(p, Tensor) else np.array(p.data)
            for name, p in self.named_parameters()
        }

    def load_state_dict(self, state_dict: dict[str, Any], strict: bool = True) -> IncompatibleKeys:
        """Copy values into the parameters, by name.

        Args:
            state_dict: name → array (or number, or Tensor), e.g. from `state_dict` or `load`.
            strict: raise if a parameter has no entry or an entry has no parameter. A shape
                mismatch always raises. Nothing is copied when it raises.

        Returns:
            The missing and unexpected keys (both empty when ``strict``).
        """
        own = dict(self.named_parameters())
        missing = [k for k in own if k not in state_dict]
        unexpected = [k for k in state_dict if k not in own]
        arrays = {k: _as_array(v) for k, v in state_dict.items() if k in own}
        problems = []
        if strict and missing:
            problems.append(f"missing keys {missing}")
        if strict and unexpected:
            problems.append(f"unexpected keys {unexpected}")
        for key, array in arrays.items():
            p = own[key]
            expected = p.data.shape if isinstance(p, Tensor) else ()
            if array.shape != expected:
                problems.append(
                    f"size mismatch for {key}: got shape {array.shape}, expected {expected}"
                )
        if problems:
            raise RuntimeError(
                f"{type(self).__name__}.load_state_dict: the state does not fit the model: "
                + "; ".join(problems)
                + ". Pass strict=False to load only the matching entries (shapes must agree)"
            )
        for key, array in arrays.items():
            p = own[key]
            if isinstance(p, Tensor):
                p.data = array.astype(p.data.dtype, copy=True)
            else:
                p.data = float(array)
        return IncompatibleKeys(missing, unexpected)

    def save(self, path: str | os.PathLike[str]) -> str:
        """Write `state_dict` to an ``.npz`` file (suffix added if missing); returns the path.

        >>> import tempfile, os
        >>> from nn.scalar import MLP
        >>> net, copy = MLP(2, [3, 1]), MLP(2, [3, 1])
        >>> path = net.save(os.path.join(tempfile.mkdtemp(), "net"))
        >>> copy.load(path).layers[0].neurons[0].b.data == net.layers[0].neurons[0].b.data
        True
        """
        path = os.fspath(path)
        if not path.endswith(".npz"):
            path += ".npz"
        np.savez(path, **self.state_dict())  # type: ignore[arg-type]  # names are str keys
        return path

    def load(self, path: str | os.PathLike[str], strict: bool = True) -> Module:
        """Load parameters saved by `save` (``.npz``; the suffix may be left out); returns self."""
        path = os.fspath(path)
        if not os.path.exists(path) and os.path.exists(path + ".npz"):
            path += ".npz"
        with np.load(path, allow_pickle=False) as archive:
            state = {key: archive[key] for key in archive.files}
        self.load_state_dict(state, strict=strict)
        return self

    # ---- printing --------------------------------------------------------------------------

    def extra_repr(self) -> str:
        """The text inside this module's parentheses (layers put their sizes here)."""
        return ""

    def __repr__(self) -> str:
        extra = self.extra_repr()
        children = list(self.named_children())
        if not children:
            return f"{type(self).__name__}({extra})"
        lines = [f"{type(self).__name__}(" + (f"\n  {extra}" if extra else "")]
        for name, child in children:
            text = repr(child).replace("\n", "\n  ")
            lines.append(f"  ({name}): {text}")
        return "\n".join(lines) + "\n)"


def _adopt(module: Module, name: str) -> None:
    """Tell ``module`` its name inside its parent (its scope is the parent's plus this).

    The first parent wins: a module also placed elsewhere later (a slice of a Sequential, a shared
    layer) keeps the scope of where it was first attached.
    """
    if not module._scope_local:
        _set(module, "_scope_local", name)
        _set(module, "_scope_cache", (None, ""))


def _flatten(name: str, value: Any) -> Iterator[tuple[str, Any]]:
    """Parameters and modules in ``value``, looking inside lists, tuples and dicts."""
    if isinstance(value, Module):
        yield name, value
    elif isinstance(value, Value):
        if not value.parents:
            yield name, value
    elif isinstance(value, Tensor):
        if value.requires_grad and not value.parents:
            yield name, value
    elif isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            if isinstance(item, (Module, Value, Tensor, list, tuple, dict)):
                yield from _flatten(f"{name}.{i}", item)
    elif isinstance(value, dict):
        for key, item in value.items():
            if isinstance(key, str):
                yield from _flatten(f"{name}.{key}", item)


def _modules_in(name: str, value: list | tuple | dict) -> Iterator[tuple[str, Module]]:
    """(dotted name, module) for the modules inside a list, tuple or dict (nested ones too)."""
    items = value.items() if isinstance(value, dict) else enumerate(value)
    for key, item in items:
        if isinstance(item, Module):
            yield f"{name}.{key}", item
        elif isinstance(item, (list, tuple, dict)):
            yield from _modules_in(f"{name}.{key}", item)


def _collect(value: Any, found: list[Any]) -> None:
    """Append the parameters directly in ``value`` (not inside sub-modules) to ``found``.

    The fast twin of `_flatten` for `Module.parameters`: no names, exact type checks first.
    """
    kind = type(value)
    if kind is Value:
        if not value.parents:
            found.append(value)
    elif kind is list or kind is tuple:
        for item in value:
            if type(item) is Value:
                if not item.parents:
                    found.append(item)
            elif isinstance(item, (Value, Tensor, list, tuple, dict)):
                _collect(item, found)
    elif isinstance(value, Module):
        return
    elif isinstance(value, Value):
        if not value.parents:
            found.append(value)
    elif isinstance(value, Tensor):
        if value.requires_grad and not value.parents:
            found.append(value)
    elif isinstance(value, (list, tuple)):
        for item in value:
            _collect(item, found)
    elif isinstance(value, dict):
        for key, item in value.items():
            if isinstance(key, str):
                _collect(item, found)


def _as_array(value: Any) -> np.ndarray:
    if isinstance(value, Tensor):
        return value.data
    if isinstance(value, Value):
        return np.array(value.data)
    return np.asarray(value)
