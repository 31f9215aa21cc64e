"""Ready-made tensor models: a multilayer perceptron (`MLP`) and a LeNet-style CNN (`LeNet`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from nn import functional as F
from nn.activations import ELU, GELU, LeakyReLU, PReLU, ReLU, Sigmoid, SiLU, Tanh
from nn.checks import positive
from nn.container import Sequential
from nn.layers import Conv2d, Dropout, Flatten, Identity, Linear, MaxPool2d
from nn.module import Module

_ACTIVATIONS: dict[str, type[Module]] = {
    "relu": ReLU,
    "tanh": Tanh,
    "sigmoid": Sigmoid,
    "leaky_relu": LeakyReLU,
    "elu": ELU,
    "gelu": GELU,
    "silu": SiLU,
    "prelu": PReLU,
    "identity": Identity,
    "linear": Identity,
}


def activation_layer(name: str | type[Module] | None, api: str) -> Module:
    """A fresh activation module from its name (``"relu" "tanh" "sigmoid" "leaky_relu" "elu"
    "gelu" "silu" "prelu" "identity"``), from a Module class, or Identity for None.

    >>> activation_layer("tanh", "MLP")
    Tanh()
    """
    if name is None:
        return Identity()
    if isinstance(name, type) and issubclass(name, Module):
        return name()
    if isinstance(name, str) and name in _ACTIVATIONS:
        return _ACTIVATIONS[name]()
    raise ValueError(
        f"{api}: unknown activation; got {name!r}, expected one of {sorted(_ACTIVATIONS)} or a "
        "Module class"
    )


class MLP(Sequential):
    r"""Linear layers with an activation between them: in → hidden… → out.

    Args:
        in_features: input width s.
        hidden: the hidden widths (an int for one hidden layer, a list for several, [] for none).
        out_features: output width m.
        activation: the hidden activation (a name or a Module class).
        output_activation: an activation after the last layer (None: linear outputs, i.e. logits).
        dropout: a `Dropout` with this probability after each hidden activation (0: none).

    A shallow net (one hidden layer of n units) has s·n + n + n·m + m parameters:

    >>> net = MLP(2, 3, 1)
    >>> net.num_parameters()
    13
    >>> net
    MLP(
      (0): Linear(in_features=2, out_features=3, bias=True)
      (1): ReLU()
      (2): Linear(in_features=3, out_features=1, bias=True)
    )
    """

    def __init__(
        self,
        in_features: int,
        hidden: int | Sequence[int],
        out_features: int,
        activation: str | type[Module] = "relu",
        output_activation: str | type[Module] | None = None,
        dropout: float = 0.0,
    ) -> None:
        super().__init__()
        widths = [hidden] if isinstance(hidden, (int, np.integer, str)) else list(hidden)
        # fail early, naming MLP, on a bad size, rate or activation name
        in_features = positive(in_features, "MLP", "in_features")
        widths = [positive(n, "MLP", "hidden width") for n in widths]
        out_features = positive(out_features, "MLP", "out_features")
        dropout = F.probability(dropout, "MLP", "dropout")
        activation_layer(activation, "MLP")
        if output_activation is not None:
            activation_layer(output_activation, "MLP")
        sizes = [in_features, *widths]
        for n_in, n_out in zip(sizes[:-1], sizes[1:], strict=True):
            self.append(Linear(n_in, n_out))
            self.append(activation_layer(activation, "MLP"))
            if dropout:
                self.append(Dropout(dropout))
        self.append(Linear(sizes[-1], out_features))
        if output_activation is not None:
            self.append(activation_layer(output_activation, "MLP"))


class LeNet(Module):
    r"""A LeNet-style CNN: two (conv → activation → 2×2 max-pool) stages, then three dense layers.

    Convolutions use "same" padding, so the image shrinks only in the pools: an H×W input reaches
    the dense layers as ``channels[1] × (H//4) × (W//4)`` features. The kernel is 5×5 (LeNet-5)
    for inputs of at least 16 pixels and 3×3 below (8×8 digits).

    Args:
        in_channels: image channels (1 for grey).
        num_classes: outputs (logits).
        input_size: the image size, an int or (H, W): 28 for MNIST, 8 for scikit-learn's digits.
        channels: filters of the two convolutions.
        hidden: widths of the two hidden dense layers.
        kernel_size: the convolution kernel (default as above).
        activation: a name or a Module class.

    >>> import numpy as np
    >>> net = LeNet(input_size=8)
    >>> net(np.zeros((2, 1, 8, 8), dtype=np.float32)).shape
    (2, 10)
    >>> LeNet(input_size=28).classifier[1]
    Linear(in_features=784, out_features=120, bias=True)
    """

    def __init__(
        self,
        in_channels: int = 1,
        num_classes: int = 10,
        input_size: int | tuple[int, int] = 28,
        channels: tuple[int, int] = (6, 16),
        hidden: tuple[int, int] = (120, 84),
        kernel_size: int | None = None,
        activation: str | type[Module] = "relu",
    ) -> None:
        super().__init__()
        height, width = (input_size, input_size) if isinstance(input_size, int) else input_size
        if height < 4 or width < 4:
            raise ValueError(
                f"LeNet: input_size must be at least 4 (two 2x2 pools); got {input_size!r}"
            )
        k = kernel_size if kernel_size is not None else (5 if min(height, width) >= 16 else 3)
        if k % 2 != 1:
            raise ValueError(f"LeNet: kernel_size must be odd ('same' padding); got {k}")
        in_channels = positive(in_channels, "LeNet", "in_channels")
        num_classes = positive(num_classes, "LeNet", "num_classes")
        c1, c2 = (positive(n, "LeNet", "channels") for n in _two(channels, "LeNet", "channels"))
        h1, h2 = (positive(n, "LeNet", "hidden") for n in _two(hidden, "LeNet", "hidden"))
        self.input_size = (height, width)
        self.features = Sequential(
            Conv2d(in_channels, c1, k, padding=k // 2),
            activation_layer(activation, "LeNet"),
            MaxPool2d(2),
            Conv2d(c1, c2, k, padding=k // 2),
            activation_layer(activation, "LeNet"),
            MaxPool2d(2),
        )
        self.classifier = Sequential(
            Flatten(),
            Linear(c2 * (height // 4) * (width // 4), h1),
            activation_layer(activation, "LeNet"),
            Linear(h1, h2),
            activation_layer(activation, "LeNet"),
            Linear(h2, num_classes),
        )

    def forward(self, x: Any) -> Any:
        return self.classifier(self.features(x))


def _two(value: Any, api: str, name: str) -> tuple[Any, Any]:
    try:
        first, second = value
    except (TypeError, ValueError):
        raise TypeError(f"{api}: {name} must be a pair of ints; got {value!r}") from None
    return first, second
