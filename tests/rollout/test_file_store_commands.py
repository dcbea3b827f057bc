"""`canarykit promote|abort|pause|undo NAME --state DIR` from a real second process, against a rollout
driven here on a FakeClock through a `FileStateStore`: the Kubernetes store's commands, without a cluster."""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from canarykit import Rollout, RolloutPhase
from canarykit.rollout import events as ev
from canarykit.rollout.file_store import FileStateStore
from canarykit.rollout.result import RolloutResult
from canarykit.steps import Pause, SetWeight, Step
from canarykit.testing import FakeClock, InMemoryRouter, InMemoryWorkload

WAIT = 120.0
"""Real seconds a condition may take on a busy machine before the test fails (never a delay)."""


def canarykit(*args: str) -> subprocess.CompletedProcess[str]:
    """The command as a user types it in another terminal: a separate Python process."""
    return subprocess.run(
        [sys.executable, "-m", "canarykit", *args], capture_output=True, text=True, timeout=WAIT
    )


class TellingClock(FakeClock):
    """A FakeClock that tells `changed` whenever time moves, so a test can wait for a fake hour to pass."""

    def __init__(self, changed: threading.Condition) -> None:
        super().__init__(horizon=None)
        self.changed = changed

    def sleep(self, seconds: float) -> None:
        super().sleep(seconds)
        with self.changed:
            self.changed.notify_all()


@dataclass
class Driven:
    """A rollout run by `run()` in a thread of this process, with events seen as they come."""

    rollout: Rollout
    router: InMemoryRouter
    workload: InMemoryWorkload
    clock: TellingClock
    state: Path
    results: list[RolloutResult] = field(default_factory=list)
    seen: list[ev.Event] = field(default_factory=list)
    changed: threading.Condition = field(default_factory=threading.Condition)
    gate: threading.Event | None = None

    def on_event(self, event: ev.Event) -> None:
        if self.gate is not None and isinstance(event, ev.WeightChanged):
            self.gate.wait(WAIT)  # the driver holds still while the test queues a command
        with self.changed:
            self.seen.append(event)
            self.changed.notify_all()

    def wait_for(self, condition: Callable[[], bool]) -> None:
        with self.changed:
            assert self.changed.wait_for(condition, timeout=WAIT), [e.message for e in self.seen]

    def paused_with(self, reason: str) -> bool:
        return any(isinstance(e, ev.Paused) and e.reason == reason for e in self.seen)

    def finish(self, thread: threading.Thread) -> RolloutResult:
        thread.join(WAIT)
        assert not thread.is_alive() and len(self.results) == 1
        return self.results[0]


@pytest.fixture
def drive(tmp_path: Path) -> Iterator[Callable[..., tuple[Driven, threading.Thread]]]:
    threads: list[tuple[Driven, threading.Thread]] = []

    def start(steps: list[Step], version: str = "v2", gate: bool = False) -> tuple[Driven, threading.Thread]:
        state = tmp_path / "state"
        changed = threading.Condition()
        clock, router, workload = TellingClock(changed), InMemoryRouter(), InMemoryWorkload("v1")
        holder: list[Driven] = []
        rollout = Rollout(
            "web",
            steps,
            router,
            workload,
            clock=clock,
            state=FileStateStore(state),
            on_event=lambda event: holder[0].on_event(event),
            progress_deadline=10**9,
        )
        driven = Driven(rollout, router, workload, clock, state, changed=changed)
        driven.gate = threading.Event() if gate else None
        holder.append(driven)
        thread = threading.Thread(
            target=lambda: driven.results.append(rollout.run(version, handle_signals=False)), daemon=True
        )
        thread.start()
        threads.append((driven, thread))
        return driven, thread

    yield start
    for driven, thread in threads:  # a failed test must not leave a driver spinning
        if driven.gate is not None:
            driven.gate.set()
        if thread.is_alive():
            driven.rollout.abort("test over")
            thread.join(WAIT)


