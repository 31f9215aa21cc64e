"""The optimizer base: parameter groups, per-parameter state, `step`, `zero_grad` and state dicts.

A parameter is anything with ``data`` and ``grad``: a scalar `Value` (floats) or a `Tensor`
(ndarrays). Subclasses write one update rule, `_update`, in arithmetic that serves both, so a
scalar net and a tensor net with the same numbers follow the same trajectory.
"""

from __future__ import annotations

import inspect
import math
import numbers
import warnings
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np

Param = Any  # a Value or a Tensor: anything with ``data`` and ``grad``
Number = Any  # a float (Value) or an ndarray (Tensor)


class Optimizer(ABC):
    """Base class: ``param_groups`` (hyper-parameters and ``"params"``) and per-parameter ``state``.

    Args:
        params: an iterable of parameters, or of dicts ``{"params": [...], **hyper_parameters}``
            (parameter groups, whose missing hyper-parameters come from ``defaults``).
        defaults: the optimizer's hyper-parameters.
    """

    def __init__(self, params: Iterable[Param] | Iterable[dict], defaults: dict[str, Any]) -> None:
        self.defaults = dict(defaults)
        self.param_groups: list[dict[str, Any]] = []
        self.state: dict[int, dict[str, Any]] = {}
        name = type(self).__name__
        one = isinstance(params, np.ndarray) or hasattr(params, "grad")
        if one or callable(getattr(params, "parameters", None)):  # a parameter, or a Module
            raise TypeError(
                f"{name}: params must be an iterable of parameters; got one "
                f"{type(params).__name__}. Pass model.parameters() or [param]"
            )
        try:
            groups = list(params)
        except TypeError:
            raise TypeError(
                f"{name}: params must be an iterable of parameters; got "
                f"{type(params).__name__}. Pass model.parameters() or [param]"
            ) from None
        if not groups:
            raise ValueError(
                f"{name}: got an empty parameter list; expected at least one parameter, e.g. "
                "model.parameters() (frozen parameters count: step() skips them)"
            )
        if not isinstance(groups[0], dict):
            groups = [{"params": groups}]
        for group in groups:
            self.add_param_group(group)

    def add_param_group(self, group: dict[str, Any]) -> None:
        """Add parameters with their own hyper-parameters (the others from ``defaults``)."""
        name = type(self).__name__
        if not isinstance(group, dict) or "params" not in group:
            got = sorted(group) if isinstance(group, dict) else type(group).__name__
            raise TypeError(
                f"{name}: a parameter group must be a dict with a 'params' entry; got {got}, "
                "expected e.g. {'params': model.parameters(), 'lr': 0.01}"
            )
        params = group["params"]
        params = [params] if hasattr(params, "grad") else list(params)
        for p in params:
            if not (hasattr(p, "data") and hasattr(p, "grad")):
                raise TypeError(
                    f"{name}: parameters must be Values or Tensors; got {type(p).__name__}"
                )
        unique = list({id(p): p for p in params}.values())
        if len(unique) != len(params):
            warnings.warn(
                f"{name}: a parameter group lists a parameter twice; it is kept once", stacklevel=3
            )
        seen = {id(p) for g in self.param_groups for p in g["params"]}
        if any(id(p) in seen for p in unique):
            raise ValueError(f"{name}: a parameter appears in more than one parameter group")
        unknown = set(group) - set(self.defaults) - {"params"}
        if unknown:
            raise TypeError(
                f"{name}: unknown hyper-parameter; got {sorted(unknown)}, expected some of "
                f"{sorted(self.defaults)}"
            )
        full = {**self.defaults, **group, "params": unique}
        self._check(full)
        self.param_groups.append(full)

    # hyper-parameters that must be >= 0 wherever an optimizer has them (as torch.optim checks)
    _NON_NEGATIVE = (
        "lr",
        "eps",
        "weight_decay",
        "momentum",
        "lr_decay",
        "initial_accumulator_value",
    )

    def _check(self, group: dict[str, Any]) -> None:
        """Raise TypeError or ValueError for an invalid hyper-parameter (subclasses extend).

        Every hyper-parameter whose default in ``__init__`` is a float must be a real number (not
        None, a string or a bool), so a slip fails here rather than inside the first `step`.
        """
        name = type(self).__name__
        for key, default in _float_defaults(type(self)).items():
            if key in group:
                value = group[key]
                if isinstance(value, bool) or not isinstance(value, numbers.Real):
                    raise TypeError(
                        f"{name}: {key} must be a real number; got {value!r}, expected a float "
                        f"such as the default {default!r}"
                    )
        for key in self._NON_NEGATIVE:
            if key in group and not group[key] >= 0.0:
                raise ValueError(f"{name}: {key} must be non-negative; got {group[key]!r}")

    # ---- the update --------------------------------------------------------------------------

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """Update every parameter that has a gradient; returns ``closure()`` if one is given.

        As in PyTorch, a parameter whose ``grad`` is None (frozen, or not reached by `backward`)
        is skipped: no update, no weight decay, no change to its state.
        """
        loss = closure() if closure is not None else None
        for group in self.param_groups:
            for p in group["params"]:
                grad = p.grad
                if grad is None:
                    continue
                if group.get("maximize", False):
                    grad = -grad
                state = self.state.setdefault(id(p), {})
                new = self._update(p.data, grad, state, group)
                if isinstance(p.data, np.ndarray):
                    p.data[...] = new
                    bump = getattr(p, "_bump_version", None)  # Tensor: its version counter
                    if bump is not None:
                        bump()  # a graph that saved p before this step is stale now
                else:
                    p.data = new
        return loss

    @abstractmethod
    def _update(
        self, param: Number, grad: Number, state: dict[str, Any], group: dict[str, Any]
    ) -> Number:
        """The new value of one parameter from its gradient; keeps what it needs in ``state``."""

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Forget the gradients: a Tensor's ``grad`` becomes None (or zeros), a Value's 0.0."""
        for group in self.param_groups:
            for p in group["params"]:
                if _is_scalar(p):
                    p.grad = 0.0
                elif set_to_none or p.grad is None:
                    p.grad = None
                else:
                    p.grad = np.zeros_like(p.grad)

    # ---- state dicts -------------------------------------------------------------------------

    def state_dict(self) -> dict[str, Any]:
        """``{"state": {index: {...}}, "param_groups": [{..., "params": [index, ...]}]}``, copied.

        Parameters are numbered in group order, as in `torch.optim`.
        """
        index: dict[int, int] = {}
        groups = []
        for group in self.param_groups:
            ids = []
            for p in group["params"]:
                index.setdefault(id(p), len(index))
                ids.append(index[id(p)])
            groups.append({**{k: v for k, v in group.items() if k != "params"}, "params": ids})
        state = {
            index[key]: {k: _copy(v) for k, v in values.items()}
            for key, values in self.state.items()
            if key in index
        }
        return {"state": state, "param_groups": groups}

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Restore hyper-parameters and per-parameter state saved by `state_dict`."""
        name = type(self).__name__
        groups = state_dict["param_groups"]
        if len(groups) != len(self.param_groups):
            raise ValueError(
                f"{name}.load_state_dict: got {len(groups)} parameter groups, expected "
                f"{len(self.param_groups)}"
            )
        for saved, group in zip(groups, self.param_groups, strict=True):
            if len(saved["params"]) != len(group["params"]):
                raise ValueError(
                    f"{name}.load_state_dict: a parameter group holds {len(saved['params'])} "
                    f"parameters; expected {len(group['params'])}"
                )
        self.state = {}
        for saved, group in zip(groups, self.param_groups, strict=True):
            group.update({k: v for k, v in saved.items() if k != "params"})
            for i, p in zip(saved["params"], group["params"], strict=True):
                if i in state_dict["state"]:
                    self.state[id(p)] = {
                        k: _like(v, p.data) for k, v in state_dict["state"][i].items()
                    }

    def __repr__(self) -> str:
        lines = [f"{type(self).__name__} ("]
        for i, group in enumerate(self.param_groups):
            lines.append(f"Parameter Group {i}")
            lines += [f"    {k}: {v}" for k, v in sorted(group.items()) if k != "params"]
        return "\n".join(lines) + "\n)"


