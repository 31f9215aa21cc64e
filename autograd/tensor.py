"""`Tensor`: an n-d node over a numpy array, and `record`, the one way an op adds a node to a graph.

An op computes its result from raw arrays and hands `record` a module-level backward function and
the raw arrays it needs; nothing holds the output node, so a graph is freed by reference counting.
`record` also notes the version of every tensor whose values the op saved, so that `backward`
refuses to run on data edited in place since (PyTorch's version counter).
"""

from __future__ import annotations

import reprlib
from collections.abc import Callable, Iterator, Sequence
from numbers import Real
from typing import Any, Union

import numpy as np

from autograd.graph import Node, backpropagate, current_scope
from autograd.modes import creation_site, flags
from autograd.value import Value

Operand = Union["Tensor", float, int, np.ndarray]
Backward = Callable[..., tuple]

_ndarray = np.ndarray
_asarray = np.asarray
_new = object.__new__


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
    def data(self) -> np.ndarray:
        """The values, a numpy array. Assigning to it counts as an in-place edit (see `Tensor`)."""
        return self._data

    @data.setter
    def data(self, value: Any) -> None:
        if isinstance(value, Tensor):
            array = value._data
        elif type(value) is _ndarray:
            array = value
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
    def size(self) -> int:
        """The number of elements (numpy's ``size``)."""
        return self._data.size

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

    def backward(self, grad: Any = None) -> None:
        """Add d self/d leaf to ``leaf.grad`` for every leaf that requires grad.

        Args:
            grad: the gradient of some final scalar with respect to this tensor, of this tensor's
                shape; may be left out when the tensor has a single element (then it is 1).

        As in PyTorch, gradients accumulate: set ``grad = None`` (or use an optimizer's
        ``zero_grad``) between passes.

        >>> x = Tensor([1.0, 2.0], requires_grad=True)
        >>> (x * x).backward(Tensor([1.0, 0.5])); x.grad
        array([2., 2.], dtype=float32)
        """
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
                self.grad = np.array(grad, dtype=self._data.dtype)
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
        """Assign in place; only outside the graph (no grad, or a leaf under `no_grad`).

        The edit bumps the version counter: a graph that saved these values refuses `backward`.
        """
        if self.parents or (self._requires_grad and flags.grad_enabled):
            raise RuntimeError(
                f"setitem: cannot assign into a tensor of shape {self._data.shape} that takes "
                "part in a graph; got requires_grad=True. Build a new tensor (e.g. with "
                "concatenate or a mask), or assign to a leaf inside no_grad()."
            )
        if isinstance(value, Value):
            raise TypeError("setitem: cannot assign a Value into a Tensor; got a Value")
        data = self._data
        if isinstance(value, Tensor):
            source = value._data
        else:
            source = _to_array(value, data.dtype, "setitem")
        key, _ = _shape.index_key(index, "setitem")
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

    # comparisons give boolean tensors outside the graph
    def __lt__(self, other: Operand) -> Tensor:  # type: ignore[override]
        return _ew.compare(self, other, "lt", np.less)

    def __le__(self, other: Operand) -> Tensor:  # type: ignore[override]
        return _ew.compare(self, other, "le", np.less_equal)

    def __gt__(self, other: Operand) -> Tensor:  # type: ignore[override]
        return _ew.compare(self, other, "gt", np.greater)

    def __ge__(self, other: Operand) -> Tensor:  # type: ignore[override]
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

    def clip(self, low: float | None = None, high: float | None = None) -> Tensor:
        """Values limited to [low, high]; the gradient is zero where a bound bites.

        >>> Tensor([-2.0, 0.5, 3.0]).clip(0.0, 1.0)
        Tensor([0. , 0.5, 1. ], dtype=float32)
        """
        return _ew.clip(self, low, high)

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

    # ---- reductions ----------------------------------------------------------------------------

    def sum(self, axis: int | Sequence[int] | None = None, keepdims: bool = False) -> Tensor:
        """Sum over ``axis`` (all axes by default).

        >>> Tensor([[1.0, 2.0], [3.0, 4.0]]).sum(axis=0)
        Tensor([4., 6.], dtype=float32)
        """
        return _reduce.reduce_sum(self, axis, keepdims)

    def mean(self, axis: int | Sequence[int] | None = None, keepdims: bool = False) -> Tensor:
        """Mean over ``axis`` (all axes by default)."""
        return _reduce.reduce_mean(self, axis, keepdims)

    def max(self, axis: int | Sequence[int] | None = None, keepdims: bool = False) -> Tensor:
        """Largest value over ``axis``; ties share the gradient evenly."""
        return _reduce.reduce_max(self, axis, keepdims)

    def min(self, axis: int | Sequence[int] | None = None, keepdims: bool = False) -> Tensor:
        """Smallest value over ``axis``; ties share the gradient evenly."""
        return _reduce.reduce_min(self, axis, keepdims)

    def softmax(self, axis: int = -1) -> Tensor:
        """e^x / Σ e^x along ``axis``, computed without overflow.

        >>> Tensor([0.0, 0.0]).softmax()
        Tensor([0.5, 0.5], dtype=float32)
        """
        return _softmax.softmax(self, axis)

    def log_softmax(self, axis: int = -1) -> Tensor:
        """x - log Σ e^x along ``axis``, computed without overflow."""
        return _softmax.log_softmax(self, axis)

    def logsumexp(self, axis: int | Sequence[int] | None = None, keepdims: bool = False) -> Tensor:
        """log Σ e^x over ``axis``, computed without overflow."""
        return _softmax.logsumexp(self, axis, keepdims)

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

    def transpose(self, axis0: int | None = None, axis1: int | None = None) -> Tensor:
        """Swap two axes; with no arguments, reverse all axes.

        >>> Tensor([[1.0, 2.0, 3.0]]).transpose(0, 1).shape
        (3, 1)
        """
        return _shape.transpose(self, axis0, axis1)

    def permute(self, *axes: int | Sequence[int]) -> Tensor:
        """Reorder the axes: ``y.shape[i] == x.shape[axes[i]]``."""
        return _shape.permute(self, axes[0] if len(axes) == 1 else axes)

    def flatten(self, start_dim: int = 0, end_dim: int = -1) -> Tensor:
        """Merge axes ``start_dim..end_dim`` into one.

        >>> Tensor(np.zeros((2, 3, 4))).flatten(1).shape
        (2, 12)
        """
        return _shape.flatten(self, start_dim, end_dim)

    def squeeze(self, axis: int | None = None) -> Tensor:
        """Drop ``axis`` if it has size 1 (else keep the shape, as PyTorch does), or every size-1
        axis."""
        return _shape.squeeze(self, axis)

    def unsqueeze(self, axis: int) -> Tensor:
        """Insert a size-1 axis at ``axis``."""
        return _shape.unsqueeze(self, axis)

    def matmul(self, other: Operand) -> Tensor:
        """Matrix product ``self @ other`` (2-D, batched, or with 1-D operands as in numpy)."""
        return _linalg.matmul(self, other)


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


