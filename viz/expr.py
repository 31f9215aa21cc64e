"""A safe parser for the command line's expressions: Python's ast walked against a whitelist.

Allowed: numbers, names bound on the command line, ``+ - * / **``, unary ``-`` and ``+``, and
calls of ``exp log sqrt tanh sigmoid relu sin cos abs`` with one argument. Everything else is
refused before anything is evaluated; nothing is ever passed to ``eval``.
"""

from __future__ import annotations

import ast
from collections import deque
from collections.abc import Mapping
from typing import Any, cast

FUNCTIONS = ("exp", "log", "sqrt", "tanh", "sigmoid", "relu", "sin", "cos", "abs")
MAX_LENGTH = 10_000
ALLOWED = (
    "allowed are numbers, names bound as name=value, + - * / **, unary - and +, and "
    + " ".join(FUNCTIONS)
    + " of one argument"
)
_OPERATORS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "**"}
_REFUSED = {
    ast.Attribute: "attribute access",
    ast.Subscript: "subscripts",
    ast.Lambda: "lambda",
    ast.ListComp: "comprehensions",
    ast.SetComp: "comprehensions",
    ast.DictComp: "comprehensions",
    ast.GeneratorExp: "comprehensions",
    ast.IfExp: "conditional expressions",
    ast.Compare: "comparisons",
    ast.BoolOp: "and/or",
    ast.NamedExpr: "assignment expressions",
    ast.JoinedStr: "f-strings",
    ast.Starred: "star arguments",
}


class ExprError(ValueError):
    """An expression the command line refuses; the message is one line."""


class EvaluationError(ExprError):
    """An allowed expression whose evaluation failed (``log(-1)``, an overflow); one line."""


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
        raise ExprError(
            f"the expression is too long; got {len(text)} characters, expected at most {MAX_LENGTH}"
        )
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as e:
        raise ExprError(f"cannot parse the expression: {e.msg}") from None
    except (RecursionError, MemoryError):
        raise ExprError("cannot parse the expression: it is nested too deeply") from None
    except ValueError as e:
        raise ExprError(f"cannot parse the expression: {e}") from None
    queue: deque[ast.AST] = deque([tree.body])
    while queue:  # breadth-first: the outermost offence is reported
        node = queue.popleft()
        problem = _problem(node, names)
        if not problem:
            # a call's function is a checked name; only its argument is walked further
            queue.extend(node.args if isinstance(node, ast.Call) else ast.iter_child_nodes(node))
            continue
        snippet = " ".join((ast.get_source_segment(text.strip(), node) or "").split())
        if len(snippet) > 60:
            snippet = snippet[:57] + "..."
        raise ExprError(f"{problem}: `{snippet}`; {ALLOWED}")
    return tree


def _problem(node: ast.AST, names: Mapping[str, Any]) -> str | None:
    """Why ``node`` is refused, or None if the whitelist allows it."""
    if isinstance(node, ast.BinOp):
        if type(node.op) not in _OPERATORS:
            return f"the operator {type(node.op).__name__} is not allowed"
        return None
    if isinstance(node, ast.UnaryOp):
        if isinstance(node.op, (ast.USub, ast.UAdd)):
            return None
        return "this unary operator is not allowed"
    if isinstance(node, ast.Constant):
        value = node.value
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return f"only numbers are allowed as constants, not {type(value).__name__}"
        try:
            float(value)
        except OverflowError:
            return "the number is too large"
        return None
    if isinstance(node, ast.Name):
        if node.id in names:
            return None
        if node.id in FUNCTIONS:
            return f"the function {node.id} must be called"
        return f"the name {node.id} is not bound (give it as {node.id}=VALUE)"
    if isinstance(node, ast.Call):
        if not isinstance(node.func, ast.Name):
            return "calling anything but a named function is not allowed"
        if node.func.id not in FUNCTIONS:
            return f"unknown function {node.func.id}"
        if node.keywords or len(node.args) != 1 or isinstance(node.args[0], ast.Starred):
            return f"{node.func.id} takes exactly one positional argument"
        return None
    if isinstance(node, ast.expr_context):
        return None
    if isinstance(node, (ast.operator, ast.unaryop)):
        return None
    kind = _REFUSED.get(type(node), f"{type(node).__name__} expressions")
    return f"{kind} {'is' if kind.endswith(('access', 'lambda')) else 'are'} not allowed"


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
    except OverflowError:
        raise EvaluationError("evaluation failed: a number is too large for a float") from None
    except (ArithmeticError, ValueError, TypeError) as e:
        raise EvaluationError(f"evaluation failed: {e}") from None
    root = results[-1]
    return root if isinstance(root, Value) else Value(root)


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
        return left**right
    if isinstance(node, ast.UnaryOp):
        operand = results.pop()
        return -operand if isinstance(node.op, ast.USub) else +operand
    if isinstance(node, ast.Call):
        operand = results.pop()
        if not isinstance(operand, value_type):
            operand = value_type(operand)
        return _call(operand, node.func.id)  # type: ignore[attr-defined]
    raise ExprError(f"unexpected {type(node).__name__}")


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
