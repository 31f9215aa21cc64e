"""``lang="es"``: every word a drawing or the command line prints comes from the language's table.

The checks read the tables themselves: a Spanish drawing may show no word that only the English
table has, and an English one no word that only the Spanish table has. Words both tables use
("grad", "local", function names) are listed once below, so a new shared word is a decision.
"""

from __future__ import annotations

import ast
import pickle
import re
import string
import threading
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from viz_corpus import slide

import autograd
import nn
import viz
from autograd import Tensor, Value
from viz import cli, language
from viz.expr import EvaluationError, ExprError, build_graph
from viz.trace import Trace

# words in both tables: the same word in both languages, or code a reader types as it is
SHARED = {
    "grad", "local", "tensor", "no", "error",  # the same word in English and Spanish
    "abs", "cos", "exp", "log", "relu", "sigmoid", "sin", "sqrt", "tanh", "backward",  # code
    "max_nodes", "none", "retain_grad", "step_00", "viz", "python", "dir", "dot", "dpi",
    "gif", "html", "latex", "lr", "png", "svg", "tikz", "pow", "px",
    "draw", "collapse", "modules",  # the api name and an argument in the cut warning
    "base",  # "negative base", "base negativa"
}  # fmt: skip
FILE_NAME = re.compile(r"\S+\.(?:svg|png|pdf|gif|tex|html|dot|gv)\b")


def tokens(text: str) -> set[str]:
    """The words of ``text``, lower case; an identifier (``max_nodes``) is one word."""
    text = re.sub(r"\{[^}]*\}", " ", text.replace("\\n", " "))  # fields, argparse's choices
    return {w.lower() for w in re.findall(r"[^\W\d_]\w*", text) if len(w) > 1}


def table_words(lang: str) -> set[str]:
    return set().union(*(tokens(t) for t in language.TABLES[lang].values()))


ONLY = {
    "en": table_words("en") - table_words("es"),
    "es": table_words("es") - table_words("en"),
}
OTHER = {"en": "es", "es": "en"}


def names(root: Any) -> set[str]:
    """The words the graph itself brings: labels, scopes and op names (code, in any language)."""
    words: set[str] = set()
    for node in Trace(root).nodes:
        words |= tokens(f"{node.label} {node.op} {getattr(node, 'scope', '')}")
    return words


def svg_words(svg: str) -> set[str]:
    root = ET.fromstring(svg)
    return set().union(
        *(tokens("".join(t.itertext())) for t in root.iter() if t.tag.endswith("text"))
    )


def foreign(words: set[str], lang: str, root: Any = None) -> set[str]:
    """The words among ``words`` that only the other language's table has."""
    return (words & ONLY[OTHER[lang]]) - (names(root) if root is not None else set())


def rendered(root_or_graph: Any, tmp_path: Path, **options: Any) -> str:
    path = viz.save(root_or_graph, tmp_path / "drawing.svg", **options)
    return path.read_text(encoding="utf-8")


@pytest.fixture(autouse=True)
def english_afterwards() -> Any:
    yield
    viz.set_language("en")


# ---- the tables ---------------------------------------------------------------------------------


def test_tables_have_the_same_entries_with_the_same_fields() -> None:
    assert set(language.EN) == set(language.ES)
    for key, english in language.EN.items():
        fields = {f for _, f, _, _ in string.Formatter().parse(english) if f}
        spanish = {f for _, f, _, _ in string.Formatter().parse(language.ES[key]) if f}
        assert fields == spanish, key


def test_the_words_both_tables_use_are_the_listed_ones() -> None:
    assert table_words("en") & table_words("es") == SHARED
    # the course's own vocabulary
    spanish = table_words("es")
    assert {"semilla", "paso", "dato", "retropropagación", "gradiente", "pérdida"} <= spanish


# ---- drawings -----------------------------------------------------------------------------------


