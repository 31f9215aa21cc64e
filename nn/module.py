"""`Module`: the base of every network. Parameters are found by walking attributes, not registered.

A module's parameters are the `Parameter`s (frozen or not, as in PyTorch), the `Value`s and, for
code written before `Parameter` existed, the other leaf `Tensor`s with ``requires_grad`` that it
holds in attributes (directly or in lists, tuples and dicts), then those of its sub-modules, each
with a dotted name (``"0.weight"``, ``"layers.1.neurons.0.b"``), a shared one once. Such a plain
Tensor drops out of the list when frozen; a Parameter stays. Buffers (running statistics) are
registered by name with `Module.register_buffer`.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping
from typing import Any, NamedTuple

import numpy as np

from autograd import Tensor, Value
from autograd.dtypes import check_device
from autograd.graph import current_scope
from autograd.tensor import as_dtype
from nn.npz import NpzReader, is_real, save_npz
from nn.parameter import Parameter

AnyParameter = Value | Tensor  # what parameters() yields: scalar Values and Tensors

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
    _buffers: dict[str, bool] = {}  # name -> persistent; register_buffer gives each module its own

    def __init__(self) -> None:
        _set(self, "training", True)

    def __setattr__(self, name: str, value: Any) -> None:
        if name in self._buffers and value is not None and not isinstance(value, Tensor):
            raise TypeError(
                f"{type(self).__name__}: cannot assign {type(value).__name__} to buffer {name!r}; "
                "expected a Tensor or None"
            )
        if (
            value is not None
            and not isinstance(value, Parameter)
            and isinstance(vars(self).get(name), Parameter)
        ):  # PyTorch's rule: a plain tensor here would silently stop being a parameter
            raise TypeError(
                f"{type(self).__name__}: cannot assign {type(value).__name__} to parameter "
                f"{name!r}; expected nn.Parameter or None. Wrap it, nn.Parameter(t), or change "
                f"the values in place: {name}.data = ..."
            )
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

    def _members(self) -> list[tuple[str, Any]]:
        """(dotted name, object) for each sub-module and parameter this module holds, in
        attribute order, looking inside lists, tuples and dicts (``"layers.0"``, ``"w.1"``) but not
        inside sub-modules: the one walk that `named_children`, `named_parameters`, `parameters`
        and `state_dict` read.

        A parameter is a `Value` or a `Parameter` that is a leaf, or (code from before
        `Parameter`) a leaf `Tensor` that requires grad.
        """
        found: list[tuple[str, Any]] = []
        attributes = vars(self)
        # Depth first without recursion: the open containers, each with its names' prefix and
        # where its walk stands. A container inside itself is not opened again.
        open_: list[tuple[int, str, Iterator[tuple[Any, Any]]]] = [
            (id(attributes), "", iter(attributes.items()))
        ]
        opened = {id(attributes)}
        while open_:
            _, prefix, items = open_[-1]
            for key, value in items:
                if isinstance(value, Module):
                    found.append((f"{prefix}{key}", value))
                elif isinstance(value, Value):
                    if not value.parents:
                        found.append((f"{prefix}{key}", value))
                elif isinstance(value, Tensor):
                    if (value.requires_grad or isinstance(value, Parameter)) and not value.parents:
                        found.append((f"{prefix}{key}", value))
                elif isinstance(value, (list, tuple, dict)) and id(value) not in opened:
                    opened.add(id(value))
                    inner = value.items() if isinstance(value, dict) else enumerate(value)
                    open_.append((id(value), f"{prefix}{key}.", iter(inner)))
                    break  # walk the container now, then come back to the rest of ``items``
            else:
                opened.discard(open_.pop()[0])
        return found

    def named_children(self) -> Iterator[tuple[str, Module]]:
        """(name, module) for the direct sub-modules."""
        for name, value in self._members():
            if isinstance(value, Module):
                yield name, value

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

    def named_parameters(
        self, prefix: str = "", recurse: bool = True
    ) -> Iterator[tuple[str, AnyParameter]]:
        """(dotted name, parameter): each module's own parameters, then its sub-modules', once each
        (only this module's own with ``recurse=False``). Frozen `Parameter`s are included.

        >>> from nn.scalar import Neuron
        >>> [name for name, _ in Neuron(2).named_parameters()]
        ['w.0', 'w.1', 'b']
        """
        seen: set[int] = set()
        modules = self.named_modules(prefix) if recurse else iter([(prefix, self)])
        for module_name, module in modules:
            for name, value in module._members():
                if isinstance(value, Module) or id(value) in seen:
                    continue
                seen.add(id(value))
                yield (f"{module_name}.{name}" if module_name else name), value

    def parameters(self) -> list[Any]:
        """Every parameter (`Value` or `Tensor`) once, in `named_parameters` order, as a list.

        As in PyTorch, frozen `Parameter`s are included, so unfreezing is
        ``for p in model.parameters(): p.requires_grad = True``.
        """
        return [p for _, p in self.named_parameters()]

    def add_module(self, name: str, module: Module | None) -> None:
        """Set attribute ``name`` to a sub-module (or None), as in PyTorch; ``register_module``
        is the same."""
        api = f"{type(self).__name__}.add_module"
        _check_name(self, name, api, Module)
        if module is not None and not isinstance(module, Module):
            raise TypeError(
                f"{api}: cannot add {type(module).__name__} as module {name!r}; expected a "
                "Module or None"
            )
        setattr(self, name, module)

    register_module = add_module

    def register_parameter(self, name: str, param: Parameter | None) -> None:
        """Set attribute ``name`` to a `Parameter` (or None, a slot left empty), as in PyTorch.

        >>> from autograd import Tensor
        >>> m = Module(); m.register_parameter("scale", Parameter(Tensor([1.0])))
        >>> [name for name, _ in m.named_parameters()]
        ['scale']
        """
        api = f"{type(self).__name__}.register_parameter"
        _check_name(self, name, api, Parameter)
        if param is not None and not isinstance(param, Parameter):
            raise TypeError(
                f"{api}: cannot assign {type(param).__name__} to parameter {name!r}; expected "
                "nn.Parameter or None. Wrap a tensor as nn.Parameter(t)"
            )
        setattr(self, name, param)

    def register_buffer(self, name: str, tensor: Tensor | None, persistent: bool = True) -> None:
        """Keep ``tensor`` as attribute ``name``: state that is not a parameter (a running mean).

        Buffers are no parameters (optimizers never see them), follow `to`, `float` and
        `double`, and the persistent ones are saved in `state_dict` after the module's
        parameters, as in PyTorch.

        >>> import numpy as np
        >>> from autograd import Tensor
        >>> m = Module(); m.register_buffer("count", Tensor(np.array(0)))
        >>> m.parameters(), list(m.state_dict())
        ([], ['count'])
        """
        api = f"{type(self).__name__}.register_buffer"
        if name not in self._buffers:
            _check_name(self, name, api, type(None))
        if tensor is not None and not isinstance(tensor, Tensor):
            raise TypeError(
                f"{api}: cannot assign {type(tensor).__name__} to buffer {name!r}; expected a "
                "Tensor or None"
            )
        if "_buffers" not in vars(self):
            _set(self, "_buffers", {})
        self._buffers[name] = bool(persistent)
        _set(self, name, tensor)

    def named_buffers(self, prefix: str = "", recurse: bool = True) -> Iterator[tuple[str, Tensor]]:
        """(dotted name, buffer) for the buffers of this module and (``recurse``) all below it."""
        seen: set[int] = set()
        modules = self.named_modules(prefix) if recurse else iter([(prefix, self)])
        for module_name, module in modules:
            for name in module._buffers:
                value = vars(module).get(name)
                if value is not None and id(value) not in seen:
                    seen.add(id(value))
                    yield (f"{module_name}.{name}" if module_name else name), value

    def buffers(self, recurse: bool = True) -> Iterator[Tensor]:
        """The buffers of this module and (``recurse``) all below it."""
        for _, buffer in self.named_buffers(recurse=recurse):
            yield buffer

    def _named_state(self) -> dict[str, AnyParameter]:
        """What `state_dict` saves, by dotted name: each module's parameters, then its persistent
        buffers, module after module (PyTorch's order of keys)."""
        state: dict[str, AnyParameter] = {}
        seen: set[int] = set()
        for module_name, module in self.named_modules():
            prefix = f"{module_name}." if module_name else ""
            for name, value in module._members():
                if not isinstance(value, Module) and id(value) not in seen:
                    seen.add(id(value))
                    state[prefix + name] = value
            for name, persistent in module._buffers.items():
                value = vars(module).get(name)
                if persistent and value is not None:
                    state[prefix + name] = value
        return state

    def num_parameters(self) -> int:
        """How many numbers the parameters hold (a `Value` counts 1).

        >>> from nn.scalar import MLP
        >>> MLP(3, [4, 2]).num_parameters()  # s·n + n + n·m + m = 3·4 + 4 + 4·2 + 2
        26
        """
        return sum(p.data.size if isinstance(p, Tensor) else 1 for p in self.parameters())

    def _label_parameters(self) -> None:
        """Name Tensor parameters, buffers and unnamed Value parameters by their dotted path."""
        for name, p in self.named_parameters():
            if isinstance(p, Tensor) or not p.label:
                p.label = name
        for name, buffer in self.named_buffers():
            buffer.label = name

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

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Clear the gradients: a Tensor's ``grad`` becomes None (zeros with ``set_to_none=False``,
        where there was one), a Value's 0.0."""
        for p in self.parameters():
            if not isinstance(p, Tensor):
                p.grad = 0.0
            elif set_to_none or p.grad is None:
                p.grad = None
            else:
                p.grad = np.zeros_like(p.grad)

    def requires_grad_(self, requires_grad: bool = True) -> Module:
        """Freeze (False) or unfreeze the Tensor parameters; returns self.

        Frozen `Parameter`s stay in ``parameters()`` (as in PyTorch), so ``requires_grad_()``
        unfreezes them again. A plain `Tensor` attribute with ``requires_grad`` (code from before
        `Parameter`) stops being a parameter once frozen: make it a Parameter to keep it.

        >>> from nn.layers import Linear
        >>> fc = Linear(2, 1).requires_grad_(False)
        >>> [p.requires_grad for p in fc.parameters()]
        [False, False]
        """
        for p in self.parameters():
            if isinstance(p, Tensor):
                p.requires_grad = requires_grad
        return self

    def double(self) -> Module:
        """Convert floating-point Tensor parameters and buffers to float64 in place; returns self.

        Parameters stay the same objects (an optimizer built before keeps working); their
        gradients are converted too, as in PyTorch.
        """
        return self._cast(np.dtype(np.float64))

    def float(self) -> Module:
        """Convert floating-point parameters and buffers to float32 in place (see `double`)."""
        return self._cast(np.dtype(np.float32))

    def to(self, *args: Any, **kwargs: Any) -> Module:
        """PyTorch's ``to(device)``, ``to(dtype)``, ``to(device, dtype)`` or ``to(tensor)``.

        grafograd computes on the CPU only: ``"cpu"`` (or ``"cpu:0"``, or a device object whose
        ``type`` is ``"cpu"``) changes nothing, and any other device is a RuntimeError naming
        it, never a silent copy kept on the CPU. A dtype (float32 or float64, as a numpy dtype or
        its name, or a tensor whose dtype to take) converts as `float` and `double` do.
        ``non_blocking`` is accepted and ignored. Returns self.

        >>> import numpy as np
        >>> from nn.layers import Linear
        >>> Linear(2, 1).to("cpu", np.float64).weight.dtype
        dtype('float64')
        >>> Linear(2, 1).to("cuda")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        RuntimeError: Module.to: grafograd runs on the CPU only; got device 'cuda', expected ...
        """
        kwargs.pop("non_blocking", None)
        unknown = sorted(set(kwargs) - {"device", "dtype"})
        if unknown or len(args) > 2:
            raise TypeError(
                f"Module.to: unexpected arguments; got {len(args)} positional and keywords "
                f"{sorted(kwargs)}, expected to(device), to(dtype), to(device, dtype) or "
                "to(tensor), with the keywords device=, dtype=, non_blocking="
            )
        dtype = kwargs.get("dtype")
        device = kwargs.get("device")
        for arg in args:
            if isinstance(arg, Tensor):
                dtype = arg.dtype
            elif _is_device(arg):
                device = arg
            else:
                dtype = arg
        if device is not None:
            check_device(device, "Module.to")
        if dtype is None:
            return self
        return self._cast(float_dtype(dtype, "Module.to"))

    def cpu(self) -> Module:
        """Returns self: parameters already live in main memory (PyTorch's ``cpu()``)."""
        return self

    def cuda(self, device: Any = None) -> Module:
        """Always a RuntimeError: grafograd has no GPU backend (PyTorch's ``cuda()``)."""
        raise RuntimeError(
            f"Module.cuda: grafograd runs on the CPU only; got device {device or 'cuda'!r}, "
            "expected 'cpu'. Drop the .cuda() call"
        )

    def type(self, dst_type: Any) -> Module:
        """Convert floating-point parameters and buffers to ``dst_type`` (float32 or float64).

        >>> from nn.layers import Linear
        >>> Linear(2, 1).type("float64").bias.dtype
        dtype('float64')
        """
        return self._cast(float_dtype(dst_type, "Module.type"))

    def _cast(self, dtype: np.dtype) -> Module:
        tensors = [p for p in self.parameters() if isinstance(p, Tensor)]
        for t in tensors + list(self.buffers()):
            if t.dtype.kind == "f" and t.dtype != dtype:
                t.data = t.data.astype(dtype)
                if t.grad is not None:
                    t.grad = t.grad.astype(dtype)
        return self

    # ---- state -----------------------------------------------------------------------------

    def state_dict(self) -> dict[str, np.ndarray]:
        """A copy of every parameter (frozen ones too) and persistent buffer as a numpy array, by
        dotted name (a Value gives a 0-d array); each module's parameters, then its buffers.

        >>> from nn.scalar import Neuron
        >>> sorted(Neuron(1).state_dict())
        ['b', 'w.0']
        """
        return {
            name: p.numpy().copy() if isinstance(p, Tensor) else np.array(p.data)
            for name, p in self._named_state().items()
        }

    def load_state_dict(
        self, state_dict: dict[str, Any], strict: bool = True, *, allow_nonfinite: bool = False
    ) -> IncompatibleKeys:
        """Copy values into the parameters and persistent buffers, by name.

        Nothing silently wrong: an entry must have the parameter's shape and hold real numbers
        (bool, int or float; complex, object and string arrays are refused), and values that are
        nan or inf, or that overflow the parameter's dtype (1e300 into float32), are refused
        too, unlike PyTorch, unless ``allow_nonfinite``. Nothing is copied when it raises.

        Args:
            state_dict: name → array (or number, or Tensor), e.g. from `state_dict` or `load`.
            strict: raise if a parameter has no entry or an entry has no parameter.
            allow_nonfinite: load nan and inf values as they are (overflowing ones become inf).

        Returns:
            The missing and unexpected keys (both empty when ``strict``).

        Raises:
            RuntimeError: missing or unexpected keys (when ``strict``), or a shape mismatch.
            TypeError: an entry that does not hold real numbers.
            ValueError: an entry with nan or inf (or overflowing) values.

        >>> import numpy as np
        >>> from nn.layers import Linear
        >>> fc = Linear(2, 1)
        >>> fc.load_state_dict({"weight": np.ones((1, 2)), "bias": np.zeros(1)})
        IncompatibleKeys(missing_keys=[], unexpected_keys=[])
        >>> fc.load_state_dict({"weight": np.full((1, 2), np.nan), "bias": np.zeros(1)})
        ... # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ValueError: Linear.load_state_dict: entry 'weight' holds nan or inf (2 of 2 values); ...
        """
        return self._load_arrays(
            state_dict, strict, allow_nonfinite, f"{type(self).__name__}.load_state_dict"
        )

    def _load_arrays(
        self, state_dict: Mapping[str, Any], strict: bool, allow_nonfinite: bool, api: str
    ) -> IncompatibleKeys:
        if not isinstance(state_dict, Mapping):
            raise TypeError(
                f"{api}: state_dict must be a mapping of names to arrays; got "
                f"{type(state_dict).__name__}, expected a dict such as model.state_dict() gives"
            )
        own = self._named_state()
        missing = [k for k in own if k not in state_dict]
        unexpected = [k for k in state_dict if k not in own]
        arrays = {k: _as_array(v, k, api) for k, v in state_dict.items() if k in own}
        shapes = {k: a.shape for k, a in arrays.items()}  # shapes must agree even if not strict
        problems = _fit_problems(own, *((missing, unexpected) if strict else ([], [])), shapes)
        if problems:
            raise _misfit(api, problems)
        for key, array in arrays.items():
            if not is_real(array.dtype):
                raise TypeError(
                    f"{api}: entry {key!r} has dtype {array.dtype}; expected real numbers "
                    f"(bool, int or float) for a {_kind(own[key])} parameter. Convert it "
                    "first, e.g. x.real.astype(np.float32) for complex values"
                )
        values = {key: _cast(array, own[key]) for key, array in arrays.items()}
        if not allow_nonfinite:
            for key, value in values.items():
                _check_finite(key, value, arrays[key], api)
        for key, value in values.items():
            own[key].data = value
        return IncompatibleKeys(missing, unexpected)

    def save(self, path: str | os.PathLike[str]) -> str:
        """Write `state_dict` to an ``.npz`` file; returns the path.

        ``.npz`` is added unless the name already ends in it, in any case: ``"x.NPZ"`` is
        written as ``x.NPZ`` (numpy.savez would write ``x.NPZ.npz``).

        >>> import tempfile, os
        >>> from nn.scalar import MLP
        >>> net, copy = MLP(2, [3, 1]), MLP(2, [3, 1])
        >>> path = net.save(os.path.join(tempfile.mkdtemp(), "net"))
        >>> os.path.basename(path)
        'net.npz'
        >>> copy.load(path).layers[0].neurons[0].b.data == net.layers[0].neurons[0].b.data
        True
        """
        path = os.fspath(path)
        if not path.lower().endswith(".npz"):
            path += ".npz"
        return save_npz(path, self.state_dict())

    def load(
        self, path: str | os.PathLike[str], strict: bool = True, *, allow_nonfinite: bool = False
    ) -> Module:
        """Load parameters saved by `save` (``.npz``; the suffix may be left out); returns self.

        The archive is checked from its headers before any data is read: names against the
        parameters (as ``strict`` asks), then each array's dtype and shape, and that the size
        its zip entry declares is exactly what that shape needs, so an oversized or crafted
        file is refused cheaply. Values are then checked as in `load_state_dict`. Nothing is
        ever unpickled, and nothing is copied when it raises.

        Raises:
            FileNotFoundError: no such file.
            RuntimeError: the archive's names or shapes do not fit the model.
            ValueError: a broken or foreign file (not a zip, truncated, a member that is not a
                real-valued ``.npy`` array, corrupt data), or nan / inf values (see
                ``allow_nonfinite`` in `load_state_dict`).
        """
        path = os.fspath(path)
        if not os.path.exists(path) and os.path.exists(path + ".npz"):
            path += ".npz"
        api = f"Module.load: {path!r}"
        own = self._named_state()
        with NpzReader(path, "Module.load") as archive:
            keys = archive.keys()
            missing = [k for k in own if k not in keys]
            unexpected = [k for k in keys if k not in own]
            if strict and (missing or unexpected):  # refused from the zip directory alone
                raise _misfit(api, _fit_problems(own, missing, unexpected, {}))
            members = {k: archive.header(k) for k in keys if k in own}
            problems = _fit_problems(own, [], [], {k: m.shape for k, m in members.items()})
            if problems:
                raise _misfit(api, problems)
            state = {key: archive.read(member) for key, member in members.items()}
        self._load_arrays(state, False, allow_nonfinite, api)
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


def _check_name(module: Module, name: Any, api: str, kind: type) -> None:
    """Refuse a name that is not a fresh attribute name, or one holding None or a ``kind`` (the
    parameter or module registered there before), as PyTorch does."""
    if not isinstance(name, str):
        raise TypeError(f"{api}: name must be a str; got {type(name).__name__}")
    if not name or "." in name:
        raise KeyError(f"{api}: name must be non-empty and contain no '.'; got {name!r}")
    current = getattr(module, name, None)
    if hasattr(module, name) and not (current is None or isinstance(current, kind)):
        raise KeyError(
            f"{api}: attribute {name!r} already exists; got a {type(current).__name__} there, "
            "expected a new name"
        )


def _is_device(arg: Any) -> bool:
    """Whether ``arg`` names a device: a str that is no dtype name, or an object with a str
    ``type`` (torch.device-like)."""
    if isinstance(arg, str):
        try:
            np.dtype(arg)
        except TypeError:
            return True
        return False
    return isinstance(getattr(arg, "type", None), str)


def float_dtype(dtype: Any, api: str) -> np.dtype:
    """``dtype`` as float32 or float64; other dtypes are refused (modules hold float weights)."""
    resolved = as_dtype(dtype, api)
    if resolved is None or resolved not in (np.float32, np.float64):
        raise TypeError(
            f"{api}: only floating-point dtypes; got {resolved}, expected float32 or float64"
        )
    return resolved


def _adopt(module: Module, name: str) -> None:
    """Tell ``module`` its name inside its parent (its scope is the parent's plus this).

    The first parent wins: a module also placed elsewhere later (a slice of a Sequential, a shared
    layer) keeps the scope of where it was first attached.
    """
    if not module._scope_local:
        _set(module, "_scope_local", name)
        _set(module, "_scope_cache", (None, ""))


def _as_array(value: Any, key: str, api: str) -> np.ndarray:
    if isinstance(value, Tensor):
        return value.numpy()
    if isinstance(value, Value):
        return np.array(value.data)
    try:
        return np.asarray(value)
    except (TypeError, ValueError) as err:  # e.g. a ragged list
        raise TypeError(
            f"{api}: entry {key!r} is not an array; got {type(value).__name__} ({err}), "
            "expected an array of real numbers"
        ) from None


def _fit_problems(
    own: dict[str, AnyParameter],
    missing: list[str],
    unexpected: list[str],
    shapes: dict[str, tuple[int, ...]],
) -> list[str]:
    """What keeps a state from fitting: missing and unexpected keys, then shape mismatches."""
    problems = []
    if missing:
        problems.append(f"missing keys {missing}")
    if unexpected:
        problems.append(f"unexpected keys {unexpected}")
    for key, shape in shapes.items():
        expected = _shape(own[key])
        if shape != expected:
            problems.append(f"size mismatch for {key}: got shape {shape}, expected {expected}")
    return problems


def _misfit(api: str, problems: list[str]) -> RuntimeError:
    return RuntimeError(
        f"{api}: the state does not fit the model: "
        + "; ".join(problems)
        + ". Pass strict=False to load only the matching entries (shapes must agree)"
    )


def _shape(p: AnyParameter) -> tuple[int, ...]:
    return p.data.shape if isinstance(p, Tensor) else ()


def _kind(p: AnyParameter) -> str:
    return str(p.data.dtype) if isinstance(p, Tensor) else "Value (float)"


def _cast(array: np.ndarray, p: AnyParameter) -> Any:
    """The parameter's new data: a fresh array in its dtype, or a float for a Value."""
    with np.errstate(over="ignore", invalid="ignore"):  # overflow is reported by _check_finite
        if isinstance(p, Tensor):
            return array.astype(p.data.dtype, copy=True)
        return float(array)


def _check_finite(key: str, value: Any, source: np.ndarray, api: str) -> None:
    bad = ~np.isfinite(value)
    if not bad.any():
        return
    hint = "Pass allow_nonfinite=True to load them anyway"
    if np.isfinite(source[bad] if np.ndim(source) else source).all():
        dtype = value.dtype if isinstance(value, np.ndarray) else "float"
        largest = float(np.abs(source).max())
        raise ValueError(
            f"{api}: entry {key!r} holds values that overflow {dtype} ({int(bad.sum())} of "
            f"{bad.size}, largest {largest!r}); expected values the parameter's dtype can hold. "
            "Rescale them, or use a float64 model (model.double())"
        )
    raise ValueError(
        f"{api}: entry {key!r} holds nan or inf ({int(bad.sum())} of {bad.size} values); "
        f"expected finite numbers. The state may come from a diverged run. {hint}"
    )
