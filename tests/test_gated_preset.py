"""`nginx_canary(gated=True)`: the recommended plan with gates in place of pauses, on a fake clock."""

from __future__ import annotations

from judge_support import T0, rates
from test_presets import CeilingAwareIngress

from canarykit import RolloutPhase
from canarykit.presets import nginx_canary
from canarykit.rollout import events as ev
from canarykit.rollout.result import RolloutResult
from canarykit.steps import Gate, SetWeight
from canarykit.testing import FakeClock, InMemoryRouter, InMemoryWorkload

RPS = 100.0
PLAN_SECONDS = 4 * 120.0
"""The fixed plan's four 2-minute pauses."""


def run(
    canary_error: float, stable_error: float = 0.005, **options: object
) -> tuple[RolloutResult, list[int]]:
    traffic = CeilingAwareIngress((T0 - 600, rates(RPS * 0.2, canary_error, RPS * 0.8, stable_error)))
    preset = nginx_canary("canary-demo", prometheus=traffic, gated=True, **options)  # type: ignore[arg-type]
    router = InMemoryRouter()
    result = preset.rollout("web", router, InMemoryWorkload(), clock=FakeClock(T0)).run(
        "v2", handle_signals=False
    )
    return result, router.history


def promoted_after(result: RolloutResult) -> float:
    return next(e.time for e in result.events if isinstance(e, ev.Promoted)) - T0


def test_the_gated_plan_has_a_gate_after_each_weight() -> None:
    preset = nginx_canary("canary-demo", weights=(20, 50), gated=True, gate_max="4m", on_timeout="pause")
    gate = Gate("4m", on_timeout="pause")
    assert tuple(preset.plan) == (SetWeight(20), gate, SetWeight(50), gate)
    assert tuple(nginx_canary("canary-demo", weights=(20,), gated=True).plan) == (SetWeight(20), Gate("2m"))


def test_a_canary_the_judges_clear_is_promoted_well_before_the_fixed_plan_ends() -> None:
    result, history = run(canary_error=0.001, max_ratio=1.5)
    assert result.phase is RolloutPhase.HEALTHY and history == [10, 25, 50, 75, 100, 0]
    cleared = [e for e in result.events if isinstance(e, ev.StepCompleted) and e.reason == "cleared"]
    assert [e.index for e in cleared] == [1, 3, 5, 7]
    assert promoted_after(result) < PLAN_SECONDS / 2


def test_an_indifference_zone_reaches_both_judges() -> None:
    preset = nginx_canary("canary-demo", gated=True, pass_ratio=1.2, fail_ratio=2.0)
    metrics = preset.analysis.metrics()[:2]
    options = [metric.provider.judge.test_options for metric in metrics]  # type: ignore[attr-defined]
    assert [(o["pass_ratio"], o["fail_ratio"]) for o in options] == [(1.2, 2.0), (1.2, 2.0)]


def test_an_undecided_canary_goes_on_at_each_gates_max_as_the_fixed_plan_would() -> None:
    result, history = run(
        canary_error=0.0075
    )  # 1.5x stable: inside the zone 1.0..2.0, neither cleared nor failed
    assert result.phase is RolloutPhase.HEALTHY and history == [10, 25, 50, 75, 100, 0]
    timed_out = [e for e in result.events if isinstance(e, ev.StepCompleted) and e.reason == "timed out"]
    assert len(timed_out) == 4 and promoted_after(result) == PLAN_SECONDS


def test_a_regression_is_rolled_back_by_a_judge_before_any_gate_opens_the_next_weight() -> None:
    result, history = run(canary_error=0.05)
    assert result.phase is RolloutPhase.DEGRADED and max(history) <= 10
    assert 'Metric "error-rate-comparison" assessed Failed' in result.message


def test_gated_without_a_zone_takes_the_recommended_one() -> None:
    preset = nginx_canary("canary-demo", gated=True)
    judges = [source for source in preset.analysis.source if hasattr(source, "judge")]
    options = [template.judge.test_options for template in judges]
    assert [(o["pass_ratio"], o["fail_ratio"]) for o in options] == [(1.0, 2.0), (1.0, 2.0)]
    plain = nginx_canary("canary-demo")
    assert all("pass_ratio" not in t.judge.test_options for t in plain.analysis.source if hasattr(t, "judge"))


def gate_ends(result: RolloutResult) -> list[tuple[int, str]]:
    return [(e.index, e.reason) for e in result.events if isinstance(e, ev.StepCompleted) and e.reason]


def test_a_canary_as_good_as_stable_is_cleared_early_by_the_default_zone() -> None:
    result, _ = run(canary_error=0.005)
    assert result.phase is RolloutPhase.HEALTHY  # the evidence clears it during the third gate:
    assert gate_ends(result) == [(1, "timed out"), (3, "timed out"), (5, "cleared"), (7, "cleared")]
    assert promoted_after(result) == 260.0  # of the fixed plan's 480 s
    # The gated floor (GATED_FLOOR) moves the split's pass side to 0.9·beta (its e-value must reach 111, not
    # 100): one more 10 s look. Without the floor the figure is the one before it, 250 s.
    assert promoted_after(run(canary_error=0.005, min_difference=0.0)[0]) == 250.0


def test_a_service_with_no_errors_and_no_slow_requests_is_promoted_early() -> None:
    result, history = run(canary_error=0.0, stable_error=0.0)  # the fake's slow requests are its errors
    assert result.phase is RolloutPhase.HEALTHY and history == [10, 25, 50, 75, 100, 0]
    # The floor clears both judges once 7,855 canary requests had none: at 20/s, the look at 390 s (its
    # counts start 10 s before the first look: 8,000 requests; at 380 s, 7,800).
    assert gate_ends(result) == [(1, "timed out"), (3, "timed out"), (5, "timed out"), (7, "cleared")]
    assert promoted_after(result) == 390.0
    unfloored, _ = run(canary_error=0.0, stable_error=0.0, min_difference=0.0)  # as before the floor:
    assert [reason for _, reason in gate_ends(unfloored)] == ["timed out"] * 4
    assert promoted_after(unfloored) == PLAN_SECONDS
