"""Failure policy, retry, resume policy, a different version on record, and rollback hooks."""

from __future__ import annotations

import pytest

from canarykit import BackgroundAnalysis, Metric, Rollout, RolloutPhase, SpecError, StateError
from canarykit.rollout import RolloutStatus
from canarykit.rollout import events as ev
from canarykit.steps import Pause, SetWeight, Step
from canarykit.testing import (
    FakeClock,
    InMemoryRouter,
    InMemoryStateStore,
    InMemoryWorkload,
    ScriptedProvider,
)

T0 = 1_700_000_000.0
STEPS: list[Step] = [SetWeight(20), Pause("1m"), SetWeight(60)]


def failing_analysis() -> BackgroundAnalysis:
    metric = Metric(
        "m", ScriptedProvider([[0.5]]), query="q", interval="10s", success_condition="result[0] > 0.9"
    )
    return BackgroundAnalysis([metric], starting_step=1)


def drive(rollout: Rollout, clock: FakeClock) -> None:
    while (wake := rollout.advance()) is not None:
        clock.set(wake)


def test_pause_policy_holds_where_it_is_and_reports() -> None:
    clock, router = FakeClock(T0), InMemoryRouter()
    rollout = Rollout(
        "web",
        STEPS,
        router,
        InMemoryWorkload(),
        analysis=failing_analysis(),
        clock=clock,
        failure_policy="pause",
    )
    rollout.start("v2")
    rollout.advance()
    status = rollout.status
    assert status is not None
    assert (status.phase, status.message, status.weight) == (RolloutPhase.PAUSED, "AnalysisFailed", 20)
    assert status.abort_message.startswith(
        'Background analysis phase error/failed: Metric "m" assessed Failed'
    )
    clock.advance(3600)
    rollout.advance()
    assert router.history == [20]  # held: no rollback, no progress
    rollout.abort("operator decided")
    drive(rollout, clock)
    assert router.history == [20, 0]
    assert rollout.result().message.endswith("revision 2: operator decided")


def test_retry_starts_an_aborted_rollout_again() -> None:
    clock, router, workload = FakeClock(T0), InMemoryRouter(), InMemoryWorkload()
    rollout = Rollout("web", STEPS, router, workload, clock=clock)
    rollout.start("v2")
    rollout.advance()
    rollout.abort()
    drive(rollout, clock)
    assert rollout.result().phase is RolloutPhase.DEGRADED
    rollout.retry()
    drive(rollout, clock)
    result = rollout.result()
    assert result.phase is RolloutPhase.HEALTHY
    assert router.history == [20, 0, 20, 60, 100, 0]
    assert workload.events.count("start v2") == 2


def test_resume_with_rollback_policy_rolls_back() -> None:
    store, clock, router = InMemoryStateStore(), FakeClock(T0), InMemoryRouter()
    first = Rollout("web", STEPS, router, InMemoryWorkload(), clock=clock, state=store)
    first.start("v2")
    first.advance()  # weight 20, paused; then the driver "dies"
    second = Rollout("web", STEPS, router, InMemoryWorkload(), clock=clock, state=store, on_resume="rollback")
    result = second.run("v2", handle_signals=False)
    assert result.phase is RolloutPhase.DEGRADED
    assert "resumed after an interruption" in result.message
    assert router.history == [20, 0]


def test_an_unfinished_rollout_of_another_version_is_refused() -> None:
    store = InMemoryStateStore()
    store.save("web", RolloutStatus("web", "v2", step_index=1, weight=20, step_count=len(STEPS)).to_dict())
    rollout = Rollout("web", STEPS, InMemoryRouter(), InMemoryWorkload(), clock=FakeClock(T0), state=store)
    with pytest.raises(StateError, match="still rolling out 'v2'"):
        rollout.run("v3", handle_signals=False)


def test_finished_record_starts_the_next_revision() -> None:
    store = InMemoryStateStore()
    store.save("web", RolloutStatus("web", "v2", revision=4, finished=True).to_dict())
    rollout = Rollout("web", STEPS, InMemoryRouter(), InMemoryWorkload(), clock=FakeClock(T0), state=store)
    rollout.start("v3")
    rollout.abort()
    assert rollout.result().message == "RolloutAborted: Rollout aborted update to revision 5"


def test_rollback_hooks_run_once_each_in_order_as_soon_as_traffic_is_on_stable() -> None:
    calls: list[str] = []
    workload = InMemoryWorkload()

    router = InMemoryRouter()

    def notify(status: RolloutStatus) -> None:
        calls.append(f"notify {status.phase.value} weight={router.weight} canary={workload.canary_version}")

    def broken(status: RolloutStatus) -> None:
        calls.append("broken")
        raise RuntimeError("pager down")

    clock = FakeClock(T0)
    rollout = Rollout(
        "web",
        STEPS,
        router,
        workload,
        analysis=failing_analysis(),
        clock=clock,
        rollback_hooks=[notify, broken],
    )
    result = rollout.run("v2", handle_signals=False)
    # before the abort delay: traffic is on stable, the canary not yet removed; the broken hook ran once
    assert calls == ["notify Degraded weight=0 canary=v2", "broken"]
    failures = [event for event in result.events if isinstance(event, ev.ListenerFailed)]
    assert [event.message for event in failures] == ["rollback hook broken failed: RuntimeError: pager down"]
    assert result.phase is RolloutPhase.DEGRADED


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"failure_policy": "ignore"}, "failure_policy must be one of"),
        ({"on_resume": "maybe"}, "on_resume must be one of"),
        (
            {"analysis": BackgroundAnalysis(failing_analysis().source, starting_step=9)},
            "starting_step 9 is past the last step",
        ),
        ({"scale_down_delay": "30x"}, 'unknown unit "x"'),
    ],
)
def test_bad_options_are_refused_before_anything_moves(options: dict[str, object], message: str) -> None:
    router = InMemoryRouter()
    with pytest.raises(SpecError, match=message):
        Rollout("web", STEPS, router, InMemoryWorkload(), **options)  # type: ignore[arg-type]
    assert router.history == []
