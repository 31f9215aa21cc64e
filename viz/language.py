"""Every word a drawing, a player, a quiz, an exercise check or the command line prints, one
table per language.

English is the default; `set_language` changes it for the process, and ``lang=`` on any drawing
function for one call. A drawing being built reads its language from `speaking` (a context
variable, so threads drawing in different languages do not mix their words).
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

EN: dict[str, str] = {
    # frame titles of backward_steps
    "forward_title": "forward pass: every gradient still ?",
    "step_title": "backward step {k}/{n}: {text}",
    "the_seed": "the seed",
    "paths_through": "paths through {gates} and {last}",
    "paths": "{n} paths",
    "the_op_node": "the {op} node",
    "constant_tensor": "a constant tensor",
    "no_gradient": "{name} of shape {shape} gets no gradient",
    "seed_not_kept": "the seed enters at {name} (not kept; retain_grad() keeps it)",
    "passes_through": "the gradient passes through {name} (not kept; retain_grad() keeps it)",
    "seed_arrives": "the seed: the gradient of {name} arrives: {summary}",
    "grad_arrives": "the gradient of {name} arrives: {summary}",
    # words on the drawings
    "local": "local {value}",
    "seed": "seed",
    "data": "data {value}",
    "grad": "grad {value}",
    "tensor": "tensor",
    "empty": "empty",
    "mean": "mean {value}",
    "range": "min {low}, max {high}",
    "terms": "... ({n} terms)",
    "loss": "loss",
    "node_count": "{n} node",
    "nodes_count": "{n} nodes",
    "more_parameters": "... {n} more parameters",
    "out": "out {value}",
    "outputs": "{n} outputs",
    "constant": "const",
    "no_bias": "no bias",
    "hidden_nodes": "{n} more nodes not drawn (max_nodes={limit})",
    "cut_warning": "draw: the graph has {n} nodes, {why}; drawing the {k} nearest the output. Pass "
    "max_nodes=None to draw all of them, or collapse='modules' for a network.",
    "cut_max_nodes": "more than max_nodes={limit}",
    "cut_some": "and {k} of them",
    "cut_all": "which",
    "cut_would_make": "{who} would make a drawing {over}",
    "cut_too_long": "{w} x {h} px, more than {limit} px on its long side",
    "cut_too_slow": "whose wires cross too many ranks to lay out quickly",
    "hidden_nodes_why": "{n} more nodes not drawn: {why}.\\nmax_nodes=None draws them all",
    "too_big": "the drawing would be too big",
    # the player and the quiz
    "step": "step",
    "previous": "previous",
    "next": "next",
    "play": "play",
    "pause": "pause",
    "check": "check",
    "reveal_next": "reveal next",
    "right": "right",
    "wrong": "wrong",
    "try_again": "try again",
    "quiz_title": "Backpropagation quiz: fill in every gradient ∂{out}/∂·",
    "quiz_blank": "{n} gradient to fill in",
    "quiz_blanks": "{n} gradients to fill in",
    # viz.plots
    "plot_loss": "loss",
    "plot_metrics": "metrics",
    "plot_epoch": "epoch",
    "plot_boundary": "decision boundary",
    "plot_paths": "optimizer paths",
    "plot_path": "path {i}",
    "plot_channel": "channel {k}",
    "plot_image_channel": "image {i}, ch {k}",
    # exercises that check themselves (viz/exercises.py)
    "ex_label": "Exercise {exercise}",
    "ex_right": "✓ {label}: right.",
    "ex_wrong": "✗ {label}: not yet. {hint}",
    "ex_unanswered": "… {label}: not answered yet: write your answer in place of the ...",
    "ex_unfinished": "… {label}: not answered yet: your function still returns None",
    "ex_not_number": "Expected a number; got {got}.",
    "ex_not_array": "Expected an array of numbers; got {got}.",
    "ex_shape": "Expected shape {expected}; got {got}.",
    "ex_not_mapping": "Expected a dict of named numbers; got {got}.",
    "ex_missing": "Missing: {names}.",
    "ex_extra": "Not expected: {names}.",
    "ex_off": "Off: {names}.",
    "ex_not_collection": "Expected a collection, such as a list or a set; got {got}.",
    "ex_not_function": "Expected a function; got {got}.",
    "ex_raised": "{call} raised {error}.",
    "ex_case": "{call} gave {got}, expected {expected}.",
    # the command line
    "cli_description": (
        "Draw the computation graph of a scalar expression after backward(). Numbers, names "
        "bound as name=value, + - * / **, unary minus and exp log sqrt tanh sigmoid relu sin cos "
        "abs are allowed; anything else is refused. An expression may start with '-' "
        '("-x * y").'
    ),
    "cli_example": "example",
    "cli_examples": "examples",
    "cli_expression_name": "expression",
    "cli_binding_name": "name=value",
    "cli_file": "FILE",
    "cli_usage": "usage: ",
    "cli_arguments": "arguments",
    "cli_options": "options",
    "cli_help": "show this help and exit",
    "cli_expression": 'the expression, e.g. "(x + y) * z"',
    "cli_bindings": "the value of every name, e.g. x=1 y=-3 z=4",
    "cli_output": "file to write ({suffixes}); DOT to stdout if absent or {stdout}",
    "cli_style": "how the graph is drawn",
    "cli_show": "what the drawing shows: values and gradients, values, the chain rule, shapes",
    "cli_rankdir": "direction of the drawing; automatic if absent (LR unless that is too wide)",
    "cli_digits": "significant digits of every number (1-17)",
    "cli_max_width": "widest drawing in pixels at 96 dpi; a wider one is turned or scaled down",
    "cli_dpi": "resolution of raster outputs (.png, .gif), dots per inch",
    "cli_lang": "language of every word drawn and printed",
    "cli_steps": "also write one frame per backward step: DIR/step_00.svg ...",
    "cli_html": "also write the step-by-step player as an offline HTML page",
    "cli_tikz": "also write the drawing as a TikZ picture for LaTeX",
    "cli_quiz": "also write a quiz (gradients left blank) as an offline HTML page",
    "cli_wrote": "wrote {path}",
    "cli_wrote_frames": "wrote {n} frames to {path}",
    "cli_error": "error",
    "cli_refused": "refused",
    "cli_note": "note",
    "cli_missing": "this installation has no viz.{name}; {flag} needs it",
    "cli_bad_int": "expected a positive integer{most}; got {text}",
    "cli_up_to": " up to {most}",
    "cli_bad_binding": "expected name=value; got {item}. {example}",
    "cli_keyword": "the name {name} is a Python keyword; got {item}, expected a name the "
    "expression can use",
    "cli_twice": "{name} is given twice; got {first} and {second}, expected one value per name",
    "cli_not_number": "the value of {name} is not a number; got {text}",
    "cli_not_finite": "the value of {name} must be a finite number; got {text}",
    "cli_bad_suffix": "-o must end in {suffixes}; got {target}",
    "cli_bad_option": "argument {option}: {message}",
    # the command line's refusals of an expression (viz/expr.py)
    "expr_refused": "{problem}: `{snippet}`; {allowed}",
    "expr_allowed": "allowed are numbers, names bound as name=value, + - * / **, unary - and +, "
    "and {functions} of one argument",
    "expr_too_long": "the expression is too long; got {length} characters, expected at most {most}",
    "expr_empty": "the expression is empty; got {text}, expected e.g. {example}",
    "expr_cannot_parse": "cannot parse the expression: {reason}",
    "expr_ends_early": "it ends where an operand is expected",
    "expr_unclosed": "'(' was never closed",
    "expr_too_deep": "it is too deep for Python's parser, and the parser for deep expressions "
    "reads only numbers, names, + - * / **, unary - and +, parentheses and calls; got `{token}` "
    "at {where}",
    "expr_column": "column {column}",
    "expr_line_column": "line {line}, column {column}",
    "expr_operator": "the operator {name} is not allowed",
    "expr_unary": "this unary operator is not allowed",
    "expr_constant": "only numbers are allowed as constants, not {kind}",
    "expr_huge_number": "the number is too large for a float",
    "expr_uncalled": "the function {name} must be called",
    "expr_unbound": "the name {name} is not bound (give it as {name}=VALUE)",
    "expr_call": "calling anything but a named function is not allowed",
    "expr_unknown_function": "unknown function {name}",
    "expr_one_argument": "{name} takes exactly one positional argument",
    "expr_attribute": "attribute access is not allowed",
    "expr_subscript": "subscripts are not allowed",
    "expr_lambda": "lambda is not allowed",
    "expr_comprehension": "comprehensions are not allowed",
    "expr_conditional": "conditional expressions are not allowed",
    "expr_comparison": "comparisons are not allowed",
    "expr_boolean": "and/or are not allowed",
    "expr_assignment": "assignment expressions are not allowed",
    "expr_f_string": "f-strings are not allowed",
    "expr_starred": "star arguments are not allowed",
    "expr_kind": "{kind} expressions are not allowed",
    "expr_unexpected": "unexpected {kind}",
    "expr_evaluation_failed": "evaluation failed: {reason}",
    "expr_overflow": "a number is too large for a float",
    "expr_negative_base": "pow: negative base with a fractional exponent; got {base} ** "
    "{exponent}, expected an integer exponent",
}

ES: dict[str, str] = {
    "forward_title": "propagación hacia adelante: todos los gradientes aún son ?",
    "step_title": "retropropagación, paso {k}/{n}: {text}",
    "the_seed": "la semilla",
    "paths_through": "caminos por {gates} y {last}",
    "paths": "{n} caminos",
    "the_op_node": "el nodo {op}",
    "constant_tensor": "un tensor constante",
    "no_gradient": "{name} de forma {shape} no recibe gradiente",
    "seed_not_kept": "la semilla entra por {name} (no se guarda; retain_grad() lo guarda)",
    "passes_through": "el gradiente pasa por {name} (no se guarda; retain_grad() lo guarda)",
    "seed_arrives": "la semilla: {name} recibe su gradiente: {summary}",
    "grad_arrives": "{name} recibe su gradiente: {summary}",
    "local": "local {value}",
    "seed": "semilla",
    "data": "dato {value}",
    "grad": "grad {value}",
    "tensor": "tensor",
    "empty": "vacío",
    "mean": "media {value}",
    "range": "mín {low}, máx {high}",
    "terms": "... ({n} términos)",
    "loss": "pérdida",
    "node_count": "{n} nodo",
    "nodes_count": "{n} nodos",
    "more_parameters": "... {n} parámetros más",
    "out": "salida {value}",
    "outputs": "{n} salidas",
    "constant": "constante",
    "no_bias": "sin sesgo",
    "hidden_nodes": "{n} nodos más sin dibujar (max_nodes={limit})",
    "cut_warning": "draw: el grafo tiene {n} nodos, {why}; se dibujan los {k} más cercanos a la "
    "salida. Pasa max_nodes=None para dibujarlos todos, o collapse='modules' para una red.",
    "cut_max_nodes": "más que max_nodes={limit}",
    "cut_some": "y {k} de ellos",
    "cut_all": "que",
    "cut_would_make": "{who} darían un dibujo {over}",
    "cut_too_long": "de {w} x {h} px, más de {limit} px en su lado largo",
    "cut_too_slow": "cuyos cables cruzan demasiados rangos para trazarlo rápido",
    "hidden_nodes_why": "{n} nodos más sin dibujar: {why}.\\nmax_nodes=None los dibuja todos",
    "too_big": "el dibujo sería demasiado grande",
    "step": "paso",
    "previous": "anterior",
    "next": "siguiente",
    "play": "reproducir",
    "pause": "pausa",
    "check": "comprobar",
    "reveal_next": "mostrar el siguiente",
    "right": "correcto",
    "wrong": "incorrecto",
    "try_again": "inténtalo de nuevo",
    "quiz_title": "Cuestionario de retropropagación: completa cada gradiente ∂{out}/∂·",
    "quiz_blank": "{n} gradiente por completar",
    "quiz_blanks": "{n} gradientes por completar",
    # viz.plots
    "plot_loss": "pérdida",
    "plot_metrics": "métricas",
    "plot_epoch": "época",
    "plot_boundary": "frontera de decisión",
    "plot_paths": "trayectorias de los optimizadores",
    "plot_path": "trayectoria {i}",
    "plot_channel": "canal {k}",
    "plot_image_channel": "imagen {i}, canal {k}",
    # ejercicios que se corrigen solos (viz/exercises.py)
    "ex_label": "Ejercicio {exercise}",
    "ex_right": "✓ {label}: correcto.",
    "ex_wrong": "✗ {label}: todavía no. {hint}",
    "ex_unanswered": "… {label}: sin responder: escribe tu respuesta en lugar de los ...",
    "ex_unfinished": "… {label}: sin responder: tu función todavía devuelve None",
    "ex_not_number": "Se esperaba un número; llegó {got}.",
    "ex_not_array": "Se esperaba un arreglo de números; llegó {got}.",
    "ex_shape": "Se esperaba la forma {expected}; llegó {got}.",
    "ex_not_mapping": "Se esperaba un diccionario de números con nombre; llegó {got}.",
    "ex_missing": "Faltan: {names}.",
    "ex_extra": "Sobran: {names}.",
    "ex_off": "No coinciden: {names}.",
    "ex_not_collection": "Se esperaba una colección (lista, tupla o conjunto); llegó {got}.",
    "ex_not_function": "Se esperaba una función; llegó {got}.",
    "ex_raised": "{call} lanzó {error}.",
    "ex_case": "{call} dio {got}, se esperaba {expected}.",
    "cli_description": (
        "Dibuja el grafo computacional de una expresión escalar tras backward(). Se admiten "
        "números, nombres dados como nombre=valor, + - * / **, el menos unario y exp log sqrt "
        "tanh sigmoid relu sin cos abs; todo lo demás se rechaza. Una expresión puede empezar "
        "con '-' (\"-x * y\")."
    ),
    "cli_example": "ejemplo",
    "cli_examples": "ejemplos",
    "cli_expression_name": "expresión",
    "cli_binding_name": "nombre=valor",
    "cli_file": "ARCHIVO",
    "cli_usage": "uso: ",
    "cli_arguments": "argumentos",
    "cli_options": "opciones",
    "cli_help": "muestra esta ayuda y termina",
    "cli_expression": 'la expresión, p. ej. "(x + y) * z"',
    "cli_bindings": "el valor de cada nombre, p. ej. x=1 y=-3 z=4",
    "cli_output": "archivo de salida ({suffixes}); DOT por la salida estándar si falta o es "
    "{stdout}",
    "cli_style": "cómo se dibuja el grafo",
    "cli_show": "qué muestra el dibujo: valores y gradientes, valores, la regla de la cadena, "
    "formas",
    "cli_rankdir": "dirección del dibujo; automática si falta (LR salvo que quede demasiado ancho)",
    "cli_digits": "cifras significativas de cada número (1-17)",
    "cli_max_width": "ancho máximo del dibujo en píxeles a 96 dpi; uno más ancho se gira o se "
    "reduce",
    "cli_dpi": "resolución de las salidas rasterizadas (.png, .gif), puntos por pulgada",
    "cli_lang": "idioma de cada palabra dibujada e impresa",
    "cli_steps": "escribe además un cuadro por paso de la retropropagación: DIR/step_00.svg ...",
    "cli_html": "escribe además el reproductor paso a paso como página HTML sin conexión",
    "cli_tikz": "escribe además el dibujo como figura TikZ para LaTeX",
    "cli_quiz": "escribe además un cuestionario (gradientes en blanco) como página HTML sin "
    "conexión",
    "cli_wrote": "se escribió {path}",
    "cli_wrote_frames": "se escribieron {n} cuadros en {path}",
    "cli_error": "error",
    "cli_refused": "rechazado",
    "cli_note": "nota",
    "cli_missing": "esta instalación no tiene viz.{name}; {flag} la necesita",
    "cli_bad_int": "se esperaba un entero positivo{most}; se recibió {text}",
    "cli_up_to": " hasta {most}",
    "cli_bad_binding": "se esperaba nombre=valor; se recibió {item}. {example}",
    "cli_keyword": "el nombre {name} es una palabra reservada de Python; se recibió {item}, se "
    "esperaba un nombre que la expresión pueda usar",
    "cli_twice": "{name} aparece dos veces; se recibió {first} y {second}, se esperaba un valor "
    "por nombre",
    "cli_not_number": "el valor de {name} no es un número; se recibió {text}",
    "cli_not_finite": "el valor de {name} debe ser un número finito; se recibió {text}",
    "cli_bad_suffix": "-o debe terminar en {suffixes}; se recibió {target}",
    "cli_bad_option": "argumento {option}: {message}",
    "expr_refused": "{problem}: `{snippet}`; {allowed}",
    "expr_allowed": "se admiten números, nombres dados como nombre=valor, + - * / **, - y + "
    "unarios, y {functions} de un argumento",
    "expr_too_long": "la expresión es demasiado larga; se recibieron {length} caracteres, se "
    "esperaban como mucho {most}",
    "expr_empty": "la expresión está vacía; se recibió {text}, se esperaba p. ej. {example}",
    "expr_cannot_parse": "no se puede analizar la expresión: {reason}",
    "expr_ends_early": "termina donde se espera un operando",
    "expr_unclosed": "falta cerrar un '('",
    "expr_too_deep": "es demasiado profunda para el analizador de Python, y el de expresiones "
    "profundas solo lee números, nombres, + - * / **, - y + unarios, paréntesis y llamadas; se "
    "recibió `{token}` en {where}",
    "expr_column": "la columna {column}",
    "expr_line_column": "la línea {line}, columna {column}",
    "expr_operator": "no se permite el operador {name}",
    "expr_unary": "no se permite este operador unario",
    "expr_constant": "solo se admiten números como constantes, no {kind}",
    "expr_huge_number": "el número es demasiado grande para la coma flotante",
    "expr_uncalled": "hay que llamar a la función {name}",
    "expr_unbound": "el nombre {name} no tiene valor (dáselo como {name}=VALOR)",
    "expr_call": "solo se pueden llamar funciones por su nombre",
    "expr_unknown_function": "función desconocida {name}",
    "expr_one_argument": "{name} recibe exactamente un argumento posicional",
    "expr_attribute": "no se permite acceder a atributos",
    "expr_subscript": "no se permiten subíndices",
    "expr_lambda": "no se permiten funciones anónimas",
    "expr_comprehension": "no se permiten comprensiones",
    "expr_conditional": "no se permiten expresiones condicionales",
    "expr_comparison": "no se permiten comparaciones",
    "expr_boolean": "no se permiten operadores lógicos",
    "expr_assignment": "no se permiten expresiones de asignación",
    "expr_f_string": "no se permiten cadenas formateadas",
    "expr_starred": "no se permiten argumentos con asterisco",
    "expr_kind": "no se permiten expresiones {kind}",
    "expr_unexpected": "{kind} inesperado",
    "expr_evaluation_failed": "la evaluación falló: {reason}",
    "expr_overflow": "un número es demasiado grande para la coma flotante",
    "expr_negative_base": "pow: base negativa con exponente fraccionario; se recibió {base} ** "
    "{exponent}, se esperaba un exponente entero",
}

TABLES: dict[str, Mapping[str, str]] = {"en": EN, "es": ES}
LANGUAGES = tuple(TABLES)

_default = "en"
_speaking: contextvars.ContextVar[str | None] = contextvars.ContextVar("viz_lang", default=None)


def check(api: str, lang: Any) -> str:
    """``lang`` if it is a known language, the process default for None; else a ValueError.

    >>> check("draw", "es"), check("draw", None)
    ('es', 'en')
    >>> check("draw", "fr")
    Traceback (most recent call last):
    ...
    ValueError: draw: unknown lang; got 'fr', expected one of ('en', 'es')
    """
    if lang is None:
        return current()
    if not isinstance(lang, str) or lang not in TABLES:
        raise ValueError(f"{api}: unknown lang; got {lang!r}, expected one of {LANGUAGES}")
    return lang


def set_language(lang: str) -> None:
    """Make ``lang`` (``"en"`` or ``"es"``) the language of every drawing that names none.

    >>> set_language("es"); get_language()
    'es'
    >>> set_language("en")
    """
    global _default
    if not isinstance(lang, str) or lang not in TABLES:
        raise ValueError(
            f"set_language: unknown language; got {lang!r}, expected one of {LANGUAGES}"
        )
    _default = lang


def get_language() -> str:
    """The process default set by `set_language` (``"en"`` unless changed)."""
    return _default


def current() -> str:
    """The language of the drawing being built (see `speaking`), else the process default."""
    return _speaking.get() or _default


@contextmanager
def speaking(lang: str | None) -> Iterator[None]:
    """Within the block, `text` without a ``lang`` uses ``lang`` (None: the current language): a
    drawing's words follow its ``lang=`` option all the way down without every helper passing
    it on."""
    token = _speaking.set(check("speaking", lang))
    try:
        yield
    finally:
        _speaking.reset(token)


def words(lang: str | None = None) -> Mapping[str, str]:
    """The table of ``lang`` (None: the current language)."""
    return TABLES[check("words", lang)]


def text(key: str, lang: str | None = None, **fields: Any) -> str:
    """Entry ``key`` of the table of ``lang`` (None: the current language), filled with ``fields``.

    >>> text("step_title", "es", k=2, n=5, text="∂f/∂z = -2")
    'retropropagación, paso 2/5: ∂f/∂z = -2'
    >>> text("seed")
    'seed'
    """
    return words(lang)[key].format(**fields)
