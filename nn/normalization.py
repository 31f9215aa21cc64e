r"""Batch normalisation: `BatchNorm1d` ((N, C) or (N, C, L)) and `BatchNorm2d` ((N, C, H, W)).

Each channel is normalised with the batch's mean and biased variance in training and with running
estimates in evaluation (`Module.eval`), then scaled and shifted by learned ``weight`` and
``bias``: $y = \frac{x - \mu}{\sqrt{\sigma^2 + \epsilon}}\,\gamma + \beta$. The running estimates
are buffers (``running_mean``, ``running_var``, ``num_batches_tracked``), saved in `state_dict`
under PyTorch's names; the gradients come from the engine's mean, sqrt and division.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd import Tensor
from nn import functional as F
from nn.checks import positive, real
from nn.layers import _as_input, factory_dtype
from nn.module import Module
from nn.parameter import Parameter


class _BatchNorm(Module):
    """What BatchNorm1d and BatchNorm2d share; they differ in the input ranks they accept."""

    _ranks: tuple[int, ...] = ()
    weight: Parameter | None
    bias: Parameter | None
    running_mean: Tensor | None  # buffers, set by register_buffer
    running_var: Tensor | None
    num_batches_tracked: Tensor | None

    def __init__(
        self,
        num_features: int,
        eps: float = 1e-5,
        momentum: float | None = 0.1,
        affine: bool = True,
        track_running_stats: bool = True,
        device: Any = None,
        dtype: Any = None,
        *,
        bias: bool = True,
    ) -> None:
        super().__init__()
        api = type(self).__name__
        self.num_features = positive(num_features, api, "num_features")
        self.eps = real(eps, api, "eps", minimum=0.0)
        self.momentum = None if momentum is None else real(momentum, api, "momentum")
        self.affine = _flag(affine, api, "affine")
        self.track_running_stats = _flag(track_running_stats, api, "track_running_stats")
        dtype = factory_dtype(device, dtype, api)
        if self.affine:
            self.weight = Parameter(np.ones(self.num_features, dtype=dtype))
            if _flag(bias, api, "bias"):
                self.bias = Parameter(np.zeros(self.num_features, dtype=dtype))
            else:
                self.register_parameter("bias", None)
        else:
            self.register_parameter("weight", None)
            self.register_parameter("bias", None)
        if self.track_running_stats:
            self.register_buffer("running_mean", Tensor(np.zeros(self.num_features, dtype=dtype)))
            self.register_buffer("running_var", Tensor(np.ones(self.num_features, dtype=dtype)))
            self.register_buffer("num_batches_tracked", Tensor(np.array(0, dtype=np.int64)))
        else:
            self.register_buffer("running_mean", None)
            self.register_buffer("running_var", None)
            self.register_buffer("num_batches_tracked", None)

    def reset_running_stats(self) -> None:
        """Running mean 0, running variance 1, no batches tracked (an in-place edit of each)."""
        for buffer, value in (
            (self.running_mean, 0),
            (self.running_var, 1),
            (self.num_batches_tracked, 0),
        ):
            if buffer is not None:
                buffer.data[...] = value
                buffer._bump_version()

    def reset_parameters(self) -> None:
        """`reset_running_stats`, and weight 1, bias 0."""
        self.reset_running_stats()
        for param, value in ((self.weight, 1), (self.bias, 0)):
            if param is not None:
                param.data[...] = value
                param._bump_version()

    def forward(self, x: Any) -> Tensor:
        api = type(self).__name__
        like = self.weight if self.weight is not None else self.running_mean
        x = _as_input(x, like, api) if like is not None else _as_input(x, Tensor(0.0), api)
        if x.ndim not in self._ranks or x.shape[1] != self.num_features:
            ranks = " or ".join(f"{n}-D" for n in self._ranks)
            raise ValueError(
                f"{api}: expected {ranks} input with {self.num_features} channels on axis 1; "
                f"got shape {x.shape}"
            )
        if self.training and x.size // self.num_features <= 1:
            raise ValueError(
                f"{api}: expected more than 1 value per channel when training; got input of "
                f"shape {x.shape}. Use a batch of 2 or more, or eval() for single samples"
            )
        factor = 0.0 if self.momentum is None else self.momentum
        count = self.num_batches_tracked
        if self.training and self.track_running_stats and count is not None:
            count.data[...] += 1
            count._bump_version()
            if self.momentum is None:  # the cumulative average of every batch so far
                factor = 1.0 / int(count.item())
        # Batch statistics in training, and in evaluation too when there are no running ones.
        use_batch = self.training or self.running_mean is None
        track = not self.training or self.track_running_stats
        return F.batch_norm(
            x,
            self.running_mean if track else None,
            self.running_var if track else None,
            self.weight,
            self.bias,
            use_batch,
            factor,
            self.eps,
        )

    def extra_repr(self) -> str:
        return (
            f"{self.num_features}, eps={self.eps}, momentum={self.momentum}, "
            f"affine={self.affine}, bias={self.bias is not None}, "
            f"track_running_stats={self.track_running_stats}"
        )


class BatchNorm1d(_BatchNorm):
    r"""Batch normalisation of (N, C) features or (N, C, L) sequences, per channel C.

    Args:
        num_features: C.
        eps: $\epsilon$, added to the variance.
        momentum: weight of the new batch in the running estimates; None for their cumulative
            average over all batches (PyTorch's default 0.1).
        affine: learn ``weight`` $\gamma$ (starts at 1) and ``bias`` $\beta$ (starts at 0).
        track_running_stats: keep running estimates; without them evaluation uses the batch's
            statistics too.
        device: ``"cpu"`` or None, as for `Linear`.
        dtype: the dtype of parameters and running statistics (float32 or float64).
        bias: with ``affine``, learn ``bias`` too (PyTorch 2.13's keyword).

    >>> from autograd import Tensor
    >>> bn = BatchNorm1d(1)
    >>> bn(Tensor([[1.0], [3.0]])).tolist(), bn.running_mean.tolist(), bn.running_var.tolist()
    ([[-0.999995], [0.999995]], [0.2], [1.1])
    >>> list(bn.state_dict())
    ['weight', 'bias', 'running_mean', 'running_var', 'num_batches_tracked']
    """

    _ranks = (2, 3)


class BatchNorm2d(_BatchNorm):
    r"""Batch normalisation of (N, C, H, W) images, per channel C, over N, H and W.

    The arguments are those of `BatchNorm1d`.

    >>> import numpy as np
    >>> bn = BatchNorm2d(3).eval()
    >>> bn(np.ones((2, 3, 4, 4), dtype=np.float32)).shape
    (2, 3, 4, 4)
    """

    _ranks = (4,)


def _flag(value: Any, api: str, name: str) -> bool:
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{api}: {name} must be True or False; got {value!r}")
    return bool(value)
