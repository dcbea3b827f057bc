"""A CRD's structural OpenAPI v3 schema applied as the API server applies it: defaults, then validation.

Defaulting drops object fields set to null (unless `nullable`) and fills absent fields that have a `default`.
Validation checks types, `required`, `enum`, `pattern` (RE2, as Go), lengths, item and property counts,
bounds, the `date-time` format and list-type uniqueness, with the server's messages. Unknown fields are
refused (the server would prune them; here a field canarykit writes that the schema lacks is a bug to see).
"""

from __future__ import annotations

import copy
import json
import re
from functools import lru_cache
from typing import Any

import re2

from canarykit.testing.kube.field_errors import (
    DUPLICATE,
    FORBIDDEN,
    INVALID,
    NOT_SUPPORTED,
    REQUIRED,
    TOO_LONG,
    TOO_MANY,
    FieldError,
    go_value,
    join_path,
)

Schema = dict[str, Any]
_DATE_TIME = re.compile(r"\d{4}-\d\d-\d\d[Tt ]\d\d:\d\d:\d\d(\.\d+)?([Zz]|[+-]\d\d:\d\d)")
_JSON_TYPES = ((bool, "boolean"), (int, "integer"), (float, "number"), (str, "string"), (list, "array"))


def apply_defaults(schema: Schema, value: Any) -> None:
    """In place: null fields pruned (unless nullable), absent fields with a `default` filled, at any depth."""
    if isinstance(value, dict):
        properties = schema.get("properties") or {}
        for key, field_schema in properties.items():
            if key in value and value[key] is None and not field_schema.get("nullable"):
                del value[key]
            if key not in value and "default" in field_schema:
                value[key] = copy.deepcopy(field_schema["default"])
        extra = schema.get("additionalProperties")
        for key, item in value.items():
            child = properties.get(key, extra)
            if isinstance(child, dict):
                apply_defaults(child, item)
    elif isinstance(value, list) and isinstance(schema.get("items"), dict):
        for item in value:
            apply_defaults(schema["items"], item)


def schema_errors(schema: Schema, value: Any, path: str = "") -> list[FieldError]:
    """Every way `value` breaks `schema`, each named by its field path."""
    errors: list[FieldError] = []
    _check(schema, value, path, errors)
    return errors


def type_name(value: Any) -> str:
    """The JSON type of a value as the validator names it: object, array, string, integer, ..."""
    if value is None:
        return "null"
    if isinstance(value, dict):
        return "object"
    return next(name for kind, name in _JSON_TYPES if isinstance(value, kind))


def _check(schema: Schema, value: Any, path: str, errors: list[FieldError]) -> None:
    """Validate one node and recurse into its children."""
    if value is None and schema.get("nullable"):
        return
    if not _type_matches(schema, value):
        expected = schema.get("type") or "integer or string"
        actual = type_name(value)
        errors.append(
            FieldError(path, INVALID, actual, f'{path} in body must be of type {expected}: "{actual}"')
        )
        return
    if "enum" in schema and value not in schema["enum"]:
        supported = ", ".join(go_value(option) for option in schema["enum"])
        errors.append(FieldError(path, NOT_SUPPORTED, value, f"supported values: {supported}"))
    if isinstance(value, dict):
        _check_object(schema, value, path, errors)
    elif isinstance(value, list):
        _check_array(schema, value, path, errors)
    elif isinstance(value, str):
        _check_string(schema, value, path, errors)
    elif not isinstance(value, bool):
        _check_number(schema, value, path, errors)


def _type_matches(schema: Schema, value: Any) -> bool:
    """Whether the value has the schema's type (integers may be written 1.0; int-or-string takes both)."""
    if schema.get("x-kubernetes-int-or-string"):
        return isinstance(value, str) or (isinstance(value, int) and not isinstance(value, bool))
    expected = schema.get("type")
    if expected is None:
        return True
    actual = type_name(value)
    if expected == "integer" and isinstance(value, float):
        return value.is_integer()
    return actual == expected or (expected == "number" and actual == "integer")


