"""Run-time helpers behind the syntax: indexes, members, slices, ranges, string operators, bool checks."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from canarykit.conditions.budget import charge, charge_scan
from canarykit.conditions.conversions import conversion_error, go_kind, map_key, to_go_int
from canarykit.conditions.gotypes import (
    FrozenFloat64s,
    go_preview,
    go_type,
    is_array,
    is_number,
)
from canarykit.conditions.limits import MAX_LIST_LENGTH
from canarykit.errors import ConditionEvaluationError


def fetch(container: Any, key: Any) -> Any:
    """`a[i]` and `a.name`: negative indexes count from the end; a missing map key is nil."""
    if is_array(container) or type(container) is str:
        length = len(container)
        index = key if type(key) is int else to_go_int(key)
        position = index + length if index < 0 else index
        if not 0 <= position < length:
            raise ConditionEvaluationError(f"index out of range: {position} (array length is {length})")
        return container[position]
    if isinstance(container, Mapping):
        return container.get(map_key(key))
    raise ConditionEvaluationError(f"cannot fetch {go_preview(key)} from {go_type(container)}")


def _index(container: Any, key: Any) -> int:
    if type(key) is int:
        return key
    if type(key) is float and key == key and abs(key) < 2**63:
        return int(key)
    raise ConditionEvaluationError(f"cannot fetch {go_preview(key)} from {go_type(container)}")


def slice_of(container: Any, lower: Any, upper: Any) -> Any:
    """`a[i:j]`, `a[:j]`, `a[i:]`: bounds are clamped as in expr, never an error."""
    if not (is_array(container) or type(container) is str):
        raise ConditionEvaluationError(f"cannot slice {go_type(container)}")
    start = None if lower is None else _index(container, lower)
    stop = None if upper is None else _index(container, upper)
    part: Any = container[start:stop]
    charge(len(part))
    if isinstance(container, FrozenFloat64s):  # slicing Go's []float64 gives a []float64
        return FrozenFloat64s(part)
    return part


def int_range(low: Any, high: Any) -> tuple[int, ...]:
    """`a..b`: the integers from a to b inclusive (empty when b < a); floats are truncated, as in expr."""
    first, last = to_go_int(low), to_go_int(high)
    if last - first + 1 > MAX_LIST_LENGTH:
        raise ConditionEvaluationError(f"range {first}..{last} is longer than {MAX_LIST_LENGTH} elements")
    charge(max(0, last - first + 1))
    return tuple(range(first, last + 1))


def as_bool(value: Any, context: str) -> bool:
    """`value` when it is a bool (`context` names the operator or function that needs one)."""
    if type(value) is bool:
        return value
    raise conversion_error(value, "bool")


def iterable(value: Any, function: str) -> Any:
    """The array a predicate function walks over; expr's machine takes the length of anything else."""
    if is_array(value):
        return value
    if value is None:
        raise ConditionEvaluationError("reflect: call of reflect.Value.Len on zero Value")
    if is_number(value) or type(value) is bool:
        raise ConditionEvaluationError(f"reflect: call of reflect.Value.Len on {go_kind(value)} Value")
    raise ConditionEvaluationError(f"invalid argument for {function} (type {go_type(value)})")


def is_nil(value: Any) -> bool:
    return value is None


def contains(text: Any, part: Any) -> bool:
    if text is None or part is None:
        return False
    _strings(text, part)
    charge_scan(len(text))
    return bool(part in text)


def starts_with(text: Any, prefix: Any) -> bool:
    if text is None or prefix is None:
        return False
    _strings(text, prefix)
    charge_scan(len(prefix))
    return bool(text.startswith(prefix))


def ends_with(text: Any, suffix: Any) -> bool:
    if text is None or suffix is None:
        return False
    _strings(text, suffix)
    charge_scan(len(suffix))
    return bool(text.endswith(suffix))


def _strings(*operands: Any) -> None:
    """expr's run time asserts both operands of `contains` and friends are strings (a nil one gives false)."""
    for operand in operands:
        if type(operand) is not str:
            raise conversion_error(operand, "string")


def numeric(value: Any, function: str) -> Any:
    """`value` when it is a number, else expr's `invalid argument for <function>` error."""
    if is_number(value):
        return value
    raise ConditionEvaluationError(f"invalid argument for {function} (type {go_type(value)})")
