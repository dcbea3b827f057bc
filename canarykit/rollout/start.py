"""Up to a rollout's first step: its plan checked when it is built (before anything moves), then at `start()`
its state store's lock taken and the rollout begun afresh (the canary weight set to 0 first, stale commands
discarded) or resumed from its record (said where it stands; rolled back if asked or the router disagrees).
"""

from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext
from typing import TYPE_CHECKING

from canarykit.rollout import events as ev
from canarykit.rollout.analyses import check_analyses
from canarykit.rollout.gate_checks import check_gates
from canarykit.rollout.header_routing import check_header_routes
from canarykit.rollout.remote import discard_stale_commands
from canarykit.rollout.resume import router_disagrees
from canarykit.rollout.rollback import start_on_stable
from canarykit.rollout.status import RolloutStatus
from canarykit.rollout.stepper import Stepper
from canarykit.rollout.strategy import check_blue_green
from canarykit.steps.kinds import check_weights

if TYPE_CHECKING:
    from canarykit.rollout.orchestrator import Rollout


def check_plan(rollout: Rollout) -> None:
    """The steps' weights, analyses, gates and header routes against the router and background analysis."""
    plan, analysis, prometheus = rollout.plan, rollout.analysis, rollout.prometheus
    check_weights(plan, rollout.max_weight)
    check_analyses(plan, analysis, prometheus)
    check_gates(plan, analysis)
    check_header_routes(plan, rollout.router)
    check_blue_green(rollout.blue_green, rollout.router, analysis, prometheus)


def begin(rollout: Rollout, status: RolloutStatus, resumed: bool) -> None:
    """Give `rollout` a stepper for `status` (`resume.initial_status`), saved: a new rollout starts on
    stable, a resumed one says where it stands. Its events wait for the caller's `deliver_events()`."""
    if not resumed:
        discard_stale_commands(rollout)
    stepper = rollout.stepper = Stepper(rollout, status)
    stepper.save()
    if not resumed and not status.finished:
        _start_on_stable(rollout)
    if resumed:
        _resume(rollout, stepper)


def store_lock(rollout: Rollout) -> AbstractContextManager[None]:
    """The state store's lock on the rollout, held while it runs: a second driver gets `StateLocked`."""
    return rollout.store.lock(rollout.name) if rollout.store is not None else nullcontext()


def _resume(rollout: Rollout, stepper: Stepper) -> None:
    """Say where a resumed rollout stands; roll back if asked to, or if the router disagrees with it."""
    status = stepper.status
    where = ev.step_label(status.step_index, len(rollout.plan))
    rollout.emit(ev.Event, f"resuming {status.version} at {where} (weight {status.weight})")
    if rollout.on_resume == "rollback" and not status.aborted:
        stepper.abort("resumed after an interruption with on_resume='rollback'")
    if (mismatch := router_disagrees(rollout.router, status)) is not None:
        stepper.abort(mismatch)


def _start_on_stable(rollout: Rollout) -> None:
    """Set a canary weight left over from before the rollout to 0, and say so."""
    held = start_on_stable(rollout.router, rollout.clock, rollout.backoff)
    if held != 0:
        was = "unknown" if held is None else held
        rollout.emit(ev.Event, f"canary weight {was} set to 0 before the rollout")
