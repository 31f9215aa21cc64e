# mypy: ignore-errors
"""The bad-input catalogue: 401 wrong calls over the whole public API, and what each must give.

Each case names the API its message must name, a zero-argument call and the outcome expected:

- ``raises``: PyTorch refuses the same call, or the design refuses it (then the case has no torch
  twin). We must raise a TypeError, ValueError or RuntimeError whose message names the API as
  ``api:`` (``Tensor.sum:`` names ``sum``, and so does Python's own ``sum() got an unexpected
  keyword argument``); an IndexError too where PyTorch raises one, for an index, axis or class
  out of range; a ZeroDivisionError only for Value's ``x / 0``, as DESIGN.md says. An
  AttributeError, a KeyError, numpy's own message or a silent acceptance fails the case.
- ``accepted-like-torch``: PyTorch accepts the call, so must we.

Where PyTorch has the same call, the case carries it as a twin, and a second test checks the
table's expectation against PyTorch when it is installed. Each case also names the file that
owns the API, so that the failures can be handed to whoever changes it.
``python tests/test_bad_input.py`` runs every case and prints the counts (`summary`). mypy is
told to skip this file: every case passes a wrong type on purpose.
"""

from __future__ import annotations

import re
import sys
import tempfile
import warnings
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import pytest

import autograd
import nn
import viz
from autograd import Tensor, Value
from nn import functional as F

RAISES = "raises"
ACCEPTED = "accepted-like-torch"
CLEAR: tuple[type[BaseException], ...] = (TypeError, ValueError, RuntimeError)
OUT_OF_RANGE = (*CLEAR, IndexError)  # PyTorch's type for an index, axis or class out of range
DIVISION = (*CLEAR, ZeroDivisionError)  # Value's x / 0 and 0 ** -1, by design


class Case(NamedTuple):
    id: str
    api: str  # what the message must name, as "api:"; "a|b" accepts either
    call: Callable[[], Any]
    outcome: str
    torch: Callable[[Any], Any] | None  # the same call in PyTorch, given the torch module
    errors: tuple[type[BaseException], ...]
    where: str  # the file that owns the API


CASES: list[Case] = []


class Section:
    """The cases of one file: `add` appends to `CASES` with the file filled in."""

    def __init__(self, where: str) -> None:
        self.where = where

    def add(
        self,
        case_id: str,
        api: str,
        call: Callable[[], Any],
        outcome: str = RAISES,
        torch: Callable[[Any], Any] | None = None,
        errors: tuple[type[BaseException], ...] = CLEAR,
    ) -> None:
        CASES.append(Case(case_id, api, call, outcome, torch, errors, self.where))


def t(*shape: int, dtype: str = "float32", grad: bool = False) -> Tensor:
    """A fresh tensor of ones."""
    return Tensor(np.ones(shape, dtype=dtype), requires_grad=grad)


def slide() -> Value:
    x, y, z = Value(1.0, label="x"), Value(-3.0, label="y"), Value(4.0, label="z")
    f = (x + y) * z
    f.label = "f"
    return f


_FOLDERS = tempfile.TemporaryDirectory(prefix="bad-input-")  # removed when the run ends


def folder() -> Path:
    """A fresh, empty folder for the cases that would write files."""
    return Path(tempfile.mkdtemp(dir=_FOLDERS.name))


# ---- Value ---------------------------------------------------------------------------------------

# ---- Value ---------------------------------------------------------------------------------------

s = Section("autograd/value.py")
for name, data in [
    ("none", None),
    ("str-number", "1.0"),
    ("str", "abc"),
    ("list", [1.0]),
    ("complex", 1j),
    ("array", np.array([1.0, 2.0])),
    ("object", object()),
]:
    s.add(f"value-{name}", "Value", lambda data=data: Value(data))
s.add("value-of-value", "Value", lambda: Value(Value(1.0)))
s.add("value-of-tensor", "Value", lambda: Value(Tensor([1.0])))
s.add("value-numpy-float32", "Value", lambda: Value(np.float32(2.0)), ACCEPTED)
s.add("value-int", "Value", lambda: Value(3), ACCEPTED)

s.add("value-log-zero", "log", lambda: Value(0.0).log())
s.add("value-log-negative", "log", lambda: Value(-1.0).log())
s.add("value-sqrt-negative", "sqrt", lambda: Value(-4.0).sqrt())
s.add("value-div-zero", "div", lambda: Value(1.0) / Value(0.0), errors=DIVISION)
s.add("value-pow-negative-base-value", "pow", lambda: Value(-8.0) ** Value(1 / 3))
s.add("value-rpow-negative-base", "pow", lambda: (-2.0) ** Value(0.5))
s.add("value-pow-zero-negative", "pow", lambda: Value(0.0) ** -1, errors=DIVISION)
s.add("value-add-str", "+|add", lambda: Value(1.0) + "a")  # Python's "for +:" is clear
s.add("value-mul-none", "*|mul", lambda: Value(1.0) * None)
s.add("value-pow-str", "pow()|pow", lambda: Value(2.0) ** "a")
s.add("value-leaky-relu-alpha-str", "leaky_relu", lambda: Value(-1.0).leaky_relu("a"))
s.add("value-sum-str", "sum", lambda: Value.sum([Value(1.0), "a"]))
s.add("value-dot-lengths", "dot", lambda: Value.dot([1.0, 2.0], [1.0]))
s.add("value-backward-grad-str", "backward", lambda: Value(1.0).backward("a"))
s.add("value-exp-huge", "exp", lambda: Value(1000.0).exp(), ACCEPTED)  # inf, by design
s.add("value-sigmoid-huge", "sigmoid", lambda: Value(-1000.0).sigmoid(), ACCEPTED)


# ---- Tensor --------------------------------------------------------------------------------------

s = Section("autograd/tensor.py")
for name, data in [
    ("none", None),
    ("str", "abc"),
    ("str-number", "1.5"),
    ("list-of-str-numbers", ["1", "2"]),
    ("mixed-list", [1.0, "a"]),
    ("list-with-none", [1.0, None]),
    ("ragged", [[1.0, 2.0], [3.0]]),
    ("set", {1.0, 2.0}),
]:
    s.add(
        f"tensor-{name}",
        "Tensor",
        lambda data=data: Tensor(data),
        torch=lambda T, d=data: T.tensor(d),
    )
s.add(
    "tensor-generator",
    "Tensor",
    lambda: Tensor(x for x in range(3)),
    torch=lambda T: T.tensor(x for x in range(3)),
)
for name, array in [
    ("object-array", lambda: np.array([1, "a"], dtype=object)),
    ("str-array", lambda: np.array(["1.0", "2.0"])),
]:
    s.add(
        f"tensor-{name}",
        "Tensor",
        lambda array=array: Tensor(array()),
        torch=lambda T, array=array: T.tensor(array()),
    )
# PyTorch has complex tensors; here one would lose its imaginary part, so it is refused
s.add("tensor-complex-array", "Tensor", lambda: Tensor(np.array([1 + 2j])))
s.add("tensor-list-of-values", "Tensor", lambda: Tensor([Value(1.0), Value(2.0)]))
for name, dtype in [("junk", "banana"), ("object", object)]:
    s.add(
        f"tensor-dtype-{name}",
        "Tensor",
        lambda dtype=dtype: Tensor([1.0], dtype=dtype),
        torch=lambda T, dtype=dtype: T.tensor([1.0], dtype=dtype),
    )
