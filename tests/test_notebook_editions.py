"""The Spanish notebooks (`notebooks/es/`) cannot drift from the English ones.

Both editions have the same cells in the same order; every code cell is identical except for one
line of the first code cell, ``LANG = "en"`` / ``LANG = "es"``, which the drawings' ``lang=`` read.
Only markdown is translated.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
ENGLISH = sorted(NOTEBOOKS.glob("*.ipynb"))
LANG_LINE = re.compile(r'^LANG = "(en|es)"', re.MULTILINE)


def cells(path: Path) -> list[tuple[str, str]]:
    return [(c["cell_type"], "".join(c["source"])) for c in json.loads(path.read_text())["cells"]]


def test_every_notebook_has_a_spanish_edition_and_nothing_else_is_there() -> None:
    spanish = sorted(p.name for p in (NOTEBOOKS / "es").glob("*.ipynb"))
    assert spanish == [p.name for p in ENGLISH]


@pytest.mark.parametrize("english", ENGLISH, ids=[p.stem for p in ENGLISH])
def test_the_editions_share_every_code_cell(english: Path) -> None:
    en, es = cells(english), cells(NOTEBOOKS / "es" / english.name)
    kinds = [kind for kind, _ in en], [kind for kind, _ in es]
    assert kinds[0] == kinds[1], "the cells differ in kind or number"
    code = [(a, b) for (kind, a), (_, b) in zip(en, es, strict=True) if kind == "code"]
    (first_en, first_es), rest = code[0], code[1:]
    assert LANG_LINE.findall(first_en) == ["en"] and LANG_LINE.findall(first_es) == ["es"]
    assert LANG_LINE.sub("", first_en) == LANG_LINE.sub("", first_es)
    for i, (a, b) in enumerate(rest, start=2):
        assert a == b, f"code cell {i} differs between the editions"


@pytest.mark.parametrize("english", ENGLISH, ids=[p.stem for p in ENGLISH])
def test_markdown_is_translated_and_names_decks_by_course(english: Path) -> None:
    en, es = cells(english), cells(NOTEBOOKS / "es" / english.name)
    for (kind, a), (_, b) in zip(en, es, strict=True):
        if kind == "markdown" and re.search(r"[A-Za-z]{4}", a):
            assert a != b, f"an untranslated markdown cell: {a[:60]!r}"
    for _, text in en + es:
        assert not re.search(r"\bdeck \d{3}\b", text), "name the deck by its course and topic"