def neuron() -> Value:
    autograd.manual_seed(0)
    out = nn.scalar.Neuron(3, activation="tanh")([1.0, -2.0, 0.5])
    out.backward()
    return out


def mlp() -> Value:
    autograd.manual_seed(0)
    out = nn.scalar.MLP(2, [3, 1])([1.0, -2.0])
    out.backward()
    return out


def lenet() -> Tensor:
    autograd.manual_seed(0)
    x = Tensor(np.random.default_rng(0).random((1, 1, 28, 28), dtype=np.float32), label="x")
    loss = nn.functional.cross_entropy(nn.LeNet()(x), np.array([3]))
    loss.backward()
    return loss


DRAWINGS = {
    "slide": (slide, {"show": "backward"}),
    "slide record": (slide, {"style": "record"}),
    "neuron": (neuron, {"show": "backward"}),
    "mlp": (mlp, {"cluster": "layer", "show": "backward"}),
    "lenet": (lenet, {"collapse": "modules"}),
    "lenet ops": (lenet, {"max_nodes": None}),
}


@pytest.mark.parametrize("lang", ["es", "en"])
@pytest.mark.parametrize("name", list(DRAWINGS))
def test_a_drawing_speaks_one_language(name: str, lang: str, tmp_path: Path) -> None:
    make, options = DRAWINGS[name]
    root = make()
    words = svg_words(rendered(root, tmp_path, lang=lang, **options))
    assert not foreign(words, lang, root)
    assert words & ONLY[lang] or name == "lenet ops"  # it does use its own words


def test_the_spanish_slide_says_semilla_dato_and_local(tmp_path: Path) -> None:
    backward = svg_words(rendered(slide(), tmp_path, lang="es", show="backward"))
    record = svg_words(rendered(slide(), tmp_path, lang="es", style="record"))
    assert {"semilla", "local"} <= backward and {"dato", "grad"} <= record
    assert "seed" in svg_words(rendered(slide(), tmp_path, show="backward"))


def test_spanish_summaries_of_tensors(tmp_path: Path) -> None:
    source = viz.dot_source(lenet(), lang="es", collapse="modules", rankdir="LR")
    assert "media " in source and "mín " in source and "máx " in source and "salida " in source
    assert "mean " not in source and " out " not in source


def test_the_spanish_frames_say_what_each_step_computes(tmp_path: Path) -> None:
    frames = viz.backward_steps(slide(), lang="es")
    titles = [re.search(r"label=<([^>]*)> labelloc", f.source).group(1) for f in frames]
    assert titles == [
        "propagación hacia adelante: todos los gradientes aún son ?",
        "retropropagación, paso 1/5: ∂f/∂f = 1 (la semilla)",
        "retropropagación, paso 2/5: ∂f/∂z = ∂f/∂f · ∂f/∂z = 1 × (-2) = -2",
        "retropropagación, paso 3/5: ∂f/∂(+) = ∂f/∂f · ∂f/∂(+) = 1 × 4 = 4",
        "retropropagación, paso 4/5: ∂f/∂y = ∂f/∂(+) · ∂(+)/∂y = 4 × 1 = 4",
        "retropropagación, paso 5/5: ∂f/∂x = ∂f/∂(+) · ∂(+)/∂x = 4 × 1 = 4",
    ]
    for frame in frames[:3]:
        assert not foreign(svg_words(rendered(frame, tmp_path)), "es", slide())


def test_a_reused_node_and_a_tensor_graph_step_in_spanish() -> None:
    a = Value(3.0, label="a")
    b = a * a + a
    b.label = "b"
    last = viz.backward_steps(b, lang="es")[-1].source
    assert "∂b/∂a = 3 + 3 + 1 = 7 (caminos por ×, × y b)" in last
    x = Tensor([[1.0, -2.0]], requires_grad=True, label="x")
    w = Tensor([[0.5], [1.5]], requires_grad=True, label="W")
    loss = (x @ w).relu().sum()
    loss.backward()
    for lang in ("es", "en"):
        text = " ".join(f.source for f in viz.backward_steps(loss, lang=lang))
        titles = " ".join(re.findall(r"label=<([^>]*)> labelloc", text))
        assert not foreign(tokens(titles), lang, loss), lang
    spanish = " ".join(f.source for f in viz.backward_steps(loss, lang="es"))
    assert "el nodo matmul" in spanish or "el nodo relu" in spanish


