"""The history-informed test on seeded simulated canaries: its false-rollback bound, steady and drifting."""

from __future__ import annotations

import pytest

from canarykit.errors import SpecError
from canarykit.judges.history import HistoryInformedTest, StableHistory
from canarykit.judges.history_simulation import (
    STEADY,
    Drift,
    history_test,
    run_cell,
    share_rolled_back,
    split_test,
)
from canarykit.judges.sequential import SplitCounts, Verdict
from canarykit.judges.simulation import Traffic

RUNS = 1000
DRIFTS = [
    STEADY,
    Drift("linear", 0.5),
    Drift("linear", -0.5),
    Drift("step", 0.5, 0.0),
    Drift("step", -0.5, 120.0),
]


@pytest.mark.parametrize("rate", [10.0, 100.0])
@pytest.mark.parametrize("drift", DRIFTS, ids=[drift.describe() for drift in DRIFTS])
def test_healthy_canaries_are_rarely_rolled_back_whatever_stable_does(rate: float, drift: Drift) -> None:
    (times,) = run_cell(Traffic(rate=rate), drift, [history_test], RUNS, seed=17)
    assert share_rolled_back(times) <= 0.01


def test_stable_s_history_catches_more_2x_regressions_at_10_requests_per_second() -> None:
    informed, plain = run_cell(Traffic(rate=10.0, ratio=2.0), STEADY, [history_test, split_test], 400, seed=3)
    assert share_rolled_back(informed) > share_rolled_back(plain)


def test_stable_drifting_up_switches_to_the_split_test_which_then_decides() -> None:
    test = HistoryInformedTest(StableHistory(360_000, 1800, 3600))
    first = test.update(SplitCounts(200, 1, 800, 4))
    assert not test.fell_back and first.fail_threshold == pytest.approx(1 / 0.007)
    drifted = test.update(SplitCounts(200, 4, 800, 16))  # stable at 2 %, four times its history
    assert test.fallback_reason is not None and "rose above the history's 0.005" in test.fallback_reason
    assert drifted == test.split.decision and drifted.fail_threshold == pytest.approx(1 / 0.002)
    later = test.update(SplitCounts(200, 1, 800, 1))  # stable back to normal: the switch stays
    assert test.fell_back and later == test.split.decision


def test_stable_drifting_down_switches_too() -> None:
    test = HistoryInformedTest(StableHistory(360_000, 1800, 3600))
    for _ in range(12):
        test.update(SplitCounts(200, 0, 800, 0))
    assert test.fallback_reason is not None and "fell below" in test.fallback_reason


def test_a_regression_fails_on_the_one_sample_test_before_any_fallback() -> None:
    test = HistoryInformedTest(StableHistory(360_000, 1800, 3600))
    verdicts = [test.update(SplitCounts(200, 4, 800, 4)).verdict for _ in range(6)]
    assert Verdict.FAIL in verdicts and not test.fell_back
    assert test.decision.e_fail >= 1 / 0.007


def test_no_history_means_the_split_test_from_the_start() -> None:
    test = HistoryInformedTest(StableHistory(0, 0))
    assert test.fallback_reason == "no stable requests in the history"
    assert test.update(SplitCounts(200, 4, 800, 4)) == test.split.decision


@pytest.mark.parametrize(
    ("requests", "bad", "seconds"),
    [(-1, 0, 0), (10, 11, 0), (float("nan"), 0, 0), (10, 1, -5), (True, 0, 0)],
)
def test_bad_history_counts_are_refused(requests: float, bad: float, seconds: float) -> None:
    with pytest.raises(SpecError, match="stable history"):
        StableHistory(requests, bad, seconds)


@pytest.mark.parametrize(
    "options", [{"drift_alpha": 0.0}, {"drift_alpha": 1.5}, {"alpha": 2.0}, {"max_ratio": 0.9}]
)
def test_bad_options_are_refused(options: dict[str, float]) -> None:
    with pytest.raises(SpecError):
        HistoryInformedTest(StableHistory(1000, 5), **options)  # type: ignore[arg-type]
