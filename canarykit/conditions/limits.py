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

MAX_REGEX_LENGTH = 1000
"""Longest regular expression `matches` accepts, in characters (literal or built at run time)."""

MAX_REGEX_MEMORY = 4 << 20
"""Bytes one compiled regular expression may use (RE2's `max_mem`: its program and its DFA caches)."""

MAX_CACHED_REGEXES = 128
"""Compiled regular expressions kept for reuse (least recently used dropped first)."""

MAX_RESULT_DEPTH = 64
"""Deepest nesting of lists and maps accepted in `result`."""

MAX_RESULT_ELEMENTS = 2_000_000
"""Most list elements and map entries accepted in `result`, counted as copied (a list shared by reference is
counted each time it appears)."""

MAX_WORK = 1_000_000
"""Work one evaluation may do in helpers that scan or build sequences (`in`, `==` on arrays, ranges, slices,
`sum`, `string()`, concatenations, ...): one unit per element visited or character built. It stops quadratic
conditions such as `map(1..10000, 1..10000)` early."""

SCANNED_CHARACTERS_PER_UNIT = 1024
"""Characters a text search (`contains`, `==`, `startsWith`, ...) may read per unit of `MAX_WORK` (about 1 µs
of searching): one search of a long text is cheap, yet 10,000 searches of a 2 MB result stop early."""
