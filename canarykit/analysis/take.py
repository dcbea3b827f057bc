"""Taking one measurement: ask the provider, judge the value, never let a fault escape."""

from __future__ import annotations

import logging
from collections.abc import Callable

from canarykit.analysis.evaluate import Outcome, evaluate_result
from canarykit.analysis.measurement import Measurement
from canarykit.analysis.metric import Metric
from canarykit.analysis.phases import Phase
from canarykit.clock import Clock
from canarykit.providers.base import MetricProvider, Observation
from canarykit.values import preview

log = logging.getLogger("canarykit.analysis")
PROVIDER_FAULT = "canarykit_provider_fault"
"""Set on the log record of a provider fault, so a program that prints measurements can leave it out."""


def take_measurement(metric: Metric, clock: Clock) -> Measurement:
    """Query `metric.provider` at the clock's now and judge the answer; provider faults become Error.

    Messages pass through the provider's `redact(text)` when it has one (an evaluation error can quote the
    value), then are cut to a bounded preview, as the log line is.
    """
    started = clock.now()
    redact = _redaction(metric.provider)
    try:
        observation = metric.provider.measure(metric.query, started)
    except Exception as fault:  # a provider fault is a measurement, never a crash of the run
        message = preview(redact(_describe(fault)))
        log.warning("metric %s: provider fault: %s", metric.name, message, extra={PROVIDER_FAULT: True})
        return Measurement(Phase.ERROR, started, clock.now(), message=message)
    outcome = _judge(metric, observation)
    return Measurement(
        phase=outcome.phase,
        started_at=started,
        finished_at=clock.now(),
        value=observation.text,
        message=redact(outcome.message),
        metadata=observation.metadata,
        result=observation.value,
    )


def _judge(metric: Metric, observation: Observation) -> Outcome:
    """The provider's own verdict when it gives one (conditions unused, as for Argo's Jobs), else theirs."""
    if observation.phase is None:
        return evaluate_result(observation.value, metric.success_condition, metric.failure_condition)
    phase = Phase(observation.phase)
    if not phase.completed:
        return Outcome(Phase.ERROR, f"the provider gave an unfinished phase ({phase})")
    return Outcome(phase, observation.message)


def _redaction(provider: MetricProvider) -> Callable[[str], str]:
    """The provider's `redact(text)`, or no change for providers without one."""
    redact = getattr(provider, "redact", None)
    return redact if callable(redact) else _unchanged


def _unchanged(text: str) -> str:
    return text


def _describe(fault: Exception) -> str:
    return str(fault) or type(fault).__name__
