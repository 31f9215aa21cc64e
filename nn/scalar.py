"""Networks on scalar `Value`s: every weight is a node you can draw."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

from autograd import Value
from autograd.random import generator
from nn.module import Module

Operand = Value | float

_ACTIVATIONS: dict[str, Callable[[Value], Value] | None] = {
    "relu": Value.relu,
    "tanh": Value.tanh,
    "sigmoid": Value.sigmoid,
    "leaky_relu": Value.leaky_relu,
    "elu": Value.elu,
    "step": Value.step,
    "sign": Value.sign,
    "linear": None,
    "identity": None,
}


def _activation(name: str | None, api: str) -> Callable[[Value], Value] | None:
    key = "linear" if name is None else name
    if key not in _ACTIVATIONS:
        raise ValueError(
            f"{api}: unknown activation; got {name!r}, expected one of {sorted(_ACTIVATIONS)}"
        )
    return _ACTIVATIONS[key]


class Neuron(Module):
    r"""$a = g(\sum_i w_i x_i + b)$ on `Value`s.

    Weights and bias start uniform in $[-1/\sqrt{n}, 1/\sqrt{n}]$ (PyTorch's `Linear`), drawn from
    the generator that `autograd.manual_seed` resets. Parameters are named ``w.0 … w.{n-1}, b``
    and labelled ``w1 … wn, b`` as in the lectures' drawings; inside a `Layer` or `MLP` they are
    labelled by layer and neuron (see `Layer`). Calling a neuron runs `forward` directly: its
    nodes record the scope of the `Layer` that calls it.

    Args:
        n_in: number of inputs.
        activation: ``"relu" "tanh" "sigmoid" "leaky_relu" "elu" "step" "sign"`` or ``"linear"``.
        expand: record every ``×`` and ``+`` as its own node (for drawings) instead of one ``Σ``.

    >>> n = Neuron(2, activation="linear")
    >>> n.w[0].data, n.w[1].data, n.b.data = 1.0, -2.0, 0.5
    >>> n([3.0, 1.0]).data
    1.5
    """

    def __init__(self, n_in: int, activation: str | None = "relu", expand: bool = False) -> None:
        super().__init__()
        if isinstance(n_in, bool) or not isinstance(n_in, int) or n_in < 1:
            raise ValueError(f"Neuron: n_in must be a positive int; got {n_in!r}")
        self._g = _activation(activation, "Neuron")
        self.activation = activation or "linear"
        self.expand = expand
        bound = 1.0 / math.sqrt(n_in)
        draw = generator().uniform(-bound, bound, size=n_in + 1)
        self.w = [Value(float(v), label=f"w{i + 1}") for i, v in enumerate(draw[:-1])]
        self.b = Value(float(draw[-1]), label="b")

    def forward(self, x: Sequence[Operand]) -> Value:
        if len(x) != len(self.w):
            raise ValueError(
                f"Neuron: wrong number of inputs; got {len(x)}, expected {len(self.w)}"
            )
        if self.expand:
            z: Value = self.b
            for w, xi in zip(self.w, x, strict=True):
                z = w * xi + z
        else:
            try:
                z = Value.dot(self.w, x, self.b)
            except TypeError as e:  # name the neuron, not the op it records
                raise TypeError(f"Neuron: inputs must be numbers or Values; {e}") from None
        return z if self._g is None else self._g(z)

    # A neuron is called ~30 times per sample in a small net: it skips Module.__call__'s scope
    # bookkeeping (measured +20 % forward time), so its nodes carry the scope of its Layer.
    __call__ = forward

    def parameters(self) -> list[Value]:
        """``[w1, …, wn, b]``: the generic attribute walk, written out (it is 30x faster)."""
        return [*self.w, self.b]

    def extra_repr(self) -> str:
        return f"{len(self.w)}, activation={self.activation!r}"


class Layer(Module):
    """``n_out`` neurons reading the same ``n_in`` inputs; returns a Value when ``n_out == 1``.

    Parameters are labelled as the lecture notes write them: ``w[l]_kj`` is $w^{[l]}_{kj}$, the
    weight from input ``k`` to neuron ``j`` of layer ``l`` (``index``), and ``b[l]_j`` is neuron
    ``j``'s bias (indices from 1; two-digit ones separated by a comma: ``w[1]_12,3``).

    >>> layer = Layer(3, 2, activation="tanh")
    >>> len(layer([1.0, 2.0, 3.0])), layer.num_parameters()
    (2, 8)
    >>> [p.label for p in layer.neurons[1].parameters()]
    ['w[1]_12', 'w[1]_22', 'w[1]_32', 'b[1]_2']
    """

    def __init__(
        self,
        n_in: int,
        n_out: int,
        activation: str | None = "relu",
        expand: bool = False,
        index: int = 1,
    ) -> None:
        super().__init__()
        if isinstance(n_out, bool) or not isinstance(n_out, int) or n_out < 1:
            raise ValueError(f"Layer: n_out must be a positive int; got {n_out!r}")
        self.neurons = [Neuron(n_in, activation, expand) for _ in range(n_out)]
        for j, neuron in enumerate(self.neurons, start=1):
            for k, w in enumerate(neuron.w, start=1):
                w.label = f"w[{index}]_{_indices(k, j)}"
            neuron.b.label = f"b[{index}]_{j}"

    def forward(self, x: Sequence[Operand]) -> Value | list[Value]:
        neurons = self.neurons
        n_in = len(x)
        if any(n.expand or len(n.w) != n_in for n in neurons):  # their own nodes and errors
            out = [n(x) for n in neurons]
        else:  # the same Σ nodes as each neuron's, reading the inputs once for all of them
            try:
                sums = Value.dots([n.w for n in neurons], x, [n.b for n in neurons])
            except TypeError as e:
                raise TypeError(f"Neuron: inputs must be numbers or Values; {e}") from None
            out = [z if n._g is None else n._g(z) for n, z in zip(neurons, sums)]
        return out[0] if len(out) == 1 else out

    def parameters(self) -> list[Value]:
        """Each neuron's weights and bias, neuron by neuron."""
        return [p for n in self.neurons for p in n.parameters()]

    def __repr__(self) -> str:
        n = self.neurons[0]
        return f"Layer({len(n.w)}, {len(self.neurons)}, activation={n.activation!r})"


def _indices(k: int, j: int) -> str:
    """``21`` for one-digit indices, ``12,3`` when either has more digits."""
    return f"{k}{j}" if k < 10 and j < 10 else f"{k},{j}"


class MLP(Module):
    """A multilayer perceptron on `Value`s; as in micrograd the last layer is linear by default.

    Args:
        n_in: number of inputs.
        sizes: the width of each layer, the last one being the output.
        activation: the hidden layers' activation (see `Neuron`).
        output_activation: the last layer's activation (None: linear).
        expand: every ``×`` and ``+`` as its own node (see `Neuron`).

    A shallow net with s inputs, n hidden neurons and m outputs has s·n + n + n·m + m parameters:

    >>> net = MLP(2, [4, 1])
    >>> net.num_parameters()
    17
    >>> isinstance(net([1.0, -1.0]), Value)
    True
    """

    def __init__(
        self,
        n_in: int,
        sizes: Sequence[int],
        activation: str | None = "relu",
        output_activation: str | None = None,
        expand: bool = False,
    ) -> None:
        super().__init__()
        sizes = list(sizes)
        if not sizes:
            raise ValueError("MLP: sizes must list at least one layer width; got []")
        widths = [n_in, *sizes]
        last = len(sizes) - 1
        self.layers = [
            Layer(
                widths[i],
                widths[i + 1],
                output_activation if i == last else activation,
                expand,
                index=i + 1,
            )
            for i in range(len(sizes))
        ]

    def parameters(self) -> list[Value]:
        """Each layer's parameters, layer by layer."""
        return [p for layer in self.layers for p in layer.parameters()]

    def forward(self, x: Sequence[Operand]) -> Value | list[Value]:
        out: Any = list(x)
        for layer in self.layers:
            out = layer(out if isinstance(out, list) else [out])
        return out
