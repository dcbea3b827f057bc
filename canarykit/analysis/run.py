"""An analysis run: metrics measured side by side on one clock until a verdict (Argo's AnalysisRun)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from canarykit.analysis.assess import assess_metric, assess_run
from canarykit.analysis.measurement import Measurement
from canarykit.analysis.metric import Metric
from canarykit.analysis.phases import Phase
from canarykit.analysis.progress import MetricProgress, restore_progress
from canarykit.analysis.result import AnalysisResult
from canarykit.analysis.take import take_measurement
from canarykit.clock import Clock, SystemClock
from canarykit.durations import Duration, parse_optional_duration
from canarykit.errors import SpecError, StateError
from canarykit.interrupts import interruptible

ERROR_RETRY_INTERVAL = 10.0
"""Seconds before a measurement is retried after an Error (Argo's DefaultErrorRetryInterval)."""

log = logging.getLogger("canarykit.analysis")

MeasurementListener = Callable[[Metric, Measurement], None]


class AnalysisRun:
    """Measures its metrics on `clock` and assesses them as Argo does.

    Drive it with `run()` (blocks until a verdict) or step by step with `advance()` from a loop of your own.
    `terminate()` ends it: metrics that have not failed are then assessed Successful.
    """

    def __init__(
        self,
        metrics: Sequence[Metric],
        clock: Clock | None = None,
        name: str = "analysis",
        on_measurement: MeasurementListener | None = None,
    ) -> None:
        validate_metrics(metrics)
        self.name = name
        self.clock: Clock = clock or SystemClock()
        self._progress = [MetricProgress(metric) for metric in metrics]
        self._listeners: list[MeasurementListener] = [on_measurement] if on_measurement else []
        self._lock = threading.RLock()
        self._terminate_requested = False
        self.started_at: float | None = None
        self.finished_at: float | None = None
        self.phase = Phase.PENDING
        self.message = ""

    @property
    def metrics(self) -> tuple[Metric, ...]:
        return tuple(progress.metric for progress in self._progress)

    @property
    def completed(self) -> bool:
        return self.phase.completed

    def add_listener(self, listener: MeasurementListener) -> None:
        """Call `listener(metric, measurement)` after every measurement."""
        self._listeners.append(listener)

    def advance(self) -> float | None:
        """Take every measurement that is due now; return when the next is due (None once complete)."""
        with self._lock:
            if self.completed:
                return None
            now = self.clock.now()
            if self.started_at is None:
                self.started_at = now
                self.phase = Phase.RUNNING
            for progress in self._progress:
                if not self._terminating() and self._is_due(progress, now):
                    self._measure(progress)
            self._assess()
            return None if self.completed else self._next_due()

    def terminate(self) -> None:
        """Stop measuring; the run completes at once (Argo's `spec.terminate`)."""
        with self._lock:
            self._terminate_requested = True
            if self.started_at is None:
                self.started_at = self.clock.now()
            if not self.completed:
                self._assess()

    def run(self, duration: Duration | None = None) -> AnalysisResult:
        """Block until the run completes, or terminate it once `duration` has passed on its clock."""
        limit = parse_optional_duration(duration, "duration")
        deadline = None if limit is None else self.clock.now() + limit
        while True:
            next_due = self.advance()
            if self.completed:
                return self.result()
            now = self.clock.now()
            if deadline is not None and now >= deadline:
                self.terminate()
                return self.result()
            wake = next_due if deadline is None or next_due is None else min(next_due, deadline)
            self.clock.sleep(max((wake if wake is not None else now) - now, 0.0))

    def result(self) -> AnalysisResult:
        """A snapshot of the run: phase, message and every metric's measurements."""
        with self._lock:
            metrics = tuple(progress.snapshot() for progress in self._progress)
            return AnalysisResult(
                self.name, self.phase, self.message, self.started_at, self.finished_at, metrics
            )

    def record(self) -> dict[str, Any]:
        """A JSON-ready record of the run so far, from which `restore` continues it in another process."""
        with self._lock:
            metrics = {progress.metric.name: progress.record() for progress in self._progress}
            return {"startedAt": self.started_at, "metrics": metrics}

    def restore(self, record: Mapping[str, Any], where: str = "analysis") -> None:
        """Continue from `record` (made by `record()`, same metrics); `StateError` if it does not fit."""
        with self._lock:
            if self.started_at is not None:
                raise StateError(f"{where}: run {self.name!r} has started already; restore it before")
            self.started_at = restore_progress(self._progress, record, where)
            self.phase = Phase.RUNNING
            self._assess()

    def _terminating(self) -> bool:
        blocking = (Phase.FAILED, Phase.ERROR, Phase.INCONCLUSIVE)
        failed = any(p.phase in blocking for p in self._progress if not p.metric.dry_run)
        return self._terminate_requested or failed

    def _is_due(self, progress: MetricProgress, now: float) -> bool:
        due = self._due_at(progress)
        return due is not None and now >= due

    def _due_at(self, progress: MetricProgress) -> float | None:
        if progress.phase.completed:
            return None
        metric = progress.metric
        if not progress.measurements:
            assert self.started_at is not None
            return self.started_at + (metric.initial_delay or 0.0)
        count = metric.effective_count
        if count is not None and progress.tally.count >= count:
            return None
        last = progress.measurements[-1]
        if last.phase is Phase.ERROR:
            return last.finished_at + ERROR_RETRY_INTERVAL
        return None if metric.interval is None else last.finished_at + metric.interval

    def _next_due(self) -> float | None:
        times = [t for t in (self._due_at(p) for p in self._progress) if t is not None]
        return min(times, default=None)

    def _measure(self, progress: MetricProgress) -> None:
        with interruptible():  # a signal may abandon a hung query (see canarykit.interrupts)
            measurement = take_measurement(progress.metric, self.clock)
        progress.measurements.append(measurement)
        progress.tally.record(measurement.phase)
        log.info(
            "%s: metric %s measured %s (%s)",
            self.name,
            progress.metric.name,
            measurement.value,
            measurement.phase.value,
        )
        for listener in self._listeners:
            listener(progress.metric, measurement)

    def _assess(self) -> None:
        self._update_metric_phases(terminating=self._terminating())
        terminating = self._terminating()
        if terminating:
            self._update_metric_phases(terminating=True)
        states = [progress.state() for progress in self._progress]
        phase, message = assess_run(states, terminating, self._terminate_requested)
        self.phase, self.message = phase, message
        if self.completed and self.finished_at is None:
            self.finished_at = self.clock.now()
            log.info("%s: analysis %s %s", self.name, phase.value, message)

    def _update_metric_phases(self, terminating: bool) -> None:
        for progress in self._progress:
            if progress.phase.completed:
                continue
            phase = assess_metric(progress.metric, progress.tally, progress.measurements, terminating)
            if phase is not progress.phase:
                last = progress.measurements[-1] if progress.measurements else None
                progress.message = last.message if last else ""
                progress.phase = phase


def validate_metrics(metrics: Sequence[Metric]) -> None:
    """Argo's `ValidateMetrics`: at least one metric, unique names."""
    if not metrics:
        raise SpecError("Analysis spec invalid: no metrics specified")
    seen: set[str] = set()
    for index, metric in enumerate(metrics):
        if not isinstance(metric, Metric):
            raise SpecError(f"Analysis spec invalid: metrics[{index}]: expected a Metric, got {metric!r}")
        if metric.name in seen:
            raise SpecError(f"Analysis spec invalid: metrics[{index}]: duplicate name '{metric.name}'")
        seen.add(metric.name)
