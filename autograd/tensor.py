"""`Tensor`: an n-d node over a numpy array, with its version counter and its backward step.

Ops build Tensors through `autograd.record.record`, which says how a node is recorded and
differentiated (and why nothing holds the output node, so a graph is freed by reference
counting). An edit made in place bumps the tensor's version, so that `backward` refuses to run
on data edited since an op saved it (PyTorch's version counter).
"""

from __future__ import annotations

import reprlib
from collections.abc import Callable, Iterator, Sequence
from numbers import Real
from typing import Any, Union, overload

import numpy as np

from autograd import dtypes as _dtypes
from autograd.arrays import Array, Grad
from autograd.grad_fn import BackwardFunction
from autograd.graph import Node, backpropagate, current_scope
from autograd.modes import flags
from autograd.random import generator
from autograd.value import Value

Operand = Union["Tensor", float, int, np.ndarray]
Backward = Callable[..., tuple]

_ndarray = np.ndarray


class ElementCount(int):
    """A tensor's number of elements (numpy's ``t.size``) that is also PyTorch's ``t.size()``.

    An int in every respect; calling it gives the shape, or with a dim that dim's length. So code
    written for numpy and code written for PyTorch both read ``size`` right.
    """

    shape: tuple[int, ...]

    def __new__(cls, count: int, shape: tuple[int, ...]) -> ElementCount:
        self = super().__new__(cls, count)
        self.shape = shape
        return self

    def __call__(self, dim: int | None = None) -> Any:
        shape = self.shape
        if dim is None:
            return shape
        if not shape:
            raise ValueError(
                f"size: a 0-d tensor has no dims; got dim {_short(dim)}, expected size() alone"
            )
        return shape[_reduce.normalize_axis(dim, len(shape), "size")]


