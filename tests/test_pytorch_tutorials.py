"""PyTorch tutorials, ported by swapping names only, give PyTorch's numbers step by step.

Each tutorial is written once, as a student would write it for grafograd (``torch`` → ``autograd``,
``torch.nn`` → ``nn``, ``torch.optim`` → ``nn.optim``, ``F`` → ``nn.functional``), as a function of
those four names. It runs twice: with PyTorch's modules bound to the names (which is the tutorial
itself) and with ours, from the same initial values, and the numbers must agree.

Lines marked ``# scaffolding`` are not tutorial code: they record numbers instead of printing them,
hand both runs the same initial values, or stand in for torchvision's data. No tutorial line needs
a change beyond the name swap; should one ever need it, mark it ``# differs:`` with the tutorial's
original, and list it in the README's "Coming from PyTorch".

Sources: "Learning PyTorch with Examples" (all six PyTorch versions of the sin(x) fit), "A Gentle
Introduction to torch.autograd", "Neural Networks" and "Training a Classifier" (CIFAR-10) from
pytorch.org/tutorials; "Linear Regression Implementation from Scratch" and "Softmax Regression
Implementation from Scratch" from d2l.ai.
"""

# ruff: noqa: B007, UP008  (the tutorials' own unused loop names and super(Net, self))

from __future__ import annotations

import math
import random
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import autograd
import nn

torch = pytest.importorskip("torch")


@pytest.fixture(autouse=True, scope="module")
def one_torch_thread():
    """PyTorch's thread pool only slows these small ops on a busy machine (7x measured)."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


class SameStart:
    """Scaffolding: the PyTorch run records every initial value it is shown; our run, which comes
    next, is given the same values in the same order (and must have the same dtypes)."""

    def __init__(self) -> None:
        self.recorded: list[Any] = []
        self.replaying = False
        self.position = 0

    def __call__(self, *items: Any) -> None:
        for item in items:
            if self.replaying:
                load(item, self.recorded[self.position])
                self.position += 1
            else:
                self.recorded.append(values(item))


def values(item: Any) -> Any:
    """A copy of a torch tensor's values, or of a torch module's state, as numpy arrays."""
    if isinstance(item, torch.nn.Module):
        return {name: v.detach().numpy().copy() for name, v in item.state_dict().items()}
    return item.detach().numpy().copy()


def load(item: Any, recorded: Any) -> None:
    """Give one of our tensors or modules the values recorded from PyTorch's run."""
    if isinstance(item, nn.Module):
        assert list(item.state_dict()) == list(recorded), "parameter names differ from PyTorch"
        item.load_state_dict(recorded)
        return
    assert item.numpy().dtype == recorded.dtype, f"dtype {item.dtype}, PyTorch has {recorded.dtype}"
    assert item.shape == recorded.shape
    item.data = recorded.copy()


class TorchAsAutograd:
    """``torch`` under the name ``autograd``: after the swap, ``torch.autograd.Function`` reads
    ``autograd.Function``, so that one name is looked up in ``torch.autograd``."""

    Function = torch.autograd.Function

    def __getattr__(self, name: str) -> Any:
        return getattr(torch, name)


def run_both(program: Callable[..., dict[str, Any]], **kwargs: Any) -> tuple[dict, dict]:
    """(PyTorch's numbers, ours) for one tutorial program."""
    start = SameStart()
    random.seed(0)
    torch.manual_seed(0)
    theirs = program(TorchAsAutograd(), torch.nn, torch.optim, torch.nn.functional, start, **kwargs)
    start.replaying = True
    random.seed(0)
    autograd.manual_seed(0)
    ours = program(autograd, nn, nn.optim, nn.functional, start, **kwargs)
    assert start.position == len(start.recorded)
    return theirs, ours


def assert_same_numbers(theirs: dict, ours: dict, rtol: float, atol: float = 0.0) -> None:
    assert theirs.keys() == ours.keys()
    for key in theirs:
        if isinstance(theirs[key], dict):
            assert theirs[key] == ours[key], key
        else:
            np.testing.assert_allclose(
                np.asarray(ours[key], dtype=np.float64),
                np.asarray(theirs[key], dtype=np.float64),
                rtol=rtol,
                atol=atol,
                err_msg=key,
            )


def as_numbers(t: Any) -> np.ndarray:
    """Scaffolding: a tensor's values (or a gradient, a tensor in PyTorch) as a numpy array."""
    return np.array(t.detach().numpy() if hasattr(t, "detach") else t, dtype=np.float64)


