"""Python `ast` for expr's binary operators, `??` and the short conditional `a ?: b`."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from canarykit.conditions import astgen
from canarykit.conditions.astgen import call
from canarykit.conditions.grammar import ARITHMETIC, COMPARE, STRING_TESTS
from canarykit.conditions.regex import compile_regex
from canarykit.conditions.tokens import Token
from canarykit.errors import ConditionEvaluationError

if TYPE_CHECKING:
    from canarykit.conditions.parser import Parser


def build(parser: Parser, operator: Token, left: ast.expr, right: ast.expr, negate: bool) -> ast.expr:
    """`left operator right`; `negate` for the `not in`, `not matches`, ... forms."""
    text = operator.text
    if text in ("||", "or"):
        return astgen.logical(ast.Or(), left, right, text)
    if text in ("&&", "and"):
        return astgen.logical(ast.And(), left, right, text)
    if text in ARITHMETIC:
        return astgen.tag(ast.BinOp(left=left, op=ARITHMETIC[text](), right=right), "binary", text)
    if text == "..":
        return call("$range", left, right)
    if text == "??":
        return parser.let(left, lambda value: _coalesce(value, right))
    if text == "in":
        test = ast.NotIn() if negate else ast.In()
        return ast.Compare(left=left, ops=[test], comparators=[right])
    if text in COMPARE:
        return ast.Compare(left=left, ops=[COMPARE[text]()], comparators=[right])
    if text == "matches":
        _check_regex(parser, right, operator)
    node = call(STRING_TESTS[text], left, right)
    return astgen.negated(node) if negate else node


def elvis(parser: Parser, condition: ast.expr, fallback: ast.expr) -> ast.expr:
    """`condition ?: fallback`: the condition when it is true, else the fallback."""
    return parser.let(condition, lambda value: _elvis(value, fallback))


def _coalesce(value: ast.expr, fallback: ast.expr) -> ast.expr:
    """`value ?? fallback`: the fallback when the value is nil."""
    return astgen.tag(ast.IfExp(call("$isnil", value), fallback, value), "??")


def _elvis(value: ast.expr, fallback: ast.expr) -> ast.expr:
    return astgen.tag(ast.IfExp(astgen.checked_bool(value, "?:"), value, fallback), "?:")


def _check_regex(parser: Parser, pattern: ast.expr, operator: Token) -> None:
    """A literal pattern is compiled now, so a bad one is a compile error as in expr."""
    if isinstance(pattern, ast.Constant) and type(pattern.value) is str:
        try:
            compile_regex(pattern.value)
        except ConditionEvaluationError as error:
            raise parser.fail(str(error), operator) from None
