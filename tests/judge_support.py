"""A fake Prometheus for the judges' queries: piecewise-constant traffic, answered by query text."""

from __future__ import annotations

import re
from dataclasses import dataclass

from canarykit.providers.base import Observation

T0 = 1_700_000_000.0
_WINDOW = re.compile(r"\[(\d+)(ms|s)\]")


@dataclass(frozen=True)
class Rates:
    """Per-second requests and bad events (errors or slow requests) on each side."""

    canary: float = 0.0
    canary_bad: float = 0.0
    stable: float = 0.0
    stable_bad: float = 0.0


def rates(canary: float, canary_share: float, stable: float, stable_share: float) -> Rates:
    """Rates from request volumes and bad-event shares."""
    return Rates(canary, canary * canary_share, stable, stable * stable_share)


class FakeIngress:
    """Answers `sum(increase(...[w]))` for canary/stable requests, errors and histogram buckets.

    `phases` are `(from_time, Rates)`, sorted; there is no traffic before the first. Zero counts come
    back as an empty vector, as Prometheus answers when no series exists.
    """

    def __init__(self, *phases: tuple[float, Rates]) -> None:
        self.phases = list(phases)
        self.calls: list[tuple[str, float]] = []

    def measure(self, query: str | None, at: float) -> Observation:
        assert query is not None
        self.calls.append((query, at))
        value = self.total(query, at) - self.total(query, at - _window(query))
        return Observation.of([value] if value > 0 else [])

    def total(self, query: str, at: float) -> float:
        """The counter the query reads, at `at`."""
        canary = 'canary!=""' in query
        total = 0.0
        for index, (start, rate) in enumerate(self.phases):
            end = self.phases[index + 1][0] if index + 1 < len(self.phases) else at
            seconds = max(min(at, end) - start, 0.0)
            total += seconds * _series_rate(rate, query, canary)
        return total

    def windows(self) -> list[float]:
        """The window of each query asked, in order."""
        return [_window(query) for query, _ in self.calls]


def _series_rate(rate: Rates, query: str, canary: bool) -> float:
    requests, bad = (rate.canary, rate.canary_bad) if canary else (rate.stable, rate.stable_bad)
    if "status=~" in query:
        return bad
    if "_bucket" in query:
        return requests - bad
    return requests


def _window(query: str) -> float:
    match = _WINDOW.search(query)
    assert match is not None, query
    return int(match.group(1)) / (1000 if match.group(2) == "ms" else 1)
