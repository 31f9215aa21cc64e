"""Neural networks on grafograd: modules and layers, scalar nets, classic neurons, losses,
optimizers, data, metrics and a training loop."""

from nn import metrics, scalar
from nn.classic import McCullochPitts, Perceptron

__all__ = ["McCullochPitts", "Perceptron", "metrics", "scalar"]
