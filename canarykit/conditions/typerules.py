"""expr-lang's operand type rules (`checker/checker.go`, v1.17): operators, `?:`, `??`, indexes and slices.

Each rule takes the natures of the operands and returns the nature of the result, or raises
`ConditionEvaluationError` with expr's own message; an unknown operand defers its check to run time.
"""

from __future__ import annotations

from collections.abc import Callable

from canarykit.conditions.natures import (
    ARRAY,
    BOOL,
    FLOAT,
    INT,
    MAP_KEY,
    NIL,
    STRING,
    UNKNOWN,
    Nature,
)
from canarykit.errors import ConditionEvaluationError

_ORDERED = ("number", "string")
Rule = Callable[[Nature, Nature], "Nature | None"]


def fail(message: str) -> ConditionEvaluationError:
    return ConditionEvaluationError(message)


def mismatched(operator: str, left: Nature, right: Nature) -> ConditionEvaluationError:
    return fail(f"invalid operation: {operator} (mismatched types {left} and {right})")


def unary(operator: str, operand: Nature) -> Nature:
    """`!x`, `not x`, `-x`, `+x`."""
    if operator in ("!", "not"):
        if operand.kind == "bool" or operand.unknown:
            return BOOL
    elif operand.number:
        return operand
    elif operand.unknown:
        return UNKNOWN
    raise fail(f"invalid operation: {operator} (mismatched type {operand})")


def binary(operator: str, left: Nature, right: Nature) -> Nature:
    """`left operator right` for every binary operator but `in` and `??`."""
    rule = _RULES.get(operator)
    found = rule(left, right) if rule is not None else None
    if found is None:
        raise mismatched(operator, left, right)
    return found


def _equality(left: Nature, right: Nature) -> Nature | None:
    return BOOL if left.comparable_to(right) else None


def _logic(left: Nature, right: Nature) -> Nature | None:
    both = left.kind == "bool" and right.kind == "bool"
    return BOOL if both or left.maybe_compatible(right, "bool") else None


def _ordering(left: Nature, right: Nature) -> Nature | None:
    if (left.number and right.number) or (left.kind == "string" and right.kind == "string"):
        return BOOL
    return BOOL if left.maybe_compatible(right, *_ORDERED) else None


def _arithmetic(*checks: str) -> Rule:
    """`+`, `-` and `*`: numbers promote; `+` also joins strings."""

    def rule(left: Nature, right: Nature) -> Nature | None:
        if left.number and right.number:
            return left.promote(right)
        if "string" in checks and left.kind == "string" and right.kind == "string":
            return STRING
        return UNKNOWN if left.maybe_compatible(right, *checks) else None

    return rule


def _floating(left: Nature, right: Nature) -> Nature | None:
    """`/`, `**` and `^`: always float64."""
    both = left.number and right.number
    return FLOAT if both or left.maybe_compatible(right, "number") else None


def _modulo(left: Nature, right: Nature) -> Nature | None:
    both = left.integer and right.integer
    return INT if both or left.maybe_compatible(right, "integer") else None


def _string_test(left: Nature, right: Nature) -> Nature | None:
    """`matches`, `contains`, `startsWith`, `endsWith`."""
    both = left.kind == "string" and right.kind == "string"
    return BOOL if both or left.maybe_compatible(right, "string") else None


def _range(left: Nature, right: Nature) -> Nature | None:
    both = left.integer and right.integer
    return INT.array_of() if both or left.maybe_compatible(right, "integer") else None


_RULES: dict[str, Rule] = {
    "==": _equality,
    "!=": _equality,
    "||": _logic,
    "or": _logic,
    "&&": _logic,
    "and": _logic,
    "<": _ordering,
    ">": _ordering,
    "<=": _ordering,
    ">=": _ordering,
    "+": _arithmetic("number", "string"),
    "-": _arithmetic("number"),
    "*": _arithmetic("number"),
    "/": _floating,
    "**": _floating,
    "^": _floating,
    "%": _modulo,
    "matches": _string_test,
    "contains": _string_test,
    "startsWith": _string_test,
    "endsWith": _string_test,
    "..": _range,
}


def membership(needle: Nature, haystack: Nature) -> Nature:
    """`needle in haystack`: a key of a map, an element of an array, or a substring left to run time."""
    if haystack.kind == "map":
        if not needle.unknown and not needle.assignable_to(MAP_KEY):
            raise fail(f"cannot use {needle} as type {MAP_KEY} in map key")
        return BOOL
    if haystack.array:
        element = haystack.element()
        if not needle.comparable_to(element):
            raise fail(f"cannot use {needle} as type {element} in array")
        return BOOL
    if needle.unknown and haystack.is_any_of(("string", "array", "map")):
        return BOOL
    if haystack.unknown:
        return BOOL
    raise mismatched("in", needle, haystack)


def coalesce(left: Nature, right: Nature) -> Nature:
    """`left ?? right`."""
    if left.nil or right.nil:
        return right if not right.nil else left if not left.nil else NIL
    return left if right.assignable_to(left) else UNKNOWN


def condition(test: Nature) -> None:
    """The test of `?:` must be a bool (or unknown until run time)."""
    if test.kind != "bool" and not test.unknown:
        raise fail(f"non-bool expression (type {test}) used as condition")


def choice(first: Nature, second: Nature) -> Nature:
    """The nature of `test ? first : second`."""
    if first.nil or second.nil:
        return second if not second.nil else first if not first.nil else NIL
    if not first.assignable_to(second):
        return UNKNOWN
    if first.array and second.array:
        one, other = first.element(), second.element()
        if not (one.assignable_to(other) and other.assignable_to(one)):
            return ARRAY
    return first


def member(base: Nature, key: Nature, name: str | None) -> Nature:
    """`base[key]`, or `base.name` (`name` is the key when it is a literal string)."""
    if base.unknown:
        return UNKNOWN
    if name is not None and base.nil:
        raise fail(f"type nil has no field {name}")
    if base.kind == "map":
        if not key.assignable_to(MAP_KEY) and not key.unknown:
            raise fail(f"cannot use {key} to get an element from {base}")
        return base.element()
    if base.array:
        if not key.integer and not key.unknown:
            raise fail(f"array elements can only be selected using an integer (got {key})")
        return base.element()
    if name is not None:
        raise fail(f"type {base} has no field {name}")
    raise fail(f"type {base}[{key}] is undefined")


def sliceable(base: Nature) -> bool:
    """Whether `base[i:j]` is checked further (false for an unknown base, whose bounds expr never visits)."""
    if base.unknown:
        return False
    if base.kind != "string" and not base.array:
        raise fail(f"cannot slice {base}")
    return True


def slice_bound(bound: Nature) -> None:
    if not bound.integer and not bound.unknown:
        raise fail(f"non-integer slice index {bound}")
