"""In-memory traffic router and workload that record what was asked of them."""

from __future__ import annotations

from collections.abc import Sequence

from canarykit.errors import RoutingError, SpecError, WorkloadError
from canarykit.steps import HeaderMatch


class InMemoryRouter:
    """A router holding the weight in memory; `history` lists every weight set, in order.

    `fail_next(n)` makes the next `n` calls to `set_weight` raise `RoutingError` (a flaky router).
    """

    def __init__(self, weight: int = 0) -> None:
        self.weight = weight
        self.history: list[int] = []
        self.preview = False
        """Blue-green: whether the preview serves the canary (`set_preview`); `preview_history` lists each."""
        self.preview_history: list[bool] = []
        self.header_route: tuple[str, str | None, str | None] | None = None
        self._failures = 0

    def fail_next(self, count: int) -> None:
        self._failures = count

    def set_weight(self, weight: int) -> None:
        if self._failures > 0:
            self._failures -= 1
            raise RoutingError(f"injected failure setting weight {weight}")
        self.weight = weight
        self.history.append(weight)

    def get_weight(self) -> int:
        return self.weight

    def set_preview(self, canary: bool) -> None:
        self.preview = canary
        self.preview_history.append(canary)

    def get_preview(self) -> bool:
        return self.preview

    def set_header_route(self, header: str, value: str | None = None, pattern: str | None = None) -> None:
        """Route requests carrying `header` (matching `value` or `pattern`) to the canary."""
        self.header_route = (header, value, pattern)

    def remove_header_routes(self) -> None:
        self.header_route = None


class InMemoryNamedRouter(InMemoryRouter):
    """An `InMemoryRouter` holding header routes by name, each with several matches (as Gateway API does).

    `header_routes` maps each route name to its matches; names must be among `managed_routes`.
    """

    def __init__(self, weight: int = 0, managed_routes: Sequence[str] = ("canary-header-route",)) -> None:
        super().__init__(weight)
        self.managed_routes = tuple(managed_routes)
        self.header_routes: dict[str, tuple[HeaderMatch, ...]] = {}

    def check_header_matches(self, name: str, matches: Sequence[HeaderMatch]) -> None:
        if name not in self.managed_routes:
            raise SpecError(f"header route {name!r} is not one of managedRoutes {list(self.managed_routes)}")

    def set_header_matches(self, name: str, matches: Sequence[HeaderMatch]) -> None:
        self.check_header_matches(name, matches)
        self.header_routes[name] = tuple(matches)

    def remove_header_routes(self) -> None:
        super().remove_header_routes()
        self.header_routes.clear()


class InMemoryWorkload:
    """A workload whose replicas are ready at once (or after `not_ready_polls` readiness checks).

    `events` records every call, e.g. `["start green", "scale 1", "promote green", "remove canary"]`.
    """

    def __init__(self, stable_version: str = "stable", replicas: int = 1, not_ready_polls: int = 0) -> None:
        self.stable_version = stable_version
        self.canary_version: str | None = None
        self.canary_replicas = 0
        self.replicas = replicas
        self.not_ready_polls = not_ready_polls
        self.events: list[str] = []

    def start_canary(self, version: str) -> None:
        self.canary_version = version
        self.events.append(f"start {version}")

    def scale_canary(self, replicas: int) -> None:
        if self.canary_version is None:
            raise WorkloadError("no canary to scale")
        if replicas != self.canary_replicas:
            self.canary_replicas = replicas
            self.events.append(f"scale {replicas}")

    def canary_ready(self) -> bool:
        if self.not_ready_polls > 0:
            self.not_ready_polls -= 1
            return False
        return True

    def promote(self, version: str) -> None:
        self.stable_version = version
        self.events.append(f"promote {version}")

    def stable_ready(self) -> bool:
        return True

    def remove_canary(self) -> None:
        if self.canary_version is not None:
            self.events.append("remove canary")
        self.canary_version = None
        self.canary_replicas = 0
