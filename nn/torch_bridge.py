"""Graduation to PyTorch: `to_torch` gives the `torch.nn.Module` that computes what an `nn` model
computes, `from_torch` the way back; weights copied (dtype kept), names and train/eval mode kept.

PyTorch is imported only when one of them is called.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np

from autograd import Tensor
from autograd.random import generator
from nn.activations import ELU, GELU, LeakyReLU, Maxout, PReLU, ReLU, Sigmoid, SiLU, Softmax, Tanh
from nn.container import Sequential
from nn.layers import AvgPool2d, Conv2d, Dropout, Flatten, Identity, Linear, MaxPool2d
from nn.models import MLP, LeNet
from nn.module import Module
from nn.normalization import BatchNorm1d, BatchNorm2d

__all__ = ["from_torch", "to_torch"]

# ---- PyTorch, on demand ----------------------------------------------------------------------


def _torch(api: str) -> Any:
    """The torch package, or an ImportError that says how to get it."""
    try:
        import torch
    except ImportError:
        raise ImportError(
            f"{api}: PyTorch is not installed; got no module named 'torch', expected it "
            "importable. Install it with `pip install torch`"
        ) from None
    return torch


@functools.cache
def _twin_classes() -> dict[str, type]:
    """PyTorch twins of the `nn` models that are not a plain Sequential (built once, lazily)."""
    torch = _torch("to_torch")
    base: Any = torch.nn.Module

    class TorchLeNet(base):
        """The PyTorch twin of `nn.LeNet`: ``classifier(features(x))``, same names and layers."""

        def __init__(
            self,
            features: Any,
            classifier: Any,
            input_size: tuple[int, int],
        ) -> None:
            super().__init__()
            self.features = features
            self.classifier = classifier
            self.input_size = input_size

        def forward(self, x: Any) -> Any:
            return self.classifier(self.features(x))

    class TorchMaxout(base):
        """The PyTorch twin of `nn.Maxout`: ``Linear(in, out * pieces)``, then the maximum over
        each unit's ``pieces`` consecutive outputs."""

        def __init__(self, in_features: int, out_features: int, pieces: int, bias: bool) -> None:
            super().__init__()
            self.in_features, self.out_features, self.pieces = in_features, out_features, pieces
            rows = out_features * pieces
            self.weight = torch.nn.Parameter(torch.empty(rows, in_features))
            self.register_parameter("bias", torch.nn.Parameter(torch.empty(rows)) if bias else None)

        def forward(self, x: Any) -> Any:
            y = torch.nn.functional.linear(x, self.weight, self.bias)
            return y.unflatten(-1, (self.out_features, self.pieces)).amax(-1)

        def extra_repr(self) -> str:
            return (
                f"in_features={self.in_features}, out_features={self.out_features}, "
                f"pieces={self.pieces}, bias={self.bias is not None}"
            )

    twins: dict[str, type] = {"TorchLeNet": TorchLeNet, "TorchMaxout": TorchMaxout}
    for name, cls in twins.items():  # so that torch.save(model) can pickle a whole twin
        cls.__module__, cls.__qualname__ = __name__, name
    return twins