class Tensor(Node):
    """An n-d array that remembers how it was computed.

    Args:
        data: a number, (nested) list, numpy array or Tensor; copied. Python numbers and lists
            become the default dtype (float32, see `set_default_dtype`); numpy arrays keep theirs.
            Integer and bool arrays are allowed (targets, indices, masks) but cannot require grad.
            Strings, bytes, None, complex numbers and object arrays are refused (TypeError).
        requires_grad: make this a leaf whose ``grad`` `backward` fills.
        dtype: convert to this dtype (a float, integer or bool dtype).
        label: a name for drawings and error messages.

    In-place edits and the version counter: an op that saves a tensor's values for its backward
    notes the tensor's ``_version``; every edit made through the library (assigning ``t.data``,
    also in the form ``t.data -= lr * g``, and ``t[i] = v``) bumps it, and `backward` raises a
    RuntimeError naming the op whose saved input changed, instead of computing wrong gradients.
    Views (`reshape`, basic indexing, `detach`) count on the counter of the tensor they look
    into. Writes straight into the numpy array (``t.data[...] = v``, ``t.numpy()[0] = v``)
    bypass the counter and cannot be detected, as with PyTorch's ``.data``.

    >>> W = Tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True, label="W")
    >>> x = Tensor([1.0, -1.0])
    >>> loss = (W @ x).relu().sum()
    >>> loss.backward()
    >>> loss.item(), W.grad.tolist()
    (0.0, [[0.0, 0.0], [0.0, 0.0]])
    >>> (W * 2).sum().backward(); W.grad.tolist()
    [[2.0, 2.0], [2.0, 2.0]]
    """

    __slots__ = (
        "_data",
        "grad",
        "op",
        "parents",
        "label",
        "scope",
        "_requires_grad",
        "_retain",
        "_backward",
        "_saved",
        "_needs",
        "_kept",
        "_site",
        "_counter",
        "_reads",
        "_tick",
        "__weakref__",
    )
    local_grads = None  # tells the backward driver to call _vjp / _accumulate
    __array_ufunc__ = None  # ndarray <op> Tensor defers to Tensor's reflected operator
    __hash__ = object.__hash__  # identity, although == is elementwise

    def __init__(
        self, data: Any, requires_grad: bool = False, dtype: Any = None, label: str = ""
    ) -> None:
        if not isinstance(requires_grad, (bool, np.bool_)):
            raise TypeError(
                f"Tensor: requires_grad must be True or False; got {type(requires_grad).__name__} "
                f"{_short(requires_grad)}"
            )
        if not isinstance(label, str):
            raise TypeError(f"Tensor: label must be a str; got {type(label).__name__}")
        self._data = _to_array(data, dtype, "Tensor")
        self.grad: np.ndarray | None = None
        self.op = ""
        self.parents: tuple[Tensor, ...] = ()
        self.label = label
        self.scope = current_scope.name
        self._deps = 0
        self._pending = None
        self._requires_grad = False
        self._retain = False
        self._backward: Backward | None = None
        self._saved: tuple = ()
        self._needs: tuple[bool, ...] = ()
        self._kept: tuple[bool, ...] | None = None
        self._site: str | None = None
        self._counter: list[int] | None = None  # made at the first edit or view (see _shared)
        self._reads: tuple = ()
        self._tick = 0
        if requires_grad:
            self.requires_grad = True

    # ---- data and its version ----------------------------------------------------------------

    @property
    def data(self) -> Array:
        """The values: a numpy array sharing the tensor's memory, with PyTorch's in-place methods
        (``w.data.normal_(0, 0.02)``, ``p.data.sub_(lr * p.grad)``; see `autograd.arrays`).

        Assigning to it counts as an in-place edit (see `Tensor`); writing into it, as with
        PyTorch's ``.data``, is not seen by the version counter.
        """
        return self._data.view(Array)

    @data.setter
    def data(self, value: Any) -> None:
        if isinstance(value, Tensor):
            array = value._data
        elif type(value) is _ndarray:
            array = value
        elif isinstance(value, Array):  # e.g. p.data -= x hands back the view of p.data
            array = value.view(_ndarray)
        else:
            array = _to_array(value, None, "data")
        if array.dtype.kind not in _KINDS:
            raise TypeError(
                f"data: unsupported dtype; got {array.dtype}, expected a float, integer or bool "
                "array"
            )
        if self._requires_grad and array.dtype.kind != "f":
            raise TypeError(
                f"data: a tensor that requires grad needs floating-point data; got dtype "
                f"{array.dtype}, expected float32 or float64. Convert first, e.g. "
                "a.astype('float32')"
            )
        self._data = array
        self._bump_version()

    @property
    def _version(self) -> int:
        """How many in-place edits this tensor's data (or a tensor it is a view of) has seen."""
        counter = self._counter
        return counter[0] if counter is not None else 0

    def _bump_version(self) -> None:
        """Count one in-place edit; every API that writes into a tensor's data calls this."""
        counter = _shared(self)
        counter[0] += 1
        _clock[0] += 1
        counter[1] = _clock[0]

    # ---- attributes --------------------------------------------------------------------------

    @property
    def requires_grad(self) -> bool:
        """Whether gradients flow to this tensor (leaves: set by the user; results: inherited)."""
        return self._requires_grad

    @requires_grad.setter
    def requires_grad(self, flag: bool) -> None:
        flag = bool(flag)
        if self.parents:
            if flag:
                return
            raise RuntimeError(
                f"requires_grad: cannot switch off gradients of a result of {self.op!r}; "
                "got a non-leaf tensor. Use detach() for a copy outside the graph."
            )
        if flag and self._data.dtype.kind != "f":
            raise TypeError(
                f"requires_grad: only floating-point tensors can require grad; got dtype "
                f"{self._data.dtype}, expected float32 or float64. Convert first, e.g. "
                "Tensor(x, dtype='float32')."
            )
        self._requires_grad = flag

    def requires_grad_(self, requires_grad: bool = True) -> Tensor:
        """Set `requires_grad` in place and return self.

        >>> Tensor([1.0]).requires_grad_().requires_grad
        True
        """
        self.requires_grad = requires_grad
        return self

    @property
    def grad_fn(self) -> BackwardFunction | None:
        """None for a leaf; for a result, its backward step as PyTorch shows it (``.name()``,
        ``.next_functions``; see `autograd.grad_fn`).

        >>> x = Tensor([1.0, 2.0], requires_grad=True)
        >>> (x * x).sum().grad_fn
        <SumBackward op='sum'>
        """
        return BackwardFunction(self) if self.parents else None

    @property
    def is_leaf(self) -> bool:
        """True for tensors made by the user (or under `no_grad`), False for recorded results."""
        return not self.parents

    @property
    def shape(self) -> tuple[int, ...]:
        """The array's shape."""
        return self._data.shape

    @property
    def ndim(self) -> int:
        """The number of dimensions."""
        return self._data.ndim

    @property
    def dtype(self) -> np.dtype:
        """The array's numpy dtype."""
        return self._data.dtype

    @property
    def size(self) -> ElementCount:
        """The number of elements, as numpy's ``size``; call it for PyTorch's ``size()``.

        ``t.size`` is an int; ``t.size()`` is the shape and ``t.size(dim)`` one dim's length.

        >>> t = Tensor(np.zeros((2, 3)))
        >>> t.size, t.size(), t.size(-1)
        (6, (2, 3), 3)
        """
        data = self._data
        return ElementCount(data.size, data.shape)

    def numel(self) -> int:
        """The number of elements (PyTorch's name)."""
        return self._data.size

    @property
    def T(self) -> Tensor:  # noqa: N802 (numpy's name)
        """The tensor with its axes reversed (the transpose of a matrix)."""
        return _shape.permute(self, tuple(range(self._data.ndim - 1, -1, -1)))

    def item(self) -> float | int | bool:
        """The single element as a Python number.

        >>> Tensor([[2.5]]).item()
        2.5
        """
        if self._data.size != 1:
            raise ValueError(
                f"item: tensor has {self._data.size} elements; got shape {self._data.shape}, "
                "expected exactly one element"
            )
        return self._data.item()

    def numpy(self) -> np.ndarray:
        """The underlying array (shared, not copied; writes into it bypass the version counter).

        >>> Tensor([1.0, 2.0]).numpy()
        array([1., 2.], dtype=float32)
        """
        return self._data

    def tolist(self) -> Any:
        """The values as (nested) Python lists."""
        return self._data.tolist()

    def detach(self) -> Tensor:
        """A leaf sharing this tensor's data (and its version counter), outside any graph.

        >>> x = Tensor([1.0], requires_grad=True)
        >>> (x * 2).detach().requires_grad
        False
        """
        out = _leaf(self._data)
        out._counter = _shared(self)
        return out

    def retain_grad(self) -> None:
        """Keep ``grad`` on this intermediate result after `backward` (leaves always keep it).

        >>> x = Tensor([1.0, 2.0], requires_grad=True)
        >>> y = x * 3; y.retain_grad(); y.sum().backward()
        >>> y.grad
        array([1., 1.], dtype=float32)
        """
        if not self._requires_grad:
            raise RuntimeError(
                "retain_grad: tensor does not require grad; got requires_grad=False. Only results "
                "of ops on tensors with requires_grad=True have gradients."
            )
        self._retain = True

    # ---- differentiation --------------------------------------------------------------------

    def backward(
        self,
        gradient: Any = None,
        retain_graph: bool | None = None,
        create_graph: bool = False,
        *,
        grad: Any = None,
    ) -> None:
        """Add d self/d leaf to ``leaf.grad`` for every leaf that requires grad.

        PyTorch's signature; ``leaf.grad`` is a `Grad`, a numpy array with ``zero_()`` & co.

        Args:
            gradient: the gradient of some final scalar with respect to this tensor, of this
                tensor's shape; may be left out when the tensor has a single element (then it
                is 1). ``grad=`` is the same argument under this library's older name.
            retain_graph: accepted for PyTorch code and has no effect: graphs here are always
                kept, so a second ``backward`` through the same graph works without it.
            create_graph: must be False: this engine computes first derivatives only, the
                backward pass records no graph of its own to differentiate again.

        As in PyTorch, gradients accumulate: set ``grad = None`` (or use an optimizer's
        ``zero_grad``) between passes.

        >>> x = Tensor([1.0, 2.0], requires_grad=True)
        >>> (x * x).backward(Tensor([1.0, 0.5])); x.grad
        array([2., 2.], dtype=float32)
        """
        if grad is not None:
            if gradient is not None:
                raise TypeError(
                    "backward: got both gradient= and grad=, expected one of them (they are the "
                    "same argument)"
                )
            gradient = grad
        if retain_graph is not None and not isinstance(retain_graph, (bool, np.bool_)):
            raise TypeError(
                f"backward: retain_graph must be True, False or None; got "
                f"{type(retain_graph).__name__} {_short(retain_graph)}"
            )
        if create_graph is not False:
            raise RuntimeError(
                f"backward: higher-order gradients are not supported; got create_graph="
                f"{_short(create_graph)}, expected False. The backward pass here records no "
                "graph, so gradients cannot be differentiated again; check second derivatives "
                "with central differences instead (autograd.gradcheck on a gradient function)"
            )
        grad = gradient
        if not self._requires_grad:
            raise RuntimeError(
                "backward: tensor does not require grad; got a tensor with no graph. Create the "
                "leaves with requires_grad=True, outside no_grad()."
            )
        data = self._data
        if grad is None:
            if data.size != 1:
                raise RuntimeError(
                    f"backward: output has shape {data.shape}; pass grad or reduce first, "
                    "e.g. loss.sum().backward()"
                )
            seed = np.ones_like(data)
        else:
            if isinstance(grad, Value):
                raise TypeError("backward: grad must be a Tensor, array or number; got a Value")
            if type(grad) is _ndarray and grad.dtype == data.dtype:
                seed = grad.copy()
            else:
                seed = _to_array(grad, data.dtype, "backward")
            if seed.shape != data.shape:
                raise ValueError(
                    f"backward: grad has the wrong shape; got {seed.shape}, expected {data.shape}"
                )
        backpropagate(self, seed)

    def _accumulate(self, grad: np.ndarray) -> None:
        if self._retain or not self.parents:
            if self.grad is None:  # a copy: two .grad fields never share one array
                self.grad = np.array(grad, dtype=self._data.dtype).view(Grad)
            else:
                self.grad += grad

    def _vjp(self, grad_out: np.ndarray) -> tuple:
        if self._reads and _clock[0] != self._tick:  # some tensor was edited since the op ran
            self._check_reads()
        needs = self._needs
        grads = self._backward(grad_out, needs, *self._saved)  # type: ignore[misc]
        parents = self.parents
        if self._kept is not None:  # drop the slots of constant (non-Tensor) inputs
            grads = tuple([g for g, kept in zip(grads, self._kept, strict=True) if kept])
        for g, parent in zip(grads, parents, strict=True):
            if g is not None and g.shape != parent._data.shape:
                raise RuntimeError(
                    f"backward: op {self.op!r} returned a gradient of shape {g.shape}; "
                    f"expected {parent._data.shape}, the shape of its input"
                )
        if flags.anomaly:  # the mode at backward time decides, as in PyTorch
            _check_gradients(self, grads)
        return grads

    def _check_reads(self) -> None:
        """Raise if a tensor whose values this op saved was edited after the op ran."""
        tick = self._tick
        for t in self._reads:
            if t is OUTPUT:
                t = self
            elif not isinstance(t, Tensor):
                continue
            counter = t._counter
            if counter is not None and counter[1] > tick:
                _modified(self, t)

    # ---- operators ----------------------------------------------------------------------------

    def __add__(self, other: Operand) -> Tensor:
        return _ew.add(self, other)

    def __radd__(self, other: Operand) -> Tensor:
        return _ew.add(other, self)

    def __sub__(self, other: Operand) -> Tensor:
        return _ew.sub(self, other)

    def __rsub__(self, other: Operand) -> Tensor:
        return _ew.sub(other, self)

    def __mul__(self, other: Operand) -> Tensor:
        return _ew.mul(self, other)

    def __rmul__(self, other: Operand) -> Tensor:
        return _ew.mul(other, self)

    def __truediv__(self, other: Operand) -> Tensor:
        return _ew.div(self, other)

    def __rtruediv__(self, other: Operand) -> Tensor:
        return _ew.div(other, self)

    def __pow__(self, other: Operand) -> Tensor:
        return _ew.power(self, other)

    def __rpow__(self, other: Operand) -> Tensor:
        return _ew.power(other, self)

    def __matmul__(self, other: Operand) -> Tensor:
        return _linalg.matmul(self, other)

    def __rmatmul__(self, other: Operand) -> Tensor:
        return _linalg.matmul(other, self)

    def __neg__(self) -> Tensor:
        return _ew.neg(self)

    def __pos__(self) -> Tensor:
        return self

    def __abs__(self) -> Tensor:
        return _ew.absolute(self)

    def __getitem__(self, index: Any) -> Tensor:
        return _shape.getitem(self, index)

    def __setitem__(self, index: Any, value: Any) -> None:
        """Assign in place, under the rules of the in-place ops (a leaf that requires grad or
        a recorded result only inside `no_grad`).

        The edit bumps the version counter: a graph that saved these values refuses `backward`.
        """
        if isinstance(value, Value):
            raise TypeError("setitem: cannot assign a Value into a Tensor; got a Value")
        data = self._writable("setitem", value)
        if isinstance(value, Tensor):
            source = value._data
        else:
            source = _to_array(value, data.dtype, "setitem")
        key, _ = _shape.index_key(index, "setitem", data.shape)
        try:
            data[key] = source
        except ValueError:
            raise ValueError(
                f"setitem: cannot assign values of shape {source.shape} to the selection "
                f"{_short(index)} of a tensor of shape {data.shape}; got shapes that do not "
                "broadcast, expected the value's shape to broadcast to the selection's"
            ) from None
        except (IndexError, OverflowError):
            raise _shape.index_error(index, key, data.shape, "setitem") from None
        self._bump_version()

    # ---- in-place operations -----------------------------------------------------------------
    # PyTorch's ``x.add_(y)`` and ``x += y``: the result goes into this tensor's own array (its
    # dtype and shape kept; only the other operand broadcasts), the version counter counts the
    # edit, and the method returns self. Allowed under no_grad() and, at any time, on tensors
    # outside every graph. A leaf that requires grad is refused while grad mode is on, as in
    # PyTorch. So is a recorded result, although PyTorch records the edit as a new version of
    # it: here the tensor object is itself the graph node that its consumers point to, so a
    # recorded edit would quietly route their gradients through it; ``y = y + v`` makes a new node.

    def __iadd__(self, other: Operand) -> Tensor:
        return self._in_place("add_", np.add, other)

    def __isub__(self, other: Operand) -> Tensor:
        return self._in_place("sub_", np.subtract, other)

    def __imul__(self, other: Operand) -> Tensor:
        return self._in_place("mul_", np.multiply, other)

    def __itruediv__(self, other: Operand) -> Tensor:
        return self._in_place("div_", np.true_divide, other)

    # ``a **= b`` is in place in PyTorch too; ``a @= b`` rebinds ``a`` there (no __imatmul__),
    # and here as well
    def __ipow__(self, other: Operand) -> Tensor:
        return self._in_place("pow_", np.power, other)

    def add_(self, other: Operand, *, alpha: float = 1) -> Tensor:
        """``self += alpha * other`` in place; returns self.

        >>> Tensor([1.0, 2.0]).add_(Tensor([1.0, 1.0]), alpha=0.5)
        Tensor([1.5, 2.5], dtype=float32)
        """
        return self._in_place("add_", np.add, other, alpha)

    def sub_(self, other: Operand, *, alpha: float = 1) -> Tensor:
        """``self -= alpha * other`` in place; returns self (d2l's ``param.sub_(lr * grad)``)."""
        return self._in_place("sub_", np.subtract, other, alpha)

    def mul_(self, other: Operand) -> Tensor:
        """``self *= other`` in place; returns self."""
        return self._in_place("mul_", np.multiply, other)

    def div_(self, other: Operand) -> Tensor:
        """``self /= other`` in place (true division: integer tensors are refused); returns self."""
        return self._in_place("div_", np.true_divide, other)

    def pow_(self, exponent: Operand) -> Tensor:
        """``self **= exponent`` in place; returns self."""
        return self._in_place("pow_", np.power, exponent)

    def zero_(self) -> Tensor:
        """Set every element to 0 in place; returns self.

        >>> Tensor([1.0, 2.0]).zero_()
        Tensor([0., 0.], dtype=float32)
        """
        self._writable("zero_").fill(0)
        self._bump_version()
        return self

    def fill_(self, value: float | Tensor) -> Tensor:
        """Set every element to ``value`` (a number or a 0-d tensor) in place; returns self.

        As in PyTorch, the value converts to this tensor's dtype (1.7 fills an int64 tensor with
        1); one it cannot hold (nan, inf, out of range) is refused instead of wrapping.
        """
        data = self._writable("fill_", value)
        if isinstance(value, (Tensor, np.ndarray)):
            array = value._data if isinstance(value, Tensor) else value
            if array.ndim != 0:
                raise RuntimeError(
                    f"fill_: only a 0-dimension value tensor is supported; got a tensor of shape "
                    f"{array.shape}, expected shape (). Use copy_ to copy an array"
                )
            value = array.item()
        if isinstance(value, np.generic):
            value = value.item()
        if not isinstance(value, Real):
            raise TypeError(f"fill_: value must be a number; got {type(value).__name__}")
        if data.dtype.kind in "iu":
            _check_range(np.asarray(value), data.dtype, "fill_")
        data.fill(value)
        self._bump_version()
        return self

    def copy_(self, src: Operand) -> Tensor:
        """Copy ``src``'s values in (broadcast to this shape, converted to this dtype, as in
        PyTorch: 1.7 becomes 1 in an int64 tensor); returns self."""
        data = self._writable("copy_", src)
        source = _ew.operand(src, "copy_")
        if data.dtype.kind in "iu":  # floats and wider integers must fit, not wrap
            array = np.asarray(source)
            if array.size and not np.can_cast(array.dtype, data.dtype):
                _check_range(array, data.dtype, "copy_")
        try:
            np.copyto(data, source, casting="unsafe")
        except ValueError:
            raise self._in_place_error("copy_", np.copyto, source) from None
        self._bump_version()
        return self

    def clamp_(self, min: Operand | None = None, max: Operand | None = None) -> Tensor:  # noqa: A002
        """Limit the values to [min, max] in place (numbers or tensors that broadcast to this
        shape; one bound may be None); returns self.

        >>> Tensor([-2.0, 0.5, 3.0]).clamp_(0.0, 1.0)
        Tensor([0. , 0.5, 1. ], dtype=float32)
        """
        data = self._writable("clamp_", min, max)
        if min is None and max is None:
            raise ValueError(
                "clamp_: no bound given; got min=None and max=None, expected at least one of them"
            )
        result = data
        for bound, ufunc in ((min, np.maximum), (max, np.minimum)):
            if bound is not None:
                bound = _ew.operand(bound, "clamp_")
                self._check_cast("clamp_", bound, ufunc)
                result = _ew.binary(result, bound, "clamp_", ufunc)[2]
                if np.shape(result) != data.shape:
                    raise self._in_place_error("clamp_", ufunc, bound)
        np.copyto(data, result, casting="unsafe")
        self._bump_version()
        return self

    def clip_(self, min: Operand | None = None, max: Operand | None = None) -> Tensor:  # noqa: A002
        """Alias of `clamp_` (PyTorch's other name)."""
        return self.clamp_(min, max)

    def clamp_min_(self, min: Operand) -> Tensor:  # noqa: A002
        """``clamp_(min=min)``."""
        return self.clamp_(min, None)

    def clamp_max_(self, max: Operand) -> Tensor:  # noqa: A002
        """``clamp_(max=max)``."""
        return self.clamp_(None, max)

    def normal_(self, mean: float = 0.0, std: float = 1.0) -> Tensor:
        """Fill with normal draws ``mean + std·z`` from the generator `manual_seed` resets (the
        same stream as `randn`); returns self.

        >>> from autograd import manual_seed, randn
        >>> _ = manual_seed(0); a = Tensor([0.0, 0.0]).normal_()
        >>> _ = manual_seed(0); bool((a == randn(2)).numpy().all())
        True
        """
        data, dtype = self._random_target("normal_", mean=mean, std=std)
        if std < 0:
            raise ValueError(f"normal_: std must be >= 0; got std={std!r}, expected std >= 0")
        draw = generator().standard_normal(data.shape, dtype=dtype)
        np.copyto(data, draw * std + mean, casting="same_kind")
        self._bump_version()
        return self

    def uniform_(self, a: float = 0.0, b: float = 1.0) -> Tensor:
        """Fill with uniform draws in [a, b) from the generator `manual_seed` resets (the same
        stream as `rand`); returns self. PyTorch names the bounds ``from`` and ``to``.

        >>> w = Tensor([0.0, 0.0, 0.0]).uniform_(-0.1, 0.1).numpy()
        >>> bool(((w >= -0.1) & (w < 0.1)).all())
        True
        """
        data, dtype = self._random_target("uniform_", a=a, b=b)
        if a > b:
            raise ValueError(
                f"uniform_: expects a [from, to) range; got from={a!r} > to={b!r}, expected a <= b"
            )
        draw = generator().random(data.shape, dtype=dtype)
        np.copyto(data, draw * (b - a) + a, casting="same_kind")
        self._bump_version()
        return self

    def _writable(self, api: str, *others: Any) -> np.ndarray:
        """This tensor's array, once the graph rules of in-place ops (see above) allow the edit."""
        if flags.grad_enabled:
            shape = self._data.shape
            if self.parents:
                raise RuntimeError(
                    f"{api}: cannot change the result of op {self.op!r} in place while grad mode "
                    f"is on; got a non-leaf tensor of shape {shape}, expected a leaf or "
                    "no_grad(). The tensor is itself the graph node that later ops point to, so "
                    "the edit cannot be recorded: write y = y + v (a new node) instead"
                )
            if self._requires_grad:
                raise RuntimeError(
                    f"{api}: a leaf Variable that requires grad is being used in an in-place "
                    f"operation; got a leaf of shape {shape} with requires_grad=True while grad "
                    "mode is on, expected the update inside no_grad(). Wrap it, e.g. "
                    "with no_grad(): w -= lr * w.grad (as optimizers do)"
                )
            for other in others:
                if isinstance(other, Tensor) and other._requires_grad:
                    raise RuntimeError(
                        f"{api}: an in-place op cannot record an operand that requires grad; got "
                        f"an operand of shape {other._data.shape} with requires_grad=True while "
                        "grad mode is on, expected a constant or no_grad(). Write a = a + b for "
                        "a new node that gradients flow through"
                    )
        return self._data

    def _in_place(self, api: str, ufunc: Any, other: Any, alpha: Any = None) -> Tensor:
        """``self = ufunc(self, alpha * other)`` written into self's array; returns self."""
        data = self._writable(api, other)
        operand = _ew.operand(other, api)
        if alpha is not None:
            operand = self._scaled(api, operand, alpha)
        if data.dtype.kind != "f":  # a float tensor takes any result; others check it first
            self._check_cast(api, operand, ufunc)
        try:
            if ufunc is np.true_divide or ufunc is np.power:  # inf and nan quietly, as PyTorch
                with np.errstate(all="ignore"):
                    ufunc(data, operand, out=data, casting="unsafe")
            else:
                ufunc(data, operand, out=data, casting="unsafe")
        except (ValueError, TypeError, OverflowError):
            raise self._in_place_error(api, ufunc, operand) from None
        self._bump_version()
        return self

    def _scaled(self, api: str, operand: Any, alpha: Any) -> Any:
        """``alpha * operand`` for add_ and sub_; a float alpha cannot scale an integer tensor."""
        if not isinstance(alpha, Real):
            raise TypeError(f"{api}: alpha must be a number; got {type(alpha).__name__}")
        if self._data.dtype.kind != "f" and not isinstance(alpha, (int, np.integer)):
            raise RuntimeError(
                f"{api}: for integral input tensors, argument alpha must not be a floating point "
                f"number; got alpha={alpha!r} for dtype {self._data.dtype}, expected an int"
            )
        return operand if alpha == 1 else operand * alpha

    def _check_cast(self, api: str, operand: Any, ufunc: Any) -> None:
        """Refuse a result this tensor's dtype cannot hold, by PyTorch's rule: no float result in
        an integer or bool tensor, no integer result in a bool tensor."""
        target = self._data.dtype
        if target.kind == "f":
            return
        result = np.result_type(self._data, operand)
        if ufunc is np.true_divide and result.kind != "f":
            result = flags.default_dtype  # true division of integers: PyTorch's default float
        elif result.kind == "f" and isinstance(operand, float):
            result = flags.default_dtype  # a Python float: PyTorch computes in the default float
        if result.kind in ("b" if target.kind == "b" else "iub"):
            return
        # PyTorch's names, as in its message: 'autograd.FloatTensor' -> 'Float'
        names = {d: n.split(".")[1].removesuffix("Tensor") for d, n in _dtypes.TYPE_NAMES.items()}
        raise RuntimeError(
            f"{api}: result type {names.get(result, result)} can't be cast to the desired output "
            f"type {names.get(target, target)}; got a {result} result for a tensor of dtype "
            f"{target}, expected a result of its kind. Convert first, e.g. t = t.double(), or "
            "write t = t + x for a new tensor"
        )

    def _in_place_error(self, api: str, ufunc: Any, operand: Any) -> Exception:
        """The error for an in-place op that numpy refused: the same as the out-of-place op's, or,
        when only writing back failed, a result of another shape or a read-only array."""
        data = self._data
        try:
            result = _ew.binary(data, operand, api, np.add if ufunc is np.copyto else ufunc)[2]
        except (ValueError, OverflowError) as err:
            return err
        except TypeError as err:  # numpy refuses the dtypes (bool - bool)
            return TypeError(f"{api}: {err}; got dtypes {data.dtype} and {np.result_type(operand)}")
        if np.shape(result) != data.shape:
            return RuntimeError(
                f"{api}: output with shape {data.shape} doesn't match the broadcast shape "
                f"{np.shape(result)}; got an operand of shape {np.shape(operand)}, expected one "
                f"that broadcasts to {data.shape}. Write a = a + b for a result of the larger shape"
            )
        return RuntimeError(
            f"{api}: cannot write into this tensor; got a read-only array of shape {data.shape} "
            "(a broadcast view), expected a writable one. Copy it first, e.g. t = Tensor(t)"
        )

    def _random_target(self, api: str, **params: Any) -> tuple[np.ndarray, np.dtype]:
        """This tensor's array for a random fill (floats only, number parameters), and the dtype
        to draw in: the tensor's own, or float64 for float16 (as `randn` draws)."""
        data = self._writable(api)
        for name, value in params.items():
            if not isinstance(value, Real) or isinstance(value, bool):
                raise TypeError(f"{api}: {name} must be a number; got {type(value).__name__}")
        if data.dtype.kind != "f":
            raise TypeError(
                f"{api}: random draws need a float tensor; got dtype {data.dtype}, expected "
                "float32 or float64 (PyTorch has no such kernel for it either)"
            )
        return data, data.dtype if data.dtype.itemsize in (4, 8) else np.dtype(np.float64)

    # Comparisons give boolean tensors outside the graph. mypy assumes rich comparisons return
    # bool (override) and that a < b and b > a mean the same (misc: the reflected side may be an
    # ndarray or a Tensor); elementwise comparisons are neither: they return arrays, as numpy's do.
    def __lt__(self, other: Operand) -> Tensor:  # type: ignore[override, misc]
        return _ew.compare(self, other, "lt", np.less)

    def __le__(self, other: Operand) -> Tensor:  # type: ignore[override, misc]
        return _ew.compare(self, other, "le", np.less_equal)

    def __gt__(self, other: Operand) -> Tensor:  # type: ignore[override, misc]
        return _ew.compare(self, other, "gt", np.greater)

    def __ge__(self, other: Operand) -> Tensor:  # type: ignore[override, misc]
        return _ew.compare(self, other, "ge", np.greater_equal)

    # == and != with anything else (None, a Value, a string) fall back to identity, as in PyTorch
    def __eq__(self, other: object) -> Tensor:  # type: ignore[override]
        if not isinstance(other, _COMPARABLE):
            return NotImplemented
        return _ew.compare(self, other, "eq", np.equal)

    def __ne__(self, other: object) -> Tensor:  # type: ignore[override]
        if not isinstance(other, _COMPARABLE):
            return NotImplemented
        return _ew.compare(self, other, "ne", np.not_equal)

    # bitwise ops on bool and integer tensors, outside the graph: masks like (x > 0) & (x < 1)
    def __and__(self, other: Operand) -> Tensor:
        return _ew.bitwise(self, other, "and", np.bitwise_and)

    def __rand__(self, other: Operand) -> Tensor:
        return _ew.bitwise(other, self, "and", np.bitwise_and)

    def __or__(self, other: Operand) -> Tensor:
        return _ew.bitwise(self, other, "or", np.bitwise_or)

    def __ror__(self, other: Operand) -> Tensor:
        return _ew.bitwise(other, self, "or", np.bitwise_or)

    def __xor__(self, other: Operand) -> Tensor:
        return _ew.bitwise(self, other, "xor", np.bitwise_xor)

    def __rxor__(self, other: Operand) -> Tensor:
        return _ew.bitwise(other, self, "xor", np.bitwise_xor)

    def __invert__(self) -> Tensor:
        return _ew.bitwise(self, None, "invert", np.invert)

    def __len__(self) -> int:
        if self._data.ndim == 0:
            raise TypeError("len: a 0-d tensor has no length; got shape ()")
        return len(self._data)

    def __iter__(self) -> Iterator[Tensor]:
        for i in range(len(self)):
            yield self[i]

    def __bool__(self) -> bool:
        if self._data.size != 1:
            raise ValueError(
                f"bool: the truth value of a tensor of shape {self._data.shape} is ambiguous; "
                "expected one element. Use (t > 0).numpy().any() or .all()"
            )
        return bool(self._data)

    def __float__(self) -> float:
        return float(self.item())

    def __int__(self) -> int:
        return int(self.item())

    def __index__(self) -> int:
        """The single integer (or bool) element, so that a tensor can index a list or a range."""
        data = self._data
        if data.size != 1 or data.dtype.kind not in "iub":
            raise TypeError(
                "index: only integer tensors of a single element can be converted to an index; "
                f"got dtype {data.dtype} and shape {data.shape}, expected one integer element. "
                "Convert first, e.g. int(t) or t.long()"
            )
        return int(data.item())

    def __array__(self, dtype: Any = None, copy: bool | None = None) -> np.ndarray:
        if dtype is None and not copy:
            return self._data
        return np.array(self._data, dtype=dtype, copy=True)

    def __repr__(self) -> str:
        data = self._data
        extras = [f"dtype={data.dtype}"]
        if self.op:
            extras.append(f"op={self.op!r}")
        elif self._requires_grad:
            extras.append("requires_grad=True")
        if self.label:
            extras.append(f"label={self.label!r}")
        if data.size > 64:
            extras.insert(0, f"shape={data.shape}")
        body = np.array2string(
            data, separator=", ", prefix="Tensor(", threshold=64, edgeitems=2, precision=4
        )
        return f"Tensor({body}, {', '.join(extras)})"

    # ---- elementwise -------------------------------------------------------------------------

    def exp(self) -> Tensor:
        """e^x elementwise."""
        return _ew.exp(self)

    def log(self) -> Tensor:
        """Natural logarithm elementwise (-inf at 0, nan below, as in numpy)."""
        return _ew.log(self)

    def sqrt(self) -> Tensor:
        """Square root elementwise."""
        return _ew.sqrt(self)

    def abs(self) -> Tensor:
        """|x| elementwise; gradient sign(x), 0 at 0."""
        return _ew.absolute(self)

    def neg(self) -> Tensor:
        """-x elementwise."""
        return _ew.neg(self)

    def pow(self, exponent: Operand) -> Tensor:
        """x ** exponent elementwise (a number or a Tensor exponent).

        >>> Tensor([1.0, 2.0, 3.0]).pow(2)
        Tensor([1., 4., 9.], dtype=float32)
        """
        return _ew.power(self, exponent)

    def tanh(self) -> Tensor:
        """Hyperbolic tangent elementwise."""
        return _ew.tanh(self)

    def sigmoid(self) -> Tensor:
        """1 / (1 + e^-x) elementwise, without overflow."""
        return _ew.sigmoid(self)

    def relu(self) -> Tensor:
        """max(0, x) elementwise."""
        return _ew.relu(self)

    def leaky_relu(self, alpha: float = 0.01) -> Tensor:
        """x if x > 0 else alpha·x, elementwise."""
        return _ew.leaky_relu(self, alpha)

    def elu(self, alpha: float = 1.0) -> Tensor:
        """x if x > 0 else alpha·(e^x - 1), elementwise."""
        return _ew.elu(self, alpha)

    def softplus(self) -> Tensor:
        """log(1 + e^x) elementwise, without overflow."""
        return _ew.softplus(self)

    def clip(self, min: Any = None, max: Any = None) -> Tensor:  # noqa: A002 (PyTorch's names)
        """Values limited to [min, max]; the gradient is zero where a bound bites (`clamp`).

        >>> Tensor([-2.0, 0.5, 3.0]).clip(0.0, 1.0)
        Tensor([0. , 0.5, 1. ], dtype=float32)
        """
        return _ew.clamp(self, min, max, api="clip")

    def maximum(self, other: Operand) -> Tensor:
        """Elementwise larger of self and other."""
        return _ew.maximum(self, other)

    def minimum(self, other: Operand) -> Tensor:
        """Elementwise smaller of self and other."""
        return _ew.minimum(self, other)

    def astype(self, dtype: Any) -> Tensor:
        """This tensor converted to ``dtype``: float results pass gradients back, integer and bool
        results leave the graph (as in PyTorch); other dtypes (complex, str) are refused."""
        return _ew.astype(self, dtype)

    def float(self) -> Tensor:
        """As float32."""
        return _ew.astype(self, np.float32)

    def double(self) -> Tensor:
        """As float64."""
        return _ew.astype(self, np.float64)

    # ---- conversions and devices -------------------------------------------------------------
    # PyTorch's names; ``int()`` and ``bool()`` close the class (see there). Integer and bool
    # results leave the graph, as in PyTorch.

    def half(self) -> Tensor:
        """As float16 (elementwise ops compute in it; matmul and conv kernels refuse it)."""
        return _ew.astype(self, np.float16)

    def long(self) -> Tensor:
        """As int64, PyTorch's type for indices and class labels.

        >>> Tensor([1.7, -1.7]).long()
        Tensor([ 1, -1], dtype=int64)
        """
        return _ew.astype(self, np.int64)

    def short(self) -> Tensor:
        """As int16."""
        return _ew.astype(self, np.int16)

    def char(self) -> Tensor:
        """As int8."""
        return _ew.astype(self, np.int8)

    def byte(self) -> Tensor:
        """As uint8."""
        return _ew.astype(self, np.uint8)

    def type(self, dtype: Any = None, non_blocking: bool = False) -> Any:
        """With no argument, the type name (``'autograd.FloatTensor'``, PyTorch's
        ``'torch.FloatTensor'`` under this package's name); else this tensor as ``dtype`` (a dtype
        or such a name), itself when it has that dtype already.

        >>> Tensor([1.0]).type(), Tensor([1.0]).type("autograd.LongTensor").dtype
        ('autograd.FloatTensor', dtype('int64'))
        """
        if dtype is None:
            current = self._data.dtype
            return _dtypes.TYPE_NAMES.get(current) or f"autograd.{current.name.title()}Tensor"
        target = _type_target(dtype, "type")
        return self if target == self._data.dtype else _ew.astype(self, target)

    def type_as(self, other: Tensor) -> Tensor:
        """This tensor in ``other``'s dtype."""
        if not isinstance(other, Tensor):
            raise TypeError(f"type_as: expected a Tensor; got {type(other).__name__}")
        return self.type(other._data.dtype)

    def to(
        self,
        *args: Any,
        device: Any = None,
        dtype: Any = None,
        non_blocking: bool = False,
        copy: bool = False,
    ) -> Tensor:
        """This tensor on ``device`` and in ``dtype``, as PyTorch's ``to``: ``to(dtype)``,
        ``to(device)``, ``to(device, dtype)``, ``to(other)`` (other's dtype) or keywords.

        The only device is ``'cpu'``; any other is a RuntimeError naming it. Without a change
        (and without ``copy=True``) the result is the tensor itself. ``non_blocking`` is accepted
        and has nothing to do on the CPU.

        >>> x = Tensor([1.0]); x.to("cpu") is x, x.to("cpu", "float64").dtype
        (True, dtype('float64'))
        """
        if len(args) > 2:
            raise TypeError(f"to: too many arguments; got {len(args)}, expected at most 2")
        for arg in args:
            if isinstance(arg, Tensor):
                dtype = arg._data.dtype if dtype is None else dtype
            elif isinstance(arg, (_dtypes.device, int)) and not isinstance(arg, bool):
                device = arg
            elif isinstance(arg, str) and _is_dtype_name(arg):
                dtype = arg
            elif isinstance(arg, str):
                device = arg
            else:
                dtype = arg
        _dtypes.check_device(device, "to")
        target = _type_target(dtype, "to") if dtype is not None else self._data.dtype
        if target != self._data.dtype or copy:
            return _ew.astype(self, target)
        return self

    def cpu(self) -> Tensor:
        """This tensor (everything lives on the CPU)."""
        return self

    def cuda(self, device: Any = None, non_blocking: bool = False) -> Tensor:
        """Refused: grafograd has no GPU support (a RuntimeError naming the device)."""
        name = "cuda" if device is None else device if isinstance(device, str) else f"cuda:{device}"
        raise RuntimeError(
            f"cuda: grafograd runs on the CPU only; got device {str(name)!r}, expected 'cpu'. "
            "Drop .cuda(), or write .to(device) with device = 'cpu'"
        )

    @property
    def device(self) -> _dtypes.device:
        """``device(type='cpu')``, equal to ``'cpu'``."""
        return _dtypes.CPU

    @property
    def is_cuda(self) -> bool:
        """False: tensors live on the CPU."""
        return False

    # ---- reductions ----------------------------------------------------------------------------
    # PyTorch's ``dim``/``keepdim`` and numpy's ``axis``/``keepdims`` both work; giving both
    # spellings of one argument is a TypeError. ``max(dim)``/``min(dim)`` give (values, indices).

    def sum(
        self,
        dim: int | Sequence[int] | None = None,
        keepdim: bool | None = None,
        *,
        axis: int | Sequence[int] | None = None,
        keepdims: bool | None = None,
    ) -> Tensor:
        """Sum over ``dim`` (all dims by default).

        >>> Tensor([[1.0, 2.0], [3.0, 4.0]]).sum(dim=0)
        Tensor([4., 6.], dtype=float32)
        """
        return _reduce.reduce_sum(self, dim, keepdim, axis=axis, keepdims=keepdims)

    def mean(
        self,
        dim: int | Sequence[int] | None = None,
        keepdim: bool | None = None,
        *,
        axis: int | Sequence[int] | None = None,
        keepdims: bool | None = None,
    ) -> Tensor:
        """Mean over ``dim`` (all dims by default)."""
        return _reduce.reduce_mean(self, dim, keepdim, axis=axis, keepdims=keepdims)

    def max(
        self,
        dim: Any = None,
        keepdim: bool | None = None,
        *,
        axis: Any = None,
        keepdims: bool | None = None,
    ) -> Any:
        """As PyTorch: ``max()`` the largest element (0-d); ``max(dim)`` the pair ``(values,
        indices)`` along one dim (the gradient goes to the first largest element); ``max(other)``
        the elementwise maximum. Several dims: use `amax`.

        >>> _, predicted = Tensor([[0.1, 2.0, 0.3], [5.0, 1.0, 0.0]]).max(1)
        >>> predicted
        Tensor([1, 0], dtype=int64)
        """
        return _reduce.reduce_max(self, dim, keepdim, axis=axis, keepdims=keepdims)

    def min(
        self,
        dim: Any = None,
        keepdim: bool | None = None,
        *,
        axis: Any = None,
        keepdims: bool | None = None,
    ) -> Any:
        """As PyTorch: ``min()`` the smallest element (0-d); ``min(dim)`` the pair ``(values,
        indices)``; ``min(other)`` the elementwise minimum. Several dims: use `amin`."""
        return _reduce.reduce_min(self, dim, keepdim, axis=axis, keepdims=keepdims)

    def amax(
        self,
        dim: int | Sequence[int] | None = None,
        keepdim: bool | None = None,
        *,
        axis: int | Sequence[int] | None = None,
        keepdims: bool | None = None,
    ) -> Tensor:
        """Largest value over ``dim`` (one, several or all dims); ties share the gradient."""
        return _reduce.amax(self, dim, keepdim, axis=axis, keepdims=keepdims)

    def amin(
        self,
        dim: int | Sequence[int] | None = None,
        keepdim: bool | None = None,
        *,
        axis: int | Sequence[int] | None = None,
        keepdims: bool | None = None,
    ) -> Tensor:
        """Smallest value over ``dim`` (one, several or all dims); ties share the gradient."""
        return _reduce.amin(self, dim, keepdim, axis=axis, keepdims=keepdims)

    def argmax(
        self,
        dim: int | None = None,
        keepdim: bool | None = None,
        *,
        axis: int | None = None,
        keepdims: bool | None = None,
    ) -> Tensor:
        """int64 position of the largest value along ``dim`` (the first among ties), or in the
        flattened tensor; outside the graph."""
        return _reduce.argmax(self, dim, keepdim, axis=axis, keepdims=keepdims)

    def argmin(
        self,
        dim: int | None = None,
        keepdim: bool | None = None,
        *,
        axis: int | None = None,
        keepdims: bool | None = None,
    ) -> Tensor:
        """int64 position of the smallest value along ``dim`` (the first among ties), or in the
        flattened tensor; outside the graph."""
        return _reduce.argmin(self, dim, keepdim, axis=axis, keepdims=keepdims)

    def var(
        self,
        dim: int | Sequence[int] | bool | None = None,
        unbiased: bool | None = None,
        keepdim: bool | None = None,
        *,
        correction: Any = None,
        axis: int | Sequence[int] | None = None,
        keepdims: bool | None = None,
    ) -> Tensor:
        """Variance over ``dim``, unbiased by default as in PyTorch (numpy's default is
        ``ddof=0``: pass ``correction=0`` or ``unbiased=False`` for that)."""
        return _reduce.var(
            self, dim, unbiased, keepdim, correction=correction, axis=axis, keepdims=keepdims
        )

    def std(
        self,
        dim: int | Sequence[int] | bool | None = None,
        unbiased: bool | None = None,
        keepdim: bool | None = None,
        *,
        correction: Any = None,
        axis: int | Sequence[int] | None = None,
        keepdims: bool | None = None,
    ) -> Tensor:
        """Standard deviation over ``dim``, unbiased by default as in PyTorch (see `var`)."""
        return _reduce.std(
            self, dim, unbiased, keepdim, correction=correction, axis=axis, keepdims=keepdims
        )

    def cumsum(self, dim: int | None = None, *, axis: int | None = None) -> Tensor:
        """Running sum along ``dim`` (required, as in PyTorch); differentiable."""
        return _scan.cumsum(self, dim, axis=axis)

    def all(
        self,
        dim: int | Sequence[int] | None = None,
        keepdim: bool | None = None,
        *,
        axis: int | Sequence[int] | None = None,
        keepdims: bool | None = None,
    ) -> Tensor:
        """Whether every element over ``dim`` is nonzero (a bool tensor)."""
        return _reduce.reduce_all(self, dim, keepdim, axis=axis, keepdims=keepdims)

    def any(
        self,
        dim: int | Sequence[int] | None = None,
        keepdim: bool | None = None,
        *,
        axis: int | Sequence[int] | None = None,
        keepdims: bool | None = None,
    ) -> Tensor:
        """Whether some element over ``dim`` is nonzero (a bool tensor)."""
        return _reduce.reduce_any(self, dim, keepdim, axis=axis, keepdims=keepdims)

    def softmax(self, dim: int | None = None, *, axis: int | None = None) -> Tensor:
        """e^x / Σ e^x along ``dim`` (the last by default), computed without overflow.

        >>> Tensor([0.0, 0.0]).softmax()
        Tensor([0.5, 0.5], dtype=float32)
        """
        return _softmax.softmax(self, dim, axis=axis)

    def log_softmax(self, dim: int | None = None, *, axis: int | None = None) -> Tensor:
        """x - log Σ e^x along ``dim`` (the last by default), computed without overflow."""
        return _softmax.log_softmax(self, dim, axis=axis)

    def logsumexp(
        self,
        dim: int | Sequence[int] | None = None,
        keepdim: bool | None = None,
        *,
        axis: int | Sequence[int] | None = None,
        keepdims: bool | None = None,
    ) -> Tensor:
        """log Σ e^x over ``dim`` (all dims by default), computed without overflow."""
        return _softmax.logsumexp(self, dim, keepdim, axis=axis, keepdims=keepdims)

    # ---- shape -------------------------------------------------------------------------------

    def reshape(self, *shape: int | Sequence[int]) -> Tensor:
        """The same values in a new shape (one size may be -1).

        >>> Tensor([1.0, 2.0, 3.0, 4.0]).reshape(2, -1).shape
        (2, 2)
        """
        return _shape.reshape(self, shape[0] if len(shape) == 1 else shape)

    def view(self, *shape: int | Sequence[int]) -> Tensor:
        """Alias of `reshape` (PyTorch's name)."""
        return _shape.reshape(self, shape[0] if len(shape) == 1 else shape, "view")

    def transpose(
        self,
        dim0: int | None = None,
        dim1: int | None = None,
        *,
        axis0: int | None = None,
        axis1: int | None = None,
    ) -> Tensor:
        """Swap dims ``dim0`` and ``dim1`` (or numpy-style ``axis0``/``axis1``); with no
        arguments, reverse all dims.

        >>> Tensor([[1.0, 2.0, 3.0]]).transpose(0, 1).shape
        (3, 1)
        """
        first = _reduce.dim_arg(dim0, axis0, "transpose", ("dim0", "axis0"))
        second = _reduce.dim_arg(dim1, axis1, "transpose", ("dim1", "axis1"))
        return _shape.transpose(self, first, second)

    @overload
    def permute(self, axes: Sequence[int], /) -> Tensor: ...
    @overload
    def permute(self, *axes: int) -> Tensor: ...

    def permute(self, *axes: Any) -> Tensor:  # the op checks the entries, with its own errors
        """Reorder the axes: ``y.shape[i] == x.shape[axes[i]]``; the axes one by one or as one
        sequence, as in PyTorch.

        >>> x = Tensor(np.zeros((2, 3, 4)))
        >>> x.permute(2, 0, 1).shape, x.permute([2, 0, 1]).shape
        ((4, 2, 3), (4, 2, 3))
        """
        return _shape.permute(self, axes[0] if len(axes) == 1 else axes)

    def flatten(self, start_dim: int = 0, end_dim: int = -1) -> Tensor:
        """Merge axes ``start_dim..end_dim`` into one.

        >>> Tensor(np.zeros((2, 3, 4))).flatten(1).shape
        (2, 12)
        """
        return _shape.flatten(self, start_dim, end_dim)

    def squeeze(self, dim: int | None = None, *, axis: int | None = None) -> Tensor:
        """Drop ``dim`` (or ``axis``) if it has size 1 (else keep the shape, as PyTorch does), or
        every size-1 dim."""
        return _shape.squeeze(self, _reduce.dim_arg(dim, axis, "squeeze"))

    def unsqueeze(self, dim: int | None = None, *, axis: int | None = None) -> Tensor:
        """Insert a size-1 dim at ``dim`` (or ``axis``)."""
        given = _reduce.dim_arg(dim, axis, "unsqueeze")
        if given is None:
            raise TypeError(
                "unsqueeze: missing dim; got none, expected an int, e.g. x.unsqueeze(0)"
            )
        return _shape.unsqueeze(self, given)

    def matmul(self, other: Operand) -> Tensor:
        """Matrix product ``self @ other`` (2-D, batched, or with 1-D operands as in numpy)."""
        return _linalg.matmul(self, other)

    # ---- more elementwise and selection ops ------------------------------------------------

    def sin(self) -> Tensor:
        """Sine elementwise; gradient cos x."""
        return _ew.sin(self)

    def cos(self) -> Tensor:
        """Cosine elementwise; gradient -sin x."""
        return _ew.cos(self)

    def tan(self) -> Tensor:
        """Tangent elementwise; gradient 1 + tan² x."""
        return _ew.tan(self)

    def sign(self) -> Tensor:
        """-1, 0 or 1 elementwise (0 for nan, as in PyTorch); the gradient is zero."""
        return _ew.sign(self)

    def floor(self) -> Tensor:
        """The largest whole number ≤ x, elementwise; the gradient is zero (as in PyTorch)."""
        return _ew.floor(self)

    def ceil(self) -> Tensor:
        """The smallest whole number ≥ x, elementwise; the gradient is zero (as in PyTorch)."""
        return _ew.ceil(self)

    def round(self, decimals: int = 0) -> Tensor:
        """Round to ``decimals`` places, halves to even (as PyTorch and numpy); zero gradient.

        >>> Tensor([0.5, 1.5, -2.5, 2.7]).round()
        Tensor([ 0.,  2., -2.,  3.], dtype=float32)
        """
        return _ew.round_decimals(self, decimals)

    # Any, not float: inside the class body "float" names the method Tensor.float
    def clamp(self, min: Any = None, max: Any = None) -> Tensor:
        """Values limited to [min, max] (PyTorch's keywords); zero gradient where a bound bites.

        >>> Tensor([-2.0, 0.5, 3.0]).clamp(min=0.0)
        Tensor([0. , 0.5, 3. ], dtype=float32)
        """
        return _ew.clamp(self, min, max)

    def where(self, condition: Any, other: Operand) -> Tensor:
        """``self`` where the bool ``condition`` holds, else ``other`` (broadcast together).

        >>> x = Tensor([1.0, -2.0, 3.0])
        >>> x.where(x > 0, 0.0)
        Tensor([1., 0., 3.], dtype=float32)
        """
        return _select.where(condition, self, other)

    def pad(self, pad: Sequence[int], mode: str = "constant", value: Any = None) -> Tensor:
        """``torch.nn.functional.pad(self, pad, mode, value)``: sizes are pairs, last dim first.

        >>> Tensor([[1.0, 2.0]]).pad((1, 0)).tolist()
        [[0.0, 1.0, 2.0]]
        """
        return _select.pad(self, pad, mode, value)

    def gather(self, dim: int, index: Any) -> Tensor:
        """Values along ``dim`` at the int64 ``index`` (of the result's shape); backward adds.

        >>> Tensor([[1.0, 2.0], [3.0, 4.0]]).gather(1, Tensor([[1], [0]], dtype="int64"))
        Tensor([[2.],
                [3.]], dtype=float32)
        """
        return _select.gather(self, dim, index)

    def clone(self) -> Tensor:
        """A copy that stays in the graph: gradients flow through it (unlike `detach`)."""
        return _ew.clone(self)

    def t(self) -> Tensor:
        """The transpose of a matrix; 0-d and 1-d tensors come back as they are (as PyTorch)."""
        if self._data.ndim > 2:
            raise RuntimeError(
                f"t: expects a tensor with <= 2 dims; got shape {self._data.shape}, expected a "
                "matrix. Use transpose(dim0, dim1) or permute for more dims"
            )
        return _shape.permute(self, tuple(range(self._data.ndim - 1, -1, -1)))

    def mm(self, mat2: Operand) -> Tensor:
        """Matrix product of two 2-D tensors (PyTorch's ``mm``; `matmul` also batches)."""
        for side, operand in (("self", self), ("mat2", mat2)):
            ndim = np.ndim(operand._data if isinstance(operand, Tensor) else operand)
            if ndim != 2:
                raise RuntimeError(
                    f"mm: {side} must be a matrix; got {ndim} dims, expected 2. Use matmul for "
                    "1-d or batched operands"
                )
        return _linalg.matmul(self, mat2)

    def eq(self, other: Operand) -> Tensor:
        """``self == other`` elementwise, a bool tensor."""
        return _ew.compare(self, other, "eq", np.equal)

    def ne(self, other: Operand) -> Tensor:
        """``self != other`` elementwise, a bool tensor."""
        return _ew.compare(self, other, "ne", np.not_equal)

    def lt(self, other: Operand) -> Tensor:
        """``self < other`` elementwise, a bool tensor."""
        return _ew.compare(self, other, "lt", np.less)

    def le(self, other: Operand) -> Tensor:
        """``self <= other`` elementwise, a bool tensor."""
        return _ew.compare(self, other, "le", np.less_equal)

    def gt(self, other: Operand) -> Tensor:
        """``self > other`` elementwise, a bool tensor."""
        return _ew.compare(self, other, "gt", np.greater)

    def ge(self, other: Operand) -> Tensor:
        """``self >= other`` elementwise, a bool tensor."""
        return _ew.compare(self, other, "ge", np.greater_equal)


