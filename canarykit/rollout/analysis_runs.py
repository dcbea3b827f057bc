"""A rollout's analysis runs: background analysis from a step on, and `Analysis` steps.

Every measurement is saved in the record with its run (`AnalysisRun.record()`), so a driver that restarts
continues the same runs: the same tallies, the same schedule.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from canarykit.analysis import AnalysisRun, Measurement, Metric, Phase
from canarykit.analysis.run import MeasurementListener
from canarykit.rollout import events as ev
from canarykit.rollout.resume import describe_record
from canarykit.rollout.status import INCONCLUSIVE_ANALYSIS

if TYPE_CHECKING:
    from canarykit.rollout.stepper import Stepper

FAILURE_LABELS = {
    "Step": "Step-based",
    "PrePromotion": "Blue/green pre-promotion",
    "PostPromotion": "Blue/green post-promotion",
}
"""How Argo's abort message names each kind of run (`Step-based analysis phase error/failed: ...`)."""


class RolloutAnalyses:
    """The background run and the current step's run of one driver."""

    def __init__(self, stepper: Stepper) -> None:
        self.stepper = stepper
        self.background: AnalysisRun | None = None
        self.background_done = False
        self.step_run: AnalysisRun | None = None

    def reconcile_background(self) -> float | None:
        """Start background analysis once its step is reached, and take what measurements are due."""
        rollout, status = self.stepper.rollout, self.stepper.status
        analysis = rollout.analysis
        if analysis is None or status.promoted or status.promote_full or self.background_done:
            return None
        if self.background is None:
            if status.step_index < analysis.starting_step:
                return None
            self.background = self.start(analysis.metrics(), f"{rollout.name}-{status.revision}")
        wake = self.background.advance()
        if self.background.completed:
            self.done(self.background, "Background")
        return wake

    def done(self, run: AnalysisRun, kind: str) -> None:
        """A run completed: report it; a failure aborts (or pauses), Inconclusive pauses."""
        stepper = self.stepper
        phase = run.phase.value
        stepper.rollout.emit(ev.AnalysisCompleted, f"{kind} analysis {phase}", analysis=run.name, phase=phase)
        if kind == "Background":
            self.background, self.background_done = None, run.phase is Phase.SUCCESSFUL
        if run.phase in (Phase.FAILED, Phase.ERROR):
            detail = f": {run.message}" if run.message else ""  # Argo adds the run's message when it has one
            stepper.fail(f"{FAILURE_LABELS.get(kind, kind)} analysis phase error/failed{detail}")
        elif run.phase is Phase.INCONCLUSIVE:
            stepper.pause(INCONCLUSIVE_ANALYSIS)

    def start(self, metrics: list[Metric], name: str) -> AnalysisRun:
        """A run of `metrics`, continued from the record when an earlier driver started it."""
        rollout = self.stepper.rollout
        run = AnalysisRun(metrics, clock=rollout.clock, name=name)
        record = self.stepper.status.analyses.get(name)
        if record is not None:
            run.restore(record, f"{describe_record(rollout)}: analyses.{name}")
        run.add_listener(self._measured(run))
        return rollout.track(run)

    def terminate(self) -> None:
        """End the runs in progress (promotion, abort): they complete at once."""
        for run in (self.background, self.step_run):
            if run is not None and not run.completed:
                run.terminate()

    def _measured(self, run: AnalysisRun) -> MeasurementListener:
        """A listener that saves each measurement of `run` and turns it into a `MeasurementTaken` event."""
        stepper, analysis = self.stepper, run.name

        def listener(metric: Metric, measurement: Measurement) -> None:
            status = stepper.status
            counts = status.analysis_counts.setdefault(analysis, {})
            counts[measurement.phase.value] = counts.get(measurement.phase.value, 0) + 1
            status.analyses[analysis] = run.record()
            stepper.save()
            text = f"{metric.name} measured {measurement.value or '-'}: {measurement.phase.value}"
            stepper.rollout.emit(
                ev.MeasurementTaken, text, analysis=analysis, metric=metric.name, measurement=measurement
            )

        return listener