# ---- "Learning PyTorch with Examples": a third-order polynomial fitted to sin(x) -------------


def polynomial_autograd(autograd, nn, optim, F, start, steps):
    dtype = autograd.float
    device = autograd.device("cpu")
    # Create Tensors to hold input and outputs.
    x = autograd.linspace(-math.pi, math.pi, 2000, device=device, dtype=dtype)
    y = autograd.sin(x)
    # Create random Tensors for weights.
    a = autograd.randn((), device=device, dtype=dtype, requires_grad=True)
    b = autograd.randn((), device=device, dtype=dtype, requires_grad=True)
    c = autograd.randn((), device=device, dtype=dtype, requires_grad=True)
    d = autograd.randn((), device=device, dtype=dtype, requires_grad=True)
    start(a, b, c, d)  # scaffolding
    losses = []  # scaffolding

    learning_rate = 1e-6
    for t in range(steps):
        y_pred = a + b * x + c * x**2 + d * x**3
        loss = (y_pred - y).pow(2).sum()
        losses.append(loss.item())  # scaffolding: the tutorial prints it every 100 steps
        loss.backward()
        with autograd.no_grad():
            a -= learning_rate * a.grad
            b -= learning_rate * b.grad
            c -= learning_rate * c.grad
            d -= learning_rate * d.grad
            # Manually zero the gradients after updating weights
            a.grad = None
            b.grad = None
            c.grad = None
            d.grad = None
    return {"losses": losses, "result": [a.item(), b.item(), c.item(), d.item()]}


def polynomial_tensors(autograd, nn, optim, F, start, steps):
    dtype = autograd.float
    device = autograd.device("cpu")
    x = autograd.linspace(-math.pi, math.pi, 2000, device=device, dtype=dtype)
    y = autograd.sin(x)
    a = autograd.randn((), device=device, dtype=dtype)
    b = autograd.randn((), device=device, dtype=dtype)
    c = autograd.randn((), device=device, dtype=dtype)
    d = autograd.randn((), device=device, dtype=dtype)
    start(a, b, c, d)  # scaffolding
    losses = []  # scaffolding

    learning_rate = 1e-6
    for t in range(steps):
        # Forward pass: compute predicted y
        y_pred = a + b * x + c * x**2 + d * x**3
        loss = (y_pred - y).pow(2).sum().item()
        losses.append(loss)  # scaffolding
        # Backprop to compute gradients of a, b, c, d with respect to loss
        grad_y_pred = 2.0 * (y_pred - y)
        grad_a = grad_y_pred.sum()
        grad_b = (grad_y_pred * x).sum()
        grad_c = (grad_y_pred * x**2).sum()
        grad_d = (grad_y_pred * x**3).sum()
        # Update weights using gradient descent
        a -= learning_rate * grad_a
        b -= learning_rate * grad_b
        c -= learning_rate * grad_c
        d -= learning_rate * grad_d
    return {"losses": losses, "result": [a.item(), b.item(), c.item(), d.item()]}


def polynomial_nn(autograd, nn, optim, F, start, steps):
    x = autograd.linspace(-math.pi, math.pi, 2000)
    y = autograd.sin(x)
    # y is a linear function of (x, x^2, x^3): prepare the tensor (x, x^2, x^3).
    p = autograd.tensor([1, 2, 3])
    xx = x.unsqueeze(-1).pow(p)
    model = nn.Sequential(nn.Linear(3, 1), nn.Flatten(0, 1))
    start(model)  # scaffolding
    loss_fn = nn.MSELoss(reduction="sum")
    losses = []  # scaffolding

    learning_rate = 1e-6
    for t in range(steps):
        y_pred = model(xx)
        loss = loss_fn(y_pred, y)
        losses.append(loss.item())  # scaffolding
        # Zero the gradients before running the backward pass.
        model.zero_grad()
        loss.backward()
        # Update the weights using gradient descent.
        with autograd.no_grad():
            for param in model.parameters():
                param -= learning_rate * param.grad

    linear_layer = model[0]
    result = [
        linear_layer.bias.item(),
        linear_layer.weight[:, 0].item(),
        linear_layer.weight[:, 1].item(),
        linear_layer.weight[:, 2].item(),
    ]
    return {"losses": losses, "result": result}


