"""The indifference zone's error bounds at every look, and its power, on simulated traffic (fixed seeds).

Each bound is checked over 1,000 canaries per traffic level (10 and 100 requests/s, stable at 0.5 %),
every scrape of the reference plan stretched to twice its length (what gates that extend allow): the
count must stay within the 99 % upper quantile of Binomial(1000, bound). To see each e-value at every look,
the other side's threshold is made unreachable (1e-12), so no early verdict stops the run.
"""

from __future__ import annotations

import random
import statistics
from collections.abc import Sequence

import pytest
from test_sequential_simulated import upper_quantile

from canarykit.judges.gated_simulation import gates, run_many_gated
from canarykit.judges.sequential import FAIL_RATIO, PASS_RATIO, SequentialSplitTest, Verdict
from canarykit.judges.simulation import Plan, Scrape, Traffic, simulate

RUNS = 1000
ALPHA = 0.01
STRETCHED = Plan(steps=((20, 240), (40, 240), (60, 240), (80, 240)))
NEVER = 1e-12


def ever(scrapes: Sequence[Scrape], test: SequentialSplitTest, verdict: Verdict) -> bool:
    """Whether the test reaches `verdict` at any scrape."""
    return any(test.update(scrape.counts).verdict is verdict for scrape in scrapes)


def count(traffic: Traffic, seed: int, verdict: Verdict, alpha: float, beta: float) -> int:
    """How many of RUNS simulated canaries reach `verdict` at some look."""
    rng = random.Random(seed)
    return sum(
        ever(
            simulate(traffic, STRETCHED, rng),
            SequentialSplitTest(alpha=alpha, beta=beta, pass_ratio=PASS_RATIO, fail_ratio=FAIL_RATIO),
            verdict,
        )
        for _ in range(RUNS)
    )


@pytest.mark.parametrize(("rate", "seed", "measured"), [(10.0, 201, 1), (100.0, 202, 3)])
def test_healthy_canaries_fail_at_most_alpha_at_every_look(rate: float, seed: int, measured: int) -> None:
    failed = count(Traffic(rate=rate, ratio=PASS_RATIO), seed, Verdict.FAIL, ALPHA, NEVER)
    assert failed <= upper_quantile(RUNS, ALPHA)
    assert failed == measured  # a fixed seed: a change here is a change in the test's behaviour


@pytest.mark.parametrize(("rate", "seed", "measured"), [(10.0, 203, 6), (100.0, 204, 3)])
def test_canaries_at_the_fail_ratio_pass_at_most_beta_at_every_look(
    rate: float, seed: int, measured: int
) -> None:
    passed = count(Traffic(rate=rate, ratio=FAIL_RATIO), seed, Verdict.PASS, NEVER, ALPHA)
    assert passed <= upper_quantile(RUNS, ALPHA)
    assert passed == measured


def zone() -> SequentialSplitTest:
    return SequentialSplitTest(pass_ratio=PASS_RATIO, fail_ratio=FAIL_RATIO)


def test_gates_clear_healthy_canaries_in_under_half_the_plan_at_100_rps() -> None:
    outcomes = run_many_gated(Traffic(rate=100.0), gates(), zone, RUNS, 205)
    promoted = [o.time for o in outcomes if o.ending == "promoted"]
    assert sum(o.rolled_back for o in outcomes) <= upper_quantile(RUNS, ALPHA)
    assert statistics.median(promoted) <= 240  # the goal: half of the 480 s plan; measured 210 s


def test_gates_catch_2x_regressions_at_100_rps() -> None:
    outcomes = run_many_gated(Traffic(rate=100.0, ratio=2.0), gates(), zone, RUNS, 206)
    assert sum(o.rolled_back for o in outcomes) >= 950  # measured: 972
