"""Gateway API header routes (Argo's SetHeaderRoute) on HTTPRoute and GRPCRoute dicts, as the plugin writes.

Per the plugin (`setHTTPHeaderRoute`/`setGRPCHeaderRoute`): for every rule holding both the stable and the
canary backendRef, one managed rule named `name` (then `name-1`, `name-2`, ...) whose matches copy each source
match's path, queryParams and method (GRPCRoute: method) with the source headers followed by the canary header
matches (exact; prefix as RegularExpression `prefix.*`; regex as RegularExpression), a copy of the source
filters, and one backendRef: the canary Service (`group: ""`, `kind: Service`, the canary's port). Setting a
route again replaces its managed rules; the managed rules go after all others.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from canarykit.errors import ArgumentError, RoutingError
from canarykit.kube.gateway_routes import Route, Rule, is_managed_rule, is_managed_rule_name, route_label

HeaderMatch = dict[str, str]


def header_matches(matches: Sequence[Mapping[str, Any]]) -> list[HeaderMatch]:
    """Gateway API header matches for Argo `setHeaderRoute.match` entries (`headerName`, `headerValue`)."""
    result: list[HeaderMatch] = []
    for index, match in enumerate(matches):
        name, value = match.get("headerName"), match.get("headerValue") or {}
        if not isinstance(name, str) or not name:
            raise ArgumentError("headerName must be a non-empty string", f"match[{index}].headerName")
        if value.get("exact"):
            result.append({"name": name, "type": "Exact", "value": str(value["exact"])})
        elif value.get("prefix"):
            result.append({"name": name, "type": "RegularExpression", "value": f"{value['prefix']}.*"})
        elif value.get("regex"):
            result.append({"name": name, "type": "RegularExpression", "value": str(value["regex"])})
        else:
            raise ArgumentError("invalid header match type: set exact, prefix or regex", f"match[{index}]")
    return result


def _holds_all(rule: Rule, services: Iterable[str]) -> bool:
    """True when the rule has a backendRef to every one of `services`."""
    names = {ref.get("name") for ref in rule.get("backendRefs") or []}
    return all(service in names for service in services)


def _managed_match(source: Mapping[str, Any], headers: list[HeaderMatch], grpc: bool) -> dict[str, Any]:
    """One source match with the canary headers appended (HTTP: path, queryParams, method; gRPC: method)."""
    fields = ("method",) if grpc else ("path", "queryParams", "method")
    match = {field: copy.deepcopy(source[field]) for field in fields if source.get(field) is not None}
    merged = copy.deepcopy(list(source.get("headers") or [])) + copy.deepcopy(headers)
    if merged:
        match["headers"] = merged
    return match


def _managed_rule(source: Rule, rule_name: str, canary: str, headers: list[HeaderMatch], grpc: bool) -> Rule:
    """The managed header rule the plugin derives from one source rule."""
    canary_ref = next(ref for ref in source["backendRefs"] if ref.get("name") == canary)
    backend: dict[str, Any] = {"group": "", "kind": "Service", "name": canary}
    if canary_ref.get("port") is not None:
        backend["port"] = canary_ref["port"]
    source_matches = source.get("matches") or []
    matches = [_managed_match(m, headers, grpc) for m in source_matches] or [
        {"headers": copy.deepcopy(headers)} if headers else {}
    ]
    rule: Rule = {"name": rule_name, "matches": matches, "backendRefs": [backend]}
    if source.get("filters"):
        rule["filters"] = copy.deepcopy(source["filters"])
    return rule


def _is_same_header_rule(rule: Rule, name: str, canary: str, headers: list[HeaderMatch]) -> bool:
    """True for an earlier managed rule of this header route (by name, or canary-only with these headers)."""
    rule_name = rule.get("name")
    if isinstance(rule_name, str) and is_managed_rule_name(rule_name, (name,)):
        return True
    if not is_managed_rule(rule, canary, ()):
        return False
    wanted = {h["name"] for h in headers}
    return any(wanted <= {h.get("name") for h in m.get("headers") or []} for m in rule.get("matches") or [])


def add_header_route(
    route: Route, name: str, matches: Sequence[Mapping[str, Any]], stable_service: str, canary_service: str
) -> Route:
    """A copy of `route` with the managed header rules of `name` (replacing earlier ones of that name)."""
    if not name:
        raise ArgumentError("a header route needs a name (setHeaderRoute.name)")
    headers = header_matches(matches)
    result = copy.deepcopy(route)
    spec = result.setdefault("spec", {})
    rules: list[Rule] = spec.get("rules") or []
    sources = [r for r in rules if r.get("backendRefs") and _holds_all(r, (canary_service, stable_service))]
    if not sources:
        raise RoutingError(
            f"{route_label(route)}: no rule holds backendRefs to both "
            f"{stable_service!r} and {canary_service!r}"
        )
    grpc = route.get("kind") == "GRPCRoute"
    managed = [
        _managed_rule(source, name if i == 0 else f"{name}-{i}", canary_service, headers, grpc)
        for i, source in enumerate(sources)
    ]
    kept = [r for r in rules if not _is_same_header_rule(r, name, canary_service, headers)]
    spec["rules"] = kept + managed
    return result


def remove_header_routes(route: Route, names: Iterable[str], canary_service: str) -> Route:
    """A copy of `route` without the managed header rules of `names` nor any canary-only rule."""
    result = copy.deepcopy(route)
    spec = result.get("spec") or {}
    if "rules" in spec:
        managed = tuple(names)
        spec["rules"] = [r for r in spec["rules"] or [] if not is_managed_rule(r, canary_service, managed)]
    return result
