"""The outcome of an analysis run, as a value."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from canarykit.analysis.measurement import MetricResult
from canarykit.analysis.phases import Phase


@dataclass(frozen=True)
class AnalysisResult:
    """Phase and message of a run (`Metric "x" assessed Failed due to ...`), with every metric's results."""

    name: str
    phase: Phase
    message: str
    started_at: float | None
    finished_at: float | None
    metrics: tuple[MetricResult, ...]

    @property
    def successful(self) -> bool:
        return self.phase is Phase.SUCCESSFUL

    def metric(self, name: str) -> MetricResult:
        """The results of the metric called `name`."""
        for result in self.metrics:
            if result.name == name:
                return result
        raise KeyError(name)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "phase": self.phase.value,
            "message": self.message,
            "startedAt": self.started_at,
            "finishedAt": self.finished_at,
            "metricResults": [metric.to_dict() for metric in self.metrics],
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2)
