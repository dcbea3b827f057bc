"""The workload protocol."""

from __future__ import annotations

from typing import Protocol, runtime_checkable


@runtime_checkable
class Workload(Protocol):
    """What runs the versions. Calls return at once; readiness is polled, so waits go through the clock.

    `replicas` is the stable size, used to size the canary for a traffic weight. A workload may also
    define `needs_steps(version) -> bool`: False when there is nothing to compare (no stable version yet,
    or stable already runs `version`); the rollout then promotes at once, with no steps or analysis, as
    Argo does for a first deploy.
    """

    @property
    def replicas(self) -> int: ...

    def start_canary(self, version: str) -> None:
        """Create (or find) the canary running `version`, with no replicas yet."""
        ...

    def scale_canary(self, replicas: int) -> None: ...

    def canary_ready(self) -> bool:
        """True once every canary replica asked for is available."""
        ...

    def promote(self, version: str) -> None:
        """Make stable run `version` (the canary's)."""
        ...

    def stable_ready(self) -> bool:
        """True once stable is fully available on its current version."""
        ...

    def remove_canary(self) -> None: ...
