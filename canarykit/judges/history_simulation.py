"""Seeded simulation of the history-informed judge: stable steady or drifting, a history window before.

The traffic model is `canarykit.judges.simulation`'s (Poisson requests split by the plan's weight, Poisson
bad events, 10 s scrapes), with two additions:

- **History**: before the canary, stable serves all the traffic for `history_seconds` at its base rate.
- **Drift** of stable's live rate during the canary, by a factor of its base rate at each scrape's middle:
  `linear` (from 1 at the canary's start to `1 + change` at the plan's end) or `step` (`1 + change` from
  `at` seconds on). A healthy canary follows stable's live rate; a regression is `ratio` times it.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

from canarykit.judges.history import HistoryInformedTest, StableHistory
from canarykit.judges.oracles import KnownRateSPRT
from canarykit.judges.sequential import (
    FAIL_RATIO,
    PASS_RATIO,
    Decision,
    SequentialSplitTest,
    SplitCounts,
    Verdict,
)
from canarykit.judges.simulation import REFERENCE_PLAN, Plan, Scrape, Traffic, poisson

DriftKind = Literal["steady", "linear", "step"]
HISTORY_SECONDS = 3600.0


@dataclass(frozen=True)
class Drift:
    """How stable's live rate moves during the canary: a factor of its base (history) rate."""

    kind: DriftKind = "steady"
    change: float = 0.0
    at: float = 120.0

    def factor(self, moment: float, length: float) -> float:
        if self.kind == "linear":
            return 1 + self.change * min(moment / length, 1.0)
        if self.kind == "step":
            return 1 + self.change if moment >= self.at else 1.0
        return 1.0

    def describe(self) -> str:
        if self.kind == "steady":
            return "steady"
        where = "linear over the plan" if self.kind == "linear" else f"step at {self.at:g}s"
        return f"{self.change:+.0%} {where}"


STEADY = Drift()


@dataclass(frozen=True)
class Run:
    """One simulated canary: stable's history, then the plan's scrapes."""

    history: StableHistory
    scrapes: list[Scrape]


class Test(Protocol):
    """What a judge's test offers (`SequentialSplitTest`, `HistoryInformedTest`, `KnownRateSPRT`)."""

    def update(self, new: SplitCounts) -> Decision: ...


TestFactory = Callable[[StableHistory], Test]


def simulate_run(
    traffic: Traffic,
    drift: Drift = STEADY,
    plan: Plan = REFERENCE_PLAN,
    rng: random.Random | None = None,
    history_seconds: float = HISTORY_SECONDS,
) -> Run:
    """One canary: stable's history at its base rate, then each scrape with stable's rate drifted."""
    rng = rng or random.Random(0)
    history = draw_history(traffic, rng, history_seconds)
    scrapes, start = [], 0.0
    for weight, seconds in plan.steps:
        for index in range(1, round(seconds / traffic.scrape) + 1):
            end = start + index * traffic.scrape
            stable_error = traffic.stable_error * drift.factor(end - traffic.scrape / 2, plan.length)
            scrapes.append(Scrape(end, weight, _scrape(rng, traffic, weight, stable_error)))
        start += seconds
    return Run(history, scrapes)


def draw_history(traffic: Traffic, rng: random.Random, seconds: float = HISTORY_SECONDS) -> StableHistory:
    """Stable's counts over `seconds` before the canary, all the traffic at its base rate."""
    requests = traffic.rate * seconds
    bad = poisson(rng, requests * traffic.stable_error)
    return StableHistory(bad + poisson(rng, requests * (1 - traffic.stable_error)), bad, seconds)


def _scrape(rng: random.Random, traffic: Traffic, weight: float, stable_error: float) -> SplitCounts:
    canary_mean, stable_mean = (
        traffic.rate * weight / 100 * traffic.scrape,
        traffic.rate * (1 - weight / 100) * traffic.scrape,
    )
    canary_error = min(stable_error * traffic.ratio, 1.0)
    canary_bad, stable_bad = (
        poisson(rng, canary_mean * canary_error),
        poisson(rng, stable_mean * stable_error),
    )
    canary = canary_bad + poisson(rng, canary_mean * (1 - canary_error))
    stable = stable_bad + poisson(rng, stable_mean * (1 - stable_error))
    return SplitCounts(canary, canary_bad, stable, stable_bad)


def rollback_time(test: Test, scrapes: Sequence[Scrape]) -> float | None:
    """When the test fails the canary (None: it passed, or never failed within the plan)."""
    for scrape in scrapes:
        verdict = test.update(scrape.counts).verdict
        if verdict is Verdict.FAIL:
            return scrape.time
        if verdict is Verdict.PASS:
            return None
    return None


def history_test(history: StableHistory) -> Test:
    return HistoryInformedTest(history)


def zone_history_test(history: StableHistory) -> Test:
    """The history-informed test with the recommended indifference zone (pass 1, fail 2)."""
    return HistoryInformedTest(history, pass_ratio=PASS_RATIO, fail_ratio=FAIL_RATIO)


def split_test(history: StableHistory) -> Test:
    return SequentialSplitTest()


def sprt_test(traffic: Traffic, ratio: float) -> TestFactory:
    """The known-rate SPRT (stable's base rate, the regression's exact size): the limit."""
    return lambda history: KnownRateSPRT(traffic.stable_error, ratio)


def run_cell(
    traffic: Traffic,
    drift: Drift,
    factories: Sequence[TestFactory],
    runs: int,
    seed: int,
    plan: Plan = REFERENCE_PLAN,
    history_seconds: float = HISTORY_SECONDS,
) -> list[list[float | None]]:
    """Each factory's rollback times over the same `runs` seeded canaries (one list per factory)."""
    rng = random.Random(seed)
    times: list[list[float | None]] = [[] for _ in factories]
    for _ in range(runs):
        run = simulate_run(traffic, drift, plan, rng, history_seconds)
        for column, factory in zip(times, factories, strict=True):
            column.append(rollback_time(factory(run.history), run.scrapes))
    return times


def share_rolled_back(times: Sequence[float | None]) -> float:
    return sum(time is not None for time in times) / len(times)


def paired_time_ratio(times: Sequence[float | None], reference: Sequence[float | None]) -> tuple[float, int]:
    """Mean rollback time over the reference's, on runs where both rolled back; and how many those were."""
    pairs = [(a, b) for a, b in zip(times, reference, strict=True) if a is not None and b is not None]
    if not pairs:
        return float("nan"), 0
    return sum(a for a, _ in pairs) / sum(b for _, b in pairs), len(pairs)
