"""The backprop player in a real browser: tests/browser.py's chromium, headless, driven by
playwright, with every request that leaves the file system refused and recorded (the player must
work offline). Expected numbers are the slide's by hand (x=1, y=-3, z=4, f=(x+y)·z: df/dq = 4,
df/dz = -2).
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import browser
import pytest

import viz
from autograd import Value

chromium, page = browser.chromium, browser.page  # the shared fixtures, bound by name

REPO = Path(__file__).parents[1]
RED = "#c62828"
NOTEBOOK_CELLS = [
    "from autograd import Value\nimport viz",
    'x, y, z = Value(1.0, label="x"), Value(-3.0, label="y"), Value(4.0, label="z")\n'
    'f = (x + y) * z\nf.label = "f"',
    "viz.play(f)",
    "viz.play(f, lang='es')",
]


def slide() -> Value:
    x, y, z = Value(1.0, label="x"), Value(-3.0, label="y"), Value(4.0, label="z")
    f = (x + y) * z
    f.label = "f"
    return f


def kernel_env() -> dict[str, str]:
    """The environment for a notebook's kernel: it imports this checkout's packages, wherever the
    test run was started."""
    python_path = os.pathsep.join(p for p in (str(REPO), os.environ.get("PYTHONPATH")) if p)
    return {**os.environ, "PYTHONPATH": python_path}


def visible_gradients(player: Any) -> list[str]:
    """The gradients drawn in the frame the player shows (hidden frames' text is invisible)."""
    frame = player.locator(".gg-frame:not([hidden])")
    assert frame.count() == 1
    texts = frame.locator(f'svg text[fill="{RED}"]')
    assert all(texts.nth(i).is_visible() for i in range(texts.count()))
    return sorted(texts.all_text_contents())


def test_arrow_keys_step_the_saved_page(tmp_path: Path, page: Any) -> None:
    path = viz.save_html(slide(), tmp_path / "steps.html")
    page.goto(path.as_uri())
    player = page.locator(".gg-player")
    assert player.get_attribute("data-step") == "0"
    assert visible_gradients(player) == ["?"] * 5
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    assert player.get_attribute("data-step") == "3"
    assert page.locator('[data-step="3"]').count() == 1
    caption = player.locator(".gg-frame:not([hidden]) figcaption")
    assert caption.is_visible() and caption.text_content().endswith("∂f/∂(+) = 1 × 4 = 4")
    assert visible_gradients(player) == ["-2", "1", "4", "?", "?"]  # f's seed, z's -2, q's 4
    assert page.locator(".gg-frame").nth(2).locator("figcaption").is_hidden()
    assert page.evaluate("location.hash") == "#3"  # a link to this step
    assert player.locator(".gg-count").text_content() == "step 3/5"
    page.keyboard.press("ArrowLeft")
    assert player.get_attribute("data-step") == "2"
    page.keyboard.press("End")
    assert visible_gradients(player) == ["-2", "1", "4", "4", "4"]
    page.keyboard.press("ArrowRight")  # past the end: stays on the last step
    assert player.get_attribute("data-step") == "5"
    assert page.outside == []


def test_a_fragment_opens_its_step_and_the_controls_work(tmp_path: Path, page: Any) -> None:
    path = viz.save_html(slide(), tmp_path / "steps.html", lang="es")
    page.goto(path.as_uri() + "#2")
    player = page.locator(".gg-player")
    assert player.get_attribute("data-step") == "2"
    caption = player.locator(".gg-frame:not([hidden]) figcaption").text_content()
    assert caption == "retropropagación, paso 2/5: ∂f/∂z = ∂f/∂f · ∂f/∂z = 1 × (-2) = -2"
    assert visible_gradients(player) == ["-2", "1", "?", "?", "?"]
    page.get_by_role("button", name="siguiente").click()
    assert player.get_attribute("data-step") == "3"
    page.get_by_role("button", name="anterior").click()
    page.get_by_role("button", name="anterior").click()
    assert player.get_attribute("data-step") == "1"
    page.locator(".gg-slider").fill("4")
    assert player.get_attribute("data-step") == "4" and page.evaluate("location.hash") == "#4"
    page.evaluate("location.hash = '#0'")
    page.wait_for_function("document.querySelector('.gg-player').dataset.step === '0'")
    toggle = page.locator(".gg-play")
    assert toggle.text_content() == "▶ reproducir"
    toggle.click()
    assert toggle.text_content() == "❚❚ pausa"
    page.wait_for_function("document.querySelector('.gg-player').dataset.step === '1'")
    toggle.click()
    assert toggle.text_content() == "▶ reproducir"
    assert page.outside == []


def test_the_player_fits_a_projector_window(tmp_path: Path, page: Any) -> None:
    path = viz.save_html(slide(), tmp_path / "steps.html")
    for width, height in ((1400, 1000), (1920, 1080), (1024, 768)):
        page.set_viewport_size({"width": width, "height": height})
        page.goto(path.as_uri() + "#3")
        box = page.locator(".gg-frame:not([hidden]) svg").bounding_box()
        controls = page.locator(".gg-controls").bounding_box()
        assert box["width"] > width * 0.5  # the drawing grows to the window
        assert controls["y"] + controls["height"] <= height  # no scrolling to reach the buttons
        assert page.evaluate("document.documentElement.scrollHeight") <= height


def test_an_nbconvert_export_steps_offline(tmp_path: Path, page: Any) -> None:
    nbformat = pytest.importorskip("nbformat")
    pytest.importorskip("nbconvert")
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(source) for source in NOTEBOOK_CELLS]
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    notebook = tmp_path / "player.ipynb"
    nbformat.write(nb, notebook)
    done = subprocess.run(
        [sys.executable, "-m", "jupyter", "nbconvert", "--to", "html", "--execute", str(notebook)],
        capture_output=True,
        text=True,
        timeout=300,
        env=kernel_env(),
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    page.goto((tmp_path / "player.html").as_uri())  # its CDN scripts fail: that is offline
    players = page.locator(".gg-player")
    assert players.count() == 2
    first, second = players.nth(0), players.nth(1)
    assert first.get_attribute("id") != second.get_attribute("id")
    for _ in range(3):
        first.locator(".gg-next").click()
    assert first.get_attribute("data-step") == "3"
    assert visible_gradients(first) == ["-2", "1", "4", "?", "?"]
    assert second.get_attribute("data-step") == "0"  # each player steps alone
    second.focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    assert (first.get_attribute("data-step"), second.get_attribute("data-step")) == ("3", "2")
    assert second.locator(".gg-count").text_content() == "paso 2/5"
    assert page.evaluate("location.hash") == ""  # a notebook's players leave the URL alone


def test_notebook_01_exported_by_nbconvert_steps_offline(tmp_path: Path, page: Any) -> None:
    pytest.importorskip("nbconvert")
    notebook = REPO / "notebooks" / "01_computational_graphs.ipynb"
    done = subprocess.run(
        [sys.executable, "-m", "jupyter", "nbconvert", "--to", "html", "--execute",
         str(notebook), "--output-dir", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=300,
        env=kernel_env(),
        check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    page.goto((tmp_path / "01_computational_graphs.html").as_uri())  # no kernel, no network
    player = page.locator(".gg-player").first
    assert player.get_attribute("data-step") == "0"
    before = visible_gradients(player)
    assert before and set(before) == {"?"}  # before backprop no gradient is known
    player.focus()
    for step in (1, 2):
        page.keyboard.press("ArrowRight")
        assert player.get_attribute("data-step") == str(step)
        assert player.locator(".gg-frame").nth(step - 1).is_hidden()
        after = visible_gradients(player)
        gained, lost = Counter(after) - Counter(before), Counter(before) - Counter(after)
        assert set(lost) == {"?"} and "?" not in gained and gained.total() == lost.total() > 0
        if step == 1:
            assert gained == Counter(["1"])  # the seed, ∂f/∂f = 1
        before = after
    assert page.evaluate("location.hash") == ""
