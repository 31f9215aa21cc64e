"""The classic neurons: McCulloch-Pitts' threshold unit (1943) and Rosenblatt's perceptron (1958).

Both work on plain numbers and numpy arrays, without autograd: they learn (or not) by rules, not
by gradients, which is the lectures' point of departure.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from autograd.random import generator
from nn.checks import integer, real

_ACTIVATIONS = ("step", "sign")


class McCullochPitts:
    r"""McCulloch and Pitts' neuron: binary inputs, a threshold, absolute inhibition.

    The unit fires (returns 1) when no inhibitory input is active and
    $z = \sum_i x_i \ge \theta$; any active inhibitory input silences it (returns 0).

    Args:
        threshold: $\theta$, the number of active inputs needed to fire.
        inhibitory: indices of the inhibitory inputs.

    The lectures' "¿voy al cine hoy?" with $\theta = 2$:

    >>> McCullochPitts(2)([1, 0, 0, 1])
    1
    >>> AND, OR = McCullochPitts(2), McCullochPitts(1)
    >>> [AND([a, b]) for a, b in [(0, 0), (0, 1), (1, 0), (1, 1)]]
    [0, 0, 0, 1]
    >>> McCullochPitts(1, inhibitory=(2,))([1, 1, 1])
    0
    """

    def __init__(self, threshold: float, inhibitory: Sequence[int] = ()) -> None:
        if isinstance(threshold, bool) or not isinstance(threshold, (int, float, np.number)):
            raise TypeError(
                f"McCullochPitts: threshold must be a number; got {type(threshold).__name__} "
                f"{threshold!r}"
            )
        self.threshold = threshold
        self.inhibitory = tuple(
            integer(i, "McCullochPitts", "an inhibitory index") for i in inhibitory
        )

    def __call__(self, x: Sequence[int]) -> int:
        """0 or 1 for one binary input sequence."""
        if not isinstance(x, (Sequence, np.ndarray)):
            raise TypeError(
                f"McCullochPitts: input must be a sequence of 0/1 values; got {type(x).__name__}"
            )
        values = [_binary(v, "McCullochPitts") for v in x]
        n = len(values)
        for i in self.inhibitory:
            if not -n <= i < n:
                raise IndexError(
                    f"McCullochPitts: inhibitory index out of range; got index {i}, expected "
                    f"0..{n - 1} for {n} inputs"
                )
            if values[i]:
                return 0
        return 1 if sum(values) >= self.threshold else 0

    def predict(self, X: Sequence[Sequence[int]] | np.ndarray) -> np.ndarray:
        """The output for every row of ``X``, as an int64 array.

        >>> McCullochPitts(1).predict([[0, 0], [0, 1]])
        array([0, 1])
        """
        return np.array([self(row) for row in np.asarray(X)], dtype=np.int64)

    def __repr__(self) -> str:
        return f"McCullochPitts(threshold={self.threshold!r}, inhibitory={self.inhibitory!r})"


@dataclass(frozen=True)
class PerceptronStep:
    """One Rosenblatt update: the sample seen (row ``index`` of ``X``), the prediction made and the
    parameters after it."""

    epoch: int
    index: int
    x: np.ndarray
    y: float
    y_hat: int
    weights: np.ndarray
    bias: float


class Perceptron:
    r"""Rosenblatt's perceptron: $\hat y = g(w \cdot x + b)$ with $g$ the step or sign function.

    It learns by the perceptron rule, one sample at a time:
    $w \leftarrow w + \eta (y - \hat y) x$, $b \leftarrow b + \eta (y - \hat y)$, which changes
    nothing when the prediction is right. It converges on linearly separable data (AND, OR) and
    never on XOR.

    Args:
        n_inputs: number of input features.
        lr: the learning rate $\eta$.
        activation: ``"step"`` (outputs and targets 0/1) or ``"sign"`` (outputs -1/0/1, targets
            -1/1).
        weights: initial weights (``n_inputs`` numbers); zeros when None, since the rule needs no
            symmetry breaking.
        bias: initial bias.

    Attributes:
        weights: the weight vector (float64 ndarray).
        bias: the bias (float).
        history: a `PerceptronStep` per update, in order.
        epoch_errors: how many samples each `fit` epoch got wrong.

    The lectures' worked update: from w = (-1, 0), b = -0.5 with η = 0.5 on x = (1, 5), y = 1:

    >>> p = Perceptron(2, lr=0.5, weights=[-1.0, 0.0], bias=-0.5)
    >>> p.update([1, 5], 1)
    0
    >>> p.weights.tolist(), p.bias
    ([-0.5, 2.5], 0.0)
    """

    def __init__(
        self,
        n_inputs: int,
        lr: float = 0.1,
        activation: str = "step",
        weights: Sequence[float] | np.ndarray | None = None,
        bias: float = 0.0,
    ) -> None:
        if isinstance(n_inputs, bool) or not isinstance(n_inputs, (int, np.integer)):
            raise TypeError(f"Perceptron: n_inputs must be an int; got {n_inputs!r}")
        if n_inputs < 1:
            raise ValueError(f"Perceptron: n_inputs must be a positive int; got {n_inputs!r}")
        if activation not in _ACTIVATIONS:
            raise ValueError(
                f"Perceptron: unknown activation; got {activation!r}, expected one of "
                f"{list(_ACTIVATIONS)}"
            )
        self.n_inputs = int(n_inputs)
        self.lr = real(lr, "Perceptron", "lr", minimum=0.0)
        self.activation = activation
        if weights is None:
            self.weights = np.zeros(self.n_inputs)
        else:
            self.weights = np.array(weights, dtype=np.float64).reshape(-1)
            if self.weights.shape != (self.n_inputs,):
                raise ValueError(
                    f"Perceptron: wrong number of weights; got {self.weights.size}, expected "
                    f"{self.n_inputs}"
                )
        self.bias = float(bias)
        self.history: list[PerceptronStep] = []
        self.epoch_errors: list[int] = []

    # ---- prediction -----------------------------------------------------------------------

    def net_input(self, X: Any) -> Any:
        r"""$z = w \cdot x + b$ for one sample (a float) or for every row of ``X`` (an array)."""
        x = self._inputs(X)
        z = x @ self.weights + self.bias
        return float(z) if x.ndim == 1 else z

    def predict(self, X: Any) -> Any:
        """$g(z)$ for one sample (an int) or for every row of ``X`` (an int64 array).

        >>> Perceptron(2, weights=[1.0, 1.0], bias=-1.5).predict([[0, 1], [1, 1]])
        array([0, 1])
        """
        z = np.asarray(self.net_input(X))
        if self.activation == "step":
            out = np.where(z >= 0.0, 1, 0).astype(np.int64)
        else:
            out = np.sign(z).astype(np.int64)
        return int(out) if out.ndim == 0 else out

    __call__ = predict

    def score(
        self, X: Sequence[Sequence[float]] | np.ndarray, y: Sequence[float] | np.ndarray
    ) -> float:
        """The fraction of rows of ``X`` whose prediction equals ``y``."""
        inputs = self._inputs(X, batch=True)
        return float(np.mean(self.predict(inputs) == self._targets(y, len(inputs))))

    # ---- learning -------------------------------------------------------------------------

    def update(self, x: Sequence[float] | np.ndarray, y: float) -> int:
        r"""One Rosenblatt step on one sample; returns the prediction $\hat y$ made before it.

        $w \leftarrow w + \eta (y - \hat y) x$, $b \leftarrow b + \eta (y - \hat y)$.
        """
        return self._update(x, y, epoch=0, index=len(self.history))

    def fit(
        self,
        X: Sequence[Sequence[float]] | np.ndarray,
        y: Sequence[float] | np.ndarray,
        epochs: int = 10,
        shuffle: bool = False,
        seed: int | None = None,
    ) -> Perceptron:
        """Run the perceptron rule over the samples ``epochs`` times; returns self.

        Samples come in order unless ``shuffle=True`` (drawn from ``seed``, or from the generator
        that `autograd.manual_seed` resets). Each epoch's number of mistakes goes to
        ``epoch_errors``; each update to ``history``.

        >>> X = [[0, 0], [0, 1], [1, 0], [1, 1]]
        >>> Perceptron(2).fit(X, [0, 0, 0, 1], epochs=10).predict(X)
        array([0, 0, 0, 1])
        """
        inputs = self._inputs(X, batch=True)
        targets = self._targets(y, len(inputs))
        rng = np.random.default_rng(seed) if seed is not None else generator()
        for epoch in range(int(epochs)):
            order = rng.permutation(len(inputs)) if shuffle else range(len(inputs))
            mistakes = 0
            for i in order:
                y_hat = self._update(inputs[i], targets[i], epoch=epoch, index=int(i))
                mistakes += int(y_hat != targets[i])
            self.epoch_errors.append(mistakes)
        return self

    def _update(self, x: Any, y: float, epoch: int, index: int) -> int:
        x = self._inputs(x)
        if x.ndim != 1:
            raise ValueError(
                f"Perceptron.update: expected one sample of {self.n_inputs} features; got shape "
                f"{x.shape}. Use fit(X, y) for many samples"
            )
        target = float(self._targets([y], 1)[0])
        y_hat = int(self.predict(x))
        error = target - y_hat
        if error != 0.0:
            self.weights = self.weights + self.lr * error * x
            self.bias = self.bias + self.lr * error
        self.history.append(
            PerceptronStep(epoch, index, x.copy(), target, y_hat, self.weights.copy(), self.bias)
        )
        return y_hat

    # ---- checks ---------------------------------------------------------------------------

    def _inputs(self, X: Any, batch: bool = False) -> np.ndarray:
        x = np.asarray(X, dtype=np.float64)
        if batch:
            x = np.atleast_2d(x)
        if x.ndim not in (1, 2) or x.shape[-1] != self.n_inputs:
            raise ValueError(
                f"Perceptron: wrong input shape; got {x.shape}, expected ({self.n_inputs},) or "
                f"(n, {self.n_inputs})"
            )
        return x

    def _targets(self, y: Any, n: int) -> np.ndarray:
        t = np.asarray(y, dtype=np.float64).reshape(-1)
        if t.shape != (n,):
            raise ValueError(f"Perceptron: got {t.size} targets for {n} samples; expected {n}")
        allowed = (0.0, 1.0) if self.activation == "step" else (-1.0, 1.0)
        if not np.isin(t, allowed).all():
            bad = t[~np.isin(t, allowed)][0]
            hint = "use -1/1 targets with sign" if self.activation == "sign" else "use 0/1 targets"
            raise ValueError(
                f"Perceptron: target out of range for activation={self.activation!r}; got {bad:g}, "
                f"expected one of {allowed}. Hint: {hint}"
            )
        return t

    def __repr__(self) -> str:
        return (
            f"Perceptron(n_inputs={self.n_inputs}, lr={self.lr!r}, activation={self.activation!r})"
        )


def _binary(v: object, api: str) -> int:
    if isinstance(v, (bool, np.bool_)) or (isinstance(v, (int, float, np.number)) and v in (0, 1)):
        return int(v)
    raise ValueError(f"{api}: inputs must be 0 or 1; got {v!r}")
