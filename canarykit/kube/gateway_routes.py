"""Gateway API route weights and the in-progress label, as pure functions on route dicts.

Semantics of argoproj-labs/rollouts-plugin-trafficrouter-gatewayapi (`pkg/plugin/httproute.go`,
`grpcroute.go`, `labels.go`), for HTTPRoute and GRPCRoute alike:

- SetWeight walks every rule except the plugin's own header rules (named after a managed route, `name` or
  `name-N`, or holding exactly one backendRef, the canary); each backendRef named after the canary Service
  gets `weight: w`, each named after the stable one `weight: 100 - w` (here `max_weight - w`), even in a rule
  that holds only one of them. It fails when the canary or the stable backendRef is missing from every such
  rule.
- The in-progress label is set on every weight change above 0 and removed at weight 0.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable, Iterator
from typing import Any

from canarykit.errors import ArgumentError, RoutingError

IN_PROGRESS_LABEL_KEY = "rollouts.argoproj.io/gatewayapi-canary"
IN_PROGRESS_LABEL_VALUE = "in-progress"

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


def _weighted_rules(route: Route, canary_service: str, managed_names: Iterable[str]) -> Iterator[Rule]:
    """The route's rules that carry traffic weights (all but the managed header rules)."""
    names = tuple(managed_names)
    for rule in (route.get("spec") or {}).get("rules") or []:
        if not is_managed_rule(rule, canary_service, names):
            yield rule


def set_canary_weight(
    route: Route,
    stable_service: str,
    canary_service: str,
    weight: int,
    max_weight: int = 100,
    managed_names: Iterable[str] = (),
) -> Route:
    """A copy of `route`: the canary's backendRefs at `weight`, the stable's at `max_weight - weight`."""
    if isinstance(weight, bool) or not isinstance(weight, int) or not 0 <= weight <= max_weight:
        raise ArgumentError(f"canary weight must be an integer in 0..{max_weight}, got {weight!r}")
    result = copy.deepcopy(route)
    found = {canary_service: False, stable_service: False}
    targets = {canary_service: weight, stable_service: max_weight - weight}
    for rule in _weighted_rules(result, canary_service, managed_names):
        for ref in rule.get("backendRefs") or []:
            if ref.get("name") in targets:
                ref["weight"] = targets[ref["name"]]
                found[ref["name"]] = True
    missing = [name for name, seen in found.items() if not seen]
    if missing:
        raise RoutingError(
            f"{route_label(route)}: backendRef {', '.join(repr(m) for m in missing)} was not found in its "
            f"rules (it needs backendRefs to both {stable_service!r} and {canary_service!r})"
        )
    return result


def read_canary_weight(
    route: Route, stable_service: str, canary_service: str, managed_names: Iterable[str] = ()
) -> int:
    """The canary backendRef weight the route holds (1, the CRD default, when unset); rules must agree."""
    weights: set[int] = set()
    stable_seen = False
    for rule in _weighted_rules(route, canary_service, managed_names):
        for ref in rule.get("backendRefs") or []:
            stable_seen = stable_seen or ref.get("name") == stable_service
            if ref.get("name") == canary_service:
                weights.add(int(ref.get("weight", 1)))
    if not weights or not stable_seen:
        raise RoutingError(
            f"{route_label(route)}: no rules with backendRefs to {stable_service!r} and {canary_service!r}"
        )
    if len(weights) > 1:
        raise RoutingError(f"{route_label(route)}: rules disagree on the canary weight: {sorted(weights)}")
    return weights.pop()


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
