"""What one rollout's metrics say now: kept by its listener, read at each scrape (no prometheus_client)."""

from __future__ import annotations

import bisect
import math
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import accumulate
from typing import Any

from canarykit.values import format_float

STEP_SECONDS_BUCKETS = (1.0, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0, 600.0, 1800.0, 3600.0)
"""Bounds of the step-duration histogram: steps last from a weight change (seconds) to a long pause."""


@dataclass
class Histogram:
    """Observations in buckets with upper `bounds` (and +Inf), their sum and count."""

    bounds: tuple[float, ...] = STEP_SECONDS_BUCKETS
    buckets: list[int] = field(default_factory=list)
    total: float = 0.0
    count: int = 0

    def __post_init__(self) -> None:
        self.buckets = self.buckets or [0] * (len(self.bounds) + 1)

    def observe(self, value: float) -> None:
        self.buckets[bisect.bisect_left(self.bounds, value)] += 1
        self.total += value
        self.count += 1

    def cumulative(self, le: Callable[[float], str] = format_float) -> list[tuple[str, float]]:
        """`(le, observations at or under it)` per bucket, `+Inf` last; `le` writes each bound."""
        bounds = [le(bound) for bound in (*self.bounds, math.inf)]
        return list(zip(bounds, map(float, accumulate(self.buckets)), strict=True))


@dataclass
class AnalysisState:
    """An analysis run's phase, and each of its metrics' phase and dry-run flag."""

    phase: str
    metrics: dict[str, tuple[str, bool]] = field(default_factory=dict)


@dataclass
class RolloutState:
    """One rollout, as the latest event found it, and the counts of everything it emitted."""

    namespace: str
    name: str
    phase: str = ""
    version: str = ""
    step: int = 0
    steps: int = 0
    steps_completed: int = 0
    weight: int = 0
    max_weight: int = 100
    analyses: dict[str, AnalysisState] = field(default_factory=dict)
    values: dict[tuple[str, str], float] = field(default_factory=dict)
    """The last numeric measurement value per (analysis, metric)."""
    measurements: Counter[tuple[str, str, str]] = field(default_factory=Counter)
    """Measurements per (analysis, metric, phase)."""
    verdicts: Counter[str] = field(default_factory=Counter)
    completed: Counter[str] = field(default_factory=Counter)
    events: Counter[tuple[str, str]] = field(default_factory=Counter)
    """Events per (type, reason), as Argo's `rollout_events_total`: Normal or Warning, the event's kind."""
    step_seconds: Histogram = field(default_factory=Histogram)
    step_started: dict[int, float] = field(default_factory=dict)

    @property
    def labels(self) -> list[str]:
        return [self.namespace, self.name]


def numeric_value(result: Any) -> float | None:
    """A measurement's value as one number, or None when it is not one.

    A number is taken as it is; a vector (Prometheus) by its first element, as `result[0]` in a condition;
    a text that reads as a number (a web metric's JSON string) by that number. Booleans, empty vectors,
    maps and anything else give None: no value sample is written for them.
    """
    if isinstance(result, list | tuple):
        result = result[0] if result else None
    if isinstance(result, bool):
        return None
    if isinstance(result, int | float):
        return float(result)
    if isinstance(result, str):
        try:
            return float(result)
        except ValueError:
            return None
    return None