# ---- arithmetic that serves floats (Value) and ndarrays (Tensor) alike ------------------------


def sqrt(x: Number) -> Number:
    """√x for a float (a float) or an array (an array)."""
    return np.sqrt(x) if isinstance(x, np.ndarray) else math.sqrt(x)


def maximum(a: Number, b: Number) -> Number:
    """Elementwise max."""
    return np.maximum(a, b) if isinstance(a, np.ndarray) else max(a, b)


def zeros_like(x: Number) -> Number:
    """0.0 for a float, zeros of the same shape and dtype for an array."""
    return np.zeros_like(x) if isinstance(x, np.ndarray) else 0.0


def full_like(x: Number, value: float) -> Number:
    """``value`` for a float, an array of ``value`` for an array."""
    return np.full_like(x, value) if isinstance(x, np.ndarray) else float(value)


def _float_defaults(cls: type) -> dict[str, float]:
    """The hyper-parameters whose default in ``cls.__init__`` is a float, with that default."""
    params = inspect.signature(cls).parameters
    return {k: p.default for k, p in params.items() if isinstance(p.default, float)}


def _copy(x: Any) -> Any:
    return x.copy() if isinstance(x, np.ndarray) else x


def _like(x: Any, param: Number) -> Any:
    """A saved state entry in the parameter's dtype (arrays) or as a float (scalars)."""
    if isinstance(param, np.ndarray) and isinstance(x, np.ndarray):
        return x.astype(param.dtype, copy=True)
    if isinstance(x, np.ndarray) and x.ndim == 0:
        return x.item()
    return x


def _is_scalar(p: Param) -> bool:
    return not isinstance(p.data, np.ndarray)
