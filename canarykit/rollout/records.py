"""Reading a saved rollout record back: every field checked before the rollout acts on any of it."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import fields
from typing import Any

from pydantic import TypeAdapter, ValidationError

from canarykit.analysis.progress import check_run_record
from canarykit.errors import StateError
from canarykit.rollout.analyses import BackgroundAnalysis
from canarykit.rollout.status import SCHEMA, RolloutStatus
from canarykit.steps import Plan
from canarykit.steps.kinds import MAX_WEIGHT

_ADAPTER = TypeAdapter(RolloutStatus)
FIELDS = tuple(field.name for field in fields(RolloutStatus))
MAX_REJECTED = 50
"""Rejected versions remembered per rollout (the oldest are forgotten first)."""
ADDED_LATER = {
    "paused": False,
    "stable_version": "",
    "undo_requested": False,
    "preview_version": "",
    "strategy": "Canary",
}
"""Fields added to schema 1 after its first release: a record written before them reads as their default."""
MAX_RECORDED_WEIGHT = 2**31 - 1
"""The largest weight a record may hold at all (Argo's `maxTrafficWeight` is an int32)."""


def plan_fingerprint(plan: Plan, analysis: BackgroundAnalysis | None, max_weight: int = MAX_WEIGHT) -> str:
    """A short digest of the steps, the background analysis and the weight scale (when not 100), so a
    record is never resumed under a plan it was not made for: `SetWeight(50)` of 1000 is not 50 of 100."""
    text = repr(plan)
    if analysis is not None:
        text += f" background from {analysis.starting_step}: {[m.name for m in analysis.metrics()]}"
    if max_weight != MAX_WEIGHT:
        text += f" out of {max_weight}"
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def parse_status(record: Mapping[str, Any], where: str, name: str, max_weight: int) -> RolloutStatus:
    """The status in `record`, or `StateError` naming `where` and the field when anything is off."""
    if record.get("schema") != SCHEMA:
        raise StateError(f"{where}: schema: expected {SCHEMA}, got {record.get('schema')!r}")
    record = {**ADDED_LATER, **record}
    missing = [name for name in FIELDS if name not in record]
    if missing:
        raise StateError(f"{where}: {', '.join(missing)}: required field missing")
    try:
        status = _ADAPTER.validate_json(json.dumps(dict(record), allow_nan=False), strict=True)
    except (ValidationError, TypeError, ValueError) as error:
        raise StateError(f"{where}: {_first_problem(error)}") from None
    if status.name != name:
        raise StateError(f"{where}: name: the record belongs to rollout {status.name!r}, not {name!r}")
    _check_ranges(status, where, max_weight)
    for run, run_record in status.analyses.items():
        check_run_record(run_record, f"{where}: analyses.{run}")
    return status


def check_plan(
    status: RolloutStatus,
    where: str,
    plan: Plan,
    analysis: BackgroundAnalysis | None,
    max_weight: int = MAX_WEIGHT,
) -> None:
    """An unfinished record must have been made for `plan`, `analysis` and the weight scale."""
    if status.plan != plan_fingerprint(plan, analysis, max_weight) or status.step_count != len(plan):
        raise StateError(
            f"{where}: plan: the record was made for other steps ({status.step_count} steps, fingerprint "
            f"{status.plan!r}); finish or abort it with the plan it was started with"
        )
    if status.step_index > len(plan):
        raise StateError(f"{where}: step_index: {status.step_index} is past the last step ({len(plan)})")


def _check_ranges(status: RolloutStatus, where: str, max_weight: int) -> None:
    """Weights within 0..`max_weight`: an unfinished record's are acted on. A finished one's are history,
    possibly on another scale (the router's `max_weight` changed since): only their sign is checked."""
    weights = {"weight": status.weight, "set_weight": status.set_weight}
    if status.pending_weight is not None:
        weights["pending_weight"] = status.pending_weight
    weights.update({f"weight_history[{i}]": w for i, w in enumerate(status.weight_history)})
    highest = MAX_RECORDED_WEIGHT if status.finished else max_weight
    for field, weight in weights.items():
        if not 0 <= weight <= highest:
            raise StateError(f"{where}: {field}: weight {weight} is outside 0..{highest}")
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
    unknown = first["type"] in ("extra_forbidden", "unexpected_keyword_argument")
    problem = "unknown field" if unknown else first["msg"]
    return f"{path}: {problem}"
