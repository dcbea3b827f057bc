"""Type rules of calls, as expr-lang v1.17 checks them: Argo's helpers, expr's builtins and predicates."""

from __future__ import annotations

import ast
from typing import Protocol

from canarykit.conditions.natures import (
    ANY,
    ARRAY,
    BOOL,
    BY_NAME,
    FLOAT,
    INT,
    INT64,
    STRING,
    UNKNOWN,
    Nature,
)
from canarykit.conditions.typerules import fail

ENVIRONMENT: dict[str, tuple[tuple[Nature, ...], Nature]] = {
    "asInt": ((ANY,), INT64),
    "asFloat": ((ANY,), FLOAT),
    "isNaN": ((FLOAT,), BOOL),
    "isInf": ((FLOAT,), BOOL),
    "isNil": ((ANY,), BOOL),
    "default": ((ANY, ANY), ANY),
    "string": ((ANY,), STRING),
}
"""Functions checked by their Go signature: Argo's helpers (`func(any) int64`, ...) and expr's `string`."""

_NUMERIC = frozenset({"int", "int64", "float64"})
_ROUNDING = frozenset({"ceil", "floor", "round"})
_AGGREGATES = frozenset({"min", "max", "mean", "median"})
_BOOL_PREDICATES = frozenset({"all", "any", "none", "one", "filter", "count"})


class Visitor(Protocol):
    def visit(self, node: ast.expr) -> Nature: ...

    def visit_with(self, node: ast.expr, variable: str, nature: Nature) -> Nature: ...


def from_type(nature: Nature) -> Nature:
    """expr's `FromType(n.Type)`: the nature of a Go type alone (an array loses what its elements are)."""
    if nature.unknown:
        return ANY
    return BY_NAME.get(nature.name, nature) if nature.name is not None else nature


def function(checker: Visitor, name: str, arguments: list[ast.expr]) -> Nature:
    """The nature of `name(arguments...)`; the argument count was checked when parsing."""
    if name in ENVIRONMENT:
        return _signature_call(checker, name, arguments)
    types = [_argument_type(checker.visit(argument)) for argument in arguments]
    return _validate(name, types)


def _signature_call(checker: Visitor, name: str, arguments: list[ast.expr]) -> Nature:
    """expr's `checkArguments`; Argo's `isNil` and `default` get the result as a hidden extra argument."""
    parameters, out = ENVIRONMENT[name]
    for argument, parameter in zip(arguments, parameters, strict=False):
        nature = checker.visit(argument)
        if nature.integer and (parameter.kind == "float64" or parameter.integer):
            continue
        if nature.nil:
            if parameter.kind == "interface":
                continue
            raise fail(f"cannot use nil as argument (type {parameter}) to call {name}")
        if not nature.assignable_to(parameter) and not nature.unknown:
            raise fail(f"cannot use {nature} as argument (type {parameter}) to call {name} ")
    return out


def _argument_type(nature: Nature) -> Nature | None:
    """The Go type a builtin's `Validate` gets: `interface {}` for unknown, None (a nil type) for nil."""
    return None if nature.nil else from_type(nature)


def _text(go_type: Nature | None) -> str:
    """Go's `%s` of a `reflect.Type`, nil included."""
    return "%!s(<nil>)" if go_type is None else str(go_type)


def _validate(name: str, types: list[Nature | None]) -> Nature:
    """The `Validate` functions of expr's builtins (`builtin/builtin.go`, `builtin/validation.go`)."""
    if name in _AGGREGATES:
        return _aggregate(name, types)
    given = types[0]
    kind = "invalid" if given is None else given.kind
    text = _text(given)
    if name == "len" and kind in ("slice", "map", "string", "interface"):
        return INT
    if name == "abs" and given is not None and (kind in _NUMERIC or kind == "interface"):
        return given
    if name in _ROUNDING and (kind in _NUMERIC or kind == "interface"):
        return FLOAT
    if name in ("int", "float") and (kind in _NUMERIC or kind in ("interface", "string")):
        return INT if name == "int" else FLOAT
    if name in ("first", "last"):
        if given is not None and kind in ("interface", "slice"):
            return given.element() if kind == "slice" else ANY
        raise fail(f"cannot get {name} element from {text}")
    if name in ("keys", "values"):
        if kind in ("interface", "map"):
            return ARRAY
        raise fail(f"cannot get {name} from {text}")
    raise fail(f"invalid argument for {name} (type {text})")


def _aggregate(name: str, types: list[Nature | None]) -> Nature:
    """`min max mean median`: numbers or arrays (an array makes the result unknown until run time)."""
    for go_type in types:
        kind = "invalid" if go_type is None else go_type.kind
        if kind in ("interface", "slice"):
            return ANY
        if kind not in _NUMERIC:
            raise fail(f"invalid argument for {name} (type {_text(go_type)})")
    first = types[0]
    return ANY if first is None else first


def predicate(
    checker: Visitor, name: str, sequence: ast.expr, variable: str | None, body: ast.expr | None
) -> Nature:
    """`all any none one filter map count sum` over an array, with `#` standing for each element."""
    collection = checker.visit(sequence)
    if not collection.array and not collection.unknown:
        raise fail(f"builtin {name} takes only array (got {collection})")
    element = UNKNOWN if collection.unknown else collection.element()
    if variable is None or body is None:  # count(array) or sum(array)
        return INT if name == "count" else UNKNOWN if collection.unknown else element
    out = checker.visit_with(body, variable, element)
    if out.nil:
        if name == "sum":
            raise _sum_without_result(collection)
        raise fail("predicate should has one input and one output param")
    if name in _BOOL_PREDICATES and out.kind != "bool" and not out.unknown:
        raise fail(f"predicate should return boolean (got {from_type(out)})")
    if name == "map":
        return out.array_of()
    if name == "filter":
        return ARRAY if collection.unknown else element.array_of()
    if name == "sum":
        return from_type(out)
    return INT if name == "count" else BOOL


def _sum_without_result(collection: Nature) -> Exception:
    """`sum(array, nil)`: expr falls back to checking `sum` against its Go signature."""
    if not collection.unknown and not collection.assignable_to(ARRAY):
        return fail(f"cannot use {collection} as argument (type []interface {{}}) to call sum ")
    return fail("cannot use func(interface {}) as argument (type func(interface {}) bool) to call sum ")
