"""`Gate` steps in a rollout: cleared by the judges, held while they cannot tell, each timeout action,
a judge's failure, a restarted driver, `promote()`, and the refusal of a gate nothing can clear."""

from __future__ import annotations

from typing import Any

import pytest

from canarykit import BackgroundAnalysis, Metric, Rollout, RolloutPhase
from canarykit.errors import SpecError
from canarykit.judges import ErrorRateComparison
from canarykit.rollout import events as ev
from canarykit.rollout.gate_actions import GATE_TIMED_OUT
from canarykit.steps import Gate, SetWeight, Step
from canarykit.testing import (
    FakeClock,
    InMemoryRouter,
    InMemoryStateStore,
    InMemoryWorkload,
    ScriptedProvider,
    ScriptedTraffic,
)

T0 = 1_700_000_000.0
LOOSE = 1.5
"""A tolerance that lets a canary with a fifth of stable's error rate be cleared in 20 s at this traffic."""
HEALTHY = {"canary": 100, "stable": 400, "canary_errors": 0.001, "stable_errors": 0.005}
UNDECIDED = {"canary": 100, "stable": 400, "canary_errors": 0.0075, "stable_errors": 0.005}
"""A canary at exactly the 1.5x tolerance: the judge cannot tell either way (not within 2 hours)."""
REGRESSION = {"canary": 100, "stable": 400, "canary_errors": 0.05, "stable_errors": 0.005}


def gated(gate: Gate) -> list[Step]:
    return [SetWeight(20), gate, SetWeight(50), Gate("5m")]


class World:
    """A rollout judged on scripted traffic, on a fake clock, with its record in a store."""

    def __init__(self, steps: list[Step], traffic: ScriptedTraffic, clock: FakeClock) -> None:
        self.steps, self.traffic, self.clock = steps, traffic, clock
        self.router, self.store = InMemoryRouter(), InMemoryStateStore()
        self.rollout = self.driver()

    def driver(self, analysis: BackgroundAnalysis | None = None) -> Rollout:
        """A driver of the same rollout (a restarted one shares the store, router and traffic)."""
        judge = ErrorRateComparison(self.traffic, "web", max_ratio=LOOSE)
        analysis = analysis or BackgroundAnalysis([judge.template(), threshold()])
        workload = InMemoryWorkload("blue")
        return Rollout(
            "web", self.steps, self.router, workload, analysis=analysis, clock=self.clock, state=self.store
        )

    def until(self, seconds: float) -> None:
        """Drive until `seconds` past T0 (or the end), as a driver's loop would."""
        if self.rollout.stepper is None:
            self.rollout.start("green")
        while (wake := self.rollout.advance()) is not None and wake <= T0 + seconds:
            self.clock.set(max(wake, self.clock.now()))
        self.clock.set(max(self.clock.now(), T0 + seconds))

    def finish(self) -> None:
        while (wake := self.rollout.advance()) is not None:
            self.clock.set(max(wake, self.clock.now()))

    def completed(self) -> list[tuple[float, str, str]]:
        """(seconds past T0, message, reason) of every StepCompleted so far."""
        return [
            (event.time - T0, event.message, event.reason)
            for event in self.rollout.result().events
            if isinstance(event, ev.StepCompleted)
        ]


def threshold() -> Metric:
    return Metric("success-rate", ScriptedProvider([[0.99]]), "q", "30s", success_condition="result[0] > 0.9")


def world(gate: Gate, **rates: float) -> World:
    clock = FakeClock(T0)
    return World(gated(gate), ScriptedTraffic(clock).change(**rates), clock)


def test_a_healthy_canary_is_cleared_early_and_every_later_gate_goes_on_at_once() -> None:
    run = world(Gate("5m"), **HEALTHY)
    run.until(0)
    run.finish()
    assert run.rollout.result().phase is RolloutPhase.HEALTHY
    assert run.router.history == [20, 50, 100, 0]
    assert run.completed() == [
        (0, "Rollout step 1/4 completed", ""),
        (20, "Rollout step 2/4 completed (cleared by the judges after 20s)", "cleared"),
        (20, "Rollout step 3/4 completed", ""),
        (20, "Rollout step 4/4 completed (cleared by the judges)", "cleared"),
    ]
    record = next(e for e in run.rollout.result().events if isinstance(e, ev.StepCompleted) and e.index == 1)
    assert record.to_dict()["reason"] == "cleared"


def test_a_cleared_gate_still_holds_for_its_min() -> None:
    run = world(Gate("5m", min="1m"), **HEALTHY)
    run.until(0)
    run.finish()
    assert run.completed()[1] == (
        60,
        "Rollout step 2/4 completed (cleared by the judges after 1m)",
        "cleared",
    )


def test_an_undecided_gate_holds_past_a_fixed_pause_and_ends_when_the_judges_clear() -> None:
    clock = FakeClock(T0)
    traffic = ScriptedTraffic(clock).change(**UNDECIDED).change(after="7m", canary_errors=0.0)
    run = World(gated(Gate("15m")), traffic, clock)
    run.until(420)
    status = run.rollout.status
    assert status is not None and (status.step_index, status.weight, status.phase) == (
        1,
        20,
        RolloutPhase.PROGRESSING,
    )
    assert status.message == "waiting for the judges to clear the canary (at most 15m)"
    run.finish()
    assert run.rollout.result().phase is RolloutPhase.HEALTHY
    assert run.completed()[1] == (
        550,
        "Rollout step 2/4 completed (cleared by the judges after 9m10s)",
        "cleared",
    )


