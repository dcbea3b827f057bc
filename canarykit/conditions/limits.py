"""Safety limits of the condition language; each one turns abuse into an error, never a hang.

simpleeval's module globals are read, never changed: its comprehension cap bounds the predicate functions.
"""

from __future__ import annotations

import simpleeval

MAX_EXPRESSION_LENGTH = 1000
"""Longest condition text, in characters (a compile error beyond)."""

MAX_NESTING_DEPTH = 50
"""Deepest syntactic nesting: parentheses, unary operators, calls, indexes and predicates."""

MAX_TREE_DEPTH = 100
"""Deepest evaluation tree, which also bounds long operator chains such as `1 + 1 + ... + 1`."""

MAX_POWER = 1000
"""Largest absolute exponent accepted by `**` and `^`."""

MAX_STRING_LENGTH = 100_000
"""Longest string a condition may build (concatenation, `string()`)."""

MAX_LIST_LENGTH = 10_000
"""Longest list a condition may build (ranges such as `1..5`)."""

MAX_ITERATIONS: int = simpleeval.MAX_COMPREHENSION_LENGTH
"""Elements the predicate functions (`all`, `filter`, `map`, ...) may visit in one evaluation, in total."""

MAX_RESULT_DEPTH = 64
"""Deepest nesting of lists and maps accepted in `result`."""

MAX_WORK = 1_000_000
"""Work one evaluation may do in helpers that scan or build sequences (`in`, `==` on arrays, ranges, slices,
`sum`, `string()`, concatenations, ...): one unit per element visited or character built. It stops quadratic
conditions such as `map(1..10000, 1..10000)` early."""