s.add(
    "tensor-int-requires-grad",
    "requires_grad|Tensor",
    lambda: Tensor([1, 2], dtype="int64", requires_grad=True),
    torch=lambda T: T.tensor([1, 2], requires_grad=True),
)
s.add(
    "tensor-requires-grad-str",
    "Tensor|requires_grad",
    lambda: Tensor([1.0], requires_grad="yes"),
    torch=lambda T: T.tensor([1.0], requires_grad="yes"),
)
s.add(
    "tensor-requires-grad-off-on-a-result",
    "requires_grad",
    lambda: (t(2, grad=True) * 2).requires_grad_(False),
    torch=lambda T: (T.ones(2, requires_grad=True) * 2).requires_grad_(False),
)
s.add(
    "tensor-backward-non-scalar",
    "backward",
    lambda: (t(2, grad=True) * 2).backward(),
    torch=lambda T: (T.ones(2, requires_grad=True) * 2).backward(),
)
s.add(
    "tensor-backward-without-grad",
    "backward",
    lambda: t(2).sum().backward(),
    torch=lambda T: T.ones(2).sum().backward(),
)


def _iadd_grows() -> None:
    a = t(3)
    a += t(2, 3)  # in place: the result must keep a's shape


def _iadd_leaf() -> None:
    w = t(3, grad=True)
    w += 1.0


def _torch_iadd_grows(T: Any) -> None:
    a = T.ones(3)
    a += T.ones(2, 3)


def _torch_iadd_leaf(T: Any) -> None:
    w = T.ones(3, requires_grad=True)
    w += 1.0


s.add("tensor-iadd-grows", "add|iadd|add_", _iadd_grows, torch=_torch_iadd_grows)
s.add("tensor-iadd-leaf-requiring-grad", "add|iadd|add_", _iadd_leaf, torch=_torch_iadd_leaf)
for name, data, twin in [
    ("empty-list", lambda: [], lambda T: []),
    ("0d", lambda: 3.0, lambda T: 3.0),
    ("nested-ints", lambda: [[1, 2], [3, 4]], lambda T: [[1, 2], [3, 4]]),
    ("of-tensor", lambda: Tensor([1.0]), lambda T: T.tensor([1.0])),
]:
    s.add(
        f"tensor-{name}",
        "Tensor",
        lambda data=data: Tensor(data()),
        ACCEPTED,
        torch=lambda T, twin=twin: T.tensor(twin(T)),
    )


# ---- factories, the seed -------------------------------------------------------------------------

s = Section("autograd/factories.py")
for name, data in [("none", None), ("str", "abc"), ("mixed", [1, "a"])]:
    s.add(
        f"factory-tensor-{name}",
        "tensor",
        lambda data=data: autograd.tensor(data),
        torch=lambda T, data=data: T.tensor(data),
    )
for fn, name, size in [
    ("zeros", "negative", (-1,)),
    ("zeros", "float", (2.5,)),
    ("zeros", "str", ("3",)),
    ("zeros", "list-with-str", ([2, "a"],)),
    ("zeros", "bool", (True,)),
    ("ones", "negative", (-2,)),
    ("randn", "negative", (-1,)),
    ("rand", "float", (1.5,)),
]:
    s.add(
        f"{fn}-{name}",
        fn,
        lambda fn=fn, size=size: getattr(autograd, fn)(*size),
        torch=lambda T, fn=fn, size=size: getattr(T, fn)(*size),
    )
for fn, dtype, twin in [
    ("zeros", "banana", lambda T: "banana"),
    ("ones", "banana", lambda T: "banana"),
    ("randn", "banana", lambda T: "banana"),
    ("rand", "banana", lambda T: "banana"),
    ("zeros", object, lambda T: object),
    ("randn", "int64", lambda T: T.int64),
    ("rand", "int32", lambda T: T.int32),
]:
    s.add(
        f"{fn}-dtype-{getattr(dtype, '__name__', dtype)}",
        fn,
        lambda fn=fn, dtype=dtype: getattr(autograd, fn)(2, dtype=dtype),
        torch=lambda T, fn=fn, twin=twin: getattr(T, fn)(2, dtype=twin(T)),
    )
for name, args in [("fill-str", ((2,), "a")), ("fill-list", ((2,), [1.0, 2.0]))]:
    s.add(
        f"full-{name}",
        "full",
        lambda args=args: autograd.full(*args),
        torch=lambda T, args=args: T.full(*args),
    )
for name, args in [
    ("step-zero", (0, 10, 0)),
    ("step-wrong-sign", (0, 10, -1)),
    ("str", ("a",)),
    ("nan", (float("nan"),)),
]:
    s.add(
        f"arange-{name}",
        "arange",
        lambda args=args: autograd.arange(*args),
        torch=lambda T, args=args: T.arange(*args),
    )
for fn, name, data in [
    ("zeros_like", "none", None),
    ("zeros_like", "mixed-list", [1.0, "a"]),
    ("ones_like", "none", None),
]:
    s.add(
        f"{fn}-{name}",
        fn,
        lambda fn=fn, data=data: getattr(autograd, fn)(data),
        torch=lambda T, fn=fn, data=data: getattr(T, fn)(data),
    )
for name, call, twin in [
    ("zeros-zero", lambda: autograd.zeros(0), lambda T: T.zeros(0)),
    ("zeros-tuple", lambda: autograd.zeros((2, 3)), lambda T: T.zeros((2, 3))),
    ("arange-down", lambda: autograd.arange(5, 0, -1), lambda T: T.arange(5, 0, -1)),
]:
    s.add(name, name.split("-")[0], call, ACCEPTED, torch=twin)

s = Section("autograd/random.py")
for name, seed in [("str", "a"), ("none", None), ("list", [1]), ("huge", 2**70)]:
    s.add(
        f"manual_seed-{name}",
        "manual_seed",
        lambda seed=seed: autograd.manual_seed(seed),
        torch=lambda T, seed=seed: T.manual_seed(seed),
    )
for name, seed in [("negative", -1), ("numpy-int", np.int64(3))]:
    s.add(
        f"manual_seed-{name}",
        "manual_seed",
        lambda seed=seed: autograd.manual_seed(seed),
        ACCEPTED,
        torch=lambda T, seed=seed: T.manual_seed(seed),
    )


# ---- elementwise ops -----------------------------------------------------------------------------

s = Section("autograd/ops/elementwise.py")
BINARY = {
    "add": lambda a, b: a + b,
    "sub": lambda a, b: a - b,
    "mul": lambda a, b: a * b,
    "div": lambda a, b: a / b,
    "pow": lambda a, b: a**b,
}
for api, left, right in [
    *((api, (2, 3), (4,)) for api in BINARY),
    ("add", (2, 3), (3, 2)),
    ("mul", (2, 3), (3, 2)),
]:
    s.add(
        f"{api}-shapes-{'x'.join(map(str, left))}-{'x'.join(map(str, right))}",
        api,
        lambda op=BINARY[api], left=left, right=right: op(t(*left), t(*right)),
        torch=lambda T, op=BINARY[api], left=left, right=right: op(T.ones(*left), T.ones(*right)),
    )
for api in ("maximum", "minimum"):
    s.add(
        f"{api}-shapes",
        api,
        lambda api=api: getattr(autograd, api)(t(2, 3), t(4)),
        torch=lambda T, api=api: getattr(T, api)(T.ones(2, 3), T.ones(4)),
    )
for api, other in [("add", "a"), ("mul", None), ("sub", [1.0, "a"]), ("pow", "a")]:
    s.add(
        f"{api}-junk-{type(other).__name__}",
        api,
        lambda op=BINARY[api], other=other: op(t(2), other),
        torch=lambda T, op=BINARY[api], other=other: op(T.ones(2), other),
    )
