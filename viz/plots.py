"""Matplotlib figures for the lectures: activations and their derivatives, training curves,
decision boundaries, optimizer paths over a loss surface, and convolution feature maps.

matplotlib and numpy are imported inside each function, so ``import viz`` stays fast. Every
function returns a `matplotlib.figure.Figure` made without pyplot (no global state, and a
notebook shows it once when it is a cell's last value).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from viz import language

ACTIVATIONS = ("sigmoid", "tanh", "relu", "leaky_relu", "elu", "step")
_ACTIVATION_CALLS: dict[str, Callable[[Any], Any]] = {
    "sigmoid": lambda v: v.sigmoid(),
    "tanh": lambda v: v.tanh(),
    "relu": lambda v: v.relu(),
    "leaky_relu": lambda v: v.leaky_relu(0.1),  # the lectures' max(0.1x, x)
    "elu": lambda v: v.elu(1.0),
    "step": lambda v: v.step(),
    "sign": lambda v: v.sign(),
    "sin": lambda v: v.sin(),
    "exp": lambda v: v.exp(),
}
_TITLES = {"leaky_relu": "leaky_relu (alpha=0.1)", "elu": "elu (alpha=1)"}


def _figure(**kwargs: Any) -> Any:
    try:
        from matplotlib.figure import Figure
    except ImportError:
        raise ImportError(
            "viz.plots: matplotlib is not installed; got no module named 'matplotlib', expected "
            "it for plots. Install it: pip install matplotlib (or grafograd[notebooks])."
        ) from None

    return Figure(layout="constrained", **kwargs)


def _array(x: Any) -> Any:
    """A numpy array from an array, a list, or a Tensor-like object with ``.data``."""
    import numpy as np

    return np.asarray(x.data if hasattr(x, "data") and not isinstance(x, np.ndarray) else x)


def plot_activations(
    names: Sequence[str] = ACTIVATIONS,
    x_range: tuple[float, float] = (-5.0, 5.0),
    points: int = 401,
) -> Any:
    """Each activation and its derivative, both computed by the engine (`Value` and backward).

    Args:
        names: any of ``sigmoid tanh relu leaky_relu elu step sign sin exp``.
        x_range: the interval drawn.
        points: samples per curve.

    Returns:
        A Figure with one panel per activation: f solid, f' dashed.

    >>> fig = plot_activations(["tanh", "relu"])
    >>> [ax.get_title() for ax in fig.axes]
    ['tanh', 'relu']
    """
    import numpy as np

    from autograd import Value

    unknown = [n for n in names if n not in _ACTIVATION_CALLS]
    if unknown or not names:
        raise ValueError(
            f"plot_activations: unknown activation; got {unknown or list(names)}, expected names "
            f"from {sorted(_ACTIVATION_CALLS)}"
        )
    xs = np.linspace(x_range[0], x_range[1], points)
    cols = min(3, len(names))
    rows = -(-len(names) // cols)
    fig = _figure(figsize=(4.0 * cols, 3.0 * rows))
    axes = fig.subplots(rows, cols, squeeze=False).ravel()
    for ax, name in zip(axes, names, strict=False):
        fn = _ACTIVATION_CALLS[name]
        values, slopes = [], []
        for x in xs:
            v = Value(float(x))
            out = fn(v)
            out.backward()
            values.append(out.data)
            slopes.append(v.grad)
        ax.plot(xs, values, color="#1f77b4", label="f(x)")
        ax.plot(xs, slopes, color="#d62728", linestyle="--", label="f'(x)")
        ax.axhline(0.0, color="grey", linewidth=0.6)
        ax.axvline(0.0, color="grey", linewidth=0.6)
        ax.set_title(_TITLES.get(name, name))
        ax.grid(alpha=0.3)
        ax.legend(loc="upper left", fontsize=8)
    for ax in axes[len(names) :]:
        ax.set_visible(False)
    return fig


def _history_mapping(history: Any) -> Mapping[str, Any]:
    if isinstance(history, Mapping):
        return history
    inner = getattr(history, "history", None)
    if isinstance(inner, Mapping):
        return inner
    raise TypeError(
        "plot_history: history must map names to per-epoch lists, or have a .history mapping; "
        f"got {type(history).__name__}. Pass e.g. {{'loss': [...], 'val_loss': [...]}}"
    )


def plot_history(history: Any, keys: Sequence[str] | None = None, lang: str | None = None) -> Any:
    """Per-epoch curves: losses on the left panel, every other metric on the right.

    Args:
        history: a mapping ``name -> list of per-epoch numbers`` (``{"loss": [...],
            "val_loss": [...], "val_accuracy": [...]}``) or an object with such a mapping in
            ``.history`` (as `nn.fit`'s History).
        keys: the curves to draw (default: every non-empty list of numbers).
        lang: the language of the titles (``"en"``, ``"es"``; None: `viz.get_language`).

    >>> fig = plot_history({"loss": [1.0, 0.5], "val_loss": [1.1, 0.7], "accuracy": [0.5, 0.8]})
    >>> [ax.get_title() for ax in fig.axes]
    ['loss', 'metrics']
    """
    import numpy as np

    data = _history_mapping(history)
    chosen = list(keys) if keys is not None else [k for k in data if _is_series(data[k])]
    missing = [k for k in chosen if k not in data]
    if missing:
        raise KeyError(
            f"plot_history: no such entries; got {missing}, expected some of {list(data)}"
        )
    if not chosen:
        raise ValueError(f"plot_history: nothing to draw; got entries {list(data)}, expected lists")
    losses = [k for k in chosen if "loss" in k]
    metrics = [k for k in chosen if "loss" not in k]
    lang = language.check("plot_history", lang)
    panels = [
        (language.text(title, lang), ks)
        for title, ks in (("plot_loss", losses), ("plot_metrics", metrics))
        if ks
    ]
    fig = _figure(figsize=(5.0 * len(panels), 3.5))
    axes = fig.subplots(1, len(panels), squeeze=False).ravel()
    for ax, (title, ks) in zip(axes, panels, strict=True):
        for k in ks:
            ys = np.asarray(data[k], dtype=float)
            ax.plot(np.arange(1, len(ys) + 1), ys, marker="o" if len(ys) <= 30 else None, label=k)
        ax.set_title(title)
        ax.set_xlabel(language.text("plot_epoch", lang))
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8)
    return fig


def _is_series(x: Any) -> bool:
    try:
        return len(x) > 0 and all(isinstance(float(v), float) for v in x)
    except (TypeError, ValueError):
        return False


def plot_decision_boundary(
    predict: Callable[[Any], Any],
    X: Any,
    y: Any,
    resolution: int = 200,
    padding: float = 0.5,
    title: str | None = None,
    lang: str | None = None,
) -> Any:
    """The regions a 2-D classifier assigns to each class, with the data on top.

    Args:
        predict: maps an (M, 2) array to labels (M,), scores (M,) (probabilities cut at 0.5,
            other scores at 0) or class scores (M, K) (argmax). May return a Tensor.
        X: the points, shape (N, 2).
        y: their labels, shape (N,).
        resolution: grid points per axis.
        padding: margin around the data.
        title: the title (default: "decision boundary" in ``lang``).
        lang: the language of the words drawn (``"en"``, ``"es"``; None: `viz.get_language`).

    >>> import numpy as np
    >>> X = np.array([[0.0, 0.0], [1.0, 1.0]]); y = np.array([0, 1])
    >>> fig = plot_decision_boundary(lambda P: (P.sum(axis=1) > 1).astype(int), X, y)
    >>> len(fig.axes)
    1
    """
    import numpy as np

    X = _array(X)
    y = _array(y).ravel()
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(f"plot_decision_boundary: X must have shape (N, 2); got {X.shape}")
    lo, hi = X.min(axis=0) - padding, X.max(axis=0) + padding
    gx, gy = np.meshgrid(
        np.linspace(lo[0], hi[0], resolution), np.linspace(lo[1], hi[1], resolution)
    )
    grid = np.column_stack([gx.ravel(), gy.ravel()])
    out = _array(predict(grid))
    if out.ndim == 2 and out.shape[1] > 1:
        classes = out.argmax(axis=1)
    else:
        out = out.reshape(-1)
        if np.issubdtype(out.dtype, np.integer) or np.issubdtype(out.dtype, np.bool_):
            classes = out.astype(int)
        else:
            cut = 0.5 if out.min() >= 0.0 and out.max() <= 1.0 else 0.0
            classes = (out > cut).astype(int)
    if classes.size != grid.shape[0]:
        raise ValueError(
            f"plot_decision_boundary: predict returned {out.shape} for a grid of "
            f"{grid.shape[0]} points; expected one prediction per point"
        )
    fig = _figure(figsize=(5.0, 4.5))
    ax = fig.subplots()
    labels = np.unique(np.concatenate([np.unique(classes), np.unique(y)]))
    levels = np.concatenate([labels - 0.5, [labels[-1] + 0.5]])
    ax.contourf(gx, gy, classes.reshape(gx.shape), levels=levels, cmap="coolwarm", alpha=0.3)
    ax.scatter(
        X[:, 0],
        X[:, 1],
        c=y,
        cmap="coolwarm",
        edgecolors="black",
        s=25,
        vmin=labels[0],
        vmax=labels[-1],
    )
    ax.set_xlim(lo[0], hi[0])
    ax.set_ylim(lo[1], hi[1])
    lang = language.check("plot_decision_boundary", lang)
    ax.set_title(title or language.text("plot_boundary", lang))
    return fig


def plot_optimizer_paths(
    f: Callable[[Any, Any], Any],
    paths: Mapping[str, Any] | Sequence[Any],
    xlim: tuple[float, float] | None = None,
    ylim: tuple[float, float] | None = None,
    levels: int = 30,
    resolution: int = 200,
    lang: str | None = None,
) -> Any:
    """Optimizer trajectories over the contour lines of a 2-D loss surface.

    Args:
        f: the loss, ``f(x, y)``; called on grids (numpy arrays), or point by point if that fails.
        paths: ``{"SGD": [(x0, y0), (x1, y1), ...], "Adam": ...}`` or a list of such sequences.
        xlim, ylim: the window (default: the paths' extent plus a margin).
        levels: contour levels.
        resolution: grid points per axis.
        lang: the language of the words drawn (``"en"``, ``"es"``; None: `viz.get_language`).

    >>> fig = plot_optimizer_paths(lambda x, y: x**2 + 3 * y**2, {"GD": [(2, 1), (1, 0.2), (0, 0)]})
    >>> fig.axes[0].get_legend_handles_labels()[1]
    ['GD']
    """
    import numpy as np

    lang = language.check("plot_optimizer_paths", lang)
    named = (
        dict(paths)
        if isinstance(paths, Mapping)
        else {language.text("plot_path", lang, i=i): p for i, p in enumerate(paths)}
    )
    arrays = {}
    for name, path in named.items():
        points = _array(path).astype(float)
        if points.ndim != 2 or points.shape[1] != 2 or len(points) == 0:
            raise ValueError(
                f"plot_optimizer_paths: each path must be a sequence of (x, y) points; "
                f"got shape {points.shape} for {name!r}"
            )
        arrays[name] = points
    if not arrays:
        raise ValueError("plot_optimizer_paths: no paths given; expected at least one")
    every = np.concatenate(list(arrays.values()))
    span = np.maximum(every.max(axis=0) - every.min(axis=0), 1.0)
    lo, hi = every.min(axis=0) - 0.2 * span, every.max(axis=0) + 0.2 * span
    xlim = xlim or (lo[0], hi[0])
    ylim = ylim or (lo[1], hi[1])
    gx, gy = np.meshgrid(np.linspace(*xlim, resolution), np.linspace(*ylim, resolution))
    try:
        gz = np.asarray(f(gx, gy), dtype=float)
        if gz.shape != gx.shape:
            raise ValueError("f did not broadcast over the grid")
    except Exception:  # f works on scalars only: evaluate it point by point
        gz = np.vectorize(lambda a, b: float(f(a, b)))(gx, gy)
    fig = _figure(figsize=(6.0, 5.0))
    ax = fig.subplots()
    contours = ax.contour(gx, gy, gz, levels=levels, cmap="viridis", linewidths=0.8)
    fig.colorbar(contours, ax=ax, label=language.text("plot_loss", lang))
    for name, points in arrays.items():
        (line,) = ax.plot(points[:, 0], points[:, 1], marker="o", markersize=3, label=name)
        ax.plot(points[-1, 0], points[-1, 1], marker="*", markersize=12, color=line.get_color())
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    ax.legend()
    ax.set_title(language.text("plot_paths", lang))
    return fig


def plot_feature_maps(
    maps: Any,
    max_maps: int = 64,
    cmap: str = "viridis",
    title: str | None = None,
    lang: str | None = None,
) -> Any:
    """Convolution feature maps as a grid of images.

    Args:
        maps: an array or Tensor of shape (C, H, W) (one image's channels, 8 per row) or
            (N, C, H, W) (one row per image, one column per channel).
        max_maps: at most this many panels.
        cmap: the matplotlib colour map.
        title: a title over the grid.
        lang: the language of the panel names (``"en"``, ``"es"``; None: `viz.get_language`).

    >>> import numpy as np
    >>> [ax.get_title() for ax in plot_feature_maps(np.zeros((2, 4, 4)), lang="es").axes]
    ['canal 0', 'canal 1']
    """
    import numpy as np

    lang = language.check("plot_feature_maps", lang)
    arr = _array(maps).astype(float)
    if arr.ndim == 3:
        total = min(arr.shape[0], max_maps)
        cols = min(8, total)
        rows = -(-total // cols)
        images = [(arr[k], language.text("plot_channel", lang, k=k)) for k in range(total)]
    elif arr.ndim == 4:
        n, c = arr.shape[:2]
        cols = min(c, max_maps)
        rows = max(1, min(n, max_maps // cols))
        images = [
            (arr[i, k], language.text("plot_image_channel", lang, i=i, k=k))
            for i in range(rows)
            for k in range(cols)
        ]
    else:
        raise ValueError(
            f"plot_feature_maps: expected shape (C, H, W) or (N, C, H, W); got {arr.shape}"
        )
    fig = _figure(figsize=(1.6 * cols + 0.5, 1.6 * rows + 0.5))
    axes = np.atleast_1d(fig.subplots(rows, cols, squeeze=False).ravel())
    for ax, (image, name) in zip(axes, images, strict=False):
        ax.imshow(image, cmap=cmap)
        ax.set_title(name, fontsize=7)
        ax.set_xticks([])
        ax.set_yticks([])
    for ax in axes[len(images) :]:
        ax.set_visible(False)
    if title:
        fig.suptitle(title)
    return fig
