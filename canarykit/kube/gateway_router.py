"""`GatewayAPIRouter`: canary weights and header routes on Gateway API routes, as Argo's gatewayAPI plugin.

Each change reads the route, computes the new one with the pure functions of `gateway_routes`
and `gateway_header_routes`, and PUTs the whole object back with the resourceVersion it read:
whatever else the route holds stays as written. A 409 (someone wrote in between) re-reads and recomputes,
up to `conflict_retries` times. A change that changes nothing is not written.
"""

from __future__ import annotations

from collections.abc import Sequence

from canarykit.errors import RoutingError, SpecError
from canarykit.kube.client import KubeAPI
from canarykit.kube.gateway_header_routes import add_header_route, remove_header_routes
from canarykit.kube.gateway_routes import (
    IN_PROGRESS_LABEL_KEY,
    IN_PROGRESS_LABEL_VALUE,
    Route,
    check_weight,
    holds_both,
    missing_backends,
)
from canarykit.kube.gateway_routes import ensure_in_progress_label as labelled
from canarykit.kube.gateway_routes import read_canary_weight as weight_of
from canarykit.kube.gateway_routes import set_canary_weight as weighted
from canarykit.kube.gateway_settings import check_options, check_route_name, header_match, matches_for
from canarykit.kube.gateway_targets import GatewayRoute, Target, header_targets, nothing_found, resolve
from canarykit.kube.gateway_writer import RouteWriter
from canarykit.steps import HeaderMatch

__all__ = ["GatewayAPIRouter", "GatewayRoute"]


