"""Carrying out a blue-green release's phases, and its promotion (Argo's `rolloutBlueGreen` order).

The active side moves through the router: `set_weight(0)` is stable (the old active version),
`set_weight(max_weight)` the new version, never in between. The preview moves with `set_preview`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from canarykit.errors import SpecError
from canarykit.rollout import events as ev
from canarykit.rollout import step_actions
from canarykit.rollout.completion import remove_canary_when_due
from canarykit.rollout.preview import show_preview, switched
from canarykit.rollout.rollback import retry
from canarykit.rollout.status import POLL, RolloutPhase
from canarykit.steps.bluegreen import BlueGreen
from canarykit.steps.bluegreen_phases import ANALYSIS_KINDS, PAUSE, PREVIEW, SWITCH, BlueGreenPhase

if TYPE_CHECKING:
    from canarykit.rollout.stepper import Stepper

BLUE_GREEN_PAUSE = "BlueGreenPause"
"""Argo's pause reason while a blue-green release waits to switch the active service."""


def reconcile_phase(stepper: Stepper, now: float, phase: BlueGreenPhase) -> float | None:
    """Work on the current phase; returns when to look again (`now` once it is done)."""
    if phase.kind == PREVIEW:
        return _preview(stepper, now)
    if phase.kind == PAUSE:
        strategy = strategy_of(stepper)
        delay = None if strategy.needs_manual_promotion else strategy.auto_promotion_delay_seconds
        return step_actions.hold(stepper, now, delay, BLUE_GREEN_PAUSE)
    if phase.kind == SWITCH:
        return _switch(stepper, now)
    assert phase.analysis is not None, phase
    suffix = "pre" if ANALYSIS_KINDS[phase.kind] == "PrePromotion" else "post"
    return step_actions.analysis_gate(stepper, now, phase.analysis, suffix, ANALYSIS_KINDS[phase.kind])


def _preview(stepper: Stepper, now: float) -> float | None:
    """The new version started at the preview's size; the preview points at it at once, as Argo's does."""
    workload = stepper.rollout.workload
    count = strategy_of(stepper).preview_replica_count
    ready = step_actions.canary_scaled(stepper, now, workload.replicas if count is None else count)
    if stepper.status.aborted:  # it timed out progressing
        return now
    show_preview(stepper, True)
    return step_actions.step_done(stepper, now) if ready else now + POLL


def _switch(stepper: Stepper, now: float) -> float | None:
    """The active switch phase: done once the switch is."""
    return step_actions.step_done(stepper, now) if switch_active(stepper, now) else _not_yet(stepper, now)


def switch_active(stepper: Stepper, now: float) -> bool:
    """The new version at full size and ready, then the active service onto it in one router call (Argo's
    `switchServiceSelector`); False while it is not ready yet (or timed out progressing)."""
    rollout, status = stepper.rollout, stepper.status
    if not step_actions.canary_scaled(stepper, now, rollout.workload.replicas):
        return False
    if status.weight != rollout.max_weight:
        stepper.set_weight(rollout.max_weight)
        switched(stepper, strategy_of(stepper).active_service, status.stable_version, status.version)
    return True


def _not_yet(stepper: Stepper, now: float) -> float:
    """When to look again at a new version that is not ready: at once if that aborted the rollout."""
    return now if stepper.status.aborted else now + POLL


def complete_blue_green(stepper: Stepper, now: float) -> float | None:
    """Promoted once active serves the new version and post-promotion analysis held; the old version goes
    after `scale_down_delay`: stable takes the new version, the active side moves onto it, the copy goes."""
    status, rollout = stepper.status, stepper.rollout
    if not status.promoted:
        if status.weight != rollout.max_weight:  # promote(full=True) before the switch
            return now if switch_active(stepper, now) else _not_yet(stepper, now)
        _promoted(stepper, now)
    assert status.scale_down_at is not None
    if now < status.scale_down_at:
        return status.scale_down_at
    workload = rollout.workload
    retry(lambda: workload.promote(status.version), rollout.clock, rollout.backoff, "promote")
    if not workload.stable_ready():
        return now + POLL
    stepper.set_weight(0)  # the active side onto stable, which now runs the new version
    show_preview(stepper, False)
    return remove_canary_when_due(stepper, now)


def _promoted(stepper: Stepper, now: float) -> None:
    """Healthy on the new version (Argo's `promoteStable`); the old version's scale-down delay starts."""
    status, rollout = stepper.status, stepper.rollout
    stepper.analyses.terminate()
    status.promoted = True
    status.phase, status.message = RolloutPhase.HEALTHY, ""
    status.scale_down_at = now + rollout.scale_down_delay
    stepper.save()
    why = "Full promotion requested" if status.promote_full else "Completed blue-green update"
    text = f"Rollout completed update to revision {status.revision}: {why}"
    rollout.emit(ev.Promoted, text, version=status.version)


def strategy_of(stepper: Stepper) -> BlueGreen:
    strategy = stepper.rollout.blue_green
    if strategy is None:
        raise SpecError(f"rollout {stepper.rollout.name!r} is not blue-green")
    return strategy
