"""One measurement, and the running tally of a metric's measurements."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from canarykit.analysis.phases import Phase
from canarykit.values import preview


@dataclass(frozen=True)
class Measurement:
    """A single measurement: when, the value as Argo writes it, the phase it was judged, and why.

    `value`, `message` and each metadata entry are kept as bounded previews (`canarykit.values.preview`), so
    logs and records stay small whatever a provider returned; `result`, the value conditions judged, is kept
    as given.
    """

    phase: Phase
    started_at: float
    finished_at: float
    value: str = ""
    message: str = ""
    metadata: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    result: Any = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "value", _bounded(self.value))
        object.__setattr__(self, "message", _bounded(self.message))
        metadata = {key: _bounded(text) for key, text in self.metadata.items()}
        object.__setattr__(self, "metadata", MappingProxyType(metadata))

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready record (the raw `result` is left out; `value` holds its text)."""
        record: dict[str, Any] = {
            "phase": self.phase.value,
            "startedAt": self.started_at,
            "finishedAt": self.finished_at,
            "value": self.value,
        }
        if self.message:
            record["message"] = self.message
        if self.metadata:
            record["metadata"] = dict(self.metadata)
        return record


def fault_note(measurement: Measurement) -> str:
    """` (its message)` after an Error measurement that has one, else "": how views show a fault."""
    return f" ({measurement.message})" if measurement.phase is Phase.ERROR and measurement.message else ""


def _bounded(text: Any) -> Any:
    """A preview of text; anything else (a provider's own metadata types) as given."""
    return preview(text) if isinstance(text, str) else text


@dataclass
class MetricTally:
    """Counters Argo keeps per metric; `count` excludes errors."""

    count: int = 0
    successful: int = 0
    failed: int = 0
    inconclusive: int = 0
    error: int = 0
    consecutive_error: int = 0
    consecutive_success: int = 0

    def record(self, phase: Phase) -> None:
        """Count one finished measurement."""
        if phase is Phase.ERROR:
            self.error += 1
            self.consecutive_error += 1
            self.consecutive_success = 0
            return
        self.count += 1
        self.consecutive_error = 0
        if phase is Phase.SUCCESSFUL:
            self.successful += 1
            self.consecutive_success += 1
            return
        self.consecutive_success = 0
        if phase is Phase.FAILED:
            self.failed += 1
        else:
            self.inconclusive += 1


@dataclass(frozen=True)
class MetricResult:
    """A metric's state in a run: its phase, message, counters and measurements (oldest first)."""

    name: str
    phase: Phase
    message: str
    tally: MetricTally
    measurements: tuple[Measurement, ...]
    dry_run: bool = False
    query: str | None = None

    def to_dict(self) -> dict[str, Any]:
        tally = self.tally
        return {
            "name": self.name,
            "query": self.query,
            "phase": self.phase.value,
            "message": self.message,
            "count": tally.count,
            "successful": tally.successful,
            "failed": tally.failed,
            "inconclusive": tally.inconclusive,
            "error": tally.error,
            "consecutiveError": tally.consecutive_error,
            "dryRun": self.dry_run,
            "measurements": [m.to_dict() for m in self.measurements],
        }
