"""Tensor factories as in PyTorch: from data, fills, ranges, random draws seeded by `manual_seed`.

Every factory takes PyTorch's keywords ``dtype``, ``device`` (only ``'cpu'``) and
``requires_grad``; sizes come as ``zeros(2, 3)``, ``zeros((2, 3))`` or ``zeros(size=(2, 3))``.
"""

from __future__ import annotations

import math
import sys
from numbers import Real
from typing import Any

import numpy as np

from autograd.dtypes import check_device
from autograd.modes import flags
from autograd.random import generator
from autograd.record import _leaf, record
from autograd.tensor import Tensor, _short, as_dtype

# More elements than this cannot be allocated in any dtype (numpy's limit is in bytes).
_MAX_ELEMENTS = sys.maxsize // 16


def _dims(shape: tuple[Any, ...], api: str, size: Any = None) -> tuple[int, ...]:
    """``f(2, 3)``, ``f((2, 3))`` and ``f(size=(2, 3))`` all mean shape (2, 3)."""
    if size is not None:
        if shape:
            raise TypeError(
                f"{api}: give the sizes once; got {_short(shape)} and size={_short(size)}, "
                f"expected e.g. {api}(2, 3) or {api}(size=(2, 3))"
            )
        shape = (size,)
    dims = shape
    if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
        dims = tuple(shape[0])
    for n in dims:
        if not isinstance(n, (int, np.integer)) or isinstance(n, (bool, np.bool_)):
            raise TypeError(
                f"{api}: sizes must be ints; got {_short(shape)}, expected e.g. {api}(2, 3) or "
                f"{api}((2, 3))"
            )
        if n < 0:
            raise ValueError(f"{api}: sizes must be non-negative ints; got {_short(shape)}")
    dims = tuple(int(n) for n in dims)
    if max(dims, default=0) > _MAX_ELEMENTS or math.prod(dims) > _MAX_ELEMENTS:
        raise ValueError(
            f"{api}: shape too large; got {_short(dims)}, expected at most {_MAX_ELEMENTS} elements"
        )
    return dims


def _dtype(dtype: Any, api: str, device: Any = None) -> np.dtype:
    """``dtype`` checked, or the default float dtype; ``device`` must be the CPU."""
    check_device(device, api)
    return as_dtype(dtype, api) or flags.default_dtype


def _number(x: Any, api: str, name: str) -> Any:
    """A number argument (fill value, range bound), or a TypeError naming ``api``."""
    if not isinstance(x, Real):
        raise TypeError(f"{api}: {name} must be a number; got {type(x).__name__} {_short(x)}")
    return x


def _integer(x: Any) -> bool:
    """Whether ``x`` is an int (not a bool): PyTorch infers int64 from such numbers."""
    return isinstance(x, (int, np.integer)) and not isinstance(x, (bool, np.bool_))


def _new(data: np.ndarray, requires_grad: Any, api: str) -> Tensor:
    if not isinstance(requires_grad, (bool, np.bool_)):
        raise TypeError(
            f"{api}: requires_grad must be True or False; got {type(requires_grad).__name__} "
            f"{_short(requires_grad)}"
        )
    out = _leaf(data)
    if requires_grad:
        if data.dtype.kind != "f":
            raise TypeError(
                f"{api}: only floating-point tensors can require grad; got dtype {data.dtype}, "
                "expected float32 or float64"
            )
        out.requires_grad = True
    return out


def tensor(
    data: Any,
    *,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
    label: str = "",
) -> Tensor:
    """A new leaf from data, with ``torch.tensor``'s dtypes: Python ints give int64, bools
    bool, floats the default dtype (float32); numpy arrays and Tensors keep theirs. (The class
    `Tensor` makes floats of ints, as ``torch.Tensor`` does.)

    >>> tensor([1, 2]).dtype, tensor([True]).dtype, tensor([1, 2.5]).dtype
    (dtype('int64'), dtype('bool'), dtype('float32'))
    """
    check_device(device, "tensor")
    if dtype is None and isinstance(data, (list, tuple, Real)) and not isinstance(data, np.generic):
        try:
            array = np.asarray(data)
        except ValueError:  # ragged lists: Tensor says so
            array = np.asarray(None)
        kind = array.dtype.kind
        if kind in "biuf":
            data = array
            dtype = {"b": np.bool_, "i": np.int64, "f": flags.default_dtype}.get(kind)
        if kind in "uO" and all(_integer(x) for x in array.flat):
            raise ValueError(
                f"tensor: integer out of range for int64; got {_short(data)}, expected ints in "
                f"[{-(2**63)}, {2**63 - 1}], or floats: pass dtype='float32'"
            )
    return Tensor(data, requires_grad=requires_grad, dtype=dtype, label=label)


