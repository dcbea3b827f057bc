"""expr-lang's scalar builtins (`len`, `abs`, `round`, `string`, ...) and Argo's (`asInt`, `isNil`, ...)."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any, NoReturn

from canarykit.conditions.access import fetch, numeric
from canarykit.conditions.budget import charge
from canarykit.conditions.conversions import conversion_error
from canarykit.conditions.gotypes import (
    go_format,
    go_preview,
    go_type,
    is_array,
    is_number,
)
from canarykit.conditions.limits import MAX_STRING_LENGTH
from canarykit.conditions.operators import wrap_int
from canarykit.errors import ConditionEvaluationError

_GO_INT = re.compile(r"[+-]?[0-9]+", re.ASCII)
_GO_FLOAT = re.compile(  # one way to match each text: a failed match backtracks in linear time
    r"[+-]?(?:(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?|inf|infinity|nan)", re.I | re.ASCII
)
_INT64_MIN = -(2**63)


def length(value: Any) -> int:
    if isinstance(value, str | Mapping) or is_array(value):
        return len(value)
    raise ConditionEvaluationError(f"invalid argument for len (type {go_type(value)})")


def absolute(value: Any) -> Any:
    number = numeric(value, "abs")
    return wrap_int(abs(number)) if type(number) is int else abs(number)


def ceil(value: Any) -> float:
    number = float(numeric(value, "ceil"))
    return number if not math.isfinite(number) else float(math.ceil(number))


def floor(value: Any) -> float:
    number = float(numeric(value, "floor"))
    return number if not math.isfinite(number) else float(math.floor(number))


def round_half_away(value: Any) -> float:
    """Go's `math.Round`: halves round away from zero."""
    number = float(numeric(value, "round"))
    if not math.isfinite(number):
        return number
    whole = float(math.trunc(number))
    if abs(number - whole) >= 0.5:
        whole += math.copysign(1.0, number)
    return whole


def first(value: Any) -> Any:
    """The first element, or nil when there is none (expr swallows the error)."""
    try:
        return fetch(value, 0)
    except ConditionEvaluationError:
        return None


def last(value: Any) -> Any:
    try:
        return fetch(value, -1)
    except ConditionEvaluationError:
        return None


def keys(value: Any) -> tuple[Any, ...]:
    if isinstance(value, Mapping):
        charge(len(value))
        return tuple(value.keys())
    raise ConditionEvaluationError(f"invalid argument for keys (type {go_type(value)})")


def values(value: Any) -> tuple[Any, ...]:
    if isinstance(value, Mapping):
        charge(len(value))
        return tuple(value.values())
    raise ConditionEvaluationError(f"invalid argument for values (type {go_type(value)})")


def to_string(value: Any) -> str:
    """expr's `string(x)`: Go's `%v` text (formatting stops once it is too long)."""
    text = go_format(value, MAX_STRING_LENGTH)
    charge(len(text))
    return text


def _float_arg(value: Any, function: str) -> float:
    """A number for Argo's `isNaN(float64)`; anything else reaches it only as `interface {}` and fails Go's
    type assertion (the type check refuses it when the type is known)."""
    if is_number(value):
        return float(value)
    raise conversion_error(value, "float64")


def is_nan(value: Any) -> bool:
    return math.isnan(_float_arg(value, "isNaN"))


def is_inf(value: Any) -> bool:
    return math.isinf(_float_arg(value, "isInf"))


def argo_is_nil(_ignored: Any, result: Any) -> bool:
    """Argo's `isNil(x)`: ignores x and tells whether the whole result is nil."""
    return result is None


def argo_default(_ignored: Any, fallback: Any, result: Any) -> Any:
    """Argo's `default(x, d)`: ignores x; d when the whole result is nil, else the result."""
    return fallback if result is None else result


def _truncate(number: float) -> int:
    """Go's int64(float64) on amd64: truncation, with NaN and overflow giving the minimum int64."""
    if not math.isfinite(number) or not -(2.0**63) <= number < 2.0**63:
        return _INT64_MIN
    return int(number)


def _parse_int(text: str, where: str) -> int:
    if not _GO_INT.fullmatch(text):
        raise ConditionEvaluationError(f'{where}: parsing "{text}": invalid syntax')
    if len(text.lstrip("+-").lstrip("0")) > 19:  # past int64 (and past what Python converts quickly)
        raise ConditionEvaluationError(f'{where}: parsing "{text}": value out of range')
    number = int(text)
    if wrap_int(number) != number:
        raise ConditionEvaluationError(f'{where}: parsing "{text}": value out of range')
    return number


def _parse_float(text: str, where: str) -> float:
    if not _GO_FLOAT.fullmatch(text):
        raise ConditionEvaluationError(f'{where}: parsing "{text}": invalid syntax')
    number = float(text)
    if math.isinf(number) and "inf" not in text.lower():
        raise ConditionEvaluationError(f'{where}: parsing "{text}": value out of range')
    return number


def _integer(number: int | float) -> int:
    return number if type(number) is int else _truncate(number)


def as_int(value: Any) -> int:
    """Argo's `asInt`: numbers truncate, strings must be base-10 integers."""
    if type(value) is str:
        return _parse_int(value, "strconv.ParseInt")
    return _integer(value) if is_number(value) else _unsupported("asInt", value)


def as_float(value: Any) -> float:
    """Argo's `asFloat`: numbers, and strings Go's `strconv.ParseFloat` accepts."""
    if type(value) is str:
        return _parse_float(value, "strconv.ParseFloat")
    return float(value) if is_number(value) else _unsupported("asFloat", value)


def _unsupported(function: str, value: Any) -> NoReturn:
    """Argo's panic for a value its helper cannot convert: `asInt() not supported on bool true`."""
    raise ConditionEvaluationError(f"{function}() not supported on {go_type(value)} {go_preview(value)}")


def to_int(value: Any) -> int:
    """expr's `int(x)`: a string it cannot parse is `invalid operation: int(text)`."""
    if type(value) is str:
        try:
            return _parse_int(value, "strconv.Atoi")
        except ConditionEvaluationError:
            raise ConditionEvaluationError(f"invalid operation: int({go_preview(value)})") from None
    if is_number(value):
        return _integer(value)
    raise ConditionEvaluationError(f"invalid operation: int({go_type(value)})")


def to_float(value: Any) -> float:
    """expr's `float(x)`: a string it cannot parse is `invalid operation: float(text)`."""
    if type(value) is str:
        try:
            return _parse_float(value, "strconv.ParseFloat")
        except ConditionEvaluationError:
            raise ConditionEvaluationError(f"invalid operation: float({go_preview(value)})") from None
    if is_number(value):
        return float(value)
    raise ConditionEvaluationError(f"invalid operation: float({go_type(value)})")
