"""`min_difference` clears a canary with no bad events: in the split test, the history and latency judges."""

from __future__ import annotations

import pytest

from canarykit import BackgroundAnalysis, Rollout, RolloutPhase
from canarykit.judges import HistoryInformedTest, LatencyComparison, StableHistory
from canarykit.judges.floor import FloorClearance
from canarykit.judges.sequential import SequentialSplitTest, SplitCounts, Verdict
from canarykit.rollout import events as ev
from canarykit.steps import Gate, SetWeight, Step
from canarykit.testing import FakeClock, InMemoryRouter, InMemoryWorkload, ScriptedTraffic

T0 = 1_700_000_000.0
QUIET = SplitCounts(100, 0, 400, 0)
"""One interval of a service with no bad events on either side."""


def feed(test: SequentialSplitTest | HistoryInformedTest, intervals: int) -> Verdict:
    for _ in range(intervals):
        verdict = test.update(QUIET).verdict
    return verdict


def test_a_canary_with_no_bad_events_is_cleared_once_below_the_floor() -> None:
    test = SequentialSplitTest(min_difference=0.001)  # the floor test at 0.1·beta = 0.001: 7,855 requests
    assert feed(test, 78) is Verdict.CONTINUE  # 7,800 canary requests
    decision = test.update(QUIET)  # 7,900
    floor = FloorClearance(0.001, 0.001)
    floor.update(7900, 0)
    assert decision.verdict is Verdict.PASS and decision.pass_threshold == pytest.approx(100)
    assert decision.e_pass == pytest.approx(0.1 * floor.e_value) and decision.e_pass >= 100
    assert test.update(SplitCounts(100, 50, 400, 0)).verdict is Verdict.PASS  # the verdict stays


def test_without_a_floor_no_bad_events_never_clear_and_nothing_changes() -> None:
    test = SequentialSplitTest()
    decision = test.update(SplitCounts(1e6, 0, 4e6, 0))
    assert (decision.verdict, decision.e_pass, decision.pass_threshold) == (Verdict.CONTINUE, 1.0, 100.0)
    assert SequentialSplitTest(min_difference=0.0)._floor is None


def test_with_a_floor_the_split_clears_at_ninety_percent_of_beta() -> None:
    better = SplitCounts(2000, 8, 2000, 26)  # canary 0.4 %, stable 1.3 %: the split's pass e-value is 104.8
    plain = SequentialSplitTest().update(better)
    assert plain.verdict is Verdict.PASS and plain.e_pass == pytest.approx(104.77, abs=0.01)
    floored = SequentialSplitTest(min_difference=0.001).update(better)  # 0.4 % is not below the 0.1 % floor
    assert floored.verdict is Verdict.CONTINUE and floored.e_pass == pytest.approx(0.9 * plain.e_pass)


def test_a_history_informed_judge_with_a_floor_clears_a_service_with_no_bad_events() -> None:
    history = StableHistory(36_000, 0, 3600)  # an hour of stable without a bad event
    # Its split runs at 0.1·beta = 0.001, the split's floor at 0.0001: 10,224 requests without a bad event.
    floored = HistoryInformedTest(history, min_difference=0.001)
    assert feed(floored, 102) is Verdict.CONTINUE
    assert floored.update(QUIET).verdict is Verdict.PASS and not floored.fell_back
    assert feed(HistoryInformedTest(history), 1000) is Verdict.CONTINUE  # 100,000 requests, no floor


def gated_latency_rollout(min_difference: float = 0.0) -> Rollout:
    clock = FakeClock(T0)
    traffic = ScriptedTraffic(clock).change(canary=20, stable=80)  # no slow requests, no errors
    judge = LatencyComparison(traffic, "web", min_difference=min_difference)
    steps: list[Step] = [SetWeight(20), Gate("15m"), SetWeight(50), Gate("15m")]
    analysis = BackgroundAnalysis([judge.template()])
    return Rollout("web", steps, InMemoryRouter(), InMemoryWorkload("blue"), analysis=analysis, clock=clock)


def gate_ends(rollout: Rollout) -> list[tuple[float, str]]:
    events = rollout.run("green", handle_signals=False).events
    return [(e.time - T0, e.message) for e in events if isinstance(e, ev.StepCompleted) and e.reason]


def test_the_latency_judge_clears_a_canary_with_no_slow_requests_on_a_fake_clock() -> None:
    rollout = gated_latency_rollout(min_difference=0.001)  # 7,855 requests at 20/s: the look at 400 s
    assert gate_ends(rollout) == [
        (400, "Rollout step 2/4 completed (cleared by the judges after 6m40s)"),
        (400, "Rollout step 4/4 completed (cleared by the judges)"),
    ]
    assert rollout.result().phase is RolloutPhase.HEALTHY


def test_without_a_floor_the_latency_judge_cannot_clear_it_and_each_gate_times_out() -> None:
    rollout = gated_latency_rollout()
    assert [(at, message.split(" (")[1]) for at, message in gate_ends(rollout)] == [
        (900, "timed out undecided after 15m: went on)"),
        (1800, "timed out undecided after 15m: went on)"),
    ]
