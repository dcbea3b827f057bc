"""The outcome of an analysis run, as a value."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from canarykit.analysis.assess import limit_breach
from canarykit.analysis.measurement import MetricResult, MetricTally
from canarykit.analysis.metric import Metric
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


@dataclass(frozen=True)
class JudgedMetricResult(MetricResult):
    """A `MetricResult` with what judged it, so a rollout's result can say why (`RolloutResult.reason`).

    `success_condition` and `failure_condition` are the conditions' text (a Python callable's name);
    `breach` is the limit the metric went past, in Argo's words (`failed (4) > failureLimit (3)`).
    """

    success_condition: str | None = None
    failure_condition: str | None = None
    breach: str | None = None

    def to_dict(self) -> dict[str, Any]:
        record = super().to_dict()
        judged = {
            "successCondition": self.success_condition,
            "failureCondition": self.failure_condition,
            "breach": self.breach,
        }
        record.update({key: value for key, value in judged.items() if value is not None})
        return record


def breach_of(metric: Metric, tally: MetricTally, phase: Phase) -> str | None:
    """The limit that completed `metric` in `phase`, or None when none did (it succeeded, or runs on).

    Past a limit, Argo's words; a count reached without `consecutiveSuccessLimit` successes in a row says so.
    """
    breach = limit_breach(metric, tally)
    if breach is not None:
        return breach.message
    csl, count = metric.consecutive_success_limit, metric.effective_count
    if phase in (Phase.FAILED, Phase.INCONCLUSIVE) and csl > 0 and count is not None:
        return (
            f"consecutiveSuccess ({tally.consecutive_success}) < consecutiveSuccessLimit ({csl}) "
            f"after count ({tally.count})"
        )
    return None