# ---- the process default ------------------------------------------------------------------------


def test_set_language_changes_the_default_and_lang_overrides_it() -> None:
    assert viz.get_language() == "en"
    viz.set_language("es")
    assert viz.get_language() == "es"
    assert "semilla" in viz.dot_source(slide(), show="backward")
    assert "(la semilla)" in viz.backward_steps(slide())[1].source
    english = viz.dot_source(slide(), show="backward", lang="en")
    assert "seed" in english and "semilla" not in english
    viz.set_language("en")
    assert "seed" in viz.dot_source(slide(), show="backward")


def test_a_drawing_in_one_thread_keeps_its_language() -> None:
    sources: dict[str, str] = {}

    def draw(lang: str) -> None:
        for _ in range(20):
            sources[lang] = viz.dot_source(slide(), show="backward", lang=lang)

    threads = [threading.Thread(target=draw, args=(lang,)) for lang in ("en", "es")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert "semilla" in sources["es"] and "seed" not in sources["es"]
    assert "seed" in sources["en"] and "semilla" not in sources["en"]


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: viz.draw(slide(), lang="fr"), "draw: unknown lang; got 'fr', expected one of"),
        (lambda: viz.backward_steps(slide(), lang="EN"), "backward_steps: unknown lang; got 'EN'"),
        (lambda: viz.dot_source(slide(), lang=1), "dot_source: unknown lang; got 1"),
        (lambda: viz.set_language("fr"), "set_language: unknown language; got 'fr'"),
        (lambda: viz.set_language(None), "set_language: unknown language; got None"),
    ],
)
def test_an_unknown_language_is_refused_naming_the_known_ones(call: Any, message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)) as caught:
        call()
    assert "('en', 'es')" in str(caught.value)
    assert viz.get_language() == "en"


# ---- the command line ---------------------------------------------------------------------------

SLIDE = ["(x + y) * z", "x=1", "y=-3", "z=4"]


def cli_words(text: str) -> set[str]:
    """The words the command line printed, less the file names it was given and its flags (with
    the language codes an example passes to ``--lang``)."""
    text = re.sub(r"--lang[ =]\w+", " ", FILE_NAME.sub(" ", text))
    return tokens(re.sub(r"(?<!\w)--?[\w-]+", " ", text))


