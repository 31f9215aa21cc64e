"""`Value`: a scalar node. Every operation records its inputs and its local derivatives.

Each op computes its result and, right beside it, the tuple of local derivatives
∂out/∂parent_i at the forward point; backpropagation multiplies them by the upstream gradient.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from numbers import Real
from typing import Union

from autograd.graph import Node, backpropagate, current_scope, reachable

Number = int | float
Operand = Union["Value", int, float]

_INF = math.inf
_MANY = object()  # marks a node whose _first holds the whole tuple of parents


def _as_float(x: object, api: str) -> float:
    """``x`` as a float (±inf for an int too large for one), or a TypeError naming ``api``."""
    if isinstance(x, Real):
        try:
            return float(x)
        except OverflowError:  # an int beyond 1.8e308
            return -_INF if x < 0 else _INF
    raise TypeError(
        f"{api}: wrong type; got {type(x).__name__} {x!r}, expected an int or float. "
        "A Value is already a node: use it directly."
        if isinstance(x, Value)
        else f"{api}: wrong type; got {type(x).__name__} {x!r}, expected an int or float"
    )


def _exp(x: float) -> float:
    """e**x that gives inf instead of raising OverflowError."""
    try:
        return math.exp(x)
    except OverflowError:
        return _INF


def _power(base: float, exponent: float) -> float:
    """base**exponent as a real number; inf instead of OverflowError or a 0**negative error."""
    try:
        return base**exponent
    except OverflowError:
        odd = exponent.is_integer() and int(exponent) % 2 == 1
        return -_INF if base < 0 and odd else _INF
    except ZeroDivisionError:
        return _INF


class Value(Node):
    """A scalar that remembers how it was computed.

    Args:
        data: an int, float or numpy scalar; stored as a float.
        label: a name for drawings and error messages.

    >>> x, y, z = Value(1.0, label="x"), Value(-3.0, label="y"), Value(4.0, label="z")
    >>> q = x + y; f = q * z
    >>> f.backward()
    >>> f.data, q.grad, z.grad, x.grad, y.grad
    (-8.0, 4.0, -2.0, 4.0, 4.0)
    >>> f.local_grads
    (4.0, -2.0)
    """

    # One- and two-input ops keep their parents in _first/_second rather than in a tuple:
    # a tuple of Values is one more object for the cyclic garbage collector to scan, and its
    # full collections over a growing graph were most of the time of building a long chain.
    # `parents` rebuilds the tuple on demand. For n-ary nodes _first is the tuple itself.
    __slots__ = ("data", "grad", "op", "_first", "_second", "local_grads", "label", "scope")

    def __init__(self, data: Number, label: str = "") -> None:
        self.data = data if type(data) is float else _as_float(data, "Value")
        self.grad = 0.0
        self.op = ""
        self._first: Value | tuple[Value, ...] | None = ()
        self._second: Value | object | None = _MANY
        self.local_grads: tuple[float, ...] = ()
        self.label = label
        self.scope = current_scope.name
        self._deps = 0
        self._pending = None

    def __repr__(self) -> str:
        name = f", label={self.label!r}" if self.label else ""
        op = f", op={self.op!r}" if self.op else ""
        return f"Value(data={self.data!r}, grad={self.grad!r}{op}{name})"

    @property
    def parents(self) -> tuple[Value, ...]:
        """The inputs of the op that made this node, in argument order (``()`` for a leaf)."""
        second = self._second
        if second is _MANY:
            return self._first  # type: ignore[return-value]
        if second is None:
            return (self._first,)  # type: ignore[return-value]
        return (self._first, second)  # type: ignore[return-value]

    # ---- arithmetic -------------------------------------------------------------------------

    def __add__(self, other: Operand) -> Value:  # self + other
        right = _operand(other)
        if right is None:
            return NotImplemented
        return _node(self.data + right.data, "+", self, right, (1.0, 1.0))

    def __radd__(self, other: Operand) -> Value:  # other + self
        left = _operand(other)
        return NotImplemented if left is None else left + self

    def __sub__(self, other: Operand) -> Value:  # self - other
        right = _operand(other)
        if right is None:
            return NotImplemented
        return _node(self.data - right.data, "-", self, right, (1.0, -1.0))

    def __rsub__(self, other: Operand) -> Value:  # other - self
        left = _operand(other)
        return NotImplemented if left is None else left - self

    def __mul__(self, other: Operand) -> Value:  # self * other
        right = _operand(other)
        if right is None:
            return NotImplemented
        return _node(self.data * right.data, "*", self, right, (right.data, self.data))

    def __rmul__(self, other: Operand) -> Value:  # other * self
        left = _operand(other)
        return NotImplemented if left is None else left * self

    def __truediv__(self, other: Operand) -> Value:  # self / other; d/da = 1/b, d/db = -a/b²
        right = _operand(other)
        if right is None:
            return NotImplemented
        a, b = self.data, right.data
        if b == 0.0:
            raise ZeroDivisionError(
                f"div: division by zero; got {a!r} / {b!r}, expected a nonzero divisor"
            )
        return _node(a / b, "/", self, right, (1.0 / b, -a / b / b))

    def __rtruediv__(self, other: Operand) -> Value:  # other / self
        left = _operand(other)
        return NotImplemented if left is None else left / self

    def __pow__(self, other: Operand) -> Value:  # self ** other
        if isinstance(other, Value):
            return _pow_values(self, other)
        exponent = _as_float(other, "pow")
        a = self.data
        if a == 0.0 and exponent < 0.0:
            raise ZeroDivisionError(
                f"pow: zero to a negative power; got {a!r} ** {exponent!r}, "
                "expected a nonzero base or a non-negative exponent"
            )
        if a < 0.0 and not exponent.is_integer():
            raise ValueError(
                f"pow: negative base with a fractional exponent; got {a!r} ** {exponent!r}, "
                "expected an integer exponent"
            )
        local = 0.0 if exponent == 0.0 else exponent * _power(a, exponent - 1.0)
        return _node(_power(a, exponent), f"**{exponent:g}", self, None, (local,))

    def __rpow__(self, other: Operand) -> Value:  # other ** self
        left = _operand(other)
        return NotImplemented if left is None else _pow_values(left, self)

    def __neg__(self) -> Value:  # -self
        return _node(-self.data, "neg", self, None, (-1.0,))

    def __pos__(self) -> Value:
        return self

    def __abs__(self) -> Value:  # |x|; d/dx = sign(x), 0 at 0 as in PyTorch
        a = self.data
        return _node(abs(a), "abs", self, None, (float(a > 0.0) - float(a < 0.0),))

    def abs(self) -> Value:
        """|x|, with derivative sign(x) (0 at 0)."""
        return self.__abs__()

    # ---- functions --------------------------------------------------------------------------

    def exp(self) -> Value:  # e^x; d/dx = e^x; inf past overflow
        e = _exp(self.data)
        return _node(e, "exp", self, None, (e,))

    def log(self) -> Value:  # ln x; d/dx = 1/x; x must be positive
        a = self.data
        if not a > 0.0:
            raise ValueError(f"log: argument out of domain; got {a!r}, expected a positive number")
        return _node(math.log(a), "log", self, None, (1.0 / a,))

    def sqrt(self) -> Value:  # √x; d/dx = 1/(2√x), inf at 0
        a = self.data
        if a < 0.0:
            raise ValueError(
                f"sqrt: argument out of domain; got {a!r}, expected a non-negative number"
            )
        r = math.sqrt(a)
        return _node(r, "sqrt", self, None, (0.5 / r if r > 0.0 else _INF,))

    def tanh(self) -> Value:  # tanh x; d/dx = 1 - tanh²x
        t = math.tanh(self.data)
        return _node(t, "tanh", self, None, (1.0 - t * t,))

    def sigmoid(self) -> Value:  # σ(x) = 1/(1+e^-x); d/dx = σ(1-σ); never overflows
        a = self.data
        if a >= 0.0:
            s = 1.0 / (1.0 + math.exp(-a))
        else:
            e = math.exp(a)
            s = e / (1.0 + e)
        return _node(s, "sigmoid", self, None, (s * (1.0 - s),))

    def relu(self) -> Value:  # max(0, x); d/dx = 1 if x > 0 else 0
        a = self.data
        return _node(a if a > 0.0 else 0.0, "relu", self, None, (1.0 if a > 0.0 else 0.0,))

    def leaky_relu(self, alpha: float = 0.01) -> Value:  # x if x > 0 else αx; d/dx = 1 or α
        if type(alpha) is not float:
            alpha = _as_float(alpha, "leaky_relu")
        a = self.data
        if a > 0.0:
            return _node(a, "leaky_relu", self, None, (1.0,))
        return _node(alpha * a, "leaky_relu", self, None, (alpha,))

    def elu(self, alpha: float = 1.0) -> Value:  # x if x > 0 else α(e^x - 1); d/dx = 1 or αe^x
        if type(alpha) is not float:
            alpha = _as_float(alpha, "elu")
        a = self.data
        if a > 0.0:
            return _node(a, "elu", self, None, (1.0,))
        return _node(alpha * math.expm1(a), "elu", self, None, (alpha * math.exp(a),))

    def sin(self) -> Value:  # sin x; d/dx = cos x
        a = self.data
        try:
            return _node(math.sin(a), "sin", self, None, (math.cos(a),))
        except ValueError:  # math.sin refuses ±inf with a bare "math domain error"
            raise ValueError(
                f"sin: argument out of domain; got {a!r}, expected a finite number"
            ) from None

    def cos(self) -> Value:  # cos x; d/dx = -sin x
        a = self.data
        try:
            return _node(math.cos(a), "cos", self, None, (-math.sin(a),))
        except ValueError:  # math.cos refuses ±inf with a bare "math domain error"
            raise ValueError(
                f"cos: argument out of domain; got {a!r}, expected a finite number"
            ) from None

    def step(self) -> Value:  # Heaviside: 1 if x >= 0 else 0; derivative 0, so it cannot learn
        return _node(1.0 if self.data >= 0.0 else 0.0, "step", self, None, (0.0,))

    def sign(self) -> Value:  # -1, 0 or 1; derivative 0
        a = self.data
        return _node(float(a > 0.0) - float(a < 0.0), "sign", self, None, (0.0,))

    # ---- n-ary sums, the drawing of a neuron ----------------------------------------------

    @staticmethod
    def sum(values: Iterable[Operand]) -> Value:
        r"""$\sum_i v_i$ as one node ``Σ`` whose local derivatives are all 1.

        >>> Value.sum([Value(1.0), 2, Value(3.0)]).data
        6.0
        """
        parents = tuple(v if isinstance(v, Value) else Value(_as_float(v, "sum")) for v in values)
        data = [p.data for p in parents]
        try:
            total = math.fsum(data)
        except (OverflowError, ValueError):  # fsum refuses inf - inf and overflowing partials
            total = sum(data)
        return _node(total, "Σ", parents, _MANY, (1.0,) * len(parents))

    @staticmethod
    def dot(
        weights: Sequence[Operand], inputs: Sequence[Operand], bias: Operand | None = None
    ) -> Value:
        r"""$\sum_i w_i x_i + b$ as one node ``Σ``: the lectures' drawing of a neuron.

        Plain numbers among the operands are constants; every `Value` becomes a parent, in the
        order w₁, x₁, w₂, x₂, …, b, with local derivative xᵢ for wᵢ, wᵢ for xᵢ and 1 for b.

        >>> w = [Value(2.0), Value(-1.0)]
        >>> Value.dot(w, [3.0, 4.0], bias=Value(0.5)).data
        2.5
        """
        if len(weights) != len(inputs):
            raise ValueError(
                f"dot: weights and inputs differ in length; got {len(weights)} and {len(inputs)}"
            )
        parents: list[Value] = []
        local: list[float] = []
        total = 0.0
        for w, x in zip(weights, inputs):
            wv = w.data if isinstance(w, Value) else _as_float(w, "dot")
            xv = x.data if isinstance(x, Value) else _as_float(x, "dot")
            total += wv * xv
            if isinstance(w, Value):
                parents.append(w)
                local.append(xv)
            if isinstance(x, Value):
                parents.append(x)
                local.append(wv)
        if bias is not None:
            if isinstance(bias, Value):
                parents.append(bias)
                local.append(1.0)
                total += bias.data
            else:
                total += _as_float(bias, "dot")
        return _node(total, "Σ", tuple(parents), _MANY, tuple(local))

    # ---- differentiation --------------------------------------------------------------------

    def backward(self, grad: float = 1.0) -> None:
        """Add d self/d node to ``node.grad`` for every node of the graph (``self`` gets ``grad``).

        As in PyTorch, gradients accumulate: call `zero_grad` between passes to start afresh.
        """
        backpropagate(self, _as_float(grad, "backward"))

    def zero_grad(self) -> None:
        """Set ``grad`` to 0 on every node of the graph that ends here."""
        for node in reachable(self):
            node.grad = 0.0

    # ---- micrograd's lecture names ----------------------------------------------------------

    @property
    def _prev(self) -> set[Value]:
        """The parents as a set, micrograd's ``_prev`` (read-only; `parents` keeps their order
        and repeats)."""
        return set(self.parents)

    @property
    def _op(self) -> str:
        """The op that made this node, micrograd's ``_op`` (the same as `op`)."""
        return self.op

    def backward_step(self) -> None:
        """One step of manual backprop, the lecture's ``o._backward()``: add ``local * self.grad``
        into the ``grad`` of each parent.

        Called on every node in reverse topological order after setting ``root.grad = 1.0``, it
        does what `backward` does in one call.

        >>> a, b = Value(2.0), Value(-3.0)
        >>> c = a * b; c.grad = 1.0
        >>> c.backward_step(); a.grad, b.grad
        (-3.0, 2.0)
        """
        grad = self.grad
        for parent, local in zip(self.parents, self.local_grads):
            parent.grad += local * grad