def _check_object(schema: Schema, value: dict[str, Any], path: str, errors: list[FieldError]) -> None:
    """Required fields, each field against its schema, unknown fields, property counts."""
    properties = schema.get("properties") or {}
    extra = schema.get("additionalProperties")
    keeps_unknown = schema.get("x-kubernetes-preserve-unknown-fields") or extra is True
    for key in schema.get("required") or []:
        if key not in value:
            errors.append(FieldError(join_path(path, key), REQUIRED))
    for key, item in value.items():
        if key in properties:
            _check(properties[key], item, join_path(path, key), errors)
        elif isinstance(extra, dict):
            _check(extra, item, join_path(path, key), errors)
        elif not keeps_unknown:
            errors.append(FieldError(join_path(path, key), FORBIDDEN, detail="field not declared in schema"))
    if "maxProperties" in schema and len(value) > schema["maxProperties"]:
        errors.append(
            FieldError(path, TOO_MANY, len(value), f"must have at most {schema['maxProperties']} items")
        )
    if "minProperties" in schema and len(value) < schema["minProperties"]:
        detail = f"{path} in body should have at least {schema['minProperties']} properties"
        errors.append(FieldError(path, INVALID, len(value), detail))


def _check_array(schema: Schema, value: list[Any], path: str, errors: list[FieldError]) -> None:
    """Item counts, each item against `items`, no duplicates in a set or (by its keys) a map list."""
    if "maxItems" in schema and len(value) > schema["maxItems"]:
        errors.append(FieldError(path, TOO_MANY, len(value), f"must have at most {schema['maxItems']} items"))
    if "minItems" in schema and len(value) < schema["minItems"]:
        detail = f"{path} in body should have at least {schema['minItems']} items"
        errors.append(FieldError(path, INVALID, len(value), detail))
    items = schema.get("items")
    if isinstance(items, dict):
        for index, item in enumerate(value):
            _check(items, item, f"{path}[{index}]", errors)
    _check_unique(schema, value, path, errors)


def _check_unique(schema: Schema, value: list[Any], path: str, errors: list[FieldError]) -> None:
    """`x-kubernetes-list-type: set` items and `map` items' keys must not repeat."""
    list_type = schema.get("x-kubernetes-list-type")
    if list_type not in ("set", "map"):
        return
    keys = schema.get("x-kubernetes-list-map-keys") or []
    seen: set[str] = set()
    for index, item in enumerate(value):
        identity = (
            {key: item.get(key) for key in keys} if list_type == "map" and isinstance(item, dict) else item
        )
        marker = json.dumps(identity, sort_keys=True)
        if marker in seen:
            errors.append(FieldError(f"{path}[{index}]", DUPLICATE, identity))
        seen.add(marker)


def _check_string(schema: Schema, value: str, path: str, errors: list[FieldError]) -> None:
    """Length bounds, `pattern` (searched, as Go's regexp.MatchString) and the date-time format."""
    if "maxLength" in schema and len(value) > schema["maxLength"]:
        errors.append(FieldError(path, TOO_LONG, value, f"may not be more than {schema['maxLength']} bytes"))
    if "minLength" in schema and len(value) < schema["minLength"]:
        detail = f"{path} in body should be at least {schema['minLength']} chars long"
        errors.append(FieldError(path, INVALID, value, detail))
    if "pattern" in schema and _pattern(schema["pattern"]).search(value) is None:
        errors.append(FieldError(path, INVALID, value, f"{path} in body should match '{schema['pattern']}'"))
    if schema.get("format") == "date-time" and not _DATE_TIME.fullmatch(value):
        errors.append(
            FieldError(path, INVALID, value, f"{path} in body must be of type date-time: {go_value(value)}")
        )


def _check_number(schema: Schema, value: float, path: str, errors: list[FieldError]) -> None:
    """`minimum` and `maximum`, exclusive or not."""
    if "maximum" in schema:
        limit, exclusive = schema["maximum"], schema.get("exclusiveMaximum", False)
        if value > limit or (exclusive and value == limit):
            relation = "less than" if exclusive else "less than or equal to"
            errors.append(FieldError(path, INVALID, value, f"{path} in body should be {relation} {limit}"))
    if "minimum" in schema:
        limit, exclusive = schema["minimum"], schema.get("exclusiveMinimum", False)
        if value < limit or (exclusive and value == limit):
            relation = "greater than" if exclusive else "greater than or equal to"
            errors.append(FieldError(path, INVALID, value, f"{path} in body should be {relation} {limit}"))


@lru_cache(maxsize=512)
def _pattern(pattern: str) -> Any:
    """A compiled RE2 pattern (Kubernetes validates `pattern` with Go's RE2 regexp)."""
    return re2.compile(pattern)
