"""Carrying out a `Gate` step: hold the weight until the background analysis' judges clear the canary.

The gate's opening time is the record's `pause_started_at` (the phase stays Progressing, with no pause
reason), so a restarted driver continues the same gate; a gate that timed out with `on_timeout="pause"` is
paused with `GATE_TIMED_OUT`, which only `promote()` ends.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from canarykit.analysis import Metric, MetricResult
from canarykit.durations import short_duration
from canarykit.rollout import events as ev
from canarykit.rollout import step_actions
from canarykit.rollout.gate_checks import is_judge
from canarykit.rollout.status import POLL, RolloutPhase
from canarykit.steps import Gate

if TYPE_CHECKING:
    from canarykit.rollout.analysis_runs import RolloutAnalyses
    from canarykit.rollout.stepper import Stepper

GATE_TIMED_OUT = "GateTimedOut"
"""Pause reason of a gate that reached its `max` undecided with `on_timeout="pause"`."""
CLEARED, TIMED_OUT = "cleared", "timed out"
"""`StepCompleted.reason` of a gate the judges cleared, and of one that went on at its `max`."""


def gate_step(stepper: Stepper, now: float, step: Gate) -> float | None:
    """Work on a gate; returns when to look again (measurements wake the driver earlier)."""
    status = stepper.status
    if status.pause_reason == GATE_TIMED_OUT:
        return now + POLL
    if status.pause_started_at is None:
        _open(stepper, now, step)
    opened = status.pause_started_at
    assert opened is not None
    elapsed = now - opened
    if elapsed >= step.min_seconds and judges_cleared(stepper.analyses):
        detail = "cleared by the judges" + (f" after {short_duration(elapsed)}" if elapsed >= 1 else "")
        return step_actions.step_done(stepper, now, CLEARED, detail)
    if elapsed >= step.max_seconds:
        return _time_out(stepper, now, step)
    return opened + (step.min_seconds if elapsed < step.min_seconds else step.max_seconds)


def _open(stepper: Stepper, now: float, step: Gate) -> None:
    status = stepper.status
    status.pause_started_at = now
    status.message = (
        f"waiting for the judges to clear the canary (at most {short_duration(step.max_seconds)})"
    )
    stepper.save()


def _time_out(stepper: Stepper, now: float, step: Gate) -> float:
    """`max` reached undecided: go on, pause until promoted, or roll back."""
    status = stepper.status
    took = short_duration(step.max_seconds)
    if step.on_timeout == "promote":
        return step_actions.step_done(stepper, now, TIMED_OUT, f"timed out undecided after {took}: went on")
    where = f"Gate at step {status.step_index + 1}/{len(stepper.rollout.plan)}"
    if step.on_timeout == "rollback":
        stepper.abort(f"{where} timed out undecided after {took}")
        return now
    text = f"{where} timed out undecided after {took}: paused until promoted"
    status.pause_reason, status.phase, status.message = GATE_TIMED_OUT, RolloutPhase.PAUSED, text
    stepper.save()
    stepper.rollout.emit(ev.Paused, f"paused: {text}", reason=GATE_TIMED_OUT)
    return now + POLL


def judges_cleared(analyses: RolloutAnalyses) -> bool:
    """Every judge of the background analysis has passed (or the whole analysis completed Successful)."""
    if analyses.background_done:
        return True
    run = analyses.background
    if run is None:
        return False
    judged = [
        (metric, result)
        for metric, result in zip(run.metrics, run.result().metrics, strict=True)
        if is_judge(metric)
    ]
    return bool(judged) and all(_passed(metric, result) for metric, result in judged)


def _passed(metric: Metric, result: MetricResult) -> bool:
    return metric.settled is not None and metric.settled(result.measurements)