_COMPARABLE = (Tensor, int, float, np.ndarray, np.generic)
# Edits made so far to any tensor. An edit stamps the tensor's counter with the new count, so an
# op records one number for all the tensors it saved: any of them stamped later was edited since.
_clock = [0]
_KINDS = "fiub"  # the dtype kinds the engine computes with: float, signed, unsigned, bool


def _short_repr() -> Callable[[Any], str]:
    """``repr`` cut to a few dozen characters, for junk quoted in error messages."""
    short = reprlib.Repr()
    short.maxstring = short.maxother = short.maxlong = 40
    short.maxlist = short.maxtuple = 6
    return short.repr


_short = _short_repr()

_asarray = np.asarray
_new = object.__new__


def _leaf(data: np.ndarray) -> Tensor:
    """A tensor outside any graph, wrapping ``data`` without copying or checking it."""
    out = _new(Tensor)
    out._data = data if type(data) is _ndarray else _asarray(data)
    out.grad = None
    out.op = ""
    out.parents = ()
    out.label = ""
    out.scope = current_scope.name
    out._deps = 0
    out._pending = None
    out._requires_grad = False
    out._retain = False
    out._backward = None
    out._saved = ()
    out._needs = ()
    out._kept = None
    out._site = None
    out._counter = None
    out._reads = ()
    out._tick = 0
    return out


