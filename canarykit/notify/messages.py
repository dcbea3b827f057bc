"""From a rollout's events to notifications: which Argo trigger each event fires, and its title and body
(titles as Argo's default templates word them: `Rollout web has been aborted.`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from canarykit.notify import triggers as tr
from canarykit.notify.details import MeasurementMemory, attached_reason, reason_lines
from canarykit.rollout import events as ev

if TYPE_CHECKING:
    from canarykit.rollout.orchestrator import Rollout

KINDS = {
    tr.ROLLOUT_COMPLETED: "success",
    tr.ANALYSIS_RUN_SUCCESSFUL: "success",
    tr.ROLLOUT_ABORTED: "failure",
    tr.ANALYSIS_RUN_FAILED: "failure",
    tr.ANALYSIS_RUN_ERROR: "failure",
    tr.ROLLOUT_PAUSED: "warning",
    tr.ANALYSIS_RUN_INCONCLUSIVE: "warning",
}
"""apprise's notify type per trigger (info for the others): the colour or icon a service shows."""

ANALYSIS_TITLES = {
    tr.ANALYSIS_RUN_RUNNING: "Rollout {}'s analysis run is running.",
    tr.ANALYSIS_RUN_SUCCESSFUL: "Rollout {}'s analysis run succeeded.",
    tr.ANALYSIS_RUN_FAILED: "Rollout {}'s analysis run failed.",
    tr.ANALYSIS_RUN_ERROR: "Rollout {}'s analysis run is in error state.",
    tr.ANALYSIS_RUN_INCONCLUSIVE: "Rollout {}'s analysis run is inconclusive.",
}


@dataclass(frozen=True)
class Notification:
    """What one trigger sends: `title` (Argo's message), `body` (the details), apprise's `kind`."""

    trigger: str
    rollout: str
    title: str
    body: str

    @property
    def kind(self) -> str:
        return KINDS.get(self.trigger, "info")


class EventTranslator:
    """Turns events into notifications, remembering what later ones need (weight, running analyses)."""

    def __init__(self) -> None:
        self.rollouts: dict[str, Rollout] = {}
        self._weights: dict[str, int] = {}
        self._running: set[tuple[str, str]] = set()
        self._measurements = MeasurementMemory()

    def translate(self, event: ev.Event) -> list[Notification]:
        """The notifications `event` fires (most events fire none)."""
        name = event.rollout
        if isinstance(event, ev.WeightChanged):
            self._weights[name] = event.weight
        elif isinstance(event, ev.StepStarted) and event.index == 0:
            return [self._updated(name)]
        elif isinstance(event, ev.StepCompleted):
            return [self._step_completed(name, event.index)]
        elif isinstance(event, ev.Paused):
            return [self._make(tr.ROLLOUT_PAUSED, name, [f"Reason: {event.reason}", self._weight(name)])]
        elif isinstance(event, ev.Promoted):
            return [self._make(tr.ROLLOUT_COMPLETED, name, [f"Version: {event.version}"])]
        elif isinstance(event, ev.Aborted):
            return [self._aborted(event)]
        elif isinstance(event, ev.MeasurementTaken):
            return self._measured(event)
        elif isinstance(event, ev.AnalysisCompleted):
            return [self._analysis_completed(event)]
        return []

    def _make(self, trigger: str, name: str, lines: list[str], title: str = "") -> Notification:
        title = title or f"Rollout {name} has been {trigger.removeprefix('on-rollout-')}."
        body = "\n".join(line for line in lines if line) or title
        return Notification(trigger, name, title, body)

    def _weight(self, name: str) -> str:
        return f"Canary weight: {self._weights[name]}" if name in self._weights else ""

    def _updated(self, name: str) -> Notification:
        rollout = self.rollouts.get(name)
        status = rollout.status if rollout is not None else None
        lines = [f"Version: {status.version}", f"Steps: {len(rollout.plan)}"] if rollout and status else []
        return self._make(tr.ROLLOUT_UPDATED, name, lines)

    def _step_completed(self, name: str, index: int) -> Notification:
        rollout, number = self.rollouts.get(name), index + 1
        of = f"{number}/{len(rollout.plan)}" if rollout is not None else f"{number}"
        step = f": {rollout.plan[index]!r}" if rollout is not None and index < len(rollout.plan) else ""
        title = f"Rollout {name} step number {of} has been completed."
        return self._make(
            tr.ROLLOUT_STEP_COMPLETED, name, [f"Step completed: {of}{step}", self._weight(name)], title
        )

    def _aborted(self, event: ev.Aborted) -> Notification:
        name = event.rollout
        reason = attached_reason(self.rollouts.get(name))
        why = reason_lines(reason) if reason is not None else self._measurements.lines_for(name, event.reason)
        if reason is None and not why and event.reason:
            why = [f"Aborted by: {event.reason}"]
        return self._make(tr.ROLLOUT_ABORTED, name, [*why, self._weight(name), f"Message: {event.message}"])

    def _measured(self, event: ev.MeasurementTaken) -> list[Notification]:
        self._measurements.remember(event)
        key = (event.rollout, event.analysis)
        if key in self._running:
            return []
        self._running.add(key)
        return [self._analysis(tr.ANALYSIS_RUN_RUNNING, event.rollout, event.analysis, [])]

    def _analysis_completed(self, event: ev.AnalysisCompleted) -> Notification:
        trigger = tr.ANALYSIS_PHASE_TRIGGERS.get(event.phase, tr.ANALYSIS_RUN_ERROR)
        reason = attached_reason(self.rollouts.get(event.rollout), event.analysis)
        lines = reason_lines(reason) if reason is not None and trigger != tr.ANALYSIS_RUN_SUCCESSFUL else []
        return self._analysis(trigger, event.rollout, event.analysis, [f"Phase: {event.phase}", *lines])

    def _analysis(self, trigger: str, name: str, analysis: str, lines: list[str]) -> Notification:
        title = ANALYSIS_TITLES[trigger].format(name)
        return self._make(trigger, name, [f"Analysis run: {analysis}", *lines], title)
