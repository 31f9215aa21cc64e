"""A safe parser for the command line's expressions: Python's ast walked against a whitelist.

Allowed: numbers, names bound on the command line, ``+ - * / **``, unary ``-`` and ``+``, and
calls of ``exp log sqrt tanh sigmoid relu sin cos abs`` with one argument. Everything else is
refused before anything is evaluated; nothing is ever passed to ``eval``. An expression too deep
for Python's own recursive tree building (a flat sum of 3,000 terms is one) is read by
`iterative_parse`, which builds the same tree for that grammar without recursion. Every refusal
is a sentence of `viz.language`'s table, in the language being spoken when it is raised.
"""

from __future__ import annotations

import ast
import functools
import io
import keyword
import math
import tokenize
import unicodedata
from collections import deque
from collections.abc import Mapping
from typing import Any, NamedTuple, cast

from viz.language import text as word

FUNCTIONS = ("exp", "log", "sqrt", "tanh", "sigmoid", "relu", "sin", "cos", "abs")
MAX_LENGTH = 10_000
MAX_SNIPPET = 60  # characters of the expression quoted in a refusal
MAX_NAME = 30  # characters of a name repeated in a message
EXAMPLE = '"(x + y) * z"'
_OPERATORS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "**"}
_REFUSED = {  # the word table's sentence refusing each kind of node
    ast.Attribute: "expr_attribute",
    ast.Subscript: "expr_subscript",
    ast.Lambda: "expr_lambda",
    ast.ListComp: "expr_comprehension",
    ast.SetComp: "expr_comprehension",
    ast.DictComp: "expr_comprehension",
    ast.GeneratorExp: "expr_comprehension",
    ast.IfExp: "expr_conditional",
    ast.Compare: "expr_comparison",
    ast.BoolOp: "expr_boolean",
    ast.NamedExpr: "expr_assignment",
    ast.JoinedStr: "expr_f_string",
    ast.Starred: "expr_starred",
}


class ExprError(ValueError):
    """An expression the command line refuses; the message is one line.

    Args:
        key: the entry of `viz.language`'s table that says why, e.g. ``"expr_unbound"``.
        **fields: the entry's fields, filled in the current language (`viz.language.speaking`)
            when the error is raised; ``key`` and ``fields`` stay on the error for a caller
            that tells refusals apart.

    >>> from viz.language import speaking
    >>> with speaking("es"):
    ...     print(ExprError("expr_unknown_function", name="open"))
    función desconocida open
    """

    def __init__(self, key: str, **fields: Any) -> None:
        super().__init__(word(key, **fields))
        self.key, self.fields = key, fields

    def __reduce__(self) -> tuple[Any, ...]:  # pickle and copy call the class with key and fields
        return functools.partial(type(self), self.key, **self.fields), ()


class EvaluationError(ExprError):
    """An allowed expression whose evaluation failed (``log(-1)``, an overflow); one line."""


def _allowed() -> str:
    """What the whitelist allows, in the current language: the end of every refusal."""
    return word("expr_allowed", functions=" ".join(FUNCTIONS))


def parse(text: str, names: Mapping[str, Any]) -> ast.Expression:
    """``text`` parsed and checked against the whitelist, with every name bound in ``names``.

    >>> parse("(x + y) * z", {"x": 1, "y": -3, "z": 4}).body.op.__class__.__name__
    'Mult'
    >>> parse("x.__class__", {"x": 1})  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    viz.expr.ExprError: attribute access is not allowed: `x.__class__`; allowed are numbers, ...
    """
    if len(text) > MAX_LENGTH:
        raise ExprError("expr_too_long", length=len(text), most=MAX_LENGTH)
    source = text.strip()
    if not source:
        raise ExprError("expr_empty", text=shorten(repr(text)), example=EXAMPLE)
    tree = _syntax_tree(source)
    queue: deque[ast.AST] = deque([tree.body])
    while queue:  # breadth-first: the outermost offence is reported
        node = queue.popleft()
        problem = _problem(node, names)
        if not problem:
            # a call's function is a checked name; only its argument is walked further
            queue.extend(node.args if isinstance(node, ast.Call) else ast.iter_child_nodes(node))
            continue
        snippet = " ".join((ast.get_source_segment(source, node) or "").split())
        raise ExprError(
            "expr_refused",
            problem=problem,
            snippet=shorten(snippet, MAX_SNIPPET),
            allowed=_allowed(),
        )
    return tree


