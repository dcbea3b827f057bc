"""An audit record, read and checked: a rollout's (`RolloutResult.to_dict()`) or the demo's (experiments)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from canarykit.errors import AuditRecordError
from canarykit.report.fields import Fields


@dataclass(frozen=True)
class EventRecord:
    """One event: its kind (`WeightChanged`...), time, words, and any other field the record kept."""

    kind: str
    time: float
    message: str
    fields: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class MeasurementRecord:
    """One measurement as recorded: phase, times, value text, message and metadata."""

    phase: str
    started_at: float | None
    finished_at: float | None
    value: str
    message: str
    metadata: Mapping[str, str]

    @property
    def time(self) -> float | None:
        return self.finished_at if self.finished_at is not None else self.started_at


@dataclass(frozen=True)
class MetricRecord:
    """One metric of an analysis run, with its conditions when the record has them."""

    name: str
    phase: str
    dry_run: bool
    success_condition: str | None
    failure_condition: str | None
    breach: str | None
    measurements: tuple[MeasurementRecord, ...]


@dataclass(frozen=True)
class AnalysisRecord:
    """One analysis run: name, phase, Argo's message and its metrics."""

    name: str
    phase: str
    message: str
    metrics: tuple[MetricRecord, ...]


@dataclass(frozen=True)
class RolloutRecord:
    """One rollout's audit record."""

    name: str
    version: str
    phase: str
    message: str
    reason: Mapping[str, Any] | None
    steps_done: int
    steps_total: int
    analyses: tuple[AnalysisRecord, ...]
    events: tuple[EventRecord, ...]


def load_audit(path: str | Path) -> list[RolloutRecord]:
    """The rollouts recorded in the JSON file at `path`; `AuditRecordError` when it cannot be one."""
    source = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise AuditRecordError(f"{source}: cannot read the audit record: {error}") from error
    try:
        data = json.loads(text)
    except ValueError as error:
        raise AuditRecordError(f"{source}: not JSON: {error}") from error
    return rollouts_of(data, source)


def rollouts_of(data: Any, source: str = "<record>") -> list[RolloutRecord]:
    """The rollouts in a parsed record: a demo's `experiments` in order, or the one rollout it is."""
    root = Fields(data, source)
    if isinstance(data, Mapping) and "experiments" in data:
        experiments = root.items("experiments")
        if not experiments:
            raise AuditRecordError(f"{source}: experiments: the record holds no rollout")
        return [rollout_of(item) for item in experiments]
    return [rollout_of(root)]


def rollout_of(fields: Fields) -> RolloutRecord:
    """One rollout's record, checked field by field."""
    return RolloutRecord(
        name=fields.text("name"),
        version=fields.text("version", ""),
        phase=fields.text("phase"),
        message=fields.text("message", ""),
        reason=fields.optional_mapping("reason"),
        steps_done=fields.integer("stepsDone", 0),
        steps_total=fields.integer("stepsTotal", 0),
        analyses=tuple(_analysis(item) for item in fields.items("analyses", required=False)),
        events=tuple(_event(item) for item in fields.items("events")),
    )


def _analysis(fields: Fields) -> AnalysisRecord:
    return AnalysisRecord(
        name=fields.text("name"),
        phase=fields.text("phase", ""),
        message=fields.text("message", ""),
        metrics=tuple(_metric(item) for item in fields.items("metricResults", required=False)),
    )


def _metric(fields: Fields) -> MetricRecord:
    return MetricRecord(
        name=fields.text("name"),
        phase=fields.text("phase", ""),
        dry_run=fields.flag("dryRun"),
        success_condition=fields.optional_text("successCondition"),
        failure_condition=fields.optional_text("failureCondition"),
        breach=fields.optional_text("breach"),
        measurements=tuple(_measurement(item) for item in fields.items("measurements", required=False)),
    )


def _measurement(fields: Fields) -> MeasurementRecord:
    return MeasurementRecord(
        phase=fields.text("phase"),
        started_at=fields.optional_number("startedAt"),
        finished_at=fields.optional_number("finishedAt"),
        value=fields.text("value", ""),
        message=fields.text("message", ""),
        metadata=fields.strings("metadata"),
    )


def _event(fields: Fields) -> EventRecord:
    known = ("kind", "time", "message")
    extra = {key: value for key, value in fields.data.items() if key not in known}
    return EventRecord(fields.text("kind"), fields.number("time"), fields.text("message", ""), extra)
