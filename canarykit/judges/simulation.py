"""A seeded traffic simulation of a canary rollout, to measure how judges and thresholds decide. Stdlib only.

Requests arrive as a Poisson process split by the plan's weight; each fails with its side's probability
(stable's rate, the canary's `ratio` times it). Poisson thinning makes each side's errors and successes
independent Poisson counts, so a run draws four numbers per 10 s scrape, never one per request.
Prometheus' `rate[60s]` is modelled as the counts of the scrapes inside the window.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from canarykit.judges.sequential import Decision, SequentialSplitTest, SplitCounts, Verdict


@dataclass(frozen=True)
class Plan:
    """Canary weights (percent), how long each holds (seconds), when threshold analysis starts (seconds)."""

    steps: tuple[tuple[float, float], ...] = ((20, 120), (40, 120), (60, 120), (80, 120))
    analysis_from: float = 120.0

    @property
    def length(self) -> float:
        return sum(seconds for _, seconds in self.steps)


REFERENCE_PLAN = Plan()


@dataclass(frozen=True)
class Traffic:
    """Requests per second through the ingress, stable's error rate, the canary's rate over stable's."""

    rate: float = 100.0
    stable_error: float = 0.005
    ratio: float = 1.0
    scrape: float = 10.0


@dataclass(frozen=True)
class Scrape:
    """One scrape interval ending at `time` (seconds after the canary's first traffic): its new counts."""

    time: float
    weight: float
    counts: SplitCounts


@dataclass(frozen=True)
class Outcome:
    """A run's verdict, when it was reached (None: promoted at the plan's end), canary errors served."""

    rolled_back: bool
    time: float | None
    failed: float


@dataclass(frozen=True)
class Threshold:
    """An Argo-style success-ratio metric, Failed once more than `failure_limit` measurements fail.

    `start`: the first measurement, in seconds after the canary's first traffic (None: the plan's).
    """

    minimum: float = 0.90
    canary_only: bool = False
    window: float = 60.0
    interval: float = 10.0
    failure_limit: int = 3
    start: float | None = None


REFERENCE = Threshold()  # the whole ingress' success ratio > 0.90, from step 2 (the reference template)
TUNED = Threshold(minimum=0.99, canary_only=True, start=10.0)  # the canary's own, from its first scrape

Judge = Callable[[Sequence[Scrape]], Outcome]


class SplitTest(Protocol):
    """A cumulative test fed each scrape's new counts: `SequentialSplitTest`, an oracle, a history judge."""

    def update(self, new: SplitCounts) -> Decision: ...


def simulate(traffic: Traffic, plan: Plan = REFERENCE_PLAN, rng: random.Random | None = None) -> list[Scrape]:
    """One rollout's scrapes, from the canary's first traffic to the plan's end (steps in whole scrapes)."""
    rng = rng or random.Random(0)
    scrapes: list[Scrape] = []
    start = 0.0
    for weight, seconds in plan.steps:
        for index in range(1, round(seconds / traffic.scrape) + 1):
            scrapes.append(Scrape(start + index * traffic.scrape, weight, draw_scrape(rng, traffic, weight)))
        start += seconds
    return scrapes


def draw_scrape(rng: random.Random, traffic: Traffic, weight: float) -> SplitCounts:
    """One scrape's new counts with the canary at `weight` percent (canary's side drawn first)."""
    share = weight / 100
    canary = _side(rng, traffic.rate * share * traffic.scrape, traffic.stable_error * traffic.ratio)
    stable = _side(rng, traffic.rate * (1 - share) * traffic.scrape, traffic.stable_error)
    return SplitCounts(canary[0], canary[1], stable[0], stable[1])


def run_threshold(scrapes: Sequence[Scrape], config: Threshold, plan: Plan = REFERENCE_PLAN) -> Outcome:
    """Measure every `interval` from the start until the plan ends; roll back on too many failures."""
    failures = 0
    moment = plan.analysis_from if config.start is None else config.start
    while moment < plan.length:
        window = [s.counts for s in scrapes if moment - config.window < s.time <= moment]
        if not _success(window, config) > config.minimum:
            failures += 1
            if failures > config.failure_limit:
                return rollback_at(scrapes, moment)
        moment += config.interval
    return promoted(scrapes)


def run_judge(scrapes: Sequence[Scrape], test: SplitTest | None = None) -> Outcome:
    """Feed a fresh sequential test every scrape from the first; Failed rolls back, Passed promotes."""
    test = test or SequentialSplitTest()
    for scrape in scrapes:
        verdict = test.update(scrape.counts).verdict
        if verdict is Verdict.FAIL:
            return rollback_at(scrapes, scrape.time)
        if verdict is Verdict.PASS:
            return promoted(scrapes)
    return promoted(scrapes)


def run_many(
    judge: Judge, traffic: Traffic, runs: int, seed: int, plan: Plan = REFERENCE_PLAN
) -> list[Outcome]:
    """`runs` rollouts of the same traffic, seeded: the same seed gives the same outcomes."""
    rng = random.Random(seed)
    return [judge(simulate(traffic, plan, rng)) for _ in range(runs)]


def _success(window: Sequence[SplitCounts], config: Threshold) -> float:
    """The success ratio over the window; NaN without requests (a failed measurement, as in Argo)."""
    requests = sum(c.canary_requests + (0 if config.canary_only else c.stable_requests) for c in window)
    bad = sum(c.canary_bad + (0 if config.canary_only else c.stable_bad) for c in window)
    return 1 - bad / requests if requests else math.nan


def rollback_at(scrapes: Sequence[Scrape], moment: float) -> Outcome:
    """Rolled back at `moment`, having served the canary errors so far."""
    return Outcome(True, moment, sum(s.counts.canary_bad for s in scrapes if s.time <= moment))


def promoted(scrapes: Sequence[Scrape]) -> Outcome:
    """Promoted at the plan's end, having served every canary error."""
    return Outcome(False, None, sum(s.counts.canary_bad for s in scrapes))


def _side(rng: random.Random, requests: float, error: float) -> tuple[int, int]:
    """(requests, errors) of one side over one scrape."""
    errors = poisson(rng, requests * error)
    return errors + poisson(rng, requests * (1 - error)), errors


def poisson(rng: random.Random, mean: float) -> int:
    """A Poisson draw: inversion below 10, Hörmann's PTRS transformed rejection above."""
    if mean < 10:
        count, term, u = 0, math.exp(-mean), rng.random()
        total = term
        while u > total and term > 0:
            count += 1
            term *= mean / count
            total += term
        return count
    root, log_mean = math.sqrt(mean), math.log(mean)
    b = 0.931 + 2.53 * root
    a, inv_alpha, v_r = -0.059 + 0.02483 * b, 1.1239 + 1.1328 / (b - 3.4), 0.9277 - 3.6224 / (b - 2)
    while True:
        u, v = rng.random() - 0.5, rng.random()
        us = 0.5 - abs(u)
        k = math.floor((2 * a / us + b) * u + mean + 0.43) if us > 0 else -1
        if us >= 0.07 and v <= v_r:
            return k
        if k < 0 or (us < 0.013 and v > us):
            continue
        if math.log(v * inv_alpha / (a / (us * us) + b)) <= -mean + k * log_mean - math.lgamma(k + 1):
            return k