def shorten(text: str, limit: int = MAX_NAME) -> str:
    """``text``, cut to ``limit`` characters ending in ``...`` if it is longer.

    >>> shorten("a" * 40, 10)
    'aaaaaaa...'
    """
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _syntax_tree(source: str) -> ast.Expression:
    """Python's tree of ``source``, or `iterative_parse`'s where Python's recursion gives up."""
    try:
        return ast.parse(source, mode="eval")
    except SyntaxError as e:  # also more than 200 nested brackets, or a 5,000-digit number
        raise ExprError("expr_cannot_parse", reason=e.msg) from None
    except ValueError as e:  # a null byte, before Python 3.12
        raise ExprError("expr_cannot_parse", reason=str(e)) from None
    except (RecursionError, MemoryError):
        # Python converts its tree to objects recursively, and a flat 3,000-term sum is a tree
        # 3,000 deep; its parser runs out of stack on ~3,000 chained ** likewise
        return iterative_parse(source)


def _problem(node: ast.AST, names: Mapping[str, Any]) -> str | None:
    """Why ``node`` is refused, in the current language, or None if the whitelist allows it."""
    if isinstance(node, ast.BinOp):
        if type(node.op) not in _OPERATORS:
            return word("expr_operator", name=type(node.op).__name__)
        return None
    if isinstance(node, ast.UnaryOp):
        if isinstance(node.op, (ast.USub, ast.UAdd)):
            return None
        return word("expr_unary")
    if isinstance(node, ast.Constant):
        value = node.value
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return word("expr_constant", kind=type(value).__name__)
        try:
            number = float(value)
        except OverflowError:
            number = math.inf
        if math.isinf(number):  # 1e309, or an integer past 1.8e308
            return word("expr_huge_number")
        return None
    if isinstance(node, ast.Name):
        if node.id in names:
            return None
        if node.id in FUNCTIONS:
            return word("expr_uncalled", name=node.id)
        return word("expr_unbound", name=shorten(node.id))
    if isinstance(node, ast.Call):
        if not isinstance(node.func, ast.Name):
            return word("expr_call")
        if node.func.id not in FUNCTIONS:
            return word("expr_unknown_function", name=shorten(node.func.id))
        if node.keywords or len(node.args) != 1 or isinstance(node.args[0], ast.Starred):
            return word("expr_one_argument", name=node.func.id)
        return None
    if isinstance(node, ast.expr_context):
        return None
    if isinstance(node, (ast.operator, ast.unaryop)):
        return None
    if type(node) in _REFUSED:
        return word(_REFUSED[type(node)])
    return word("expr_kind", kind=type(node).__name__)


def build_graph(text: str, values: Mapping[str, float]) -> Any:
    """The `Value` graph of ``text`` with each name a leaf labelled by its name.

    A name used twice is the same leaf (fan-out); numbers stay constants.

    Raises:
        ExprError: the expression is refused.
        EvaluationError: evaluating it fails (e.g. ``log(-1)``).

    >>> f = build_graph("(x + y) * z", {"x": 1.0, "y": -3.0, "z": 4.0})
    >>> f.data, [p.label for p in f.parents]
    (-8.0, ['', 'z'])
    """
    tree = parse(text, values)  # refuse before importing or building anything

    from autograd import Value

    leaves: dict[str, Any] = {}
    results: list[Any] = []
    stack: list[tuple[ast.AST, bool]] = [(tree.body, False)]
    try:
        while stack:  # iterative post-order: no recursion limit on long expressions
            node, ready = stack.pop()
            if not ready:
                stack.append((node, True))
                stack.extend((child, False) for child in reversed(_operands(node)))
                continue
            results.append(_apply(node, results, leaves, values, Value))
        root = results[-1]
        return root if isinstance(root, Value) else Value(root)
    except OverflowError:
        raise EvaluationError("expr_evaluation_failed", reason=word("expr_overflow")) from None
    except (ArithmeticError, ValueError, TypeError) as e:
        raise EvaluationError("expr_evaluation_failed", reason=str(e)) from None


def _operands(node: ast.AST) -> list[ast.AST]:
    if isinstance(node, ast.BinOp):
        return [node.left, node.right]
    if isinstance(node, ast.UnaryOp):
        return [node.operand]
    if isinstance(node, ast.Call):
        return [node.args[0]]
    return []


