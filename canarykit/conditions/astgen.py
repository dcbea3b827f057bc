"""Builders of Python `ast` nodes the parser emits: simpleeval evaluates them, Python never compiles them."""

from __future__ import annotations

import ast
from typing import Any, TypeVar

from canarykit.conditions.builtins import BOOL_FUNCTIONS, INTERNAL, USER_FUNCTIONS

RESULT = "result"
FORM = "expr_form"
"""The attribute naming the expr-lang construct a desugared node stands for (read by `typecheck`)."""
_T = TypeVar("_T", bound=ast.AST)


def tag(node: _T, *form: Any) -> _T:
    """`node`, marked as the expr-lang construct `form` (a name, then its original operands)."""
    setattr(node, FORM, form)
    return node


def form_of(node: ast.AST) -> tuple[Any, ...]:
    """The construct `tag` marked `node` with, or an empty tuple."""
    form: tuple[Any, ...] = getattr(node, FORM, ())
    return form


def const(value: Any) -> ast.expr:
    return ast.Constant(value=value)


def name(identifier: str) -> ast.Name:
    return ast.Name(id=identifier, ctx=ast.Load())


def call(function: str, *arguments: ast.expr) -> ast.expr:
    """A call of a function from the table in `builtins` (checked here, so a typo fails loudly)."""
    if function not in INTERNAL and function not in USER_FUNCTIONS:  # pragma: no cover - a parser bug
        raise KeyError(function)
    return ast.Call(func=name(function), args=list(arguments), keywords=[])


def is_bool(node: ast.expr) -> bool:
    """Whether `node` surely evaluates to a bool (comparisons, logic, bool functions, bool literals)."""
    if isinstance(node, ast.Compare):
        return True
    if isinstance(node, ast.BoolOp):
        return is_bool(node.values[-1])
    if isinstance(node, ast.UnaryOp):
        return isinstance(node.op, ast.Not)
    if isinstance(node, ast.Constant):
        return type(node.value) is bool
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        return node.func.id in BOOL_FUNCTIONS
    if isinstance(node, ast.IfExp):
        return is_bool(node.body) and is_bool(node.orelse)
    return False


def checked_bool(node: ast.expr, context: str) -> ast.expr:
    """`node`, checked at run time to be a bool unless it surely is one."""
    return node if is_bool(node) else call("$bool", node, const(context))


def logical(operator: ast.boolop, left: ast.expr, right: ast.expr, symbol: str) -> ast.expr:
    """`left && right` or `left || right`, flattening chains of the same operator.

    As in expr's machine, only a left operand must be a bool: `true && x` is `x`, whatever `x` holds.
    """
    if isinstance(left, ast.BoolOp) and type(left.op) is type(operator):
        *firsts, last = left.values
        values = [*firsts, checked_bool(last, symbol), right]
        symbols = (*form_of(left)[1], symbol)
    else:
        values, symbols = [checked_bool(left, symbol), right], (symbol,)
    return tag(ast.BoolOp(op=operator, values=values), "logic", symbols)


def negated(node: ast.expr) -> ast.expr:
    return tag(ast.UnaryOp(op=ast.Not(), operand=node), "unary", "not")


def comprehension(
    variable: str, sequence: ast.expr, element: ast.expr, condition: ast.expr | None = None
) -> ast.expr:
    """`[element for variable in sequence if condition]`."""
    loop = ast.comprehension(
        target=ast.Name(id=variable, ctx=ast.Store()),
        iter=sequence,
        ifs=[] if condition is None else [condition],
        is_async=0,
    )
    return ast.ListComp(elt=element, generators=[loop])


def is_simple(node: ast.expr, depth: int = 0) -> bool:
    """Whether `node` is cheap to evaluate twice: a name, a literal, or a short chain of constant indexes."""
    if isinstance(node, ast.Name | ast.Constant):
        return True
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "$fetch":
        subject, key = node.args
        return depth < 8 and isinstance(key, ast.Constant) and is_simple(subject, depth + 1)
    return False


def bind(variable: str, value: ast.expr, body: ast.expr) -> ast.expr:
    """`body` with `variable` bound to `value` (evaluated once): `[body for variable in (value,)][0]`."""
    once = ast.Tuple(elts=[value], ctx=ast.Load())
    bound = ast.Subscript(value=comprehension(variable, once, body), slice=const(0), ctx=ast.Load())
    return tag(bound, "let", variable, value, body)


def tree_depth(root: ast.AST) -> int:
    """How deep the tree is, counted without recursion."""
    deepest = 0
    stack = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node) if _counts(child))
    return deepest


def _counts(node: ast.AST) -> bool:
    return isinstance(node, ast.expr | ast.comprehension)
