"""Run-time helpers behind the syntax: indexes, members, slices, ranges, string operators, bool checks."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from canarykit.conditions.budget import charge, charge_scan
from canarykit.conditions.gotypes import go_preview, go_type, is_array, is_number
from canarykit.conditions.limits import MAX_LIST_LENGTH
from canarykit.conditions.operators import invalid
from canarykit.errors import ConditionEvaluationError


def fetch(container: Any, key: Any) -> Any:
    """`a[i]` and `a.name`: negative indexes count from the end; a missing map key is nil."""
    if is_array(container) or type(container) is str:
        length = len(container)
        index = _index(container, key)
        position = index + length if index < 0 else index
        if not 0 <= position < length:
            raise ConditionEvaluationError(f"index out of range: {position} (array length {length})")
        return container[position]
    if isinstance(container, Mapping):
        try:
            return container.get(key)
        except TypeError:
            raise ConditionEvaluationError(f"cannot use {go_type(key)} as a map key") from None
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
    part = container[start:stop]
    charge(len(part))
    return part


def int_range(first: Any, last: Any) -> tuple[int, ...]:
    """`a..b`: the integers from a to b inclusive (empty when b < a)."""
    if type(first) is not int or type(last) is not int:
        raise invalid(first, "..", last)
    if last - first + 1 > MAX_LIST_LENGTH:
        raise ConditionEvaluationError(f"range {first}..{last} is longer than {MAX_LIST_LENGTH} elements")
    charge(max(0, last - first + 1))
    return tuple(range(first, last + 1))


def as_bool(value: Any, context: str) -> bool:
    """`value` when it is a bool; `context` names the operator or function that needs one."""
    if type(value) is bool:
        return value
    raise ConditionEvaluationError(f"invalid operation: {context} needs a bool, got {go_type(value)}")


def iterable(value: Any, function: str) -> Any:
    """The array a predicate function walks over."""
    if is_array(value):
        return value
    raise ConditionEvaluationError(f"invalid argument for {function} (type {go_type(value)})")


def is_nil(value: Any) -> bool:
    return value is None


def contains(text: Any, part: Any) -> bool:
    if type(text) is not str or type(part) is not str:
        raise invalid(text, "contains", part)
    charge_scan(len(text))
    return part in text


def starts_with(text: Any, prefix: Any) -> bool:
    if type(text) is not str or type(prefix) is not str:
        raise invalid(text, "startsWith", prefix)
    charge_scan(len(prefix))
    return text.startswith(prefix)


def ends_with(text: Any, suffix: Any) -> bool:
    if type(text) is not str or type(suffix) is not str:
        raise invalid(text, "endsWith", suffix)
    charge_scan(len(suffix))
    return text.endswith(suffix)


def numeric(value: Any, function: str) -> Any:
    """`value` when it is a number, else expr's `invalid argument for <function>` error."""
    if is_number(value):
        return value
    raise ConditionEvaluationError(f"invalid argument for {function} (type {go_type(value)})")
