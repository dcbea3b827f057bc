"""The metric families of canarykit's rollouts, built from their states at scrape time (docs/metrics.md).

Names follow Argo Rollouts' controller metrics (`rollout_info`, `rollout_phase`, `analysis_run_info`,
`analysis_run_phase`, `analysis_run_metric_phase`, `rollout_events_total`) with a `canarykit_` prefix, and
Prometheus' conventions: snake_case, `_total` on counters, `_seconds` for durations, `_ratio` for 0..1.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from canarykit.analysis import Phase
from canarykit.rollout.status import RolloutPhase
from canarykit.telemetry.state import RolloutState

if TYPE_CHECKING:
    from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
    from prometheus_client.metrics_core import Metric

PREFIX = "canarykit_"
ROLLOUT = ["namespace", "name"]
ANALYSIS = [*ROLLOUT, "analysis"]
METRIC = [*ANALYSIS, "metric"]
ROLLOUT_PHASES = [phase.value for phase in RolloutPhase]
ANALYSIS_PHASES = [phase.value for phase in Phase]
HELP = {
    "rollout_info": "Information about the rollout: its phase and version (always 1).",
    "rollout_phase": "1 for the rollout's current phase, 0 for the others.",
    "rollout_step": "The step in progress, 1-based (the last one once all are done).",
    "rollout_steps": "The number of steps in the rollout's plan.",
    "rollout_steps_completed": "Steps completed so far.",
    "rollout_canary_weight": "The canary's traffic weight, of the router's full weight (100 by default).",
    "rollout_canary_weight_ratio": "The canary's share of traffic, 0 to 1.",
    "analysis_run_info": "Information about an analysis run: its phase (always 1).",
    "analysis_run_phase": "1 for the analysis run's current phase, 0 for the others.",
    "analysis_run_metric_phase": "1 for the metric's current phase in the analysis run, 0 for the others.",
    "analysis_run_metric_value": "The metric's last numeric measurement (a vector's first element).",
    "analysis_run_measurements_total": "Measurements taken, by the phase each was judged.",
    "analysis_run_verdicts_total": "Analysis runs completed, by their phase.",
    "rollouts_completed_total": "Rollouts ended: Healthy once promoted, Degraded once back on stable.",
    "rollout_events_total": "Events the rollout emitted, by type (Normal, Warning) and reason (event kind).",
    "rollout_step_duration_seconds": "How long steps took from start to completion, on the rollout's clock.",
}


def families(states: Iterable[RolloutState]) -> Iterator[Metric]:
    """Every family with at least one sample, for all `states`."""
    states = list(states)
    for build in (_rollout_gauges, _analysis_gauges, _counters, _step_seconds):
        for family in build(states):
            if family.samples:
                yield family


def _gauge(name: str, labels: list[str]) -> GaugeMetricFamily:
    from prometheus_client.core import GaugeMetricFamily

    return GaugeMetricFamily(PREFIX + name, HELP[name], labels=labels)


def _counter(name: str, labels: list[str]) -> CounterMetricFamily:
    from prometheus_client.core import CounterMetricFamily

    return CounterMetricFamily(PREFIX + name, HELP[name], labels=labels)


def _rollout_gauges(states: list[RolloutState]) -> list[Metric]:
    info, phase = (
        _gauge("rollout_info", [*ROLLOUT, "phase", "version"]),
        _gauge("rollout_phase", [*ROLLOUT, "phase"]),
    )
    step, steps, done = (
        _gauge(name, ROLLOUT) for name in ("rollout_step", "rollout_steps", "rollout_steps_completed")
    )
    weight, ratio = _gauge("rollout_canary_weight", ROLLOUT), _gauge("rollout_canary_weight_ratio", ROLLOUT)
    for state in (state for state in states if state.phase):
        info.add_metric([*state.labels, state.phase, state.version], 1)
        for name in ROLLOUT_PHASES:
            phase.add_metric([*state.labels, name], float(name == state.phase))
        step.add_metric(state.labels, state.step)
        steps.add_metric(state.labels, state.steps)
        done.add_metric(state.labels, state.steps_completed)
        weight.add_metric(state.labels, state.weight)
        ratio.add_metric(state.labels, state.weight / state.max_weight)
    return [info, phase, step, steps, done, weight, ratio]


def _analysis_gauges(states: list[RolloutState]) -> list[Metric]:
    info, phase = (
        _gauge("analysis_run_info", [*ANALYSIS, "phase"]),
        _gauge("analysis_run_phase", [*ANALYSIS, "phase"]),
    )
    metric_phase = _gauge("analysis_run_metric_phase", [*METRIC, "dry_run", "phase"])
    value = _gauge("analysis_run_metric_value", METRIC)
    for state in states:
        for analysis, run in sorted(state.analyses.items()):
            labels = [*state.labels, analysis]
            info.add_metric([*labels, run.phase], 1)
            for name in ANALYSIS_PHASES:
                phase.add_metric([*labels, name], float(name == run.phase))
            for metric, (current, dry_run) in sorted(run.metrics.items()):
                for name in ANALYSIS_PHASES:
                    metric_phase.add_metric(
                        [*labels, metric, str(dry_run).lower(), name], float(name == current)
                    )
        for (analysis, metric), last in sorted(state.values.items()):
            value.add_metric([*state.labels, analysis, metric], last)
    return [info, phase, metric_phase, value]


def _counters(states: list[RolloutState]) -> list[Metric]:
    measurements = _counter("analysis_run_measurements_total", [*METRIC, "phase"])
    verdicts = _counter("analysis_run_verdicts_total", [*ROLLOUT, "phase"])
    completed = _counter("rollouts_completed_total", [*ROLLOUT, "phase"])
    events = _counter("rollout_events_total", [*ROLLOUT, "type", "reason"])
    for state in states:
        for (analysis, metric, phase), count in sorted(state.measurements.items()):
            measurements.add_metric([*state.labels, analysis, metric, phase], count)
        for phase, count in sorted(state.verdicts.items()):
            verdicts.add_metric([*state.labels, phase], count)
        for phase, count in sorted(state.completed.items()):
            completed.add_metric([*state.labels, phase], count)
        for (kind, reason), count in sorted(state.events.items()):
            events.add_metric([*state.labels, kind, reason], count)
    return [measurements, verdicts, completed, events]


def _step_seconds(states: list[RolloutState]) -> list[Metric]:
    from prometheus_client.core import HistogramMetricFamily

    name = "rollout_step_duration_seconds"
    family = HistogramMetricFamily(PREFIX + name, HELP[name], labels=ROLLOUT)
    for state in states:
        if state.step_seconds.count:
            family.add_metric(state.labels, state.step_seconds.cumulative(), state.step_seconds.total)
    return [family]
