"""viz.plots on the Agg backend: each figure's data checked against plain numpy formulas, and
``import viz`` importing neither matplotlib nor graphviz nor numpy.
"""

from __future__ import annotations

import math
import subprocess
import sys

import numpy as np
import pytest
from matplotlib.figure import Figure

from viz import plots


def curves(ax) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    return {
        line.get_label(): (np.asarray(line.get_xdata()), np.asarray(line.get_ydata()))
        for line in ax.get_lines()
        if not line.get_label().startswith("_")
    }


ACTIVATION_FORMULAS = {
    "sigmoid": (lambda x: 1 / (1 + np.exp(-x)), lambda x: np.exp(-x) / (1 + np.exp(-x)) ** 2),
    "tanh": (np.tanh, lambda x: 1 / np.cosh(x) ** 2),
    "relu": (lambda x: np.maximum(x, 0), lambda x: (x > 0).astype(float)),
    "leaky_relu": (lambda x: np.where(x > 0, x, 0.1 * x), lambda x: np.where(x > 0, 1.0, 0.1)),
    "elu": (lambda x: np.where(x > 0, x, np.exp(x) - 1), lambda x: np.where(x > 0, 1.0, np.exp(x))),
    "step": (lambda x: (x >= 0).astype(float), lambda x: np.zeros_like(x)),
}


def test_activations_and_their_derivatives_match_the_formulas() -> None:
    fig = plots.plot_activations(list(ACTIVATION_FORMULAS), points=101)
    assert isinstance(fig, Figure)
    visible = [ax for ax in fig.axes if ax.get_visible()]
    assert len(visible) == len(ACTIVATION_FORMULAS)
    for ax, (name, (f, df)) in zip(visible, ACTIVATION_FORMULAS.items(), strict=True):
        assert ax.get_title().startswith(name)
        lines = curves(ax)
        x, y = lines["f(x)"]
        _, dy = lines["f'(x)"]
        np.testing.assert_allclose(y, f(x), atol=1e-12)
        np.testing.assert_allclose(dy, df(x), atol=1e-12)


def test_unknown_activation_is_named() -> None:
    with pytest.raises(ValueError, match=r"unknown activation; got \['swish'\]"):
        plots.plot_activations(["tanh", "swish"])


class History:
    def __init__(self, history: dict) -> None:
        self.history = history


@pytest.mark.parametrize("wrap", [dict, History])
def test_history_puts_losses_left_and_metrics_right(wrap) -> None:
    data = {"loss": [1.0, 0.5, 0.25], "val_loss": [1.2, 0.7, 0.6], "val_accuracy": [0.4, 0.7, 0.9]}
    fig = plots.plot_history(wrap(data))
    left, right = fig.axes
    assert left.get_title() == "loss" and right.get_title() == "metrics"
    assert set(curves(left)) == {"loss", "val_loss"} and set(curves(right)) == {"val_accuracy"}
    x, y = curves(left)["val_loss"]
    np.testing.assert_array_equal(x, [1, 2, 3])
    np.testing.assert_array_equal(y, data["val_loss"])


def test_history_errors() -> None:
    with pytest.raises(TypeError, match="history must map names to per-epoch lists"):
        plots.plot_history([1, 2, 3])
    with pytest.raises(KeyError, match="no such entries"):
        plots.plot_history({"loss": [1.0]}, keys=["accuracy"])
    only_loss = plots.plot_history({"loss": [1.0, 0.5], "note": "not a series"})
    assert [ax.get_title() for ax in only_loss.axes] == ["loss"]


@pytest.mark.parametrize(
    "predict",
    [
        lambda P: (P[:, 0] > 0).astype(int),  # labels
        lambda P: 1 / (1 + np.exp(-10 * P[:, 0])),  # probabilities, cut at 0.5
        lambda P: np.column_stack([-P[:, 0], P[:, 0]]),  # class scores, argmax
    ],
)
def test_decision_boundary_separates_the_half_planes(predict) -> None:
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 2))
    y = (X[:, 0] > 0).astype(int)
    calls = []

    def spy(P):
        calls.append(P.shape)
        return predict(P)

    fig = plots.plot_decision_boundary(spy, X, y, resolution=50)
    ax = fig.axes[0]
    assert calls == [(2500, 2)]
    np.testing.assert_array_equal(ax.collections[-1].get_offsets(), X)
    filled = ax.collections[0]
    assert len(filled.get_paths()) >= 2  # two class regions


