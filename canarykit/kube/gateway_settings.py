"""`GatewayAPIRouter`'s settings and header matches, checked before anything is read or written."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from canarykit.errors import SpecError
from canarykit.kube.gateway_targets import MAX_BACKEND_WEIGHT, RULE_NAME, GatewayRoute
from canarykit.steps import HeaderMatch

NO_ROUTES = (
    "GatewayAPIRouter needs at least one route (httpRoute(s), grpcRoute(s), tcpRoute(s) or tlsRoute(s))"
)
_LABEL_NAME = re.compile(r"^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$")
_DNS_SUBDOMAIN = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")


def check_options(
    routes: Sequence[Any],
    services: tuple[Any, Any],
    namespace: Any,
    max_weight: Any,
    label: Any,
    conflict_retries: Any,
) -> None:
    """`SpecError` naming the first bad setting of a `GatewayAPIRouter`."""
    if not routes:
        raise SpecError(NO_ROUTES)
    for index, route in enumerate(routes):
        if not isinstance(route, GatewayRoute):
            raise SpecError(f"routes[{index}] must be a GatewayRoute, got {route!r}")
    for role, service in zip(("stable", "canary"), services, strict=True):
        if not isinstance(service, str) or not service:
            raise SpecError(f"the {role} Service must be a non-empty name, got {service!r}")
    if services[0] == services[1]:
        raise SpecError(f"the stable and canary Services must differ, both are {services[0]!r}")
    if not isinstance(namespace, str) or not namespace:
        raise SpecError(f"namespace must be a non-empty name, got {namespace!r}")
    if (
        isinstance(max_weight, bool)
        or not isinstance(max_weight, int)
        or not 1 <= max_weight <= MAX_BACKEND_WEIGHT
    ):
        raise SpecError(f"max_weight must be an integer in 1..{MAX_BACKEND_WEIGHT}, got {max_weight!r}")
    if label is not None:
        check_label(label)
    if isinstance(conflict_retries, bool) or not isinstance(conflict_retries, int) or conflict_retries < 0:
        raise SpecError(f"conflict_retries must be a non-negative integer, got {conflict_retries!r}")


def check_label(label: Any) -> None:
    """`SpecError` unless `label` is a `(key, value)` pair Kubernetes accepts as a label."""
    if not isinstance(label, tuple) or len(label) != 2 or not all(isinstance(part, str) for part in label):
        raise SpecError(f"in_progress_label must be a (key, value) pair of strings or None, got {label!r}")
    key, value = label
    prefix, _, name = key.rpartition("/")
    if (prefix and (len(prefix) > 253 or not _DNS_SUBDOMAIN.match(prefix))) or not _label_name(name):
        raise SpecError(f"in_progress_label key {key!r} is not a valid Kubernetes label key")
    if not _label_name(value):
        raise SpecError(f"in_progress_label value {value!r} is not a valid Kubernetes label value")


def _label_name(text: str) -> bool:
    return len(text) <= 63 and bool(_LABEL_NAME.match(text))


def check_route_name(name: Any, managed_routes: Sequence[str]) -> None:
    """`SpecError` unless `name` is one of `managed_routes` and can name a route rule (`name`, `name-N`)."""
    if name not in managed_routes:
        known = ", ".join(repr(route) for route in managed_routes) or "none"
        raise SpecError(f"header route {name!r} is not among the managed routes ({known})")
    if len(name) > 250 or not RULE_NAME.match(name):
        raise SpecError(
            f"managed route {name!r} cannot name a Gateway API route rule "
            "(lowercase letters, digits, '-' and '.', at most 250 characters)"
        )


def header_match(header: str, value: str | None, pattern: str | None) -> HeaderMatch:
    """One match of the simple header-route form: `value` exact, `pattern` a regular expression."""
    if value is None and pattern is None:
        raise SpecError(f"header {header!r}: a Gateway API header route needs a value or a pattern")
    if value is not None and pattern is not None:
        raise SpecError(f"header {header!r}: give a value or a pattern, not both")
    return HeaderMatch(header, exact=value, regex=pattern)


def matches_for(matches: Sequence[Any]) -> list[dict[str, Any]]:
    """Argo `setHeaderRoute.match` entries (`headerName`, `headerValue`) for these `HeaderMatch`es."""
    result = []
    for index, match in enumerate(matches):
        if not isinstance(match, HeaderMatch):
            raise SpecError(f"matches[{index}] must be a HeaderMatch, got {match!r}")
        result.append({"headerName": match.header, "headerValue": {match.kind: match.text}})
    return result