s.add("mul-value", "mul", lambda: t(2) * Value(1.0))
s.add("clip-no-bounds", "clip|clamp", lambda: t(3).clip(), torch=lambda T: T.clamp(T.ones(3)))
s.add("clip-str", "clip|clamp", lambda: t(3).clip("a"), torch=lambda T: T.clamp(T.ones(3), min="a"))
for api in ("leaky_relu", "elu"):
    s.add(
        f"{api}-str",
        api,
        lambda api=api: getattr(t(3), api)("a"),
        torch=lambda T, api=api: getattr(T.nn.functional, api)(T.ones(3), "a"),
    )
s.add(
    "astype-junk", "astype", lambda: t(3).astype("banana"), torch=lambda T: T.ones(3).to("banana")
)
for name, call, twin in [
    ("broadcast-row", lambda: t(2, 3) + t(3), lambda T: T.ones(2, 3) + T.ones(3)),
    ("broadcast-outer", lambda: t(3, 1) * t(1, 4), lambda T: T.ones(3, 1) * T.ones(1, 4)),
    ("log-negative", lambda: (t(2) * -1).log(), lambda T: (T.ones(2) * -1).log()),  # nan
    ("div-by-zero", lambda: t(2) / 0, lambda T: T.ones(2) / 0),  # inf
]:
    s.add(f"elementwise-{name}", "add", call, ACCEPTED, torch=twin)


# ---- reductions ----------------------------------------------------------------------------------

s = Section("autograd/ops/reduce.py")
for api in ("sum", "mean", "max", "min", "logsumexp"):
    for name, axis, errors in [
        ("float", 1.5, CLEAR),
        ("str", "0", CLEAR),
        ("out-of-range", 2, OUT_OF_RANGE),
        ("duplicate", (0, 0), CLEAR),
    ]:
        if (name == "duplicate" and api in ("mean", "min")) or (name, api) == ("str", "logsumexp"):
            continue
        s.add(
            f"{api}-axis-{name}",
            api,
            lambda api=api, axis=axis: getattr(t(2, 3), api)(axis=axis),
            torch=lambda T, api=api, axis=axis: getattr(T.ones(2, 3), api)(dim=axis),
            errors=errors,
        )
for api, name, axis in [
    ("sum", "bool", True),
    ("max", "bool", True),
    ("sum", "list-out-of-range", [0, 5]),
    ("mean", "negative-out-of-range", -3),
]:
    s.add(
        f"{api}-axis-{name}",
        api,
        lambda api=api, axis=axis: getattr(t(2, 3), api)(axis=axis),
        torch=lambda T, api=api, axis=axis: getattr(T.ones(2, 3), api)(dim=axis),
        errors=OUT_OF_RANGE,
    )
s.add(
    "sum-keepdims-str",
    "sum",
    lambda: t(2, 3).sum(axis=0, keepdims="yes"),
    torch=lambda T: T.ones(2, 3).sum(dim=0, keepdim="yes"),
)
for name, axis in [("last", -1), ("both", (0, 1))]:
    s.add(
        f"sum-axis-{name}",
        "sum",
        lambda axis=axis: t(2, 3).sum(axis=axis),
        ACCEPTED,
        torch=lambda T, axis=axis: T.ones(2, 3).sum(dim=axis),
    )


# ---- shapes and indexing -------------------------------------------------------------------------

s = Section("autograd/ops/shape.py")


def method(name: str, *args: Any) -> tuple[Callable[[], Any], Callable[[Any], Any]]:
    """``t(2, 3).name(*args)`` here and in PyTorch."""
    return (
        lambda: getattr(t(2, 3), name)(*args),
        lambda T: getattr(T.ones(2, 3), name)(*args),
    )


for api, name, args, outcome, errors in [
    ("reshape", "size", (4,), RAISES, CLEAR),
    ("reshape", "float", (2.0, 3), RAISES, CLEAR),
    ("reshape", "str", ("a",), RAISES, CLEAR),
    ("reshape", "minus-two", (-2, 3), RAISES, CLEAR),
    ("reshape", "minus-one", (-1,), ACCEPTED, CLEAR),
    ("reshape", "tuple", ((3, 2),), ACCEPTED, CLEAR),
    ("view", "size", (5,), RAISES, CLEAR),
    ("transpose", "out-of-range", (0, 2), RAISES, OUT_OF_RANGE),
    ("transpose", "negative", (-1, -2), ACCEPTED, CLEAR),
    ("permute", "too-few", (0,), RAISES, CLEAR),
    ("permute", "repeated", (0, 0), RAISES, CLEAR),
    ("permute", "out-of-range", (0, 2), RAISES, OUT_OF_RANGE),
    ("permute", "args", (1, 0), ACCEPTED, CLEAR),
    ("flatten", "start-out-of-range", (3,), RAISES, OUT_OF_RANGE),
    ("flatten", "start-after-end", (1, 0), RAISES, CLEAR),
    ("squeeze", "out-of-range", (5,), RAISES, OUT_OF_RANGE),
    ("squeeze", "axis-not-one", (0,), ACCEPTED, CLEAR),  # PyTorch: a no-op
    ("unsqueeze", "out-of-range", (4,), RAISES, OUT_OF_RANGE),
]:
    ours, theirs = method(api, *args)
    s.add(f"{api}-{name}", api, ours, outcome, torch=theirs, errors=errors)
for name, index, twin, outcome in [
    ("out-of-range", lambda: 5, lambda T: 5, RAISES),
    ("too-many", lambda: (0, 0, 0), lambda T: (0, 0, 0), RAISES),
    ("str", lambda: "a", lambda T: "a", RAISES),
    ("array-out-of-range", lambda: np.array([0, 5]), lambda T: T.tensor([0, 5]), RAISES),
    ("float-tensor", lambda: Tensor([0.5]), lambda T: T.tensor([0.5]), RAISES),
    ("mask-length", lambda: np.array([True]), lambda T: T.tensor([True]), RAISES),
    ("negative", lambda: -1, lambda T: -1, ACCEPTED),
    ("repeated-rows", lambda: np.array([0, 0]), lambda T: T.tensor([0, 0]), ACCEPTED),
]:
    s.add(
        f"getitem-{name}",
        "getitem|index|Tensor",
        lambda index=index: t(2, 3)[index()],
        outcome,
        torch=lambda T, twin=twin: T.ones(2, 3)[twin(T)],
        errors=OUT_OF_RANGE,
    )
for api, ours, theirs, names in [
    ("concatenate", autograd.concatenate, "cat", ("empty", "sizes", "ndims", "axis", "str", "one")),
    ("stack", autograd.stack, "stack", ("empty", "sizes", "axis", "str")),
]:
    for name, parts, twin, axis, errors in [
        ("empty", lambda: [], lambda T: [], 0, CLEAR),
        ("sizes", lambda: [t(2, 3), t(2, 4)], lambda T: [T.ones(2, 3), T.ones(2, 4)], 0, CLEAR),
        ("ndims", lambda: [t(2, 3), t(3)], lambda T: [T.ones(2, 3), T.ones(3)], 0, CLEAR),
        ("axis", lambda: [t(2), t(2)], lambda T: [T.ones(2), T.ones(2)], 2, OUT_OF_RANGE),
        ("str", lambda: [t(2), "a"], lambda T: [T.ones(2), "a"], 0, CLEAR),
        ("one", lambda: t(2, 3), lambda T: T.ones(2, 3), 0, CLEAR),  # a tensor, not a list
    ]:
        if name in names:
            s.add(
                f"{api}-{name}",
                api,
                lambda ours=ours, parts=parts, axis=axis: ours(parts(), axis=axis),
                torch=lambda T, f=theirs, twin=twin, axis=axis: getattr(T, f)(twin(T), axis),
                errors=errors,
            )
