"""Values as expr-lang sees them: Go type names, Go's `%v` formatting, and a frozen copy of `result`."""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping, Sequence
from decimal import Decimal
from types import MappingProxyType
from typing import Any, TypeGuard

from canarykit.conditions.limits import MAX_RESULT_DEPTH
from canarykit.errors import ConditionEvaluationError

_SCALARS = frozenset({bool, int, float, str, type(None)})
_TYPE_NAMES = {bool: "bool", int: "int", float: "float64", str: "string", type(None): "<nil>"}


def is_number(value: object) -> bool:
    """An int or a float, but not a bool (Go keeps them apart)."""
    kind = type(value)
    return kind is int or kind is float


def is_array(value: object) -> TypeGuard[tuple[Any, ...] | list[Any]]:
    """A tuple (frozen data) or a list (built by the condition): Go's `[]interface {}`."""
    return isinstance(value, tuple | list)


def go_type(value: object) -> str:
    """Go's `%T` name for a value: `float64`, `string`, `<nil>`, `[]interface {}`, ..."""
    name = _TYPE_NAMES.get(type(value))
    if name is not None:
        return name
    if is_array(value):
        return "[]interface {}"
    if isinstance(value, Mapping):
        return "map[string]interface {}"
    return type(value).__name__


def go_format(value: object) -> str:
    """Go's `fmt.Sprint` (`%v`) text for a value."""
    if value is None:
        return "<nil>"
    if type(value) is bool:
        return "true" if value else "false"
    if type(value) is float:
        return format_float(value)
    if isinstance(value, str):
        return value
    if is_array(value):
        return "[" + " ".join(go_format(item) for item in value) + "]"
    if isinstance(value, Mapping):
        pairs = sorted((go_format(key), go_format(item)) for key, item in value.items())
        return "map[" + " ".join(f"{key}:{item}" for key, item in pairs) + "]"
    return str(value)


def format_float(value: float) -> str:
    """Go's `%v` for a float64: shortest digits, exponent form below 1e-4 and from 1e6 up."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    if value == 0:
        return "-0" if math.copysign(1.0, value) < 0 else "0"
    sign, digit_tuple, exponent = Decimal(repr(value)).normalize().as_tuple()
    digits = "".join(map(str, digit_tuple))
    point = len(digits) + int(exponent)  # digits before the decimal point
    prefix = "-" if sign else ""
    if point - 1 < -4 or point - 1 >= 6:
        mantissa = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
        power = point - 1
        return f"{prefix}{mantissa}e{'-' if power < 0 else '+'}{abs(power):02d}"
    if point <= 0:
        return f"{prefix}0.{'0' * -point}{digits}"
    if point >= len(digits):
        return prefix + digits + "0" * (point - len(digits))
    return f"{prefix}{digits[:point]}.{digits[point:]}"


def freeze(value: Any, depth: int = 0) -> Any:
    """An immutable copy of a result: lists become tuples, mappings read-only views, numbers plain."""
    if type(value) in _SCALARS:
        return value
    if depth >= MAX_RESULT_DEPTH:
        raise ConditionEvaluationError(f"result is nested more than {MAX_RESULT_DEPTH} levels deep")
    if isinstance(value, Mapping):
        return MappingProxyType({key: freeze(item, depth + 1) for key, item in value.items()})
    if isinstance(value, Sequence) and not isinstance(value, str | bytes | bytearray):
        return tuple(freeze(item, depth + 1) for item in value)
    return _plain_scalar(value)


def _plain_scalar(value: Any) -> Any:
    if isinstance(value, str):
        return str(value)
    if isinstance(value, bool) or type(value).__name__ == "bool_":
        return bool(value)
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real | Decimal):
        return float(value)
    raise ConditionEvaluationError(f"unsupported result value of type {type(value).__name__}")
