"""What may follow an operand: member access `.name`, indexes `[i]`, slices `[i:j]`, optional chaining `?.`;
and the predicate pointers `#` and `.field`."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from canarykit.conditions import astgen
from canarykit.conditions.astgen import call, const, name
from canarykit.conditions.tokens import Kind

if TYPE_CHECKING:
    from canarykit.conditions.parser import Parser


def pointer(parser: Parser) -> ast.expr:
    """`#` (the current element of the innermost predicate) or a leading `.field` (its field)."""
    token = parser.tok
    if not parser.predicates:
        raise parser.fail("cannot use pointer accessor outside predicate", token)
    if token.is_op("#"):
        parser.advance()
        if parser.tok.kind is Kind.IDENT:
            raise parser.fail(f"unknown pointer #{parser.tok.text}", token)
    return name(parser.predicates[-1])


def postfix(parser: Parser, node: ast.expr) -> ast.expr:
    """`node` followed by any number of `.name`, `[index]`, `[i:j]` and one optional chain."""
    while True:
        if parser.tok.is_op("."):
            parser.advance()
            node = call("$fetch", node, const(member_name(parser)))
        elif parser.tok.is_bracket("["):
            parser.advance()
            node = index_or_slice(parser, node)
        elif parser.tok.is_op("?."):
            return optional_chain(parser, node)
        else:
            return node


def member_name(parser: Parser) -> str:
    token = parser.tok
    if token.kind not in (Kind.IDENT, Kind.OPERATOR) or not token.text.isidentifier():
        raise parser.fail("expected name", token)
    parser.advance()
    if parser.tok.is_bracket("("):
        raise parser.fail(f"method calls are not supported ({token.text})", token)
    return token.text


def index_or_slice(parser: Parser, node: ast.expr) -> ast.expr:
    """After `[`: `i]`, `i:j]`, `:j]`, `i:]` or `:]`."""
    lower: ast.expr = astgen.tag(const(None), "absent")
    if not parser.tok.is_op(":"):
        lower = parser.expression(0)
        if parser.tok.is_bracket("]"):
            parser.advance()
            return call("$fetch", node, lower)
    parser.expect(":")
    upper = astgen.tag(const(None), "absent") if parser.tok.is_bracket("]") else parser.expression(0)
    parser.expect("]")
    return call("$slice", node, lower, upper)


def optional_chain(parser: Parser, node: ast.expr) -> ast.expr:
    """`a?.b...`: nil when `a` is nil, skipping the rest of the chain, as in expr."""
    parser.advance()
    subject = node if astgen.is_simple(node) else name(parser.new_variable())
    if parser.tok.is_bracket("["):
        parser.advance()
        rest = postfix(parser, index_or_slice(parser, subject))
    else:
        rest = postfix(parser, call("$fetch", subject, const(member_name(parser))))
    choice = astgen.tag(ast.IfExp(test=call("$isnil", subject), body=const(None), orelse=rest), "?.")
    if subject is node:
        return choice
    assert isinstance(subject, ast.Name)
    return astgen.bind(subject.id, node, choice)
