"""The traffic router protocol."""

from __future__ import annotations

from typing import Protocol, runtime_checkable


@runtime_checkable
class TrafficRouter(Protocol):
    """Sends `weight` percent (0..100) of traffic to the canary and reads back what is in force.

    Faults are raised (preferably as `RoutingError`); the orchestrator retries them and, when traffic cannot
    be returned to stable, raises `RollbackFailed`.
    """

    def set_weight(self, weight: int) -> None: ...

    def get_weight(self) -> int: ...
