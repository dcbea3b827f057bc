"""The reconcile loop of one rollout: what to do now, given its status (Argo's canary controller logic)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from canarykit.errors import StateError
from canarykit.rollout import events as ev
from canarykit.rollout.analysis_runs import RolloutAnalyses
from canarykit.rollout.bluegreen_actions import complete_blue_green
from canarykit.rollout.completion import complete, fast_track, roll_back
from canarykit.rollout.header_routing import apply_header_route
from canarykit.rollout.manual import reconcile_undo, unpause
from canarykit.rollout.rollback import retry
from canarykit.rollout.status import ANALYSIS_FAILED, INCONCLUSIVE_ANALYSIS, POLL, RolloutPhase, RolloutStatus
from canarykit.rollout.step_actions import reconcile_step, set_weight_at, step_done
from canarykit.steps import Analysis
from canarykit.steps.bluegreen_phases import BlueGreenPhase

if TYPE_CHECKING:
    from canarykit.rollout.orchestrator import Rollout

MAX_CHAINED = 1000


class Stepper:
    """Holds a rollout's status and moves it on; every transition is saved before it is acted on."""

    def __init__(self, rollout: Rollout, status: RolloutStatus) -> None:
        self.rollout = rollout
        self.status = status
        self.analyses = RolloutAnalyses(self)
        self.started_step = -1
        self.canary_ensured = False
        self.routes_restored = False
        self.commands = 0
        """How many promote/abort/retry calls changed the status (a listener's among them)."""
        self.take_signal: Callable[[], str | None] = lambda: None
        """The driver's pending signal, taken before each reconcile (`run()` sets it): an abort reason."""

    def save(self) -> None:
        plan, status = self.rollout.plan, self.status
        max_weight = self.rollout.max_weight
        status.step_count, status.set_weight = len(plan), set_weight_at(plan, status.step_index, max_weight)
        if self.rollout.blue_green is not None:  # no weight steps: the active side is where it was switched
            status.set_weight, status.strategy = status.weight, "BlueGreen"
        if self.rollout.store is not None:
            try:
                self.rollout.store.save(self.rollout.name, self.status.to_dict())
            except OSError as fault:  # a store of the caller's that does not wrap its own faults
                raise StateError(
                    f"cannot save the state of rollout {self.rollout.name!r}: {fault}"
                ) from fault

    def advance(self) -> float | None:
        """Reconcile until something must be waited for; listeners get the events after each reconcile."""
        for _ in range(MAX_CHAINED):
            if (reason := self.take_signal()) is not None:  # a signal during the last reconcile's work
                self.abort(reason)
            now = self.rollout.clock.now()
            wake = self._reconcile(now)
            commands = self.commands
            self.rollout.deliver_events()
            if self.commands != commands:  # a listener promoted or aborted: act on it now
                continue
            if wake is None or wake > now:
                return wake
        return self.rollout.clock.now() + POLL

    def _reconcile(self, now: float) -> float | None:
        status = self.status
        if status.finished:
            return None
        if status.aborted:
            return roll_back(self, now)
        if status.undo_requested:
            return reconcile_undo(self, now)
        if status.fast_track:
            return fast_track(self, now)
        self._restore_header_route()
        background_wake = self.analyses.reconcile_background()
        if status.aborted:
            return now
        if status.paused:  # Argo's spec.paused halts the steps; background analysis goes on
            return now + POLL
        if status.pause_reason in (INCONCLUSIVE_ANALYSIS, ANALYSIS_FAILED):
            return now + POLL
        if status.step_index >= len(self.rollout.plan):
            return (complete if self.rollout.blue_green is None else complete_blue_green)(self, now)
        return _earliest(reconcile_step(self, now), background_wake)

    def _restore_header_route(self) -> None:
        """After a resume, the router learns again the header route the record says is in force."""
        if not self.routes_restored and self.status.header_route is not None:
            apply_header_route(self, self.status.header_route)
        self.routes_restored = True

    # -- transitions -----------------------------------------------------------------------------------

    def set_weight(self, weight: int) -> None:
        """Send `weight` to the router (retried), after recording the intent."""
        status = self.status
        if weight == status.weight and status.weight_history:
            return
        previous = status.weight
        router = self.rollout.router
        status.pending_weight = weight  # the intent is on record before the action
        self.save()
        retry(lambda: router.set_weight(weight), self.rollout.clock, self.rollout.backoff, f"weight {weight}")
        status.pending_weight = None
        self.record_weight(weight)
        self.save()
        self.rollout.emit(
            ev.WeightChanged, f"canary weight {previous} -> {weight}", weight=weight, previous=previous
        )

    def record_weight(self, weight: int) -> None:
        """Note that the router now sends `weight` to the canary; the history gains it unless unchanged."""
        status = self.status
        if weight != status.weight or not status.weight_history:
            status.weight_history.append(weight)
        status.weight = weight

    def pause(self, reason: str) -> None:
        status = self.status
        status.pause_reason, status.phase, status.message = reason, RolloutPhase.PAUSED, reason
        self.save()
        self.rollout.emit(ev.Paused, f"paused: {reason}", reason=reason)

    def fail(self, message: str) -> None:
        """An analysis failed: abort, or pause under `failure_policy="pause"`."""
        if self.rollout.failure_policy == "pause":
            self.status.abort_message = message
            self.pause(ANALYSIS_FAILED)
            return
        self.abort(message)

    # -- commands ------------------------------------------------------------------------------------

    def abort(self, reason: str = "") -> None:
        status = self.status
        if status.finished or status.promoted or status.aborted:
            return  # the first reason stands
        self.commands += 1
        self.analyses.terminate()
        text = f"Rollout aborted update to revision {status.revision}" + (f": {reason}" if reason else "")
        status.aborted, status.abort_message, status.pause_reason = True, reason, None
        status.phase, status.message = RolloutPhase.DEGRADED, f"RolloutAborted: {text}"
        self.save()
        self.rollout.emit(ev.Aborted, text, reason=reason)

    def promote(self, full: bool) -> None:
        status = self.status
        if status.finished or status.aborted or status.undo_requested:
            return
        self.commands += 1
        if status.paused:
            unpause(self, self.rollout.clock.now())
        if full:
            status.promote_full = True
            self.analyses.terminate()
            status.step_index = len(self.rollout.plan)
        elif self.rollout.blue_green is not None and status.pause_reason is None:
            pass  # Argo: with no pause condition, promoting a blue-green release changes nothing
        elif status.pause_reason in (INCONCLUSIVE_ANALYSIS, ANALYSIS_FAILED) and not self._on_analysis_step():
            self.analyses.background_done = False
        elif status.step_index < len(self.rollout.plan):
            step_done(self, self.rollout.clock.now())  # clears the pause, Progressing, saved
            self.analyses.step_run = None
            return
        status.pause_reason, status.pause_started_at = None, None
        status.phase = RolloutPhase.PROGRESSING
        self.save()

    def _on_analysis_step(self) -> bool:
        plan = self.rollout.plan
        if self.status.step_index >= len(plan):
            return False
        step = plan[self.status.step_index]
        return isinstance(step, Analysis) or (isinstance(step, BlueGreenPhase) and step.analysis is not None)

    def retry(self) -> None:
        status = self.status
        if not status.aborted:
            return
        self.commands += 1
        self.status = RolloutStatus(
            self.rollout.name,
            status.version,
            status.revision,
            weight=status.weight,
            started_at=self.rollout.clock.now(),
            weight_history=status.weight_history,
            rejected=status.rejected,
            plan=status.plan,
            stable_version=status.stable_version,
        )
        self.analyses, self.started_step, self.canary_ensured = RolloutAnalyses(self), -1, False
        self.save()


def _earliest(first: float | None, second: float | None) -> float | None:
    times = [t for t in (first, second) if t is not None]
    return min(times) if times else None
