"""The demo's gated variant on a fake clock: gates in place of the scenario's pauses, and its summary line."""

from __future__ import annotations

from canarykit import Rollout, RolloutPhase
from canarykit.local.judged_experiment import (
    gate_length,
    gated_analysis,
    gated_scenario,
    plan_seconds,
    promotion_summary,
)
from canarykit.local.scenario import scaled_scenario
from canarykit.rollout.result import RolloutResult
from canarykit.steps import Gate, SetWeight
from canarykit.testing import FakeClock, InMemoryRouter, InMemoryWorkload, ScriptedTraffic

T0 = 1_700_000_000.0


def run(canary_errors: float) -> RolloutResult:
    clock = FakeClock(T0)
    traffic = ScriptedTraffic(clock).change(
        canary=20, stable=80, canary_errors=canary_errors, stable_errors=0.005
    )
    scenario = scaled_scenario(120.0)
    gated = gated_scenario(scenario)
    rollout = Rollout.from_spec(
        gated.spec,
        InMemoryRouter(),
        InMemoryWorkload("blue"),
        analysis=gated_analysis(traffic, gated),
        clock=clock,
    )
    return rollout.run("green", handle_signals=False)


def test_each_timed_pause_becomes_a_gate_of_the_same_length_or_of_the_given_max() -> None:
    scenario = scaled_scenario(30.0)
    assert tuple(gated_scenario(scenario).spec.steps)[:2] == (SetWeight(20), Gate(30.0))
    assert tuple(gated_scenario(scenario, gate_max=90.0).spec.steps)[1] == Gate(90.0)
    assert plan_seconds(scenario) == 120.0 and scenario.spec.steps == scaled_scenario(30.0).spec.steps
    assert plan_seconds(gated_scenario(scenario, gate_max=90.0)) == 360.0  # a gate holds at most its max


def test_a_version_as_good_as_stable_is_promoted_early_and_the_summary_says_so() -> None:
    result = run(canary_errors=0.005)
    assert result.phase is RolloutPhase.HEALTHY
    assert promotion_summary(result, plan_seconds(scaled_scenario(120.0))) == (
        "promoted after 1m30s of the plan's 8m: cleared by the judges"
    )


def test_a_version_the_judge_cannot_tell_goes_on_at_each_gates_max_and_the_summary_says_so() -> None:
    result = run(canary_errors=0.00875)  # 1.75x stable: inside the zone (1 to 3), neither cleared nor failed
    assert result.phase is RolloutPhase.HEALTHY
    assert promotion_summary(result, 480.0) == (
        "promoted after 8m of the plan's 8m: the judges could not tell within the gates (4 timed out)"
    )


def test_a_rolled_back_version_is_not_said_to_be_promoted() -> None:
    result = run(canary_errors=0.05)
    assert result.phase is RolloutPhase.DEGRADED
    assert promotion_summary(result, 480.0) == "not promoted: Degraded"


def test_gates_grow_in_proportion_below_100_requests_a_second_so_they_hold_the_same_evidence() -> None:
    assert [gate_length(5.0, rate) for rate in (400.0, 100.0, 50.0, 25.0)] == [60.0, 60.0, 120.0, 240.0]
    assert gate_length(90.0, 100.0) == 90.0  # never shorter than the pause
