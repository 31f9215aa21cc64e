"""User-defined ops: `Function` for Tensors (PyTorch's custom autograd functions) and
`scalar_function` for Values (a gate given by its value and its local derivatives).

A `Function` becomes one node of the graph, drawn under its class name; a scalar gate becomes
one `Value` node whose ``local_grads`` the user wrote, drawn under the function's name.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Sequence
from numbers import Real
from typing import Any

import numpy as np

from autograd.modes import flags, no_grad
from autograd.record import _leaf, record, unbroadcast
from autograd.tensor import Tensor, _alias, _short
from autograd.value import _MANY, Value, _as_float, _node

# How `backward` rebuilds the gradient of each forward output (one entry per output):
# None for an output that is not a Tensor (its gradient is None, as in PyTorch), else
# (start, shape, dtype) where start is an offset into the node's packed gradient, or one of:
_WHOLE = -1  # the node is this output: its gradient is the node's gradient itself
_ZEROS = -2  # a non-differentiable output: its gradient is zeros, as PyTorch materializes it


class FunctionCtx:
    """What `Function.forward` leaves for `Function.backward` (PyTorch's ``ctx``).

    Any attribute may be set on it (``ctx.k = 3``). `save_for_backward` keeps tensors and notes
    their versions; `saved_tensors` hands them back and raises if one was edited in place in
    between. ``needs_input_grad`` tells, for each forward input, whether its gradient is needed.
    """

    def __init__(self, function: str, needs_input_grad: tuple[bool, ...]) -> None:
        self.needs_input_grad = needs_input_grad
        self._function = function
        self._saved: tuple[Tensor | None, ...] = ()
        self._versions: tuple[int, ...] | None = None  # noted when forward returns
        self._non_differentiable: tuple[Tensor, ...] = ()

    def save_for_backward(self, *tensors: Tensor | None) -> None:
        """Keep ``tensors`` (Tensors or None) for backward; read them back with `saved_tensors`."""
        for i, t in enumerate(tensors):
            if t is not None and not isinstance(t, Tensor):
                raise TypeError(
                    f"{self._function}.forward: save_for_backward can only save tensors; got "
                    f"{type(t).__name__} {_short(t)} as argument {i}, expected a Tensor or None. "
                    "Keep other values as attributes of ctx, e.g. ctx.k = k"
                )
        self._saved = tensors

    @property
    def saved_tensors(self) -> tuple[Tensor | None, ...]:
        """The tensors given to `save_for_backward`, checked against in-place edits since."""
        versions = self._versions
        if versions is not None:
            for i, (t, version) in enumerate(zip(self._saved, versions)):
                if t is not None and t._version != version:
                    raise RuntimeError(
                        f"{self._function}.backward: one of the variables needed for gradient "
                        "computation has been modified by an inplace operation: saved tensor "
                        f"{i} (shape {t.shape}) was edited after forward saved it; got version "
                        f"{t._version}, expected version {version}. Change tensors only after "
                        "backward() (optimizers step after it), or save a copy, e.g. Tensor(x)"
                    )
        return self._saved

    def mark_non_differentiable(self, *tensors: Tensor) -> None:
        """Mark outputs of forward that get no gradient (indices, masks): they come back with
        ``requires_grad=False`` and backward receives zeros for them."""
        for i, t in enumerate(tensors):
            if not isinstance(t, Tensor):
                raise TypeError(
                    f"{self._function}.forward: mark_non_differentiable takes output tensors; "
                    f"got {type(t).__name__} as argument {i}, expected a Tensor"
                )
        self._non_differentiable += tensors


class Function:
    r"""Base of user-defined Tensor ops, as ``torch.autograd.Function``.

    Subclass it with two static methods and call the class's `apply`:

    * ``forward(ctx, *args, **kwargs)`` computes the result (a Tensor, or a tuple) with
      recording off. Its arguments are the op's inputs, Tensors or constants; as in PyTorch,
      keyword arguments count as inputs too, after the positional ones, in call order.
    * or, PyTorch's other style, ``forward(*args, **kwargs)`` without ctx plus
      ``setup_context(ctx, inputs, output)`` to fill ctx (then defaults count as inputs too).
    * ``backward(ctx, *grad_outputs)`` gets one gradient per output (zeros for an unused or
      non-differentiable output, None for one that is not a Tensor) and returns one gradient
      per input of forward: a Tensor, or None (always None for a constant). A
      gradient of a broadcast shape is summed back to the input's shape, as PyTorch does.

    The node is drawn under the class's name; several differentiable outputs share one node
    of that name, and each output is a node ``Name[i]`` reading its part.

    >>> from autograd import Tensor, gradcheck
    >>> class LegendrePolynomial3(Function):  # P₃(x) = ½(5x³ - 3x); P₃'(x) = 1.5(5x² - 1)
    ...     @staticmethod
    ...     def forward(ctx, x):
    ...         ctx.save_for_backward(x)
    ...         return 0.5 * (5 * x**3 - 3 * x)
    ...     @staticmethod
    ...     def backward(ctx, grad_output):
    ...         (x,) = ctx.saved_tensors
    ...         return grad_output * 1.5 * (5 * x**2 - 1)
    >>> x = Tensor([0.0, 1.0], requires_grad=True)
    >>> y = LegendrePolynomial3.apply(x)
    >>> y.op, y.tolist()
    ('LegendrePolynomial3', [0.0, 1.0])
    >>> y.sum().backward(); x.grad.tolist()
    [-1.5, 6.0]
    >>> gradcheck(LegendrePolynomial3.apply, Tensor([0.3, -0.7], requires_grad=True))
    True
    """

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        name = type(self).__name__
        raise RuntimeError(
            f"{name}: a Function is not called on an instance; got {name}()(...), expected "
            f"{name}.apply(...) with static forward and backward methods (PyTorch's "
            "new-style autograd.Function)"
        )

    @classmethod
    def apply(cls, *args: Any, **kwargs: Any) -> Any:
        """Run ``cls.forward`` on the inputs and record one node whose backward is
        ``cls.backward``; returns what forward returned, with its Tensors in the graph."""
        name = cls.__name__
        forward = getattr(cls, "forward", None)
        if not callable(forward):
            raise TypeError(
                f"{name}.apply: {name} defines no forward; expected a @staticmethod "
                "forward(ctx, *args) returning the result"
            )
        setup = getattr(cls, "setup_context", None)
        if setup is not None:  # forward takes no ctx; defaults count as inputs, as in PyTorch
            try:
                bound = inspect.signature(forward).bind(*args, **kwargs)
            except TypeError as err:
                raise TypeError(f"{name}.apply: {err}; got {len(args)} arguments") from None
            bound.apply_defaults()
            args, kwargs = bound.args, bound.kwargs
        # As in PyTorch, keyword arguments are inputs too, after the positional ones.
        inputs = args + tuple(kwargs.values()) if kwargs else args
        recording = flags.grad_enabled
        needs = tuple([recording and isinstance(a, Tensor) and a.requires_grad for a in inputs])
        ctx = FunctionCtx(name, needs)
        with no_grad():
            if setup is None:
                result = forward(ctx, *args, **kwargs)
            else:
                result = forward(*args, **kwargs)
                setup(ctx, inputs, result)
        ctx._versions = tuple([0 if t is None else t._version for t in ctx._saved])
        if True not in needs:
            return result
        if not callable(getattr(cls, "backward", None)):
            raise TypeError(
                f"{name}.apply: {name} defines no backward; expected a @staticmethod "
                "backward(ctx, *grad_outputs) returning one gradient per input of forward"
            )
        outputs = result if isinstance(result, tuple) else (result,)
        marked = ctx._non_differentiable
        differentiable = [
            isinstance(o, Tensor) and o.dtype.kind == "f" and not any(o is m for m in marked)
            for o in outputs
        ]
        count = differentiable.count(True)
        if count == 0:
            return result
        layout: list[tuple[int, tuple[int, ...], np.dtype] | None] = []
        if count == 1:
            for o, diff in zip(outputs, differentiable):
                if isinstance(o, Tensor):
                    layout.append((_WHOLE if diff else _ZEROS, o.shape, o.dtype))
                else:
                    layout.append(None)
            i = differentiable.index(True)
            node = record(
                outputs[i].data, name, inputs, _backward, (cls, ctx, tuple(layout), inputs)
            )
            new = list(outputs)
            new[i] = _alias(node, outputs[i])
            return tuple(new) if isinstance(result, tuple) else node
        # Several differentiable outputs: one node of the Function holding them packed, and
        # one node per output reading its part, so that backward runs once per pass.
        parts = [o.data.reshape(-1) for o, diff in zip(outputs, differentiable) if diff]
        packed = np.concatenate(parts, dtype=np.result_type(*parts))
        start = 0
        for o, diff in zip(outputs, differentiable):
            if diff:
                layout.append((start, o.shape, o.dtype))
                start += o.size
            else:
                layout.append((_ZEROS, o.shape, o.dtype) if isinstance(o, Tensor) else None)
        core = record(packed, name, inputs, _backward, (cls, ctx, tuple(layout), inputs))
        new = list(outputs)
        for i, (o, diff) in enumerate(zip(outputs, differentiable)):
            if diff:
                offset = layout[i][0]  # type: ignore[index]
                part = record(o.data, f"{name}[{i}]", (core,), _unpack, (offset, packed.shape))
                new[i] = _alias(part, o)
        return tuple(new)


def _unpack(grad_out: np.ndarray, needs: tuple[bool, ...], start: int, shape: tuple) -> tuple:
    """Backward of output ``Name[i]``: its gradient placed at its part of the packed node."""
    grad = np.zeros(shape, dtype=grad_out.dtype)
    grad[start : start + grad_out.size] = grad_out.reshape(-1)
    return (grad,)


def _backward(
    grad_out: np.ndarray,
    needs: tuple[bool, ...],
    cls: type[Function],
    ctx: FunctionCtx,
    layout: tuple[tuple[int, tuple[int, ...], np.dtype] | None, ...],
    inputs: tuple[Any, ...],
) -> tuple:
    """Call the user's backward with one gradient per output; check what it returns."""
    grad_outputs: list[Tensor | None] = []
    for entry in layout:
        if entry is None:
            grad_outputs.append(None)
            continue
        start, shape, dtype = entry
        if start == _WHOLE:  # a copy: the engine may pass this array to other nodes too
            grad = grad_out.copy()
        elif start == _ZEROS:
            grad = np.zeros(shape, dtype=dtype)
        else:
            grad = grad_out[start : start + int(np.prod(shape))].reshape(shape).astype(dtype)
        grad_outputs.append(_leaf(grad))
    with no_grad():  # as in PyTorch without create_graph: backward builds no graph
        returned = cls.backward(ctx, *grad_outputs)  # type: ignore[attr-defined]
    return _input_grads(cls.__name__, inputs, needs, returned)


def _input_grads(
    name: str, inputs: tuple[Any, ...], needs: tuple[bool, ...], returned: Any
) -> tuple:
    """The raw gradient arrays for the inputs, from what ``name.backward`` returned.

    One entry per input of forward (extra trailing Nones are allowed, as in
    PyTorch); each a Tensor or None, and None for a constant. A Tensor's shape must equal the
    input's or be one the input's shape broadcasts to (it is then summed back, as PyTorch does);
    it is cast to the input's dtype.
    """
    grads = returned if isinstance(returned, tuple) else (returned,)
    count = len(inputs)
    if len(grads) > count and all(g is None for g in grads[count:]):
        grads = grads[:count]
    if len(grads) != count:
        raise RuntimeError(
            f"{name}.backward: returned an incorrect number of gradients; got {len(grads)}, "
            f"expected {count}, one per input of forward, positional then keyword arguments "
            "(None for an input that needs none)"
        )
    checked: list[np.ndarray | None] = []
    for i, (x, g, need) in enumerate(zip(inputs, grads, needs)):
        if g is None:
            checked.append(None)
            continue
        if not isinstance(x, Tensor):
            raise RuntimeError(
                f"{name}.backward: returned a gradient different than None at position {i}, "
                f"but the corresponding forward input was not a Tensor; got "
                f"{type(g).__name__}, expected None for the constant {_short(x)}"
            )
        if not isinstance(g, Tensor):
            raise TypeError(
                f"{name}.backward: gradient {i} must be a Tensor or None; got "
                f"{type(g).__name__} {_short(g)}. Wrap an array or number: Tensor(g)"
            )
        grad = g.data
        if grad.shape != x.shape:
            try:
                fits = np.broadcast_shapes(x.shape, grad.shape) == grad.shape
            except ValueError:
                fits = False
            if not fits:
                raise RuntimeError(
                    f"{name}.backward: returned an invalid gradient at index {i}; got shape "
                    f"{grad.shape}, expected a shape compatible with {x.shape}, the shape of "
                    f"input {i}"
                )
        # an input that needs no gradient gets none, as PyTorch drops it too
        checked.append(unbroadcast(grad, x.data) if need else None)
    return tuple(checked)


def scalar_function(fn: Callable[..., tuple[float, Sequence[float]]]) -> Callable[..., Value]:
    r"""A user-defined `Value` gate from a function of floats returning its value and its local
    derivatives, the way every built-in op is defined (see `Value.local_grads`).

    ``fn(*xs, **settings)`` receives the inputs' numbers and returns ``(value, (∂value/∂x₁,
    ∂value/∂x₂, …))`` at that point, one derivative per positional input. The decorated gate
    takes Values or numbers (numbers are constants, not parents) and keyword settings passed to
    ``fn`` as they are; it returns one `Value` whose op, drawn in graphs, is ``fn``'s name.

    >>> import math
    >>> @scalar_function
    ... def swish(x):  # x·σ(x); d/dx = σ(x) + x·σ(x)(1 - σ(x))
    ...     s = 1.0 / (1.0 + math.exp(-x))
    ...     return x * s, (s + x * s * (1.0 - s),)
    >>> x = Value(1.0, label="x")
    >>> y = swish(x); y.backward()
    >>> y.op, round(y.data, 6), round(x.grad, 6)
    ('swish', 0.731059, 0.927671)
    """
    if not callable(fn):
        raise TypeError(
            f"scalar_function: expected a function returning (value, local_grads); got "
            f"{type(fn).__name__} {_short(fn)}"
        )
    name = getattr(fn, "__name__", type(fn).__name__)

    @functools.wraps(fn)
    def gate(*inputs: Value | float, **settings: Any) -> Value:
        numbers = [x.data if isinstance(x, Value) else _as_float(x, name) for x in inputs]
        result = fn(*numbers, **settings)
        if not isinstance(result, (tuple, list)) or len(result) != 2:
            raise TypeError(
                f"{name}: the gate must return (value, local_grads); got {_short(result)}, "
                "expected a number and a tuple with one derivative per input"
            )
        data, local = result
        value = _gate_number(name, "value", data)
        if not isinstance(local, (tuple, list)):
            raise TypeError(
                f"{name}: the gate's local derivatives must be a tuple; got "
                f"{type(local).__name__} {_short(local)}, expected one number per input, "
                "e.g. (d,) for a single input"
            )
        if len(local) != len(inputs):
            raise ValueError(
                f"{name}: the gate must return one local derivative per input; got "
                f"{len(local)}, expected {len(inputs)} (∂value/∂x for each positional input)"
            )
        parents = tuple([x for x in inputs if isinstance(x, Value)])
        if not parents:
            return Value(value)
        grads = tuple(
            [
                _gate_number(name, f"local derivative {i}", g)
                for i, (x, g) in enumerate(zip(inputs, local))
                if isinstance(x, Value)
            ]
        )
        return _node(value, name, parents, _MANY, grads)

    return gate


def _gate_number(name: str, what: str, x: Any) -> float:
    """``x`` (a number the gate returned) as a float, or a TypeError naming the gate."""
    if isinstance(x, Real):
        return float(x)
    raise TypeError(
        f"{name}: the gate's {what} must be a number; got {type(x).__name__} {_short(x)}, "
        "expected an int or float (the gate works on the inputs' .data, plain floats)"
    )