class _Output:
    """`record`'s name for the op's own result among the tensors its backward reads."""

    def __repr__(self) -> str:
        return "OUTPUT"


OUTPUT = _Output()


def as_dtype(dtype: Any, api: str) -> np.dtype | None:
    """``dtype`` as a numpy dtype the engine supports (None stays None), or a TypeError naming api.

    >>> as_dtype("float64", "zeros")
    dtype('float64')
    """
    if dtype is None:
        return None
    try:
        resolved = np.dtype(dtype)
    except (TypeError, ValueError, SyntaxError):
        raise TypeError(
            f"{api}: not a dtype; got {_short(dtype)}, expected a float, integer or bool dtype "
            "such as 'float32'"
        ) from None
    if resolved.kind not in _KINDS:
        raise TypeError(
            f"{api}: unsupported dtype; got {resolved}, expected a float, integer or bool dtype "
            "(the engine has no complex, string, object or date tensors)"
        )
    return resolved


def _is_dtype_name(name: str) -> bool:
    """Whether the string ``name`` names a dtype (``'float64'``, ``'autograd.LongTensor'``)."""
    if name in _dtypes.DTYPES_BY_NAME or name.startswith("torch."):
        return True
    try:
        np.dtype(name)
    except TypeError:
        return False
    return True


