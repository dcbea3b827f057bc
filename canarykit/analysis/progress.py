"""One metric's progress inside a run, and its JSON record, so a restarted driver continues the same run."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import fields
from types import MappingProxyType
from typing import Any
from weakref import WeakKeyDictionary

from canarykit.analysis.assess import MetricState, dry_run_message
from canarykit.analysis.measurement import Measurement, MetricTally
from canarykit.analysis.metric import Metric
from canarykit.analysis.phases import Phase
from canarykit.analysis.result import JudgedMetricResult, breach_of
from canarykit.conditions import Condition
from canarykit.errors import StateError

KEPT_MEASUREMENTS = 10
"""Measurements kept per metric in a record unless a retention says otherwise (Argo's
DefaultMeasurementHistoryLimit): the tally has the totals, these the schedule and last values."""

_RETENTION: WeakKeyDictionary[Metric, int] = WeakKeyDictionary()


def retain_measurements(metric: Metric, limit: int) -> None:
    """Keep the latest `limit` measurements of `metric` in run records (Argo's `measurementRetention`).

    A limit of 0 or less keeps the default, `KEPT_MEASUREMENTS`, as in Argo. The result of a run (and the
    audit record) keeps every measurement whatever the retention.
    """
    if limit > 0:
        _RETENTION[metric] = limit
    else:
        _RETENTION.pop(metric, None)


def retained_measurements(metric: Metric) -> int:
    """How many measurements of `metric` a run's record keeps."""
    return _RETENTION.get(metric, KEPT_MEASUREMENTS)


_TALLY_FIELDS = tuple(field.name for field in fields(MetricTally))


class MetricProgress:
    """The mutable state of one metric inside a run."""

    def __init__(self, metric: Metric) -> None:
        self.metric = metric
        self.tally = MetricTally()
        self.measurements: list[Measurement] = []
        self.phase = Phase.PENDING
        self.message = ""

    def state(self) -> MetricState:
        return MetricState(self.metric, self.phase, self.tally, self.message, bool(self.measurements))

    def snapshot(self) -> JudgedMetricResult:
        metric = self.metric
        message = dry_run_message(self.state()) if metric.dry_run else self.message
        tally = MetricTally(**vars(self.tally))
        return JudgedMetricResult(
            metric.name,
            self.phase,
            message,
            tally,
            tuple(self.measurements),
            metric.dry_run,
            metric.query,
            success_condition=_text(metric.success_condition),
            failure_condition=_text(metric.failure_condition),
            breach=breach_of(metric, tally, self.phase) if self.phase.completed else None,
        )

    def record(self) -> dict[str, Any]:
        """A JSON-ready record: the counters and the latest measurements (as many as retained)."""
        recent = self.measurements[-retained_measurements(self.metric) :]
        return {"tally": vars(self.tally).copy(), "measurements": [m.to_dict() for m in recent]}

    def restore(self, record: Any, where: str) -> None:
        """Take back the counters and measurements of `record`; `StateError` naming `where` if malformed."""
        self.tally, self.measurements = self.parse(record, where)

    @staticmethod
    def parse(record: Any, where: str) -> tuple[MetricTally, list[Measurement]]:
        """The tally and measurements in a metric's record; `StateError` naming `where` if malformed."""
        if not isinstance(record, Mapping):
            raise StateError(f"{where}: expected an object, got {type(record).__name__}")
        tally = _tally(record.get("tally"), f"{where}.tally")
        entries = record.get("measurements")
        if not isinstance(entries, list):
            raise StateError(f"{where}.measurements: expected a list")
        measurements = [
            _measurement(entry, f"{where}.measurements[{index}]") for index, entry in enumerate(entries)
        ]
        if tally.count + tally.error < len(measurements):
            raise StateError(f"{where}: more measurements than the tally counts")
        return tally, measurements


def restore_progress(progress: Sequence[MetricProgress], record: Mapping[str, Any], where: str) -> float:
    """Restore each metric from a run's `record`; returns the run's start time."""
    started = check_run_record(record, where)
    names = {item.metric.name for item in progress}
    if set(record["metrics"]) != names:
        raise StateError(f"{where}.metrics: expected the metrics {sorted(names)}")
    for item in progress:
        item.restore(record["metrics"][item.metric.name], f"{where}.metrics.{item.metric.name}")
    return started


def check_run_record(record: Any, where: str) -> float:
    """Check the shape of a run's record (as `AnalysisRun.record()` makes it); returns its start time."""
    if not isinstance(record, Mapping):
        raise StateError(f"{where}: expected an object, got {type(record).__name__}")
    started, entries = record.get("startedAt"), record.get("metrics")
    if isinstance(started, bool) or not isinstance(started, int | float) or not math.isfinite(started):
        raise StateError(f"{where}.startedAt: expected a time, got {started!r}")
    if not isinstance(entries, Mapping):
        raise StateError(f"{where}.metrics: expected an object")
    for name, entry in entries.items():
        MetricProgress.parse(entry, f"{where}.metrics.{name}")
    return float(started)


def _text(condition: Condition | None) -> str | None:
    return None if condition is None else condition.source


def _tally(value: Any, where: str) -> MetricTally:
    if not isinstance(value, Mapping) or set(value) != set(_TALLY_FIELDS):
        raise StateError(f"{where}: expected the fields {', '.join(_TALLY_FIELDS)}")
    for name in _TALLY_FIELDS:
        number = value[name]
        if isinstance(number, bool) or not isinstance(number, int) or number < 0:
            raise StateError(f"{where}.{name}: expected a count >= 0, got {number!r}")
    return MetricTally(**{name: value[name] for name in _TALLY_FIELDS})


def _measurement(entry: Any, where: str) -> Measurement:
    """A `Measurement` back from `Measurement.to_dict()` (without the raw result)."""
    if not isinstance(entry, Mapping):
        raise StateError(f"{where}: expected an object")
    try:
        phase = Phase(entry["phase"])
        started, finished = float(entry["startedAt"]), float(entry["finishedAt"])
        value, message = str(entry.get("value", "")), str(entry.get("message", ""))
        metadata = {str(key): str(item) for key, item in dict(entry.get("metadata", {})).items()}
    except (KeyError, TypeError, ValueError) as error:
        raise StateError(f"{where}: not a measurement ({error!r})") from None
    if not phase.completed or not math.isfinite(started) or not started <= finished < math.inf:
        raise StateError(f"{where}: phase {phase.value} from {started} to {finished} is not a measurement")
    return Measurement(phase, started, finished, value, message, MappingProxyType(metadata))