def _apply(
    node: ast.AST,
    results: list[Any],
    leaves: dict[str, Any],
    values: Mapping[str, float],
    value_type: type,
) -> Any:
    """The result of one checked node, its operands taken from the end of ``results``."""
    if isinstance(node, ast.Constant):
        return float(cast(float, node.value))  # a number: parse() refused the rest
    if isinstance(node, ast.Name):
        if node.id not in leaves:
            leaves[node.id] = value_type(values[node.id], label=node.id)
        return leaves[node.id]
    if isinstance(node, ast.BinOp):
        right, left = results.pop(), results.pop()
        op = type(node.op)
        if op is ast.Add:
            return left + right
        if op is ast.Sub:
            return left - right
        if op is ast.Mult:
            return left * right
        if op is ast.Div:
            return left / right
        power = left**right
        if isinstance(power, complex):  # two numbers: Python's float ** gives a complex root
            raise ValueError(
                word("expr_negative_base", base=f"{left:.4g}", exponent=f"{right:.4g}")
            )
        return power
    if isinstance(node, ast.UnaryOp):
        operand = results.pop()
        return -operand if isinstance(node.op, ast.USub) else +operand
    if isinstance(node, ast.Call):
        operand = results.pop()
        if not isinstance(operand, value_type):
            operand = value_type(operand)
        return _call(operand, node.func.id)  # type: ignore[attr-defined]
    raise ExprError("expr_unexpected", kind=type(node).__name__)


def _call(x: Any, name: str) -> Any:
    """``name(x)`` for one of the whitelisted functions, by explicit dispatch (no getattr)."""
    if name == "exp":
        return x.exp()
    if name == "log":
        return x.log()
    if name == "sqrt":
        return x.sqrt()
    if name == "tanh":
        return x.tanh()
    if name == "sigmoid":
        return x.sigmoid()
    if name == "relu":
        return x.relu()
    if name == "sin":
        return x.sin()
    if name == "cos":
        return x.cos()
    return abs(x)


# ---- the parser for expressions too deep for Python's -------------------------------------------

_BINARY = {  # operator: its ast class and precedence
    "+": (ast.Add, 1),
    "-": (ast.Sub, 1),
    "*": (ast.Mult, 2),
    "/": (ast.Div, 2),
    "**": (ast.Pow, 4),
}
_UNARY = {"-": ast.USub, "+": ast.UAdd}
_UNARY_PRECEDENCE = 3  # tighter than * and /, looser than a ** to its right: -x**2 is -(x**2)
_CONSTANTS = {"True": True, "False": False, "None": None}  # for the whitelist to refuse
_LAYOUT = {tokenize.NL, tokenize.NEWLINE, tokenize.COMMENT, tokenize.INDENT, tokenize.DEDENT}

Position = tuple[int, int]  # (line, UTF-8 byte column), as ast counts them


class _Operand(NamedTuple):
    """A parsed subexpression and the text it spans, enclosing parentheses included."""

    node: ast.expr
    start: Position
    end: Position


class _Waiting(NamedTuple):
    """An operator, bracket or call waiting on the stack for its operands."""

    kind: str  # "binary", "unary", "group" or "call"
    what: Any  # the ast operator class, or a call's function Name
    precedence: int
    start: Position
    base: int  # for a bracket: how many operands were on the stack when it opened


def iterative_parse(source: str) -> ast.Expression:
    """The tree `ast.parse` gives for ``source``, for numbers, names, ``+ - * / **``, unary ``-``
    and ``+``, parentheses and calls, built without recursion (operator precedence parsing).

    Python builds its tree recursively and gives up on a flat sum of a few thousand terms; this
    reads any depth. Nodes, operators, precedence, names (NFKC-normalised, as Python does) and
    positions are those of `ast.parse`; anything outside that grammar is an `ExprError`.

    >>> tree = iterative_parse("-x**2 * 3")
    >>> ast.dump(tree) == ast.dump(ast.parse("(-(x**2)) * 3", mode="eval"))
    True
    """
    tokens = _tokens(source)
    operands: list[_Operand] = []
    waiting: list[_Waiting] = []
    expect_operand, previous, i = True, "", 0
    while i < len(tokens):
        token = tokens[i]
        start, end = _position(token, token.start), _position(token, token.end)
        text, is_op = token.string, token.type == tokenize.OP
        i += 1
        if expect_operand and token.type == tokenize.NUMBER:
            operands.append(_operand(ast.Constant(value=_number(token), kind=None), start, end))
            expect_operand = False
        elif expect_operand and text in _CONSTANTS and token.type == tokenize.NAME:
            operands.append(_operand(ast.Constant(value=_CONSTANTS[text], kind=None), start, end))
            expect_operand = False
        elif expect_operand and token.type == tokenize.NAME and _is_name(text):
            name = _at(ast.Name(id=unicodedata.normalize("NFKC", text), ctx=ast.Load()), start, end)
            if i < len(tokens) and tokens[i].type == tokenize.OP and tokens[i].string == "(":
                waiting.append(_Waiting("call", name, 0, start, len(operands)))
                i += 1
            else:
                operands.append(_Operand(name, start, end))
                expect_operand = False
        elif expect_operand and is_op and text in _UNARY:
            waiting.append(_Waiting("unary", _UNARY[text], _UNARY_PRECEDENCE, start, 0))
        elif expect_operand and is_op and text == "(":
            waiting.append(_Waiting("group", None, 0, start, len(operands)))
        elif not expect_operand and is_op and text in _BINARY:
            operator, precedence = _BINARY[text]
            _reduce(operands, waiting, precedence, right_associative=text == "**")
            waiting.append(_Waiting("binary", operator, precedence, start, 0))
            expect_operand = True
        elif not expect_operand and is_op and text == "," and _in_call(operands, waiting):
            expect_operand = True
        elif is_op and text == ")" and _closes(expect_operand, previous, operands, waiting):
            _close(operands, waiting, end)
            expect_operand = False
        else:
            raise _unexpected(token)
        previous = text
    if expect_operand:
        raise ExprError("expr_cannot_parse", reason=word("expr_ends_early"))
    _reduce(operands, waiting, 0, right_associative=False)
    if waiting:
        raise ExprError("expr_cannot_parse", reason=word("expr_unclosed"))
    return ast.Expression(body=operands[0].node)


