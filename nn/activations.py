"""Activation layers: ReLU, LeakyReLU, ELU, Sigmoid, Tanh, Softmax.

Each calls the method of the same name on its input, so the same layer works on a `Tensor` and on
a scalar `Value` (Softmax needs a Tensor).
"""

from __future__ import annotations

from typing import Any

from nn.checks import real
from nn.module import Module


class ReLU(Module):
    r"""$\max(0, x)$; derivative 1 for x > 0, else 0.

    >>> from autograd import Tensor
    >>> ReLU()(Tensor([-1.0, 2.0])).tolist()
    [0.0, 2.0]
    """

    def forward(self, x: Any) -> Any:
        return x.relu()


class LeakyReLU(Module):
    r"""$x$ for x > 0, else $\alpha x$ (``negative_slope``).

    >>> from autograd import Value
    >>> LeakyReLU(0.1)(Value(-2.0)).data
    -0.2
    """

    def __init__(self, negative_slope: float = 0.01) -> None:
        super().__init__()
        self.negative_slope = real(negative_slope, "LeakyReLU", "negative_slope")

    def forward(self, x: Any) -> Any:
        return x.leaky_relu(self.negative_slope)

    def extra_repr(self) -> str:
        return f"negative_slope={self.negative_slope}"


class ELU(Module):
    r"""$x$ for x > 0, else $\alpha(e^x - 1)$.

    >>> from autograd import Tensor
    >>> round(ELU()(Tensor([-1.0])).item(), 4)
    -0.6321
    """

    def __init__(self, alpha: float = 1.0) -> None:
        super().__init__()
        self.alpha = real(alpha, "ELU", "alpha")

    def forward(self, x: Any) -> Any:
        return x.elu(self.alpha)

    def extra_repr(self) -> str:
        return f"alpha={self.alpha}"


class Sigmoid(Module):
    r"""$\sigma(x) = 1 / (1 + e^{-x})$.

    >>> from autograd import Tensor
    >>> Sigmoid()(Tensor([0.0])).tolist()
    [0.5]
    """

    def forward(self, x: Any) -> Any:
        return x.sigmoid()


class Tanh(Module):
    r"""$\tanh x$.

    >>> from autograd import Value
    >>> Tanh()(Value(0.0)).data
    0.0
    """

    def forward(self, x: Any) -> Any:
        return x.tanh()


class Softmax(Module):
    r"""$e^{x_i} / \sum_j e^{x_j}$ along ``dim`` (the last axis by default), computed stably.

    >>> from autograd import Tensor
    >>> Softmax(dim=1)(Tensor([[0.0, 0.0]])).tolist()
    [[0.5, 0.5]]
    """

    def __init__(self, dim: int = -1) -> None:
        super().__init__()
        self.dim = dim

    def forward(self, x: Any) -> Any:
        return x.softmax(axis=self.dim)

    def extra_repr(self) -> str:
        return f"dim={self.dim}"
