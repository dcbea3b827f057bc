"""Argo's Prometheus `rangeQuery`: `start` and `end` as expr time expressions, `step` as a Go duration.

    RangeQuery(start='now() - duration("5m")', end="now()", step="1m")

`now()` is the analysis clock's now (the `at` of a measurement), so a replayed analysis queries the past.
Everything is checked when it is built (`SpecError`, Argo's words: `failed to parse rangeQuery.start as
time: time: invalid duration "??"`), where Argo finds out at each measurement; a step that is not positive,
which Prometheus would refuse at every query, is refused too.
"""

from __future__ import annotations

import time
from fractions import Fraction

from canarykit.errors import ProviderError, SpecError
from canarykit.providers import go_time
from canarykit.providers.time_expr import TimeExpression
from canarykit.providers.time_expr_syntax import TimeExprError
from canarykit.values import format_float


class RangeQuery:
    """When a Prometheus range query starts and ends, and its step; `form(at)` gives the API's fields."""

    def __init__(self, start: str, end: str, step: str) -> None:
        self.start = _compile("start", start)
        self.end = _compile("end", end)
        self.step = step
        self.step_ns = _step(step)
        probe = time.time_ns()  # errors that do not depend on now() (a bad duration or date) show here
        for name, expression in (("start", self.start), ("end", self.end)):
            try:
                expression.evaluate(probe)
            except TimeExprError as error:
                raise SpecError(f"failed to parse rangeQuery.{name} as time: {error}") from None

    def __repr__(self) -> str:
        return f"RangeQuery(start={self.start.source!r}, end={self.end.source!r}, step={self.step!r})"

    def form(self, at: float) -> dict[str, str]:
        """`start`, `end` and `step` as client_golang sends them, with `now()` at `at` (unix seconds)."""
        now = round(Fraction(at) * go_time.SECOND)
        times = {}
        for name, expression in (("start", self.start), ("end", self.end)):
            try:
                times[name] = _seconds(expression.evaluate(now))
            except TimeExprError as error:
                raise ProviderError(f"failed to parse rangeQuery.{name} as time: {error}") from None
        return {**times, "step": _seconds(self.step_ns)}


def _compile(name: str, source: str) -> TimeExpression:
    try:
        return TimeExpression(source)
    except TimeExprError as error:
        raise SpecError(f"failed to parse rangeQuery.{name} as time: {error}") from None


def _step(step: str) -> int:
    try:
        nanoseconds = go_time.parse_duration(step)
    except ValueError as error:
        raise SpecError(f"failed to parse rangeQuery.step as duration: {error}") from None
    if nanoseconds <= 0:
        raise SpecError(f"rangeQuery.step must be positive (Prometheus refuses it), got {step!r}")
    return nanoseconds


def _seconds(nanoseconds: int) -> str:
    """Go's `strconv.FormatFloat(float64(t.Unix())+float64(t.Nanosecond())/1e9, 'f', -1, 64)`."""
    seconds, rest = divmod(nanoseconds, go_time.SECOND)
    return format_float(float(seconds) + float(rest) / 1e9)
