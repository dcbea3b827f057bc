"""expr-lang's compile-time type check, run on a parsed condition against the Go type of `result`.

Argo compiles each condition with `expr.Env(env)`, `env` holding the measured `result`: expr's checker then
refuses `asFloat(result) == "1.1"` (`invalid operation: == (mismatched types float64 and string)`) before
anything runs, and the measurement is an Error. This walks the tree `parser` built (its desugared parts are
tagged with the expr construct they stand for, see `astgen.tag`) in expr's order and raises expr's first
error as a `ConditionEvaluationError`. Elements of `[]interface {}` and map values are `interface {}`: their
checks are left to run time, as in expr.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from typing import Any

from canarykit.conditions import typecalls, typerules
from canarykit.conditions.astgen import RESULT, form_of
from canarykit.conditions.natures import BOOL, FLOAT, INT, MAP, NIL, STRING, UNKNOWN, Nature

_COMPARISONS: dict[type[ast.cmpop], str] = {
    ast.Eq: "==", ast.NotEq: "!=", ast.Lt: "<", ast.Gt: ">", ast.LtE: "<=", ast.GtE: ">=",
    ast.In: "in", ast.NotIn: "in",
}  # fmt: skip
_STRING_TESTS = {"$matches": "matches", "$contains": "contains", "$startsWith": "startsWith"}
_STRING_TESTS["$endsWith"] = "endsWith"


def check(tree: ast.expr, result: Nature) -> None:
    """Raise expr's compile error for `tree` when `result` has the nature given; return if it type-checks."""
    _Checker(result).visit(tree)


class _Checker:
    """One walk over a tree: `names` holds `result` and the hidden variables in scope (`#`, bound values)."""

    def __init__(self, result: Nature) -> None:
        self.names: dict[str, Nature] = {RESULT: result}

    def visit(self, node: ast.expr) -> Nature:
        form = form_of(node)
        if form:
            return _FORMS[form[0]](self, node, form)
        handler = _NODES.get(type(node))
        return handler(self, node) if handler is not None else UNKNOWN

    def visit_with(self, node: ast.expr, variable: str, nature: Nature) -> Nature:
        """`node`'s nature with `variable` standing for a value of `nature`."""
        previous = self.names.get(variable)
        self.names[variable] = nature
        try:
            return self.visit(node)
        finally:
            if previous is None:
                del self.names[variable]
            else:
                self.names[variable] = previous

    def constant(self, node: ast.Constant) -> Nature:
        value = node.value
        if value is None:
            return NIL
        return {bool: BOOL, int: INT, float: FLOAT, str: STRING}.get(type(value), UNKNOWN)

    def name(self, node: ast.Name) -> Nature:
        return self.names.get(node.id, UNKNOWN)

    def compare(self, node: ast.Compare) -> Nature:
        """`a op b`, and chains `a < b < c` (`a < b && b < c` in expr)."""
        left = self.visit(node.left)
        for operator, comparator in zip(node.ops, node.comparators, strict=True):
            right = self.visit(comparator)
            symbol = _COMPARISONS.get(type(operator), "==")
            if symbol == "in":
                typerules.membership(left, right)
            else:
                typerules.binary(symbol, left, right)
            left = right
        return BOOL

    def array(self, node: ast.List) -> Nature:
        """An array literal: its elements' nature when they share one kind, else `[]interface {}`."""
        natures = [self.visit(element) for element in node.elts]
        last = natures[-1] if natures else UNKNOWN
        if all(nature.kind == last.kind for nature in natures):
            return last.array_of()
        return Nature("[]interface {}", "slice")

    def map(self, node: ast.Dict) -> Nature:
        for key, value in zip(node.keys, node.values, strict=True):
            if key is not None:
                self.visit(key)
            self.visit(value)
        return MAP

    def call(self, node: ast.Call) -> Nature:
        name = node.func.id if isinstance(node.func, ast.Name) else ""
        arguments = list(node.args)
        internal = _INTERNAL.get(name)
        if internal is not None:
            return internal(self, arguments)
        if name in _STRING_TESTS:
            left, right = (self.visit(argument) for argument in arguments)
            return typerules.binary(_STRING_TESTS[name], left, right)
        if name.startswith("$"):
            return UNKNOWN
        return typecalls.function(self, name, arguments)

    def fetch(self, arguments: list[ast.expr]) -> Nature:
        """`a[key]` and `a.key`."""
        container, key = arguments
        base, index = self.visit(container), self.visit(key)
        literal = key.value if isinstance(key, ast.Constant) and type(key.value) is str else None
        return typerules.member(base, index, literal)

    def slice(self, arguments: list[ast.expr]) -> Nature:
        """`a[i:j]`: the bounds are not looked at when `a` is unknown."""
        container, lower, upper = arguments
        base = self.visit(container)
        if not typerules.sliceable(base):
            return UNKNOWN
        for bound in (lower, upper):
            if form_of(bound) != ("absent",):
                typerules.slice_bound(self.visit(bound))
        return base

    def span(self, arguments: list[ast.expr]) -> Nature:
        left, right = (self.visit(argument) for argument in arguments)
        return typerules.binary("..", left, right)


