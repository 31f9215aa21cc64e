"""PyTorch's dtype and device names: ``autograd.float32`` is numpy's float32; the device is the CPU.

Code written for PyTorch ports by renaming ``torch`` to ``autograd``: ``dtype=autograd.long``, and
``x.to(device)`` after ``device = autograd.device("cuda" if autograd.cuda.is_available() else
"cpu")``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

# PyTorch's dtype names, as the numpy dtypes the engine computes with
float16 = half = np.dtype(np.float16)
float32 = np.dtype(np.float32)
float64 = double = np.dtype(np.float64)
int8 = np.dtype(np.int8)
int16 = short = np.dtype(np.int16)
int32 = np.dtype(np.int32)
int64 = long = np.dtype(np.int64)
uint8 = np.dtype(np.uint8)
bool_ = np.dtype(np.bool_)  # exported as ``autograd.bool``, PyTorch's name

# ``Tensor.type()`` strings: PyTorch's 'torch.FloatTensor' names, under this package's name
TYPE_NAMES: dict[np.dtype, str] = {
    float16: "autograd.HalfTensor",
    float32: "autograd.FloatTensor",
    float64: "autograd.DoubleTensor",
    int8: "autograd.CharTensor",
    int16: "autograd.ShortTensor",
    int32: "autograd.IntTensor",
    int64: "autograd.LongTensor",
    uint8: "autograd.ByteTensor",
    bool_: "autograd.BoolTensor",
}
DTYPES_BY_NAME: dict[str, np.dtype] = {name: dtype for dtype, name in TYPE_NAMES.items()}


class device:  # noqa: N801 (PyTorch's name)
    """A device, as ``torch.device``; only ``'cpu'`` (also ``'cpu:0'``) exists here.

    Any other device is a RuntimeError naming it, so that code written for a GPU says so at once
    instead of running somewhere else. A device equals another device or the string naming it.

    >>> device("cpu")
    device(type='cpu')
    >>> device("cpu") == "cpu", str(device("cpu:0"))
    (True, 'cpu')
    """

    __slots__ = ()
    type = "cpu"
    index = None

    def __init__(self, spec: Any = "cpu") -> None:
        check_device(spec, "device")

    def __repr__(self) -> str:
        return "device(type='cpu')"

    def __str__(self) -> str:
        return "cpu"

    def __eq__(self, other: object) -> bool:
        if isinstance(other, device):
            return True
        if isinstance(other, str):
            return other in _CPU_NAMES
        return NotImplemented

    def __hash__(self) -> int:
        return hash("cpu")


CPU = object.__new__(device)
_CPU_NAMES = ("cpu", "cpu:0")


def check_device(spec: Any, api: str) -> device:
    """The CPU for ``spec`` (None, ``'cpu'``, ``'cpu:0'``, a `device`, or an object whose ``type``
    is ``'cpu'`` such as ``torch.device('cpu')``); else a RuntimeError.

    >>> check_device("cpu", "zeros")
    device(type='cpu')
    """
    if spec is None or isinstance(spec, device) or (isinstance(spec, str) and spec in _CPU_NAMES):
        return CPU
    kind = getattr(spec, "type", None)  # a torch.device, or another library's device object
    if isinstance(kind, str) and not isinstance(spec, str):
        if kind == "cpu":
            return CPU
        spec = kind
    if isinstance(spec, (str, int)) and not isinstance(spec, bool):
        name = f"cuda:{spec}" if isinstance(spec, int) else spec
        raise RuntimeError(
            f"{api}: grafograd runs on the CPU only; got device {name!r}, expected 'cpu'. "
            "Drop the device argument, or choose it as "
            "device = 'cuda' if autograd.cuda.is_available() else 'cpu'"
        )
    raise TypeError(
        f"{api}: not a device; got {type(spec).__name__} {spec!r:.40}, expected 'cpu' or "
        "autograd.device('cpu')"
    )


class _Cuda:
    """``autograd.cuda``: PyTorch's ``torch.cuda`` queries, answering that there is no GPU."""

    __slots__ = ()

    @staticmethod
    def is_available() -> bool:
        """False: grafograd computes on the CPU.

        >>> cuda.is_available()
        False
        """
        return False

    @staticmethod
    def device_count() -> int:
        """0: there is no GPU to use."""
        return 0


cuda = _Cuda()