def as_tensor(data: Any, dtype: Any = None, device: Any = None) -> Tensor:
    """``data`` as a tensor without copying where it can: a Tensor of that dtype is returned
    itself, a numpy array of that dtype is shared (as `from_numpy`); anything else is converted
    as by `tensor`.

    >>> a = np.zeros(2); t = as_tensor(a); a[0] = 1.0; t.tolist()
    [1.0, 0.0]
    """
    check_device(device, "as_tensor")
    target = as_dtype(dtype, "as_tensor")
    if isinstance(data, Tensor) and target in (None, data._data.dtype):
        return data
    if isinstance(data, np.ndarray) and target in (None, data.dtype):
        return from_numpy(data)
    return tensor(data, dtype=target)


def zeros(
    *size: Any, dtype: Any = None, device: Any = None, requires_grad: bool = False, **kw: Any
) -> Tensor:
    """A tensor of zeros, ``zeros(2, 3)``, ``zeros((2, 3))`` or ``zeros(size=(2, 3))``.

    >>> zeros(2, 3).shape, zeros(size=(2,)).shape
    ((2, 3), (2,))
    """
    dims = _dims(size, "zeros", _size_keyword(kw, "zeros"))
    return _new(np.zeros(dims, _dtype(dtype, "zeros", device)), requires_grad, "zeros")


def _size_keyword(kw: dict[str, Any], api: str) -> Any:
    """PyTorch's ``size=`` keyword, the only one taken besides dtype, device and requires_grad."""
    extra = sorted(set(kw) - {"size"})
    if extra:
        raise TypeError(f"{api}() got an unexpected keyword argument {extra[0]!r}")
    return kw.get("size")


def ones(
    *size: Any, dtype: Any = None, device: Any = None, requires_grad: bool = False, **kw: Any
) -> Tensor:
    """A tensor of ones.

    >>> ones(2).tolist()
    [1.0, 1.0]
    """
    dims = _dims(size, "ones", _size_keyword(kw, "ones"))
    return _new(np.ones(dims, _dtype(dtype, "ones", device)), requires_grad, "ones")


def empty(
    *size: Any, dtype: Any = None, device: Any = None, requires_grad: bool = False, **kw: Any
) -> Tensor:
    """A tensor to be filled in: zeros here (PyTorch leaves the memory as it finds it).

    >>> empty(2).tolist()
    [0.0, 0.0]
    """
    dims = _dims(size, "empty", _size_keyword(kw, "empty"))
    return _new(np.zeros(dims, _dtype(dtype, "empty", device)), requires_grad, "empty")


def full(
    size: Any,
    fill_value: Any,
    *,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
) -> Tensor:
    """A tensor filled with ``fill_value``; as in PyTorch, an int fill gives int64, a bool fill
    bool, a float fill the default dtype.

    >>> full((2,), 7.0).tolist(), full((2,), 7).dtype
    ([7.0, 7.0], dtype('int64'))
    """
    dims = _dims((size,), "full")
    fill_value = _number(fill_value, "full", "fill_value")
    if dtype is None and isinstance(fill_value, (bool, np.bool_)):
        dtype = np.bool_
    elif dtype is None and _integer(fill_value):
        dtype = np.int64
    dtype = _dtype(dtype, "full", device)
    try:
        with np.errstate(over="ignore"):  # 1e300 in float32 is inf, as in PyTorch
            data = np.full(dims, fill_value, dtype)
    except OverflowError:
        raise ValueError(
            f"full: fill_value out of range for {dtype}; got {_short(fill_value)}"
        ) from None
    return _new(data, requires_grad, "full")


def _like(t: Any, dtype: Any, device: Any, api: str) -> tuple[tuple[int, ...], np.dtype]:
    """The shape of ``t`` and ``dtype`` (by default t's)."""
    check_device(device, api)
    if isinstance(t, Tensor):
        like = t._data
    elif isinstance(t, np.ndarray):
        like = t
    else:
        raise TypeError(f"{api}: expected a Tensor or an array; got {type(t).__name__}")
    return like.shape, as_dtype(like.dtype if dtype is None else dtype, api)  # type: ignore[return-value]


