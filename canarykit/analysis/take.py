"""Taking one measurement: ask the provider, judge the value, never let a fault escape."""

from __future__ import annotations

import logging

from canarykit.analysis.evaluate import evaluate_result
from canarykit.analysis.measurement import Measurement
from canarykit.analysis.metric import Metric
from canarykit.analysis.phases import Phase
from canarykit.clock import Clock

log = logging.getLogger("canarykit.analysis")


def take_measurement(metric: Metric, clock: Clock) -> Measurement:
    """Query `metric.provider` at the clock's now and judge the answer; provider faults become Error."""
    started = clock.now()
    try:
        observation = metric.provider.measure(metric.query, started)
    except Exception as fault:  # a provider fault is a measurement, never a crash of the run
        log.warning("metric %s: provider fault: %s", metric.name, fault)
        return Measurement(Phase.ERROR, started, clock.now(), message=_describe(fault))
    outcome = evaluate_result(observation.value, metric.success_condition, metric.failure_condition)
    return Measurement(
        phase=outcome.phase,
        started_at=started,
        finished_at=clock.now(),
        value=observation.text,
        message=outcome.message,
        metadata=observation.metadata,
        result=observation.value,
    )


def _describe(fault: Exception) -> str:
    return str(fault) or type(fault).__name__
