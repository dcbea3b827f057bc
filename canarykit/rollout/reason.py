"""Why a rollout did not end Healthy: the deciding metric, its last value, the condition (or a judge's
figures) and the limit crossed, or who aborted it. Argo's message stays as it is; this is what its users ask
for beside it (argo-rollouts #2741, #3008)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from canarykit.analysis import AnalysisResult, Measurement, MetricResult, Phase
from canarykit.analysis.phases import is_worse
from canarykit.analysis.result import JudgedMetricResult
from canarykit.rollout import events as ev
from canarykit.rollout.status import ANALYSIS_FAILED, INCONCLUSIVE_ANALYSIS

NO_REASON_GIVEN = "abort() without a reason"


@dataclass(frozen=True)
class JudgeFigures:
    """What a canary-vs-stable judge saw at its last measurement: each side's rate and counts (bad/all),
    the e-value against its threshold, and the judge's own words (`verdict`)."""

    canary_rate: str
    stable_rate: str
    canary: str
    stable: str
    e_value: str
    threshold: str
    verdict: str

    def __str__(self) -> str:
        return (
            f"{self.verdict}: canary rate {self.canary_rate} ({self.canary}) vs stable {self.stable_rate} "
            f"({self.stable}), e-value {self.e_value} against threshold {self.threshold}"
        )


@dataclass(frozen=True)
class RolloutReason:
    """Why a rollout stopped: the deciding `metric` of `analysis` and its last measurement, or `aborted_by`.

    `phase` is the metric's (Failed, Error or Inconclusive); `value` its last measurement's value;
    `condition` the condition that decided it (`successCondition "result[0] >= 0.95" not met`); `judge`
    a judge's figures instead; `error` an Error measurement's message; `limit` the limit crossed, in Argo's
    words (`failed (4) > failureLimit (3)`). When no metric decided, `aborted_by` says who or what aborted.
    """

    metric: str | None = None
    analysis: str | None = None
    phase: str | None = None
    value: str | None = None
    condition: str | None = None
    judge: JudgeFigures | None = None
    error: str | None = None
    limit: str | None = None
    aborted_by: str | None = None

    def __str__(self) -> str:
        if self.metric is None:
            return f"aborted: {self.aborted_by}"
        details = [_measured(self), str(self.judge) if self.judge else "", self.limit or ""]
        head = f'metric "{self.metric}" of analysis "{self.analysis}" assessed {self.phase}'
        return f"{head}: " + "; ".join(part for part in details if part)

    def to_dict(self) -> dict[str, Any]:
        """The fields that are set, camelCase (`abortedBy`, `judge.canaryRate`...), for the audit record."""
        return _camel({key: value for key, value in asdict(self).items() if value is not None})


def _camel(fields: dict[str, Any]) -> dict[str, Any]:
    def name(key: str) -> str:
        head, *rest = key.split("_")
        return head + "".join(part.title() for part in rest)

    return {name(key): _camel(value) if isinstance(value, dict) else value for key, value in fields.items()}


def _measured(reason: RolloutReason) -> str:
    if reason.error:
        return f"last error: {reason.error}"
    value = f"last value {reason.value}" if reason.value else ""
    if reason.condition:
        return f"{value}: {reason.condition}" if value else reason.condition
    return value


def reason_of(
    healthy: bool, message: str, analyses: Sequence[AnalysisResult], events: Sequence[ev.Event]
) -> RolloutReason | None:
    """The reason of a result: None when Healthy or when nothing stopped the rollout (yet)."""
    if healthy:
        return None
    stop = _last_stop(events)
    analysis = _stopping_analysis(analyses, events, stop) or _named_in(analyses, message)
    metric = _deciding_metric(analysis) if analysis is not None else None
    if analysis is not None and metric is not None:
        return metric_reason(analysis.name, metric)
    abort = events[stop] if stop is not None else None
    if isinstance(abort, ev.Aborted):
        return RolloutReason(aborted_by=abort.reason or NO_REASON_GIVEN)
    return None


