"""`Rollout.pause()` (Argo's spec.paused) and `Rollout.undo()` (fast-track rollback) from Python."""

from __future__ import annotations

from canarykit import Rollout, RolloutPhase
from canarykit.rollout.status import MANUALLY_PAUSED
from canarykit.steps import Pause, SetWeight
from canarykit.testing import FakeClock, InMemoryRouter, InMemoryStateStore, InMemoryWorkload

T0 = 1_700_000_000.0


def make(
    steps: list[object],
) -> tuple[Rollout, InMemoryRouter, InMemoryWorkload, FakeClock, InMemoryStateStore]:
    clock, router, workload, store = (
        FakeClock(T0),
        InMemoryRouter(),
        InMemoryWorkload("v1"),
        InMemoryStateStore(),
    )
    rollout = Rollout("web", steps, router, workload, clock=clock, state=store)  # type: ignore[arg-type]
    return rollout, router, workload, clock, store


def drain(rollout: Rollout, clock: FakeClock) -> None:
    while (wake := rollout.advance()) is not None:
        clock.set(wake)


def test_a_paused_rollout_stays_past_its_pause_and_progress_deadline_until_promoted() -> None:
    rollout, router, _, clock, store = make([SetWeight(20), Pause("1m"), SetWeight(60)])
    rollout.start("v2")
    rollout.advance()
    rollout.pause()
    clock.advance(7200)  # the 1m pause and the 600 s progress deadline are long past
    rollout.advance()
    status = rollout.status
    assert status is not None and (status.phase, status.message) == (RolloutPhase.PAUSED, MANUALLY_PAUSED)
    assert router.history == [20] and store.load("web") == status.to_dict()
    rollout.promote()
    drain(rollout, clock)
    assert rollout.result().phase is RolloutPhase.HEALTHY and router.history == [20, 60, 100, 0]


def test_abort_works_on_a_paused_rollout_and_pause_after_the_end_changes_nothing() -> None:
    rollout, router, _, clock, _ = make([SetWeight(20), Pause()])
    rollout.start("v2")
    rollout.advance()
    rollout.pause()
    rollout.abort("no")
    drain(rollout, clock)
    assert rollout.result().phase is RolloutPhase.DEGRADED and router.history == [20, 0]
    rollout.pause()
    assert rollout.result().phase is RolloutPhase.DEGRADED


def test_undo_mid_update_ends_healthy_on_stable_and_does_not_reject_the_canary() -> None:
    rollout, router, workload, clock, _ = make([SetWeight(20), Pause(), SetWeight(60)])
    rollout.start("v2")
    rollout.advance()
    rollout.undo()
    rollout.promote()  # ignored: the undo stands
    drain(rollout, clock)
    result = rollout.result()
    assert (result.phase, result.version, result.message) == (RolloutPhase.HEALTHY, "v1", "")
    assert router.history == [20, 0] and "promote v2" not in workload.events
    rollout.start("v2")  # not rejected: it may be rolled out again, as a new revision
    assert rollout.status is not None and (rollout.status.revision, rollout.status.stable_version) == (
        3,
        "v1",
    )
