"""The traffic router protocol."""

from __future__ import annotations

from typing import Protocol, runtime_checkable


@runtime_checkable
class TrafficRouter(Protocol):
    """Sends `weight` (0..100, or 0..`max_weight`) of traffic to the canary and reads back what is in force.

    A router whose weights run to another total than 100 (Argo's `maxTrafficWeight`) says so with an int
    attribute `max_weight`: steps are checked against it and promotion sends it.

    Faults are raised (preferably as `RoutingError`); the orchestrator retries them and, when traffic cannot
    be returned to stable, raises `RollbackFailed`. A router may also define `finish()`, called once when
    the rollout ends (traffic on stable, canary removed), to clean up what it created.
    """

    def set_weight(self, weight: int) -> None: ...

    def get_weight(self) -> int: ...


@runtime_checkable
class HeaderRouter(Protocol):
    """A router that can also send requests carrying a header to the canary (`SetHeaderRoute` steps)."""

    def set_header_route(self, header: str, value: str | None = None, pattern: str | None = None) -> None: ...

    def remove_header_routes(self) -> None: ...