def zeros_like(
    t: Any, *, dtype: Any = None, device: Any = None, requires_grad: bool = False
) -> Tensor:
    """Zeros of ``t``'s shape and dtype.

    >>> zeros_like(ones(2, dtype="float64")).dtype
    dtype('float64')
    """
    shape, dtype = _like(t, dtype, device, "zeros_like")
    return _new(np.zeros(shape, dtype), requires_grad, "zeros_like")


def ones_like(
    t: Any, *, dtype: Any = None, device: Any = None, requires_grad: bool = False
) -> Tensor:
    """Ones of ``t``'s shape and dtype.

    >>> ones_like(zeros(3)).tolist()
    [1.0, 1.0, 1.0]
    """
    shape, dtype = _like(t, dtype, device, "ones_like")
    return _new(np.ones(shape, dtype), requires_grad, "ones_like")


def full_like(
    t: Any, fill_value: Any, *, dtype: Any = None, device: Any = None, requires_grad: bool = False
) -> Tensor:
    """``fill_value`` in ``t``'s shape and dtype.

    >>> full_like(zeros(2), 3).tolist()
    [3.0, 3.0]
    """
    shape, dtype = _like(t, dtype, device, "full_like")
    return full(shape, fill_value, dtype=dtype, requires_grad=requires_grad)


def arange(
    start: float,
    end: float | None = None,
    step: float = 1,
    *,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
) -> Tensor:
    """Evenly spaced values in [start, end): int64 when start, end and step are all ints (as in
    PyTorch), else the default float dtype, unless ``dtype`` is given.

    >>> arange(3).tolist(), arange(3).dtype
    ([0, 1, 2], dtype('int64'))
    >>> arange(1, 2, 0.5, dtype="float64").tolist()
    [1.0, 1.5]
    """
    first, last = (0, start) if end is None else (start, end)
    for name, bound in (("start", first), ("end", last), ("step", step)):
        _number(bound, "arange", name)
        try:
            finite = math.isfinite(bound)
        except OverflowError:  # an int beyond float range
            finite = False
        if not finite:
            raise ValueError(f"arange: {name} must be finite; got {_short(bound)}")
    if step == 0:
        raise ValueError("arange: step must not be zero; got step=0")
    if (last - first) * step < 0:
        raise ValueError(
            f"arange: step points away from end; got start={first}, end={last}, step={step}, "
            "expected a step with the sign of end - start (as in PyTorch)"
        )
    count = math.ceil((last - first) / step)
    if count > _MAX_ELEMENTS:
        raise ValueError(
            f"arange: too many values; got {count} from start={first}, end={last}, step={step}, "
            f"expected at most {_MAX_ELEMENTS}"
        )
    if dtype is None and all(_integer(b) for b in (first, last, step)):
        dtype = np.int64
    data = np.arange(first, last, step, dtype=_dtype(dtype, "arange", device))
    return _new(data, requires_grad, "arange")