def polynomial_optim(autograd, nn, optim, F, start, steps):
    x = autograd.linspace(-math.pi, math.pi, 2000)
    y = autograd.sin(x)
    p = autograd.tensor([1, 2, 3])
    xx = x.unsqueeze(-1).pow(p)
    model = nn.Sequential(nn.Linear(3, 1), nn.Flatten(0, 1))
    start(model)  # scaffolding
    loss_fn = nn.MSELoss(reduction="sum")
    losses = []  # scaffolding

    learning_rate = 1e-3
    optimizer = optim.RMSprop(model.parameters(), lr=learning_rate)
    for t in range(steps):
        y_pred = model(xx)
        loss = loss_fn(y_pred, y)
        losses.append(loss.item())  # scaffolding
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()

    linear_layer = model[0]
    result = [linear_layer.bias.item(), *linear_layer.weight.detach().numpy().ravel()]
    return {"losses": losses, "result": result}


def polynomial_module(autograd, nn, optim, F, start, steps):
    class Polynomial3(nn.Module):
        def __init__(self):
            """Instantiate four parameters and assign them as members."""
            super().__init__()
            self.a = nn.Parameter(autograd.randn(()))
            self.b = nn.Parameter(autograd.randn(()))
            self.c = nn.Parameter(autograd.randn(()))
            self.d = nn.Parameter(autograd.randn(()))

        def forward(self, x):
            return self.a + self.b * x + self.c * x**2 + self.d * x**3

        def string(self):
            return (
                f"y = {self.a.item()} + {self.b.item()} x + {self.c.item()} x^2 + "
                f"{self.d.item()} x^3"
            )

    x = autograd.linspace(-math.pi, math.pi, 2000)
    y = autograd.sin(x)
    model = Polynomial3()
    start(model)  # scaffolding
    losses = []  # scaffolding

    criterion = nn.MSELoss(reduction="sum")
    optimizer = optim.SGD(model.parameters(), lr=1e-6)
    for t in range(steps):
        y_pred = model(x)
        loss = criterion(y_pred, y)
        losses.append(loss.item())  # scaffolding
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    assert model.string().startswith("y = ")
    return {"losses": losses, "result": [float(v) for v in model.state_dict().values()]}


def polynomial_function(autograd, nn, optim, F, start, steps):
    class LegendrePolynomial3(autograd.Function):
        """We can implement our own custom autograd Functions by subclassing
        torch.autograd.Function and implementing the forward and backward passes
        which operate on Tensors."""

        @staticmethod
        def forward(ctx, input):
            ctx.save_for_backward(input)
            return 0.5 * (5 * input**3 - 3 * input)

        @staticmethod
        def backward(ctx, grad_output):
            (input,) = ctx.saved_tensors
            return grad_output * 1.5 * (5 * input**2 - 1)

    dtype = autograd.float
    device = autograd.device("cpu")
    x = autograd.linspace(-math.pi, math.pi, 2000, device=device, dtype=dtype)
    y = autograd.sin(x)
    # For this example we need 4 weights; they are initialised not too far from the right result.
    a = autograd.full((), 0.0, device=device, dtype=dtype, requires_grad=True)
    b = autograd.full((), -1.0, device=device, dtype=dtype, requires_grad=True)
    c = autograd.full((), 0.0, device=device, dtype=dtype, requires_grad=True)
    d = autograd.full((), 0.3, device=device, dtype=dtype, requires_grad=True)
    losses = []  # scaffolding

    learning_rate = 5e-6
    for t in range(steps):
        # To apply our Function, we use Function.apply method. We alias this as 'P3'.
        P3 = LegendrePolynomial3.apply
        y_pred = a + b * P3(c + d * x)
        loss = (y_pred - y).pow(2).sum()
        losses.append(loss.item())  # scaffolding
        loss.backward()
        with autograd.no_grad():
            a -= learning_rate * a.grad
            b -= learning_rate * b.grad
            c -= learning_rate * c.grad
            d -= learning_rate * d.grad
            a.grad = None
            b.grad = None
            c.grad = None
            d.grad = None
    return {"losses": losses, "result": [a.item(), b.item(), c.item(), d.item()]}