@pytest.mark.parametrize("lang", ["es", "en"])
def test_the_command_line_speaks_one_language(
    lang: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    monkeypatch.chdir(tmp_path)
    frames = "cuadros" if lang == "es" else "frames"
    assert cli.main([*SLIDE, "--lang", lang, "-o", "g.svg", "--steps", frames]) == 0
    done = capsys.readouterr()
    printed = done.out + done.err
    assert "-8" in done.out and not foreign(cli_words(printed) - {frames}, lang)
    assert (tmp_path / frames / "step_05.svg").exists()
    drawn = svg_words((tmp_path / "g.svg").read_text(encoding="utf-8"))
    drawn |= svg_words((tmp_path / frames / "step_02.svg").read_text(encoding="utf-8"))
    assert not foreign(drawn, lang) and drawn & ONLY[lang]
    wrote = {"es": "se escribió g.svg", "en": "wrote g.svg"}[lang]
    assert done.out.splitlines()[-1] == wrote


@pytest.mark.parametrize("lang", ["es", "en"])
def test_command_line_mistakes_speak_one_language(lang: str, capsys: pytest.CaptureFixture) -> None:
    for argv, code in (
        (["x + 1", "x"], 2),
        (["x", "x=1", "x=2"], 2),
        (["x", "x=nan"], 2),
        (["x", "x=1", "-o", "g.jpeg"], 2),
        (["x", "x=1", "--dpi", "0"], 2),
    ):
        assert cli.main([*argv, "--lang", lang]) == code
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and err.startswith("viz: error: "), err
        words = cli_words(err.replace("'", " ")) - tokens(" ".join(argv))
        assert not foreign(words, lang), err
    assert cli.main(["x + 1", "x", "--lang", "es"]) == 2
    assert "se esperaba nombre=valor; se recibió 'x'" in capsys.readouterr().err


@pytest.mark.parametrize("lang", ["es", "en"])
def test_help_shows_examples_in_the_language(lang: str, capsys: pytest.CaptureFixture) -> None:
    with pytest.raises(SystemExit) as done:
        cli.main(["--lang", lang, "--help"])
    assert done.value.code == 0
    text = capsys.readouterr().out
    assert not foreign(cli_words(text), lang)
    assert text.startswith({"es": "uso: ", "en": "usage: "}[lang])
    for example in cli.EXAMPLES:
        assert example in text
    assert "--html" in text and "--tikz" in text and "--quiz" in text and "--dpi" in text


def test_an_unknown_language_on_the_command_line(capsys: pytest.CaptureFixture) -> None:
    assert cli.main([*SLIDE, "--lang", "fr"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("viz: error: ") and "'fr'" in err and "es" in err


def test_the_language_reaches_every_output(captured_calls: dict[str, Any]) -> None:
    argv = [*SLIDE, "--lang", "es", "-o", "g.png", "--dpi", "200", "--steps", "cuadros"]
    assert cli.main(argv) == 0
    assert captured_calls["save"] == {"style": "cs231n", "show": "both", "lang": "es", "dpi": 200}
    assert captured_calls["save_steps"] == captured_calls["save"]


@pytest.fixture
def captured_calls(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    calls: dict[str, Any] = {}

    def fake_save(root: Any, path: Any, **options: Any) -> Path:
        calls["save"] = options
        return Path(path)

    def fake_save_steps(root: Any, directory: Any, file_format: str, **options: Any) -> list:
        calls["save_steps"] = options
        return []

    monkeypatch.setattr(cli, "save", fake_save)
    monkeypatch.setattr(cli, "save_steps", fake_save_steps)
    return calls


# ---- the command line's refusals ----------------------------------------------------------------

LONG = "+".join(["x"] * 3000)  # too deep for Python's tree building: the iterative parser reads it
POWERS = "x**" * 3000  # too deep for Python's parser itself
# one expression per sentence of viz/expr.py that the command line can print: (argv, exit status,
# the entries of the table the line is made of, outermost first)
REFUSALS = {
    "unbound": (["(x + y) * q", "x=1", "y=-3", "z=4"], 2, ["expr_refused", "expr_unbound"]),
    "unknown function": (["open(x)", "x=1"], 2, ["expr_refused", "expr_unknown_function"]),
    "not called": (["exp + 1"], 2, ["expr_refused", "expr_uncalled"]),
    "two arguments": (["exp(x, x)", "x=1"], 2, ["expr_refused", "expr_one_argument"]),
    "called lambda": (["(lambda: 1)()"], 2, ["expr_refused", "expr_call"]),
    "lambda": (["lambda: 1"], 2, ["expr_refused", "expr_lambda"]),
    "attribute": (["x.real", "x=1"], 2, ["expr_refused", "expr_attribute"]),
    "subscript": (["x[0]", "x=1"], 2, ["expr_refused", "expr_subscript"]),
    "comprehension": (["[a for a in (1,)]"], 2, ["expr_refused", "expr_comprehension"]),
    "conditional": (["x if x else 1", "x=1"], 2, ["expr_refused", "expr_conditional"]),
    "comparison": (["x < 1", "x=1"], 2, ["expr_refused", "expr_comparison"]),
    "and/or": (["x and 1", "x=1"], 2, ["expr_refused", "expr_boolean"]),
    "walrus": (["(y := 2)"], 2, ["expr_refused", "expr_assignment"]),
    "f-string": (["f'{x}'", "x=1"], 2, ["expr_refused", "expr_f_string"]),
    "tuple": (["(x, 1)", "x=1"], 2, ["expr_refused", "expr_kind"]),
    "operator": (["x // 2", "x=1"], 2, ["expr_refused", "expr_operator"]),
    "unary": (["~x", "x=1"], 2, ["expr_refused", "expr_unary"]),
    "string": (["'rm -rf'"], 2, ["expr_refused", "expr_constant"]),
    "huge number": (["x * 1e309", "x=1"], 2, ["expr_refused", "expr_huge_number"]),
    "too long": (["x" * 10_001, "x=1"], 2, ["expr_too_long"]),
    "empty": (["  "], 2, ["expr_empty"]),
    "syntax": (["x +", "x=1"], 2, ["expr_cannot_parse"]),
    "deep, ends early": ([POWERS, "x=1"], 2, ["expr_cannot_parse", "expr_ends_early"]),
    "deep, attribute": (
        [LONG + " + x.real", "x=1"],
        2,
        ["expr_cannot_parse", "expr_too_deep", "expr_column"],
    ),
    "deep, two lines": (
        [f"({POWERS}\n x.real)", "x=1"],
        2,
        ["expr_cannot_parse", "expr_too_deep", "expr_line_column"],
    ),
    "overflow": (["10 ** 400.0"], 1, ["expr_evaluation_failed", "expr_overflow"]),
    "negative base": (["(-8) ** (1/3)"], 1, ["expr_evaluation_failed", "expr_negative_base"]),
    "digits": (["x", "x=1", "--digits", "18"], 2, ["cli_bad_option", "cli_bad_int", "cli_up_to"]),
    "max width": (["x", "x=1", "--max-width", "wide"], 2, ["cli_bad_option", "cli_bad_int"]),
}
# sentences no command line can reach: a starred argument is refused with its call, Python's
# tokenizer refuses an unclosed bracket before the iterative parser could, and "unexpected"
# guards nodes the whitelist has already refused
UNREACHABLE = {"expr_starred", "expr_unclosed", "expr_unexpected"}


def entry_pattern(key: str, lang: str) -> str:
    """A regular expression for entry ``key`` of ``lang``'s table: its words exactly, any text
    where a field goes."""
    parts = string.Formatter().parse(language.TABLES[lang][key])
    return "".join(re.escape(literal) + (".*" if field else "") for literal, field, _, _ in parts)


def python_words(expression: str) -> set[str]:
    """The words of Python's own SyntaxError for ``expression`` (it may stay English)."""
    try:
        ast.parse(expression, mode="eval")
    except SyntaxError as e:
        return tokens(str(e.msg))
    except (RecursionError, MemoryError):  # too deep: the iterative parser's own words then
        pass
    return set()


def test_every_refusal_of_an_expression_is_exercised() -> None:
    used = {key for _, _, keys in REFUSALS.values() for key in keys}
    assert {key for key in language.EN if key.startswith("expr_")} - used == UNREACHABLE | {
        "expr_allowed"  # the end of every expr_refused line, checked there
    }


@pytest.mark.parametrize("lang", ["es", "en"])
@pytest.mark.parametrize("case", list(REFUSALS))
def test_a_refusal_speaks_one_language(case: str, lang: str, capsys: pytest.CaptureFixture) -> None:
    argv, code, keys = REFUSALS[case]
    assert cli.main([*argv, "--lang", lang]) == code
    err = capsys.readouterr().err
    assert err.count("\n") == 1, err[:300]
    kind = "cli_refused" if code == 2 and keys[0].startswith("expr_") else "cli_error"
    assert err.startswith(f"viz: {language.text(kind, lang)}: "), err[:300]
    line = err.removeprefix(f"viz: {language.text(kind, lang)}: ").rstrip("\n")
    # the line is the outermost entry, with the others in its fields; a refusal of a node ends
    # with what is allowed
    assert re.fullmatch(entry_pattern(keys[0], lang), line, re.DOTALL), line[:300]
    for key in keys[1:]:
        assert re.search(entry_pattern(key, lang), line, re.DOTALL), (key, line[:300])
    if keys[0] == "expr_refused":
        assert re.search(entry_pattern("expr_allowed", lang) + "$", line), line[:300]
    said = cli_words(line.replace("'", " ")) - tokens(" ".join(argv)) - python_words(argv[0])
    assert not foreign(said, lang), (said & ONLY[OTHER[lang]], line[:300])


@pytest.mark.parametrize(
    ("expression", "spanish"),
    [
        ("(x + y) * q", "el nombre q no tiene valor (dáselo como q=VALOR): `q`; se admiten"),
        ("open(x)", "función desconocida open: `open(x)`; se admiten números, nombres dados"),
        ("x +", "no se puede analizar la expresión: invalid syntax"),  # Python's own words
        ("", "la expresión está vacía; se recibió '', se esperaba p. ej. \"(x + y) * z\""),
        ("(-8) ** (1/3)", "la evaluación falló: pow: base negativa con exponente fraccionario; "
         "se recibió -8 ** 0.3333, se esperaba un exponente entero"),
    ],
)  # fmt: skip
def test_the_spanish_refusals_read_as_the_course_writes(
    expression: str, spanish: str, capsys: pytest.CaptureFixture
) -> None:
    assert cli.main([expression, "x=1", "y=-3", "z=4", "--lang", "es"]) in (1, 2)
    assert spanish in capsys.readouterr().err


def test_set_language_makes_refusals_spanish_without_lang(capsys: pytest.CaptureFixture) -> None:
    viz.set_language("es")
    assert cli.main(["w + 1"]) == 2
    assert capsys.readouterr().err.startswith("viz: rechazado: el nombre w no tiene valor")
    assert cli.main(["w + 1", "--lang", "en"]) == 2
    assert capsys.readouterr().err.startswith("viz: refused: the name w is not bound")


def test_a_refusal_is_worded_when_raised_and_keeps_its_key() -> None:
    with language.speaking("es"), pytest.raises(ExprError) as spanish:
        build_graph("w + 1", {})
    with pytest.raises(ExprError) as english:
        build_graph("w + 1", {})
    assert spanish.value.key == english.value.key == "expr_refused"
    assert str(spanish.value).startswith("el nombre w no tiene valor")
    assert str(english.value).startswith("the name w is not bound (give it as w=VALUE)")
    with pytest.raises(EvaluationError) as failed:
        build_graph("log(x)", {"x": -1.0})
    assert failed.value.key == "expr_evaluation_failed"
    # pickling (multiprocessing) and copying rebuild the error from its key and fields
    copied = pickle.loads(pickle.dumps(english.value))
    assert type(copied) is ExprError and str(copied) == str(english.value)
    assert copied.fields == english.value.fields


def test_the_cut_warning_follows_the_drawing_language() -> None:
    from autograd import Value

    s, w = Value(1.0, label="a"), Value(0.999, label="w")
    for _ in range(600):
        s = s * w
    s.backward()
    for lang, start in (
        ("en", "draw: the graph has 602 nodes"),
        ("es", "draw: el grafo tiene 602"),
    ):
        with pytest.warns(UserWarning) as caught:
            viz.dot_source(s, lang=lang)
        assert str(caught[0].message).startswith(start)
