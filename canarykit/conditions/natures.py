"""Go types as expr-lang's checker sees them (`checker/nature`, v1.17): what a condition's parts may hold.

A `Nature` is a Go type (`float64`, `[]interface {}`, ...), `nil`, or unknown. expr treats an unknown type
and `interface {}` alike, leaving their checks to run time; only their names in messages differ.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from canarykit.conditions.gotypes import FrozenFloat64s

INTEGER_KINDS = frozenset({"int", "int64"})
ARRAY_KINDS = frozenset({"slice"})
NIL_ASSIGNABLE_KINDS = frozenset({"interface", "map", "slice", "func"})


@dataclass(frozen=True, slots=True)
class Nature:
    """A Go type by name and kind (`None` names an unknown type); `elem` is an array's or map's element."""

    name: str | None = None
    kind: str = "invalid"
    elem: Nature | None = None
    nil: bool = False

    def __str__(self) -> str:
        """The type as Go's `reflect.Type.String()` names it; expr says `unknown` for nil and unknown."""
        return self.name if self.name is not None else "unknown"

    @property
    def unknown(self) -> bool:
        return (self.name is None and not self.nil) or self.kind == "interface"

    @property
    def integer(self) -> bool:
        return self.kind in INTEGER_KINDS

    @property
    def number(self) -> bool:
        return self.kind in INTEGER_KINDS or self.kind == "float64"

    @property
    def array(self) -> bool:
        return self.kind in ARRAY_KINDS

    def element(self) -> Nature:
        """expr's `Elem()`: an array's or map's element; unknown for anything else."""
        if self.kind in ("slice", "map"):
            return self.elem if self.elem is not None else ANY
        return UNKNOWN

    def array_of(self) -> Nature:
        """expr's `MakeArrayOf`: a `[]interface {}` whose elements are known to be of this nature."""
        return Nature("[]interface {}", "slice", self)

    def assignable_to(self, target: Nature) -> bool:
        """Go's `AssignableTo` as expr's `Nature.AssignableTo` asks it."""
        if self.nil and target.kind in NIL_ASSIGNABLE_KINDS:
            return True
        if self.name is None or target.name is None:
            return False
        if target.kind == "interface":
            return True
        return self.kind == target.kind and self.name == target.name

    def comparable_to(self, other: Nature) -> bool:
        """Whether `==` and `!=` are allowed between the two."""
        return (
            self.unknown
            or other.unknown
            or self.nil
            or other.nil
            or (self.number and other.number)
            or (self.array and other.array)
            or self.assignable_to(other)
        )

    def is_any_of(self, checks: Iterable[str]) -> bool:
        return any(_CHECKS[check](self) for check in checks)

    def maybe_compatible(self, other: Nature, *checks: str) -> bool:
        """expr's `MaybeCompatible`: one side unknown, the other passing one of `checks` (or unknown too)."""
        if self.unknown:
            return other.unknown or other.is_any_of(checks)
        return other.unknown and self.is_any_of(checks)

    def promote(self, other: Nature) -> Nature:
        """The type of `+ - *` on two numbers: float64 if either is, else int; unknown if either is."""
        if self.unknown or other.unknown:
            return UNKNOWN
        return FLOAT if self.kind == "float64" or other.kind == "float64" else INT


_CHECKS = {
    "bool": lambda nature: nature.kind == "bool",
    "string": lambda nature: nature.kind == "string",
    "integer": lambda nature: nature.integer,
    "number": lambda nature: nature.number,
    "map": lambda nature: nature.kind == "map",
    "array": lambda nature: nature.array,
}

UNKNOWN = Nature()
NIL = Nature(nil=True)
ANY = Nature("interface {}", "interface")
BOOL = Nature("bool", "bool")
INT = Nature("int", "int")
INT64 = Nature("int64", "int64")
FLOAT = Nature("float64", "float64")
STRING = Nature("string", "string")
ARRAY = Nature("[]interface {}", "slice")
FLOATS = Nature("[]float64", "slice", FLOAT)
MAP = Nature("map[string]interface {}", "map")
MAP_KEY = STRING
BY_NAME = {nature.name: nature for nature in (ANY, BOOL, INT, INT64, FLOAT, STRING, ARRAY, FLOATS, MAP)}


_SIGNATURES: dict[type, str] = {
    bool: "bool",
    int: "int",
    float: "float64",
    str: "string",
    type(None): "nil",
    FrozenFloat64s: "[]float64",
    tuple: "[]interface {}",
}


def signature(frozen: Any) -> str:
    """The Go type name of a frozen `result` (see `gotypes.freeze`)."""
    known = _SIGNATURES.get(type(frozen))
    if known is not None:
        return known
    return "map[string]interface {}" if isinstance(frozen, Mapping) else "[]interface {}"


def of_signature(name: str) -> Nature:
    """The nature of a `signature`."""
    return NIL if name == "nil" else BY_NAME[name]