def _type_target(dtype: Any, api: str) -> np.dtype:
    """The dtype that ``type(dtype)`` and ``to(dtype)`` convert to: a dtype or a type name
    (never None: the callers handle it)."""
    if isinstance(dtype, str) and dtype in _dtypes.DTYPES_BY_NAME:
        return _dtypes.DTYPES_BY_NAME[dtype]
    if isinstance(dtype, str) and dtype.startswith("torch."):
        raise ValueError(
            f"{api}: PyTorch's type names are spelled with autograd here; got {dtype!r}, "
            f"expected e.g. {dtype.replace('torch.', 'autograd.', 1)!r} or a dtype"
        )
    return as_dtype(dtype, api)  # type: ignore[return-value]


def _to_array(data: Any, dtype: Any, api: str) -> np.ndarray:
    """A fresh array for a new leaf, with the dtype rules of `Tensor`; junk is refused."""
    target = as_dtype(dtype, api)
    if isinstance(data, Value):
        raise TypeError(
            f"{api}: cannot build a Tensor from a Value; got {data!r}. Values and Tensors do not "
            "mix: use Tensor(v.data) for a constant."
        )
    if isinstance(data, Tensor):
        data = data._data
    if isinstance(data, (_ndarray, np.generic)):
        source = np.asarray(data)
        if source.dtype.kind not in _KINDS:
            raise TypeError(
                f"{api}: unsupported dtype; got {source.dtype}, expected a float, integer or bool "
                "array"
            )
        if target is None:
            return np.array(source)
    else:
        source = _python_data(data, api, target)
        if target is None:
            target = flags.default_dtype
    kind = source.dtype.kind
    if target.kind in "iu" and source.size and not np.can_cast(source.dtype, target):
        _check_range(source, target, api)
    elif kind == "f" and target.kind == "f" and target.itemsize < source.dtype.itemsize:
        with np.errstate(over="ignore"):  # 1e300 in float32 is inf, quietly, as in PyTorch
            return np.array(source, dtype=target)
    return np.array(source, dtype=target)


