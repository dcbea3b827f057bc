"""The planner with an indifference zone: each crossing against its own boundary, agreeing with simulation.

Regression of issue #17: `over_plan` used `max_ratio` as the boundary for both crossings, so with a zone
(pass 1, fail 2) it tested clearing against 1.05 (a healthy canary cleared hours late, or never) and
catching against 1.05 (too early). Also: a judge's metadata shows its zone.
"""

from __future__ import annotations

import math
import random
import statistics
from typing import Any

import pytest
from judge_support import T0, FakeIngress, rates

from canarykit import AnalysisRun
from canarykit.cli.plan_detection import max_effect
from canarykit.errors import SpecError
from canarykit.judges import ErrorRateComparison
from canarykit.judges.planning import Detection, at_weight, over_plan
from canarykit.judges.sequential import SequentialSplitTest, Verdict
from canarykit.judges.simulation import Plan, Traffic, simulate
from canarykit.testing import FakeClock

ZONE: dict[str, Any] = {"pass_ratio": 1.0, "fail_ratio": 2.0}


def kl(p: float, q: float) -> float:
    return p * math.log(p / q) + (1 - p) * math.log((1 - p) / (1 - q))


def split(ratio: float, share: float) -> float:
    return ratio * share / (ratio * share + 1 - share)


def test_clearing_is_measured_against_the_fail_ratio() -> None:
    """One alternative (a healthy canary, ρ = 1) against the pass boundary 2: log(1/beta) over the KL rate."""
    detection = Detection(100.0, 0.005, 3.0, grid_size=1, min_bad=0, **ZONE)
    events = 100.0 * 0.005  # both sides fail at stable's rate
    expected = math.log(100) / (events * kl(split(1.0, 0.2), split(2.0, 0.2)))
    assert at_weight(detection, 20.0).clear == pytest.approx(expected, rel=1e-6)  # 255 s; was never


def test_catching_is_measured_against_the_pass_ratio() -> None:
    """One alternative at fail_ratio = 2, a 2x canary: the boundary is pass_ratio 1, not 1.05."""
    detection = Detection(100.0, 0.005, 2.0, grid_size=1, min_bad=0, **ZONE)
    events = 100.0 * 0.005 * (2.0 * 0.2 + 0.8)
    expected = math.log(100) / (events * kl(split(2.0, 0.2), split(1.0, 0.2)))
    assert at_weight(detection, 20.0).catch == pytest.approx(expected, rel=1e-6)


def test_the_zone_clears_a_healthy_canary_within_the_reference_plan() -> None:
    segments = [(20.0, 120.0), (40.0, 120.0), (60.0, 120.0), (80.0, 120.0)]
    zone = over_plan(Detection(100.0, 0.005, 2.0, **ZONE), segments)
    tight = over_plan(Detection(100.0, 0.005, 2.0), segments)
    assert tight.clear is None and zone.clear is not None and 120 < zone.clear < 300
    assert zone.catch is not None and tight.catch is not None


def simulated_times(rate: float, ratio: float, weight: float, runs: int = 300) -> tuple[list[float], int]:
    """Times of the verdict expected (fail for ratio > 1, pass for a healthy canary), and the other count."""
    rng, plan, other = random.Random(3), Plan(steps=((weight, 1800.0),)), 0
    wanted: list[float] = []
    for _ in range(runs):
        test = SequentialSplitTest(**ZONE)
        for scrape in simulate(Traffic(rate=rate, ratio=ratio), plan, rng):
            verdict = test.update(scrape.counts).verdict
            if verdict is not Verdict.CONTINUE:
                hit = verdict is (Verdict.FAIL if ratio > 1 else Verdict.PASS)
                wanted, other = ([*wanted, scrape.time], other) if hit else (wanted, other + 1)
                break
    return wanted, other


@pytest.mark.parametrize(("weight", "ratio"), [(20.0, 1.0), (20.0, 2.0), (50.0, 1.0), (50.0, 3.0)])
def test_the_zone_estimate_is_within_ten_percent_of_the_simulated_mean(weight: float, ratio: float) -> None:
    """Measured: 255/260 s, 193/200 s, 191/189 s, 39/46 s (estimate/simulated mean, 300 runs, 100 req/s)."""
    estimate = at_weight(Detection(100.0, 0.005, max(ratio, 2.0), **ZONE), weight)
    expected = estimate.catch if ratio > 1 else estimate.clear
    times, wrong = simulated_times(100.0, ratio, weight)
    assert expected is not None and wrong <= 6
    assert statistics.mean(times) == pytest.approx(expected, rel=0.1, abs=10.0)  # within a scrape or 10 %


def test_a_judge_with_a_zone_is_planned_with_its_own_grids() -> None:
    for options in (
        {},
        ZONE,
        {**ZONE, "grid_size": 1},
        {"max_ratio": 1.5, "grid_size": 2, "max_effect": 3.0},
    ):
        test = SequentialSplitTest(**options)
        zone: dict[str, Any] = {"pass_ratio": test.pass_ratio, "fail_ratio": test.fail_ratio}
        rebuilt = Detection(
            10.0,
            0.01,
            2.0,
            max_ratio=test.max_ratio,
            grid_size=len(test.worse),
            max_effect=max_effect(test),
            **zone,
        ).test()
        assert rebuilt.worse == pytest.approx(test.worse) and rebuilt.better == pytest.approx(test.better)
        assert (rebuilt.fail_boundary, rebuilt.pass_boundary) == (test.fail_boundary, test.pass_boundary)


@pytest.mark.parametrize(
    "options",
    [
        {"pass_ratio": 1.0},
        {"pass_ratio": 0.9, "fail_ratio": 2.0},
        {"pass_ratio": 1.0, "fail_ratio": 2.0, "max_ratio": 1.5},
    ],
)
def test_a_bad_zone_is_refused(options: dict[str, float]) -> None:
    with pytest.raises(SpecError):
        Detection(100.0, 0.005, 2.0, **options)  # type: ignore[arg-type]


def test_the_metadata_names_the_zone_and_not_without_one() -> None:
    healthy = FakeIngress((T0 - 600, rates(100, 0.005, 900, 0.005)))
    zoned = ErrorRateComparison(healthy, "web", **ZONE).metric()
    plain = ErrorRateComparison(healthy, "web").metric()
    result = AnalysisRun([zoned], clock=FakeClock(T0)).run("10s")
    meta = result.metric("error-rate-comparison").measurements[0].metadata
    assert (meta["passRatio"], meta["failRatio"]) == ("1", "2")
    result = AnalysisRun([plain], clock=FakeClock(T0)).run("10s")
    meta = result.metric("error-rate-comparison").measurements[0].metadata
    assert "passRatio" not in meta and "failRatio" not in meta and meta["maxRatio"] == "1.05"