def _tokens(source: str) -> list[tokenize.TokenInfo]:
    """Python's tokens of ``source``, without line breaks and comments."""
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (tokenize.TokenError, SyntaxError) as e:
        raise ExprError("expr_cannot_parse", reason=e.args[0]) from None
    return [t for t in tokens if t.type not in _LAYOUT and t.type != tokenize.ENDMARKER]


def _position(token: tokenize.TokenInfo, where: tuple[int, int]) -> Position:
    """``where`` (line, character column) as ast counts it: (line, UTF-8 byte column)."""
    line, column = where
    return line, len(token.line[:column].encode("utf-8"))


def _at(node: Any, start: Position, end: Position) -> Any:
    node.lineno, node.col_offset = start
    node.end_lineno, node.end_col_offset = end
    return node


def _operand(node: ast.expr, start: Position, end: Position) -> _Operand:
    return _Operand(_at(node, start, end), start, end)


def _is_name(text: str) -> bool:
    return text.isidentifier() and not keyword.iskeyword(text)


def _number(token: tokenize.TokenInfo) -> Any:
    try:
        return ast.literal_eval(token.string)  # one numeric literal, exactly as Python reads it
    except (ValueError, SyntaxError):
        raise _unexpected(token) from None


def _reduce(
    operands: list[_Operand], waiting: list[_Waiting], precedence: int, right_associative: bool
) -> None:
    """Apply the waiting operators that bind more tightly than an operator of ``precedence``
    arriving now, or as tightly if that one is left-associative; precedence 0 applies them all.
    """
    while waiting and waiting[-1].kind in ("binary", "unary"):
        top = waiting[-1]
        if top.precedence < precedence or (top.precedence == precedence and right_associative):
            return
        waiting.pop()
        right = operands.pop()
        if top.kind == "unary":
            operands.append(
                _operand(ast.UnaryOp(op=top.what(), operand=right.node), top.start, right.end)
            )
            continue
        left = operands.pop()
        node = ast.BinOp(left=left.node, op=top.what(), right=right.node)
        operands.append(_operand(node, left.start, right.end))


def _in_call(operands: list[_Operand], waiting: list[_Waiting]) -> bool:
    """Whether a comma here separates a call's arguments (it is applied up to the call)."""
    _reduce(operands, waiting, 0, right_associative=False)
    return bool(waiting) and waiting[-1].kind == "call"


def _closes(
    expect_operand: bool, previous: str, operands: list[_Operand], waiting: list[_Waiting]
) -> bool:
    """Whether a ``)`` here closes a bracket: after an operand, or ``f()`` and ``f(x,)``."""
    if not expect_operand:
        _reduce(operands, waiting, 0, right_associative=False)
        return bool(waiting) and waiting[-1].kind in ("group", "call")
    if not waiting or waiting[-1].kind != "call":
        return False
    return previous == "," or len(operands) == waiting[-1].base


def _close(operands: list[_Operand], waiting: list[_Waiting], end: Position) -> None:
    """A group keeps its node (ast's span leaves the parentheses out); a call becomes a node."""
    bracket = waiting.pop()
    if bracket.kind == "group":
        operands.append(_Operand(operands.pop().node, bracket.start, end))
        return
    args = [operand.node for operand in operands[bracket.base :]]
    del operands[bracket.base :]
    operands.append(
        _operand(ast.Call(func=bracket.what, args=args, keywords=[]), bracket.start, end)
    )


def _unexpected(token: tokenize.TokenInfo) -> ExprError:
    line, column = token.start
    where = (
        word("expr_column", column=column + 1)
        if line == 1
        else word("expr_line_column", line=line, column=column + 1)
    )
    reason = word("expr_too_deep", token=shorten(token.string, MAX_SNIPPET), where=where)
    return ExprError("expr_cannot_parse", reason=reason)
