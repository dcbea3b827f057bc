"""`Event.to_dict()`: the audit record keeps each event's own fields, so readers need not parse messages."""

from __future__ import annotations

import json

from canarykit import BackgroundAnalysis, Metric, Rollout
from canarykit.analysis import Measurement, Phase
from canarykit.rollout import events as ev
from canarykit.steps import Pause, SetWeight, Step
from canarykit.testing import FakeClock, InMemoryRouter, InMemoryWorkload, ScriptedProvider

T0 = 1_700_000_000.0
STEPS: list[Step] = [SetWeight(20), Pause("1m"), SetWeight(60)]


def test_every_event_class_writes_its_own_scalar_fields() -> None:
    measurement = Measurement(phase=Phase.SUCCESSFUL, started_at=T0, finished_at=T0, value="[0.99]")
    cases: list[tuple[ev.Event, dict[str, object]]] = [
        (ev.Event(T0, "web", "undo: back to v1"), {}),
        (ev.StepStarted(T0, "web", "Step 1/3 started: SetWeight(20)", index=0), {"index": 0}),
        (ev.StepCompleted(T0, "web", "Rollout step 1/3 completed", index=0), {"index": 0}),
        (
            ev.WeightChanged(T0, "web", "canary weight 0 -> 20", weight=20, previous=0),
            {"weight": 20, "previous": 0},
        ),
        (
            ev.MeasurementTaken(
                T0, "web", "m measured", analysis="web-2", metric="m", measurement=measurement
            ),
            {"analysis": "web-2", "metric": "m"},
        ),
        (
            ev.AnalysisCompleted(T0, "web", "done", analysis="web-2", phase="Failed"),
            {"analysis": "web-2", "phase": "Failed"},
        ),
        (
            ev.Paused(T0, "web", "paused: CanaryPauseStep", reason="CanaryPauseStep"),
            {"reason": "CanaryPauseStep"},
        ),
        (ev.Promoted(T0, "web", "Rollout completed update to revision 2", version="v2"), {"version": "v2"}),
        (ev.Aborted(T0, "web", "Rollout aborted", reason="too many errors"), {"reason": "too many errors"}),
        (ev.RolledBack(T0, "web", "traffic returned to stable", weight=0), {"weight": 0}),
        (
            ev.ListenerFailed(T0, "web", "hook failed", listener="page", error="RuntimeError('x')"),
            {"listener": "page", "error": "RuntimeError('x')"},
        ),
    ]
    for event, own in cases:
        common = {"kind": type(event).__name__, "time": T0, "message": event.message}
        assert event.to_dict() == {**common, **own}


def test_a_measurement_event_leaves_the_measurement_to_the_analyses_of_the_record() -> None:
    measurement = Measurement(phase=Phase.ERROR, started_at=T0, finished_at=T0, message="connection refused")
    event = ev.MeasurementTaken(
        T0, "web", "m measured", analysis="web-2", metric="m", measurement=measurement
    )
    assert "measurement" not in event.to_dict()
    json.dumps(event.to_dict())  # every value written is plain JSON


def test_a_rollouts_audit_record_carries_the_fields_of_its_events() -> None:
    metric = Metric("m", ScriptedProvider([[0.99]]), "q", "10s", success_condition="result[0] > 0.9")
    rollout = Rollout(
        "web",
        STEPS,
        InMemoryRouter(),
        InMemoryWorkload("v1"),
        analysis=BackgroundAnalysis([metric], starting_step=1),
        clock=FakeClock(T0),
    )
    events = json.loads(rollout.run("v2", handle_signals=False).to_json())["events"]
    weights = [(e["previous"], e["weight"]) for e in events if e["kind"] == "WeightChanged"]
    assert weights[:2] == [(0, 20), (20, 60)]
    assert [e["index"] for e in events if e["kind"] == "StepStarted"] == [0, 1, 2]
    assert [e["version"] for e in events if e["kind"] == "Promoted"] == ["v2"]
    measured = [e for e in events if e["kind"] == "MeasurementTaken"]
    assert measured and all((e["analysis"], e["metric"]) == ("web-2", "m") for e in measured)
