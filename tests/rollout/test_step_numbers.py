"""Step numbers are 1-based wherever a person reads them; event `index` fields stay 0-based positions."""

from __future__ import annotations

from canarykit import Rollout
from canarykit.rollout import events as ev
from canarykit.steps import Pause, SetWeight, Step
from canarykit.testing import FakeClock, InMemoryRouter, InMemoryStateStore, InMemoryWorkload

T0 = 1_700_000_000.0
STEPS: list[Step] = [SetWeight(20), Pause("1m"), SetWeight(50)]


def test_started_and_completed_messages_count_from_one_as_argos_do() -> None:
    rollout = Rollout("web", STEPS, InMemoryRouter(), InMemoryWorkload(), clock=FakeClock(T0))
    events = rollout.run("v2", handle_signals=False).events
    steps = [event for event in events if isinstance(event, ev.StepStarted | ev.StepCompleted)]
    assert [event.message for event in steps] == [
        "Step 1/3 started: SetWeight(20)",
        "Rollout step 1/3 completed",
        "Step 2/3 started: Pause('1m')",
        "Rollout step 2/3 completed",
        "Step 3/3 started: SetWeight(50)",
        "Rollout step 3/3 completed",
    ]
    assert [(event.index, event.number) for event in steps] == [
        (0, 1),
        (0, 1),
        (1, 2),
        (1, 2),
        (2, 3),
        (2, 3),
    ]


def test_a_resumed_rollout_names_its_step_from_one() -> None:
    store, clock, router = InMemoryStateStore(), FakeClock(T0), InMemoryRouter()
    first = Rollout("web", STEPS, router, InMemoryWorkload(), clock=clock, state=store)
    first.start("v2")
    first.advance()  # SetWeight(20) done; the driver stops at the pause, as if killed
    assert first.status is not None and first.status.step_index == 1
    second = Rollout("web", STEPS, router, InMemoryWorkload(), clock=clock, state=store)
    second.start("v2")
    assert second.result().events[0].message == "resuming v2 at step 2/3 (weight 20)"


def test_step_labels_past_the_last_step() -> None:
    assert ev.step_label(0, 6) == "step 1/6"
    assert ev.step_label(6, 6) == "the end of its 6 steps"