def linspace(
    start: float,
    end: float,
    steps: int,
    *,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
) -> Tensor:
    """``steps`` evenly spaced values from ``start`` to ``end``, both included.

    >>> linspace(0, 1, 5).tolist()
    [0.0, 0.25, 0.5, 0.75, 1.0]
    """
    for name, bound in (("start", start), ("end", end)):
        if not math.isfinite(_number(bound, "linspace", name)):
            raise ValueError(f"linspace: {name} must be finite; got {_short(bound)}")
    if not _integer(steps):
        raise TypeError(
            f"linspace: steps must be an int; got {type(steps).__name__} {_short(steps)}, "
            "expected e.g. linspace(0, 1, 5)"
        )
    if steps < 0:
        raise ValueError(f"linspace: number of steps must be non-negative; got {steps}")
    dtype = _dtype(dtype, "linspace", device)
    # PyTorch's formula: the first half counts up from start, the second down from end, so both
    # ends are exact and the values are symmetric.
    i = np.arange(steps, dtype=np.float64)
    delta = (end - start) / (steps - 1) if steps > 1 else 0.0
    values = np.where(i < steps // 2, start + i * delta, end - (steps - 1 - i) * delta)
    if steps == 1:
        values[0] = start
    return _new(values.astype(dtype), requires_grad, "linspace")


def eye(
    n: int,
    m: int | None = None,
    *,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
) -> Tensor:
    """The ``n`` x ``m`` identity matrix (square by default).

    >>> eye(2, 3).tolist()
    [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]
    """
    rows, cols = _dims((n, n if m is None else m), "eye")
    return _new(np.eye(rows, cols, dtype=_dtype(dtype, "eye", device)), requires_grad, "eye")


def from_numpy(array: np.ndarray) -> Tensor:
    """A tensor over ``array`` itself: same memory, same dtype (edits show on both sides).

    >>> a = np.zeros(2, dtype=np.int32); t = from_numpy(a); a[0] = 5; t.tolist(), t.dtype
    ([5, 0], dtype('int32'))
    """
    if not isinstance(array, np.ndarray):
        raise TypeError(f"from_numpy: expected np.ndarray; got {type(array).__name__}")
    if array.dtype.kind not in "fiub":
        raise TypeError(
            f"from_numpy: unsupported dtype; got {array.dtype}, expected a float, integer or "
            "bool array"
        )
    return _leaf(array)


def randn(
    *size: Any, dtype: Any = None, device: Any = None, requires_grad: bool = False, **kw: Any
) -> Tensor:
    """Standard normal draws from the generator that `manual_seed` resets.

    >>> from autograd import manual_seed
    >>> _ = manual_seed(0); a = randn(2, 2)
    >>> _ = manual_seed(0); bool((randn(2, 2) == a).numpy().all())
    True
    """
    dims = _dims(size, "randn", _size_keyword(kw, "randn"))
    dtype = _dtype(dtype, "randn", device)
    draw = generator().standard_normal(dims, dtype=_generator_dtype(dtype, "randn"))
    return _new(draw.astype(dtype, copy=False), requires_grad, "randn")


def rand(
    *size: Any, dtype: Any = None, device: Any = None, requires_grad: bool = False, **kw: Any
) -> Tensor:
    """Uniform draws in [0, 1) from the generator that `manual_seed` resets.

    >>> r = rand(1000).numpy(); bool(0.0 <= r.min() and r.max() < 1.0)
    True
    """
    dims = _dims(size, "rand", _size_keyword(kw, "rand"))
    dtype = _dtype(dtype, "rand", device)
    draw = generator().random(dims, dtype=_generator_dtype(dtype, "rand"))
    return _new(draw.astype(dtype, copy=False), requires_grad, "rand")


def rand_like(
    t: Any, *, dtype: Any = None, device: Any = None, requires_grad: bool = False
) -> Tensor:
    """Uniform draws in [0, 1) of ``t``'s shape and dtype."""
    shape, dtype = _like(t, dtype, device, "rand_like")
    return rand(shape, dtype=dtype, requires_grad=requires_grad)


def randn_like(
    t: Any, *, dtype: Any = None, device: Any = None, requires_grad: bool = False
) -> Tensor:
    """Standard normal draws of ``t``'s shape and dtype."""
    shape, dtype = _like(t, dtype, device, "randn_like")
    return randn(shape, dtype=dtype, requires_grad=requires_grad)


def randperm(
    n: int, *, dtype: Any = None, device: Any = None, requires_grad: bool = False
) -> Tensor:
    """The integers 0..n-1 in a random order (int64 unless ``dtype`` is given), from the
    generator that `manual_seed` resets.

    >>> sorted(randperm(4).tolist())
    [0, 1, 2, 3]
    """
    (count,) = _dims((n,), "randperm")
    dtype = np.dtype(np.int64) if dtype is None else _dtype(dtype, "randperm")
    check_device(device, "randperm")
    draw = generator().permutation(count)
    return _new(draw.astype(dtype, copy=False), requires_grad, "randperm")


def randint(
    low: int = 0,
    high: int | None = None,
    size: Any = None,
    *,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
) -> Tensor:
    """Integers drawn uniformly from [low, high): ``randint(high, size)`` or
    ``randint(low, high, size)``; int64 unless ``dtype`` is given.

    >>> t = randint(3, 5, (100,)); t.dtype, sorted(set(t.tolist()))
    (dtype('int64'), [3, 4])
    """
    if size is None and isinstance(high, (tuple, list)):  # randint(high, size)
        low, high, size = 0, low, high
    elif high is None and size is not None:  # randint(high, size=size)
        low, high = 0, low
    if size is None or high is None:
        raise TypeError(
            "randint: size must be given, as a tuple of ints; got "
            f"randint({low!r}, {high!r}), expected e.g. randint(10, (3,)) or randint(0, 10, (3,))"
        )
    for name, bound in (("low", low), ("high", high)):
        if not _integer(bound):
            raise TypeError(
                f"randint: {name} must be an int; got {type(bound).__name__} {_short(bound)}"
            )
    if low >= high:
        raise ValueError(f"randint: low must be less than high; got low={low}, high={high}")
    dims = _dims((size,), "randint")
    dtype = np.dtype(np.int64) if dtype is None else _dtype(dtype, "randint")
    check_device(device, "randint")
    draw = generator().integers(low, high, dims, dtype=np.int64)
    return _new(draw.astype(dtype, copy=False), requires_grad, "randint")


def normal(
    mean: Any = 0.0,
    std: Any = 1.0,
    size: Any = None,
    *,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
) -> Tensor:
    """Normal draws, as ``torch.normal``: ``normal(mean, std, size)`` with numbers, or with a
    Tensor mean and/or std (their broadcast shape, their dtype, no ``size``).

    As in PyTorch, the draws pass a zero gradient back to a mean or std that requires grad.

    >>> normal(2.0, 3.0, (2, 3)).shape, normal(zeros(4), 1.0).shape
    ((2, 3), (4,))
    """
    check_device(device, "normal")
    tensors = [x for x in (mean, std) if isinstance(x, Tensor)]
    if not tensors:
        _number(mean, "normal", "mean")
        if _number(std, "normal", "std") < 0:
            raise ValueError(f"normal: std must be >= 0; got std={std}")
        if size is None:
            raise TypeError(
                "normal: with a number mean and std, size must be given; got "
                f"normal({mean!r}, {std!r}), expected e.g. normal(0.0, 1.0, (2, 3))"
            )
        dims, dtype = _dims((size,), "normal"), _dtype(dtype, "normal")
        draw = generator().standard_normal(dims, dtype=_generator_dtype(dtype, "normal"))
        return _new((mean + std * draw).astype(dtype, copy=False), requires_grad, "normal")
    if size is not None or dtype is not None or requires_grad:
        raise TypeError(
            "normal: with a Tensor mean or std, the result takes their shape and dtype; got "
            f"size={size!r}, dtype={dtype!r}, requires_grad={requires_grad!r}, expected none of "
            "them"
        )
    datas = [
        x._data if isinstance(x, Tensor) else _number(x, "normal", n)
        for x, n in ((mean, "mean"), (std, "std"))
    ]
    for t in tensors:
        if t._data.dtype.kind != "f":
            raise TypeError(
                f"normal: mean and std must be floating-point; got dtype {t._data.dtype}, "
                "expected float32 or float64. Convert first, e.g. mean.float()"
            )
    if np.any(np.asarray(datas[1]) < 0):
        raise ValueError(f"normal: std must be >= 0; got values down to {np.min(datas[1])}")
    try:
        shape = np.broadcast_shapes(np.shape(datas[0]), np.shape(datas[1]))
    except ValueError:
        raise ValueError(
            f"normal: mean and std shapes do not broadcast; got {np.shape(datas[0])} and "
            f"{np.shape(datas[1])}"
        ) from None
    dtype = np.result_type(*[t._data.dtype for t in tensors])
    draw = generator().standard_normal(shape, dtype=_generator_dtype(dtype, "normal"))
    values = (datas[0] + datas[1] * draw).astype(dtype, copy=False)
    likes = tuple(np.empty_like(d, shape=np.shape(d)) for d in datas)  # shape and dtype only
    return record(values, "normal", (mean, std), _normal_backward, (likes,))


def _normal_backward(g, needs, likes):
    # PyTorch's rule: the draws pass no gradient to their mean and std (zeros, not None)
    return tuple(np.zeros_like(like) if n else None for like, n in zip(likes, needs))


def _generator_dtype(dtype: np.dtype, api: str) -> np.dtype:
    if dtype.kind != "f":
        raise TypeError(
            f"{api}: random draws need a float dtype; got {dtype}, expected float32 or float64"
        )
    return dtype if dtype.itemsize in (4, 8) else np.dtype(np.float64)
