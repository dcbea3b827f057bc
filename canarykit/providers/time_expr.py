"""Evaluating Argo's `rangeQuery` time expressions as expr-lang does (`evaluate.EvalTime`).

`now()` is the analysis clock's now; `duration()`, `date()` and `timezone()` are Go's `time` functions
(`go_time`); `+`, `-`, `*` follow expr's rules for times, durations and numbers. The result must be a
time (`expected time.Time, but got time.Duration`). Errors carry expr's and Go's wording.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from canarykit.providers import go_time
from canarykit.providers.time_expr_syntax import Node, TimeExprError, parse
from canarykit.providers.time_values import Duration, Time, call_method, go_type, int64

_DATE_LAYOUTS: tuple[str, ...] = ("2006-01-02", "15:04:05", "2006-01-02 15:04:05")
_DATE_LAYOUTS += (
    "2006-01-02T15:04:05Z07:00",
    "02 Jan 06 15:04 MST",
    "Monday, 02-Jan-06 15:04:05 MST",
    "Mon, 02 Jan 2006 15:04:05 MST",
)
_PREDICATES: dict[str, Callable[[float], bool]] = {"isNaN": math.isnan, "isInf": math.isinf}
"""The only other names in `EvalTime`'s environment."""


class TimeExpression:
    """A compiled time expression; `evaluate(now_ns)` gives nanoseconds since the epoch."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.tree = parse(source)

    def __repr__(self) -> str:
        return f"TimeExpression({self.source!r})"

    def evaluate(self, now_ns: int) -> int:
        """The time the expression gives with `now()` at `now_ns`; raises `TimeExprError`."""
        value = _Evaluation(now_ns).run(self.tree)
        if not isinstance(value, Time):
            raise TimeExprError(f"expected time.Time, but got {go_type(value)}")
        return value.ns


class _Evaluation:
    def __init__(self, now_ns: int) -> None:
        self.now_ns = now_ns

    def run(self, node: Node) -> Any:
        kind = node[0]
        if kind == "literal":
            return node[1]
        if kind == "name":
            if node[1] in _PREDICATES:
                return _PREDICATES[node[1]]
            raise TimeExprError(f"unknown name {node[1]}")
        if kind == "unary":
            return _negate(node[1], self.run(node[2]))
        if kind == "binary":
            return _binary(node[1], self.run(node[2]), self.run(node[3]))
        arguments = [self.run(argument) for argument in node[-1]]
        if kind == "call":
            return self.call(node[1], arguments)
        return call_method(self.run(node[1]), node[2], arguments)

    def call(self, name: str, arguments: list[Any]) -> Any:
        if name == "now":
            if arguments and not (len(arguments) == 1 and isinstance(arguments[0], go_time.Location)):
                raise TimeExprError(f"invalid number of arguments (expected 0, got {len(arguments)})")
            return Time(self.now_ns)
        if name == "duration":
            return Duration(_go(go_time.parse_duration, _strings(name, arguments, 1)[0]))
        if name == "timezone":
            return _go(go_time.load_location, _strings(name, arguments, 1)[0])
        if name == "date":
            return _date(arguments)
        if name in _PREDICATES:
            if len(arguments) != 1 or not isinstance(arguments[0], float):
                found = go_type(arguments[0]) if arguments else "nil"
                raise TimeExprError(f"cannot use {found} as argument (type float64) to call {name} ")
            return _PREDICATES[name](arguments[0])
        raise TimeExprError(f"unknown name {name}")


def _date(arguments: list[Any]) -> Time:
    location = arguments.pop(0) if arguments and isinstance(arguments[0], go_time.Location) else None
    if not arguments:
        raise TimeExprError("invalid number of arguments (expected at least 1, got 0)")
    if len(arguments) > 3:
        raise TimeExprError(f"invalid number of arguments (expected at most 3, got {len(arguments)})")
    text, *rest = _strings("date", arguments, len(arguments))
    if len(rest) == 2:
        location = _go(go_time.load_location, rest[1])
    where = location or go_time.UTC
    if rest:
        return Time(_go(lambda: go_time.parse_time(rest[0], text, where)))
    for layout in _DATE_LAYOUTS:
        try:
            return Time(go_time.parse_time(layout, text, where))
        except ValueError:
            continue
    raise TimeExprError(f"invalid date {text}")


def _binary(operator: str, left: Any, right: Any) -> Any:
    kinds = (type(left), type(right))
    if _number(left) and _number(right):
        if operator == "/":
            return _divide(float(left), float(right))
        result = {"+": left + right, "-": left - right, "*": left * right}[operator]
        return int64(result) if isinstance(result, int) else result
    if operator == "+" and kinds == (str, str):
        return left + right
    found = _time_arithmetic(operator, left, right)
    if found is None:
        raise TimeExprError(
            f"invalid operation: {operator} (mismatched types {go_type(left)} and {go_type(right)})"
        )
    return found


def _time_arithmetic(operator: str, left: Any, right: Any) -> Any:
    """expr's runtime rules for times and durations; None when the operands do not mix."""
    if isinstance(left, Time) and isinstance(right, Duration) and operator in "+-":
        return Time(left.ns + right.ns if operator == "+" else left.ns - right.ns)
    if isinstance(left, Duration) and isinstance(right, Time) and operator == "+":
        return Time(left.ns + right.ns)
    if isinstance(left, Time) and isinstance(right, Time) and operator == "-":
        return Duration(int64(left.ns - right.ns))
    if isinstance(left, Duration) and isinstance(right, Duration) and operator in "+-*":
        results = {"+": left.ns + right.ns, "-": left.ns - right.ns, "*": left.ns * right.ns}
        return Duration(int64(results[operator]))
    if operator == "*" and {type(left), type(right)} in ({Duration, int}, {Duration, float}):
        duration, number = (left, right) if isinstance(left, Duration) else (right, left)
        return Duration(int64(duration.ns * number)) if isinstance(number, int) else duration.ns * number
    return None


def _negate(operator: str, value: Any) -> Any:
    if not _number(value):
        raise TimeExprError(f"invalid operation: {operator} (mismatched type {go_type(value)})")
    return -value if operator == "-" else value


def _strings(name: str, arguments: list[Any], count: int) -> list[str]:
    if len(arguments) != count:
        few = "not enough" if len(arguments) < count else "too many"
        raise TimeExprError(f"{few} arguments to call {name}")
    for value in arguments:
        if not isinstance(value, str):
            raise TimeExprError(f"cannot use {go_type(value)} as argument (type string) to call {name} ")
    return arguments


def _go(function: Callable[..., Any], *arguments: Any) -> Any:
    """`function(*arguments)` with Go's `ValueError` turned into a `TimeExprError` (same message)."""
    try:
        return function(*arguments)
    except ValueError as error:
        raise TimeExprError(str(error)) from None


def _divide(left: float, right: float) -> float:
    """Go's float64 division: by zero it is an infinity, or NaN for 0/0."""
    if right:
        return left / right
    return math.copysign(math.inf, left) if left else math.nan


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)
