"""`record`, the one way an op adds a node to a tensor graph, and `unbroadcast`, the one place
where broadcasting is undone in the backward pass.

How the Tensor engine works, in the order it runs:

1. **Forward.** An op (in `autograd.ops`) validates its operands, computes the result from raw
   numpy arrays and hands it to `record` with the op's name, its operands in argument order, a
   module-level backward function and the raw arrays that function will need (``saved``).
2. **The node.** `record` wraps the result in a new `Tensor` (`_leaf`, no copy). If grad mode is
   on and some operand requires grad, the node keeps the op's name, its Tensor operands as
   ``parents`` (numbers and arrays are constants: they stay out of the graph, and ``_kept``
   marks which argument positions were Tensors), the backward function, ``saved`` and
   ``_needs``, which operands require grad. Nothing refers to the output itself, not even a
   closure, so a graph is freed by reference counting as soon as its last result goes, with no
   reference cycles for the garbage collector. Otherwise the result is a plain leaf and nothing
   is kept: that is all `no_grad` costs.
3. **Versions.** ``reads`` names the operands whose values ``saved`` holds (`OUTPUT` for the
   result's own). `record` notes the tick of the engine's edit clock; every in-place edit
   advances the clock and stamps the tensor's counter with the new tick, so at backward time one
   comparison tells whether anything was edited since, and only then does the node look for
   which saved tensor it was (``Tensor._check_reads``), as PyTorch's version counters do.
4. **Backward.** `autograd.graph.backpropagate` visits the nodes in reverse topological order
   and calls ``node._vjp(grad_out)``, which calls ``backward(grad_out, needs, *saved)``: one
   gradient per operand (None where none is needed), each of its operand's shape. An op whose
   operands broadcast returns ``unbroadcast(grad, operand)`` for each, so broadcasting is undone
   here, never op by op. ``_vjp`` drops the constants' slots and checks the shapes; the driver
   sums what each parent receives and hands a leaf its total (``Tensor._accumulate``).
5. **Anomalies.** Under `detect_anomaly` a node also records where it was created, and `record`
   refuses an output with nan or inf.

A new op is a forward that calls `record` and a backward beside it:

>>> from autograd import Tensor
>>> def cube(x):  # x³; d/dx = 3x²
...     return record(x.numpy() ** 3, "cube", (x,), _cube_backward, (x.numpy(),), reads=(x,))
>>> def _cube_backward(grad_out, needs, x):
...     return (grad_out * 3 * x**2,)
>>> x = Tensor([1.0, 2.0], requires_grad=True)
>>> y = cube(x); y.op, y.parents[0] is x
('cube', True)
>>> y.sum().backward(); x.grad
array([ 3., 12.], dtype=float32)
"""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd.modes import creation_site, flags
from autograd.tensor import OUTPUT, Backward, Tensor, _clock, _leaf

__all__ = ["OUTPUT", "_leaf", "record", "unbroadcast"]


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


def _check_output(out: Tensor, op: str) -> None:
    """`detect_anomaly`'s forward check: refuse a result that holds nan or inf."""
    data = out._data
    if data.dtype.kind in "fc" and not np.isfinite(data).all():
        site = out._site or creation_site()
        raise FloatingPointError(
            f"detect_anomaly: op {op!r} produced nan or inf in its output of shape {data.shape}; "
            f"created at {site}"
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
