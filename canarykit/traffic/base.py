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


@runtime_checkable
class PreviewRouter(Protocol):
    """A router that also serves a preview (Argo's `previewService`) for blue-green releases.

    `set_preview(True)` points the preview at the canary (the new version), `set_preview(False)` at stable.
    The blue-green runner moves the active side with `set_weight(0)` (all on stable) and
    `set_weight(max_weight)` (all on the new version) only, never in between. A router that serves a
    preview only when configured for one says so with a bool attribute `serves_preview`.
    """

    def set_preview(self, canary: bool) -> None: ...

    def get_preview(self) -> bool: ...