def test_decision_boundary_checks_shapes() -> None:
    with pytest.raises(ValueError, match=r"X must have shape \(N, 2\); got \(3,\)"):
        plots.plot_decision_boundary(lambda P: P[:, 0], np.zeros(3), np.zeros(3))
    with pytest.raises(ValueError, match="one prediction per point"):
        plots.plot_decision_boundary(lambda P: np.zeros(3), np.zeros((3, 2)), np.zeros(3))


def test_optimizer_paths_drawn_over_the_loss_surface() -> None:
    path = [(2.0, 1.0)]
    for _ in range(10):  # gradient descent on x² + 5y², lr 0.1
        x, y = path[-1]
        path.append((x - 0.2 * x, y - 1.0 * y))
    fig = plots.plot_optimizer_paths(lambda x, y: x**2 + 5 * y**2, {"GD": path, "start": path[:1]})
    ax = fig.axes[0]
    lines = curves(ax)
    np.testing.assert_allclose(np.column_stack(lines["GD"]), path)
    assert ax.get_legend_handles_labels()[1] == ["GD", "start"]
    scalar_only = plots.plot_optimizer_paths(lambda x, y: math.exp(-x * x - y * y), [path])
    assert "path 0" in curves(scalar_only.axes[0])


def test_optimizer_paths_reject_bad_points() -> None:
    with pytest.raises(ValueError, match=r"sequence of \(x, y\) points; got shape \(3,\)"):
        plots.plot_optimizer_paths(lambda x, y: x, {"bad": [1.0, 2.0, 3.0]})


class TensorLike:
    def __init__(self, data: np.ndarray) -> None:
        self.data = data


def test_feature_maps_for_one_image_and_a_batch() -> None:
    maps = np.arange(3 * 4 * 5, dtype=float).reshape(3, 4, 5)
    fig = plots.plot_feature_maps(TensorLike(maps))
    shown = [ax for ax in fig.axes if ax.get_visible()]
    assert len(shown) == 3
    for k, ax in enumerate(shown):
        np.testing.assert_array_equal(ax.images[0].get_array(), maps[k])
    batch = plots.plot_feature_maps(np.zeros((2, 5, 4, 4)), title="conv1")
    assert len([ax for ax in batch.axes if ax.get_visible()]) == 10
    assert batch.get_suptitle() == "conv1"
    with pytest.raises(ValueError, match=r"expected shape \(C, H, W\) or \(N, C, H, W\)"):
        plots.plot_feature_maps(np.zeros(4))


def test_figures_render_with_agg(tmp_path) -> None:
    out = tmp_path / "act.png"
    plots.plot_activations(["relu"]).savefig(out)
    assert out.read_bytes().startswith(b"\x89PNG")


def test_importing_viz_loads_no_heavy_dependency() -> None:
    code = (
        "import sys, viz; heavy = [m for m in ('matplotlib', 'graphviz', 'numpy', 'nn', 'torch')"
        " if m in sys.modules]; print(heavy)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_missing_matplotlib_says_how_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib.figure", None)
    with pytest.raises(ImportError, match="pip install matplotlib"):
        plots.plot_history({"loss": [1.0]})


def test_the_words_drawn_follow_lang() -> None:
    es = plots.plot_history({"loss": [1.0, 0.5], "accuracy": [0.5, 0.8]}, lang="es")
    assert [ax.get_title() for ax in es.axes] == ["pérdida", "métricas"]
    assert es.axes[0].get_xlabel() == "época"
    paths = plots.plot_optimizer_paths(lambda x, y: x**2 + y**2, [[(1, 1), (0, 0)]], lang="es")
    assert paths.axes[0].get_title() == "trayectorias de los optimizadores"
    assert paths.axes[0].get_legend_handles_labels()[1] == ["trayectoria 0"]
    X, y = np.array([[0.0, 0.0], [1.0, 1.0]]), np.array([0, 1])
    boundary = plots.plot_decision_boundary(lambda P: P.sum(axis=1) > 1, X, y, lang="es")
    assert boundary.axes[0].get_title() == "frontera de decisión"
    english = plots.plot_decision_boundary(lambda P: P.sum(axis=1) > 1, X, y)
    assert english.axes[0].get_title() == "decision boundary"
    with pytest.raises(ValueError, match="plot_history: unknown lang"):
        plots.plot_history({"loss": [1.0]}, lang="fr")