class GatewayAPIRouter:
    """Splits traffic between the stable and canary Services in HTTP, gRPC, TCP and TLS routes.

    While the canary has weight, each route carries the `in_progress_label` (None: no label). Header routes
    (`set_header_matches`, named after one of `managed_routes`) go on the HTTP and gRPC routes configured
    with `use_header_routes`. `check()` validates everything without writing.
    """

    def __init__(
        self,
        api: KubeAPI,
        stable_service: str,
        canary_service: str,
        routes: Sequence[GatewayRoute],
        namespace: str = "default",
        *,
        max_weight: int | None = None,
        managed_routes: Sequence[str] = (),
        in_progress_label: tuple[str, str] | None = (IN_PROGRESS_LABEL_KEY, IN_PROGRESS_LABEL_VALUE),
        conflict_retries: int = 5,
    ) -> None:
        self.routes = tuple(routes)
        self.max_weight = 100 if max_weight is None else max_weight
        self.managed_routes = tuple(managed_routes)
        services = (stable_service, canary_service)
        check_options(self.routes, services, namespace, self.max_weight, in_progress_label, conflict_retries)
        self.api, self.namespace = api, namespace
        self._writer = RouteWriter(api, conflict_retries)
        self.stable_service, self.canary_service = stable_service, canary_service
        self.in_progress_label, self.conflict_retries = in_progress_label, conflict_retries

    # -- the TrafficRouter protocol ------------------------------------------------------------------------

    def check(self) -> None:
        """`SpecError` for a missing route, a route without a rule holding both Services, or selectors
        finding nothing.

        As the plugin, a selector that finds nothing is no error while other routes are found.
        """
        targets = resolve(self.api, self.namespace, self.routes)
        if not targets:
            raise SpecError(nothing_found(self.routes, self.namespace))
        for target in targets:
            route = self._writer.read(target)
            if route is None:
                raise SpecError(f"{target} not found")
            missing = missing_backends(route, self.stable_service, self.canary_service, self.managed_routes)
            both = f"{self.stable_service!r} and {self.canary_service!r}"
            if missing:
                names = ", ".join(repr(m) for m in missing)
                raise SpecError(f"{target}: no rule holds a backendRef to {names} (it needs both {both})")
            if not holds_both(route, self.stable_service, self.canary_service, self.managed_routes):
                raise SpecError(
                    f"{target}: no rule holds backendRefs to both {both} (a rule with one of them alone "
                    "would send all its traffic to that one, or none at weight 0)"
                )

    def set_weight(self, weight: int) -> None:
        """Canary backendRefs at `weight`, stable ones at `max_weight - weight`, the label while above 0.

        At 0 (traffic back to stable) a route that is gone, or no longer holds the canary, is left alone.
        """
        check_weight(weight, self.max_weight)
        at_rest = weight == 0
        targets = resolve(self.api, self.namespace, self.routes)
        if not targets and not at_rest:
            raise RoutingError(nothing_found(self.routes, self.namespace))
        self._writer.change_all(
            targets, lambda target, route: self._weighted(route, weight), missing_ok=at_rest
        )

    def get_weight(self) -> int:
        """The canary weight in every route (0 when none exists); `RoutingError` when they disagree."""
        weights: dict[str, int] = {}
        for target in resolve(self.api, self.namespace, self.routes):
            route = self._writer.read(target)
            if route is not None:
                weights[str(target)] = self._weight_of(route)
        if len(set(weights.values())) > 1:
            raise RoutingError(f"the routes disagree on the canary weight: {weights}")
        return next(iter(weights.values()), 0)

    def finish(self) -> None:
        """At the end of the rollout: the managed header rules go, and the label from routes at weight 0."""
        self._writer.change_all(
            resolve(self.api, self.namespace, self.routes), self._finished, missing_ok=True
        )

    # -- header routes -------------------------------------------------------------------------------------

    def set_header_matches(self, name: str, matches: Sequence[HeaderMatch]) -> None:
        """The plugin's SetHeaderRoute: managed rules `name`, `name-1`... on `matches` (none: removal)."""
        self.check_header_matches(name, matches)
        if not matches:
            self.remove_header_routes()
            return
        argo = matches_for(matches)

        def add(target: Target, route: Route) -> Route:
            return add_header_route(route, name, argo, self.stable_service, self.canary_service)

        self._writer.change_all(header_targets(self.namespace, self.routes), add, missing_ok=False)

    def check_header_matches(self, name: str, matches: Sequence[HeaderMatch]) -> None:
        """`SpecError` unless `name` is a managed route a rule can be named after; nothing is read."""
        check_route_name(name, self.managed_routes)
        matches_for(matches)

    def set_header_route(self, header: str, value: str | None = None, pattern: str | None = None) -> None:
        """One match (`value` exact, `pattern` a regular expression) under the first managed route."""
        name, match = self._simple_route(header, value, pattern)
        self.set_header_matches(name, (match,))

    def check_header_route(self, header: str, value: str | None = None, pattern: str | None = None) -> None:
        """The checks of `set_header_route`, with nothing written."""
        name, match = self._simple_route(header, value, pattern)
        self.check_header_matches(name, (match,))

    def remove_header_routes(self) -> None:
        """The plugin's RemoveManagedRoutes: every managed header rule goes from the header-route routes."""
        targets = header_targets(self.namespace, self.routes)
        self._writer.change_all(targets, self._without_header_rules, missing_ok=True)

    # -- computing ----------------------------------------------------------------------------------------

    def _simple_route(self, header: str, value: str | None, pattern: str | None) -> tuple[str, HeaderMatch]:
        if not self.managed_routes:
            raise SpecError("a header route on Gateway API needs a managed route name (managedRoutes)")
        return self.managed_routes[0], header_match(header, value, pattern)

    def _weighted(self, route: Route, weight: int) -> Route:
        stable, canary = self.stable_service, self.canary_service
        changed = weighted(route, stable, canary, weight, self.max_weight, self.managed_routes)
        return self._labelled(changed, weight)

    def _labelled(self, route: Route, weight: int) -> Route:
        if self.in_progress_label is None:
            return route
        return labelled(route, weight, *self.in_progress_label)

    def _weight_of(self, route: Route) -> int:
        return weight_of(route, self.stable_service, self.canary_service, self.managed_routes)

    def _without_header_rules(self, target: Target, route: Route) -> Route:
        if not target.takes_header_routes:
            return route
        return remove_header_routes(route, self.managed_routes, self.canary_service)

    def _finished(self, target: Target, route: Route) -> Route:
        """Header rules gone; the label gone unless the route still sends the canary traffic."""
        cleaned = self._without_header_rules(target, route)
        try:
            weight = self._weight_of(cleaned)
        except RoutingError:  # no stable backend or a split weight: the route is not at rest, keep the label
            return cleaned
        return self._labelled(cleaned, 0) if weight == 0 else cleaned
