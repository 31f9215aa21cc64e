"""The engine's switches: recording (`no_grad`), anomaly checks, the default dtype.

Grad mode and anomaly mode belong to the thread that sets them, as in PyTorch: a new thread
starts with recording on and anomaly checks off, whatever other threads do. The default dtype
is one setting for the whole process (as ``torch.set_default_dtype``). Ops read the switches in
`flags` on every call, so each is one attribute lookup on the hot path (a thread-local one).
"""

from __future__ import annotations

import functools
import sys
import threading
from collections.abc import Callable
from typing import Any, TypeVar

import numpy as np

F = TypeVar("F", bound=Callable[..., Any])


class _Flags(threading.local):
    """The engine's mutable state: read by every op, changed only through this module's API.

    ``grad_enabled`` and ``anomaly`` (and the stacks of values to restore on leaving a block)
    are per thread: ``__init__`` runs once in every thread that reads them. ``default_dtype``
    lives on the class, shared by all threads.
    """

    default_dtype: np.dtype = np.dtype(np.float32)

    def __init__(self) -> None:
        self.grad_enabled = True
        self.anomaly = False
        self.grad_outer: list[bool] = []
        self.anomaly_outer: list[bool] = []


flags = _Flags()


class _GradMode:
    """What `no_grad` and `enable_grad` share: a context manager that is also a decorator.

    The value to restore goes on the calling thread's own stack, so one instance may be
    entered by several threads, or re-entered, at once. Neither method makes a call once it
    has changed the mode: Python delivers a KeyboardInterrupt only at a call, a function entry
    or a loop jump, so Ctrl-C cannot come between the switch and its bookkeeping.
    """

    _enabled = True

    def __enter__(self) -> None:
        state = flags
        state.grad_outer += (state.grad_enabled,)
        state.grad_enabled = self._enabled

    def __exit__(self, *exc: object) -> None:
        state = flags
        outer = state.grad_outer
        state.grad_enabled = outer[-1]
        del outer[-1]

    def __call__(self, fn: F) -> F:
        mode = type(self)

        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with mode():
                return fn(*args, **kwargs)

        return wrapper  # type: ignore[return-value]


class no_grad(_GradMode):  # noqa: N801 (PyTorch's name)
    """Within the block (or the decorated function) ops record nothing: no graph, no parents.

    Only the calling thread is affected; other threads keep recording.

    >>> from autograd import Tensor
    >>> w = Tensor([1.0, 2.0], requires_grad=True)
    >>> with no_grad():
    ...     y = w * 2
    >>> y.requires_grad, y.parents
    (False, ())
    >>> @no_grad()
    ... def predict(x):
    ...     return x * w
    >>> predict(3.0).requires_grad
    False
    """

    _enabled = False


class enable_grad(_GradMode):  # noqa: N801 (PyTorch's name)
    """Turn recording back on inside a `no_grad` block.

    >>> from autograd import Tensor
    >>> w = Tensor([1.0], requires_grad=True)
    >>> with no_grad():
    ...     with enable_grad():
    ...         y = w * 2
    >>> y.requires_grad
    True
    """


def is_grad_enabled() -> bool:
    """Whether ops record a graph right now, in this thread.

    >>> is_grad_enabled()
    True
    """
    return flags.grad_enabled


class detect_anomaly:  # noqa: N801 (PyTorch's name)
    """Raise at the first op whose result (forward) or input gradient (backward) has nan or inf.

    The error names the op and the line of user code that created it. Ops remember their creation
    site only while this mode is on, so the normal path stays cheap. Like `no_grad`, the mode is
    the calling thread's alone.

    >>> from autograd import Tensor
    >>> x = Tensor([0.0, 1.0], requires_grad=True)
    >>> with detect_anomaly():
    ...     y = x.log()  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    FloatingPointError: detect_anomaly: op 'log' produced nan or inf in its output ...
    """

    def __enter__(self) -> None:
        state = flags
        state.anomaly_outer += (state.anomaly,)
        state.anomaly = True

    def __exit__(self, *exc: object) -> None:
        state = flags
        outer = state.anomaly_outer
        state.anomaly = outer[-1]
        del outer[-1]

    def __call__(self, fn: F) -> F:
        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with detect_anomaly():
                return fn(*args, **kwargs)

        return wrapper  # type: ignore[return-value]


def creation_site() -> str:
    """``file:line in function`` of the innermost caller outside autograd and nn (anomaly mode)."""
    frame = sys._getframe(1)
    while frame is not None:
        name = frame.f_globals.get("__name__", "")
        if name not in ("autograd", "nn") and not name.startswith(("autograd.", "nn.")):
            code = frame.f_code
            return f"{code.co_filename}:{frame.f_lineno} in {code.co_name}"
        frame = frame.f_back  # type: ignore[assignment]
    return "<unknown>"


_FLOAT_DTYPES = (np.dtype(np.float32), np.dtype(np.float64))


def set_default_dtype(dtype: Any) -> None:
    """Set the dtype that Python numbers and lists become in `Tensor` and the factories.

    One setting for the whole process, in every thread (as in PyTorch).

    Args:
        dtype: ``float32`` (the default, as in PyTorch) or ``float64``, as a numpy dtype or name.

    >>> from autograd import Tensor
    >>> set_default_dtype("float64"); Tensor([1.0]).dtype
    dtype('float64')
    >>> set_default_dtype(np.float32); Tensor(1.0).dtype
    dtype('float32')
    """
    try:
        resolved = np.dtype(dtype) if dtype is not None else None
    except TypeError as err:
        raise TypeError(
            f"set_default_dtype: not a dtype; got {dtype!r}, expected float32 or float64"
        ) from err
    if resolved is None or resolved not in _FLOAT_DTYPES:
        raise TypeError(
            f"set_default_dtype: unsupported dtype; got {resolved}, expected float32 or float64"
        )
    _Flags.default_dtype = resolved  # on the class: the same for every thread


def get_default_dtype() -> np.dtype:
    """The dtype that Python numbers and lists become (float32 unless changed).

    >>> get_default_dtype()
    dtype('float32')
    """
    return flags.default_dtype
