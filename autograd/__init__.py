"""grafograd's engine: scalar `Value` and n-d `Tensor` graphs, differentiated in reverse."""

from autograd.gradcheck import GradcheckError, gradcheck
from autograd.graph import topological_order
from autograd.value import Value

__all__ = ["GradcheckError", "Value", "gradcheck", "topological_order"]
