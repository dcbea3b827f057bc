"""Reading a saved rollout record back: every field checked before the rollout acts on any of it."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

from pydantic import TypeAdapter, ValidationError

from canarykit.errors import StateError
from canarykit.rollout.status import SCHEMA, RolloutStatus
from canarykit.steps import Plan

_ADAPTER = TypeAdapter(RolloutStatus)
MAX_REJECTED = 50
"""Rejected versions remembered per rollout (the oldest are forgotten first)."""


def plan_fingerprint(plan: Plan) -> str:
    """A short digest of the steps, so a record is never resumed under a plan it was not made for."""
    return hashlib.sha256(repr(plan).encode()).hexdigest()[:16]


def parse_status(record: Mapping[str, Any], where: str, name: str, max_weight: int) -> RolloutStatus:
    """The status in `record`, or `StateError` naming `where` and the field when anything is off."""
    if record.get("schema") != SCHEMA:
        raise StateError(f"{where}: schema: expected {SCHEMA}, got {record.get('schema')!r}")
    try:
        status = _ADAPTER.validate_json(json.dumps(dict(record), allow_nan=False), strict=True)
    except (ValidationError, TypeError, ValueError) as error:
        raise StateError(f"{where}: {_first_problem(error)}") from None
    if status.name != name:
        raise StateError(f"{where}: name: the record is rollout {status.name!r}'s, not {name!r}'s")
    _check_ranges(status, where, max_weight)
    return status


def check_plan(status: RolloutStatus, where: str, plan: Plan) -> None:
    """An unfinished record must have been made for `plan`: its steps, its step count."""
    if status.plan != plan_fingerprint(plan) or status.step_count != len(plan):
        raise StateError(
            f"{where}: plan: the record was made for other steps ({status.step_count} steps, fingerprint "
            f"{status.plan!r}); finish or abort it with the plan it was started with"
        )
    if status.step_index > len(plan):
        raise StateError(f"{where}: step_index: {status.step_index} is past the last step ({len(plan)})")


def _check_ranges(status: RolloutStatus, where: str, max_weight: int) -> None:
    weights = {"weight": status.weight, "set_weight": status.set_weight}
    if status.pending_weight is not None:
        weights["pending_weight"] = status.pending_weight
    weights.update({f"weight_history[{i}]": w for i, w in enumerate(status.weight_history)})
    for field, weight in weights.items():
        if not 0 <= weight <= max(max_weight, 100):
            raise StateError(f"{where}: {field}: weight {weight} is outside 0..{max(max_weight, 100)}")
    lowest = {"revision": 1, "step_index": 0, "step_count": 0}
    for field, least in lowest.items():
        if getattr(status, field) < least:
            raise StateError(f"{where}: {field}: {getattr(status, field)} is below {least}")
    if status.step_index > status.step_count:
        raise StateError(f"{where}: step_index: {status.step_index} is past step_count {status.step_count}")


def _first_problem(error: Exception) -> str:
    if not isinstance(error, ValidationError):
        return f"not a record ({type(error).__name__})"
    first = error.errors()[0]
    path = ".".join(str(part) for part in first["loc"]) or "record"
    problem = "unknown field" if first["type"] == "extra_forbidden" else first["msg"]
    return f"{path}: {problem}"