s.add(
    "concatenate-lengths",
    "concatenate",
    lambda: autograd.concatenate([t(2), t(3)]),
    ACCEPTED,
    torch=lambda T: T.cat([T.ones(2), T.ones(3)]),
)
s.add(
    "stack-last-axis",
    "stack",
    lambda: autograd.stack([t(2), t(2)], axis=-1),
    ACCEPTED,
    torch=lambda T: T.stack([T.ones(2), T.ones(2)], -1),
)


# ---- matmul, softmax -----------------------------------------------------------------------------

s = Section("autograd/ops/linalg.py")
for name, left, right, outcome in [
    ("inner", (2, 3), (4, 5), RAISES),
    ("vectors", (3,), (4,), RAISES),
    ("matrix-vector", (2, 3), (2,), RAISES),
    ("batch", (2, 2, 3), (3, 3, 2), RAISES),
    ("scalars", (), (), RAISES),
    ("vector-matrix", (3,), (3, 2), ACCEPTED),
    ("batch-broadcast", (5, 2, 3), (3, 4), ACCEPTED),
]:
    s.add(
        f"matmul-{name}",
        "matmul",
        lambda left=left, right=right: t(*left) @ t(*right),
        outcome,
        torch=lambda T, left=left, right=right: T.ones(*left) @ T.ones(*right),
    )
s.add(
    "matmul-str",
    "matmul",
    lambda: autograd.matmul(t(2, 3), "a"),
    torch=lambda T: T.matmul(T.ones(2, 3), "a"),
)

s = Section("autograd/ops/softmax.py")
for api, name, axis, outcome, errors in [
    ("softmax", "out-of-range", 2, RAISES, OUT_OF_RANGE),
    ("softmax", "float", 1.5, RAISES, CLEAR),
    ("softmax", "str", "a", RAISES, CLEAR),
    ("softmax", "tuple", (0, 1), RAISES, CLEAR),
    ("log_softmax", "out-of-range", -3, RAISES, OUT_OF_RANGE),
    ("log_softmax", "float", 0.5, RAISES, CLEAR),
    ("log_softmax", "tuple", (0, 1), RAISES, CLEAR),
    ("softmax", "first", 0, ACCEPTED, CLEAR),
    ("log_softmax", "first", 0, ACCEPTED, CLEAR),
]:
    ours, theirs = method(api, axis)
    s.add(f"{api}-axis-{name}", api, ours, outcome, torch=theirs, errors=errors)


# ---- convolution, pooling, dropout, linear -------------------------------------------------------

s = Section("autograd/ops/conv.py")
IMAGE, FILTERS = (1, 1, 5, 5), (2, 1, 3, 3)
for name, x, w, b, kwargs in [
    ("input-2d", (5, 5), FILTERS, None, {}),
    ("channels", (1, 2, 5, 5), FILTERS, None, {}),
    ("kernel-larger", (1, 1, 2, 2), (1, 1, 3, 3), None, {}),
    ("weight-3d", IMAGE, (2, 1, 3), None, {}),
    ("bias-size", IMAGE, FILTERS, (3,), {}),
    ("stride-zero", IMAGE, FILTERS, None, {"stride": 0}),
    ("stride-negative", IMAGE, FILTERS, None, {"stride": -1}),
    ("stride-float", IMAGE, FILTERS, None, {"stride": 1.5}),
    ("padding-negative", IMAGE, FILTERS, None, {"padding": -1}),
    ("padding-str", IMAGE, FILTERS, None, {"padding": "full"}),
    ("padding-same-strided", IMAGE, FILTERS, None, {"padding": "same", "stride": 2}),
]:
    s.add(
        f"conv2d-{name}",
        "conv2d",
        lambda x=x, w=w, b=b, kw=kwargs: F.conv2d(t(*x), t(*w), None if b is None else t(*b), **kw),
        torch=lambda T, x=x, w=w, b=b, kw=kwargs: T.nn.functional.conv2d(
            T.ones(*x), T.ones(*w), None if b is None else T.ones(*b), **kw
        ),
    )
s.add(
    "conv2d-int-input",
    "conv2d",
    lambda: F.conv2d(t(*IMAGE, dtype="int64"), t(*FILTERS)),
    torch=lambda T: T.nn.functional.conv2d(T.ones(*IMAGE, dtype=T.int64), T.ones(*FILTERS)),
)
s.add(
    "conv2d-input-none",
    "conv2d",
    lambda: F.conv2d(None, t(*FILTERS)),
    torch=lambda T: T.nn.functional.conv2d(None, T.ones(*FILTERS)),
)
s.add(
    "conv2d-same",
    "conv2d",
    lambda: F.conv2d(t(*IMAGE), t(*FILTERS), padding="same"),
    ACCEPTED,
    torch=lambda T: T.nn.functional.conv2d(T.ones(*IMAGE), T.ones(*FILTERS), padding="same"),
)

s = Section("autograd/ops/pool.py")
for api, name, x, args, outcome in [
    ("max_pool2d", "kernel-zero", (1, 1, 4, 4), (0,), RAISES),
    ("max_pool2d", "kernel-negative", (1, 1, 4, 4), (-1,), RAISES),
    ("max_pool2d", "kernel-float", (1, 1, 4, 4), (1.5,), RAISES),
    ("max_pool2d", "kernel-triple", (1, 1, 4, 4), ((2, 2, 2),), RAISES),
    ("max_pool2d", "kernel-larger", (1, 1, 2, 2), (3,), RAISES),
    ("max_pool2d", "stride-zero", (1, 1, 4, 4), (2, 0), RAISES),
    ("max_pool2d", "input-2d", (4, 4), (2,), RAISES),
    ("max_pool2d", "kernel-pair", (1, 1, 4, 4), ((2, 1),), ACCEPTED),
    ("avg_pool2d", "kernel-zero", (1, 1, 4, 4), (0,), RAISES),
    ("avg_pool2d", "kernel-str", (1, 1, 4, 4), ("a",), RAISES),
    ("avg_pool2d", "kernel-larger", (1, 1, 2, 2), (3,), RAISES),
    ("avg_pool2d", "input-2d", (4, 4), (2,), RAISES),
    ("avg_pool2d", "kernel-pair", (1, 1, 4, 4), ((2, 1),), ACCEPTED),
]:
    s.add(
        f"{api}-{name}",
        api,
        lambda api=api, x=x, args=args: getattr(F, api)(t(*x), *args),
        outcome,
        torch=lambda T, api=api, x=x, args=args: getattr(T.nn.functional, api)(T.ones(*x), *args),
        errors=OUT_OF_RANGE if name == "input-2d" else CLEAR,
    )

s = Section("nn/functional.py")
for name, args, kwargs, outcome in [
    ("p-negative", (-0.1,), {}, RAISES),
    ("p-above-one", (1.5,), {}, RAISES),
    ("p-str", ("a",), {}, RAISES),
    ("training-str", (0.5,), {"training": "yes"}, RAISES),
    ("p-zero", (0.0,), {}, ACCEPTED),
    ("p-one", (1.0,), {}, ACCEPTED),
]:
    s.add(
        f"dropout-{name}",
        "dropout",
        lambda args=args, kw=kwargs: F.dropout(t(3), *args, **kw),
        outcome,
        torch=lambda T, args=args, kw=kwargs: T.nn.functional.dropout(T.ones(3), *args, **kw),
    )
