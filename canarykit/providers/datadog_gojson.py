"""JSON read as Go's `encoding/json` reads it into Argo's Datadog structs, errors worded as Go words them.

`decode(body, shape)` checks the syntax first (Go's scanner messages: `invalid character 'x' looking for
beginning of value`, `unexpected end of JSON input`), then fills `shape` as `json.Unmarshal` fills a struct:
keys matched case-insensitively, unknown keys skipped, null leaving the zero value, and the first type
mismatch reported as `json: cannot unmarshal string into Go struct field <Struct>.<Path> of type <type>`.
Raw values (`json.RawMessage`) stay as parsed: numbers as `Number`, objects as lists of pairs.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from canarykit.providers.go_json import syntax_error

__all__ = [
    *("FLOAT", "RAW", "STRING", "GoJsonError", "Number", "Pairs", "Shape", "Tick", "no_tick"),
    *("decode", "raw_text", "unmarshal_float", "what_is"),
]

_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
Tick = Callable[[], None]
_NUMBERS = frozenset({int, float})


def no_tick() -> None:
    """Nothing to check."""


class GoJsonError(ValueError):
    """The body is not what Go's `json.Unmarshal` would accept; the message is Go's."""


class Number(str):
    """A JSON number, kept as written (Go's `json.RawMessage` keeps the bytes)."""


class Pairs(list[tuple[str, Any]]):
    """A JSON object as its key/value pairs, in order, duplicates kept."""


@dataclass(frozen=True)
class Shape:
    """A Go type: `kind` is float, string, raw, slice or struct; `go` is how reflect writes it."""

    kind: str
    go: str
    elem: Shape | None = None
    fields: tuple[tuple[str, Shape], ...] = ()
    struct_name: str = ""


FLOAT = Shape("float", "float64")
STRING = Shape("string", "string")
RAW = Shape("raw", "json.RawMessage")
"""Go's float64, string and json.RawMessage."""


@dataclass(frozen=True)
class _Context:
    """Go's decode error context: the struct whose field is being read and the field names so far."""

    struct: str | None = None
    stack: tuple[str, ...] = ()


def decode(body: bytes, shape: Shape, tick: Tick = no_tick, exact: bool = False) -> Any:
    """`body` unmarshalled into `shape`; raises `GoJsonError` with Go's message for the first problem.

    Numbers are parsed as Python's (fast); a body with a problem is read again `exact`ly, numbers kept as
    written, so the message quotes them as Go does. `tick()` is called now and then on a slow path.
    """
    errors: list[str] = []
    value = _fill(_load(body, tick, exact), shape, _Context(), errors)
    if errors and not exact:
        return decode(body, shape, tick, exact=True)
    if errors:
        raise GoJsonError(errors[0])
    return value


def unmarshal_float(raw: Any) -> float:
    """A raw value unmarshalled into a float64 on its own (`json.Unmarshal(raw, &f)`); null gives 0."""
    fast = _float(raw) if type(raw) in _NUMBERS else None
    if fast is not None:
        return fast
    errors: list[str] = []
    value = _fill(raw, FLOAT, _Context(), errors)
    if errors:
        raise GoJsonError(errors[0])
    return float(value)


def raw_text(raw: Any) -> str:
    """A raw value written back as compact JSON (numbers as written)."""
    if isinstance(raw, Number):
        return str(raw)
    if isinstance(raw, Pairs):
        return "{" + ",".join(f"{raw_text(key)}:{raw_text(item)}" for key, item in raw) + "}"
    if isinstance(raw, list):
        return "[" + ",".join(raw_text(item) for item in raw) + "]"
    return json.dumps(raw, ensure_ascii=False)


def what_is(raw: Any) -> str:
    """Go's name for the kind of a JSON value in its type errors."""
    if isinstance(raw, Pairs):
        return "object"
    if isinstance(raw, list):
        return "array"
    if isinstance(raw, bool):
        return "bool"
    return "number" if _is_number(raw) else "string"


def _load(body: bytes, tick: Tick, exact: bool) -> Any:
    """The parsed body; when Python's parser refuses it, Go's scanner says why in Go's words."""
    numbers: dict[str, Any] = {"parse_float": Number, "parse_int": Number} if exact else {}
    try:
        text = body.decode("utf-8", errors="replace")
        return json.loads(text, object_pairs_hook=_pairs, parse_constant=_refuse, **numbers)
    except RecursionError:
        raise GoJsonError("JSON nested too deeply to decode") from None
    except ValueError as error:
        raise GoJsonError(syntax_error(body, tick) or str(error)) from None


def _refuse(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _pairs(items: list[tuple[str, Any]]) -> Pairs:
    return Pairs((_clean(key), _clean(item) if isinstance(item, str) else item) for key, item in items)


def _clean(text: str) -> str:
    """Lone surrogates (from `\\ud800` escapes) become U+FFFD, as Go decodes them."""
    return _LONE_SURROGATE.sub("\ufffd", text) if not isinstance(text, Number) else text


def _fill(raw: Any, shape: Shape, context: _Context, errors: list[str], into: Any = None) -> Any:
    """`raw` decoded into `shape` (`into`: the struct already there, for repeated keys)."""
    if shape.kind == "raw":
        return _clean(raw) if isinstance(raw, str) else raw
    if raw is None:  # Go: null makes a slice nil and leaves anything else as it is
        if shape.kind == "slice":
            return None
        return _zero(shape) if into is None else into
    if shape.kind == "struct":
        if isinstance(raw, Pairs):
            return _struct(raw, shape, context, errors, into)
    elif shape.kind == "slice":
        if type(raw) is list:
            assert shape.elem is not None
            fast = _floats(raw) if shape.elem.kind == "float" else None
            return fast if fast is not None else [_fill(item, shape.elem, context, errors) for item in raw]
    elif shape.kind == "float" and _is_number(raw):
        value = _float(raw)
        if value is None:
            return _mismatch(f"number {raw}", shape, context, errors, 0.0)
        return value
    elif shape.kind == "string" and isinstance(raw, str) and not isinstance(raw, Number):
        return _clean(raw)
    return _mismatch(what_is(raw), shape, context, errors, _zero(shape) if into is None else into)


def _struct(raw: Pairs, shape: Shape, context: _Context, errors: list[str], into: Any) -> dict[str, Any]:
    value: dict[str, Any] = dict(into) if isinstance(into, dict) else _zero(shape)
    for key, item in raw:
        found = _field(shape, key)
        if found is None:
            continue  # Go skips keys no field matches
        name, field_shape = found
        inner = _Context(shape.struct_name, (*context.stack, name))
        value[name] = _fill(item, field_shape, inner, errors, value[name])
    return value


def _field(shape: Shape, key: str) -> tuple[str, Shape] | None:
    """The field a key sets: the exact name first, else a case-insensitive match."""
    for name, field_shape in shape.fields:
        if name == key:
            return name, field_shape
    folded = key.lower()
    return next(((n, s) for n, s in shape.fields if n.lower() == folded), None)


def _mismatch(what: str, shape: Shape, context: _Context, errors: list[str], keep: Any) -> Any:
    if context.struct is not None:
        field = ".".join(context.stack)
        errors.append(
            f"json: cannot unmarshal {what} into Go struct field {context.struct}.{field} of type {shape.go}"
        )
    else:
        errors.append(f"json: cannot unmarshal {what} into Go value of type {shape.go}")
    return keep


def _is_number(raw: Any) -> bool:
    return isinstance(raw, Number) or type(raw) in _NUMBERS


def _float(raw: Any) -> float | None:
    """The number as a float64; None when it is out of range (Go refuses it)."""
    try:
        value = float(raw)
    except OverflowError:  # an integer too large for a float
        return None
    return None if math.isinf(value) else value


def _floats(raw: list[Any]) -> list[float] | None:
    """A list of in-range numbers as floats at once; None when any item needs a closer look."""
    if not _NUMBERS.issuperset(map(type, raw)):
        return None
    try:
        values = list(map(float, raw))
    except OverflowError:
        return None
    return None if any(map(math.isinf, values)) else values


def _zero(shape: Shape) -> Any:
    if shape.kind == "struct":
        return {name: _zero(field_shape) for name, field_shape in shape.fields}
    return {"float": 0.0, "string": ""}.get(shape.kind)
