"""The judge's guarantees on simulated rollouts of the reference plan (stable at 0.5 % errors, fixed seeds).

False rollbacks: at most alpha (1 %) within sampling error, i.e. no more than the 99 % upper quantile of
Binomial(runs, alpha), over 2,000 healthy canaries at 10 and at 100 requests/s, and at the tolerance itself.
Power (documented in `canarykit.judges.sequential`): about 97 % of 2x regressions caught at 100 requests/s
within the 8-minute plan; the goal is 95 %.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence

import pytest

from canarykit.judges.sequential import MAX_RATIO, SequentialSplitTest
from canarykit.judges.simulation import Outcome, Scrape, Traffic, run_judge, run_many

ALPHA = 0.01
HEALTHY_RUNS = 2000


def upper_quantile(runs: int, p: float, confidence: float = 0.99) -> int:
    """The smallest k with P(Binomial(runs, p) > k) <= 1 - confidence."""
    total, k = 0.0, 0
    while True:
        total += math.comb(runs, k) * p**k * (1 - p) ** (runs - k)
        if total >= confidence:
            return k
        k += 1


def rolled_back(outcomes: list[Outcome]) -> int:
    return sum(outcome.rolled_back for outcome in outcomes)


def test_upper_quantile() -> None:
    assert upper_quantile(2000, 0.01) == 31  # mean 20, sd 4.4
    assert upper_quantile(100, 0.5, 0.5) == 50


@pytest.mark.parametrize(("rate", "seed"), [(10.0, 101), (100.0, 102)])
def test_healthy_canaries_are_rolled_back_at_most_alpha_of_the_time(rate: float, seed: int) -> None:
    outcomes = run_many(run_judge, Traffic(rate=rate), HEALTHY_RUNS, seed)
    assert rolled_back(outcomes) <= upper_quantile(HEALTHY_RUNS, ALPHA)
    assert rolled_back(outcomes) <= 10  # measured with these seeds: 0 at 10 req/s, 2 at 100 req/s


def test_a_canary_exactly_at_the_tolerance_is_still_within_alpha() -> None:
    outcomes = run_many(run_judge, Traffic(rate=100.0, ratio=MAX_RATIO), 1000, 103)
    assert rolled_back(outcomes) <= upper_quantile(1000, ALPHA)  # measured: 5 (0.5 %), the worst case


def test_most_2x_regressions_are_caught_within_the_plan_at_100_rps() -> None:
    outcomes = run_many(run_judge, Traffic(rate=100.0, ratio=2.0), 1000, 104)
    assert rolled_back(outcomes) >= 950  # measured: 967
    times = [o.time for o in outcomes if o.time is not None]
    assert 150 < statistics.mean(times) < 240  # the planner's estimate: 3m29s


def test_large_regressions_are_caught_at_once() -> None:
    for rate, ratio, within in ((100.0, 10.0, 30.0), (100.0, 60.0, 10.0), (10.0, 60.0, 40.0)):
        outcomes = run_many(run_judge, Traffic(rate=rate, ratio=ratio), 200, 105)
        assert all(o.rolled_back and o.time is not None and o.time <= within for o in outcomes), (rate, ratio)


def test_a_tolerance_costs_power() -> None:
    def tolerant(scrapes: Sequence[Scrape]) -> Outcome:
        return run_judge(scrapes, SequentialSplitTest(max_ratio=1.5))

    caught = rolled_back(run_many(tolerant, Traffic(rate=100.0, ratio=2.0), 300, 106))
    assert caught < 0.4 * 300  # with max_ratio 1.5, most 2x regressions are promoted
