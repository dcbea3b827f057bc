"""Exceptions, listeners and hooks on the failure path: traffic ends on stable, the record says aborted."""

from __future__ import annotations

import signal
from typing import Any

import pytest

from canarykit import Rollout, RolloutPhase, SpecError, UnexpectedError
from canarykit.errors import RoutingError
from canarykit.rollout import Backoff
from canarykit.rollout import events as ev
from canarykit.steps import Pause, SetWeight, Step
from canarykit.testing import FakeClock, InMemoryRouter, InMemoryStateStore, InMemoryWorkload

T0 = 1_700_000_000.0
STEPS: list[Step] = [SetWeight(20), Pause("1m"), SetWeight(40), Pause("1m")]


class BrokenAt(InMemoryRouter):
    """A user's router whose client raises `error` when asked for `weight`; `calls` counts every try."""

    def __init__(self, weight: int, error: Exception) -> None:
        super().__init__()
        self.broken_weight, self.error, self.calls = weight, error, 0

    def set_weight(self, weight: int) -> None:
        self.calls += 1
        if weight == self.broken_weight:
            raise self.error
        super().set_weight(weight)


def rollout(router: Any, store: InMemoryStateStore | None = None, **options: Any) -> Rollout:
    return Rollout("web", STEPS, router, InMemoryWorkload(), clock=FakeClock(T0), state=store, **options)


def test_a_bug_in_the_router_is_not_retried_and_leaves_traffic_on_stable() -> None:
    router, store = BrokenAt(40, ValueError("bad client")), InMemoryStateStore()
    with pytest.raises(UnexpectedError, match="stopped by ValueError: bad client") as raised:
        rollout(router, store).run("v2", handle_signals=False)
    assert isinstance(raised.value.__cause__, ValueError)
    assert router.calls == 3  # 20, the one try at 40, then 0: no retries of a bug
    assert router.history == [20, 0] and router.weight == 0
    record = store.load("web")
    assert record is not None
    assert (record["aborted"], record["weight"], record["finished"]) == (True, 0, False)
    assert record["abort_message"] == "stopped by ValueError: bad client"

    resumed = rollout(InMemoryRouter(), store).run("v2", handle_signals=False)
    assert resumed.phase is RolloutPhase.DEGRADED  # the resume finishes the rollback
    assert resumed.message.endswith("stopped by ValueError: bad client")


def test_a_transient_fault_is_retried_then_raised_with_traffic_on_stable() -> None:
    router, store = BrokenAt(40, RoutingError("nginx busy")), InMemoryStateStore()
    with pytest.raises(RoutingError, match="nginx busy"):
        rollout(router, store, backoff=Backoff(attempts=3)).run("v2", handle_signals=False)
    assert router.calls == 1 + 3 + 1  # 20, three tries at 40, then 0
    assert router.history == [20, 0]
    record = store.load("web")
    assert record is not None and record["aborted"] and record["weight"] == 0


def test_rollback_on_error_false_leaves_the_weight_to_the_resume() -> None:
    router, store = BrokenAt(40, ValueError("bad client")), InMemoryStateStore()
    with pytest.raises(UnexpectedError):
        rollout(router, store, rollback_on_error=False).run("v2", handle_signals=False)
    assert router.history == [20]
    record = store.load("web")
    assert record is not None and record["aborted"] and not record["finished"]


def test_a_router_without_get_weight_is_refused_before_anything_moves() -> None:
    class NoReadBack:
        def set_weight(self, weight: int) -> None:
            raise AssertionError("must not be called")

    with pytest.raises(SpecError, match="router NoReadBack lacks get_weight"):
        rollout(NoReadBack())


def test_a_workload_missing_methods_is_refused() -> None:
    with pytest.raises(SpecError, match="workload object lacks start_canary"):
        Rollout("web", STEPS, InMemoryRouter(), object())  # type: ignore[arg-type]


def test_a_listener_that_raises_is_reported_and_the_rollout_goes_on() -> None:
    def notifier(event: ev.Event) -> None:
        if isinstance(event, ev.WeightChanged):
            raise ConnectionError("chat service down")

    result = rollout(InMemoryRouter(), on_event=notifier).run("v2", handle_signals=False)
    assert result.phase is RolloutPhase.HEALTHY
    failures = [event for event in result.events if isinstance(event, ev.ListenerFailed)]
    assert len(failures) == 4  # 20, 40, 100, 0
    assert failures[0].message == (
        "event listener notifier failed on WeightChanged: ConnectionError: chat service down"
    )


def test_abort_from_a_listener_is_the_same_as_from_another_thread() -> None:
    router = InMemoryRouter()
    subject = rollout(router)

    def abort_at_20(event: ev.Event) -> None:
        if isinstance(event, ev.WeightChanged) and event.weight == 20:
            subject.abort("from a listener")

    subject.add_listener(abort_at_20)
    result = subject.run("v2", handle_signals=False)
    assert result.phase is RolloutPhase.DEGRADED
    assert result.message == "RolloutAborted: Rollout aborted update to revision 2: from a listener"
    assert router.history == [20, 0]
    kinds = [type(event).__name__ for event in result.events]
    aborted_at = kinds.index("Aborted")
    assert "StepCompleted" not in kinds[aborted_at:] and "StepStarted" not in kinds[aborted_at:]


def test_promote_from_a_listener_skips_the_pause() -> None:
    router, clock = InMemoryRouter(), FakeClock(T0)
    subject = Rollout("web", [SetWeight(20), Pause(), SetWeight(40)], router, InMemoryWorkload(), clock=clock)

    def approve(event: ev.Event) -> None:
        if isinstance(event, ev.Paused):
            subject.promote()

    subject.add_listener(approve)
    result = subject.run("v2", handle_signals=False)
    assert result.phase is RolloutPhase.HEALTHY
    assert router.history == [20, 40, 100, 0]


def test_a_second_run_starts_a_clean_result() -> None:
    subject = rollout(InMemoryRouter(), InMemoryStateStore(), scale_down_delay=0)
    first = subject.run("v2", handle_signals=False)
    second = subject.run("v3", handle_signals=False)
    assert first.healthy and second.healthy
    assert second.version == "v3" and second.weight_history == (20, 40, 100, 0)
    assert not any("v2" in event.message for event in second.events)
    assert len(second.events) == len(first.events)


def test_a_signal_during_router_retries_is_not_dropped() -> None:
    """SIGTERM while the router is being retried: the fault escapes `run()`, the abort is on record."""

    class SignalledWhileFailing(BrokenAt):
        def set_weight(self, weight: int) -> None:
            if weight == self.broken_weight and self.calls == 1:
                signal.raise_signal(signal.SIGTERM)  # delivered to run()'s handler, in this thread
            super().set_weight(weight)

    router, store = SignalledWhileFailing(40, RoutingError("nginx busy")), InMemoryStateStore()
    with pytest.raises(RoutingError):
        rollout(router, store, backoff=Backoff(attempts=3)).run("v2")
    assert router.history == [20, 0]
    record = store.load("web")
    assert record is not None
    assert (record["aborted"], record["abort_message"], record["weight"]) == (True, "received SIGTERM", 0)
