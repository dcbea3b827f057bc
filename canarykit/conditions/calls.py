"""Function calls (plain and with predicates) and array and map literals, for the parser."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from canarykit.conditions import astgen
from canarykit.conditions.astgen import call, const, name
from canarykit.conditions.builtins import PREDICATE_FUNCTIONS, UNSUPPORTED_FUNCTIONS, USER_FUNCTIONS
from canarykit.conditions.tokens import Kind, Token

if TYPE_CHECKING:
    from canarykit.conditions.parser import Parser

_ARGO_RESULT_HELPERS = frozenset({"isNil", "default"})  # Argo binds these to the whole result
_VALIDATED = frozenset(
    {"len", "abs", "ceil", "floor", "round", "int", "float", "first", "last", "keys", "values"}
)  # expr builtins whose `Validate` checks the argument count


def parse_call(parser: Parser, function: Token) -> ast.expr:
    """`function(...)`; the current token is the opening parenthesis."""
    text = function.text
    if text in PREDICATE_FUNCTIONS:
        return _predicate_call(parser, function)
    if text in UNSUPPORTED_FUNCTIONS:
        raise parser.fail(f"function {text} is not supported", function)
    if text not in USER_FUNCTIONS:
        raise parser.fail(f"unknown name {text}", function)
    arguments = _arguments(parser)
    _check_count(parser, function, len(arguments))
    if text in _ARGO_RESULT_HELPERS:
        arguments.append(name(astgen.RESULT))
    return call(text, *arguments)


def _arguments(parser: Parser) -> list[ast.expr]:
    parser.expect("(")
    arguments: list[ast.expr] = []
    while not parser.tok.is_bracket(")"):
        if arguments:
            parser.expect(",")
        arguments.append(parser.expression(0))
    parser.advance()
    return arguments


def _check_count(parser: Parser, function: Token, count: int) -> None:
    """Too few or too many arguments, in expr's words (its builtins' `Validate` say it their own way)."""
    _, fewest, most = USER_FUNCTIONS[function.text]
    if function.text in _VALIDATED and count != fewest:
        raise parser.fail(f"invalid number of arguments (expected {fewest}, got {count})", function)
    if count < fewest:
        raise parser.fail(f"not enough arguments to call {function.text}", function)
    if most is not None and count > most:
        raise parser.fail(f"too many arguments to call {function.text}", function)


def _predicate_call(parser: Parser, function: Token) -> ast.expr:
    """`all(array, predicate)` and friends, as list comprehensions over a hidden loop variable."""
    text = function.text
    parser.expect("(")
    if parser.tok.is_bracket(")"):
        raise parser.fail("expected at least 2 arguments", function)
    sequence = parser.expression(0)
    if not parser.tok.is_op(","):
        if PREDICATE_FUNCTIONS[text]:
            raise parser.fail("expected at least 2 arguments", function)
        parser.expect(")")
        whole = call("$counttrue" if text == "count" else "$sum", sequence)
        return astgen.tag(whole, "predicate", text, sequence, None, None)
    parser.advance()
    variable, body = _predicate(parser)
    if parser.tok.is_op(","):
        raise parser.fail(f"too many arguments to call {text}", function)
    parser.expect(")")
    whole = _comprehension(text, variable, call("$iter", sequence, const(text)), body)
    return astgen.tag(whole, "predicate", text, sequence, variable, body)


def _predicate(parser: Parser) -> tuple[str, ast.expr]:
    """A predicate, bare (`# > 1`) or in braces (`{# > 1}`), and the variable `#` stands for in it."""
    braced = parser.tok.is_bracket("{")
    if braced:
        parser.advance()
    variable = parser.new_variable()
    parser.predicates.append(variable)
    try:
        body = parser.expression(0)
    finally:
        parser.predicates.pop()
    if braced:
        parser.expect("}")
    return variable, body


def _comprehension(function: str, variable: str, sequence: ast.expr, body: ast.expr) -> ast.expr:
    if function == "map":
        return astgen.comprehension(variable, sequence, body)
    if function == "sum":
        return call("$sum", astgen.comprehension(variable, sequence, body))
    test = astgen.checked_bool(body, function)
    if function == "filter":
        return astgen.comprehension(variable, sequence, name(variable), test)
    if function == "count":
        return call("$size", astgen.comprehension(variable, sequence, const(True), test))
    return call(f"${function}", astgen.comprehension(variable, sequence, test))


def array_literal(parser: Parser) -> ast.expr:
    """`[a, b, ...]`; the opening bracket is consumed."""
    elements: list[ast.expr] = []
    while not parser.tok.is_bracket("]"):
        if elements:
            parser.expect(",")
            if parser.tok.is_bracket("]"):
                break
        elements.append(parser.expression(0))
    parser.advance()
    return ast.List(elts=elements, ctx=ast.Load())


def map_literal(parser: Parser) -> ast.expr:
    """`{key: value, ...}`; keys are names, strings, numbers or `(expressions)`."""
    keys: list[ast.expr | None] = []
    values: list[ast.expr] = []
    while not parser.tok.is_bracket("}"):
        if keys:
            parser.expect(",")
            if parser.tok.is_bracket("}"):
                break
        keys.append(_map_key(parser))
        parser.expect(":")
        values.append(parser.expression(0))
    parser.advance()
    return ast.Dict(keys=keys, values=values)


def _map_key(parser: Parser) -> ast.expr:
    token = parser.tok
    if token.is_bracket("("):
        parser.advance()
        key = parser.expression(0)
        parser.expect(")")
        return key
    if token.kind in (Kind.STRING, Kind.NUMBER):
        parser.advance()
        return const(token.value)
    if token.kind in (Kind.IDENT, Kind.OPERATOR) and token.text.isidentifier():
        parser.advance()
        return const(token.text)
    raise parser.unexpected(token)
