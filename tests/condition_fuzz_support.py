"""Fuzzed conditions and results: grammar-aware expressions, their mutations, arbitrary text, odd results.

One generator (`random_case`, driven by a `random.Random`) serves both the hypothesis strategies of the
suite (`st.randoms` feeds it, so hypothesis derandomizes and shrinks) and `fuzz_conditions`, which the
benchmark runs for 10,000+ inputs without hypothesis. The property: compiling gives a `Condition` or
raises a `CanaryError`; evaluating gives a bool or raises a `CanaryError`; nothing else, and nothing that
does not end.
"""

from __future__ import annotations

import random
import reprlib
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

from canarykit import errors
from canarykit.conditions import compile_condition
from canarykit.errors import CanaryError

BINARY = (
    *("+", "-", "*", "/", "%", "**", "^", "==", "!=", "<", ">", "<=", ">=", "&&", "||", "and", "or", "in"),
    *("not in", "matches", "not matches", "contains", "startsWith", "endsWith", "..", "??"),
)
UNARY = ("-", "+", "!", "not ")
FUNCTIONS = (
    *("len", "abs", "ceil", "floor", "round", "int", "float", "string", "first", "last", "keys", "values"),
    *("isNaN", "isInf", "isNil", "default", "asInt", "asFloat", "mean", "median", "min", "max", "upper"),
)
PREDICATES = ("all", "any", "none", "one", "filter", "map", "count", "sum")
NUMBERS = (
    *("0", "1", "-1", "0.5", ".5", "1e3", "1e308", "1_000", "0x1F", "0b101", "0o17", "4.9e-324", "1000"),
    *("9223372036854775807", "10000", "2**62", "-0.0", "1e-9"),
)
STRINGS = (
    *('""', '"a"', "'b'", "`raw\\n`", '"\\u00e9"', '"\\x41"', '"é🙂"', '"\\n"', '"(a+)+$"', '"[+"'),
    *('"(?=a)"', '"\\\\C"', '"^a.c$"', '"(?i)K"', '"\\\\pL"', '"a{1001}"', '"(?P<é>x)"', '"a"', '"1e3"'),
    *('" 7 "', '"NaN"'),
)
VALUES = (
    *("result", "result[0]", "result.x", "result?.x", "true", "false", "nil", "1..3", "1..10000", "[]", "{}"),
    *("[1, 2, 3]", '{"a": 1}', "0..-5", "result[-1]", "result.a"),
)
BAD_ATOMS = (
    *("#", ".x", "x", "__class__", "$fetch", '"\\q"', '"\\ud800"', '"unterminated', "1__0", "08", "@", "len"),
    *("9223372036854775808", "99999999999999999999", "1e999", "result.(1)"),
)
INDEXES = ("0", "-1", "1", "2**62", "0.5", "nil", '"x"', "1e300")
JUNK = (*"()[]{}.,:;?#|=!&@$%^*'\"`\\~", "\x00", "\u2028", "é", "🙂", "\ud800", " ", "\n", "//", "/*", "*/")
LONG_TEXT = "x" * 100_000
STRING_VALUES = (
    *("", "a", "aaaaaaaaaaaaaaaaaaaaaaaaaa!", "(a+)+$", "[+", "é🙂", "\ud800", "\x00", "1e3", "NaN", " 7 "),
    *(LONG_TEXT, "9" * 5000, "1" * 20_000 + "x"),
)
NUMBER_VALUES = (0, 1, -1, 2**63 - 1, 2**63, -(2**63), 2**70, 0.5, -0.0, 1e308, float("nan"), float("inf"))
SCALAR_VALUES = (None, True, False, *NUMBER_VALUES, *STRING_VALUES)


@dataclass(frozen=True)
class Case:
    """One input: a condition's text and the result it is evaluated with."""

    text: str
    result: Any

    def __repr__(self) -> str:  # short, whatever the result holds (a shared list stands for billions)
        return f"Case(text={self.text!r}, result={reprlib.repr(self.result)})"


def random_case(rng: random.Random) -> Case:
    """A grammar-aware expression (most often), a mutated one, or arbitrary text; with a random result."""
    kind = rng.choices(("grammar", "mutated", "text"), weights=(7, 2, 1))[0]
    if kind == "text":
        pieces = (*JUNK, *BINARY, *VALUES, *BAD_ATOMS, *NUMBERS)
        text = "".join(rng.choice(pieces) for _ in range(rng.randrange(40)))
    else:
        text = expression(rng, rng.choices((1, 2, 3, 4, 5), weights=(3, 4, 3, 1, 1))[0])
        if kind == "mutated":
            text = mutated(text, rng)
    return Case(text, result_value(rng, rng.randint(0, 4)))


def expression(rng: random.Random, depth: int) -> str:
    """A random expression in expr-lang's grammar, `depth` levels of operators deep at most."""
    if depth <= 0:
        return atom(rng)
    form = rng.choices(("binary", "unary", "ternary", "parens", "call", "predicate", "access", "literal"),
                       weights=(8, 2, 1, 1, 3, 2, 3, 1))[0]  # fmt: skip
    inner = depth - 1
    if form == "binary":
        return f"{expression(rng, inner)} {rng.choice(BINARY)} {expression(rng, inner)}"
    if form == "unary":
        return rng.choice(UNARY) + expression(rng, inner)
    if form == "ternary":
        return f"{expression(rng, inner)} ? {expression(rng, inner)} : {expression(rng, inner)}"
    if form == "parens":
        deep = rng.choices((1, 2, 10, 49, 51, 120), weights=(8, 4, 2, 1, 1, 1))[0]
        return "(" * deep + expression(rng, inner) + ")" * deep
    if form == "call":
        arguments = ", ".join(expression(rng, inner) for _ in range(rng.choice((0, 1, 1, 1, 2, 3))))
        return f"{rng.choice(FUNCTIONS)}({arguments})"
    if form == "predicate":
        return predicate_call(rng, inner)
    if form == "access":
        return access(rng, expression(rng, inner), inner)
    return collection_literal(rng, inner)