def _last_stop(events: Sequence[ev.Event]) -> int | None:
    """The index of the last abort, or pause for an analysis, among `events`."""
    pauses = (INCONCLUSIVE_ANALYSIS, ANALYSIS_FAILED)
    stops = [
        index
        for index, event in enumerate(events)
        if isinstance(event, ev.Aborted) or (isinstance(event, ev.Paused) and event.reason in pauses)
    ]
    return stops[-1] if stops else None


def _stopping_analysis(
    analyses: Sequence[AnalysisResult], events: Sequence[ev.Event], stop: int | None
) -> AnalysisResult | None:
    """The analysis whose completion came just before the stop (the same reconcile), if it did not succeed."""
    if not stop:  # None, or nothing before it
        return None
    completed = events[stop - 1]
    if not isinstance(completed, ev.AnalysisCompleted) or completed.phase == Phase.SUCCESSFUL.value:
        return None
    found = [analysis for analysis in analyses if analysis.name == completed.analysis]
    return found[-1] if found else None


def _named_in(analyses: Sequence[AnalysisResult], message: str) -> AnalysisResult | None:
    """An analysis that did not succeed and whose message the rollout's message quotes (after a resume,
    when the events before it are gone)."""
    found = [
        analysis
        for analysis in analyses
        if analysis.phase.completed and not analysis.successful and analysis.message in message
    ]
    return found[-1] if found else None


def _deciding_metric(analysis: AnalysisResult) -> MetricResult | None:
    """The metric Argo's message names, else the first worst one that is not a dry run."""
    judged = [
        m for m in analysis.metrics if not m.dry_run and m.phase.completed and m.phase is not Phase.SUCCESSFUL
    ]
    for metric in judged:
        if analysis.message.startswith(f'Metric "{metric.name}" assessed '):
            return metric
    worst: MetricResult | None = None
    for metric in judged:
        if worst is None or is_worse(worst.phase, metric.phase):
            worst = metric
    return worst


def metric_reason(analysis: str, metric: MetricResult) -> RolloutReason:
    """The reason `metric` of `analysis` gives, from its last measurement."""
    last = metric.measurements[-1] if metric.measurements else None
    judge = judge_figures(last.metadata) if last is not None else None
    error = last.message if last is not None and last.phase is Phase.ERROR else None
    return RolloutReason(
        metric=metric.name,
        analysis=analysis,
        phase=metric.phase.value,
        value=(last.value or None) if last is not None and judge is None else None,
        condition=None if judge is not None or last is None else _condition(metric, last),
        judge=judge,
        error=error or None,
        limit=metric.breach if isinstance(metric, JudgedMetricResult) else None,
    )


def _condition(metric: MetricResult, last: Measurement) -> str | None:
    """Which condition judged the last measurement as it did (Argo's `EvaluateResult` rules)."""
    if not isinstance(metric, JudgedMetricResult):
        return None
    success, failure = metric.success_condition, metric.failure_condition
    if last.phase is Phase.FAILED:
        return f'failureCondition "{failure}" held' if failure else f'successCondition "{success}" not met'
    if last.phase is Phase.INCONCLUSIVE and success and failure:
        return f'neither successCondition "{success}" nor failureCondition "{failure}" held'
    return None


def judge_figures(metadata: Mapping[str, str]) -> JudgeFigures | None:
    """A comparison judge's figures from its measurement's metadata (`canarykit.judges.session`)."""
    if "eFail" not in metadata or "canaryRate" not in metadata:
        return None
    passed = metadata.get("outcome") == "pass"
    return JudgeFigures(
        canary_rate=metadata["canaryRate"] or "-",
        stable_rate=metadata.get("stableRate") or "-",
        canary=f"{metadata.get('canaryBad', '?')}/{metadata.get('canaryRequests', '?')}",
        stable=f"{metadata.get('stableBad', '?')}/{metadata.get('stableRequests', '?')}",
        e_value=metadata.get("ePass", "?") if passed else metadata["eFail"],
        threshold=metadata.get("passThreshold" if passed else "failThreshold", "?"),
        verdict=metadata.get("reason") or metadata.get("outcome", ""),
    )
