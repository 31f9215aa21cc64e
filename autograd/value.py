"""`Value`: a scalar node. Every operation records its inputs and its local derivatives.

Each op computes its result and, right beside it, the tuple of local derivatives
∂out/∂parent_i at the forward point; backpropagation multiplies them by the upstream gradient.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from numbers import Real
from operator import mul
from typing import Any, Union, cast

from autograd.graph import MANY, Node, backpropagate, current_scope, reachable

Number = int | float
Operand = Union["Value", int, float]

_INF = math.inf


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

    # One- and two-input ops keep their parents and local derivatives in slots rather than in
    # tuples: every tuple is one more object for the cyclic garbage collector to count and
    # scan, and its collections over a growing graph were most of the time of building a long
    # chain. `parents` and `local_grads` build the tuples on demand; the backward driver reads
    # the slots (the layout is described at `autograd.graph.MANY`):
    #   one input:  _first = a,          _second = None, _g1 = ∂out/∂a
    #   two inputs: _first = a,          _second = b,    _g1 = ∂out/∂a, _g2 = ∂out/∂b
    #   otherwise:  _first = (a, b, …),  _second = MANY, _g1 = (∂out/∂a, ∂out/∂b, …)
    # A leaf is the last form with no inputs. _g2 stays unset unless there are two inputs.
    __slots__ = ("data", "grad", "op", "_first", "_second", "_g1", "_g2", "label", "scope")

    _first: Value | tuple[Value, ...]
    _second: Value | object | None
    _g1: float | tuple[float, ...]
    _g2: float

    def __init__(self, data: Number, label: str = "") -> None:
        self.data = data if type(data) is float else _as_float(data, "Value")
        self.grad = 0.0
        self.op = ""
        self._first = ()
        self._second = MANY
        self._g1 = ()
        self.label = label
        self.scope = current_scope.name
        self._pending = None

    def __repr__(self) -> str:
        name = f", label={self.label!r}" if self.label else ""
        op = f", op={self.op!r}" if self.op else ""
        return f"Value(data={self.data!r}, grad={self.grad!r}{op}{name})"

    @property
    def parents(self) -> tuple[Value, ...]:
        """The inputs of the op that made this node, in argument order (``()`` for a leaf)."""
        second = self._second
        if second is MANY:
            return self._first  # type: ignore[return-value]
        if second is None:
            return (self._first,)  # type: ignore[return-value]
        return (self._first, second)  # type: ignore[return-value]

    @property
    def local_grads(self) -> tuple[float, ...]:
        """∂self/∂parent for each of `parents`, at the forward point (``()`` for a leaf)."""
        second = self._second
        if second is MANY:
            return self._g1  # type: ignore[return-value]
        if second is None:
            return (self._g1,)  # type: ignore[return-value]
        return (self._g1, self._g2)  # type: ignore[return-value]

    @local_grads.setter
    def local_grads(self, grads: Sequence[float]) -> None:
        values = tuple(grads)
        expected = len(self.parents)
        if len(values) != expected:
            raise ValueError(
                f"local_grads: wrong length for op {self.op!r}; got {len(values)} derivatives, "
                f"expected {expected}, one per parent"
            )
        second = self._second
        if second is MANY:
            self._g1 = values
        elif second is None:
            (self._g1,) = values
        else:
            self._g1, self._g2 = values

    # ---- arithmetic -------------------------------------------------------------------------

    def __add__(self, other: Operand) -> Value:  # self + other
        right = other if isinstance(other, Value) else _operand(other)
        if right is None:
            return NotImplemented
        return _binary(self.data + right.data, "+", self, right, 1.0, 1.0)

    def __radd__(self, other: Operand) -> Value:  # other + self
        left = _operand(other)
        return NotImplemented if left is None else left + self

    def __sub__(self, other: Operand) -> Value:  # self - other
        right = other if isinstance(other, Value) else _operand(other)
        if right is None:
            return NotImplemented
        return _binary(self.data - right.data, "-", self, right, 1.0, -1.0)

    def __rsub__(self, other: Operand) -> Value:  # other - self
        left = _operand(other)
        return NotImplemented if left is None else left - self

    def __mul__(self, other: Operand) -> Value:  # self * other
        right = other if isinstance(other, Value) else _operand(other)
        if right is None:
            return NotImplemented
        return _binary(self.data * right.data, "*", self, right, right.data, self.data)

    def __rmul__(self, other: Operand) -> Value:  # other * self
        left = _operand(other)
        return NotImplemented if left is None else left * self

    def __truediv__(self, other: Operand) -> Value:  # self / other; d/da = 1/b, d/db = -a/b²
        right = other if isinstance(other, Value) else _operand(other)
        if right is None:
            return NotImplemented
        a, b = self.data, right.data
        if b == 0.0:
            raise ZeroDivisionError(
                f"div: division by zero; got {a!r} / {b!r}, expected a nonzero divisor"
            )
        return _binary(a / b, "/", self, right, 1.0 / b, -a / b / b)

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
        return _unary(_power(a, exponent), f"**{exponent:g}", self, local)

    def __rpow__(self, other: Operand) -> Value:  # other ** self
        left = _operand(other)
        return NotImplemented if left is None else _pow_values(left, self)

    def __neg__(self) -> Value:  # -self
        return _unary(-self.data, "neg", self, -1.0)

    def __pos__(self) -> Value:
        return self

    def __abs__(self) -> Value:  # |x|; d/dx = sign(x), 0 at 0 as in PyTorch
        a = self.data
        return _unary(abs(a), "abs", self, float(a > 0.0) - float(a < 0.0))

    def abs(self) -> Value:
        """|x|, with derivative sign(x) (0 at 0)."""
        return self.__abs__()

    # ---- functions --------------------------------------------------------------------------

    def exp(self) -> Value:  # e^x; d/dx = e^x; inf past overflow
        e = _exp(self.data)
        return _unary(e, "exp", self, e)

    def log(self) -> Value:  # ln x; d/dx = 1/x; x must be positive
        a = self.data
        if not a > 0.0:
            raise ValueError(f"log: argument out of domain; got {a!r}, expected a positive number")
        return _unary(math.log(a), "log", self, 1.0 / a)

    def sqrt(self) -> Value:  # √x; d/dx = 1/(2√x), inf at 0
        a = self.data
        if a < 0.0:
            raise ValueError(
                f"sqrt: argument out of domain; got {a!r}, expected a non-negative number"
            )
        r = math.sqrt(a)
        return _unary(r, "sqrt", self, 0.5 / r if r > 0.0 else _INF)

    def tanh(self) -> Value:  # tanh x; d/dx = 1 - tanh²x
        t = math.tanh(self.data)
        return _unary(t, "tanh", self, 1.0 - t * t)

    def sigmoid(self) -> Value:  # σ(x) = 1/(1+e^-x); d/dx = σ(1-σ); never overflows
        a = self.data
        if a >= 0.0:
            s = 1.0 / (1.0 + math.exp(-a))
        else:
            e = math.exp(a)
            s = e / (1.0 + e)
        return _unary(s, "sigmoid", self, s * (1.0 - s))

    def relu(self) -> Value:  # max(0, x); d/dx = 1 if x > 0 else 0
        a = self.data
        return _unary(a if a > 0.0 else 0.0, "relu", self, 1.0 if a > 0.0 else 0.0)

    def leaky_relu(self, alpha: float = 0.01) -> Value:  # x if x > 0 else αx; d/dx = 1 or α
        if type(alpha) is not float:
            alpha = _as_float(alpha, "leaky_relu")
        a = self.data
        if a > 0.0:
            return _unary(a, "leaky_relu", self, 1.0)
        return _unary(alpha * a, "leaky_relu", self, alpha)

    def elu(self, alpha: float = 1.0) -> Value:  # x if x > 0 else α(e^x - 1); d/dx = 1 or αe^x
        if type(alpha) is not float:
            alpha = _as_float(alpha, "elu")
        a = self.data
        if a > 0.0:
            return _unary(a, "elu", self, 1.0)
        return _unary(alpha * math.expm1(a), "elu", self, alpha * math.exp(a))

    def sin(self) -> Value:  # sin x; d/dx = cos x
        a = self.data
        try:
            return _unary(math.sin(a), "sin", self, math.cos(a))
        except ValueError:  # math.sin refuses ±inf with a bare "math domain error"
            raise ValueError(
                f"sin: argument out of domain; got {a!r}, expected a finite number"
            ) from None

    def cos(self) -> Value:  # cos x; d/dx = -sin x
        a = self.data
        try:
            return _unary(math.cos(a), "cos", self, -math.sin(a))
        except ValueError:  # math.cos refuses ±inf with a bare "math domain error"
            raise ValueError(
                f"cos: argument out of domain; got {a!r}, expected a finite number"
            ) from None

    def step(self) -> Value:  # Heaviside: 1 if x >= 0 else 0; derivative 0, so it cannot learn
        return _unary(1.0 if self.data >= 0.0 else 0.0, "step", self, 0.0)

    def sign(self) -> Value:  # -1, 0 or 1; derivative 0
        a = self.data
        return _unary(float(a > 0.0) - float(a < 0.0), "sign", self, 0.0)

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
        return _many(total, "Σ", parents, (1.0,) * len(parents))

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
        n = len(weights)
        if n != len(inputs):
            raise ValueError(f"dot: weights and inputs differ in length; got {n} and {len(inputs)}")
        read = _read_inputs(inputs)
        if read is not None and _JUST_VALUE.issuperset(map(type, weights)):
            rows = (cast("Sequence[Value]", weights),)
            return _weighted_sums(rows, inputs, *read, (bias,))[0]
        parents: list[Value] = []
        local: list[float] = []
        products: list[float] = []
        for w, x in zip(weights, inputs):
            wv = w.data if isinstance(w, Value) else _as_float(w, "dot")
            xv = x.data if isinstance(x, Value) else _as_float(x, "dot")
            products.append(wv * xv)
            if isinstance(w, Value):
                parents.append(w)
                local.append(xv)
            if isinstance(x, Value):
                parents.append(x)
                local.append(wv)
        total = sum(products, 0.0)
        if bias is not None:
            if isinstance(bias, Value):
                parents.append(bias)
                local.append(1.0)
                total += bias.data
            else:
                total += _as_float(bias, "dot")
        return _many(total, "Σ", tuple(parents), tuple(local))

    @staticmethod
    def dots(
        weights: Sequence[Sequence[Operand]],
        inputs: Sequence[Operand],
        biases: Sequence[Operand | None],
    ) -> list[Value]:
        """``[Value.dot(w, inputs, b) for w, b in zip(weights, biases)]``: a layer of neurons
        reading the same inputs, one Σ node each, sharing the work of reading the inputs.

        >>> w = [[Value(2.0), Value(-1.0)], [Value(0.5), Value(0.5)]]
        >>> [z.data for z in Value.dots(w, [3.0, 4.0], [Value(0.5), None])]
        [2.5, 3.5]
        """
        if len(weights) != len(biases):
            raise ValueError(
                f"dots: one bias per row of weights; got {len(weights)} rows "
                f"and {len(biases)} biases"
            )
        read = _read_inputs(inputs)
        n = len(inputs)
        if read is not None and all(
            len(w) == n and _JUST_VALUE.issuperset(map(type, w)) for w in weights
        ):
            rows = cast("Sequence[Sequence[Value]]", weights)
            return _weighted_sums(rows, inputs, *read, biases)
        # numbers among the weights or inputs, or a length to complain about
        return [Value.dot(w, inputs, b) for w, b in zip(weights, biases)]

    # ---- differentiation --------------------------------------------------------------------

    def backward(self, grad: float = 1.0) -> None:
        """Add d self/d node to ``node.grad`` for every node of the graph (``self`` gets ``grad``).

        As in PyTorch, gradients accumulate: call `zero_grad` between passes to start afresh.
        """
        backpropagate(self, _as_float(grad, "backward"), Value)

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

# The results of ops, built without __init__'s checks (ops make only floats), one builder per
# layout of `Value`'s slots. Each sets every slot the backward driver reads (``_pending``
# included, None); ``_deps`` is written by the driver before it is read.


def _unary(data: float, op: str, a: Value, d_a: float) -> Value:
    """The node ``op(a)`` with value ``data`` and ∂out/∂a = ``d_a``."""
    out = _new(Value)
    out.data = data
    out.grad = 0.0
    out.op = op
    out._first = a
    out._second = None
    out._g1 = d_a
    out.label = ""
    out.scope = current_scope.name
    out._pending = None
    return out


def _binary(data: float, op: str, a: Value, b: Value, d_a: float, d_b: float) -> Value:
    """The node ``op(a, b)`` with value ``data`` and local derivatives ``d_a``, ``d_b``."""
    out = _new(Value)
    out.data = data
    out.grad = 0.0
    out.op = op
    out._first = a
    out._second = b
    out._g1 = d_a
    out._g2 = d_b
    out.label = ""
    out.scope = current_scope.name
    out._pending = None
    return out


def _many(data: float, op: str, parents: tuple[Value, ...], local: tuple[float, ...]) -> Value:
    """The node ``op(*parents)`` with value ``data``, one local derivative per parent."""
    out = _new(Value)
    out.data = data
    out.grad = 0.0
    out.op = op
    out._first = parents
    out._second = MANY
    out._g1 = local
    out.label = ""
    out.scope = current_scope.name
    out._pending = None
    return out


_JUST_VALUE = frozenset((Value,))
_JUST_FLOAT = frozenset((float,))


def _read_inputs(inputs: Sequence[Operand]) -> tuple[bool, Sequence[float]] | None:
    """``(True, their numbers)`` if every input is exactly a `Value`, ``(False, inputs)`` if
    every one is a float, None otherwise: the inputs `_weighted_sums` takes."""
    types = set(map(type, inputs))
    if types <= _JUST_VALUE:
        return True, [x.data for x in cast("Sequence[Value]", inputs)]
    if types == _JUST_FLOAT:
        return False, cast("Sequence[float]", inputs)
    return None


def _weighted_sums(
    rows: Sequence[Sequence[Value]],
    inputs: Sequence[Operand],
    nodes: bool,
    x_data: Sequence[float],
    biases: Sequence[Operand | None],
) -> list[Value]:
    """`Value.dot` of each row of Values as weights with the same inputs, Values (``nodes``) or
    floats, ``x_data`` their numbers: the same nodes, built with list operations instead of a loop
    over the terms, the places that all rows share written once."""
    end = 2 * len(x_data) if nodes else len(x_data)  # the bias's place
    parents: list[Any] = [None] * (end + 1)
    local = [1.0] * (end + 1)
    if nodes:  # parents w₁, x₁, w₂, x₂, …, b; ∂/∂wᵢ = xᵢ, ∂/∂xᵢ = wᵢ, ∂/∂b = 1
        parents[1:end:2] = inputs
        local[0:end:2] = x_data
    else:  # numbers as inputs are constants: parents w₁, …, wₙ, b; the same derivatives each row
        local[:end] = x_data
        with_bias, without_bias = tuple(local), tuple(local[:end])
    out = []
    for weights, bias in zip(rows, biases):
        w_data = [w.data for w in weights]
        total = sum(map(mul, w_data, x_data), 0.0)
        if nodes:
            parents[0:end:2] = weights
            local[1:end:2] = w_data
        else:
            parents[:end] = weights
        if isinstance(bias, Value):
            total += bias.data
            parents[end] = bias
            grads = tuple(local) if nodes else with_bias
            out.append(_many(total, "Σ", tuple(parents), grads))
            continue
        if bias is not None:  # a number as bias is a constant: no parent
            total += _as_float(bias, "dot")
        grads = tuple(local[:end]) if nodes else without_bias
        out.append(_many(total, "Σ", tuple(parents[:end]), grads))
    return out


_MANY = MANY  # the name `autograd.function` imports with `_node`


def _node(
    data: float,
    op: str,
    first: Value | tuple[Value, ...],
    second: Value | object | None,
    local_grads: tuple[float, ...],
) -> Value:
    """A node in any layout: ``first, second`` as in `Value`'s slots, the local derivatives as
    one tuple (how `autograd.function.scalar_function` builds its gates)."""
    if second is MANY:
        return _many(data, op, first, local_grads)  # type: ignore[arg-type]
    if second is None:
        return _unary(data, op, first, *local_grads)  # type: ignore[arg-type]
    return _binary(data, op, first, second, *local_grads)  # type: ignore[arg-type]


def _operand(x: object) -> Value | None:
    """The other side of a binary op as a Value: itself, a constant leaf, or None if unsupported."""
    if isinstance(x, Value):
        return x
    if type(x) is float:  # the common constant, without the slower check against Real
        return _many(x, "", (), ())
    if isinstance(x, Real):
        return _many(float(x), "", (), ())
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
        return _binary(data, "**", base, exponent, d_base, 0.0)
    data = _power(a, b)
    return _binary(data, "**", base, exponent, b * _power(a, b - 1.0), data * math.log(a))
