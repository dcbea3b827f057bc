"""Gateway API route weights and the in-progress label, as pure functions on route dicts.

Semantics of argoproj-labs/rollouts-plugin-trafficrouter-gatewayapi (`pkg/plugin/httproute.go`,
`grpcroute.go`, `tcproute.go`, `tlsroute.go`, `labels.go`):

- SetWeight walks every rule except, on HTTPRoute and GRPCRoute, the plugin's own header rules (named after a
  managed route, `name` or `name-N`, or holding exactly one backendRef, the canary); each backendRef named
  after the canary Service gets `weight: w`, each named after the stable one `weight: 100 - w` (here
  `max_weight - w`), even in a rule that holds only one of them. It fails when the canary or the stable
  backendRef is missing from every such rule; one deliberate difference: weight 0 on a route that no longer
  holds the canary only sets the stable weight.
- The in-progress label is set on every weight change above 0 and removed at weight 0.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable
from typing import Any

from canarykit.errors import ArgumentError, RoutingError

IN_PROGRESS_LABEL_KEY = "rollouts.argoproj.io/gatewayapi-canary"
IN_PROGRESS_LABEL_VALUE = "in-progress"
HEADER_KINDS = ("HTTPRoute", "GRPCRoute")
"""The route kinds that take header rules (TCPRoute and TLSRoute weight every backendRef)."""

Route = dict[str, Any]
Rule = dict[str, Any]


def route_label(route: Route) -> str:
    """`HTTPRoute "ns/name"` for error messages."""
    meta = route.get("metadata") or {}
    where = f"{meta['namespace']}/" if meta.get("namespace") else ""
    return f'{route.get("kind", "route")} "{where}{meta.get("name", "")}"'


def is_managed_rule_name(rule_name: str, managed_names: Iterable[str]) -> bool:
    """True when `rule_name` is a managed route's name or its `name-N` derivative (isManagedRuleName)."""
    for base in managed_names:
        if rule_name == base or re.fullmatch(re.escape(base) + r"-[+-]?\d+", rule_name):
            return True
    return False


def is_canary_only_rule(rule: Rule, canary_service: str) -> bool:
    """True when the rule's single backendRef is the canary (the plugin's structural managed-rule test)."""
    refs = rule.get("backendRefs") or []
    return len(refs) == 1 and refs[0].get("name") == canary_service


def is_managed_rule(rule: Rule, canary_service: str, managed_names: Iterable[str]) -> bool:
    """True for a header rule the plugin injected: by its name, or by its canary-only shape."""
    name = rule.get("name")
    named = isinstance(name, str) and is_managed_rule_name(name, managed_names)
    return named or is_canary_only_rule(rule, canary_service)


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


def missing_backends(route: Route, stable: str, canary: str, managed: Iterable[str] = ()) -> list[str]:
    """The Services among stable and canary that no weighted rule of `route` references."""
    names = backend_names(weighted_rules(route, canary, managed))
    return [service for service in (stable, canary) if service not in names]


def holds_both(route: Route, stable: str, canary: str, managed: Iterable[str] = ()) -> bool:
    """True when a weighted rule of `route` references both Services (a canary split happens in a rule)."""
    return any({stable, canary} <= backend_names([rule]) for rule in weighted_rules(route, canary, managed))


def check_weight(weight: object, max_weight: int) -> None:
    """`ArgumentError` unless `weight` is an integer in 0..`max_weight`."""
    if isinstance(weight, bool) or not isinstance(weight, int) or not 0 <= weight <= max_weight:
        raise ArgumentError(f"canary weight must be an integer in 0..{max_weight}, got {weight!r}")


def set_canary_weight(
    route: Route,
    stable: str,
    canary: str,
    weight: int,
    max_weight: int = 100,
    managed_names: Iterable[str] = (),
) -> Route:
    """A copy of `route`: canary backendRefs at `weight`, stable ones at `max_weight - weight`.

    Weight 0 on a route that no longer holds the canary (someone removed it) only sets the stable weight:
    no traffic can reach the canary there. Any other weight needs both Services.
    """
    check_weight(weight, max_weight)
    names = tuple(managed_names)
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


def read_canary_weight(route: Route, stable: str, canary: str, managed_names: Iterable[str] = ()) -> int:
    """The canary weight in force on `route`: 0 without a canary backendRef; rules must agree.

    An unset weight reads as 1, the CRDs' default. `RoutingError` when the stable Service is gone.
    """
    rules = weighted_rules(route, canary, managed_names)
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


def ensure_in_progress_label(
    route: Route,
    weight: int,
    key: str = IN_PROGRESS_LABEL_KEY,
    value: str = IN_PROGRESS_LABEL_VALUE,
    disabled: bool = False,
) -> Route:
    """A copy of `route` labelled `key=value` while `weight > 0`, unlabelled at 0 (ensureInProgressLabel)."""
    result = copy.deepcopy(route)
    key, value = key or IN_PROGRESS_LABEL_KEY, value or IN_PROGRESS_LABEL_VALUE
    if disabled:
        return result
    if weight == 0:
        meta = result.get("metadata") or {}
        if key in (meta.get("labels") or {}):
            del meta["labels"][key]
            if not meta["labels"]:
                del meta["labels"]  # Go's omitempty drops the emptied map
        return result
    meta = result.setdefault("metadata", {})
    labels = meta.get("labels")
    meta["labels"] = {**(labels or {}), key: value}
    return result
