"""The judges in a `Rollout`: background analysis beside a threshold metric, and inline `Analysis` steps."""

from __future__ import annotations

from judge_support import T0, FakeIngress, rates

from canarykit import BackgroundAnalysis, Metric, Rollout, RolloutPhase
from canarykit.judges import ErrorRateComparison, LowTraffic
from canarykit.steps import Analysis, Pause, SetWeight
from canarykit.testing import FakeClock, InMemoryRouter, InMemoryWorkload, ScriptedProvider

REGRESSION = rates(100, 0.04, 900, 0.005)
HEALTHY = rates(100, 0.005, 900, 0.005)
STEPS = [SetWeight(20), Pause("5m"), SetWeight(50), Pause("5m")]

LOOSE = 1.5
"""A tolerance loose enough for a healthy canary to be cleared early (the default, 1.05, rarely does)."""


def threshold() -> Metric:
    return Metric("success-rate", ScriptedProvider([[0.99]]), "q", "30s", success_condition="result[0] > 0.9")


def make(
    steps: list[object], analysis: BackgroundAnalysis | None = None
) -> tuple[Rollout, InMemoryRouter, FakeClock]:
    clock, router = FakeClock(T0), InMemoryRouter()
    rollout = Rollout("web", steps, router, InMemoryWorkload("blue"), analysis=analysis, clock=clock)  # type: ignore[arg-type]
    return rollout, router, clock


def drive(rollout: Rollout, clock: FakeClock) -> None:
    while (wake := rollout.advance()) is not None:
        clock.set(max(wake, clock.now()))


def test_background_judge_rolls_back_a_regression_naming_the_metric() -> None:
    judge = ErrorRateComparison(FakeIngress((T0, REGRESSION)), "web")
    rollout, router, _ = make(STEPS, BackgroundAnalysis([judge.metric(), threshold()], starting_step=1))
    result = rollout.run("green", handle_signals=False)
    assert result.phase is RolloutPhase.DEGRADED
    assert result.message == (
        "RolloutAborted: Rollout aborted update to revision 2: Background analysis phase error/failed: "
        'Metric "error-rate-comparison" assessed Failed due to failed (1) > failureLimit (0)'
    )
    assert router.history == [20, 0]


def test_background_judge_clears_a_healthy_canary_and_the_rollout_promotes() -> None:
    judge = ErrorRateComparison(FakeIngress((T0 - 600, HEALTHY)), "web", max_ratio=LOOSE)
    rollout, router, _ = make(STEPS, BackgroundAnalysis([judge.metric(), threshold()], starting_step=1))
    result = rollout.run("green", handle_signals=False)
    assert result.phase is RolloutPhase.HEALTHY
    assert router.history == [20, 50, 100, 0]
    metric = result.analyses[0].metric("error-rate-comparison")
    assert metric.phase.value == "Successful" and metric.measurements[-1].value.startswith("pass")


def test_an_analysis_step_is_held_until_enough_canary_requests() -> None:
    policy = LowTraffic(min_requests=200, max_wait="10m")
    judge = ErrorRateComparison(FakeIngress((T0, rates(1, 0.0, 100, 0.005))), "web", low_traffic=policy)
    steps = [SetWeight(20), Analysis([judge.metric(settle_after_requests=True)]), SetWeight(60)]
    rollout, router, _ = make(steps)
    result = rollout.run("green", handle_signals=False)
    assert result.phase is RolloutPhase.HEALTHY
    assert router.history == [20, 60, 100, 0]
    measurements = result.analyses[0].metric("error-rate-comparison").measurements
    assert measurements[-1].finished_at - T0 == 200 and len(measurements) == 21  # no traffic before T0


def test_a_silent_canary_pauses_an_analysis_step_until_promoted() -> None:
    policy = LowTraffic(min_requests=200, max_wait="2m", otherwise="pause")
    judge = ErrorRateComparison(FakeIngress((T0, rates(0, 0.0, 100, 0.005))), "web", low_traffic=policy)
    rollout, router, clock = make([SetWeight(20), Analysis([judge.metric()]), SetWeight(60)])
    rollout.start("green")
    while rollout.status is not None and rollout.status.pause_reason is None:
        clock.set(rollout.advance() or clock.now())
    assert rollout.status is not None and rollout.status.message == "InconclusiveAnalysisRun"
    measurements = rollout.result().analyses[0].metric("error-rate-comparison").measurements
    assert measurements[-1].started_at - T0 == 120 and measurements[-1].value.startswith("inconclusive")
    assert router.history == [20]
    rollout.promote()
    drive(rollout, clock)
    assert router.history == [20, 60, 100, 0]


def test_a_retry_starts_the_judge_over() -> None:
    fake = FakeIngress((T0, REGRESSION), (T0 + 3000, HEALTHY))
    judge = ErrorRateComparison(fake, "web")
    rollout, router, clock = make(STEPS, BackgroundAnalysis([judge.metric()], starting_step=1))
    assert rollout.run("green", handle_signals=False).phase is RolloutPhase.DEGRADED
    clock.set(T0 + 3600)
    rollout.retry()
    drive(rollout, clock)
    result = rollout.result()
    assert result.phase is RolloutPhase.HEALTHY and router.history == [20, 0, 20, 50, 100, 0]
    second = result.analyses[-1].metric("error-rate-comparison").measurements
    assert second[0].metadata["windowSeconds"] == "10" and second[0].value.startswith("continue")


def test_a_template_gives_each_background_run_a_fresh_judge() -> None:
    judge = ErrorRateComparison(FakeIngress((T0 - 600, HEALTHY)), "web")
    rollout, _, clock = make(STEPS, BackgroundAnalysis([judge.template(), threshold()], starting_step=1))
    rollout.start("green")
    clock.set(rollout.advance() or clock.now())
    clock.set(rollout.advance() or clock.now())
    rollout.abort("operator")
    drive(rollout, clock)
    rollout.retry()
    drive(rollout, clock)
    assert rollout.result().phase is RolloutPhase.HEALTHY
    runs = [run.metric("error-rate-comparison") for run in rollout.result().analyses]
    assert len(runs) == 2 and runs[1].measurements[0].metadata["windowSeconds"] == "10"
    assert runs[0].measurements[0].metadata["windowSeconds"] == "10"
