"""The expr-lang syntax Argo's `rangeQuery.start`/`end` use: literals, calls, methods, `+ - * /`.

`now() - duration("5m")`, `date("2023-08-14", "2006-01-02", "UTC")`, `now().Truncate(duration("1m"))`.
Parsed into a small tree of tuples; nothing is ever handed to Python's `eval`. Syntax errors carry
expr's wording (`unexpected token Operator("?")`).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from canarykit.conditions import MAX_EXPRESSION_LENGTH, MAX_NESTING_DEPTH

_TOKEN = re.compile(
    r"""(?P<space>\s+)"""
    r"""|(?P<number>(?:0[xX][0-9a-fA-F_]+|[0-9][0-9_]*(?:\.[0-9_]+)?(?:[eE][+-]?[0-9]+)?|\.[0-9]+))"""
    r"""|(?P<string>"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|`[^`]*`)"""
    r"""|(?P<name>[A-Za-z_$][A-Za-z0-9_$]*)"""
    r"""|(?P<operator>\*\*|==|!=|<=|>=|&&|\|\||\?\?|\.\.|[-+*/%!<>?:.^#~&|])"""
    r"""|(?P<bracket>[()\[\]{},])"""
)
_KINDS = {"number": "Number", "string": "String", "name": "Identifier", "operator": "Operator"}
_KINDS["bracket"] = "Bracket"
Node = tuple[Any, ...]


class TimeExprError(ValueError):
    """The expression does not compile or cannot be evaluated; the message is expr's."""


@dataclass(frozen=True)
class Token:
    kind: str
    text: str

    def __str__(self) -> str:
        return self.kind if not self.text else f"{self.kind}({json.dumps(self.text)})"


def parse(source: str) -> Node:
    """The tree of `source`; raises `TimeExprError`."""
    if len(source) > MAX_EXPRESSION_LENGTH:
        raise TimeExprError(f"expression longer than {MAX_EXPRESSION_LENGTH} characters")
    parser = _Parser(_tokens(source))
    tree = parser.additive()
    parser.expect_end()
    return tree


def _tokens(source: str) -> list[Token]:
    tokens: list[Token] = []
    position = 0
    while position < len(source):
        match = _TOKEN.match(source, position)
        if match is None:
            raise TimeExprError(f"unrecognized character: U+{ord(source[position]):04X} {source[position]!r}")
        position = match.end()
        group = match.lastgroup or "space"
        if group != "space":
            tokens.append(Token(_KINDS[group], match.group(0)))
    tokens.append(Token("EOF", ""))
    return tokens


class _Parser:
    """Recursive descent over the tokens, nesting bounded by `MAX_NESTING_DEPTH`."""

    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.index = 0
        self.depth = 0

    def peek(self) -> Token:
        return self.tokens[self.index]

    def take(self) -> Token:
        token = self.tokens[self.index]
        self.index += 1
        return token

    def expect_end(self) -> None:
        if self.peek().kind != "EOF":
            raise TimeExprError(f"unexpected token {self.peek()}")

    def expect(self, text: str) -> None:
        token = self.take()
        if token.text != text:
            raise TimeExprError(f"unexpected token {token}")

    def additive(self) -> Node:
        node = self.multiplicative()
        while self.peek().kind == "Operator" and self.peek().text in "+-":
            node = ("binary", self.take().text, node, self.multiplicative())
        return node

    def multiplicative(self) -> Node:
        node = self.unary()
        while self.peek().kind == "Operator" and self.peek().text in ("*", "/"):
            node = ("binary", self.take().text, node, self.unary())
        return node

    def unary(self) -> Node:
        if self.peek().kind == "Operator" and self.peek().text in "+-":
            operator = self.take().text
            return ("unary", operator, self.nested(self.unary))
        return self.postfix(self.primary())

    def nested(self, parse: Any) -> Node:
        self.depth += 1
        if self.depth > MAX_NESTING_DEPTH:
            raise TimeExprError(f"expression nested deeper than {MAX_NESTING_DEPTH} levels")
        try:
            node: Node = parse()
            return node
        finally:
            self.depth -= 1

    def postfix(self, node: Node) -> Node:
        while self.peek().text == "." and self.peek().kind == "Operator":
            self.take()
            name = self.take()
            if name.kind != "Identifier":
                raise TimeExprError(f"unexpected token {name}")
            node = ("method", node, name.text, self.arguments())
        return node

    def primary(self) -> Node:
        token = self.take()
        if token.kind == "Number":
            return ("literal", _number(token.text))
        if token.kind == "String":
            return ("literal", _string(token.text))
        if token.kind == "Identifier":
            if self.peek().text == "(":
                return ("call", token.text, self.arguments())
            return ("name", token.text)
        if token.text == "(":
            node = self.nested(self.additive)
            self.expect(")")
            return node
        raise TimeExprError(f"unexpected token {token}")

    def arguments(self) -> tuple[Node, ...]:
        self.expect("(")
        found: list[Node] = []
        while self.peek().text != ")":
            found.append(self.nested(self.additive))
            if self.peek().text != ",":
                break
            self.take()
        self.expect(")")
        return tuple(found)


def _number(text: str) -> int | float:
    digits = text.replace("_", "")
    if digits[:2].lower() == "0x":
        return int(digits, 16)
    if any(char in digits for char in ".eE"):
        return float(digits)
    return int(digits)


def _string(text: str) -> str:
    if text[0] == "`":
        return text[1:-1]
    body = text[1:-1]
    if text[0] == "'":
        body = body.replace('\\"', '"').replace("\\'", "'").replace('"', '\\"')
    try:
        value = json.loads(f'"{body}"')
    except ValueError:
        raise TimeExprError(f"invalid char escape in {text}") from None
    if not isinstance(value, str):
        raise TimeExprError(f"invalid string {text}")
    return value
