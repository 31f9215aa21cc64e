"""PyTorch's module-level spellings of the Tensor ops: ``autograd.sin(x)`` is ``x.sin()``.

Each function takes a Tensor (or a number, list or numpy array, made into a leaf Tensor) and
forwards its other arguments to the method, so the two spellings cannot drift apart. The names
are PyTorch's, also those of Python builtins (``sum max min abs round pow all any``): write
``autograd.sum(x)``; ``from autograd import *`` leaves the builtins alone (``from torch import *``
shadows them, and then ``sum([1, 2])`` would quietly give a Tensor here).

>>> import autograd
>>> x = autograd.Tensor([0.0, 1.0, 2.0], dtype="float64", requires_grad=True)
>>> autograd.sum(autograd.sin(x) * 2).backward()
>>> x.grad.round(4).tolist()
[2.0, 1.0806, -0.8323]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from autograd.ops import elementwise as _ew
from autograd.ops import linalg as _linalg
from autograd.ops import select as _select
from autograd.record import _leaf
from autograd.tensor import Tensor, _to_array


def _tensor(x: Any, api: str) -> Tensor:
    """``x`` itself if it is a Tensor, else a new leaf Tensor holding it (errors name ``api``)."""
    if isinstance(x, Tensor):
        return x
    return _leaf(_to_array(x, None, api))


def _operands(input: Any, other: Any, api: str) -> tuple[Any, Any]:
    """Both sides of a binary op: numbers and arrays beside a Tensor stay constants (no parent);
    with no Tensor on either side, ``input`` becomes one."""
    if isinstance(input, Tensor) or isinstance(other, Tensor):
        return input, other
    return _tensor(input, api), other


# ---- elementwise -------------------------------------------------------------------------------


def exp(input: Any) -> Tensor:
    """``torch.exp``: e^x elementwise."""
    return _tensor(input, "exp").exp()


def log(input: Any) -> Tensor:
    """``torch.log``: natural logarithm elementwise."""
    return _tensor(input, "log").log()


def sqrt(input: Any) -> Tensor:
    """``torch.sqrt``: square root elementwise."""
    return _tensor(input, "sqrt").sqrt()


def abs(input: Any) -> Tensor:
    """``torch.abs``: |x| elementwise."""
    return _tensor(input, "abs").abs()


def neg(input: Any) -> Tensor:
    """``torch.neg``: -x elementwise."""
    return _tensor(input, "neg").neg()


def tanh(input: Any) -> Tensor:
    """``torch.tanh``: hyperbolic tangent elementwise."""
    return _tensor(input, "tanh").tanh()


def sigmoid(input: Any) -> Tensor:
    """``torch.sigmoid``: 1 / (1 + e^-x) elementwise."""
    return _tensor(input, "sigmoid").sigmoid()


def relu(input: Any) -> Tensor:
    """``torch.relu``: max(0, x) elementwise."""
    return _tensor(input, "relu").relu()


def sin(input: Any) -> Tensor:
    """``torch.sin``: sine elementwise."""
    return _tensor(input, "sin").sin()


def cos(input: Any) -> Tensor:
    """``torch.cos``: cosine elementwise."""
    return _tensor(input, "cos").cos()


def tan(input: Any) -> Tensor:
    """``torch.tan``: tangent elementwise."""
    return _tensor(input, "tan").tan()


def sign(input: Any) -> Tensor:
    """``torch.sign``: -1, 0 or 1 elementwise; zero gradient."""
    return _tensor(input, "sign").sign()


def floor(input: Any) -> Tensor:
    """``torch.floor``: round down elementwise; zero gradient."""
    return _tensor(input, "floor").floor()


def ceil(input: Any) -> Tensor:
    """``torch.ceil``: round up elementwise; zero gradient."""
    return _tensor(input, "ceil").ceil()


def round(input: Any, decimals: int = 0) -> Tensor:
    """``torch.round``: to ``decimals`` places, halves to even; zero gradient."""
    return _tensor(input, "round").round(decimals)


def pow(input: Any, exponent: Any) -> Tensor:
    """``torch.pow``: input ** exponent; either side may be a number, as in PyTorch.

    >>> pow(2.0, Tensor([1.0, 3.0]))
    Tensor([2., 8.], dtype=float32)
    """
    return _ew.power(*_operands(input, exponent, "pow"))


def clamp(input: Any, min: float | None = None, max: float | None = None) -> Tensor:
    """``torch.clamp``: values limited to [min, max]; zero gradient where a bound bites.

    >>> clamp(Tensor([-1.0, 0.5, 2.0]), min=0.0, max=1.0)
    Tensor([0. , 0.5, 1. ], dtype=float32)
    """
    return _ew.clamp(_tensor(input, "clamp"), min, max)


def clip(input: Any, min: float | None = None, max: float | None = None) -> Tensor:
    """``torch.clip``: the same as `clamp`."""
    return _ew.clamp(_tensor(input, "clip"), min, max, "clip")


def maximum(input: Any, other: Any) -> Tensor:
    """``torch.maximum``: the larger of the two elementwise (broadcast); ties split the grad."""
    return _ew.maximum(*_operands(input, other, "maximum"))


def minimum(input: Any, other: Any) -> Tensor:
    """``torch.minimum``: the smaller of the two elementwise (broadcast); ties split the grad."""
    return _ew.minimum(*_operands(input, other, "minimum"))


def clone(input: Any) -> Tensor:
    """``torch.clone``: a copy that stays in the graph."""
    return _tensor(input, "clone").clone()


def detach(input: Any) -> Tensor:
    """``torch.detach``: the same data outside the graph."""
    return _tensor(input, "detach").detach()


# ---- comparisons (bool tensors outside the graph) ----------------------------------------------


def eq(input: Any, other: Any) -> Tensor:
    """``torch.eq``: input == other elementwise."""
    return _tensor(input, "eq").eq(other)


def ne(input: Any, other: Any) -> Tensor:
    """``torch.ne``: input != other elementwise."""
    return _tensor(input, "ne").ne(other)


def lt(input: Any, other: Any) -> Tensor:
    """``torch.lt``: input < other elementwise."""
    return _tensor(input, "lt").lt(other)


def le(input: Any, other: Any) -> Tensor:
    """``torch.le``: input <= other elementwise."""
    return _tensor(input, "le").le(other)


def gt(input: Any, other: Any) -> Tensor:
    """``torch.gt``: input > other elementwise."""
    return _tensor(input, "gt").gt(other)


def ge(input: Any, other: Any) -> Tensor:
    """``torch.ge``: input >= other elementwise."""
    return _tensor(input, "ge").ge(other)


# ---- reductions ----------------------------------------------------------------------------------


def sum(input: Any, *args: Any, **kwargs: Any) -> Tensor:
    """``torch.sum``: the sum over the given dims (all by default)."""
    return _tensor(input, "sum").sum(*args, **kwargs)


def mean(input: Any, *args: Any, **kwargs: Any) -> Tensor:
    """``torch.mean``: the mean over the given dims (all by default)."""
    return _tensor(input, "mean").mean(*args, **kwargs)


def _other(args: tuple, kwargs: dict) -> Any:
    """The ``other`` tensor of ``torch.max(input, other)`` / ``torch.min``, or None for a dim."""
    if "other" in kwargs:
        return kwargs.pop("other")
    if len(args) == 1 and not kwargs and isinstance(args[0], (Tensor, np.ndarray)):
        return args[0]
    return None


def max(input: Any, *args: Any, **kwargs: Any) -> Any:
    """``torch.max``: the largest value (over a dim, as the method), or, given a second
    tensor, the elementwise `maximum` as ``torch.max(input, other)``."""
    other = _other(args, kwargs)
    if other is not None:
        return _ew.maximum(*_operands(input, other, "max"))
    return _tensor(input, "max").max(*args, **kwargs)


def min(input: Any, *args: Any, **kwargs: Any) -> Any:
    """``torch.min``: the smallest value (over a dim, as the method), or, given a second
    tensor, the elementwise `minimum` as ``torch.min(input, other)``."""
    other = _other(args, kwargs)
    if other is not None:
        return _ew.minimum(*_operands(input, other, "min"))
    return _tensor(input, "min").min(*args, **kwargs)


def amax(input: Any, *args: Any, **kwargs: Any) -> Tensor:
    """``torch.amax``: the largest value over the given dims; ties share the gradient."""
    return _tensor(input, "amax").amax(*args, **kwargs)


def amin(input: Any, *args: Any, **kwargs: Any) -> Tensor:
    """``torch.amin``: the smallest value over the given dims; ties share the gradient."""
    return _tensor(input, "amin").amin(*args, **kwargs)


def argmax(input: Any, *args: Any, **kwargs: Any) -> Tensor:
    """``torch.argmax``: the int64 index of the largest value (over a dim, or flattened)."""
    return _tensor(input, "argmax").argmax(*args, **kwargs)


def argmin(input: Any, *args: Any, **kwargs: Any) -> Tensor:
    """``torch.argmin``: the int64 index of the smallest value (over a dim, or flattened)."""
    return _tensor(input, "argmin").argmin(*args, **kwargs)


def var(input: Any, *args: Any, **kwargs: Any) -> Tensor:
    """``torch.var``: the variance over the given dims (unbiased by default, as PyTorch)."""
    return _tensor(input, "var").var(*args, **kwargs)


def std(input: Any, *args: Any, **kwargs: Any) -> Tensor:
    """``torch.std``: the standard deviation over the given dims (unbiased by default)."""
    return _tensor(input, "std").std(*args, **kwargs)


def cumsum(input: Any, *args: Any, **kwargs: Any) -> Tensor:
    """``torch.cumsum``: running sums along a dim."""
    return _tensor(input, "cumsum").cumsum(*args, **kwargs)


def all(input: Any, *args: Any, **kwargs: Any) -> Tensor:
    """``torch.all``: whether every element (over a dim) is nonzero, a bool tensor."""
    return _tensor(input, "all").all(*args, **kwargs)


def any(input: Any, *args: Any, **kwargs: Any) -> Tensor:
    """``torch.any``: whether some element (over a dim) is nonzero, a bool tensor."""
    return _tensor(input, "any").any(*args, **kwargs)


def softmax(input: Any, *args: Any, **kwargs: Any) -> Tensor:
    """``torch.softmax``: e^x / Σ e^x along a dim, without overflow."""
    return _tensor(input, "softmax").softmax(*args, **kwargs)


def log_softmax(input: Any, *args: Any, **kwargs: Any) -> Tensor:
    """``torch.log_softmax``: x - log Σ e^x along a dim, without overflow."""
    return _tensor(input, "log_softmax").log_softmax(*args, **kwargs)


def logsumexp(input: Any, *args: Any, **kwargs: Any) -> Tensor:
    """``torch.logsumexp``: log Σ e^x over the given dims, without overflow."""
    return _tensor(input, "logsumexp").logsumexp(*args, **kwargs)


# ---- shape -----------------------------------------------------------------------------------


def reshape(input: Any, shape: Sequence[int]) -> Tensor:
    """``torch.reshape``: the same values in a new shape (one size may be -1)."""
    return _tensor(input, "reshape").reshape(shape)


def flatten(input: Any, *args: Any, **kwargs: Any) -> Tensor:
    """``torch.flatten``: merge dims ``start_dim..end_dim`` (all by default) into one."""
    return _tensor(input, "flatten").flatten(*args, **kwargs)


def transpose(input: Any, *args: Any, **kwargs: Any) -> Tensor:
    """``torch.transpose``: swap two dims."""
    return _tensor(input, "transpose").transpose(*args, **kwargs)


def permute(input: Any, dims: Sequence[int]) -> Tensor:
    """``torch.permute``: reorder the dims, ``out.shape[i] == input.shape[dims[i]]``."""
    return _tensor(input, "permute").permute(dims)


def squeeze(input: Any, *args: Any, **kwargs: Any) -> Tensor:
    """``torch.squeeze``: drop a size-1 dim, or every one."""
    return _tensor(input, "squeeze").squeeze(*args, **kwargs)


def unsqueeze(input: Any, *args: Any, **kwargs: Any) -> Tensor:
    """``torch.unsqueeze``: insert a size-1 dim."""
    return _tensor(input, "unsqueeze").unsqueeze(*args, **kwargs)


def t(input: Any) -> Tensor:
    """``torch.t``: the transpose of a matrix (0-d and 1-d come back as they are)."""
    return _tensor(input, "t").t()


# ---- selection and products ------------------------------------------------------------------


def where(condition: Any, input: Any = None, other: Any = None) -> Any:
    """``torch.where``: ``input`` where the bool ``condition`` holds, else ``other``.

    The three broadcast together; either side may be a number. With the condition alone, the
    indices of its True entries, one int64 tensor per dim (``torch.where(condition)``).

    >>> x = Tensor([-1.0, 2.0])
    >>> where(x > 0, x, 0.0)
    Tensor([0., 2.], dtype=float32)
    """
    if input is None and other is None:
        return _select.nonzero(condition)
    if input is None or other is None:
        raise TypeError(
            "where: give both input and other, or neither; got only "
            f"{'other' if input is None else 'input'}"
        )
    return _select.where(condition, input, other)


def pad(
    input: Any, pad: Sequence[int], mode: str = "constant", value: float | None = None
) -> Tensor:
    """``torch.nn.functional.pad``: pad widths as pairs, last dim first (see `Tensor.pad`)."""
    return _select.pad(_tensor(input, "pad"), pad, mode, value)


def gather(input: Any, dim: int, index: Any) -> Tensor:
    """``torch.gather``: values along ``dim`` at the int64 ``index``."""
    return _tensor(input, "gather").gather(dim, index)


def mm(input: Any, mat2: Any) -> Tensor:
    """``torch.mm``: the product of two matrices (2-D only; `matmul` also batches)."""
    return _tensor(input, "mm").mm(mat2)


def matmul(input: Any, other: Any) -> Tensor:
    """``torch.matmul``: matrix product, 2-D, batched, or with 1-D operands."""
    return _linalg.matmul(input, other)


def numel(input: Any) -> int:
    """``torch.numel``: the number of elements."""
    return _tensor(input, "numel").numel()
