"""The rollback executor: traffic back to stable first, confirmed; transient faults retried with backoff.

Only transient faults are retried: any `CanaryError` but a `SpecError` (a router's `RoutingError`, a
workload's `WorkloadError`, an API's `KubernetesError`) and `OSError` (connections, timeouts, files).
Anything else (`AttributeError`, `TypeError`, `ValueError`, ...) is a bug in the caller's router or
workload: retrying it only delays the rollback, so it is raised at once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from canarykit.clock import Clock
from canarykit.errors import CanaryError, RollbackFailed, RoutingError, SpecError
from canarykit.traffic import TrafficRouter

log = logging.getLogger("canarykit.rollback")
_T = TypeVar("_T")


@dataclass(frozen=True)
class Backoff:
    """Retry policy: `attempts` tries, waiting `initial` seconds, multiplied by `factor` up to `maximum`."""

    attempts: int = 6
    initial: float = 0.5
    factor: float = 2.0
    maximum: float = 10.0

    def delays(self) -> list[float]:
        return [min(self.initial * self.factor**n, self.maximum) for n in range(self.attempts - 1)]


ONCE = Backoff(attempts=1)


def is_transient(fault: BaseException) -> bool:
    """Whether `fault` may go away on its own (worth a retry), rather than a bug or bad input."""
    if isinstance(fault, SpecError):
        return False
    return isinstance(fault, CanaryError | OSError)


def retry(action: Callable[[], _T], clock: Clock, backoff: Backoff, what: str) -> _T:
    """`action()`, retried on transient faults after the backoff's delays; other faults are raised at once."""
    for delay in backoff.delays():
        try:
            return action()
        except Exception as fault:
            if not is_transient(fault):
                raise
            log.warning("%s failed (%s); retrying in %.1f s", what, fault, delay)
            clock.sleep(delay)
    return action()


def return_traffic_to_stable(router: TrafficRouter, clock: Clock, backoff: Backoff = Backoff()) -> None:
    """Set the canary weight to 0 and read it back; `RollbackFailed` when that cannot be confirmed."""
    last_known: list[int | None] = [None]

    def set_and_confirm() -> None:
        router.set_weight(0)
        last_known[0] = router.get_weight()
        if last_known[0] != 0:
            raise RoutingError(f"router reports weight {last_known[0]} after setting 0")

    try:
        retry(set_and_confirm, clock, backoff, "returning traffic to stable")
    except Exception as fault:
        weight = last_known[0]
        if weight is None:
            weight = _read_weight(router)
        raise RollbackFailed(f"could not return traffic to stable: {fault}", weight) from fault


def _read_weight(router: TrafficRouter) -> int | None:
    try:
        return router.get_weight()
    except Exception:
        return None


def start_on_stable(router: TrafficRouter, clock: Clock, backoff: Backoff = Backoff()) -> int | None:
    """Before a new rollout: weight 0 on a router holding any other weight (or none it can tell); returns it.

    Argo sets weight 0 on every reconcile from the start, so a route as written (a Gateway API route's
    backendRefs at the CRD's default weight 1 each: half the traffic to a canary Service with no pods yet)
    never carries traffic to the canary before the first `setWeight`. Nothing is written when it is 0.
    """
    held = _read_weight(router)
    if held != 0:
        retry(lambda: router.set_weight(0), clock, backoff, "weight 0 before the rollout")
    return held
