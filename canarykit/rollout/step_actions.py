"""Carrying out one step of a plan: weights, pauses, step analyses, canary scale (Argo's step semantics)."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from canarykit.analysis import Phase
from canarykit.rollout import events as ev
from canarykit.rollout.analyses import resolve_metrics
from canarykit.rollout.bluegreen_actions import reconcile_phase
from canarykit.rollout.gate_actions import gate_step
from canarykit.rollout.header_routing import header_route_step
from canarykit.rollout.status import CANARY_PAUSE_STEP, POLL, RolloutPhase
from canarykit.steps import Analysis, Gate, Pause, Plan, SetCanaryScale, SetHeaderRoute, SetWeight
from canarykit.steps.bluegreen_phases import BlueGreenPhase
from canarykit.steps.kinds import MAX_WEIGHT

if TYPE_CHECKING:
    from canarykit.rollout.stepper import Stepper


def reconcile_step(stepper: Stepper, now: float) -> float | None:
    """Work on the current step; returns when to look again (`now` when the step is done)."""
    status = stepper.status
    step = stepper.rollout.plan[status.step_index]
    if stepper.started_step != status.step_index:
        stepper.started_step = status.step_index
        status.progress_since = now
        total = len(stepper.rollout.plan)
        stepper.rollout.emit(  # 1-based, as Argo's "Rollout step 1/6 completed"; `index` stays 0-based
            ev.StepStarted, f"Step {status.step_index + 1}/{total} started: {step!r}", index=status.step_index
        )
    if isinstance(step, SetWeight):
        return _set_weight_step(stepper, now, step.weight)
    if isinstance(step, Pause):
        return _pause_step(stepper, now, step)
    if isinstance(step, Analysis):
        return _analysis_step(stepper, now, step)
    if isinstance(step, SetHeaderRoute):
        return _header_route_step(stepper, now, step)
    if isinstance(step, BlueGreenPhase):
        return reconcile_phase(stepper, now, step)
    if isinstance(step, Gate):
        return gate_step(stepper, now, step)
    return _scale_step(stepper, now, step)


def _set_weight_step(stepper: Stepper, now: float, weight: int) -> float | None:
    rollout = stepper.rollout
    if not canary_scaled(stepper, now, _replicas_for(weight, rollout.workload.replicas, rollout.max_weight)):
        return now + POLL
    stepper.set_weight(weight)
    return step_done(stepper, now)


def _scale_step(stepper: Stepper, now: float, step: SetCanaryScale) -> float | None:
    total = stepper.rollout.workload.replicas
    weight = stepper.status.weight if step.match_traffic_weight else step.weight
    max_weight = stepper.rollout.max_weight
    replicas = step.replicas if step.replicas is not None else _replicas_for(weight or 0, total, max_weight)
    return step_done(stepper, now) if canary_scaled(stepper, now, replicas) else now + POLL


def _replicas_for(weight: int, total: int, max_weight: int) -> int:
    """Canary replicas for `weight` out of `max_weight`, of `total`, rounded up (Argo's rounding)."""
    return math.ceil(weight * total / max_weight)


def canary_scaled(stepper: Stepper, now: float, replicas: int) -> bool:
    """The canary started (once per driver), asked for `replicas`, and ready; aborts past the deadline."""
    workload = stepper.rollout.workload
    if not stepper.canary_ensured:  # once per driver: start_canary finds the canary after a resume
        workload.start_canary(stepper.status.version)
        stepper.canary_ensured = stepper.status.canary_started = True
        stepper.save()
    workload.scale_canary(replicas)
    if workload.canary_ready():
        return True
    stepper.status.message = "updated replicas are still becoming available"
    since = stepper.status.progress_since or now
    if now - since > stepper.rollout.progress_deadline:
        stepper.abort(f'Canary "{stepper.rollout.name}" has timed out progressing.')
    return False


def _header_route_step(stepper: Stepper, now: float, step: SetHeaderRoute) -> float | None:
    header_route_step(stepper, step)
    return step_done(stepper, now)


def _pause_step(stepper: Stepper, now: float, step: Pause) -> float | None:
    return hold(stepper, now, step.seconds, CANARY_PAUSE_STEP)


def hold(stepper: Stepper, now: float, seconds: float | None, reason: str) -> float | None:
    """Pause for `reason`, then end the step after `seconds` (None: only `promote()` ends it)."""
    status = stepper.status
    if status.pause_started_at is None:
        status.pause_started_at = now
        stepper.pause(reason)
    if seconds is None:
        return now + POLL
    end = status.pause_started_at + seconds
    return step_done(stepper, now) if now >= end else end


def _analysis_step(stepper: Stepper, now: float, step: Analysis) -> float | None:
    return analysis_gate(stepper, now, step, str(stepper.status.step_index), "Step")


def analysis_gate(stepper: Stepper, now: float, step: Analysis, suffix: str, kind: str) -> float | None:
    """Run `step`'s analysis as `<rollout>-<revision>-<suffix>`; the step is done once it succeeds."""
    analyses = stepper.analyses
    if analyses.step_run is None:
        name = f"{stepper.rollout.name}-{stepper.status.revision}-{suffix}"
        metrics = resolve_metrics(step.source, step.args, stepper.rollout.prometheus)
        analyses.step_run = analyses.start(metrics, name)
    wake = analyses.step_run.advance()
    if not analyses.step_run.completed:
        return wake
    run, analyses.step_run = analyses.step_run, None
    analyses.done(run, kind)
    return step_done(stepper, now) if run.phase is Phase.SUCCESSFUL else now


def set_weight_at(plan: Plan, index: int, max_weight: int = MAX_WEIGHT) -> int:
    """Argo's `GetCurrentSetWeight`: the last SetWeight at or before `index` (`max_weight` past the last)."""
    if index >= len(plan):
        return max_weight
    weights = [step.weight for step in plan[: index + 1] if isinstance(step, SetWeight)]
    return weights[-1] if weights else 0


def step_done(stepper: Stepper, now: float, reason: str = "", detail: str = "") -> float:
    """End the current step; `reason` ("cleared", "timed out") and `detail` say why, when not the usual."""
    status = stepper.status
    total = len(stepper.rollout.plan)
    status.step_index += 1
    status.pause_started_at, status.pause_reason = None, None
    status.phase, status.message = RolloutPhase.PROGRESSING, "waiting for all steps to complete"
    stepper.save()
    stepper.rollout.emit(
        ev.StepCompleted,
        f"Rollout step {status.step_index}/{total} completed" + (f" ({detail})" if detail else ""),
        index=status.step_index - 1,
        reason=reason,
    )
    return now
