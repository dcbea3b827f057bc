"""Built-in kinds validated against the official Kubernetes schemas that `kubernetes-validate` ships.

The strict variant is used (unknown fields fail, as with `kubectl --validate=strict`), for Kubernetes
`KUBERNETES_VERSION`. One compiled validator per kind is kept for the life of the process.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from functools import cache
from importlib import resources
from typing import Any

from canarykit.testing.kube.field_errors import (
    FORBIDDEN,
    INVALID,
    NOT_SUPPORTED,
    REQUIRED,
    FieldError,
    go_value,
    join_path,
)
from canarykit.testing.kube.structural import type_name

KUBERNETES_VERSION = "1.33"
_SCHEMA_ROOT = "kubernetes-json-schema"
_DATE_TIME = re.compile(r"\d{4}-\d\d-\d\d[Tt ]\d\d:\d\d:\d\d(\.\d+)?([Zz]|[+-]\d\d:\d\d)")
_INT32 = (-(2**31), 2**31 - 1)
_INT64 = (-(2**63), 2**63 - 1)


def builtin_errors(obj: dict[str, Any]) -> list[FieldError] | None:
    """The schema errors of a built-in object, or None when the package has no schema for its kind."""
    validator = _validator(str(obj.get("apiVersion")), str(obj.get("kind")))
    if validator is None:
        return None
    errors = sorted(validator.iter_errors(obj), key=lambda error: list(map(str, error.absolute_path)))
    return [found for error in errors for found in _field_errors(error)]


def schema_directory() -> Any:
    """The package's strict schema folder for `KUBERNETES_VERSION` (the newest one not newer, if absent)."""
    root = resources.files("kubernetes_validate").joinpath(_SCHEMA_ROOT)
    wanted = tuple(int(part) for part in KUBERNETES_VERSION.split("."))
    folders = {}
    for entry in root.iterdir():
        found = re.fullmatch(r"v(\d+)\.(\d+)\.\d+-local-strict", entry.name)
        if found and (int(found[1]), int(found[2])) <= wanted:
            folders[(int(found[1]), int(found[2]))] = entry
    if not folders:
        raise RuntimeError(
            f"kubernetes-validate ships no schemas for Kubernetes {KUBERNETES_VERSION} or older"
        )
    return folders[max(folders)]


@cache
def _validator(api_version: str, kind: str) -> Any:
    """The compiled Draft 2020-12 validator of one kind (cached), or None when no schema is shipped."""
    import jsonschema
    from referencing import Registry, Resource

    group_version = re.sub(r"^([^./]*)(?:\.[^/]*)?/", r"\1-", api_version)
    path = schema_directory().joinpath(f"{kind.lower()}-{group_version}.json")
    if not path.is_file():
        return None
    schema = json.loads(path.read_text(encoding="utf-8"))
    registry = Resource.from_contents(schema) @ (_definitions() @ Registry())
    cls = jsonschema.validators.Draft202012Validator
    return cls(schema, registry=registry, format_checker=_format_checker())


@cache
def _definitions() -> Any:
    """The shared `_definitions.json` every kind's schema refers to, loaded once."""
    from referencing import Resource

    text = schema_directory().joinpath("_definitions.json").read_text(encoding="utf-8")
    return Resource.from_contents(json.loads(text))


def _format_checker() -> Any:
    """The formats the API server's decoder enforces: timestamps, base64 bytes, int32/int64 ranges."""
    import jsonschema

    checker = jsonschema.FormatChecker(formats=())
    checker.checks("date-time")(lambda value: not isinstance(value, str) or bool(_DATE_TIME.fullmatch(value)))
    checker.checks("byte")(_is_base64)
    checker.checks("int32")(lambda value: _in_range(value, _INT32))
    checker.checks("int64")(lambda value: _in_range(value, _INT64))
    return checker


def _is_base64(value: Any) -> bool:
    """True for a base64 string (Secret `data`), and for anything that is not a string."""
    if not isinstance(value, str):
        return True
    try:
        base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        return False
    return True


def _in_range(value: Any, bounds: tuple[int, int]) -> bool:
    """True unless `value` is an integer outside `bounds`."""
    return not isinstance(value, int) or isinstance(value, bool) or bounds[0] <= value <= bounds[1]


def _field_errors(error: Any) -> list[FieldError]:
    """A jsonschema error in the API server's words, at its field path (none for a null int-or-string)."""
    path = ""
    for key in error.absolute_path:
        path = join_path(path, key)
    keyword, instance = error.validator, error.instance
    if keyword == "required":
        missing = re.match(r"'(.*)' is a required property", error.message)
        return [FieldError(join_path(path, missing[1] if missing else "?"), REQUIRED)]
    if keyword == "additionalProperties":
        allowed = set(error.schema.get("properties") or {})
        unknown = sorted(key for key in instance if key not in allowed)
        return [
            FieldError(join_path(path, key), FORBIDDEN, detail="field not declared in schema")
            for key in unknown
        ]
    if keyword == "enum":
        supported = ", ".join(go_value(option) for option in error.validator_value if option is not None)
        return [FieldError(path, NOT_SUPPORTED, instance, f"supported values: {supported}")]
    if keyword == "oneOf" and instance is None:
        return []  # IntOrString: both branches take null, which jsonschema's oneOf refuses
    if keyword in ("type", "oneOf"):
        expected = error.validator_value if keyword == "type" else "integer or string"
        expected = expected[0] if isinstance(expected, list) else expected
        actual = type_name(instance)
        return [FieldError(path, INVALID, actual, f'{path} in body must be of type {expected}: "{actual}"')]
    if keyword == "format":
        return [
            FieldError(path, INVALID, instance, f"{path} in body must be of type {error.validator_value}")
        ]
    return [FieldError(path, INVALID, instance, error.message)]
