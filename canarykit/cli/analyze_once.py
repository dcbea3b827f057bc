"""`canarykit analyze --once`: one measurement per metric, judged together as one verdict.

The verdict is an `AnalysisResult` of the same shape as a whole run's (`--output json` prints both alike):
its phase is the worst measurement's (Error > Failed > Inconclusive > Successful) and its message names the
metric that set it, with the value and conditions that judged it. An Error's own message (a Prometheus fault,
say) is in that metric's result and on its measurement line, printed once, not repeated in the verdict.
"""

from __future__ import annotations

from collections.abc import Callable

from canarykit.analysis import AnalysisResult, Measurement, Metric, MetricTally, Phase
from canarykit.analysis.result import JudgedMetricResult
from canarykit.analysis.take import take_measurement
from canarykit.clock import Clock

RANK = (Phase.SUCCESSFUL, Phase.INCONCLUSIVE, Phase.FAILED, Phase.ERROR)
MeasurementPrinter = Callable[[Metric, Measurement], None]


def judge_once(name: str, metrics: list[Metric], clock: Clock, show: MeasurementPrinter) -> AnalysisResult:
    """Measure each metric once (showing each measurement as it comes), then judge them together."""
    started = clock.now()
    taken = []
    for metric in metrics:
        measurement = take_measurement(metric, clock)
        show(metric, measurement)
        taken.append((metric, measurement))
    worst = max(taken, key=lambda pair: RANK.index(pair[1].phase), default=None)
    phase = Phase.SUCCESSFUL if worst is None else worst[1].phase
    message = _message(len(taken)) if worst is None or phase is Phase.SUCCESSFUL else _message_of(*worst)
    results = tuple(_metric_result(metric, measurement) for metric, measurement in taken)
    return AnalysisResult(name, phase, message, started, clock.now(), results)


def _message(count: int) -> str:
    return f"{count} metric{'' if count == 1 else 's'} measured Successful"


def _message_of(metric: Metric, measurement: Measurement) -> str:
    """`Metric "x" measured Failed: value [0.8] (successCondition: result[0] > 0.90)`."""
    said = f'Metric "{metric.name}" measured {measurement.phase.value}'
    if measurement.phase is Phase.ERROR:
        return said  # the fault itself is on the measurement's line, and in the metric's result
    return f"{said}: value {measurement.value or '-'}{_conditions(metric)}"


def _conditions(metric: Metric) -> str:
    conditions = [
        f"{kind}: {condition.source}"
        for kind, condition in (
            ("successCondition", metric.success_condition),
            ("failureCondition", metric.failure_condition),
        )
        if condition is not None
    ]
    return f" ({'; '.join(conditions)})" if conditions else ""


def _metric_result(metric: Metric, measurement: Measurement) -> JudgedMetricResult:
    tally = MetricTally()
    tally.record(measurement.phase)
    return JudgedMetricResult(
        metric.name,
        measurement.phase,
        measurement.message,
        tally,
        (measurement,),
        metric.dry_run,
        metric.query,
        success_condition=None if metric.success_condition is None else metric.success_condition.source,
        failure_condition=None if metric.failure_condition is None else metric.failure_condition.source,
    )