class _Output:
    """`record`'s name for the op's own result among the tensors its backward reads."""

    def __repr__(self) -> str:
        return "OUTPUT"


OUTPUT = _Output()


def record(
    data: Any,
    op: str,
    inputs: tuple[Any, ...],
    backward: Backward,
    saved: tuple = (),
    reads: tuple = (),
) -> Tensor:
    """The result of op ``op``: a node whose parents are the Tensors among ``inputs``.

    Args:
        data: the forward result (any array-like; numpy scalars become 0-d arrays).
        op: the op's name, shown in drawings and errors.
        inputs: the op's operands in argument order: Tensors, or constants (numbers, arrays).
        backward: ``backward(grad_out, needs, *saved)`` returning one gradient per input (None
            where ``needs[i]`` is False or the input is a constant), as raw arrays of each
            input's shape and dtype.
        saved: raw arrays and settings the backward needs; never the output node.
        reads: the inputs whose values ``saved`` holds (and `OUTPUT` if it holds the result's):
            their versions are noted, and `backward` raises if one changed in the meantime.
            Inputs whose shape alone the backward uses stay out, as in PyTorch.

    Under `no_grad`, or when no input requires grad, the result is a leaf and nothing is saved.
    """
    out = _leaf(data)
    if flags.grad_enabled:
        needs = tuple([isinstance(t, Tensor) and t._requires_grad for t in inputs])
        if True in needs:
            out.op = op
            # Every Tensor input is a parent, so drawings show the data too; numbers and arrays
            # are constants of the op and stay out of the graph.
            tensors = tuple([isinstance(t, Tensor) for t in inputs])
            if False in tensors:
                out.parents = tuple([t for t, is_tensor in zip(inputs, tensors) if is_tensor])
                out._kept = tensors
            else:
                out.parents = inputs
            out._requires_grad = True
            out._backward = backward
            out._saved = saved
            out._needs = needs
            if reads:  # the clock now: an edit of any of them from here on stamps a later tick
                out._reads = reads
                out._tick = _clock[0]
            if flags.anomaly:
                out._site = creation_site()
    if flags.anomaly:
        _check_output(out, op)
    return out


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


def unbroadcast(grad: np.ndarray, like: np.ndarray) -> np.ndarray:
    """``grad`` summed over the axes that broadcasting added or stretched, in ``like``'s dtype.

    The single place where broadcasting is undone: every op whose inputs broadcast returns
    ``unbroadcast(grad, input)`` for each input.

    >>> unbroadcast(np.ones((2, 3)), np.zeros((1, 3))).tolist()
    [[2.0, 2.0, 2.0]]
    """
    shape = like.shape
    if grad.shape != shape:
        lead = grad.ndim - len(shape)
        axes = tuple(range(lead)) + tuple(
            i + lead for i, n in enumerate(shape) if n == 1 and grad.shape[i + lead] != 1
        )
        grad = grad.sum(axis=axes).reshape(shape)
    if grad.dtype != like.dtype:
        grad = grad.astype(like.dtype)
    return grad


def _check_output(out: Tensor, op: str) -> None:
    data = out._data
    if data.dtype.kind in "fc" and not np.isfinite(data).all():
        site = out._site or creation_site()
        raise FloatingPointError(
            f"detect_anomaly: op {op!r} produced nan or inf in its output of shape {data.shape}; "
            f"created at {site}"
        )


def _check_gradients(node: Tensor, grads: tuple) -> None:
    for i, g in enumerate(grads):
        if g is not None and not np.isfinite(g).all():
            raise FloatingPointError(
                f"detect_anomaly: the backward of op {node.op!r} produced nan or inf in the "
                f"gradient of its input {i} (shape {node.parents[i]._data.shape}); op created at "
                f"{node._site or 'an unknown place (built outside detect_anomaly)'}"
            )


# The ops import this module's helpers, so they come after the class they build on.
from autograd.ops import elementwise as _ew  # noqa: E402
from autograd.ops import linalg as _linalg  # noqa: E402
from autograd.ops import reduce as _reduce  # noqa: E402
from autograd.ops import shape as _shape  # noqa: E402
from autograd.ops import softmax as _softmax  # noqa: E402