for name, x, w, b in [("inner", (2, 3), (4, 5), None), ("bias-size", (2, 3), (4, 3), (5,))]:
    s.add(
        f"linear-{name}",
        "linear",
        lambda x=x, w=w, b=b: F.linear(t(*x), t(*w), None if b is None else t(*b)),
        torch=lambda T, x=x, w=w, b=b: T.nn.functional.linear(
            T.ones(*x), T.ones(*w), None if b is None else T.ones(*b)
        ),
    )
s.add(
    "linear-input-none",
    "linear",
    lambda: F.linear(None, t(2, 3)),
    torch=lambda T: T.nn.functional.linear(None, T.ones(2, 3)),
)


# ---- losses --------------------------------------------------------------------------------------


def floats(*values: float) -> Tensor:
    return Tensor(np.array(values, dtype="float32"))


def labels(*values: int) -> Tensor:
    return Tensor(np.array(values, dtype="int64"))


for api, name, target, twin in [
    ("mse_loss", "shapes", lambda: t(4), lambda T: T.ones(4)),
    ("mse_loss", "none", lambda: None, lambda T: None),
    ("l1_loss", "shapes", lambda: t(4), lambda T: T.ones(4)),
    ("binary_cross_entropy", "shapes", lambda: t(4), lambda T: T.ones(4)),
    ("binary_cross_entropy", "none", lambda: None, lambda T: None),
    ("binary_cross_entropy", "int", lambda: labels(1, 0, 1), lambda T: T.tensor([1, 0, 1])),
    ("binary_cross_entropy_with_logits", "shapes", lambda: t(2), lambda T: T.ones(2)),
]:
    s.add(
        f"{api}-target-{name}",
        api,
        lambda api=api, target=target: getattr(F, api)(floats(0.5, 0.5, 0.5), target()),
        torch=lambda T, api=api, twin=twin: getattr(T.nn.functional, api)(
            T.full((3,), 0.5), twin(T)
        ),
    )
for api in ("mse_loss", "binary_cross_entropy"):
    s.add(
        f"{api}-reduction",
        api,
        lambda api=api: getattr(F, api)(floats(0.5, 0.5), floats(1.0, 0.0), reduction="avg"),
        torch=lambda T, api=api: getattr(T.nn.functional, api)(
            T.full((2,), 0.5), T.tensor([1.0, 0.0]), reduction="avg"
        ),
    )
# PyTorch only warns when a loss broadcasts (3, 1) against (3,), a classic silent bug: refused
s.add("mse_loss-broadcast-target", "mse_loss", lambda: F.mse_loss(t(3, 1), t(3)))
s.add(
    "binary_cross_entropy-outside-0-1",
    "binary_cross_entropy",
    lambda: F.binary_cross_entropy(floats(1.5, 0.5), floats(1.0, 0.0)),
    torch=lambda T: T.nn.functional.binary_cross_entropy(
        T.tensor([1.5, 0.5]), T.tensor([1.0, 0.0])
    ),
)
for name, target, twin, outcome, errors in [
    (
        "class-out-of-range",
        lambda: labels(0, 1, 4),
        lambda T: T.tensor([0, 1, 4]),
        RAISES,
        OUT_OF_RANGE,
    ),
    ("float-classes", lambda: floats(0, 1, 2), lambda T: T.tensor([0.0, 1.0, 2.0]), RAISES, CLEAR),
    ("batch-size", lambda: labels(0, 1), lambda T: T.tensor([0, 1]), RAISES, CLEAR),
    ("none", lambda: None, lambda T: None, RAISES, CLEAR),
    ("one-hot-width", lambda: t(3, 5), lambda T: T.ones(3, 5), RAISES, CLEAR),
    (
        "2d-labels",
        lambda: labels(0, 1, 2).reshape(3, 1),
        lambda T: T.zeros(3, 1).long(),
        RAISES,
        CLEAR,
    ),
    (
        "probabilities",
        lambda: floats(*[0.25] * 12).reshape(3, 4),
        lambda T: T.full((3, 4), 0.25),
        ACCEPTED,
        CLEAR,
    ),
]:
    s.add(
        f"cross_entropy-target-{name}",
        "cross_entropy",
        lambda target=target: F.cross_entropy(t(3, 4), target()),
        outcome,
        torch=lambda T, twin=twin: T.nn.functional.cross_entropy(T.ones(3, 4), twin(T)),
        errors=errors,
    )
s.add(
    "cross_entropy-reduction",
    "cross_entropy",
    lambda: F.cross_entropy(t(3, 4), labels(0, 1, 2), reduction="avg"),
    torch=lambda T: T.nn.functional.cross_entropy(
        T.ones(3, 4), T.tensor([0, 1, 2]), reduction="avg"
    ),
)
s.add(
    "cross_entropy-one-sample",
    "cross_entropy",
    lambda: F.cross_entropy(t(4), labels(1).reshape(())),
    ACCEPTED,
    torch=lambda T: T.nn.functional.cross_entropy(T.ones(4), T.tensor(1)),
)
for name, target, kwargs in [
    ("shapes", lambda: floats(1.0, -1.0), {}),
    ("labels-not-sign", lambda: floats(0.0, 1.0, 1.0), {}),
    ("none", lambda: None, {}),
    ("margin-str", lambda: floats(1.0, -1.0, 1.0), {"margin": "a"}),
]:
    s.add(
        f"hinge_loss-{name}",
        "hinge_loss",
        lambda target=target, kw=kwargs: F.hinge_loss(t(3), target(), **kw),
    )

s = Section("nn/losses.py")
for ours, theirs, api, x, target, twin, errors in [
    (nn.MSELoss, "MSELoss", "mse_loss", (3,), lambda: t(4), lambda T: T.ones(4), CLEAR),
    (nn.L1Loss, "L1Loss", "l1_loss", (3,), lambda: None, lambda T: None, CLEAR),
    (nn.BCELoss, "BCELoss", "binary_cross_entropy", (3,), lambda: t(4), lambda T: T.ones(4), CLEAR),
    (
        nn.BCEWithLogitsLoss,
        "BCEWithLogitsLoss",
        "binary_cross_entropy_with_logits",
        (3,),
        lambda: t(2),
        lambda T: T.ones(2),
        CLEAR,
    ),
    (
        nn.CrossEntropyLoss,
        "CrossEntropyLoss",
        "cross_entropy",
        (3, 4),
        lambda: labels(0, 1, 9),
        lambda T: T.tensor([0, 1, 9]),
        OUT_OF_RANGE,
    ),
]:
    s.add(
        f"{theirs}-target",
        f"{theirs}|{api}",
        lambda ours=ours, x=x, target=target: ours()(t(*x) * 0.5, target()),
        torch=lambda T, f=theirs, x=x, twin=twin: getattr(T.nn, f)()(T.full(x, 0.5), twin(T)),
        errors=errors,
    )
s.add(
    "MSELoss-reduction",
    "MSELoss|mse_loss",
    lambda: nn.MSELoss(reduction="avg")(t(3), t(3)),
    torch=lambda T: T.nn.MSELoss(reduction="avg")(T.ones(3), T.ones(3)),
)
s.add("HingeLoss-labels", "HingeLoss|hinge_loss", lambda: nn.HingeLoss()(t(3), floats(2, 1, 1)))
s.add("l1_penalty-none", "l1_penalty", lambda: nn.l1_penalty(None))
s.add("l2_penalty-junk", "l2_penalty", lambda: nn.l2_penalty([t(2, grad=True), "a"]))


# ---- layers, models, neurons ---------------------------------------------------------------------

# PyTorch builds most of these layers without complaint and fails only when one is used; the
# design checks at construction, so each twin builds the layer and then calls it
s = Section("nn/layers.py")
for name, args in [("negative", (-1, 3)), ("float", (2.5, 3)), ("str", ("3", 2))]:
    s.add(
        f"Linear-{name}",
        "Linear",
        lambda args=args: nn.Linear(*args),
        torch=lambda T, args=args: T.nn.Linear(*args)(T.ones(1, 3)),
    )
