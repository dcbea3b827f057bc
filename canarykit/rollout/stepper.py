"""The reconcile loop of one rollout: what to do now, given its status (Argo's canary controller logic)."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from canarykit.analysis import AnalysisRun, Phase
from canarykit.rollout import events as ev
from canarykit.rollout.analyses import resolve_metrics
from canarykit.rollout.rollback import retry
from canarykit.rollout.status import CANARY_PAUSE_STEP, INCONCLUSIVE_ANALYSIS, RolloutPhase, RolloutStatus
from canarykit.steps import Analysis, Pause, SetCanaryScale, SetWeight

if TYPE_CHECKING:
    from canarykit.rollout.orchestrator import Rollout

POLL = 1.0
"""Seconds between readiness checks, and between looks at an indefinite pause."""
MAX_CHAINED = 1000


class Stepper:
    """Holds a rollout's status and moves it on; every transition is saved before it is acted on."""

    def __init__(self, rollout: Rollout, status: RolloutStatus) -> None:
        self.rollout = rollout
        self.status = status
        self.background: AnalysisRun | None = None
        self.background_done = False
        self.step_run: AnalysisRun | None = None
        self.started_step = -1
        self.canary_ensured = False

    def save(self) -> None:
        if self.rollout.store is not None:
            self.rollout.store.save(self.rollout.name, self.status.to_dict())

    def advance(self) -> float | None:
        for _ in range(MAX_CHAINED):
            now = self.rollout.clock.now()
            wake = self._reconcile(now)
            if wake is None or wake > now:
                return wake
        return self.rollout.clock.now() + POLL

    def _reconcile(self, now: float) -> float | None:
        status = self.status
        if status.finished:
            return None
        if status.aborted:
            return self._roll_back(now)
        background_wake = self._reconcile_background()
        if status.aborted:
            return now
        if status.pause_reason == INCONCLUSIVE_ANALYSIS or status.pause_reason == "AnalysisFailed":
            return now + POLL
        if status.step_index >= len(self.rollout.plan):
            return self._complete(now)
        return _earliest(self._reconcile_step(now), background_wake)

    # -- background analysis -------------------------------------------------------------------------

    def _reconcile_background(self) -> float | None:
        analysis, status = self.rollout.analysis, self.status
        if analysis is None or status.promoted or status.promote_full or self.background_done:
            return None
        if self.background is None:
            if status.step_index < analysis.starting_step:
                return None
            name = f"{self.rollout.name}-{status.revision}"
            self.background = self.rollout.track(
                analysis.start(self.rollout.clock, name, self._measured(name))
            )
        wake = self.background.advance()
        if self.background.completed:
            self._analysis_done(self.background, "Background")
        return wake

    def _analysis_done(self, run: AnalysisRun, kind: str) -> None:
        self.rollout.emit(
            ev.AnalysisCompleted,
            f"{kind} analysis {run.phase.value}",
            analysis=run.name,
            phase=run.phase.value,
        )
        if kind == "Background":
            self.background, self.background_done = None, run.phase is Phase.SUCCESSFUL
        if run.phase in (Phase.FAILED, Phase.ERROR):
            self._fail(
                f"{'Step-based' if kind == 'Step' else kind} analysis phase error/failed: {run.message}"
            )
        elif run.phase is Phase.INCONCLUSIVE:
            self._pause(INCONCLUSIVE_ANALYSIS)

    def _measured(self, analysis: str):  # type: ignore[no-untyped-def]
        def listener(metric, measurement):  # type: ignore[no-untyped-def]
            text = f"{metric.name} measured {measurement.value or '-'}: {measurement.phase.value}"
            self.rollout.emit(
                ev.MeasurementTaken, text, analysis=analysis, metric=metric.name, measurement=measurement
            )

        return listener

    # -- steps ---------------------------------------------------------------------------------------

    def _reconcile_step(self, now: float) -> float | None:
        status = self.status
        step = self.rollout.plan[status.step_index]
        if self.started_step != status.step_index:
            self.started_step = status.step_index
            status.progress_since = now
            self.rollout.emit(
                ev.StepStarted, f"Step {status.step_index} started: {step!r}", index=status.step_index
            )
        if isinstance(step, SetWeight):
            return self._set_weight_step(now, step.weight)
        if isinstance(step, Pause):
            return self._pause_step(now, step)
        if isinstance(step, Analysis):
            return self._analysis_step(now, step)
        return self._scale_step(now, step)

    def _set_weight_step(self, now: float, weight: int) -> float | None:
        replicas = math.ceil(weight * self.rollout.workload.replicas / 100)
        if not self._canary_scaled(now, replicas):
            return now + POLL
        self.set_weight(weight)
        return self._step_done(now)

    def _scale_step(self, now: float, step: SetCanaryScale) -> float | None:
        total = self.rollout.workload.replicas
        weight = self.status.weight if step.match_traffic_weight else step.weight
        replicas = step.replicas if step.replicas is not None else math.ceil((weight or 0) * total / 100)
        return self._step_done(now) if self._canary_scaled(now, replicas) else now + POLL

    def _canary_scaled(self, now: float, replicas: int) -> bool:
        workload = self.rollout.workload
        if not self.canary_ensured:  # once per driver: start_canary finds the canary after a resume
            workload.start_canary(self.status.version)
            self.canary_ensured = self.status.canary_started = True
            self.save()
        workload.scale_canary(replicas)
        if workload.canary_ready():
            return True
        since = self.status.progress_since or now
        if now - since > self.rollout.progress_deadline:
            self.abort(f'Canary "{self.rollout.name}" has timed out progressing.')
        return False

    def _pause_step(self, now: float, step: Pause) -> float | None:
        status = self.status
        if status.pause_started_at is None:
            status.pause_started_at = now
            self._pause(CANARY_PAUSE_STEP)
        if step.seconds is None:
            return now + POLL
        end = status.pause_started_at + step.seconds
        return self._step_done(now) if now >= end else end

    def _analysis_step(self, now: float, step: Analysis) -> float | None:
        if self.step_run is None:
            name = f"{self.rollout.name}-{self.status.revision}-{self.status.step_index}"
            metrics = resolve_metrics(step.source, step.args, self.rollout.prometheus)
            self.step_run = self.rollout.track(
                AnalysisRun(metrics, clock=self.rollout.clock, name=name, on_measurement=self._measured(name))
            )
        wake = self.step_run.advance()
        if not self.step_run.completed:
            return wake
        run, self.step_run = self.step_run, None
        self._analysis_done(run, "Step")
        return self._step_done(now) if run.phase is Phase.SUCCESSFUL else now

    def _step_done(self, now: float) -> float:
        status = self.status
        total = len(self.rollout.plan)
        status.step_index += 1
        status.pause_started_at, status.pause_reason = None, None
        status.phase, status.message = RolloutPhase.PROGRESSING, "waiting for all steps to complete"
        self.save()
        self.rollout.emit(
            ev.StepCompleted,
            f"Rollout step {status.step_index}/{total} completed",
            index=status.step_index - 1,
        )
        return now

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
        status.weight, status.pending_weight = weight, None
        status.weight_history.append(weight)
        self.save()
        self.rollout.emit(
            ev.WeightChanged, f"canary weight {previous} -> {weight}", weight=weight, previous=previous
        )

    def _pause(self, reason: str) -> None:
        status = self.status
        status.pause_reason, status.phase, status.message = reason, RolloutPhase.PAUSED, reason
        self.save()
        self.rollout.emit(ev.Paused, f"paused: {reason}", reason=reason)

    def _fail(self, message: str) -> None:
        if self.rollout.failure_policy == "pause":
            self.status.abort_message = message
            self._pause("AnalysisFailed")
            return
        self.abort(message)

    def _complete(self, now: float) -> float | None:
        from canarykit.rollout.completion import complete

        return complete(self, now)

    def _roll_back(self, now: float) -> float | None:
        from canarykit.rollout.completion import roll_back

        return roll_back(self, now)

    # -- commands ------------------------------------------------------------------------------------

    def abort(self, reason: str = "") -> None:
        status = self.status
        if status.finished or status.promoted:
            return
        self._terminate_runs()
        text = f"Rollout aborted update to revision {status.revision}" + (f": {reason}" if reason else "")
        status.aborted, status.abort_message, status.pause_reason = True, reason, None
        status.phase, status.message = RolloutPhase.DEGRADED, f"RolloutAborted: {text}"
        self.save()
        self.rollout.emit(ev.Aborted, text, reason=reason)

    def promote(self, full: bool) -> None:
        status = self.status
        if status.finished or status.aborted:
            return
        if full:
            status.promote_full = True
            self._terminate_runs()
            status.step_index = len(self.rollout.plan)
        elif (
            status.pause_reason in (INCONCLUSIVE_ANALYSIS, "AnalysisFailed") and not self._on_analysis_step()
        ):
            self.background_done = False
        elif status.step_index < len(self.rollout.plan):
            self._step_done(self.rollout.clock.now())
            self.step_run = None
        status.pause_reason, status.pause_started_at = None, None
        status.phase = RolloutPhase.PROGRESSING
        self.save()

    def _on_analysis_step(self) -> bool:
        plan = self.rollout.plan
        return self.status.step_index < len(plan) and isinstance(plan[self.status.step_index], Analysis)

    def retry(self) -> None:
        status = self.status
        if not status.aborted:
            return
        self.status = RolloutStatus(
            self.rollout.name,
            status.version,
            status.revision,
            weight=status.weight,
            started_at=self.rollout.clock.now(),
            weight_history=status.weight_history,
        )
        self.background, self.background_done, self.step_run, self.started_step = None, False, None, -1
        self.save()

    def _terminate_runs(self) -> None:
        for run in (self.background, self.step_run):
            if run is not None and not run.completed:
                run.terminate()


def _earliest(first: float | None, second: float | None) -> float | None:
    times = [t for t in (first, second) if t is not None]
    return min(times) if times else None
