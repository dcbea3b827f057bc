"""`Rollout.run()`'s loop, and what happens when it is cut short: the intent is saved before anything else.

- A first SIGINT/SIGTERM aborts between two reconciles, even two chained in one `advance()` (at once,
  when a metric query is hanging).
- A second one saves the abort, then exits (`SystemExit(128 + signal)`).
- Any exception after the canary took traffic saves the abort, tries weight 0 once (unless the rollout
  was built with `rollback_on_error=False`), and is raised: a `CanaryError` as it is, anything else as an
  `UnexpectedError` whose cause is the original. A resumed driver finishes the rollback.
- `StateLocked` (another driver took the rollout's lease over) is raised as it is: that driver decides.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from canarykit.errors import CanaryError, StateLocked, UnexpectedError
from canarykit.interrupts import Interrupted
from canarykit.rollout.completion import send_traffic_to_stable
from canarykit.rollout.remote import RemoteControl
from canarykit.rollout.rollback import ONCE
from canarykit.rollout.signals import ExitRequested, SignalRequests, abort_on_signals

if TYPE_CHECKING:
    from canarykit.rollout.orchestrator import Rollout

log = logging.getLogger("canarykit.rollout")
MAX_NAP = 1.0
"""Longest single wait in `run()`, so commands from other threads are seen within a second."""


def drive(rollout: Rollout, handle_signals: bool) -> None:
    """Advance the started `rollout` to its end, handling signals and faults as the module says."""
    remote = RemoteControl(rollout)
    with abort_on_signals(handle_signals) as signals:
        if rollout.stepper is not None:  # a signal during a reconcile aborts before the next one
            rollout.stepper.take_signal = signals.take
        try:
            _loop(rollout, remote, signals)
        except ExitRequested as request:
            stop_durably(rollout, request.reason, to_stable=False)
            raise SystemExit(request.code) from None
        except StateLocked:
            raise  # another driver took the rollout over: it decides now, not this one
        except BaseException as error:
            reason = signals.reason or f"stopped by {type(error).__name__}: {error}"
            try:
                stop_durably(rollout, reason, to_stable=rollout.rollback_on_error)
            except ExitRequested as request:
                raise SystemExit(request.code) from error
            if isinstance(error, Exception) and not isinstance(error, CanaryError):
                raise UnexpectedError(f"rollout {rollout.name!r} {reason}", error) from error
            raise


def _loop(rollout: Rollout, remote: RemoteControl, signals: SignalRequests) -> None:
    while True:
        try:
            remote.poll()  # the lease and other terminals' commands, before acting
            wake = rollout.advance()
        except Interrupted:  # a signal cut a hung query short; its abort follows at once
            wake = rollout.clock.now()
        if wake is None:
            return
        if (reason := signals.take()) is not None:
            rollout.abort(reason)
            continue
        now = rollout.clock.now()
        rollout.clock.sleep(max(0.0, min(wake, now + MAX_NAP) - now))


def stop_durably(rollout: Rollout, reason: str, to_stable: bool) -> None:
    """Save the abort when the canary may have had traffic; then, if asked, try weight 0 once."""
    stepper = rollout.stepper
    if stepper is None or stepper.status.finished:
        return
    status = stepper.status
    if not (status.weight_history or status.canary_started or status.pending_weight is not None):
        return  # nothing moved yet: the record stays as it is, resumable
    try:
        rollout.abort(reason)
    except Exception as fault:  # the disk is full or read-only: traffic first, then report
        log.error("%s: could not save the abort: %s", rollout.name, fault)
    if to_stable and status.aborted and status.scale_down_at is None:
        try:
            send_traffic_to_stable(stepper, ONCE)
        except Exception as fault:
            log.error("%s: traffic not returned to stable: %s", rollout.name, fault)
