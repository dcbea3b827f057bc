"""expr-lang's operator table (`expr/parser/operator`, v1.17) and the Python `ast` nodes they become."""

from __future__ import annotations

import ast

BINARY: dict[str, int] = {
    "or": 10, "||": 10, "and": 15, "&&": 15,
    "==": 20, "!=": 20, "<": 20, ">": 20, "<=": 20, ">=": 20,
    "in": 20, "matches": 20, "contains": 20, "startsWith": 20, "endsWith": 20,
    "..": 25, "+": 30, "-": 30, "*": 60, "/": 60, "%": 60, "**": 100, "^": 100, "??": 500,
}  # fmt: skip
RIGHT_ASSOCIATIVE = frozenset({"**", "^"})
UNARY: dict[str, int] = {"not": 50, "!": 50, "-": 90, "+": 90}
UNARY_NODES: dict[str, type[ast.unaryop]] = {"not": ast.Not, "!": ast.Not, "-": ast.USub, "+": ast.UAdd}
CHAINED = frozenset({"<", ">", "<=", ">="})
NEGATABLE = frozenset({"in", "matches", "contains", "startsWith", "endsWith"})
COMPARE: dict[str, type[ast.cmpop]] = {
    "==": ast.Eq, "!=": ast.NotEq, "<": ast.Lt, ">": ast.Gt, "<=": ast.LtE, ">=": ast.GtE, "in": ast.In,
}  # fmt: skip
ARITHMETIC: dict[str, type[ast.operator]] = {
    "+": ast.Add, "-": ast.Sub, "*": ast.Mult, "/": ast.Div, "%": ast.Mod, "**": ast.Pow, "^": ast.Pow,
}  # fmt: skip
STRING_TESTS = {
    "matches": "$matches",
    "contains": "$contains",
    "startsWith": "$startsWith",
    "endsWith": "$endsWith",
}
