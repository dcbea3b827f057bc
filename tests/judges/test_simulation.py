"""The traffic simulation: its sampler, its scrapes, and the threshold configurations the issue describes."""

from __future__ import annotations

import random
import statistics
from functools import partial

import pytest

from canarykit.judges.sequential import SplitCounts
from canarykit.judges.simulation import (
    REFERENCE,
    REFERENCE_PLAN,
    TUNED,
    Outcome,
    Plan,
    Scrape,
    Threshold,
    Traffic,
    poisson,
    run_many,
    run_threshold,
    simulate,
)


@pytest.mark.parametrize("mean", [0.3, 4.0, 25.0, 800.0])
def test_poisson_draws_have_the_right_mean_and_variance(mean: float) -> None:
    rng = random.Random(7)
    draws = [poisson(rng, mean) for _ in range(20_000)]
    assert statistics.mean(draws) == pytest.approx(mean, rel=0.03, abs=0.01)
    assert statistics.variance(draws) == pytest.approx(mean, rel=0.06, abs=0.02)
    assert min(draws) >= 0


def test_a_run_is_one_scrape_every_10s_through_the_reference_plan() -> None:
    scrapes = simulate(Traffic(rate=100.0), REFERENCE_PLAN, random.Random(3))
    assert len(scrapes) == 48 and scrapes[0].time == 10 and scrapes[-1].time == 480 == REFERENCE_PLAN.length
    assert [scrapes[i].weight for i in (0, 11, 12, 47)] == [20, 20, 40, 80]
    canary = statistics.mean(s.counts.canary_requests for s in scrapes[:12])
    stable = statistics.mean(s.counts.stable_requests for s in scrapes[:12])
    assert canary == pytest.approx(200, rel=0.1) and stable == pytest.approx(800, rel=0.05)
    assert simulate(Traffic(), rng=random.Random(3)) == simulate(Traffic(), rng=random.Random(3))


def test_the_reference_configuration_promotes_a_canary_failing_10_percent() -> None:
    outcomes = run_many(partial(run_threshold, config=REFERENCE), Traffic(rate=100.0, ratio=20.0), 200, 1)
    assert not any(o.rolled_back for o in outcomes)
    assert statistics.mean(o.failed for o in outcomes) == pytest.approx(2400, rel=0.03)  # the whole plan's


def test_the_reference_configuration_serves_about_1575_failures_before_rolling_back_30_percent() -> None:
    outcomes = run_many(partial(run_threshold, config=REFERENCE), Traffic(rate=100.0, ratio=60.0), 200, 2)
    assert all(o.rolled_back and o.time in (180, 190, 200) for o in outcomes)
    assert statistics.mean(o.failed for o in outcomes) == pytest.approx(1575, rel=0.03)


@pytest.mark.parametrize(("rate", "low", "high"), [(100.0, 0.01, 0.05), (10.0, 0.6, 0.73)])
def test_the_tuned_configuration_rolls_back_healthy_canaries(rate: float, low: float, high: float) -> None:
    outcomes = run_many(partial(run_threshold, config=TUNED), Traffic(rate=rate), 1000, 3)
    assert low <= sum(o.rolled_back for o in outcomes) / 1000 <= high  # the issue: 3 % and about 2 in 3


def scrapes_of(*bad: float, requests: float = 1000.0) -> list[Scrape]:
    """Whole-ingress scrapes (canary at 20 %) with these stable error counts; none when bad is negative."""
    counts = [SplitCounts(0.2 * requests, 0, 0.8 * requests, b) if b >= 0 else SplitCounts() for b in bad]
    return [Scrape(10.0 * (i + 1), 20, c) for i, c in enumerate(counts)]


def test_threshold_fails_on_the_measurement_after_failure_limit() -> None:
    plan, config = Plan(steps=((20, 100),), analysis_from=10.0), Threshold(window=10.0)
    four = scrapes_of(200, 0, 200, 200, 0, 200, 0, 0, 0, 0)  # failures at 10, 30, 40 and 60 s
    assert run_threshold(four, config, plan) == Outcome(True, 60.0, 0)
    assert not run_threshold(four, Threshold(window=10.0, start=30.0), plan).rolled_back
    assert not run_threshold(scrapes_of(200, 0, 200, 200, 0, 0, 0, 0, 0, 0), config, plan).rolled_back
    silent = run_threshold(scrapes_of(-1, -1, -1, -1, 0, 0, 0, 0, 0, 0), config, plan)
    assert silent.time == 40.0  # no requests: NaN, a failed measurement as in Argo
