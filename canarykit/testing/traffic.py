"""`ScriptedTraffic`: a fake Prometheus answering the judges' queries from scripted traffic, for users' tests.

The judges (`ErrorRateComparison`, `LatencyComparison`) ask for `sum(increase(<counter>{...}[W]))` of
ingress-nginx's counters, canary (`canary!=""`) and stable (`canary=""`). This provider keeps those counters
as exact integrals of piecewise-constant rates that you script on the analysis clock, so a judge can be
driven through a whole rollout on a `FakeClock` in no real time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields, replace

from canarykit.clock import Clock
from canarykit.durations import Duration, parse_duration
from canarykit.errors import ProviderError, SpecError
from canarykit.local.ingress_metrics import DURATION, REQUESTS
from canarykit.providers.base import Observation

_QUERY = re.compile(
    r"sum\(increase\((?P<metric>[a-zA-Z_:][\w:]*)\{(?P<matchers>.*)\}\[(?P<window>[^\]]+)\]\)\)"
)


@dataclass(frozen=True)
class TrafficRates:
    """Requests per second on each side, and the share of them that fail (5xx) or are slow (> the bound)."""

    canary: float = 0.0
    stable: float = 0.0
    canary_errors: float = 0.0
    stable_errors: float = 0.0
    canary_slow: float = 0.0
    stable_slow: float = 0.0

    def __post_init__(self) -> None:
        for item in fields(self):
            value = getattr(self, item.name)
            if isinstance(value, bool) or not isinstance(value, int | float) or not value >= 0:
                raise SpecError(f"must be a number >= 0, got {value!r}", f"ScriptedTraffic {item.name}")
            if item.name.endswith(("_errors", "_slow")) and value > 1:
                raise SpecError(
                    f"is a share of requests, 0..1, got {value!r}", f"ScriptedTraffic {item.name}"
                )


class ScriptedTraffic:
    """Canary and stable traffic over time, as the judges' Prometheus queries see it.

    Time 0 is `clock.now()` when it is built (or `start`). `change(...)` sets rates from a moment on,
    keeping the rates it does not name; there is no traffic before the first change. Queries the judges
    do not make raise `ProviderError` naming them. Every call is recorded in `calls` as `(query, at)`.

        clock = FakeClock(1_700_000_000)
        traffic = ScriptedTraffic(clock).change(canary=10, stable=90, stable_errors=0.005)
        traffic.change(after="2m", canary_errors=0.05)   # the canary starts failing 2 minutes in
        judge = ErrorRateComparison(traffic, ingress="web")
    """

    def __init__(self, clock: Clock | None = None, start: float | None = None) -> None:
        self.clock = clock
        self.origin = start if start is not None else clock.now() if clock is not None else 0.0
        self.phases: list[tuple[float, TrafficRates]] = []
        self.calls: list[tuple[str | None, float]] = []

    def change(self, after: Duration | None = None, **rates: float) -> ScriptedTraffic:
        """Set `rates` (fields of `TrafficRates`) from `after` past the origin (default: the clock's now)."""
        moment = self._moment(after)
        if self.phases and moment < self.phases[-1][0]:
            raise SpecError(f"changes must come in time order, got {after!r} after a later one", "after")
        unknown = sorted(set(rates) - {item.name for item in fields(TrafficRates)})
        if unknown:
            raise SpecError(f"unknown rates {unknown}; expected fields of TrafficRates", "ScriptedTraffic")
        previous = self.phases[-1][1] if self.phases else TrafficRates()
        self.phases.append((moment, replace(previous, **rates)))
        return self

    def total(self, metric: str, canary: bool, errors: bool, at: float) -> float:
        """The counter `metric` for one side (errors only if `errors`) from the first change to `at`."""
        total = 0.0
        for index, (start, rates) in enumerate(self.phases):
            end = self.phases[index + 1][0] if index + 1 < len(self.phases) else at
            total += max(min(at, end) - start, 0.0) * _rate(rates, metric, canary, errors)
        return total

    def measure(self, query: str | None, at: float) -> Observation:
        """The query's increase over its window: `[value]`, or `[]` when it is 0 (no series)."""
        self.calls.append((query, at))
        match = _QUERY.fullmatch(query or "")
        if match is None:
            raise ProviderError(f"ScriptedTraffic answers only the judges' increase queries, not {query!r}")
        metric, matchers = match["metric"], match["matchers"]
        canary, errors = 'canary!=""' in matchers, "status=~" in matchers
        seconds = parse_duration(match["window"], "the query's range")
        value = self.total(metric, canary, errors, at) - self.total(metric, canary, errors, at - seconds)
        return Observation.of([value] if value > 0 else [])

    def _moment(self, after: Duration | None) -> float:
        if after is not None:
            return self.origin + parse_duration(after, "after")
        return self.clock.now() if self.clock is not None else self.origin


def _rate(rates: TrafficRates, metric: str, canary: bool, errors: bool) -> float:
    """Per-second increase of one counter: requests, errors (`status=~`), or requests within the bound."""
    requests = rates.canary if canary else rates.stable
    if metric == REQUESTS:
        return requests * (rates.canary_errors if canary else rates.stable_errors) if errors else requests
    if metric == DURATION + "_count":
        return requests
    if metric == DURATION + "_bucket":
        return requests * (1 - (rates.canary_slow if canary else rates.stable_slow))
    raise ProviderError(f"ScriptedTraffic has no counter {metric!r}")