def atom(rng: random.Random) -> str:
    """A literal or `result` (mostly valid; a few names, escapes and numbers that do not compile)."""
    kind = rng.choices(("value", "number", "string", "long", "bad"), weights=(35, 25, 25, 3, 3))[0]
    if kind == "long":
        return '"' + "x" * rng.choice((100, 900, 2000)) + '"'
    return rng.choice({"value": VALUES, "number": NUMBERS, "string": STRINGS, "bad": BAD_ATOMS}[kind])


def predicate_call(rng: random.Random, depth: int) -> str:
    body = rng.choice(("# > 0", "{# > 0}", "# matches 'a'", ".x == 1", "#", "len(#) > 0", "# in result"))
    if depth > 0 and rng.random() < 0.3:
        body = expression(rng, depth - 1)
    subject = rng.choice(("result", "1..100", "1..10000", "[1, 2]", expression(rng, depth)))
    return f"{rng.choice(PREDICATES)}({subject}, {body})"


def access(rng: random.Random, subject: str, depth: int) -> str:
    kind = rng.randrange(5)
    if kind == 0:
        return f"{subject}.{rng.choice(('x', 'a', 'count', 'and'))}"
    if kind == 1:
        return f"{subject}?.{rng.choice(('x', 'y'))}"
    if kind == 2:
        return f"({subject})[{expression(rng, depth)}]"
    if kind == 3:
        return f"({subject})[{rng.choice(('', '1', '-1', '99'))}:{rng.choice(('', '2', '-2'))}]"
    return f"result[{rng.choice(INDEXES)}]"


def collection_literal(rng: random.Random, depth: int) -> str:
    items = [expression(rng, depth) for _ in range(rng.randrange(4))]
    if rng.random() < 0.5:
        return "[" + ", ".join(items) + "]"
    return "{" + ", ".join(f"{rng.choice(('a', '1', '(x)', 'nil'))}: {item}" for item in items) + "}"


def mutated(text: str, rng: random.Random) -> str:
    """`text` with a few characters deleted, inserted or duplicated."""
    for _ in range(rng.randint(1, 3)):
        position = rng.randrange(len(text) + 1)
        middle = rng.choice(("", rng.choice(JUNK), text[position:]))  # delete, insert, duplicate
        text = text[:position] + middle + text[position + (middle == "") :]
    return text


def result_value(rng: random.Random, depth: int) -> Any:
    """A random result: None, bools, ints, floats (NaN, inf), strings, nested lists and maps."""
    choice = rng.random()
    if depth <= 0 or choice < 0.45:
        return rng.choice(SCALAR_VALUES)
    if choice < 0.6:
        nested: Any = rng.choice((1, "a", None))
        for _ in range(rng.choice((1, 10, 63, 64, 200))):
            nested = [nested]
        return nested
    if choice < 0.7:
        return [result_value(rng, depth - 1) for _ in range(rng.choice((0, 1, 2, 5)))]
    if choice < 0.8:  # long, and flat: a vector from Prometheus
        return [result_value(rng, 0) for _ in range(rng.choice((50, 3000, 20_000)))]
    if choice < 0.82:  # what a Python caller may pass besides JSON-like data
        return rng.choice((Decimal("sNaN"), Decimal("1e400"), range(10**20), b"bytes", {1, 2}, laughs(rng)))
    keys = (*("x", "a", "", "é"), 1, None, (1, 2))
    return {rng.choice(keys): result_value(rng, depth - 1) for _ in range(rng.randrange(6))}


def laughs(rng: random.Random) -> list[Any]:
    """A billion-laughs result: levels of lists holding nine references to the level below."""
    level: list[Any] = ["lol"] * 9
    for _ in range(rng.randint(2, 8)):
        level = [level] * 9
    return level


def outcome(case: Case) -> str:
    """`true`/`false`, or the class name of what compiling or evaluating raised."""
    try:
        value = compile_condition(case.text).evaluate(case.result)
    except Exception as error:  # a CanaryError is expected; any other class is a defect, counted by name
        return type(error).__name__
    return "true" if value is True else "false" if value is False else f"non-bool {type(value).__name__}"


def escaped(outcomes: dict[str, int]) -> dict[str, int]:
    """The outcomes that break the property: neither a bool nor a `CanaryError`."""
    allowed = {"true", "false"} | {name for name, kind in vars(errors).items() if _is_canary_error(kind)}
    return {name: count for name, count in outcomes.items() if name not in allowed}


def _is_canary_error(kind: object) -> bool:
    return isinstance(kind, type) and issubclass(kind, CanaryError)


def fuzz_conditions(count: int, seed: int) -> dict[str, int]:
    """Compile and evaluate `count` random cases from `seed`; outcome name -> count."""
    rng = random.Random(seed)
    return dict(Counter(outcome(random_case(rng)) for _ in range(count)))


def cases() -> st.SearchStrategy[Case]:
    """Hypothesis: grammar-aware, mutated and arbitrary conditions with random results, via `random_case`."""
    return st.randoms(use_true_random=False).map(random_case)