def _python_data(data: Any, api: str, target: np.dtype | None) -> np.ndarray:
    """Python numbers and (nested) lists as an array; refuses text, None, objects, ragged lists."""
    if isinstance(data, (str, bytes, bytearray, memoryview)):
        raise TypeError(
            f"{api}: cannot convert the data; got {type(data).__name__} {_short(data)}, expected "
            "a number, a (nested) list of numbers or a numpy array. Convert text first, e.g. "
            "float(s)"
        )
    try:
        array = np.asarray(data)
    except ValueError:
        raise ValueError(
            f"{api}: nested lists of unequal lengths; got {_short(data)}, expected every list at "
            "one depth to have the same length"
        ) from None
    kind = array.dtype.kind
    if kind in _KINDS:
        return array
    if kind == "O":  # None, Values, dicts... or Python ints too large for int64
        for item in array.flat:
            if not isinstance(item, Real):
                extra = " Values and Tensors do not mix." if isinstance(item, Value) else ""
                raise TypeError(
                    f"{api}: the data must hold numbers only; got {type(item).__name__} "
                    f"{_short(item)}, expected ints, floats or bools.{extra}"
                )
        try:
            return np.array(data, dtype=target or flags.default_dtype)
        except OverflowError:
            raise ValueError(
                f"{api}: number out of range; got {_short(data)}, expected values that fit "
                f"{target or flags.default_dtype}"
            ) from None
    if kind == "c":
        raise TypeError(
            f"{api}: complex numbers are not supported; got {_short(data)}, expected real numbers"
        )
    raise TypeError(
        f"{api}: the data must hold numbers only; got {_short(data)} ({array.dtype} after "
        "conversion), expected ints, floats or bools. Convert text first, e.g. float(s)"
    )


