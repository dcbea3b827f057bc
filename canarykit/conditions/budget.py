"""The per-evaluation work budget (`limits.MAX_WORK`), kept per thread and reset by each evaluation."""

from __future__ import annotations

import threading

from canarykit.conditions.limits import MAX_WORK, SCANNED_CHARACTERS_PER_UNIT
from canarykit.errors import ConditionEvaluationError


class _Remaining(threading.local):
    units: int = MAX_WORK


_REMAINING = _Remaining()


def start() -> int:
    """Give this thread a full budget; returns what was left before, for `restore`."""
    previous = _REMAINING.units
    _REMAINING.units = MAX_WORK
    return previous


def restore(units: int) -> None:
    _REMAINING.units = units


def charge(units: int) -> None:
    """Spend `units`; raises `ConditionEvaluationError` once the budget is exhausted."""
    remaining = _REMAINING.units - units
    _REMAINING.units = remaining
    if remaining < 0:
        raise ConditionEvaluationError(
            f"condition needs too much work (limit {MAX_WORK} elements per evaluation)"
        )


def charge_scan(characters: int) -> None:
    """Spend the work of searching a text of `characters` characters (one unit at least)."""
    charge(1 + characters // SCANNED_CHARACTERS_PER_UNIT)
