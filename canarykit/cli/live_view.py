"""What `canarykit rollout` prints: one line per event, and on a terminal a status line with the time left."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TextIO

from canarykit.analysis.measurement import fault_note
from canarykit.cli.progress import Progress, countdown, open_progress
from canarykit.cli.rendering import ICONS
from canarykit.clock import Clock
from canarykit.rollout import events as ev
from canarykit.rollout.result import RolloutResult
from canarykit.steps import Pause, Step

MARKS: dict[type[ev.Event], str] = {ev.WeightChanged: "→", ev.Aborted: "✖", ev.Promoted: "✔", ev.Paused: "॥"}


class LiveView:
    """One line per event, with the time since the start; weight changes and verdicts stand out.

    On a terminal (see `canarykit.cli.progress`) a status line under them shows the current step and its
    time left (a timed pause) or time so far; pass `progress` to choose where lines and status go.
    """

    def __init__(self, clock: Clock, out: TextIO, progress: Progress | None = None) -> None:
        self.clock = clock
        self.progress = progress or open_progress(out, clock)
        self.started = clock.now()
        self.plan: Sequence[Step] = ()
        self.steps = 0

    def header(self, name: str, namespace: str, version: str, plan: Sequence[Step]) -> None:
        self.steps, self.plan = len(plan), plan
        self._print(f"rollout {namespace}/{name}: {version} in {self.steps} steps")

    def show(self, event: ev.Event) -> None:
        self._print(f"[{self._elapsed(event.time)}] {MARKS.get(type(event), ' ')} {_text(event)}")
        if isinstance(event, ev.StepStarted):
            self._step_status(event)
        elif isinstance(event, ev.Promoted | ev.Aborted):
            self.progress.waiting(None)

    def summary(self, result: RolloutResult) -> None:
        self.close()
        phase = result.phase.value
        steps = f"step {result.steps_done}/{result.steps_total}"
        why = f"; why: {result.reason}" if result.reason is not None else ""
        self._print(f"{ICONS.get(phase, '')} {phase}: {steps}. {result.message}".rstrip() + why)

    def line(self, text: str) -> None:
        """A line of its own, stamped with the time since the start."""
        self._print(f"[{self._elapsed(self.clock.now())}]   {text}")

    def close(self) -> None:
        """Remove the status line (lines printed later are plain)."""
        self.progress.close()

    def __enter__(self) -> LiveView:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def _step_status(self, event: ev.StepStarted) -> None:
        step = self.plan[event.index] if event.index < len(self.plan) else None
        label = ev.step_label(event.index, self.steps) + (f" {step!r}" if step is not None else "")
        seconds = step.seconds if isinstance(step, Pause) else None
        if isinstance(step, Pause) and seconds is None:
            label += ": waiting for promote"
        until = None if seconds is None else event.time + seconds
        self.progress.waiting(countdown(label, event.time, until))

    def _elapsed(self, time: float) -> str:
        seconds = max(0, int(time - self.started))
        return f"{seconds // 60:d}:{seconds % 60:02d}"

    def _print(self, text: str) -> None:
        self.progress.line(text)


def _text(event: ev.Event) -> str:
    """The event's message; an Error measurement's fault follows it (the log does not repeat it)."""
    measurement = event.measurement if isinstance(event, ev.MeasurementTaken) else None
    return event.message + (fault_note(measurement) if measurement is not None else "")