def _check_range(source: np.ndarray, target: np.dtype, api: str) -> None:
    """Refuse values that an integer dtype cannot hold (nan, inf, overflow) instead of wrapping."""
    info = np.iinfo(target)
    low, high = source.min(), source.max()
    if not (info.min <= low and high <= info.max):  # also False for nan
        raise ValueError(
            f"{api}: values out of range for {target}; got values in [{low}, {high}], expected "
            f"finite values in [{info.min}, {info.max}]"
        )


def _alias(out: Tensor, base: Tensor) -> Tensor:
    """Make ``out`` count its edits on ``base``'s counter when it is a view of base's memory.

    Shape ops return numpy views where they can; an edit through the view changes the base's
    values, so both must bump one counter (as PyTorch's views share the base's version).
    """
    if np.may_share_memory(out._data, base._data):
        out._counter = _shared(base)
    return out


def _shared(t: Tensor) -> list[int]:
    """``t``'s counter ``[version, tick of the last edit]``, made on first need.

    Most tensors are never edited nor viewed: they go without one.
    """
    counter = t._counter
    if counter is None:
        counter = t._counter = [0, 0]
    return counter


def _modified(node: Tensor, tensor: Tensor) -> None:
    """Raise the error for ``tensor``, saved by ``node``'s op and edited since."""
    if tensor is node:
        what = f"the output (shape {node._data.shape})"
    else:
        # parents skip constant inputs; count argument positions as the user wrote them
        positions = [i for i, kept in enumerate(node._kept or ()) if kept]
        j = next(j for j, parent in enumerate(node.parents) if parent is tensor)
        name = f"{tensor.label!r}, " if tensor.label else ""
        what = f"input {positions[j] if positions else j} ({name}shape {tensor._data.shape})"
    site = f"; op created at {node._site}" if node._site else ""
    raise RuntimeError(
        "backward: one of the variables needed for gradient computation has been modified by an "
        f"inplace operation: {what} of op {node.op!r} was edited after the op saved it{site}; "
        f"got version {tensor._version}, expected no edit between the op and backward(). "
        "Change tensors only after backward() (optimizers step after it), or give the op a "
        "copy, e.g. Tensor(x)"
    )