s.add("Linear-zero-features", "Linear", lambda: nn.Linear(0, 3))  # stricter than PyTorch
s.add(
    "Linear-forward-features",
    "Linear",
    lambda: nn.Linear(3, 2)(t(4, 5)),
    torch=lambda T: T.nn.Linear(3, 2)(T.ones(4, 5)),
)
s.add(
    "Linear-forward-none",
    "Linear",
    lambda: nn.Linear(3, 2)(None),
    torch=lambda T: T.nn.Linear(3, 2)(None),
)
for name, args, kwargs in [
    ("kernel-zero", (1, 2, 0), {}),
    ("kernel-triple", (1, 2, (3, 3, 3)), {}),
    ("stride-zero", (1, 2, 3), {"stride": 0}),
    ("padding-negative", (1, 2, 3), {"padding": -1}),
    ("padding-same-strided", (1, 2, 3), {"padding": "same", "stride": 2}),
    ("in-channels-negative", (-1, 2, 3), {}),
]:
    s.add(
        f"Conv2d-{name}",
        "Conv2d",
        lambda args=args, kw=kwargs: nn.Conv2d(*args, **kw),
        torch=lambda T, args=args, kw=kwargs: T.nn.Conv2d(*args, **kw)(T.ones(*IMAGE)),
    )
for name, x in [("channels", (1, 3, 5, 5)), ("2d", (5, 5))]:
    s.add(
        f"Conv2d-forward-{name}",
        "Conv2d",
        lambda x=x: nn.Conv2d(1, 2, 3)(t(*x)),
        torch=lambda T, x=x: T.nn.Conv2d(1, 2, 3)(T.ones(*x)),
    )
for api, name, args, kwargs in [
    ("MaxPool2d", "kernel-zero", (0,), {}),
    ("MaxPool2d", "stride-zero", (2,), {"stride": 0}),
    ("AvgPool2d", "kernel-zero", (0,), {}),
    ("AvgPool2d", "kernel-str", ("a",), {}),
]:
    s.add(
        f"{api}-{name}",
        api,
        lambda api=api, args=args, kw=kwargs: getattr(nn, api)(*args, **kw),
        torch=lambda T, api=api, args=args, kw=kwargs: getattr(T.nn, api)(*args, **kw)(
            T.ones(1, 1, 4, 4)
        ),
    )
for name, p in [("negative", -0.1), ("above-one", 1.5), ("str", "a")]:
    s.add(
        f"Dropout-{name}",
        "Dropout",
        lambda p=p: nn.Dropout(p),
        torch=lambda T, p=p: T.nn.Dropout(p)(T.ones(3)),
    )
s.add(
    "Flatten-start-out-of-range",
    "Flatten|flatten",
    lambda: nn.Flatten(start_dim=5)(t(2, 3)),
    torch=lambda T: T.nn.Flatten(start_dim=5)(T.ones(2, 3)),
    errors=OUT_OF_RANGE,
)

s = Section("nn/activations.py")
s.add(
    "LeakyReLU-slope-str",
    "LeakyReLU|leaky_relu",
    lambda: nn.LeakyReLU("a")(t(3)),
    torch=lambda T: T.nn.LeakyReLU("a")(T.ones(3)),
)
s.add(
    "ELU-alpha-str",
    "ELU|elu",
    lambda: nn.ELU(alpha="a")(t(3)),
    torch=lambda T: T.nn.ELU(alpha="a")(T.ones(3)),
)
s.add(
    "Softmax-dim-out-of-range",
    "Softmax|softmax",
    lambda: nn.Softmax(dim=5)(t(2, 3)),
    torch=lambda T: T.nn.Softmax(dim=5)(T.ones(2, 3)),
    errors=OUT_OF_RANGE,
)

s = Section("nn/container.py")
s.add(
    "Sequential-not-a-module",
    "Sequential",
    lambda: nn.Sequential(3),
    torch=lambda T: T.nn.Sequential(3),
)
s.add(
    "Sequential-index",
    "Sequential",
    lambda: nn.Sequential(nn.ReLU())[5],
    torch=lambda T: T.nn.Sequential(T.nn.ReLU())[5],
    errors=OUT_OF_RANGE,
)

s = Section("nn/models.py")
for name, args, kwargs in [
    ("in-zero", (0, 3, 1), {}),
    ("in-float", (2.5, 3, 1), {}),
    ("hidden-negative", (2, [3, -1], 1), {}),
    ("hidden-str", (2, "3", 1), {}),
    ("activation", (2, 3, 1), {"activation": "banana"}),
    ("dropout", (2, 3, 1), {"dropout": 1.5}),
]:
    s.add(f"MLP-{name}", "MLP", lambda args=args, kw=kwargs: nn.MLP(*args, **kw))
for name, kwargs in [
    ("input-size", {"input_size": 2}),
    ("classes", {"num_classes": 0}),
    ("in-channels", {"in_channels": -1}),
    ("activation", {"activation": "banana"}),
]:
    s.add(f"LeNet-{name}", "LeNet", lambda kw=kwargs: nn.LeNet(**kw))
s.add("LeNet-forward-channels", "LeNet|Conv2d", lambda: nn.LeNet(input_size=8)(t(2, 3, 8, 8)))

s = Section("nn/scalar.py")
s.add("Neuron-zero-inputs", "Neuron", lambda: nn.scalar.Neuron(0))
s.add("Neuron-activation", "Neuron", lambda: nn.scalar.Neuron(2, activation="banana"))
s.add("Neuron-input-length", "Neuron", lambda: nn.scalar.Neuron(2)([1.0]))
s.add("Neuron-junk-input", "Neuron", lambda: nn.scalar.Neuron(2)([1.0, "a"]))
s.add("Layer-zero-outputs", "Layer", lambda: nn.scalar.Layer(2, 0))
s.add("Layer-zero-inputs", "Layer|Neuron", lambda: nn.scalar.Layer(0, 2))
s.add("Layer-input-length", "Layer|Neuron", lambda: nn.scalar.Layer(2, 2)([1.0, 2.0, 3.0]))
s.add("scalar-MLP-no-layers", "MLP", lambda: nn.scalar.MLP(2, []))
s.add("scalar-MLP-input-length", "MLP|Neuron", lambda: nn.scalar.MLP(2, [3, 1])([1.0]))

s = Section("nn/classic.py")
for name, args, kwargs in [
    ("zero-inputs", (0,), {}),
    ("activation", (2,), {"activation": "relu"}),
    ("weights-length", (2,), {"weights": [1.0]}),
    ("lr-negative", (2,), {"lr": -1.0}),
    ("lr-str", (2,), {"lr": "a"}),
]:
    s.add(
        f"Perceptron-{name}", "Perceptron", lambda args=args, kw=kwargs: nn.Perceptron(*args, **kw)
    )
s.add("Perceptron-update-length", "Perceptron", lambda: nn.Perceptron(2).update([1.0], 1))
s.add("Perceptron-update-label", "Perceptron", lambda: nn.Perceptron(2).update([1.0, 2.0], 5))
s.add("Perceptron-fit-lengths", "Perceptron", lambda: nn.Perceptron(2).fit([[0, 1]], [1, 0], 1))
s.add("McCullochPitts-threshold-str", "McCullochPitts", lambda: nn.McCullochPitts("a"))
s.add(
    "McCullochPitts-inhibitory-float",
    "McCullochPitts",
    lambda: nn.McCullochPitts(1, inhibitory=[1.5]),
)
s.add(
    "McCullochPitts-inhibitory-index",
    "McCullochPitts",
    lambda: nn.McCullochPitts(1, inhibitory=[5])([1, 0]),
    errors=OUT_OF_RANGE,
)
s.add("McCullochPitts-input-not-binary", "McCullochPitts", lambda: nn.McCullochPitts(1)([2, 0]))
s.add("McCullochPitts-input-none", "McCullochPitts", lambda: nn.McCullochPitts(1)(None))


