"""Pauses, promote, abort, step analysis, faults at the edges, and state on record."""

from __future__ import annotations

import threading

import pytest

from canarykit import Metric, RollbackFailed, Rollout, RolloutPhase, RoutingError
from canarykit.rollout import Backoff
from canarykit.steps import Analysis, Pause, SetWeight
from canarykit.testing import (
    FakeClock,
    InMemoryRouter,
    InMemoryStateStore,
    InMemoryWorkload,
    ScriptedProvider,
)

T0 = 1_700_000_000.0
FAST = Backoff(attempts=3, initial=0.1)


def metric(values: list[object], **fields: object) -> Metric:
    return Metric("m", ScriptedProvider(values), query="q", success_condition="result[0] > 0.9", **fields)  # type: ignore[arg-type]


def make(
    steps: list[object], **options: object
) -> tuple[Rollout, InMemoryRouter, InMemoryWorkload, FakeClock]:
    clock, router, workload = FakeClock(T0), InMemoryRouter(), InMemoryWorkload("blue")
    rollout = Rollout("web", steps, router, workload, clock=clock, backoff=FAST, **options)  # type: ignore[arg-type]
    return rollout, router, workload, clock


def test_indefinite_pause_waits_for_promote() -> None:
    rollout, router, _, clock = make([SetWeight(50), Pause(), SetWeight(80)])
    rollout.start("v2")
    assert rollout.advance() == T0 + 1  # paused: look again in a second
    assert rollout.status is not None and rollout.status.phase is RolloutPhase.PAUSED
    assert rollout.status.message == "CanaryPauseStep"
    clock.advance(3600)
    rollout.advance()
    assert router.history == [50]
    rollout.promote()
    while rollout.advance() is not None:
        clock.advance(30)
    assert rollout.result().phase is RolloutPhase.HEALTHY
    assert router.history == [50, 80, 100, 0]


def test_promote_from_another_thread_while_run_blocks() -> None:
    rollout, router, _, _ = make([SetWeight(50), Pause()])
    finished = threading.Event()
    outcome: list[RolloutPhase] = []

    def drive() -> None:
        outcome.append(rollout.run("v2").phase)
        finished.set()

    worker = threading.Thread(target=drive)
    worker.start()
    while not (rollout.status and rollout.status.phase is RolloutPhase.PAUSED):
        threading.Event().wait(0.001)
    rollout.promote()
    worker.join(timeout=10)
    assert finished.is_set() and outcome == [RolloutPhase.HEALTHY]
    assert router.history == [50, 100, 0]


def test_promote_full_skips_the_remaining_steps() -> None:
    rollout, router, _, _ = make([SetWeight(10), Pause(), SetWeight(20), Pause()])
    rollout.start("v2")
    rollout.advance()
    rollout.promote(full=True)
    assert rollout.advance() is not None
    assert router.history == [10, 100, 0]


def test_manual_abort_rolls_back() -> None:
    rollout, router, workload, clock = make([SetWeight(30), Pause()])
    rollout.start("v2")
    rollout.advance()
    rollout.abort()
    while (wake := rollout.advance()) is not None:
        clock.set(wake)
    result = rollout.result()
    assert result.phase is RolloutPhase.DEGRADED
    assert result.message == "RolloutAborted: Rollout aborted update to revision 2"
    assert router.history == [30, 0]
    assert workload.events[-1] == "remove canary"


def test_failing_step_analysis_aborts_with_argos_message() -> None:
    rollout, router, _, _ = make([SetWeight(20), Analysis([metric([[0.5]])])])
    result = rollout.run("v2")
    assert result.message == (
        "RolloutAborted: Rollout aborted update to revision 2: Step-based analysis phase error/failed: "
        'Metric "m" assessed Failed due to failed (1) > failureLimit (0)'
    )
    assert router.history == [20, 0]


def test_inconclusive_analysis_pauses_until_promoted() -> None:
    both = metric([[0.7]], failure_condition="result[0] < 0.5")
    rollout, router, _, clock = make([SetWeight(20), Analysis([both]), SetWeight(60)])
    rollout.start("v2")
    rollout.advance()
    assert rollout.status is not None and rollout.status.message == "InconclusiveAnalysisRun"
    rollout.promote()
    while (wake := rollout.advance()) is not None:
        clock.set(wake)
    assert router.history == [20, 60, 100, 0]


def test_flaky_router_is_retried() -> None:
    rollout, router, _, clock = make([SetWeight(20)])
    router.fail_next(2)
    assert rollout.run("v2").phase is RolloutPhase.HEALTHY
    assert router.history == [20, 100, 0]
    assert clock.sleeps[:2] == [0.1, 0.2]


def test_rollback_failed_carries_the_last_known_weight() -> None:
    rollout, router, _, _ = make([SetWeight(40), Pause()])
    rollout.start("v2")
    rollout.advance()
    router.fail_next(100)
    rollout.abort("operator said so")
    with pytest.raises(RollbackFailed) as caught:
        rollout.advance()
    assert caught.value.last_known_weight == 40
    assert isinstance(caught.value.__cause__, RoutingError)


def test_canary_that_never_becomes_ready_is_aborted_at_the_progress_deadline() -> None:
    clock, router = FakeClock(T0), InMemoryRouter()
    workload = InMemoryWorkload("blue", not_ready_polls=10_000)
    rollout = Rollout("web", [SetWeight(20)], router, workload, clock=clock, progress_deadline="1m")
    result = rollout.run("v2")
    assert result.phase is RolloutPhase.DEGRADED
    assert "has timed out progressing" in result.message
    assert router.history == [0]


def test_every_transition_is_on_record_and_a_new_driver_resumes() -> None:
    store = InMemoryStateStore()
    rollout, router, workload, clock = make([SetWeight(20), Pause("1m"), SetWeight(50)], state=store)
    rollout.start("v2")
    rollout.advance()
    recorded = store.load("web")
    assert recorded is not None and recorded["step_index"] == 1 and recorded["weight"] == 20
    resumed = Rollout(
        "web", [SetWeight(20), Pause("1m"), SetWeight(50)], router, workload, clock=clock, state=store
    )
    result = resumed.run("v2")
    assert result.phase is RolloutPhase.HEALTHY
    assert router.history == [20, 50, 100, 0]
    indexes = [record["step_index"] for _, record in store.history]
    assert indexes == sorted(indexes)  # never out of order
    records = [record for _, record in store.history]
    intent = next(i for i, record in enumerate(records) if record["pending_weight"] == 20)
    applied = next(i for i, record in enumerate(records) if record["weight"] == 20)
    assert intent < applied and records[applied]["step_index"] == 0  # intent, then action, then next step
