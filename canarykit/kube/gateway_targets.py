"""The routes a `GatewayAPIRouter` changes: configured by name or label selector, resolved to names.

Their weights are `gateway_routes.set_canary_weight` / `read_canary_weight`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from canarykit.errors import SpecError
from canarykit.kube.client import KubeAPI
from canarykit.kube.gateway_routes import HEADER_KINDS

PLURALS = {
    "HTTPRoute": "httproutes",
    "GRPCRoute": "grpcroutes",
    "TCPRoute": "tcproutes",
    "TLSRoute": "tlsroutes",
}
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