_new = object.__new__


def _node(
    data: float,
    op: str,
    first: Value | tuple[Value, ...],
    second: Value | object | None,
    local_grads: tuple[float, ...],
) -> Value:
    """The result of an op, built without __init__'s checks (ops make only floats).

    ``first, second`` are the parents as `Value.parents` reads them: ``(a, None)`` for one
    input, ``(a, b)`` for two, ``(tuple_of_parents, _MANY)`` for any other count.
    """
    out = _new(Value)
    out.data = data
    out.grad = 0.0
    out.op = op
    out._first = first
    out._second = second
    out.local_grads = local_grads
    out.label = ""
    out.scope = current_scope.name
    out._deps = 0
    out._pending = None
    return out


def _operand(x: object) -> Value | None:
    """The other side of a binary op as a Value: itself, a constant leaf, or None if unsupported."""
    if isinstance(x, Value):
        return x
    if isinstance(x, Real):
        return _node(float(x), "", (), _MANY, ())
    return None


def _pow_values(base: Value, exponent: Value) -> Value:  # a ** b; d/da = b·a^(b-1), d/db = a^b·ln a
    a, b = base.data, exponent.data
    if a < 0.0:
        raise ValueError(
            f"pow: negative base with a Value exponent; got {a!r} ** {b!r}, expected a base >= 0 "
            "(d/db = a^b·ln a needs ln a). Use a number exponent for a negative base."
        )
    if a == 0.0:
        if b < 0.0:
            raise ZeroDivisionError(
                f"pow: zero to a negative power; got {a!r} ** {b!r}, "
                "expected a nonzero base or a non-negative exponent"
            )
        data = 1.0 if b == 0.0 else 0.0
        d_base = 0.0 if b == 0.0 else b * _power(a, b - 1.0)
        return _node(data, "**", base, exponent, (d_base, 0.0))
    data = _power(a, b)
    return _node(data, "**", base, exponent, (b * _power(a, b - 1.0), data * math.log(a)))
