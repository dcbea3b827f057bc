"""Label and field selectors, as in `?labelSelector=app=web,tier in (a,b),!canary`."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

_SET_REQUIREMENT = re.compile(r"^(?P<key>[^\s!=(),]+)\s+(?P<op>in|notin)\s*\((?P<values>[^()]*)\)$")
_EQUALITY_REQUIREMENT = re.compile(r"^(?P<key>[^\s!=(),]+)\s*(?P<op>==|=|!=)\s*(?P<value>[^\s!=(),]*)$")
_KEY = re.compile(r"^[^\s!=(),]+$")


@dataclass(frozen=True)
class Requirement:
    """One selector clause: `operator` is `in`, `notin`, `exists` or `!exists` (`k=v` is `in` {v})."""

    key: str
    operator: str
    values: frozenset[str] = frozenset()

    def matches(self, labels: Mapping[str, str]) -> bool:
        """True when `labels` satisfy this clause (`notin` also matches a missing key, as in Kubernetes)."""
        if self.operator == "exists":
            return self.key in labels
        if self.operator == "!exists":
            return self.key not in labels
        if self.operator == "in":
            return labels.get(self.key) in self.values
        return labels.get(self.key) not in self.values


def split_clauses(selector: str) -> list[str]:
    """Split on the commas that are not inside parentheses; blank clauses are dropped."""
    clauses, current, depth = [], "", 0
    for char in selector:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char == "," and depth == 0:
            clauses.append(current)
            current = ""
        else:
            current += char
    clauses.append(current)
    return [clause.strip() for clause in clauses if clause.strip()]


def parse_label_selector(selector: str) -> list[Requirement]:
    """Parse a label selector string; ValueError names the clause it cannot read."""
    return [_parse_clause(clause) for clause in split_clauses(selector)]


def _parse_clause(clause: str) -> Requirement:
    """One clause: `k=v`, `k==v`, `k!=v`, `k`, `!k`, `k in (a,b)` or `k notin (a,b)`."""
    if clause.startswith("!") and _KEY.match(clause[1:].strip()):
        return Requirement(clause[1:].strip(), "!exists")
    if _KEY.match(clause):
        return Requirement(clause, "exists")
    found = _SET_REQUIREMENT.match(clause)
    if found:
        values = frozenset(value.strip() for value in found["values"].split(",") if value.strip())
        return Requirement(found["key"], found["op"], values)
    found = _EQUALITY_REQUIREMENT.match(clause)
    if found:
        return Requirement(
            found["key"], "notin" if found["op"] == "!=" else "in", frozenset([found["value"]])
        )
    raise ValueError(f"unable to parse requirement: {clause!r}")


def labels_match(requirements: list[Requirement], labels: Mapping[str, str] | None) -> bool:
    """True when every requirement holds for `labels` (an empty selector matches everything)."""
    return all(requirement.matches(labels or {}) for requirement in requirements)


def requirements_from_label_selector(selector: Mapping[str, Any]) -> list[Requirement]:
    """Requirements of a `LabelSelector` object (`matchLabels` plus `matchExpressions`)."""
    operators = {"In": "in", "NotIn": "notin", "Exists": "exists", "DoesNotExist": "!exists"}
    requirements = [
        Requirement(k, "in", frozenset([v])) for k, v in (selector.get("matchLabels") or {}).items()
    ]
    for expression in selector.get("matchExpressions") or []:
        operator = operators[expression["operator"]]
        requirements.append(
            Requirement(expression["key"], operator, frozenset(expression.get("values") or []))
        )
    return requirements


def selector_string(match_labels: Mapping[str, str]) -> str:
    """`{"app": "web", "tier": "fe"}` as `app=web,tier=fe` (the form a Scale's `status.selector` uses)."""
    return ",".join(f"{key}={value}" for key, value in sorted(match_labels.items()))


def parse_field_selector(selector: str) -> list[tuple[str, bool, str]]:
    """Parse `metadata.name=web,status.phase!=Failed` into `(path, wanted_equal, value)` triples."""
    clauses = []
    for clause in split_clauses(selector):
        found = _EQUALITY_REQUIREMENT.match(clause)
        if not found:
            raise ValueError(f"invalid field selector: {clause!r}")
        clauses.append((found["key"], found["op"] != "!=", found["value"]))
    return clauses


def fields_match(clauses: list[tuple[str, bool, str]], obj: Mapping[str, Any]) -> bool:
    """True when each dotted field of `obj` equals (or differs from) its value, compared as text."""
    return all((_field_text(obj, path) == value) == wanted_equal for path, wanted_equal, value in clauses)


def object_matches(
    labels: list[Requirement], fields: list[tuple[str, bool, str]], obj: Mapping[str, Any]
) -> bool:
    """True when `obj` matches both a list's or watch's label selector and its field selector."""
    return labels_match(labels, (obj.get("metadata") or {}).get("labels")) and fields_match(fields, obj)


def _field_text(obj: Mapping[str, Any], path: str) -> str:
    """The value at a dotted path as text ('' when missing)."""
    value: Any = obj
    for part in path.split("."):
        value = value.get(part) if isinstance(value, Mapping) else None
    return "" if value is None else str(value)
