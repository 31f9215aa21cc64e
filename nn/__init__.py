"""Neural networks on grafograd: modules and layers, scalar nets, classic neurons, losses,
optimizers, data, metrics and a training loop (PyTorch's names wherever PyTorch has one)."""

from nn import data, functional, metrics, optim, scalar
from nn.activations import ELU, LeakyReLU, ReLU, Sigmoid, Softmax, Tanh
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
    l1_penalty,
    l2_penalty,
)
from nn.models import MLP, LeNet
from nn.module import Module
from nn.training import EarlyStopping, History, fit

F = functional

__all__ = [
    "ELU",
    "MLP",
    "AvgPool2d",
    "BCELoss",
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
    "McCullochPitts",
    "Module",
    "Perceptron",
    "ReLU",
    "Sequential",
    "Sigmoid",
    "Softmax",
    "Tanh",
    "data",
    "fit",
    "functional",
    "l1_penalty",
    "l2_penalty",
    "metrics",
    "optim",
    "scalar",
]
