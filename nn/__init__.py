"""Neural networks on grafograd: modules and layers, scalar nets, classic neurons, losses,
optimizers, data, metrics and a training loop (PyTorch's names wherever PyTorch has one)."""

from nn import data, functional, init, metrics, optim, scalar
from nn.activations import ELU, GELU, LeakyReLU, Maxout, PReLU, ReLU, Sigmoid, SiLU, Softmax, Tanh
from nn.classic import McCullochPitts, Perceptron
from nn.container import Sequential
from nn.layers import AvgPool2d, Conv2d, Dropout, Flatten, Identity, Linear, MaxPool2d
from nn.losses import (
    BCELoss,
    BCEWithLogitsLoss,
    CrossEntropyLoss,
    HingeLoss,
    L1Loss,
    MSELoss,
    NLLLoss,
    l1_penalty,
    l2_penalty,
)
from nn.models import MLP, LeNet
from nn.module import Module
from nn.normalization import BatchNorm1d, BatchNorm2d
from nn.parameter import Parameter
from nn.torch_bridge import from_torch, to_torch
from nn.training import EarlyStopping, History, fit

F = functional

__all__ = [
    "ELU",
    "GELU",
    "MLP",
    "AvgPool2d",
    "BCELoss",
    "BatchNorm1d",
    "BatchNorm2d",
    "BCEWithLogitsLoss",
    "Conv2d",
    "CrossEntropyLoss",
    "Dropout",
    "EarlyStopping",
    "F",
    "Flatten",
    "HingeLoss",
    "History",
    "Identity",
    "L1Loss",
    "LeNet",
    "LeakyReLU",
    "Linear",
    "MSELoss",
    "MaxPool2d",
    "Maxout",
    "McCullochPitts",
    "Module",
    "NLLLoss",
    "PReLU",
    "Parameter",
    "Perceptron",
    "ReLU",
    "Sequential",
    "SiLU",
    "Sigmoid",
    "Softmax",
    "Tanh",
    "data",
    "fit",
    "from_torch",
    "functional",
    "init",
    "l1_penalty",
    "l2_penalty",
    "metrics",
    "optim",
    "scalar",
    "to_torch",
]
