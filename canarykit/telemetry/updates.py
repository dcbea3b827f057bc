"""How an event, and the rollout's status when it is delivered, change a `RolloutState`."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from canarykit.analysis import AnalysisResult
from canarykit.rollout import events as ev
from canarykit.rollout.status import RolloutPhase
from canarykit.telemetry.state import AnalysisState, RolloutState, numeric_value

if TYPE_CHECKING:
    from canarykit.rollout.orchestrator import Rollout

WARNINGS = (ev.Aborted, ev.RolledBack, ev.ListenerFailed)
"""Events counted with `type="Warning"`; the others are `Normal` (Kubernetes' two event types)."""
ANALYSIS_EVENTS = (ev.MeasurementTaken, ev.AnalysisCompleted, ev.Aborted, ev.Promoted, ev.RolledBack)
"""Events after which analysis phases may have changed (a measurement, a verdict, runs terminated)."""


def count_event(state: RolloutState, event: ev.Event) -> None:
    """The counters and the step-duration histogram an event moves."""
    kind = "Warning" if isinstance(event, WARNINGS) else "Normal"
    state.events[kind, type(event).__name__] += 1
    if isinstance(event, ev.MeasurementTaken) and event.measurement is not None:
        measurement = event.measurement
        state.measurements[event.analysis, event.metric, measurement.phase.value] += 1
        value = numeric_value(measurement.result)
        if value is not None:
            state.values[event.analysis, event.metric] = value
    elif isinstance(event, ev.AnalysisCompleted):
        state.verdicts[event.phase] += 1
    elif isinstance(event, ev.Promoted):
        state.completed[RolloutPhase.HEALTHY.value] += 1
    elif isinstance(event, ev.RolledBack):
        state.completed[RolloutPhase.DEGRADED.value] += 1
    _time_steps(state, event)


def _time_steps(state: RolloutState, event: ev.Event) -> None:
    """A step's duration runs from its `StepStarted` to its `StepCompleted` (the rollout's clock)."""
    if isinstance(event, ev.StepStarted):
        state.step_started[event.index] = event.time
    elif isinstance(event, ev.StepCompleted) and event.index in state.step_started:
        state.step_seconds.observe(max(0.0, event.time - state.step_started.pop(event.index)))


def read_status(state: RolloutState, rollout: Rollout) -> None:
    """Phase, version, step (1-based), steps and weight from the rollout's status as it is now."""
    status = rollout.status
    if status is None:
        return
    steps = len(rollout.plan)
    state.phase, state.version = status.phase.value, status.version
    state.steps, state.steps_completed = steps, min(status.step_index, steps)
    state.step = min(status.step_index + 1, steps)
    state.weight, state.max_weight = status.weight, rollout.max_weight


def read_analyses(state: RolloutState, results: Iterable[AnalysisResult]) -> None:
    """Each analysis run's phase and its metrics' phases, as the run reports them now."""
    state.analyses = {
        result.name: AnalysisState(
            result.phase.value,
            {metric.name: (metric.phase.value, metric.dry_run) for metric in result.metrics},
        )
        for result in results
    }
