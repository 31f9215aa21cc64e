"""`Parameter`: a `Tensor` that a `Module` counts as one of its parameters, frozen or not.

As in PyTorch, a module's ``parameters()`` lists every Parameter it holds whatever its
``requires_grad``, so freezing a layer (``requires_grad = False``) keeps it in the list and a
later ``p.requires_grad = True`` unfreezes it again.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd import Tensor, get_default_dtype


class Parameter(Tensor):
    """A leaf `Tensor` that modules list in ``parameters()``; every nn layer's weights are these.

    Args:
        data: a Tensor (shared, not copied: the Parameter looks into the same array and counts
            edits on the same version counter, as PyTorch's ``nn.Parameter(t)`` does), or a
            number, list or numpy array (copied, with the dtype rules of `Tensor`). None gives an
            empty tensor of the default dtype.
        requires_grad: whether `backward` fills its ``grad`` (False: frozen).

    The results of ops on a Parameter are plain Tensors, as in PyTorch.

    >>> from autograd import Tensor
    >>> w = Parameter(Tensor([1.0, 2.0]))
    >>> w.requires_grad, type(w * 2).__name__
    (True, 'Tensor')
    >>> w
    Parameter containing:
    Tensor([1., 2.], dtype=float32, requires_grad=True)
    """

    __slots__ = ()

    def __init__(self, data: Any = None, requires_grad: bool = True) -> None:
        if data is None:
            data = np.empty(0, dtype=get_default_dtype())
        if isinstance(data, Tensor):
            view = data.detach()  # a leaf on the same array and version counter
            super().__init__(np.empty(0, dtype=view.dtype), requires_grad=requires_grad)
            self._data = view._data
            self._counter = view._counter
        else:
            super().__init__(data, requires_grad=requires_grad)

    def __repr__(self) -> str:
        return "Parameter containing:\n" + super().__repr__()
