"""The two endings: promotion (full weight, promote, weight 0, canary removed) and rollback."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from canarykit.errors import SpecError
from canarykit.rollout import events as ev
from canarykit.rollout.header_routing import set_header_route
from canarykit.rollout.preview import show_preview, switched
from canarykit.rollout.rollback import Backoff, retry, return_traffic_to_stable
from canarykit.rollout.status import POLL, RolloutPhase
from canarykit.steps.kinds import MAX_WEIGHT

if TYPE_CHECKING:
    from canarykit.rollout.stepper import Stepper


def complete(stepper: Stepper, now: float) -> float | None:
    """Argo's order: full weight (100 or `max_weight`), stable takes the canary's version, weight 0,
    canary removed later.

    A promotion recorded without its scale-down time was interrupted on the way to weight 0: a resumed
    rollout sends weight 0 (again) and clears the header routes before setting it.
    """
    status, rollout = stepper.status, stepper.rollout
    if not status.promoted:
        if status.weight != rollout.max_weight:
            stepper.set_weight(rollout.max_weight)
            return now  # listeners see full weight before stable changes version
        workload = rollout.workload
        retry(lambda: workload.promote(status.version), rollout.clock, rollout.backoff, "promote")
        if not workload.stable_ready():
            return now + POLL
        stepper.analyses.terminate()
        status.promoted = True
        status.phase, status.message = RolloutPhase.HEALTHY, ""
    if status.scale_down_at is None:
        stepper.set_weight(0)
        clear_header_routes(stepper)
        status.scale_down_at = now + rollout.scale_down_delay
        stepper.save()
        rollout.emit(
            ev.Promoted, f"Rollout completed update to revision {status.revision}", version=status.version
        )
    return remove_canary_when_due(stepper, now)


def full_weight(router: object) -> int:
    """All traffic: 100, or the router's `max_weight` when it has one (Argo's maxTrafficWeight).

    A `max_weight` that is not a positive integer is refused (`SpecError`) before anything runs.
    """
    max_weight = getattr(router, "max_weight", None)
    if max_weight is None:
        return MAX_WEIGHT
    if isinstance(max_weight, bool) or not isinstance(max_weight, int) or max_weight < 1:
        name = type(router).__name__
        raise SpecError(f"{name}.max_weight must be a positive integer, got {max_weight!r}", "max_weight")
    return max_weight


def fast_track(stepper: Stepper, now: float) -> float | None:
    """Nothing to judge (a first deploy, or stable runs the version): promote with no steps or analysis."""
    status, rollout = stepper.status, stepper.rollout
    workload = rollout.workload
    retry(lambda: workload.promote(status.version), rollout.clock, rollout.backoff, "promote")
    if not workload.stable_ready():
        status.message = "updated replicas are still becoming available"
        return now + POLL
    status.promoted, status.finished, status.finished_at = True, True, now
    status.step_index = len(rollout.plan)
    status.phase, status.message = RolloutPhase.HEALTHY, ""
    stepper.save()
    rollout.emit(
        ev.Promoted,
        f"{status.version} promoted without steps (a first deploy, or stable runs it)",
        version=status.version,
    )
    return None


def roll_back(stepper: Stepper, now: float) -> float | None:
    """Traffic to stable first (confirmed, or `RollbackFailed`), then the canary removed after the delay."""
    status, rollout = stepper.status, stepper.rollout
    delay = rollout.abort_scale_down_delay
    if status.scale_down_at is None:
        was = status.weight
        send_traffic_to_stable(stepper, rollout.backoff)
        status.scale_down_at = rollout.clock.now() + (delay or 0)
        stepper.save()
        rollout.emit(ev.RolledBack, "traffic returned to stable", weight=0)
        if rollout.blue_green is not None and was:
            switched(stepper, rollout.blue_green.active_service, status.version, status.stable_version)
    if delay is None and status.aborted:  # blue-green's abort_scale_down_delay 0: the new version stays
        _leave_new_version(stepper, now)
        return None
    return remove_canary_when_due(stepper, now)


def _leave_new_version(stepper: Stepper, now: float) -> None:
    """Finish the rollback without removing the new version (Argo's `abortScaleDownDelaySeconds: 0`)."""
    status = stepper.status
    status.finished, status.finished_at = True, now
    stepper.save()
    stepper.rollout.emit(ev.Event, f"{status.version} left running: abort_scale_down_delay is 0 (never)")


def send_traffic_to_stable(stepper: Stepper, backoff: Backoff) -> None:
    """Weight 0 confirmed and header routes gone, then the rollback hooks; what failed goes on record.

    A failure is saved in `status.unconfirmed` (the record says what is not known) and raised.
    """
    status, rollout = stepper.status, stepper.rollout
    try:
        return_traffic_to_stable(rollout.router, rollout.clock, backoff)
        stepper.record_weight(0)
        clear_header_routes(stepper)
    except Exception as fault:
        status.unconfirmed = f"traffic to stable not confirmed: {fault}"
        stepper.save()
        raise
    status.unconfirmed = ""
    stepper.save()
    _run_rollback_hooks(stepper)


def clear_header_routes(stepper: Stepper) -> None:
    """Remove the routes `SetHeaderRoute` steps made, so no request reaches the canary any more.

    Not saved here: both callers save straight after, with the scale-down time.
    """
    if stepper.status.header_route is not None:
        set_header_route(stepper, None)


def remove_canary_when_due(stepper: Stepper, now: float) -> float | None:
    """The canary removed once its scale-down time has come, then the router's clean-up: finished."""
    status, rollout = stepper.status, stepper.rollout
    assert status.scale_down_at is not None
    if now < status.scale_down_at:
        return status.scale_down_at
    workload = rollout.workload
    retry(workload.remove_canary, rollout.clock, rollout.backoff, "remove canary")
    show_preview(stepper, False)  # blue-green: a preview never points at a removed version
    finish = getattr(rollout.router, "finish", None)  # optional: a router's clean-up at the end
    if callable(finish):
        retry(finish, rollout.clock, rollout.backoff, "router clean-up")
    status.finished, status.finished_at = True, now
    stepper.save()
    return None


def _run_rollback_hooks(stepper: Stepper) -> None:
    """The caller's hooks, in order, once each, as soon as traffic is on stable; failures become events.

    `hooks_done` is saved before the first hook runs: a driver killed meanwhile does not run them twice.
    A hook is retried only when the rollout was given a `hook_backoff`.
    """
    status, rollout = stepper.status, stepper.rollout
    if status.hooks_done or not rollout.rollback_hooks:
        return
    status.hooks_done = True
    stepper.save()
    for hook in rollout.rollback_hooks:
        name = getattr(hook, "__name__", type(hook).__name__)
        try:
            retry(partial(hook, status), rollout.clock, rollout.hook_backoff, f"rollback hook {name}")
        except Exception as fault:  # traffic is already safe: report, do not crash the rollback
            text = f"rollback hook {name} failed: {type(fault).__name__}: {fault}"
            rollout.emit(ev.ListenerFailed, text, listener=name, error=repr(fault))
