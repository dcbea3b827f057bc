"""The planner's expected decision times: the KL formula, their sanity, and agreement with the simulation."""

from __future__ import annotations

import math
import statistics

import pytest

from canarykit.errors import SpecError
from canarykit.judges.planning import Detection, at_weight, over_plan
from canarykit.judges.simulation import Plan, Traffic, run_judge, run_many

REFERENCE_SEGMENTS = [(20.0, 120.0), (40.0, 120.0), (60.0, 120.0), (80.0, 120.0)]


def kl(p: float, q: float) -> float:
    return p * math.log(p / q) + (1 - p) * math.log((1 - p) / (1 - q))


def test_one_alternative_on_the_true_ratio_gives_log_one_over_alpha_over_the_kl_rate() -> None:
    detection = Detection(100.0, 0.005, 2.0, max_ratio=1.2, grid_size=1, max_effect=2.0 / 1.2, min_bad=0)
    share = 0.2
    events = 100.0 * 0.005 * (2.0 * share + 1 - share)  # bad events per second, both sides
    actual, boundary = 2 * share / (2 * share + 1 - share), 1.2 * share / (1.2 * share + 1 - share)
    expected = math.log(100) / (events * kl(actual, boundary))
    assert at_weight(detection, 20.0).catch == pytest.approx(expected, rel=1e-6)


def test_more_traffic_and_bigger_regressions_are_caught_faster() -> None:
    times = {
        (traffic, ratio): at_weight(Detection(traffic, 0.005, ratio), 20.0).catch
        for traffic in (10.0, 100.0, 1000.0)
        for ratio in (2.0, 4.0, 10.0)
    }
    assert all(value is not None for value in times.values())
    for ratio in (2.0, 4.0, 10.0):
        assert times[(10.0, ratio)] > times[(100.0, ratio)] > times[(1000.0, ratio)]  # type: ignore[operator]
        assert times[(10.0, ratio)] == pytest.approx(10 * times[(100.0, ratio)])  # type: ignore[operator]
    for traffic in (10.0, 100.0, 1000.0):
        assert times[(traffic, 2.0)] > times[(traffic, 4.0)] > times[(traffic, 10.0)]  # type: ignore[operator]


def test_the_reference_plan_at_100_rps() -> None:
    detection = Detection(100.0, 0.005, 2.0)
    steps = [at_weight(detection, weight).catch for weight, _ in REFERENCE_SEGMENTS]
    assert [round(value) for value in steps if value is not None] == [247, 173, 180, 282]
    whole = over_plan(detection, REFERENCE_SEGMENTS)
    assert whole.catch == pytest.approx(208.6, abs=0.5) and whole.clear is None  # evidence adds up
    assert over_plan(detection, REFERENCE_SEGMENTS[:1]).catch is None  # 2 minutes at 20 % are not enough


def test_a_regression_within_the_tolerance_is_never_caught_and_healthy_is_cleared_with_a_wide_one() -> None:
    assert at_weight(Detection(100.0, 0.005, 1.04), 40.0).catch is None
    assert at_weight(Detection(100.0, 0.005, 2.0), 40.0).clear is None  # max_ratio 1.05: too tight to clear
    wide = at_weight(Detection(100.0, 0.005, 2.0, max_ratio=2.0), 40.0)
    assert wide.clear is not None and 60 < wide.clear < 600
    assert at_weight(Detection(1000.0, 0.005, 2.0, max_ratio=2.0), 40.0).clear == pytest.approx(
        wide.clear / 10
    )


def test_the_floor_of_canary_errors_can_set_the_time() -> None:
    # 1 request/s, canary at 20 % failing 30 %: the ratio needs 80 s, 10 canary errors take 167 s
    assert at_weight(Detection(1.0, 0.005, 60.0), 20.0).catch == pytest.approx(80.0, abs=0.1)
    assert at_weight(Detection(1.0, 0.005, 60.0, min_bad=10), 20.0).catch == pytest.approx(10 / 0.06)


def test_the_estimate_is_close_to_the_simulated_mean() -> None:
    plan = Plan(steps=((20.0, 3600.0),))
    outcomes = run_many(run_judge, Traffic(rate=100.0, ratio=2.0), 200, 8, plan)
    simulated = statistics.mean(o.time for o in outcomes if o.time is not None)
    estimate = at_weight(Detection(100.0, 0.005, 2.0), 20.0).catch
    assert estimate is not None and simulated == pytest.approx(estimate, rel=0.2)  # 234 s against 247 s


@pytest.mark.parametrize(
    "options",
    [
        {"traffic": 0.0},
        {"baseline_error": 1.0},
        {"ratio": 300.0},
        {"alpha": 1.5},
        {"max_ratio": 0.9},
        {"grid_size": 0},
    ],
)
def test_invalid_detection_settings_are_spec_errors(options: dict[str, float]) -> None:
    settings: dict[str, float] = {"traffic": 100.0, "baseline_error": 0.005, "ratio": 2.0, **options}
    with pytest.raises(SpecError):
        Detection(**settings)  # type: ignore[arg-type]
