"""A precedence-climbing parser for expr-lang (as `expr/parser/parser.go` v1.17) emitting Python `ast`."""

from __future__ import annotations

import ast
from collections.abc import Callable

from canarykit.conditions import astgen, binary, calls, postfix
from canarykit.conditions.astgen import const, name
from canarykit.conditions.compile_error import CompileError
from canarykit.conditions.grammar import (
    BINARY,
    CHAINED,
    COMPARE,
    NEGATABLE,
    RIGHT_ASSOCIATIVE,
    UNARY,
    UNARY_NODES,
)
from canarykit.conditions.limits import MAX_EXPRESSION_LENGTH, MAX_NESTING_DEPTH, MAX_TREE_DEPTH
from canarykit.conditions.tokens import Kind, Token, tokenize

_BARE_LITERALS = frozenset({"true", "false", "nil"})


def parse(source: str) -> ast.expr:
    """The evaluation tree for a condition. Raises `CompileError`."""
    if len(source) > MAX_EXPRESSION_LENGTH:
        raise CompileError(
            f"expression is longer than {MAX_EXPRESSION_LENGTH} characters", MAX_EXPRESSION_LENGTH
        )
    tree = Parser(tokenize(source)).parse_all()
    if astgen.tree_depth(tree) > MAX_TREE_DEPTH:
        raise CompileError(f"expression is nested too deeply (more than {MAX_TREE_DEPTH} levels)", 0)
    return tree


class Parser:
    """Turns tokens into a tree; `predicates` holds the loop variables `#` may stand for, innermost last."""

    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.index = 0
        self.depth = 0
        self.predicates: list[str] = []
        self._variables = 0

    @property
    def tok(self) -> Token:
        return self.tokens[self.index]

    def advance(self) -> Token:
        token = self.tokens[self.index]
        self.index = min(self.index + 1, len(self.tokens) - 1)
        return token

    def fail(self, message: str, token: Token | None = None) -> CompileError:
        return CompileError(message, (token or self.tok).offset)

    def unexpected(self, token: Token | None = None) -> CompileError:
        token = token or self.tok
        if token.kind is Kind.EOF:
            return self.fail("unexpected end of expression", token)
        return self.fail(f'unexpected token "{token.text}"', token)

    def expect(self, text: str) -> Token:
        if self.tok.text != text or self.tok.kind not in (Kind.OPERATOR, Kind.BRACKET):
            raise self.unexpected()
        return self.advance()

    def new_variable(self) -> str:
        """A hidden variable name; `#` cannot start a user's identifier, so none can clash."""
        self._variables += 1
        return f"#{self._variables}"

    def let(self, value: ast.expr, build: Callable[[ast.expr], ast.expr]) -> ast.expr:
        """`build(v)` where `v` stands for `value`, evaluated once (or reused as is when it is cheap)."""
        if astgen.is_simple(value):
            return build(value)
        variable = self.new_variable()
        return astgen.bind(variable, value, build(name(variable)))

    def parse_all(self) -> ast.expr:
        node = self.expression(0)
        if self.tok.is_op("|"):
            raise self.fail("the pipe operator | is not supported")
        if self.tok.kind is not Kind.EOF:
            raise self.unexpected()
        return node

    def expression(self, precedence: int) -> ast.expr:
        self.depth += 1
        if self.depth > MAX_NESTING_DEPTH:
            raise self.fail(f"expression is nested too deeply (more than {MAX_NESTING_DEPTH} levels)")
        try:
            node = self._binary_chain(self.primary(), precedence)
            return self.conditional(node) if precedence == 0 else node
        finally:
            self.depth -= 1

    def _binary_chain(self, left: ast.expr, precedence: int) -> ast.expr:
        previous = ""
        while self.tok.kind is Kind.OPERATOR:
            operator = self.tok
            negate = operator.text == "not"
            if negate:
                operator = self.tokens[self.index + 1]
                if operator.kind is not Kind.OPERATOR or operator.text not in NEGATABLE:
                    raise self.unexpected(operator)
            level = BINARY.get(operator.text)
            if level is None or level < precedence:
                break
            self.index += 2 if negate else 1
            if previous == "??" and operator.text != "??":
                raise self.fail(
                    f"Operator ({operator.text}) and coalesce expressions (??) cannot be mixed. "
                    "Wrap either by parentheses.",
                    operator,
                )
            if operator.text in CHAINED:
                left = self.comparison(left, operator, level)
            else:
                right = self.expression(level if operator.text in RIGHT_ASSOCIATIVE else level + 1)
                left = binary.build(self, operator, left, right, negate)
            previous = operator.text
        return left

    def comparison(self, left: ast.expr, operator: Token, level: int) -> ast.expr:
        """`a < b <= c` means `a < b && b <= c`, as in expr."""
        operators: list[ast.cmpop] = []
        operands: list[ast.expr] = []
        while True:
            operators.append(COMPARE[operator.text]())
            operands.append(self.expression(level + 1))
            if not (self.tok.kind is Kind.OPERATOR and self.tok.text in CHAINED):
                return ast.Compare(left=left, ops=operators, comparators=operands)
            operator = self.advance()

    def conditional(self, node: ast.expr) -> ast.expr:
        """`cond ? a : b`, and the short `value ?: fallback`."""
        while self.tok.is_op("?"):
            self.advance()
            if self.tok.is_op(":"):
                self.advance()
                node = binary.elvis(self, node, self.expression(0))
                continue
            then = self.expression(0)
            self.expect(":")
            test = astgen.checked_bool(node, "?:")
            node = astgen.tag(ast.IfExp(test=test, body=then, orelse=self.expression(0)), "?:")
        return node

    def primary(self) -> ast.expr:
        token = self.tok
        if token.kind is Kind.OPERATOR and token.text in UNARY:
            self.advance()
            operand = self.expression(UNARY[token.text])
            unary = ast.UnaryOp(op=UNARY_NODES[token.text](), operand=operand)
            return postfix.postfix(self, astgen.tag(unary, "unary", token.text))
        if token.is_bracket("("):
            self.advance()
            node = self.expression(0)
            self.expect(")")
            return postfix.postfix(self, node)
        if token.is_op("#", "."):
            return postfix.postfix(self, postfix.pointer(self))
        node = self.secondary()
        if token.kind is Kind.NUMBER or (token.kind is Kind.IDENT and token.text in _BARE_LITERALS):
            return node  # expr's parser takes no member, index or slice right after these: `1[0]` is refused
        return postfix.postfix(self, node)

    def secondary(self) -> ast.expr:
        token = self.advance()
        if token.kind in (Kind.NUMBER, Kind.STRING):
            return const(token.value)
        if token.kind is Kind.IDENT:
            literals = {"true": True, "false": False, "nil": None}
            if token.text in literals:
                return const(literals[token.text])
            if self.tok.is_bracket("("):
                return calls.parse_call(self, token)
            if token.text == astgen.RESULT:
                return name(astgen.RESULT)
            raise self.fail(f"unknown name {token.text}", token)
        if token.is_bracket("["):
            return calls.array_literal(self)
        if token.is_bracket("{"):
            return calls.map_literal(self)
        raise self.unexpected(token)
