"""The routes a `GatewayAPIRouter` changes (by name or label selector) and their weights, for every kind.

Weights follow argoproj-labs/rollouts-plugin-trafficrouter-gatewayapi: on HTTPRoute and GRPCRoute every
rule but the plugin's own header rules (`gateway_routes.is_managed_rule`); on TCPRoute and TLSRoute every
backendRef of either Service in any rule (the plugin's `getBackendRefs`). One deliberate difference: weight
0 on a route that no longer holds the canary (someone removed it) only sets the stable weight, since no
traffic can reach the canary there; any other weight still needs both Services.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from canarykit.errors import ArgumentError, RoutingError, SpecError
from canarykit.kube.client import KubeAPI
from canarykit.kube.gateway_routes import Route, Rule, is_managed_rule, route_label

PLURALS = {
    "HTTPRoute": "httproutes",
    "GRPCRoute": "grpcroutes",
    "TCPRoute": "tcproutes",
    "TLSRoute": "tlsroutes",
}
HEADER_KINDS = ("HTTPRoute", "GRPCRoute")
MAX_BACKEND_WEIGHT = 1_000_000
"""The Gateway API CRDs' maximum for `backendRefs[].weight`."""
RULE_NAME = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
"""The CRDs' pattern for a rule `name` (a managed header rule is named after its managed route)."""


@dataclass(frozen=True)
class GatewayRoute:
    """One configured route: by `name`, or every route of `kind` its label `selector` finds."""

    kind: str
    name: str | None = None
    selector: str | None = None
    use_header_routes: bool = False

    def __post_init__(self) -> None:
        if self.kind not in PLURALS:
            raise SpecError(f"route kind must be one of {', '.join(PLURALS)}, got {self.kind!r}")
        if (self.name is None) == (self.selector is None):
            raise SpecError(f"a {self.kind} is given by a name or by a selector (exactly one)")
        for field, value in (("name", self.name), ("selector", self.selector)):
            if value is not None and (not isinstance(value, str) or not value.strip()):
                raise SpecError(f"{self.kind} {field} must be a non-empty string, got {value!r}")


@dataclass(frozen=True)
class Target:
    """One route to change, resolved to a name."""

    kind: str
    namespace: str
    name: str
    use_header_routes: bool

    @property
    def plural(self) -> str:
        return PLURALS[self.kind]

    @property
    def takes_header_routes(self) -> bool:
        """Header rules go on HTTPRoutes and GRPCRoutes configured for them (the plugin skips the others)."""
        return self.use_header_routes and self.kind in HEADER_KINDS

    def __str__(self) -> str:
        return f'{self.kind} "{self.namespace}/{self.name}"'


def resolve(api: KubeAPI, namespace: str, routes: Sequence[GatewayRoute]) -> list[Target]:
    """The routes by name, and those each selector lists now (never header routes), each once, in order."""
    found: dict[tuple[str, str], Target] = {}
    for route in routes:
        for target in _targets(api, namespace, route):
            key = (target.kind, target.name)
            earlier = found.get(key)
            headers = target.use_header_routes or (earlier is not None and earlier.use_header_routes)
            found[key] = Target(target.kind, namespace, target.name, headers)
    return list(found.values())


def nothing_found(routes: Sequence[GatewayRoute], namespace: str) -> str:
    """The message for routes that resolve to none (only selectors, each matching nothing)."""
    selectors = "; ".join(f"{route.kind} {route.selector!r}" for route in routes)
    return f"no route in namespace {namespace} matches the selectors ({selectors})"


def header_targets(namespace: str, routes: Sequence[GatewayRoute]) -> list[Target]:
    """The routes that take header rules: HTTP and gRPC routes named with `use_header_routes`."""
    named = [Target(r.kind, namespace, r.name, True) for r in routes if r.name and r.use_header_routes]
    return list({(t.kind, t.name): t for t in named if t.takes_header_routes}.values())


def _targets(api: KubeAPI, namespace: str, route: GatewayRoute) -> Iterator[Target]:
    if route.name is not None:
        yield Target(route.kind, namespace, route.name, route.use_header_routes)
        return
    assert route.selector is not None
    for item in api.list(PLURALS[route.kind], namespace, route.selector):
        yield Target(route.kind, namespace, item["metadata"]["name"], False)


def weighted_rules(route: Route, canary: str, managed: Iterable[str]) -> list[Rule]:
    """The rules whose backendRefs carry the split: all but the managed header rules (HTTP and gRPC)."""
    rules: list[Rule] = (route.get("spec") or {}).get("rules") or []
    if route.get("kind") not in HEADER_KINDS:
        return rules
    names = tuple(managed)
    return [rule for rule in rules if not is_managed_rule(rule, canary, names)]


def backend_names(rules: Iterable[Rule]) -> set[str]:
    """Every Service the rules' backendRefs name."""
    return {ref.get("name") for rule in rules for ref in rule.get("backendRefs") or []}


def missing_backends(route: Route, stable: str, canary: str, managed: Iterable[str]) -> list[str]:
    """The Services among stable and canary that no weighted rule of `route` references."""
    names = backend_names(weighted_rules(route, canary, managed))
    return [service for service in (stable, canary) if service not in names]


def holds_both(route: Route, stable: str, canary: str, managed: Iterable[str]) -> bool:
    """True when a weighted rule of `route` references both Services (a canary split happens in a rule)."""
    return any({stable, canary} <= backend_names([rule]) for rule in weighted_rules(route, canary, managed))


def with_weight(
    route: Route, stable: str, canary: str, weight: int, max_weight: int, managed: Iterable[str]
) -> Route:
    """A copy of `route`: canary backendRefs at `weight`, stable ones at `max_weight - weight`."""
    check_weight(weight, max_weight)
    names = tuple(managed)
    missing = missing_backends(route, stable, canary, names)
    if weight == 0 and missing == [canary]:
        missing = []  # the canary is gone from this route: nothing reaches it, stable takes everything
    if missing:
        raise RoutingError(
            f"{route_label(route)}: no backendRef to {', '.join(repr(m) for m in missing)} in its rules "
            f"(it needs backendRefs to both {stable!r} and {canary!r})"
        )
    result = copy.deepcopy(route)
    targets = {canary: weight, stable: max_weight - weight}
    for rule in weighted_rules(result, canary, names):
        for ref in rule.get("backendRefs") or []:
            if ref.get("name") in targets:
                ref["weight"] = targets[ref["name"]]
    return result


def check_weight(weight: object, max_weight: int) -> None:
    """`ArgumentError` unless `weight` is an integer in 0..`max_weight`."""
    if isinstance(weight, bool) or not isinstance(weight, int) or not 0 <= weight <= max_weight:
        raise ArgumentError(f"canary weight must be an integer in 0..{max_weight}, got {weight!r}")


def weight_of(route: Route, stable: str, canary: str, managed: Iterable[str]) -> int:
    """The canary weight in force on `route`: 0 without a canary backendRef; rules must agree.

    An unset weight reads as 1, the CRDs' default. `RoutingError` when the stable Service is gone.
    """
    rules = weighted_rules(route, canary, managed)
    if stable not in backend_names(rules):
        raise RoutingError(f"{route_label(route)}: no backendRef to the stable Service {stable!r}")
    weights = {
        int(ref.get("weight", 1))
        for rule in rules
        for ref in rule.get("backendRefs") or []
        if ref.get("name") == canary
    }
    if len(weights) > 1:
        raise RoutingError(f"{route_label(route)}: rules disagree on the canary weight: {sorted(weights)}")
    return weights.pop() if weights else 0
