"""Values as expr-lang sees them: Go type names, Go's `%v` formatting, and a frozen copy of `result`."""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from types import MappingProxyType
from typing import Any, TypeGuard

from canarykit.conditions.limits import MAX_RESULT_DEPTH, MAX_RESULT_ELEMENTS, MAX_STRING_LENGTH
from canarykit.errors import ConditionEvaluationError


class Float64s(list[float]):
    """A list of floats conditions type as Go's `[]float64` (a Prometheus vector), not `[]interface {}`.

    A plain list is typed as a JSON array is: its elements are `interface {}`, checked only at run time.
    """

    __slots__ = ()

    def __init__(self, values: Iterable[float] = ()) -> None:
        super().__init__(float(value) for value in values)


class FrozenFloat64s(tuple[float, ...]):
    """The immutable copy of a `Float64s` that conditions read."""

    __slots__ = ()


_SCALARS = frozenset({bool, int, float, str, type(None)})
_SEQUENCES = frozenset({list, tuple})
_TYPE_NAMES = {
    bool: "bool",
    int: "int",
    float: "float64",
    str: "string",
    type(None): "<nil>",
    FrozenFloat64s: "[]float64",
}


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


def go_format(value: object, limit: int = MAX_STRING_LENGTH) -> str:
    """Go's `fmt.Sprint` (`%v`) text for a value; `ConditionEvaluationError` past `limit` characters."""
    room = [limit]
    text = _format(value, room)
    if room[0] < 0:
        raise ConditionEvaluationError(f"string longer than {limit} characters")
    return text


def go_preview(value: object, limit: int = 200) -> str:
    """`go_format` for error messages: at most about `limit` characters."""
    if isinstance(value, str):
        return value if len(value) <= limit else value[:limit] + "..."
    try:
        return go_format(value, limit)
    except ConditionEvaluationError:
        return f"{go_type(value)} (too long to show)"


def _format(value: object, room: list[int]) -> str:
    """`%v` text; `room` holds the characters still allowed: formatting stops as soon as it is spent."""
    if is_array(value):
        room[0] -= 1 + len(value)
        return "[" + " ".join(_format_all(value, room)) + "]"
    if isinstance(value, Mapping):
        room[0] -= 4 + 2 * len(value)
        keys = _format_all(value.keys(), room)
        items = _format_all(value.values(), room)
        return (
            "map[" + " ".join(f"{key}:{item}" for key, item in sorted(zip(keys, items, strict=False))) + "]"
        )
    text = _scalar_text(value)
    room[0] -= len(text)
    return text


def _format_all(values: Iterable[object], room: list[int]) -> list[str]:
    texts = []
    for value in values:
        if room[0] < 0:
            break
        texts.append(_format(value, room))
    return texts


def _scalar_text(value: object) -> str:
    if value is None:
        return "<nil>"
    if type(value) is bool:
        return "true" if value else "false"
    if type(value) is float:
        return format_float(value)
    if isinstance(value, str):
        return value
    if type(value) is int and value.bit_length() > 14_000:  # Python prints no int past 4300 digits
        raise ConditionEvaluationError(f"integer too large to format ({value.bit_length()} bits)")
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


def freeze(value: Any) -> Any:
    """An immutable copy of a result: lists become tuples, mappings read-only views, numbers plain."""
    try:
        return _freeze(value, 0, [MAX_RESULT_ELEMENTS])
    except ConditionEvaluationError:
        raise
    except Exception as error:  # Decimal("sNaN"), range(10**20), a broken __len__: the result's own fault
        raise ConditionEvaluationError(f"result cannot be read: {type(error).__name__}: {error}") from error


def _freeze(value: Any, depth: int, room: list[int]) -> Any:
    """`room` holds how many more elements may be copied (a result sharing one list many times is huge)."""
    kind = type(value)
    if kind in _SCALARS:
        return value
    if kind is Float64s:  # kept typed; what was appended to it since is made a float too
        _spend(room, len(value))
        return FrozenFloat64s([item if type(item) is float else float(item) for item in value])
    if depth >= MAX_RESULT_DEPTH:
        raise ConditionEvaluationError(f"result is nested more than {MAX_RESULT_DEPTH} levels deep")
    if kind is dict or (kind not in _SEQUENCES and isinstance(value, Mapping)):
        _spend(room, len(value))
        return MappingProxyType({key: _freeze(item, depth + 1, room) for key, item in value.items()})
    if kind in _SEQUENCES or (isinstance(value, Sequence) and not isinstance(value, str | bytes | bytearray)):
        _spend(room, len(value))
        return tuple([item if type(item) in _SCALARS else _freeze(item, depth + 1, room) for item in value])
    return _plain_scalar(value)


def _spend(room: list[int], elements: int) -> None:
    room[0] -= elements
    if room[0] < 0:
        raise ConditionEvaluationError(f"result has more than {MAX_RESULT_ELEMENTS} elements")


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
