"""Every formula in every notebook, both editions, typesets: each notebook exported by nbconvert
with a local MathJax 2 (Debian's libjs-mathjax, as the README's offline export uses) and opened
in tests/browser.py's chromium with the network refused. A TeX typo in a markdown cell shows as
MathJax's "Math Processing Error", an error node or a red undefined macro, and fails here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import browser
import pytest

chromium, page = browser.chromium, browser.page  # the shared fixtures, bound by name

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
EDITIONS = sorted(NOTEBOOKS.glob("*.ipynb")) + sorted((NOTEBOOKS / "es").glob("*.ipynb"))
MATHJAX = Path("/usr/share/javascript/mathjax/MathJax.js")
TYPESET = (
    "window.MathJax && MathJax.Hub && MathJax.Hub.queue.pending === 0"
    " && MathJax.Hub.queue.running === 0 && document.querySelectorAll('.MathJax').length > 0"
)


@pytest.mark.parametrize(
    "notebook", EDITIONS, ids=[f"{p.parent.name}/{p.stem[:2]}" for p in EDITIONS]
)
def test_every_formula_typesets_offline(notebook: Path, tmp_path: Path, page: Any) -> None:
    if not MATHJAX.is_file():
        pytest.skip("no local MathJax (apt-get install libjs-mathjax)")
    nbconvert = pytest.importorskip("nbconvert")
    mathjax_url = f"{MATHJAX.as_uri()}?config=TeX-AMS-MML_HTMLorMML"
    exporter = nbconvert.HTMLExporter(mathjax_url=mathjax_url)
    body, _ = exporter.from_filename(str(notebook))
    html = tmp_path / "notebook.html"
    html.write_text(body, encoding="utf-8")
    page.goto(html.as_uri())
    page.wait_for_function(TYPESET, timeout=60_000)
    # a TeX error is an <merror>; an undefined macro, red text (MathJax's noUndefined extension)
    errors = page.evaluate(
        "MathJax.Hub.getAllJax().map(j => j.root.toMathML())"
        ".filter(m => m.includes('<merror') || m.includes('mathcolor=\"red\"'))"
    )
    assert errors == []
    assert "Math Processing Error" not in page.inner_text("body")
    typeset = page.evaluate("document.querySelectorAll('.MathJax, .MathJax_Display').length")
    assert typeset > 0
