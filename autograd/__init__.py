"""grafograd's engine: scalar `Value` and n-d `Tensor` graphs, differentiated in reverse."""

from autograd import allocator as _allocator  # noqa: F401  (first: malloc keeps freed pages)
from autograd.factories import (
    arange,
    full,
    ones,
    ones_like,
    rand,
    randn,
    tensor,
    zeros,
    zeros_like,
)
from autograd.gradcheck import GradcheckError, gradcheck
from autograd.graph import topological_order
from autograd.modes import (
    detect_anomaly,
    enable_grad,
    get_default_dtype,
    is_grad_enabled,
    no_grad,
    set_default_dtype,
)
from autograd.ops.elementwise import maximum, minimum
from autograd.ops.linalg import matmul
from autograd.ops.shape import concatenate, stack
from autograd.random import manual_seed
from autograd.tensor import Tensor
from autograd.value import Value

__all__ = [
    "GradcheckError",
    "Tensor",
    "Value",
    "arange",
    "concatenate",
    "detect_anomaly",
    "enable_grad",
    "full",
    "get_default_dtype",
    "gradcheck",
    "is_grad_enabled",
    "manual_seed",
    "matmul",
    "maximum",
    "minimum",
    "no_grad",
    "ones",
    "ones_like",
    "rand",
    "randn",
    "set_default_dtype",
    "stack",
    "tensor",
    "topological_order",
    "zeros",
    "zeros_like",
]
