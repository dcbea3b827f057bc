"""The timeline reads the events' own fields (`weight`, `previous`, `index`) and still reads older records."""

from __future__ import annotations

from typing import Any

from canarykit import Rollout
from canarykit.report.page import render_page
from canarykit.report.record import RolloutRecord, rollouts_of
from canarykit.report.timeline import step_rules, timeline_of
from canarykit.steps import Pause, SetWeight, Step
from canarykit.testing import FakeClock, InMemoryRouter, InMemoryStateStore, InMemoryWorkload

T0 = 1_700_000_000.0
STEPS: list[Step] = [SetWeight(20), Pause("1m"), SetWeight(60), Pause("1m")]


def record_of(events: list[dict[str, Any]]) -> RolloutRecord:
    [record] = rollouts_of({"name": "web", "phase": "Healthy", "events": events})
    return record


def test_the_weight_fields_win_over_the_words() -> None:
    events = [
        {"kind": "WeightChanged", "time": T0, "message": "canary now at 40", "weight": 40, "previous": 10}
    ]
    assert [(p.seconds, p.weight) for p in timeline_of(record_of(events)).weights][:2] == [
        (0.0, 10),
        (0.0, 40),
    ]


def test_an_older_record_without_fields_is_read_from_its_messages() -> None:
    events = [
        {"kind": "StepStarted", "time": T0, "message": "Step 0 started: SetWeight(20)"},
        {"kind": "WeightChanged", "time": T0, "message": "canary weight 0 -> 20"},
        {"kind": "StepStarted", "time": T0 + 60, "message": "Step 1 started: Pause('1m')"},
        {"kind": "Promoted", "time": T0 + 120, "message": "Rollout completed update to revision 2"},
    ]
    timeline = timeline_of(record_of(events))
    assert [(p.seconds, p.weight) for p in timeline.weights][:-1] == [(0.0, 0), (0.0, 20), (120.0, 100)]
    assert [(mark.number, mark.label) for mark in timeline.steps] == [
        (1, "SetWeight(20)"),
        (2, "Pause('1m')"),
    ]
    assert [rule.label for rule in step_rules(timeline)] == ["1", "2"]


def test_a_resumed_rollout_numbers_its_steps_as_the_plan_does() -> None:
    store, clock, router = InMemoryStateStore(), FakeClock(T0), InMemoryRouter()
    first = Rollout("web", STEPS, router, InMemoryWorkload(), clock=clock, state=store)
    first.start("v2")
    first.advance()  # SetWeight(20) done; the driver stops at the pause, as if killed
    second = Rollout("web", STEPS, router, InMemoryWorkload(), clock=clock, state=store)
    [record] = rollouts_of(second.run("v2", handle_signals=False).to_dict())
    timeline = timeline_of(record)
    assert [mark.number for mark in timeline.steps] == [2, 3, 4]  # not 1, 2, 3: step 1 ran before
    assert [rule.label for rule in step_rules(timeline)] == ["2", "3-4"]
    page = render_page([record], "resumed.json")
    assert "<tr><td>2</td>" in page and "<tr><td>1</td>" not in page  # the step table agrees with the chart
