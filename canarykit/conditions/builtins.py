"""The function table: what simpleeval may call, which names users may call, and with how many arguments."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from canarykit.conditions import access, aggregates, functions, regex

USER_FUNCTIONS: dict[str, tuple[Callable[..., Any], int, int | None]] = {
    "len": (functions.length, 1, 1),
    "abs": (functions.absolute, 1, 1),
    "ceil": (functions.ceil, 1, 1),
    "floor": (functions.floor, 1, 1),
    "round": (functions.round_half_away, 1, 1),
    "int": (functions.to_int, 1, 1),
    "float": (functions.to_float, 1, 1),
    "string": (functions.to_string, 1, 1),
    "first": (functions.first, 1, 1),
    "last": (functions.last, 1, 1),
    "keys": (functions.keys, 1, 1),
    "values": (functions.values, 1, 1),
    "isNaN": (functions.is_nan, 1, 1),
    "isInf": (functions.is_inf, 1, 1),
    "isNil": (functions.argo_is_nil, 1, 1),
    "default": (functions.argo_default, 2, 2),
    "asInt": (functions.as_int, 1, 1),
    "asFloat": (functions.as_float, 1, 1),
    "mean": (aggregates.mean, 1, None),
    "median": (aggregates.median, 1, None),
    "min": (aggregates.minimum, 1, None),
    "max": (aggregates.maximum, 1, None),
}
"""name -> (implementation, fewest arguments, most arguments or None for any number)."""

PREDICATE_FUNCTIONS: dict[str, bool] = {
    "all": True,
    "any": True,
    "none": True,
    "one": True,
    "filter": True,
    "map": True,
    "count": False,
    "sum": False,
}
"""Functions taking `(array, predicate)`; the value tells whether the predicate is required."""

UNSUPPORTED_FUNCTIONS = frozenset(
    {
        *("now", "duration", "date", "timezone", "find", "findIndex", "findLast", "findLastIndex"),
        *("groupBy", "sortBy", "sort", "reduce", "concat", "flatten", "uniq", "trim", "trimPrefix"),
        *("trimSuffix", "upper", "lower", "split", "splitAfter", "replace", "repeat", "join", "indexOf"),
        *("lastIndexOf", "hasPrefix", "hasSuffix", "toJSON", "fromJSON", "toBase64", "fromBase64"),
        *("toPairs", "fromPairs", "get", "type", "bitand", "bitor", "bitxor", "bitnand", "bitnot"),
        *("bitshl", "bitshr", "bitushr"),
    }
)
"""expr-lang builtins canarykit does not implement: a clear compile error instead of `unknown name`."""

INTERNAL: dict[str, Callable[..., Any]] = {
    "$fetch": access.fetch,
    "$slice": access.slice_of,
    "$range": access.int_range,
    "$bool": access.as_bool,
    "$iter": access.iterable,
    "$isnil": access.is_nil,
    "$matches": regex.matches,
    "$contains": access.contains,
    "$startsWith": access.starts_with,
    "$endsWith": access.ends_with,
    "$all": aggregates.all_true,
    "$any": aggregates.any_true,
    "$none": aggregates.none_true,
    "$one": aggregates.one_true,
    "$counttrue": aggregates.count_true,
    "$size": len,
    "$sum": aggregates.total,
}
"""Helpers the parser emits calls to; their `$` names cannot be written in a condition."""

BOOL_FUNCTIONS = frozenset(
    {"isNaN", "isInf", "isNil", "$bool", "$isnil", "$matches", "$contains", "$startsWith", "$endsWith"}
    | {"$all", "$any", "$none", "$one"}
)
"""Functions that always return a bool, so their results need no run-time check."""


def evaluator_functions() -> dict[str, Callable[..., Any]]:
    """A fresh copy of every function simpleeval may call, by the name the parser emits."""
    table = {name: entry[0] for name, entry in USER_FUNCTIONS.items()}
    table.update(INTERNAL)
    return table
