"""A person's hand on a running rollout: `pause` (Argo's `spec.paused`) and `undo` (a fast-track rollback)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from canarykit.rollout import events as ev
from canarykit.rollout.completion import roll_back
from canarykit.rollout.status import MANUALLY_PAUSED, RolloutPhase

if TYPE_CHECKING:
    from canarykit.rollout.stepper import Stepper


def pause_by_user(stepper: Stepper) -> None:
    """Hold the rollout where it is: no step advances (background analysis goes on) until `promote`."""
    status = stepper.status
    if status.finished or status.aborted or status.undo_requested or status.paused:
        return
    stepper.commands += 1
    status.paused, status.phase, status.message = True, RolloutPhase.PAUSED, MANUALLY_PAUSED
    stepper.save()
    stepper.rollout.emit(ev.Paused, f"paused: {MANUALLY_PAUSED}", reason=MANUALLY_PAUSED)


def unpause(stepper: Stepper, now: float) -> None:
    """Clear a manual pause (not saved here: `promote` saves); the time spent paused is no progress."""
    status = stepper.status
    status.paused, status.progress_since = False, now
    if status.pause_reason is None:
        status.phase, status.message = RolloutPhase.PROGRESSING, "waiting for all steps to complete"


def undo(stepper: Stepper) -> None:
    """Go back to the stable version without steps or analysis: traffic to stable, the canary removed.

    Unlike an abort, the rollout ends Healthy on stable's version and the canary's is not rejected.
    """
    status = stepper.status
    if status.finished or status.aborted or status.promoted or status.undo_requested:
        return
    stepper.commands += 1
    stepper.analyses.terminate()
    status.undo_requested, status.paused, status.pause_reason = True, False, None
    status.phase = RolloutPhase.PROGRESSING
    status.message = f"rolling back to stable{_named(status.stable_version)}"
    stepper.save()
    stepper.rollout.emit(ev.Event, f"undo: {status.message}, skipping the remaining steps")


def reconcile_undo(stepper: Stepper, now: float) -> float | None:
    """Traffic to stable, the canary removed after the abort delay, then Healthy on the stable version."""
    status = stepper.status
    due = status.scale_down_at is not None and now >= status.scale_down_at
    if due:  # the rollback's last save records the outcome too
        status.version = status.stable_version or status.version
        status.phase, status.message, status.promoted = RolloutPhase.HEALTHY, "", True
        status.undo_requested = False
    wake = roll_back(stepper, now)
    if wake is None:
        text = f"Rollback to stable{_named(status.stable_version)} completed (undo)"
        stepper.rollout.emit(ev.Promoted, text, version=status.version)
    return wake


def _named(version: str) -> str:
    return f" {version!r}" if version else ""
