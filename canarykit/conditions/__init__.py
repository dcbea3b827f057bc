"""Argo Rollouts conditions (expr-lang v1.17) compiled to a sandboxed evaluator built on simpleeval.

    >>> condition = compile_condition("result[0] > 0.90")
    >>> condition.evaluate([0.95])
    True

The text is tokenized and parsed here into Python `ast` nodes that simpleeval evaluates with expr's semantics;
Python's `eval`/`compile` never see it. `result` is the only variable and is passed as an immutable copy.
Before a condition runs it is type-checked, as expr's checker does, against the Go type of `result`
(`typecheck`): `asFloat(result) == "1.1"` raises `invalid operation: == (mismatched types float64 and
string)`. A `Float64s` result is Go's `[]float64` (a Prometheus vector); a plain list is `[]interface {}`.
Limits (expression length, nesting, exponent, string and list sizes, iterations, work) live in `limits`;
`matches` has Go's regexp syntax and semantics, run in linear time by RE2 (`regex`).
Argo's quirks are kept: `isNil(x)` and `default(x, d)` ignore `x` and look at the whole result.
"""

from __future__ import annotations

from canarykit.conditions.condition import Condition, Predicate, compile_condition
from canarykit.conditions.gotypes import Float64s
from canarykit.conditions.limits import (
    MAX_EXPRESSION_LENGTH,
    MAX_ITERATIONS,
    MAX_LIST_LENGTH,
    MAX_NESTING_DEPTH,
    MAX_POWER,
    MAX_STRING_LENGTH,
    MAX_TREE_DEPTH,
)

__all__ = [
    "MAX_EXPRESSION_LENGTH",
    "MAX_ITERATIONS",
    "MAX_LIST_LENGTH",
    "MAX_NESTING_DEPTH",
    "MAX_POWER",
    "MAX_STRING_LENGTH",
    "MAX_TREE_DEPTH",
    "Condition",
    "Float64s",
    "Predicate",
    "compile_condition",
]
