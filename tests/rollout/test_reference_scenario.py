"""The reference scenario on a fake clock with in-memory edges: both experiments, to the event."""

from __future__ import annotations

from typing import Any

from canarykit import BackgroundAnalysis, Metric, Rollout, RolloutAborted, RolloutPhase
from canarykit.rollout import events
from canarykit.steps import explicit
from canarykit.testing import FakeClock, InMemoryRouter, InMemoryWorkload, ScriptedProvider

T0 = 1_700_000_000.0


def reference(values: list[Any]) -> tuple[Rollout, InMemoryRouter, InMemoryWorkload, FakeClock]:
    clock, router, workload = FakeClock(T0), InMemoryRouter(), InMemoryWorkload("blue")
    metric = Metric(
        "success-rate",
        ScriptedProvider(values),
        query="q",
        interval="10s",
        failure_limit=3,
        success_condition="result[0] > 0.90",
    )
    rollout = Rollout(
        "canary-demo",
        explicit([20, 40, 60, 80]).with_pause("2m"),
        router,
        workload,
        analysis=BackgroundAnalysis([metric], starting_step=2),
        clock=clock,
    )
    return rollout, router, workload, clock


def test_healthy_canary_is_promoted() -> None:
    rollout, router, workload, clock = reference([[0.95]])
    result = rollout.run("green")
    assert (result.phase, result.message) == (RolloutPhase.HEALTHY, "")
    assert router.history == [20, 40, 60, 80, 100, 0]
    assert workload.events == ["start green", "scale 1", "promote green", "remove canary"]
    assert workload.stable_version == "green"
    assert clock.now() == T0 + 480 + 30  # eight minutes of steps, then the 30 s scale-down delay
    assert result.steps_done == result.steps_total == 8
    [analysis] = result.analyses
    measurements = analysis.metrics[0].measurements
    assert measurements[0].started_at == T0 + 120  # background analysis starts at step index 2
    assert len(measurements) == 37 and analysis.message == "Run Terminated"
    completed = [e.message for e in result.events if isinstance(e, events.StepCompleted)]
    assert completed == [f"Rollout step {i}/8 completed" for i in range(1, 9)]
    assert result.raise_for_status() is result


def test_failing_canary_is_rolled_back() -> None:
    rollout, router, workload, clock = reference([[0.85]])
    result = rollout.run("red")
    assert result.phase is RolloutPhase.DEGRADED
    assert result.message == (
        "RolloutAborted: Rollout aborted update to revision 2: Background analysis phase error/failed: "
        'Metric "success-rate" assessed Failed due to failed (4) > failureLimit (3)'
    )
    assert router.history == [20, 40, 0]
    rolled_back = next(e for e in result.events if isinstance(e, events.RolledBack))
    assert rolled_back.time == T0 + 150  # the 4th failed measurement: 120, 130, 140, 150
    assert workload.events == ["start red", "scale 1", "remove canary"]
    assert clock.now() == T0 + 150 + 30  # canary removed 30 s after traffic went back to stable
    assert workload.stable_version == "blue"
    try:
        result.raise_for_status()
    except RolloutAborted as error:
        assert error.result is result
    else:
        raise AssertionError("raise_for_status() did not raise")


def test_events_reach_listeners_and_the_audit_record() -> None:
    seen: list[str] = []
    rollout, *_ = reference([[0.85]])
    rollout.add_listener(lambda event: seen.append(type(event).__name__))
    record = rollout.run("red").to_dict()
    assert seen[:3] == ["StepStarted", "WeightChanged", "StepCompleted"]
    assert "Aborted" in seen and seen[-1] == "RolledBack"
    assert [e["kind"] for e in record["events"]] == seen
    assert record["analyses"][0]["metricResults"][0]["measurements"][0]["value"] == "[0.85]"
    assert record["weightHistory"] == [20, 40, 0]
    assert record["analyses"][0]["metricResults"][0]["query"] == "q"
