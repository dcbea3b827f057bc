"""The values of Argo's time expressions with Go's type names, and the `time` methods they may call."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from canarykit.providers import go_time
from canarykit.providers.time_expr_syntax import TimeExprError

_ZERO_TIME_SECONDS = 62135596800
"""Seconds from Go's zero time (January 1, year 1) to the Unix epoch: `Truncate`/`Round` count from it."""


@dataclass(frozen=True)
class Time:
    """A Go `time.Time`: nanoseconds since the Unix epoch."""

    ns: int


@dataclass(frozen=True)
class Duration:
    """A Go `time.Duration`: nanoseconds."""

    ns: int


def go_type(value: Any) -> str:
    """The Go type name expr reports for a value."""
    if isinstance(value, bool):
        return "bool"
    names = {Time: "time.Time", Duration: "time.Duration", int: "int", float: "float64", str: "string"}
    if isinstance(value, go_time.Location):
        return "*time.Location"
    return names.get(type(value), "func(float64) bool")


def call_method(receiver: Any, name: str, arguments: list[Any]) -> Any:
    """The few `time.Time` and `time.Duration` methods expressions use."""
    methods: dict[str, Callable[..., Any]] = {}
    if isinstance(receiver, Time):
        methods = {
            "Add": lambda d: Time(receiver.ns + _arg(name, d, Duration).ns),
            "Sub": lambda t: Duration(int64(receiver.ns - _arg(name, t, Time).ns)),
            "Truncate": lambda d: Time(receiver.ns - _since_zero(receiver, _arg(name, d, Duration))),
            "Round": lambda d: _round(receiver, _arg(name, d, Duration)),
            "UTC": lambda: receiver, "Local": lambda: receiver, "In": lambda _location: receiver,
            "Unix": lambda: receiver.ns // go_time.SECOND,
        }  # fmt: skip
    elif isinstance(receiver, Duration):
        methods = {"Seconds": lambda: receiver.ns / 1e9, "Minutes": lambda: receiver.ns / 6e10}
        methods["Hours"] = lambda: receiver.ns / 3.6e12
    if name not in methods:
        raise TimeExprError(f"type {go_type(receiver)} has no method {name}")
    try:
        return methods[name](*arguments)
    except TypeError:
        raise TimeExprError(f"wrong number of arguments to call {name}") from None


def _since_zero(moment: Time, step: Duration) -> int:
    """Go's `t.Truncate(d)` remainder: nanoseconds since the last multiple of `d` counted from year 1."""
    return 0 if step.ns <= 0 else (moment.ns + _ZERO_TIME_SECONDS * go_time.SECOND) % step.ns


def _round(moment: Time, step: Duration) -> Time:
    remainder = _since_zero(moment, step)
    if step.ns <= 0 or remainder + remainder < step.ns:
        return Time(moment.ns - remainder)
    return Time(moment.ns + step.ns - remainder)


def _arg(method: str, value: Any, kind: type) -> Any:
    if not isinstance(value, kind):
        expected = "time.Time" if kind is Time else "time.Duration"
        raise TimeExprError(f"cannot use {go_type(value)} as argument (type {expected}) to call {method} ")
    return value


def int64(value: int) -> int:
    """Go's int64 wrap-around."""
    return (value + 2**63) % 2**64 - 2**63
