"""SequentialSplitTest on hand-made counts: verdicts, floors, the documented defaults, validation."""

from __future__ import annotations

import math

import pytest

from canarykit.errors import SpecError
from canarykit.judges.sequential import (
    GRID_SIZE,
    MAX_EFFECT,
    MAX_RATIO,
    SequentialSplitTest,
    SplitCounts,
    Verdict,
)


def test_defaults_are_the_documented_ones() -> None:
    test = SequentialSplitTest()
    assert (MAX_RATIO, GRID_SIZE, MAX_EFFECT) == (1.05, 6, 10.0)
    assert (test.max_ratio, test.alpha, test.beta, test.min_bad) == (1.05, 0.01, 0.01, 3)
    assert len(test.worse) == len(test.better) == 6
    assert test.worse[0] == pytest.approx(1.05 * 10 ** (1 / 6)) and test.worse[-1] == pytest.approx(10.5)
    assert test.better[-1] == pytest.approx(0.105)
    assert test.decision.verdict is Verdict.CONTINUE and test.decision.fail_threshold == pytest.approx(100)


def test_intervals_without_errors_or_without_a_side_say_nothing() -> None:
    test = SequentialSplitTest()
    for counts in (SplitCounts(100, 0, 400, 0), SplitCounts(0, 0, 400, 3), SplitCounts(100, 9, 0, 0)):
        decision = test.update(counts)
        assert (decision.verdict, decision.e_fail, decision.e_pass) == (Verdict.CONTINUE, 1.0, 1.0)
    assert test.decision.totals == SplitCounts(200, 9, 800, 3)


def test_a_clear_regression_fails_and_the_verdict_sticks() -> None:
    test = SequentialSplitTest()
    decision = test.update(SplitCounts(200, 12, 800, 4))  # canary 6 %, stable 0.5 %
    assert decision.verdict is Verdict.FAIL and decision.e_fail >= 100
    later = test.update(SplitCounts(200, 0, 800, 40))
    assert later.verdict is Verdict.FAIL and later.e_fail == decision.e_fail
    assert later.totals == SplitCounts(400, 12, 1600, 44)
    assert later.to_dict()["canaryRate"] == pytest.approx(0.03)


def test_a_canary_clearly_better_than_stable_passes() -> None:
    test = SequentialSplitTest()
    decision = test.update(SplitCounts(500, 0, 500, 40))
    assert decision.verdict is Verdict.PASS and decision.e_pass >= 100


def test_the_floor_removes_rejections_only() -> None:
    lone = SplitCounts(1000, 3, 1_000_000, 0)  # three canary errors against none: enough evidence
    assert SequentialSplitTest().update(lone).verdict is Verdict.FAIL
    assert SequentialSplitTest(min_bad=4).update(lone).verdict is Verdict.CONTINUE
    tiny = SplitCounts(100_000, 30, 100_000, 5)  # 0.03 % against 0.005 %: a big ratio, a small difference
    assert SequentialSplitTest().update(tiny).verdict is Verdict.FAIL
    floored = SequentialSplitTest(min_difference=0.001).update(tiny)
    assert floored.verdict is not Verdict.FAIL and floored.e_fail >= 100  # the evidence is there, not failed
    assert floored.verdict is Verdict.PASS  # and 30/100,000 is credibly below the 0.1 % floor: cleared


def test_huge_counts_do_not_overflow() -> None:
    decision = SequentialSplitTest().update(SplitCounts(1e9, 1e7, 1e9, 1e3))
    assert decision.verdict is Verdict.FAIL and math.isfinite(decision.e_fail) and decision.e_fail <= 1e300


def test_decision_records_counts_statistic_and_thresholds() -> None:
    record = SequentialSplitTest(alpha=0.05, beta=0.1).update(SplitCounts(100, 1, 400, 2)).to_dict()
    assert record["failThreshold"] == pytest.approx(20) and record["passThreshold"] == pytest.approx(10)
    assert record["canaryBad"] == 1 and record["stableRequests"] == 400 and record["verdict"] == "continue"


@pytest.mark.parametrize(
    "options",
    [
        {"max_ratio": 1.0},
        {"alpha": 0.0},
        {"beta": 1.0},
        {"min_bad": -1},
        {"grid_size": 0},
        {"max_effect": 1.0},
    ],
)
def test_invalid_settings_are_spec_errors(options: dict[str, float]) -> None:
    with pytest.raises(SpecError):
        SequentialSplitTest(**options)  # type: ignore[arg-type]
