"""Argo's assessment rules as pure functions: a metric's phase from its tally, a run's from its metrics."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from canarykit.analysis.measurement import Measurement, MetricTally
from canarykit.analysis.metric import Metric
from canarykit.analysis.phases import Phase, is_worse


@dataclass(frozen=True)
class Breach:
    """A limit the metric went past: the phase it forces and Argo's message for it."""

    phase: Phase
    message: str


def limit_breach(metric: Metric, tally: MetricTally) -> Breach | None:
    """Which limit is exceeded, if any; a later rule overrides an earlier one, as in Argo."""
    breach: Breach | None = None
    if metric.failure_limit >= 0 and tally.failed > metric.failure_limit:
        breach = Breach(Phase.FAILED, f"failed ({tally.failed}) > failureLimit ({metric.failure_limit})")
    if tally.inconclusive > metric.inconclusive_limit:
        message = f"inconclusive ({tally.inconclusive}) > inconclusiveLimit ({metric.inconclusive_limit})"
        breach = Breach(Phase.INCONCLUSIVE, message)
    if tally.consecutive_error > metric.consecutive_error_limit:
        message = (
            f"consecutiveErrors ({tally.consecutive_error}) > "
            f"consecutiveErrorLimit ({metric.consecutive_error_limit})"
        )
        breach = Breach(Phase.ERROR, message)
    return breach


def assess_metric(
    metric: Metric, tally: MetricTally, measurements: Sequence[Measurement], terminating: bool
) -> Phase:
    """A metric's phase after its latest measurement (Argo's `assessMetricStatus`)."""
    if not measurements:
        return Phase.SUCCESSFUL if terminating else Phase.PENDING
    breach = limit_breach(metric, tally)
    if breach is not None:
        return breach.phase
    csl = metric.consecutive_success_limit
    if csl > 0 and tally.consecutive_success >= csl:
        return Phase.SUCCESSFUL
    if metric.settled is not None and metric.settled(measurements):
        return Phase.SUCCESSFUL
    count = metric.effective_count
    if count is not None and tally.count >= count:
        return _count_reached(metric)
    return Phase.SUCCESSFUL if terminating else Phase.RUNNING


def _count_reached(metric: Metric) -> Phase:
    if metric.consecutive_success_limit > 0:
        return Phase.INCONCLUSIVE if metric.failure_limit >= 0 else Phase.FAILED
    return Phase.SUCCESSFUL


@dataclass(frozen=True)
class MetricState:
    """What the run assessment needs of one metric."""

    metric: Metric
    phase: Phase
    tally: MetricTally
    message: str
    measured: bool


def assess_run(states: Sequence[MetricState], terminating: bool, terminated: bool) -> tuple[Phase, str]:
    """The run's phase and message from its metrics (Argo's `assessRunStatus`).

    `terminating` stops the run now (termination asked for, or a metric already failed); `terminated` is
    the explicit request, which makes the default message "Run Terminated".
    """
    worst: Phase | None = None
    message = "Run Terminated" if terminated else ""
    all_completed = True
    for state in states:
        if not state.measured or not state.phase.completed:
            all_completed = False
            continue
        if state.metric.dry_run:
            worst = worst or Phase.SUCCESSFUL
            continue
        if worst is None or is_worse(worst, state.phase):
            worst = state.phase
            message = _metric_message(state) or message
    if terminating:
        return (worst or Phase.SUCCESSFUL), message.strip()
    if not all_completed or worst is None:
        return Phase.RUNNING, ""
    return worst, message.strip()


def _metric_message(state: MetricState) -> str:
    breach = limit_breach(state.metric, state.tally)
    if breach is None:
        return ""
    text = f'Metric "{state.metric.name}" assessed {state.phase.value} due to {breach.message}'
    if state.message:
        text += f': "Error Message: {state.message}"'
    return text


def dry_run_message(state: MetricState) -> str:
    """The message Argo puts on a dry-run metric that went past a limit."""
    breach = limit_breach(state.metric, state.tally)
    return f"Metric assessed {state.phase.value} due to {breach.message}" if breach else state.message