# ---- optimizers ----------------------------------------------------------------------------------

s = Section("nn/optim")
for api, kwargs in [
    ("SGD", {"lr": -0.1}),
    ("SGD", {"lr": "a"}),
    ("SGD", {"lr": 0.1, "momentum": -1.0}),
    ("SGD", {"lr": 0.1, "nesterov": True}),
    ("Adam", {"lr": -1.0}),
    ("Adam", {"betas": (1.0, 0.999)}),
    ("Adam", {"betas": (0.9,)}),
    ("Adam", {"eps": -1e-8}),
    ("AdamW", {"lr": -1.0}),
    ("Adagrad", {"lr_decay": -1.0}),
    ("Adagrad", {"initial_accumulator_value": -1.0}),
    ("RMSprop", {"alpha": -0.5}),
    ("Adadelta", {"rho": 1.5}),
]:
    s.add(
        f"{api}-{'-'.join(f'{k}={v}' for k, v in kwargs.items())}",
        api,
        lambda api=api, kw=kwargs: getattr(nn.optim, api)([t(2, grad=True)], **kw),
        torch=lambda T, api=api, kw=kwargs: getattr(T.optim, api)(
            [T.zeros(2, requires_grad=True)], **kw
        ),
    )
for name, params, twin in [
    ("empty", lambda: [], lambda T: []),
    ("none", lambda: None, lambda T: None),
    ("one-tensor", lambda: t(2, grad=True), lambda T: T.zeros(2, requires_grad=True)),
    ("floats", lambda: [1.0, 2.0], lambda T: [1.0, 2.0]),
    ("groups-without-params", lambda: [{"lr": 0.1}], lambda T: [{"lr": 0.1}]),
]:
    s.add(
        f"SGD-params-{name}",
        "SGD",
        lambda params=params: nn.optim.SGD(params(), lr=0.1),
        torch=lambda T, twin=twin: T.optim.SGD(twin(T), lr=0.1),
    )


def _shared_groups() -> Any:
    w = t(2, grad=True)
    return nn.optim.SGD([{"params": [w]}, {"params": [w]}], lr=0.1)


def _torch_shared_groups(T: Any) -> Any:
    w = T.zeros(2, requires_grad=True)
    return T.optim.SGD([{"params": [w]}, {"params": [w]}], lr=0.1)


s.add("SGD-param-in-two-groups", "SGD", _shared_groups, torch=_torch_shared_groups)
s.add(
    "SGD-lr-zero",
    "SGD",
    lambda: nn.optim.SGD([t(2, grad=True)], lr=0.0),
    ACCEPTED,
    torch=lambda T: T.optim.SGD([T.zeros(2, requires_grad=True)], lr=0.0),
)
s.add(
    "Adam-betas-zero",
    "Adam",
    lambda: nn.optim.Adam([t(2, grad=True)], betas=(0.0, 0.0)),
    ACCEPTED,
    torch=lambda T: T.optim.Adam([T.zeros(2, requires_grad=True)], betas=(0.0, 0.0)),
)


# ---- data, metrics, gradcheck --------------------------------------------------------------------

s = Section("nn/data.py")
X, Y = np.zeros((4, 2)), np.arange(4)
for name, args, kwargs in [
    ("lengths", (X, Y[:3]), {}),
    ("batch-zero", (X, Y), {"batch_size": 0}),
    ("batch-float", (X, Y), {"batch_size": 2.5}),
    ("batch-str", (X, Y), {"batch_size": "a"}),
    ("x-none", (None, Y), {}),
    ("x-strings", (np.array([["a"], ["b"], ["c"], ["d"]]), Y), {}),
]:
    s.add(
        f"DataLoader-{name}",
        "DataLoader",
        lambda args=args, kw=kwargs: nn.data.DataLoader(*args, **kw),
    )
for name, args, kwargs in [
    ("lengths", (X, Y[:3]), {}),
    ("val-above-one", (X, Y), {"val_size": 1.5}),
    ("val-str", (X, Y), {"val_size": "a"}),
    ("nothing-left", (X, Y), {"val_size": 0.5, "test_size": 0.5}),
    ("test-count", (X, Y), {"test_size": 200}),
]:
    s.add(
        f"train_val_test_split-{name}",
        "train_val_test_split",
        lambda args=args, kw=kwargs: nn.data.train_val_test_split(*args, **kw),
    )
for name, call in [
    ("transform-unfitted", lambda: nn.data.Standardizer().transform(X)),
    ("fit-empty", lambda: nn.data.Standardizer().fit(np.zeros((0, 2)))),
    ("features", lambda: nn.data.Standardizer().fit(X).transform(np.zeros((4, 3)))),
    ("strings", lambda: nn.data.Standardizer().fit(np.array([["a"], ["b"]]))),
    ("axis", lambda: nn.data.Standardizer(axis=5).fit(X)),
]:
    s.add(f"Standardizer-{name}", "Standardizer", call)

s = Section("nn/metrics.py")
for api in ("accuracy", "precision", "recall", "f1", "confusion_matrix", "mse", "r2_score"):
    s.add(f"{api}-lengths", api, lambda api=api: getattr(nn.metrics, api)([1, 0, 1], [1, 0]))
s.add(
    "confusion_matrix-label-range",
    "confusion_matrix",
    lambda: nn.metrics.confusion_matrix([0, 1], [0, 3], num_classes=2),
)
s.add(
    "precision-average",
    "precision",
    lambda: nn.metrics.precision([0, 1], [0, 1], average="banana"),
)
s.add("mse-strings", "mse", lambda: nn.metrics.mse(["a"], [1.0]))

s = Section("autograd/gradcheck.py")
for name, args, kwargs in [
    ("eps-zero", (Value(1.0),), {"eps": 0.0}),
    ("eps-negative", (Value(1.0),), {"eps": -1e-6}),
    ("eps-str", (Value(1.0),), {"eps": "a"}),
    ("atol-negative", (Value(1.0),), {"atol": -1.0}),
    ("no-inputs", (), {}),
    ("float-input", (1.0,), {}),
    ("mixed-inputs", (Value(1.0), Tensor([1.0], requires_grad=True)), {}),
]:
    s.add(
        f"gradcheck-{name}",
        "gradcheck",
        lambda args=args, kw=kwargs: autograd.gradcheck(lambda *xs: xs[0] * 2, *args, **kw),
    )
s.add("gradcheck-not-callable", "gradcheck", lambda: autograd.gradcheck("f", Value(1.0)))


# ---- Module.load_state_dict ----------------------------------------------------------------------

s = Section("nn/module.py")


def _linear_state(**changes: Any) -> dict[str, Any]:
    """A state dict for ``nn.Linear(2, 1)`` with entries changed (None: removed)."""
    state = {"weight": np.zeros((1, 2), "float32"), "bias": np.zeros(1, "float32"), **changes}
    return {k: v for k, v in state.items() if v is not None}


def _torch_state(T: Any, **changes: Any) -> dict[str, Any]:
    state = {"weight": T.zeros(1, 2), "bias": T.zeros(1), **changes}
    return {k: v for k, v in state.items() if v is not None}


