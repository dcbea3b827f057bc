"""Writing Gateway API routes: read, compute, PUT with the resourceVersion read; on a 409, again."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from canarykit.errors import KubernetesError, RoutingError
from canarykit.kube.client import KubeAPI
from canarykit.kube.gateway_routes import Route
from canarykit.kube.gateway_targets import Target

Change = Callable[[Target, Route], Route]
"""The new route for a target, computed from the route as read (a copy; never changed in place)."""


class RouteWriter:
    """Applies changes to routes with optimistic concurrency: `conflict_retries` re-reads after a 409."""

    def __init__(self, api: KubeAPI, conflict_retries: int) -> None:
        self.api, self.conflict_retries = api, conflict_retries

    def change_all(self, targets: Sequence[Target], change: Change, missing_ok: bool) -> None:
        """Read every route and compute its change (errors before any write), then write each one.

        A route that does not exist raises `RoutingError`, or is skipped when `missing_ok`.
        """
        planned: list[tuple[Target, Route, Route]] = []
        for target in targets:
            current = self.read(target, missing_ok)
            if current is not None:
                planned.append((target, current, change(target, current)))
        for target, current, desired in planned:
            self.write(target, current, desired, change, missing_ok)

    def write(self, target: Target, current: Route, desired: Route, change: Change, missing_ok: bool) -> None:
        """PUT `desired` unless it equals `current`; on a 409 re-read, recompute and try again."""
        attempts = self.conflict_retries + 1
        for attempt in range(1, attempts + 1):
            if desired == current:
                return
            try:
                self.api.replace(target.plural, target.namespace, target.name, desired)
                return
            except KubernetesError as error:
                if not error.conflict:
                    raise
                if attempt == attempts:
                    raise RoutingError(
                        f"{target}: still conflicting after {attempts} attempts "
                        f"(someone else keeps changing it): {error}"
                    ) from error
            latest = self.read(target, missing_ok)
            if latest is None:
                return
            current, desired = latest, change(target, latest)

    def read(self, target: Target, missing_ok: bool = True) -> Route | None:
        """The route as stored; None when it does not exist and `missing_ok`, else `RoutingError`."""
        route = self.api.get(target.plural, target.namespace, target.name)
        if route is None and not missing_ok:
            raise RoutingError(f"{target} not found (deleted while the rollout runs?)")
        return route
