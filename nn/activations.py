"""Activation layers: ReLU, LeakyReLU, ELU, Sigmoid, Tanh, Softmax, GELU, SiLU, PReLU, Maxout.

Most call the method of the same name on their input, so the same layer works on a `Tensor` and
on a scalar `Value` (Softmax, exact GELU, PReLU and Maxout need a Tensor). PReLU and Maxout hold
learned `Parameter`s.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from autograd import Tensor
from nn import functional as F
from nn.checks import positive, real
from nn.layers import _as_input, _uniform, factory_dtype
from nn.module import Module
from nn.parameter import Parameter


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


class GELU(Module):
    r"""$x\,\Phi(x)$, the Gaussian error linear unit; ``approximate="tanh"`` for the tanh form.

    >>> from autograd import Tensor
    >>> [round(v, 4) for v in GELU()(Tensor([-1.0, 0.0, 1.0])).tolist()]
    [-0.1587, 0.0, 0.8413]
    """

    def __init__(self, approximate: str = "none") -> None:
        super().__init__()
        if approximate not in ("none", "tanh"):
            raise ValueError(
                f"GELU: unknown approximate; got {approximate!r}, expected 'none' or 'tanh'"
            )
        self.approximate = approximate

    def forward(self, x: Any) -> Any:
        return F.gelu(x, self.approximate)

    def extra_repr(self) -> str:
        return f"approximate={self.approximate!r}"


class SiLU(Module):
    r"""$x\,\sigma(x)$ (the swish); works on Tensors and Values.

    >>> from autograd import Value
    >>> round(SiLU()(Value(1.0)).data, 4)
    0.7311
    """

    def forward(self, x: Any) -> Any:
        return F.silu(x)


class PReLU(Module):
    r"""$\max(0, x) + a \min(0, x)$ with a learned slope $a$: one for all channels, or one per
    channel (axis 1) with ``num_parameters=C``; every slope starts at ``init``.

    >>> from autograd import Tensor
    >>> act = PReLU()
    >>> act.weight.shape, act(Tensor([-2.0, 2.0])).tolist()
    ((1,), [-0.5, 2.0])
    """

    def __init__(
        self, num_parameters: int = 1, init: float = 0.25, device: Any = None, dtype: Any = None
    ) -> None:
        super().__init__()
        # not kept as an attribute: it would hide Module.num_parameters() (the same number here)
        size = positive(num_parameters, "PReLU", "num_parameters")
        init = real(init, "PReLU", "init")
        kind = factory_dtype(device, dtype, "PReLU")
        self.weight = Parameter(np.full(size, init, dtype=kind))
        self.weight.label = "weight"

    def forward(self, x: Any) -> Tensor:
        return F.prelu(_as_input(x, self.weight, "PReLU"), self.weight)

    def extra_repr(self) -> str:
        return f"num_parameters={self.weight.size}"


class Maxout(Module):
    r"""Goodfellow's maxout unit: $y_j = \max_k (W_{jk} x + b_{jk})$ over ``pieces`` linear maps.

    One `Linear`-shaped map to ``out_features * pieces`` outputs whose rows ``j*pieces .. j*pieces
    + pieces - 1`` are unit j's pieces, so it equals PyTorch's ``nn.Linear(in, out * pieces)``
    followed by ``.view(..., out, pieces).amax(-1)``. Weights start as Linear's (uniform in
    $\pm 1/\sqrt{\text{in\_features}}$). Where two pieces tie, they share the gradient.

    Args:
        in_features: size of each input row.
        out_features: number of maxout units.
        pieces: linear pieces per unit (k, at least 1).
        bias: add a learned bias to every piece.
        device, dtype: as for `Linear`.

    >>> import numpy as np
    >>> unit = Maxout(3, 2, pieces=4)
    >>> unit.weight.shape, unit(np.ones((5, 3))).shape
    ((8, 3), (5, 2))
    """

    def __init__(
        self,
        in_features: int,
        out_features: int,
        pieces: int = 2,
        bias: bool = True,
        *,
        device: Any = None,
        dtype: Any = None,
    ) -> None:
        super().__init__()
        self.in_features = positive(in_features, "Maxout", "in_features")
        self.out_features = positive(out_features, "Maxout", "out_features")
        self.pieces = positive(pieces, "Maxout", "pieces")
        bound = 1.0 / math.sqrt(self.in_features)
        rows = self.out_features * self.pieces
        kind = factory_dtype(device, dtype, "Maxout")
        self.weight = _uniform((rows, self.in_features), bound, "weight", kind)
        self.bias = _uniform((rows,), bound, "bias", kind) if bias else None

    def forward(self, x: Any) -> Tensor:
        x = _as_input(x, self.weight, "Maxout")
        if x.ndim == 0 or x.shape[-1] != self.in_features:
            raise ValueError(
                f"Maxout: expected input with {self.in_features} features; got shape {x.shape}"
            )
        y = F.linear(x, self.weight, self.bias)
        return y.reshape(*x.shape[:-1], self.out_features, self.pieces).amax(-1)

    def extra_repr(self) -> str:
        return (
            f"in_features={self.in_features}, out_features={self.out_features}, "
            f"pieces={self.pieces}, bias={self.bias is not None}"
        )