def polynomial_dynamic(autograd, nn, optim, F, start, steps):
    class DynamicNet(nn.Module):
        def __init__(self):
            """Instantiate five parameters and assign them as members."""
            super().__init__()
            self.a = nn.Parameter(autograd.randn(()))
            self.b = nn.Parameter(autograd.randn(()))
            self.c = nn.Parameter(autograd.randn(()))
            self.d = nn.Parameter(autograd.randn(()))
            self.e = nn.Parameter(autograd.randn(()))

        def forward(self, x):
            """Choose 4, 5 (or 6: randint includes 6) terms at random, reusing parameter e
            for the fourth and higher order terms."""
            y = self.a + self.b * x + self.c * x**2 + self.d * x**3
            for exp in range(4, random.randint(4, 6)):
                y = y + self.e * x**exp
            return y

    x = autograd.linspace(-math.pi, math.pi, 2000)
    y = autograd.sin(x)
    model = DynamicNet()
    start(model)  # scaffolding
    losses = []  # scaffolding

    criterion = nn.MSELoss(reduction="sum")
    optimizer = optim.SGD(model.parameters(), lr=1e-8, momentum=0.9)
    for t in range(steps):
        y_pred = model(x)
        loss = criterion(y_pred, y)
        losses.append(loss.item())  # scaffolding
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return {"losses": losses, "result": [float(v) for v in model.state_dict().values()]}


@pytest.mark.parametrize(
    "program",
    [
        polynomial_dynamic,
        polynomial_tensors,
        polynomial_autograd,
        polynomial_nn,
        polynomial_optim,
        polynomial_module,
        polynomial_function,
    ],
)
def test_learning_pytorch_with_examples(program) -> None:
    theirs, ours = run_both(program, steps=300)
    # float32 sums over 2000 points, in a different order than PyTorch's
    assert_same_numbers(theirs, ours, rtol=2e-4, atol=1e-6)
    assert ours["losses"][-1] < ours["losses"][0]


# ---- "A Gentle Introduction to torch.autograd" -----------------------------------------------


def gentle_autograd_introduction(autograd, nn, optim, F, start):
    numbers = {}  # scaffolding
    a = autograd.tensor([2.0, 3.0], requires_grad=True)
    b = autograd.tensor([6.0, 4.0], requires_grad=True)
    Q = 3 * a**3 - b**2
    external_grad = autograd.tensor([1.0, 1.0])
    Q.backward(gradient=external_grad)
    # check if collected gradients are correct
    numbers["a.grad is 9a^2"] = (9 * a**2 == a.grad).tolist()
    numbers["b.grad is -2b"] = (-2 * b == b.grad).tolist()

    x = autograd.rand(5, 5)
    y = autograd.rand(5, 5)
    z = autograd.rand((5, 5), requires_grad=True)
    a = x + y
    numbers["Does `a` require gradients?"] = [a.requires_grad]
    b = x + z
    numbers["Does `b` require gradients?"] = [b.requires_grad]

    class Net(nn.Module):  # scaffolding: a small stand-in for resnet18 and its classifier fc
        def __init__(self):
            super().__init__()
            self.features = nn.Linear(8, 6)
            self.fc = nn.Linear(6, 4)

        def forward(self, x):
            return self.fc(F.relu(self.features(x)))

    model = Net()  # the tutorial: resnet18(weights=ResNet18_Weights.DEFAULT)
    # Freeze all the parameters in the network
    for param in model.parameters():
        param.requires_grad = False
    model.fc = nn.Linear(6, 10)  # the tutorial has nn.Linear(512, 10)
    start(model)  # scaffolding
    # Optimize only the classifier
    optimizer = optim.SGD(model.parameters(), lr=1e-2, momentum=0.9)
    inputs = autograd.randn(3, 8)
    start(inputs)  # scaffolding
    loss = model(inputs).pow(2).sum()
    loss.backward()
    optimizer.step()
    numbers["frozen grads are None"] = [p.grad is None for p in model.parameters()]
    numbers["after step"] = np.concatenate([as_numbers(p).ravel() for p in model.parameters()])
    return numbers


def test_gentle_introduction_to_autograd() -> None:
    theirs, ours = run_both(gentle_autograd_introduction)
    assert_same_numbers(theirs, ours, rtol=1e-6, atol=1e-7)
    assert ours["frozen grads are None"] == [True, True, False, False]


# ---- "Neural Networks": LeNet on one 32×32 image --------------------------------------------