def test_at_max_undecided_the_gate_goes_on_by_default() -> None:
    run = world(Gate("5m"), **UNDECIDED)
    run.until(299)
    assert run.rollout.status is not None and run.rollout.status.step_index == 1
    run.until(300)
    assert run.completed()[1] == (
        300,
        "Rollout step 2/4 completed (timed out undecided after 5m: went on)",
        "timed out",
    )
    assert run.router.history == [20, 50]


def test_at_max_undecided_a_pausing_gate_holds_until_promoted() -> None:
    run = world(Gate("5m", on_timeout="pause"), **UNDECIDED)
    run.until(3600)
    status = run.rollout.status
    assert status is not None and (status.phase, status.pause_reason) == (RolloutPhase.PAUSED, GATE_TIMED_OUT)
    assert status.message == "Gate at step 2/4 timed out undecided after 5m: paused until promoted"
    paused = [e for e in run.rollout.result().events if isinstance(e, ev.Paused)]
    assert [(e.time - T0, e.reason) for e in paused] == [(300, GATE_TIMED_OUT)]
    assert run.router.history == [20]
    run.rollout.promote()
    run.until(3600)
    assert run.router.history == [20, 50] and run.completed()[1] == (3600, "Rollout step 2/4 completed", "")


def test_at_max_undecided_a_rolling_back_gate_aborts_saying_so() -> None:
    run = world(Gate("5m", on_timeout="rollback"), **UNDECIDED)
    run.until(0)
    run.finish()
    result = run.rollout.result()
    assert result.phase is RolloutPhase.DEGRADED and run.router.history == [20, 0]
    assert result.message == (
        "RolloutAborted: Rollout aborted update to revision 2: Gate at step 2/4 timed out undecided after 5m"
    )
    aborted = [e for e in result.events if isinstance(e, ev.Aborted)]
    assert [e.time - T0 for e in aborted] == [300]


def test_a_judge_failing_on_a_gate_rolls_back_at_once() -> None:
    run = world(Gate("5m", on_timeout="promote"), **REGRESSION)
    run.until(0)
    run.finish()
    result = run.rollout.result()
    assert result.phase is RolloutPhase.DEGRADED and run.router.history == [20, 0]
    assert 'Metric "error-rate-comparison" assessed Failed' in result.message
    assert [e.time - T0 for e in result.events if isinstance(e, ev.Aborted)] == [10]
    assert len(run.completed()) == 1


def test_a_restarted_driver_continues_the_same_gate_to_its_max() -> None:
    run = world(Gate("5m"), **UNDECIDED)
    run.until(180)  # the driver dies here: the record is all that survives
    run.rollout = run.driver()
    run.rollout.start("green")
    run.until(299)
    assert run.rollout.status is not None and run.rollout.status.step_index == 1
    run.until(300)
    assert run.completed()[0] == (  # the new driver's first
        300,
        "Rollout step 2/4 completed (timed out undecided after 5m: went on)",
        "timed out",
    )


def test_a_restarted_driver_stays_in_a_gate_paused_at_its_max() -> None:
    run = world(Gate("5m", on_timeout="pause"), **UNDECIDED)
    run.until(400)
    run.rollout = run.driver()
    run.rollout.start("green")
    run.until(1000)
    status = run.rollout.status
    assert status is not None and (status.step_index, status.pause_reason) == (1, GATE_TIMED_OUT)
    assert run.router.history == [20]


def test_promote_on_a_gate_goes_on_and_promote_full_skips_the_rest() -> None:
    run = world(Gate("5m"), **UNDECIDED)
    run.until(60)
    run.rollout.promote()
    assert run.completed()[1] == (60, "Rollout step 2/4 completed", "")
    run.until(61)
    assert run.router.history == [20, 50]
    run.rollout.promote(full=True)
    run.finish()
    assert run.rollout.result().phase is RolloutPhase.HEALTHY and run.router.history == [20, 50, 100, 0]


def refused(steps: list[Step], analysis: BackgroundAnalysis | None) -> SpecError:
    router = InMemoryRouter()
    with pytest.raises(SpecError) as raised:
        Rollout("web", steps, router, InMemoryWorkload("blue"), analysis=analysis, clock=FakeClock(T0)).run(
            "green", handle_signals=False
        )
    assert router.history == []  # nothing moved
    return raised.value


def judge_metric(**options: Any) -> Metric:
    return ErrorRateComparison(ScriptedTraffic(FakeClock(T0)), "web").metric(**options)


def test_a_gate_without_a_judge_to_clear_it_is_refused_before_anything_moves() -> None:
    for analysis in (None, BackgroundAnalysis([threshold()])):
        error = refused(gated(Gate("5m")), analysis)
        assert error.path == "steps[1]" and error.reason.startswith("a Gate needs a judge")
    dry = judge_metric()
    dry.dry_run = True
    assert refused(gated(Gate("5m")), BackgroundAnalysis([dry, threshold()])).path == "steps[1]"


def test_a_gate_before_the_background_analysis_starts_is_refused() -> None:
    error = refused(gated(Gate("5m")), BackgroundAnalysis([judge_metric()], starting_step=2))
    assert (error.path, error.reason) == (
        "steps[1]",
        "a Gate needs the background analysis running, but it starts at step 2",
    )