def __getattr__(name: str) -> type:
    """The twin classes as attributes of this module (``nn.torch_bridge.TorchLeNet``)."""
    if name in ("TorchLeNet", "TorchMaxout"):
        return _twin_classes()[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class _Bridge:
    """One conversion: the torch package, and each module converted so far by id, so a layer
    used twice (shared weights) is converted once and stays shared."""

    def __init__(self, torch: Any) -> None:
        self.torch = torch
        self.nn = torch.nn
        self.done: dict[int, tuple[Any, Any]] = {}  # id(source) -> (source, converted)

    def seen(self, source: Any) -> Any:
        """The conversion of ``source`` if it was converted already, else None."""
        entry = self.done.get(id(source))
        return entry[1] if entry is not None else None

    def keep(self, source: Any, converted: Any) -> Any:
        self.done[id(source)] = (source, converted)  # holding source keeps its id unique
        return converted


# ---- to PyTorch --------------------------------------------------------------------------------


def to_torch(model: Module) -> Any:
    """The `torch.nn.Module` equivalent to ``model``: same layers, names, weights and mode.

    Each layer becomes its ``torch.nn`` namesake, `Sequential` and `MLP` a ``torch.nn.Sequential``,
    `LeNet` a small ``TorchLeNet`` module with the same ``features`` and ``classifier``, and
    `Maxout` (which PyTorch lacks) a ``TorchMaxout``, so ``state_dict`` keys match. Weights and
    buffers (BatchNorm's running statistics) are copied, float32 staying float32 and float64
    float64; frozen weights stay frozen, a layer used twice stays shared, and each module keeps
    its training / evaluation mode.

    Args:
        model: a model built from `nn`'s tensor layers.

    Returns:
        A ``torch.nn.Module`` on the CPU.

    Raises:
        ImportError: PyTorch is not installed.
        TypeError: ``model`` is not an `nn.Module`, or holds a module that has no PyTorch twin
            (e.g. a custom Module, whose ``forward`` is grafograd code).

    >>> import numpy as np, pytest
    >>> torch = pytest.importorskip("torch")
    >>> net = MLP(2, 3, 1)
    >>> twin = to_torch(net)
    >>> twin
    Sequential(
      (0): Linear(in_features=2, out_features=3, bias=True)
      (1): ReLU()
      (2): Linear(in_features=3, out_features=1, bias=True)
    )
    >>> x = np.ones((4, 2), dtype=np.float32)
    >>> bool(np.allclose(net(x).numpy(), twin(torch.from_numpy(x)).detach().numpy()))
    True
    """
    torch = _torch("to_torch")
    if not isinstance(model, Module):
        raise TypeError(
            f"to_torch: model must be an nn.Module; got {type(model).__name__}, expected a model "
            "built from nn layers"
        )
    return _to(model, "", _Bridge(torch))


def _to(module: Module, path: str, b: _Bridge) -> Any:
    convert = _TO.get(type(module))
    if convert is None:
        raise TypeError(
            f"to_torch: cannot convert {type(module).__name__}"
            + (f" (at {path!r})" if path else "")
            + f"; got a module with no PyTorch twin, expected one of {sorted(_TO_NAMES)}. A custom "
            "Module's forward is grafograd code: write its torch twin and copy the weights with "
            "twin.load_state_dict({k: torch.from_numpy(v) for k, v in model.state_dict().items()})"
        )
    twin = b.seen(module)
    if twin is None:
        twin = b.keep(module, convert(module, path, b))
        twin.training = module.training
    return twin


def _parameter(p: Tensor | None, b: _Bridge) -> Any:
    """A torch Parameter holding a copy of ``p``'s values (or None for a missing bias)."""
    if p is None:
        return None
    data = b.torch.from_numpy(np.array(p.data, copy=True, order="C"))
    return b.nn.Parameter(data, requires_grad=p.requires_grad)


def _with_weights(twin: Any, module: Module, names: tuple[str, ...], b: _Bridge) -> Any:
    for name in names:
        setattr(twin, name, _parameter(getattr(module, name), b))
    return twin


def _with_buffers(twin: Any, module: Module, names: tuple[str, ...], b: _Bridge) -> Any:
    for name in names:
        buffer = getattr(module, name)
        if buffer is not None:
            setattr(twin, name, b.torch.from_numpy(np.array(buffer.data, copy=True, order="C")))
    return twin


def _children(module: Sequential, path: str, b: _Bridge) -> Iterator[Any]:
    for i, child in enumerate(module):
        yield _to(child, f"{path}.{i}" if path else str(i), b)


def _to_sequential(module: Sequential, path: str, b: _Bridge) -> Any:
    return b.nn.Sequential(*_children(module, path, b))


def _to_lenet(module: LeNet, path: str, b: _Bridge) -> Any:
    def part(name: str) -> Any:
        return _to(getattr(module, name), f"{path}.{name}" if path else name, b)

    return _twin_classes()["TorchLeNet"](
        part("features"), part("classifier"), tuple(module.input_size)
    )


def _to_linear(m: Linear, path: str, b: _Bridge) -> Any:
    twin = b.nn.utils.skip_init(b.nn.Linear, m.in_features, m.out_features, bias=m.bias is not None)
    return _with_weights(twin, m, ("weight", "bias"), b)


def _to_conv2d(m: Conv2d, path: str, b: _Bridge) -> Any:
    twin = b.nn.utils.skip_init(
        b.nn.Conv2d,
        m.in_channels,
        m.out_channels,
        m.kernel_size,
        stride=m.stride,
        padding=m.padding,
        bias=m.bias is not None,
    )
    return _with_weights(twin, m, ("weight", "bias"), b)


def _to_batch_norm(m: BatchNorm1d | BatchNorm2d, path: str, b: _Bridge) -> Any:
    twin = b.nn.utils.skip_init(
        getattr(b.nn, type(m).__name__),
        m.num_features,
        eps=m.eps,
        momentum=m.momentum,
        affine=m.affine,
        track_running_stats=m.track_running_stats,
    )
    _with_weights(twin, m, ("weight", "bias"), b)
    return _with_buffers(twin, m, _BATCH_NORM_BUFFERS, b)


def _to_prelu(m: PReLU, path: str, b: _Bridge) -> Any:
    twin = b.nn.utils.skip_init(b.nn.PReLU, m.weight.shape[0])  # one slope, or one per channel
    return _with_weights(twin, m, ("weight",), b)


def _to_maxout(m: Maxout, path: str, b: _Bridge) -> Any:
    twin = _twin_classes()["TorchMaxout"](
        m.in_features, m.out_features, m.pieces, m.bias is not None
    )
    return _with_weights(twin, m, ("weight", "bias"), b)


_BATCH_NORM_BUFFERS = ("running_mean", "running_var", "num_batches_tracked")

_TO: dict[type, Callable[[Any, str, _Bridge], Any]] = {
    Sequential: _to_sequential,
    MLP: _to_sequential,
    LeNet: _to_lenet,
    Linear: _to_linear,
    Conv2d: _to_conv2d,
    MaxPool2d: lambda m, path, b: b.nn.MaxPool2d(
        m.kernel_size, m.stride, m.padding, m.dilation, m.return_indices, m.ceil_mode
    ),
    AvgPool2d: lambda m, path, b: b.nn.AvgPool2d(
        m.kernel_size, m.stride, m.padding, m.ceil_mode, m.count_include_pad, m.divisor_override
    ),
    Flatten: lambda m, path, b: b.nn.Flatten(m.start_dim, m.end_dim),
    Dropout: lambda m, path, b: b.nn.Dropout(m.p),
    ReLU: lambda m, path, b: b.nn.ReLU(),
    LeakyReLU: lambda m, path, b: b.nn.LeakyReLU(m.negative_slope),
    ELU: lambda m, path, b: b.nn.ELU(m.alpha),
    Sigmoid: lambda m, path, b: b.nn.Sigmoid(),
    Tanh: lambda m, path, b: b.nn.Tanh(),
    Softmax: lambda m, path, b: b.nn.Softmax(m.dim),
    Identity: lambda m, path, b: b.nn.Identity(),
    GELU: lambda m, path, b: b.nn.GELU(m.approximate),
    SiLU: lambda m, path, b: b.nn.SiLU(),
    PReLU: _to_prelu,
    Maxout: _to_maxout,
    BatchNorm1d: _to_batch_norm,
    BatchNorm2d: _to_batch_norm,
}
_TO_NAMES = [cls.__name__ for cls in _TO]


# ---- from PyTorch ------------------------------------------------------------------------------


def from_torch(module: Any) -> Module:
    """The `nn` model equivalent to a ``torch.nn.Module``: same layers, names, weights and mode.

    The inverse of `to_torch`: ``torch.nn`` layers become their `nn` namesakes, a
    ``torch.nn.Sequential`` an `nn.Sequential`, ``TorchLeNet`` and ``TorchMaxout`` an `nn.LeNet`
    and an `nn.Maxout`. Weights and buffers (BatchNorm's running statistics) are copied
    to the CPU in their dtype (float32 or float64). The random generator is left as it was.

    Args:
        module: a ``torch.nn.Module`` built from the layers `to_torch` produces.

    Returns:
        An `nn.Module`.

    Raises:
        ImportError: PyTorch is not installed.
        TypeError: ``module`` is not a ``torch.nn.Module``, holds a module type with no grafograd
            twin (e.g. a custom Module), or a parameter that is neither float32 nor float64.
        ValueError: a layer uses a setting grafograd lacks (a Conv2d's dilation or groups),
            or a Sequential names its entries (grafograd's are named 0, 1, ...).

    >>> import pytest
    >>> torch = pytest.importorskip("torch")
    >>> net = from_torch(torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.Tanh()))
    >>> net
    Sequential(
      (0): Linear(in_features=2, out_features=3, bias=True)
      (1): Tanh()
    )
    """
    torch = _torch("from_torch")
    if not isinstance(module, torch.nn.Module):
        raise TypeError(
            f"from_torch: module must be a torch.nn.Module; got {type(module).__name__}, "
            "expected e.g. a torch.nn.Sequential"
        )
    with _generator_kept():
        return _from(module, "", _Bridge(torch))


@contextmanager
def _generator_kept() -> Iterator[None]:
    """Layers draw initial weights that are then overwritten: keep the user's random stream."""
    bits = generator().bit_generator
    state = bits.state
    try:
        yield
    finally:
        bits.state = state


def _from(twin: Any, path: str, b: _Bridge) -> Module:
    kind = type(twin)
    where = f" (at {path!r})" if path else ""
    convert = _from_table(b.torch).get(kind)
    if convert is None:
        names = sorted(cls.__name__ for cls in _from_table(b.torch))
        raise TypeError(
            f"from_torch: cannot convert {kind.__name__}{where}; got a module with no grafograd "
            f"twin, expected one of {names}. For a custom Module, build the same model from nn "
            "layers and copy the weights with model.load_state_dict({k: v.numpy() for k, v in "
            "twin.state_dict().items()})"
        )
    module = b.seen(twin)
    if module is None:
        module = b.keep(twin, convert(twin, path, where, b))
        module.training = twin.training
    return module


def _array(p: Any, name: str, where: str, b: _Bridge) -> np.ndarray:
    if p.dtype not in (b.torch.float32, b.torch.float64):
        raise TypeError(
            f"from_torch: parameter {name!r}{where} has dtype {p.dtype}; expected torch.float32 "
            "or torch.float64. Convert the module first, e.g. module.float()"
        )
    return p.detach().cpu().numpy().copy()


def _take_weights(module: Module, twin: Any, names: tuple[str, ...], where: str, b: _Bridge) -> Any:
    for name in names:
        source = getattr(twin, name)
        if source is None:
            continue
        target = getattr(module, name)
        target.data = _array(source, name, where, b)
        target.requires_grad = source.requires_grad
    return module


def _refuse(twin: Any, where: str, settings: dict[str, tuple[Any, Any]]) -> None:
    """ValueError for the first setting (name → (value, the only value we have)) that differs."""
    for name, (value, supported) in settings.items():
        if value != supported:
            raise ValueError(
                f"from_torch: {type(twin).__name__}{where} uses {name}={value!r}, which grafograd "
                f"lacks; got {value!r}, expected {supported!r}"
            )


def _from_sequential(twin: Any, path: str, where: str, b: _Bridge) -> Module:
    names = list(twin._modules)
    if names != [str(i) for i in range(len(names))]:
        raise ValueError(
            f"from_torch: Sequential{where} names its entries; got {names}, expected 0, 1, ... "
            "(nn.Sequential names entries by position, so state_dict keys would differ). Build "
            "it from a list of modules, or convert the entries one by one"
        )
    children = [_from(child, f"{path}.{i}" if path else str(i), b) for i, child in enumerate(twin)]
    return Sequential(*children)


def _from_lenet(twin: Any, path: str, where: str, b: _Bridge) -> Module:
    # Rebuild the LeNet around the converted parts rather than from size arguments, so that every
    # layer (an activation's slope, a changed layer) comes back exactly as it is in the twin.
    model = LeNet.__new__(LeNet)
    Module.__init__(model)
    model.input_size = tuple(twin.input_size)
    for name in ("features", "classifier"):
        setattr(model, name, _from(getattr(twin, name), f"{path}.{name}" if path else name, b))
    return model


def _from_linear(twin: Any, path: str, where: str, b: _Bridge) -> Module:
    module = Linear(twin.in_features, twin.out_features, bias=twin.bias is not None)
    return _take_weights(module, twin, ("weight", "bias"), where, b)


def _from_conv2d(twin: Any, path: str, where: str, b: _Bridge) -> Module:
    _refuse(
        twin,
        where,
        {
            "dilation": (tuple(twin.dilation), (1, 1)),
            "groups": (twin.groups, 1),
            "padding_mode": (twin.padding_mode, "zeros"),
        },
    )
    padding = twin.padding
    if not isinstance(padding, str):  # torch keeps (1, 1) for 1: give back the int where it fits
        padding = padding[0] if padding[0] == padding[1] else tuple(padding)
    module = Conv2d(
        twin.in_channels,
        twin.out_channels,
        tuple(twin.kernel_size),
        stride=tuple(twin.stride),
        padding=padding,
        bias=twin.bias is not None,
    )
    return _take_weights(module, twin, ("weight", "bias"), where, b)


def _take_buffers(module: Module, twin: Any, names: tuple[str, ...]) -> Module:
    for name in names:
        source = getattr(twin, name)
        if source is not None:
            getattr(module, name).data = source.detach().cpu().numpy().copy()
    return module


def _from_batch_norm(twin: Any, path: str, where: str, b: _Bridge) -> Module:
    kind = BatchNorm1d if isinstance(twin, b.nn.BatchNorm1d) else BatchNorm2d
    module = kind(
        twin.num_features,
        eps=twin.eps,
        momentum=twin.momentum,
        affine=twin.affine,
        track_running_stats=twin.track_running_stats,
    )
    _take_weights(module, twin, ("weight", "bias"), where, b)
    return _take_buffers(module, twin, _BATCH_NORM_BUFFERS)


def _from_prelu(twin: Any, path: str, where: str, b: _Bridge) -> Module:
    return _take_weights(PReLU(twin.num_parameters), twin, ("weight",), where, b)


def _from_maxout(twin: Any, path: str, where: str, b: _Bridge) -> Module:
    module = Maxout(twin.in_features, twin.out_features, twin.pieces, twin.bias is not None)
    return _take_weights(module, twin, ("weight", "bias"), where, b)


def _from_softmax(twin: Any, path: str, where: str, b: _Bridge) -> Module:
    if twin.dim is None:
        raise ValueError(
            f"from_torch: Softmax{where} has dim=None (PyTorch then guesses the axis from the "
            "input's rank); got None, expected an int. Give it, e.g. torch.nn.Softmax(dim=1)"
        )
    return Softmax(twin.dim)


@functools.cache
def _from_table(torch: Any) -> dict[type, Callable[[Any, str, str, _Bridge], Module]]:
    tnn = torch.nn
    return {
        tnn.Sequential: _from_sequential,
        _twin_classes()["TorchLeNet"]: _from_lenet,
        tnn.Linear: _from_linear,
        tnn.Conv2d: _from_conv2d,
        _twin_classes()["TorchMaxout"]: _from_maxout,
        tnn.MaxPool2d: lambda t, path, where, b: MaxPool2d(
            t.kernel_size, t.stride, t.padding, t.dilation, t.return_indices, t.ceil_mode
        ),
        tnn.AvgPool2d: lambda t, path, where, b: AvgPool2d(
            t.kernel_size,
            t.stride,
            t.padding,
            t.ceil_mode,
            t.count_include_pad,
            t.divisor_override,
        ),
        tnn.Flatten: lambda t, path, where, b: Flatten(t.start_dim, t.end_dim),
        tnn.Dropout: lambda t, path, where, b: Dropout(t.p),
        tnn.ReLU: lambda t, path, where, b: ReLU(),
        tnn.LeakyReLU: lambda t, path, where, b: LeakyReLU(t.negative_slope),
        tnn.ELU: lambda t, path, where, b: ELU(t.alpha),
        tnn.Sigmoid: lambda t, path, where, b: Sigmoid(),
        tnn.Tanh: lambda t, path, where, b: Tanh(),
        tnn.Softmax: _from_softmax,
        tnn.Identity: lambda t, path, where, b: Identity(),
        tnn.GELU: lambda t, path, where, b: GELU(t.approximate),
        tnn.SiLU: lambda t, path, where, b: SiLU(),
        tnn.PReLU: _from_prelu,
        tnn.BatchNorm1d: _from_batch_norm,
        tnn.BatchNorm2d: _from_batch_norm,
    }
