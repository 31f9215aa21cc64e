"""The arrays behind ``t.data`` and ``leaf.grad``: numpy arrays with PyTorch's habits.

``W.grad`` and ``W.data`` stay numpy arrays (viz, optimizers and numpy code read them as such);
these subclasses add what tutorials call on them: ``p.grad.zero_()``, ``p.data.sub_(lr * g)``,
``m.weight.data.normal_(0, 0.02)``, ``.norm()``, ``.clone()``... The in-place methods are the
Tensor's own (same dtype rules, broadcasting errors and random stream), run on a leaf over the
same memory under `no_grad`. As with PyTorch's ``.data``, an edit through these arrays is not
seen by the version counter. Anything computed from them (``lr * p.grad``, ``p.data.sum()``) is
a plain ndarray; copies and views of them (``clone()``, ``p.grad[0]``) keep the subclass.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from numbers import Real
from typing import Any

import numpy as np


class Array(np.ndarray):
    """A numpy array with PyTorch's in-place and inspection methods: what ``t.data`` returns.

    It shares the tensor's memory, as PyTorch's ``t.data`` does: ``m.weight.data.normal_(0, 0.02)``
    and ``p.data.sub_(lr * p.grad)`` change the parameter (without a version bump, as in PyTorch).

    >>> from autograd import Tensor
    >>> w = Tensor([1.0, 2.0], requires_grad=True)
    >>> w.data.sub_(0.5).fill_(3.0) is not None, w.tolist()
    (True, [3.0, 3.0])
    >>> type(w.data * 2).__name__
    'ndarray'
    """

    def __array_wrap__(
        self, array: np.ndarray, context: Any = None, return_scalar: bool = False
    ) -> Any:
        # numpy calls this with every ufunc result: a new result arrives as a plain ndarray and
        # stays one; an in-place result (``g += x``, ``out=g``) arrives as this Grad and stays it.
        return array[()] if return_scalar else array

    def __repr__(self) -> str:
        return np.ndarray.__repr__(self.view(np.ndarray))

    @property
    def data(self) -> Array:  # type: ignore[override]
        """The array itself, as PyTorch's ``p.grad.data`` (so ``p.grad.data.zero_()`` works).

        It shadows ndarray's ``data`` (a memoryview of the buffer); ``memoryview(a)`` still gives
        that.
        """
        return self

    def norm(
        self, p: float | str = 2, dim: int | Sequence[int] | None = None, keepdim: bool = False
    ) -> Any:
        r"""The vector p-norm $(\sum |g|^p)^{1/p}$ over all elements, or over ``dim``.

        ``p`` may be any positive number, ``inf``, ``-inf``, 0 (the count of non-zeros) or
        ``'fro'`` (= 2), as in ``torch.norm``. Over all elements the result is a numpy scalar of
        the gradient's dtype (``.item()`` gives a float); over ``dim``, a plain ndarray.

        >>> g = Grad.of(np.array([[3.0, 0.0], [0.0, -4.0]]))
        >>> float(g.norm()), float(g.norm(1)), g.norm(float("inf"), dim=1).tolist()
        (5.0, 7.0, [3.0, 4.0])
        """
        order = _order(p)
        axis = None if dim is None else _axes(dim, self.ndim)
        magnitude = np.abs(self.view(np.ndarray))
        if order == math.inf:
            out = magnitude.max(axis=axis, keepdims=keepdim, initial=0)
        elif order == -math.inf:
            out = magnitude.min(axis=axis, keepdims=keepdim, initial=math.inf)
        elif order == 0:
            out = (magnitude != 0).sum(axis=axis, keepdims=keepdim).astype(self.dtype)
        elif order == 1:
            out = magnitude.sum(axis=axis, keepdims=keepdim)
        elif order == 2:
            out = np.sqrt((magnitude * magnitude).sum(axis=axis, keepdims=keepdim))
        else:
            out = (magnitude**order).sum(axis=axis, keepdims=keepdim) ** (1.0 / order)
        return out.astype(self.dtype, copy=False)[()] if axis is None and not keepdim else out

    def clone(self) -> Array:
        """A copy (PyTorch's name): editing it leaves the original alone."""
        return self.copy()

    def detach(self) -> Array:
        """The array itself (as PyTorch's ``p.grad.detach()``, which shares the memory)."""
        return self

    def numpy(self) -> np.ndarray:
        """The same memory as a plain ndarray (shared, as PyTorch's ``numpy()``)."""
        return self.view(np.ndarray)

    # PyTorch's in-place methods: the Tensor's own, on this memory (see the module docstring)

    def add_(self, other: Any, *, alpha: Any = 1) -> Array:
        """``self += alpha * other``; returns self."""
        return _edit(self, "add_", other, alpha=alpha)

    def sub_(self, other: Any, *, alpha: Any = 1) -> Array:
        """``self -= alpha * other`` (``p.data.sub_(lr * p.grad)``); returns self."""
        return _edit(self, "sub_", other, alpha=alpha)

    def mul_(self, other: Any) -> Array:
        """``self *= other`` (``p.grad.mul_(scale)`` in gradient clipping); returns self."""
        return _edit(self, "mul_", other)

    def div_(self, other: Any) -> Array:
        """``self /= other``; returns self."""
        return _edit(self, "div_", other)

    def zero_(self) -> Array:
        """Set every element to 0 (``p.grad.zero_()``); returns self.

        >>> g = Grad.of(np.ones(2)); g.zero_() is g, g.tolist()
        (True, [0.0, 0.0])
        """
        return _edit(self, "zero_")

    def fill_(self, value: Any) -> Array:
        """Set every element to ``value`` (``m.bias.data.fill_(0.01)``); returns self."""
        return _edit(self, "fill_", value)

    def copy_(self, source: Any) -> Array:
        """Copy ``source`` (broadcast to this shape) into this array; returns self."""
        return _edit(self, "copy_", source)

    def clamp_(self, min: Any = None, max: Any = None) -> Array:  # noqa: A002 (PyTorch's names)
        """Limit the values to [min, max] (``p.grad.data.clamp_(-1, 1)``); returns self.

        >>> Grad.of(np.array([-3.0, 0.5, 2.0])).clamp_(-1, 1).tolist()
        [-1.0, 0.5, 1.0]
        """
        return _edit(self, "clamp_", min, max)

    def normal_(self, mean: float = 0.0, std: float = 1.0) -> Array:
        """Fill with normal draws from the engine's generator (``w.data.normal_(0, 0.02)``)."""
        return _edit(self, "normal_", mean, std)

    def uniform_(self, a: float = 0.0, b: float = 1.0) -> Array:
        """Fill with uniform draws in [a, b) from the engine's generator; returns self."""
        return _edit(self, "uniform_", a, b)

    @classmethod
    def of(cls, array: Any, dtype: Any = None) -> Any:
        """A new array of this class holding a copy of ``array`` (in ``dtype`` if given).

        >>> Grad.of([1, 2], "float64")
        array([1., 2.])
        """
        return np.array(array, dtype=dtype).view(cls)


def _edit(array: Array, name: str, *args: Any, **kwargs: Any) -> Array:
    """Run the Tensor method ``name`` on a leaf over ``array``'s memory; returns ``array``."""
    from autograd.modes import no_grad  # imported here: autograd.tensor imports this module
    from autograd.tensor import _leaf

    with no_grad():
        getattr(_leaf(array.view(np.ndarray)), name)(*args, **kwargs)
    return array


class Grad(Array):
    """A gradient: what `backward` stores in ``leaf.grad`` (and in tensors that called
    `retain_grad`). An ndarray in every other respect (``np.testing``, pickling, indexing,
    ``isinstance(g, np.ndarray)``) that prints as one.

    >>> from autograd import Tensor
    >>> w = Tensor([3.0, 4.0], requires_grad=True)
    >>> (w * w).sum().backward()
    >>> w.grad, float(w.grad.norm())
    (array([6., 8.], dtype=float32), 10.0)
    >>> w.grad.data.zero_()
    array([0., 0.], dtype=float32)
    >>> type(w.grad * 2).__name__
    'ndarray'
    """


def _order(p: Any) -> float:
    """The norm's order as a float: a number >= 0, ±inf or 'fro'; anything else is refused."""
    if p == "fro":
        return 2.0
    if isinstance(p, Real) and not isinstance(p, bool):
        order = float(p)
        if order >= 0 or order == -math.inf:
            return order
    raise ValueError(
        f"norm: unsupported order; got p={p!r}, expected a number >= 0, inf, -inf or 'fro'"
    )


def _axes(dim: Any, ndim: int) -> tuple[int, ...]:
    """``dim`` (an int or a sequence of ints, negatives from the end) as a tuple of axes."""
    dims = (dim,) if isinstance(dim, (int, np.integer)) else tuple(dim)
    axes = []
    for d in dims:
        if isinstance(d, bool) or not isinstance(d, (int, np.integer)) or not -ndim <= d < ndim:
            raise ValueError(
                f"norm: dim out of range; got {dim!r}, expected ints in [{-ndim}, {ndim - 1}]"
            )
        axes.append(int(d) % ndim)
    return tuple(axes)
