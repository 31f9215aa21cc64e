"""Imports flow one way: kernels -> autograd -> nn, and viz beside nn; heavy packages load lazily.

Each import is checked in a fresh interpreter (this test process has long since imported
everything), and the sources are read for imports hidden inside functions.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# optional packages (extras, or not dependencies at all): importing our packages must not need them
NOT_DEPENDENCIES = ("torch", "micrograd", "matplotlib", "sklearn", "ipywidgets", "IPython")

FORBIDDEN = {
    "autograd": ("numba", "graphviz", "nn", "viz", *NOT_DEPENDENCIES),
    "nn": ("viz", *NOT_DEPENDENCIES),
    "viz": ("nn", *NOT_DEPENDENCIES),
}


def modules_after(code: str) -> set[str]:
    """The names in sys.modules after running ``code`` in a fresh interpreter at the repo root."""
    script = f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return set(json.loads(done.stdout.strip().splitlines()[-1]))


def loaded(modules: set[str], package: str) -> list[str]:
    return sorted(m for m in modules if m == package or m.startswith(package + "."))


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_importing_a_package_pulls_in_nothing_it_must_not(package: str) -> None:
    modules = modules_after(f"import {package}")
    assert package in modules
    offenders = {name: loaded(modules, name)[:3] for name in FORBIDDEN[package]}
    offenders = {name: found for name, found in offenders.items() if found}
    assert not offenders, f"import {package} also imported {offenders}; import them lazily"


def test_scalar_engine_at_work_needs_no_numba() -> None:
    code = (
        "from autograd import Value, gradcheck\n"
        "x, y = Value(1.0), Value(-3.0)\n"
        "f = ((x + y) * 4.0).tanh() + Value.dot([x], [y]).sigmoid()\n"
        "f.backward(); f.zero_grad()\n"
        "assert gradcheck(lambda a, b: a * b.exp(), x, y)\n"
    )
    modules = modules_after(code)
    assert not loaded(modules, "numba"), "the scalar engine imported numba"
    assert not loaded(modules, "graphviz")


# ---- the sources: imports anywhere in a file, including inside functions ------------------------


def imported_names(path: Path, package_dir: Path) -> list[tuple[int, str]]:
    """(line, absolute dotted module) for every import statement in ``path``, a file of the
    package in ``package_dir``; ``from . import x`` counts as the package itself."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    # the package that holds this file: relative imports count from here
    here = [package_dir.name, *path.relative_to(package_dir).parts[:-1]]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level == 0:
                base = node.module or ""
            else:
                anchor = here[: len(here) - (node.level - 1)]
                base = ".".join(anchor + ([node.module] if node.module else []))
            found.append((node.lineno, base))
    return found


def sources(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


def violations(package: str, refuse: Callable[[str], bool]) -> list[str]:
    out = []
    for path in sources(package):
        for line, module in imported_names(path, ROOT / package):
            if refuse(module):
                out.append(f"{path.relative_to(ROOT)}:{line} imports {module}")
    return out


def top(module: str) -> str:
    return module.split(".", 1)[0]


def test_the_engine_never_imports_nn_or_viz() -> None:
    assert sources("autograd")
    assert violations("autograd", lambda m: top(m) in ("nn", "viz")) == []


def test_viz_never_imports_nn() -> None:
    # viz groups a layer's nodes by their `scope`, read through the node protocol
    assert violations("viz", lambda m: top(m) == "nn") == []


def test_kernels_import_nothing_above_them() -> None:
    if not (ROOT / "autograd" / "kernels").is_dir():
        pytest.skip("no kernels yet")

    def above(module: str) -> bool:
        if top(module) in ("nn", "viz"):
            return True
        return top(module) == "autograd" and not (
            module == "autograd.kernels" or module.startswith("autograd.kernels.")
        )

    bad = [
        v for v in violations("autograd", above) if v.startswith(str(Path("autograd", "kernels")))
    ]
    assert bad == []


def test_the_source_reader_sees_relative_and_nested_imports(tmp_path: Path) -> None:
    # the checks above are only as good as imported_names: show it resolves what they rely on
    kernels = tmp_path / "autograd" / "kernels"
    kernels.mkdir(parents=True)
    (kernels / "conv.py").write_text(
        "from ..value import Value\nfrom . import pool\nfrom .. import graph\n\n"
        "def f():\n    import nn.module\n"
    )
    (kernels / "__init__.py").write_text("from .conv import f\n")
    conv = [m for _, m in imported_names(kernels / "conv.py", tmp_path / "autograd")]
    assert conv == ["autograd.value", "autograd.kernels", "autograd", "nn.module"]
    init = [m for _, m in imported_names(kernels / "__init__.py", tmp_path / "autograd")]
    assert init == ["autograd.kernels.conv"]
