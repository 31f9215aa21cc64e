"""A drawing in an executed notebook: its output carries PNG beside SVG, so it shows even where the
notebook is untrusted (JupyterLab renders no SVG there), and it survives export to HTML.
"""

from __future__ import annotations

import base64
import copy
import os
import re
from pathlib import Path
from typing import Any

import pytest

import viz

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
REPO = Path(__file__).parents[1]
CELLS = [
    "from autograd import Value\nimport viz",
    'x, y, z = Value(1.0, label="x"), Value(-3.0, label="y"), Value(4.0, label="z")\n'
    'f = (x + y) * z\nf.label = "f"',
    "f.backward()",
    "viz.draw(f)",
]


@pytest.fixture(scope="module")
def executed(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The tiny notebook, written with nbformat and run by nbclient in a python3 kernel."""
    if viz.render.find_renderer() is None:
        pytest.skip("no Graphviz renderer: install graphviz-pure or a system Graphviz")
    folder = tmp_path_factory.mktemp("notebook")
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(source) for source in CELLS]
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    path = folder / "drawing.ipynb"
    nbformat.write(nb, path)
    # the kernel imports this checkout's packages, wherever the test run was started
    python_path = os.pathsep.join(p for p in (str(REPO), os.environ.get("PYTHONPATH")) if p)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("PYTHONPATH", python_path)
        client = nbclient.NotebookClient(
            nbformat.read(path, as_version=4),
            kernel_name="python3",
            timeout=60,
            resources={"metadata": {"path": str(folder)}},
        )
        return client.execute()


def drawing_output(nb: Any) -> Any:
    outputs = nb.cells[-1].outputs
    results = [o for o in outputs if o.output_type == "execute_result"]
    assert len(results) == 1, outputs
    return results[0]


def test_drawing_cell_carries_png_and_svg(executed: Any) -> None:
    output = drawing_output(executed)
    assert "image/svg+xml" in output.data and "<svg" in output.data["image/svg+xml"]
    png = base64.b64decode(output.data["image/png"])
    assert png.startswith(PNG_MAGIC)
    assert output.metadata["image/png"]["width"] > 0  # CSS pixels: shown at its natural size
    assert not any(o.output_type == "stream" for o in executed.cells[-1].outputs)  # quiet


def test_untrusted_notebook_falls_back_to_the_png(executed: Any) -> None:
    """Nobody signed the executed notebook, so it is untrusted (nbformat's notary says so), and an
    untrusted viewer (JupyterLab) refuses SVG; what it shows instead is the PNG, which is present.
    """
    from nbformat.sign import NotebookNotary

    nb = copy.deepcopy(executed)
    # in memory, with a secret of its own: reads and writes no signature store of the user's
    notary = NotebookNotary(db_file=":memory:", secret=b"grafograd-test")
    assert notary.check_signature(nb) is False
    notary.mark_cells(nb, trusted=False)
    assert nb.cells[-1].metadata.get("trusted") is False
    output = drawing_output(nb)
    assert base64.b64decode(output.data["image/png"]).startswith(PNG_MAGIC)


def test_html_export_shows_the_drawing(executed: Any) -> None:
    nbconvert = pytest.importorskip("nbconvert")
    config = pytest.importorskip("traitlets.config")
    html, _ = nbconvert.HTMLExporter().from_notebook_node(executed)
    # nbconvert 7 picks the SVG and writes it as <img alt=... src="data:image/svg+xml;base64,...">
    assert re.search(r'<img [^>]*src="data:image/(png|svg\+xml);base64,', html) or "<svg" in html
    assert "Drawing object at 0x" not in html
    # where PNG comes first (as for an untrusted viewer), the image keeps its natural width
    png_first = {"NbConvertBase": {"display_data_priority": ["image/png", "text/plain"]}}
    html, _ = nbconvert.HTMLExporter(config=config.Config(png_first)).from_notebook_node(executed)
    image = re.search(r'<img [^>]*src="data:image/png;base64,[^>]*>', html)
    assert image is not None
    assert f'width="{drawing_output(executed).metadata["image/png"]["width"]}"' in image.group()
