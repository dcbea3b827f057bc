"""expr-lang's operators with Go semantics: int64 arithmetic, IEEE division, typed comparisons."""

from __future__ import annotations

import ast
import math
from collections.abc import Callable, Mapping
from typing import Any

from canarykit.conditions.budget import charge, charge_scan
from canarykit.conditions.conversions import conversion_error, map_key, to_go_float
from canarykit.conditions.gotypes import go_preview, go_type, is_array, is_number
from canarykit.conditions.limits import MAX_POWER, MAX_STRING_LENGTH
from canarykit.errors import ConditionEvaluationError

_INT64_MIN = -(2**63)
_UINT64 = 2**64


def wrap_int(value: int) -> int:
    """`value` wrapped to int64 like Go's overflowing arithmetic."""
    if _INT64_MIN <= value < -_INT64_MIN:
        return value
    return (value - _INT64_MIN) % _UINT64 + _INT64_MIN


def invalid(left: object, operator: str, right: object) -> ConditionEvaluationError:
    return ConditionEvaluationError(f"invalid operation: {go_type(left)} {operator} {go_type(right)}")


def add(left: Any, right: Any) -> Any:
    if is_number(left) and is_number(right):
        total = left + right
        return wrap_int(total) if type(total) is int else total
    if type(left) is str and type(right) is str:
        if len(left) + len(right) > MAX_STRING_LENGTH:
            raise ConditionEvaluationError(f"string longer than {MAX_STRING_LENGTH} characters")
        charge(len(left) + len(right))
        return left + right
    raise invalid(left, "+", right)


def subtract(left: Any, right: Any) -> Any:
    if is_number(left) and is_number(right):
        difference = left - right
        return wrap_int(difference) if type(difference) is int else difference
    raise invalid(left, "-", right)


def multiply(left: Any, right: Any) -> Any:
    if is_number(left) and is_number(right):
        product = left * right
        return wrap_int(product) if type(product) is int else product
    raise invalid(left, "*", right)


def divide(left: Any, right: Any) -> float:
    """Always float64 division; a zero divisor gives ±Inf or NaN as in Go."""
    if not (is_number(left) and is_number(right)):
        raise invalid(left, "/", right)
    numerator, denominator = float(left), float(right)
    if denominator != 0:
        return numerator / denominator
    if numerator == 0 or math.isnan(numerator):
        return math.nan
    return math.copysign(math.inf, numerator) * math.copysign(1.0, denominator)


def modulo(left: Any, right: Any) -> int:
    """Go's `%` on integers: the sign follows the dividend."""
    if type(left) is not int or type(right) is not int:
        raise invalid(left, "%", right)
    if right == 0:
        raise ConditionEvaluationError("integer divide by zero")
    remainder = abs(left) % abs(right)
    return wrap_int(-remainder if left < 0 else remainder)


def power(base: Any, exponent: Any) -> float:
    """Go's `math.Pow` (always float64), with the exponent capped at `MAX_POWER`."""
    x, y = to_go_float(base), to_go_float(exponent)
    if not abs(y) <= MAX_POWER:
        raise ConditionEvaluationError(f"exponent {go_preview(exponent)} is too large (limit {MAX_POWER})")
    try:
        return math.pow(x, y)
    except OverflowError:
        odd = y.is_integer() and y % 2 == 1
        return -math.inf if x < 0 and odd else math.inf
    except ValueError:  # 0 ** negative, or a negative base with a fractional exponent
        if x != 0:
            return math.nan
        odd = y.is_integer() and y % 2 == 1
        return math.copysign(math.inf, x) if odd else math.inf


def negate(operand: Any) -> Any:
    if is_number(operand):
        return wrap_int(-operand) if type(operand) is int else -operand
    raise ConditionEvaluationError(f"invalid operation: - {go_type(operand)}")


def plus(operand: Any) -> Any:
    """Unary `+` leaves its operand as it is (expr's checker refuses it on what is not a number)."""
    return operand


def logical_not(operand: Any) -> bool:
    if type(operand) is bool:
        return not operand
    raise conversion_error(operand, "bool")


def equal(left: Any, right: Any) -> bool:
    """expr's `==`: numbers by value across int and float, lists and maps element by element, NaN unequal."""
    if is_number(left) and is_number(right):
        return bool(left == right)
    if is_array(left):
        charge(len(left))
        return is_array(right) and len(left) == len(right) and all(map(equal, left, right))
    if isinstance(left, Mapping):
        if not isinstance(right, Mapping) or left.keys() != right.keys():
            return False
        charge(len(left))
        return all(equal(left[key], right[key]) for key in left)
    if type(left) is str and type(right) is str:
        charge_scan(min(len(left), len(right)))
    return type(left) is type(right) and bool(left == right)


def not_equal(left: Any, right: Any) -> bool:
    return not equal(left, right)


def _ordered(left: Any, right: Any) -> bool:
    """Whether `<` and friends are defined: two numbers or two strings."""
    return (is_number(left) and is_number(right)) or (type(left) is str and type(right) is str)


def less(left: Any, right: Any) -> bool:
    if _ordered(left, right):
        return bool(left < right)
    raise invalid(left, "<", right)


def greater(left: Any, right: Any) -> bool:
    if _ordered(left, right):
        return bool(left > right)
    raise invalid(left, ">", right)


def less_equal(left: Any, right: Any) -> bool:
    if _ordered(left, right):
        return bool(left <= right)
    raise invalid(left, "<=", right)


def greater_equal(left: Any, right: Any) -> bool:
    if _ordered(left, right):
        return bool(left >= right)
    raise invalid(left, ">=", right)


def contained(needle: Any, haystack: Any) -> bool:
    """expr's `in`: an element of an array (by `==`) or a key of a map; nothing is in nil."""
    if is_array(haystack):
        charge(len(haystack))
        return any(equal(item, needle) for item in haystack)
    if isinstance(haystack, Mapping):
        return map_key(needle) in haystack
    if haystack is None:
        return False
    raise ConditionEvaluationError(f'operator "in" not defined on {go_type(haystack)}')


def not_contained(needle: Any, haystack: Any) -> bool:
    return not contained(needle, haystack)


OPERATORS: dict[type[ast.AST], Callable[..., Any]] = {
    ast.Add: add,
    ast.Sub: subtract,
    ast.Mult: multiply,
    ast.Div: divide,
    ast.Mod: modulo,
    ast.Pow: power,
    ast.USub: negate,
    ast.UAdd: plus,
    ast.Not: logical_not,
    ast.Eq: equal,
    ast.NotEq: not_equal,
    ast.Lt: less,
    ast.Gt: greater,
    ast.LtE: less_equal,
    ast.GtE: greater_equal,
    ast.In: contained,
    ast.NotIn: not_contained,
}
"""The simpleeval operator table: every Python operator node the parser emits, with expr's meaning."""
