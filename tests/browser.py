"""One real browser for every browser test: Debian's ``chromium``, headless, driven by playwright.

A test module binds the two fixtures by name (``chromium, page = browser.chromium, browser.page``)
and asks for ``page``: a fresh 1400×1000 tab that refuses, and records in ``page.outside``, every
request that leaves the file system, so whatever a test opens must work offline. Playwright drives
the system browser (``executable_path``) and downloads none. The fixtures skip, and the tests that
use them with them, when no ``chromium`` is on PATH (`.ci/run` installs it), when the playwright
package is missing, or when no Graphviz renderer can draw the pages.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from typing import Any

import pytest

import viz

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    """The launched browser (a playwright ``Browser``), shared by the tests of one module."""
    if CHROMIUM is None:
        pytest.skip("no chromium on PATH (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    if viz.render.find_renderer() is None:
        pytest.skip("no Graphviz renderer: install graphviz-pure or a system Graphviz")
    with sync_api.sync_playwright() as playwright:
        # --no-sandbox: CI runs as root, where chromium's sandbox refuses to start
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield launched
        launched.close()


@pytest.fixture
def page(chromium: Any) -> Iterator[Any]:
    """A 1400×1000 tab that refuses (and records in ``page.outside``) every non-file request."""
    context = chromium.new_context(viewport={"width": 1400, "height": 1000})
    tab = context.new_page()
    tab.outside = []

    def refuse(route: Any) -> None:
        if route.request.url.startswith("file:"):
            route.continue_()
        else:
            tab.outside.append(route.request.url)
            route.abort()

    tab.route("**/*", refuse)
    yield tab
    context.close()