def neural_networks_tutorial(autograd, nn, optim, F, start, flatten):
    class Net(nn.Module):
        def __init__(self):
            super(Net, self).__init__()
            # 1 input image channel, 6 output channels, 5x5 square convolution kernel
            self.conv1 = nn.Conv2d(1, 6, 5)
            self.conv2 = nn.Conv2d(6, 16, 5)
            # an affine operation: y = Wx + b
            self.fc1 = nn.Linear(16 * 5 * 5, 120)  # 5*5 from image dimension
            self.fc2 = nn.Linear(120, 84)
            self.fc3 = nn.Linear(84, 10)

        def forward(self, x):
            # Max pooling over a (2, 2) window
            x = F.max_pool2d(F.relu(self.conv1(x)), (2, 2))
            # If the size is a square, you can specify with a single number
            x = F.max_pool2d(F.relu(self.conv2(x)), 2)
            if flatten:  # scaffolding: the tutorial's current and earlier versions
                x = autograd.flatten(x, 1)  # flatten all dimensions except the batch dimension
            else:
                x = x.view(-1, self.num_flat_features(x))
            x = F.relu(self.fc1(x))
            x = F.relu(self.fc2(x))
            x = self.fc3(x)
            return x

        def num_flat_features(self, x):
            size = x.size()[1:]  # all dimensions except the batch dimension
            num_features = 1
            for s in size:
                num_features *= s
            return num_features

    numbers = {}  # scaffolding
    net = Net()
    start(net)  # scaffolding
    params = list(net.parameters())
    numbers["sizes"] = [len(params), *params[0].size()]  # scaffolding
    input = autograd.randn(1, 1, 32, 32)
    start(input)  # scaffolding
    out = net(input)
    numbers["out"] = as_numbers(out)  # scaffolding

    net.zero_grad()
    grad = autograd.randn(1, 10)
    start(grad)  # scaffolding
    out.backward(grad)
    numbers["conv1.weight.grad"] = as_numbers(net.conv1.weight.grad)  # scaffolding

    output = net(input)
    target = autograd.randn(10)  # a dummy target, for example
    start(target)  # scaffolding
    target = target.view(1, -1)  # make it the same shape as output
    criterion = nn.MSELoss()
    loss = criterion(output, target)
    numbers["loss"] = loss.item()  # scaffolding

    net.zero_grad()  # zeroes the gradient buffers of all parameters
    assert net.conv1.bias.grad is None  # scaffolding: the tutorial prints it
    loss.backward()
    numbers["conv1.bias.grad"] = as_numbers(net.conv1.bias.grad)  # scaffolding

    learning_rate = 0.01
    for f in net.parameters():
        f.data.sub_(f.grad.data * learning_rate)
    numbers["after manual update"] = as_numbers(net.fc3.weight)  # scaffolding

    # create your optimizer
    optimizer = optim.SGD(net.parameters(), lr=0.01)
    # in your training loop:
    optimizer.zero_grad()  # zero the gradient buffers
    output = net(input)
    loss = criterion(output, target)
    loss.backward()
    optimizer.step()  # Does the update
    numbers["loss after manual update"] = loss.item()  # scaffolding
    numbers["after step"] = as_numbers(net.conv1.weight)  # scaffolding
    return numbers


@pytest.mark.parametrize("flatten", [True, False], ids=["torch.flatten", "view"])
def test_neural_networks_tutorial(flatten) -> None:
    theirs, ours = run_both(neural_networks_tutorial, flatten=flatten)
    assert_same_numbers(theirs, ours, rtol=1e-4, atol=1e-6)


# ---- "Training a Classifier": the CIFAR-10 training and accuracy loops, on random images -----