for name, state, twin, strict, outcome in [
    ("none", lambda: None, lambda T: None, True, RAISES),
    ("list", lambda: [], lambda T: [], True, RAISES),
    ("str", lambda: "a", lambda T: "a", True, RAISES),
    (
        "missing-key",
        lambda: _linear_state(bias=None),
        lambda T: _torch_state(T, bias=None),
        True,
        RAISES,
    ),
    (
        "unexpected-key",
        lambda: _linear_state(extra=np.zeros(1)),
        lambda T: _torch_state(T, extra=T.zeros(1)),
        True,
        RAISES,
    ),
    (
        "shape",
        lambda: _linear_state(weight=np.zeros((3, 2))),
        lambda T: _torch_state(T, weight=T.zeros(3, 2)),
        True,
        RAISES,
    ),
    (
        "shape-not-strict",
        lambda: _linear_state(weight=np.zeros((3, 2))),
        lambda T: _torch_state(T, weight=T.zeros(3, 2)),
        False,
        RAISES,
    ),
    (
        "str-value",
        lambda: _linear_state(weight="a"),
        lambda T: _torch_state(T, weight="a"),
        True,
        RAISES,
    ),
    (
        "missing-not-strict",
        lambda: _linear_state(bias=None),
        lambda T: _torch_state(T, bias=None),
        False,
        ACCEPTED,
    ),
    (
        "float64",
        lambda: _linear_state(weight=np.zeros((1, 2))),
        lambda T: _torch_state(T, weight=T.zeros(1, 2, dtype=T.float64)),
        True,
        ACCEPTED,
    ),
]:
    s.add(
        f"load_state_dict-{name}",
        "load_state_dict",
        lambda state=state, strict=strict: nn.Linear(2, 1).load_state_dict(state(), strict=strict),
        outcome,
        torch=lambda T, twin=twin, strict=strict: T.nn.Linear(2, 1).load_state_dict(
            twin(T), strict=strict
        ),
    )
s.add(
    "load_state_dict-own-state",
    "load_state_dict",
    lambda: nn.Linear(2, 1).load_state_dict(nn.Linear(2, 1).state_dict()),
    ACCEPTED,
    torch=lambda T: T.nn.Linear(2, 1).load_state_dict(T.nn.Linear(2, 1).state_dict()),
)


# ---- viz -----------------------------------------------------------------------------------------

s = Section("viz")
for name, kwargs in [
    ("style", {"style": "fancy"}),
    ("show", {"show": "everything"}),
    ("rankdir", {"rankdir": "XY"}),
    ("max-nodes-str", {"max_nodes": "a"}),
    ("digits-zero", {"digits": 0}),
    ("collapse", {"collapse": "layers"}),
    ("unknown-option", {"colour": "red"}),
]:
    s.add(f"draw-{name}", "draw", lambda kw=kwargs: viz.draw(slide(), **kw))
s.add("draw-none", "draw", lambda: viz.draw(None))
s.add("dot_source-style", "dot_source", lambda: viz.dot_source(slide(), style="fancy"))
s.add("backward_steps-show", "backward_steps", lambda: viz.backward_steps(slide(), show="forward"))
s.add(
    "backward_steps-max-nodes", "backward_steps", lambda: viz.backward_steps(slide(), max_nodes=2)
)
s.add("save-suffix", "save", lambda: viz.save(slide(), folder() / "graph.bmp"))
s.add("save-dpi-negative", "save", lambda: viz.save(slide(), folder() / "graph.png", dpi=-1))
s.add(
    "save_steps-format",
    "save_steps",
    lambda: viz.save_steps(slide(), folder(), file_format="bmp"),
)
s.add("play-widgets", "play", lambda: viz.play(slide(), widgets="maybe"))

_ids = [case.id for case in CASES]
assert len(_ids) == len(set(_ids)), sorted({i for i in _ids if _ids.count(i) > 1})


# ---- running the cases ---------------------------------------------------------------------------

CLEAR_ERROR = "clear error"
ACCEPTED_LIKE_TORCH = "accepted like torch"
UNCLEAR = "unclear error"
SILENT = "silently accepted"
REFUSED = "refused although torch accepts"


def names(message: str, api: str) -> bool:
    """Whether ``message`` names ``api`` as ``api:`` or ``api.method:``, or as Python's own
    ``api() got an unexpected keyword argument``; ``a|b``: either.

    >>> names("Tensor.sum: axis 2 is out of range", "sum"), names("axis 2 is out of bounds", "sum")
    (True, False)
    """
    return any(
        re.search(rf"(^|\W){re.escape(name)}(\.\w+)?(:|\(\) )", message, re.IGNORECASE)
        for name in api.split("|")
    )


def run(case: Case) -> tuple[str, str]:
    """The verdict on ``case`` and the error it gave (``Type: message``), if any."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            case.call()
        except Exception as e:  # every kind is judged below
            message = f"{type(e).__name__}: {' '.join(str(e).split())}"
            if case.outcome == ACCEPTED:
                return REFUSED, message
            clear = isinstance(e, case.errors) and names(str(e), case.api)
            return (CLEAR_ERROR if clear else UNCLEAR), message
    return (SILENT if case.outcome == RAISES else ACCEPTED_LIKE_TORCH), ""


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_bad_input_gets_a_clear_error_or_is_accepted_like_torch(case: Case) -> None:
    verdict, message = run(case)
    assert verdict in (CLEAR_ERROR, ACCEPTED_LIKE_TORCH), (
        f"{verdict} ({case.where}): {message or 'no error'}; expected "
        + (f"an error naming {case.api!r}" if case.outcome == RAISES else "no error")
    )


TWINS = [case for case in CASES if case.torch is not None]


@pytest.mark.parametrize("case", TWINS, ids=[case.id for case in TWINS])
def test_pytorch_agrees_with_the_expected_outcome(case: Case) -> None:
    """The table's claim about PyTorch, checked against PyTorch itself."""
    torch = pytest.importorskip("torch")
    assert case.torch is not None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            case.torch(torch)
        except Exception as e:
            refused: str | None = f"{type(e).__name__}: {e}"
        else:
            refused = None
    if case.outcome == RAISES:
        assert refused is not None, "PyTorch accepts this call"
    else:
        assert refused is None, f"PyTorch refuses this call: {refused}"


def summary() -> dict[str, list[tuple[Case, str]]]:
    """Run every case; print the counts, then each failure with its message, by owning file.

    Returns the cases by verdict, each with the error it gave.
    """
    verdicts: dict[str, list[tuple[Case, str]]] = defaultdict(list)
    for case in CASES:
        verdict, message = run(case)
        verdicts[verdict].append((case, message))
    print(f"total: {len(CASES)} cases ({sum(c.outcome == RAISES for c in CASES)} bad calls)")
    for verdict in (CLEAR_ERROR, ACCEPTED_LIKE_TORCH, UNCLEAR, SILENT, REFUSED):
        print(f"  {verdict}: {len(verdicts[verdict])}")
    for verdict in (UNCLEAR, SILENT, REFUSED):
        by_file: dict[str, list[tuple[Case, str]]] = defaultdict(list)
        for case, message in verdicts[verdict]:
            by_file[case.where].append((case, message))
        if by_file:
            print(f"\n{verdict}:")
        for where in sorted(by_file):
            print(f"  {where} ({len(by_file[where])})")
            for case, message in by_file[where]:
                print(f"    {case.id} [{case.api}]: {message[:160] or 'no error'}")
    return verdicts


if __name__ == "__main__":
    failed = summary()
    sys.exit(1 if failed[UNCLEAR] or failed[SILENT] or failed[REFUSED] else 0)