def test_promote_from_another_process_ends_an_indefinite_pause(
    drive: Callable[..., tuple[Driven, threading.Thread]],
) -> None:
    driven, thread = drive([SetWeight(20), Pause(), SetWeight(60)])
    driven.wait_for(lambda: driven.paused_with("CanaryPauseStep"))

    done = canarykit("promote", "web", "--state", str(driven.state))

    assert (done.returncode, done.stdout, done.stderr) == (0, "rollout 'web' promoted\n", "")
    result = driven.finish(thread)
    assert result.phase is RolloutPhase.HEALTHY
    assert driven.router.history == [20, 60, 100, 0]


def test_promote_full_from_another_process_skips_the_remaining_steps(
    drive: Callable[..., tuple[Driven, threading.Thread]],
) -> None:
    driven, thread = drive([SetWeight(10), Pause(), SetWeight(20), Pause(), SetWeight(30)])
    driven.wait_for(lambda: driven.paused_with("CanaryPauseStep"))

    done = canarykit("promote", "web", "--full", "--state", str(driven.state / "web.json"))

    assert done.returncode == 0 and done.stdout == "rollout 'web' fully promoted\n"
    assert driven.finish(thread).phase is RolloutPhase.HEALTHY
    assert driven.router.history == [10, 100, 0]


def test_abort_from_another_process_rolls_back(drive: Callable[..., tuple[Driven, threading.Thread]]) -> None:
    driven, thread = drive([SetWeight(30), Pause()])
    driven.wait_for(lambda: driven.paused_with("CanaryPauseStep"))

    done = canarykit("abort", "web", "--state", str(driven.state))

    assert done.returncode == 0 and done.stdout == "rollout 'web' aborted\n"
    result = driven.finish(thread)
    assert result.phase is RolloutPhase.DEGRADED
    assert (
        result.message
        == "RolloutAborted: Rollout aborted update to revision 2: aborted from the command line"
    )
    assert driven.router.history == [30, 0]


def test_pause_from_another_process_holds_a_timed_pause_until_promoted(
    drive: Callable[..., tuple[Driven, threading.Thread]],
) -> None:
    driven, thread = drive([SetWeight(20), Pause("1h"), SetWeight(60)], gate=True)
    assert driven.gate is not None

    paused = canarykit("pause", "web", "--state", str(driven.state))  # queued while the driver holds at 20
    driven.gate.set()
    driven.wait_for(lambda: driven.paused_with("manually paused"))
    since = driven.clock.now()
    driven.wait_for(lambda: driven.clock.now() > since + 2 * 3600 or not thread.is_alive())

    assert (paused.returncode, paused.stdout) == (0, "rollout 'web' paused\n")
    assert thread.is_alive() and driven.router.history == [20]  # the 1h pause ended long ago: still held
    status = canarykit("status", "web", "--watch=false", "--state", str(driven.state))
    assert (status.returncode, status.stdout) == (0, "Paused - manually paused\n")
    gate = canarykit("status", "web", "--success-on-pause", "--state", str(driven.state))
    assert (gate.returncode, gate.stdout) == (0, "Paused - manually paused\n")
    promoted = canarykit("promote", "web", "--state", str(driven.state))
    assert promoted.returncode == 0
    assert driven.finish(thread).phase is RolloutPhase.HEALTHY
    assert driven.router.history == [20, 60, 100, 0]


def test_undo_from_another_process_returns_to_stable_without_the_remaining_steps(
    drive: Callable[..., tuple[Driven, threading.Thread]],
) -> None:
    driven, thread = drive([SetWeight(20), Pause(), SetWeight(60)])
    driven.wait_for(lambda: driven.paused_with("CanaryPauseStep"))

    done = canarykit("undo", "web", "--state", str(driven.state))

    assert (done.returncode, done.stdout) == (0, "rollout 'web' undo\n")
    result = driven.finish(thread)
    assert (result.phase, result.version, result.message) == (RolloutPhase.HEALTHY, "v1", "")
    assert driven.router.history == [20, 0]
    assert driven.workload.events == ["start v2", "scale 1", "remove canary"]  # stable never left v1
    record = FileStateStore(driven.state).load("web")
    assert record is not None and record["rejected"] == [] and not record["undo_requested"]