def _unary(checker: _Checker, node: Any, form: tuple[Any, ...]) -> Nature:
    return typerules.unary(form[1], checker.visit(node.operand))


def _binary(checker: _Checker, node: Any, form: tuple[Any, ...]) -> Nature:
    left = checker.visit(node.left)
    return typerules.binary(form[1], left, checker.visit(node.right))


def _logic(checker: _Checker, node: Any, form: tuple[Any, ...]) -> Nature:
    """`a && b && c` is flattened by the parser; expr checks it pair by pair, left first."""
    left = checker.visit(node.values[0])
    for symbol, value in zip(form[1], node.values[1:], strict=True):
        left = typerules.binary(symbol, left, checker.visit(value))
    return left


def _conditional(checker: _Checker, node: Any, form: tuple[Any, ...]) -> Nature:
    """`test ? a : b` and `a ?: b`."""
    typerules.condition(checker.visit(node.test))
    first = checker.visit(node.body)
    return typerules.choice(first, checker.visit(node.orelse))


def _coalesce(checker: _Checker, node: Any, form: tuple[Any, ...]) -> Nature:
    """`a ?? b`, built as `b if a is nil else a`."""
    left = checker.visit(node.orelse)
    return typerules.coalesce(left, checker.visit(node.body))


def _optional(checker: _Checker, node: Any, form: tuple[Any, ...]) -> Nature:
    """`a?.b`: checked as `a.b` (expr's checker ignores the `?`)."""
    return checker.visit(node.orelse)


def _let(checker: _Checker, node: Any, form: tuple[Any, ...]) -> Nature:
    """A value the parser evaluates once and names (for `??`, `?:` and `?.`)."""
    _, variable, value, body = form
    return checker.visit_with(body, variable, checker.visit(value))


def _predicate(checker: _Checker, node: Any, form: tuple[Any, ...]) -> Nature:
    _, function, sequence, variable, body = form
    return typecalls.predicate(checker, function, sequence, variable, body)


def _absent(checker: _Checker, node: Any, form: tuple[Any, ...]) -> Nature:
    return NIL


def _transparent(checker: _Checker, arguments: list[ast.expr]) -> Nature:
    """`$bool(x, context)` and `$isnil(x)` add run-time checks; expr types the operand itself."""
    return checker.visit(arguments[0])


_FORMS: dict[str, Callable[[_Checker, Any, tuple[Any, ...]], Nature]] = {
    "unary": _unary,
    "binary": _binary,
    "logic": _logic,
    "?:": _conditional,
    "??": _coalesce,
    "?.": _optional,
    "let": _let,
    "predicate": _predicate,
    "absent": _absent,
}
_NODES: dict[type[ast.AST], Callable[[_Checker, Any], Nature]] = {
    ast.Constant: _Checker.constant,
    ast.Name: _Checker.name,
    ast.Compare: _Checker.compare,
    ast.List: _Checker.array,
    ast.Dict: _Checker.map,
    ast.Call: _Checker.call,
}
_INTERNAL: dict[str, Callable[[_Checker, list[ast.expr]], Nature]] = {
    "$fetch": _Checker.fetch,
    "$slice": _Checker.slice,
    "$range": _Checker.span,
    "$bool": _transparent,
}