def _check_gradients(node: Tensor, grads: tuple) -> None:
    for i, g in enumerate(grads):
        if g is not None and not np.isfinite(g).all():
            raise FloatingPointError(
                f"detect_anomaly: the backward of op {node.op!r} produced nan or inf in the "
                f"gradient of its input {i} (shape {node.parents[i]._data.shape}); op created at "
                f"{node._site or 'an unknown place (built outside detect_anomaly)'}"
            )


def _int(self: Tensor) -> Tensor:
    """As int32 (PyTorch's ``int()``; use ``long()`` for indices and labels)."""
    return _ew.astype(self, np.int32)


def _bool(self: Tensor) -> Tensor:
    """As bool (nonzero is True).

    >>> Tensor([0.0, 2.0]).bool()
    Tensor([False,  True], dtype=bool)
    """
    return _ew.astype(self, np.bool_)


# Methods named after the builtins are set here: inside the class body, ``def int`` would make
# every later annotation ``int`` in the class mean the method (mypy's valid-type error).
Tensor.int = _int  # type: ignore[attr-defined]
Tensor.bool = _bool  # type: ignore[attr-defined]

# The ops import this module's helpers, so they come after the class they build on.
from autograd.ops import elementwise as _ew  # noqa: E402
from autograd.ops import linalg as _linalg  # noqa: E402
from autograd.ops import reduce as _reduce  # noqa: E402
from autograd.ops import scan as _scan  # noqa: E402
from autograd.ops import select as _select  # noqa: E402
from autograd.ops import shape as _shape  # noqa: E402
from autograd.ops import softmax as _softmax  # noqa: E402