CLASSES = ("plane", "car", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck")


def cifar_batches(autograd, n_batches: int, seed: int) -> list:
    """Scaffolding, in place of torchvision's loader: batches of 4 random 3×32×32 images."""
    rng = np.random.default_rng(seed)
    return [
        (
            autograd.tensor(rng.normal(size=(4, 3, 32, 32)).astype(np.float32)),
            autograd.tensor(rng.integers(0, 10, size=4)),
        )
        for _ in range(n_batches)
    ]


def cifar_tutorial(autograd, nn, optim, F, start, epochs):
    trainloader = cifar_batches(autograd, 6, seed=1)  # scaffolding
    testloader = cifar_batches(autograd, 4, seed=2)  # scaffolding
    classes = CLASSES

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv1 = nn.Conv2d(3, 6, 5)
            self.pool = nn.MaxPool2d(2, 2)
            self.conv2 = nn.Conv2d(6, 16, 5)
            self.fc1 = nn.Linear(16 * 5 * 5, 120)
            self.fc2 = nn.Linear(120, 84)
            self.fc3 = nn.Linear(84, 10)

        def forward(self, x):
            x = self.pool(F.relu(self.conv1(x)))
            x = self.pool(F.relu(self.conv2(x)))
            x = autograd.flatten(x, 1)  # flatten all dimensions except batch
            x = F.relu(self.fc1(x))
            x = F.relu(self.fc2(x))
            x = self.fc3(x)
            return x

    net = Net()
    start(net)  # scaffolding
    criterion = nn.CrossEntropyLoss()
    optimizer = optim.SGD(net.parameters(), lr=0.001, momentum=0.9)
    losses = []  # scaffolding

    for epoch in range(epochs):  # loop over the dataset multiple times
        running_loss = 0.0
        for i, data in enumerate(trainloader, 0):
            # get the inputs; data is a list of [inputs, labels]
            inputs, labels = data
            # zero the parameter gradients
            optimizer.zero_grad()
            # forward + backward + optimize
            outputs = net(inputs)
            loss = criterion(outputs, labels)
            loss.backward()
            optimizer.step()
            # print statistics
            running_loss += loss.item()
            losses.append(running_loss)  # scaffolding: the tutorial prints every 2000 batches

    correct = 0
    total = 0
    # since we're not training, we don't need to calculate the gradients for our outputs
    with autograd.no_grad():
        for data in testloader:
            images, labels = data
            # calculate outputs by running images through the network
            outputs = net(images)
            # the class with the highest energy is what we choose as prediction
            _, predicted = autograd.max(outputs.data, 1)
            total += labels.size(0)
            correct += (predicted == labels).sum().item()

    # prepare to count predictions for each class
    correct_pred = {classname: 0 for classname in classes}
    total_pred = {classname: 0 for classname in classes}
    # again no gradients needed
    with autograd.no_grad():
        for data in testloader:
            images, labels = data
            outputs = net(images)
            _, predictions = autograd.max(outputs, 1)
            # collect the correct predictions for each class
            for label, prediction in zip(labels, predictions):
                if label == prediction:
                    correct_pred[classes[label]] += 1
                total_pred[classes[label]] += 1
    return {
        "running losses": losses,
        "correct and total": [correct, total],
        "correct per class": correct_pred,
        "total per class": total_pred,
    }


def test_cifar10_training_and_accuracy_loops() -> None:
    theirs, ours = run_both(cifar_tutorial, epochs=2)
    assert_same_numbers(theirs, ours, rtol=1e-4, atol=1e-6)
    assert sum(ours["total per class"].values()) == 16


# ---- d2l: linear regression from scratch -----------------------------------------------------


def d2l_linear_regression(autograd, nn, optim, F, start, num_epochs):
    def synthetic_data(w, b, num_examples):
        """Generate y = Xw + b + noise."""
        X = autograd.normal(0, 1, (num_examples, len(w)))
        y = autograd.matmul(X, w) + b
        y += autograd.normal(0, 0.01, y.shape)
        return X, y.reshape((-1, 1))

    true_w = autograd.tensor([2, -3.4])
    true_b = 4.2
    features, labels = synthetic_data(true_w, true_b, 1000)
    start(features, labels)  # scaffolding

    def data_iter(batch_size, features, labels):
        num_examples = len(features)
        indices = list(range(num_examples))
        # The examples are read at random, in no particular order
        random.shuffle(indices)
        for i in range(0, num_examples, batch_size):
            batch_indices = autograd.tensor(indices[i : min(i + batch_size, num_examples)])
            yield features[batch_indices], labels[batch_indices]

    batch_size = 10
    w = autograd.normal(0, 0.01, size=(2, 1), requires_grad=True)
    b = autograd.zeros(1, requires_grad=True)
    start(w)  # scaffolding

    def linreg(X, w, b):
        """The linear regression model."""
        return autograd.matmul(X, w) + b

    def squared_loss(y_hat, y):
        """Squared loss."""
        return (y_hat - y.reshape(y_hat.shape)) ** 2 / 2

    def sgd(params, lr, batch_size):
        """Minibatch stochastic gradient descent."""
        with autograd.no_grad():
            for param in params:
                param -= lr * param.grad / batch_size
                param.grad.zero_()

    lr = 0.03
    net = linreg
    loss = squared_loss
    epoch_losses = []  # scaffolding
    for epoch in range(num_epochs):
        for X, y in data_iter(batch_size, features, labels):
            l = loss(net(X, w, b), y)  # noqa: E741  (d2l's name)
            # Compute gradient on l with respect to [w, b]
            l.sum().backward()
            sgd([w, b], lr, batch_size)  # Update parameters using their gradient
        with autograd.no_grad():
            train_l = loss(net(features, w, b), labels)
            epoch_losses.append(float(train_l.mean()))  # scaffolding: d2l prints it
    return {
        "epoch losses": epoch_losses,
        "error in estimating w": as_numbers(true_w - w.reshape(true_w.shape)),
        "error in estimating b": true_b - b.item(),
    }


def test_d2l_linear_regression_from_scratch() -> None:
    theirs, ours = run_both(d2l_linear_regression, num_epochs=3)
    assert_same_numbers(theirs, ours, rtol=1e-4, atol=1e-6)
    assert ours["epoch losses"][-1] < 1e-3


# ---- d2l: softmax regression from scratch, on random 28×28 images ---------------------------


def d2l_softmax_regression(autograd, nn, optim, F, start, num_epochs):
    rng = np.random.default_rng(3)  # scaffolding: random images in place of Fashion-MNIST
    train_iter = [  # scaffolding
        (
            autograd.tensor(rng.random((16, 1, 28, 28), dtype=np.float32)),
            autograd.tensor(rng.integers(0, 10, size=16)),
        )
        for _ in range(4)
    ]

    num_inputs = 784
    num_outputs = 10
    W = autograd.normal(0, 0.01, size=(num_inputs, num_outputs), requires_grad=True)
    b = autograd.zeros(num_outputs, requires_grad=True)
    start(W)  # scaffolding

    def softmax(X):
        X_exp = autograd.exp(X)
        partition = X_exp.sum(1, keepdim=True)
        return X_exp / partition  # The broadcasting mechanism is applied here

    def net(X):
        return softmax(autograd.matmul(X.reshape((-1, W.shape[0])), W) + b)

    def cross_entropy(y_hat, y):
        return -autograd.log(y_hat[range(len(y_hat)), y])

    def accuracy(y_hat, y):
        """Compute the number of correct predictions."""
        if len(y_hat.shape) > 1 and y_hat.shape[1] > 1:
            y_hat = y_hat.argmax(axis=1)
        cmp = y_hat.type(y.dtype) == y
        return float(cmp.type(y.dtype).sum())

    class Accumulator:
        """For accumulating sums over `n` variables."""

        def __init__(self, n):
            self.data = [0.0] * n

        def add(self, *args):
            self.data = [a + float(b) for a, b in zip(self.data, args)]

        def __getitem__(self, idx):
            return self.data[idx]

    def sgd(params, lr, batch_size):
        with autograd.no_grad():
            for param in params:
                param -= lr * param.grad / batch_size
                param.grad.zero_()

    lr = 0.1

    def updater(batch_size):
        return sgd([W, b], lr, batch_size)

    def train_epoch_ch3(net, train_iter, loss, updater):
        """Train a model within one epoch."""
        # Sum of training loss, sum of training accuracy, no. of examples
        metric = Accumulator(3)
        for X, y in train_iter:
            # Compute gradients and update parameters
            y_hat = net(X)
            l = loss(y_hat, y)  # noqa: E741  (d2l's name)
            if isinstance(updater, optim.Optimizer):
                # Using PyTorch in-built optimizer & loss criterion
                updater.zero_grad()
                l.mean().backward()
                updater.step()
            else:
                # Using custom built optimizer & loss criterion
                l.sum().backward()
                updater(X.shape[0])
            metric.add(float(l.sum()), accuracy(y_hat, y), y.numel())
        # Return training loss and training accuracy
        return metric[0] / metric[2], metric[1] / metric[2]

    history = []  # scaffolding
    for epoch in range(num_epochs):
        history.extend(train_epoch_ch3(net, train_iter, cross_entropy, updater))
    return {"loss and accuracy per epoch": history, "W": as_numbers(W)}


@pytest.mark.filterwarnings("ignore:Converting a tensor with requires_grad=True:UserWarning")
def test_d2l_softmax_regression_from_scratch() -> None:  # PyTorch warns at d2l's float(l.sum())
    theirs, ours = run_both(d2l_softmax_regression, num_epochs=3)
    assert_same_numbers(theirs, ours, rtol=1e-4, atol=1e-6)
