"""Go's run-time conversions as expr-lang's machine makes them: `ToInt`, `ToFloat64`, map keys, and
failed type assertions (`interface conversion: interface {} is string, not bool`)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from canarykit.conditions.gotypes import go_type, is_array, is_number
from canarykit.errors import ConditionEvaluationError

_INT64_MIN = -(2**63)


def go_kind(value: object) -> str:
    """Go's `reflect.Kind` name for a value: `float64`, `slice`, `map`, `invalid` for nil, ..."""
    if is_array(value):
        return "slice"
    if isinstance(value, Mapping):
        return "map"
    return "invalid" if value is None else go_type(value)


def conversion_error(value: object, wanted: str) -> ConditionEvaluationError:
    """Go's failed type assertion, as expr's machine reports a value of the wrong type."""
    held = "nil" if value is None else go_type(value)
    return ConditionEvaluationError(f"interface conversion: interface {{}} is {held}, not {wanted}")


def to_go_int(value: Any) -> int:
    """expr's `runtime.ToInt`: ints, and floats truncated as Go's int(x) on amd64 (NaN and overflow give
    the smallest int64); anything else is `invalid operation: int(T)`."""
    if type(value) is int:
        return value
    if type(value) is float:
        return int(value) if math.isfinite(value) and -(2.0**63) <= value < 2.0**63 else _INT64_MIN
    raise ConditionEvaluationError(f"invalid operation: int({go_type(value)})")


def to_go_float(value: Any) -> float:
    """expr's `runtime.ToFloat64`: numbers; anything else is `invalid operation: float(T)`."""
    if is_number(value):
        return float(value)
    raise ConditionEvaluationError(f"invalid operation: float({go_type(value)})")


def map_key(key: Any) -> str:
    """A key to look up in a `map[string]interface {}` as Go's reflection does: nil reads the empty key."""
    if key is None:
        return ""
    if type(key) is str:
        return key
    raise ConditionEvaluationError(
        f"reflect.Value.MapIndex: value of type {go_type(key)} is not assignable to type string"
    )
