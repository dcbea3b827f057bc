"""Field errors as the API server words them, and the 422 Invalid `ApiError` that carries them.

`spec.rules[0].backendRefs[0].weight: Invalid value: -1: spec.rules[0].backendRefs[0].weight in body should be
greater than or equal to 0` is one `FieldError`; several become `Kind.group "name" is invalid: [a, b]`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from canarykit.testing.kube.errors import ApiError, resource_details
from canarykit.testing.kube.resources import ResourceType

REQUIRED = "Required value"
INVALID = "Invalid value"
NOT_SUPPORTED = "Unsupported value"
TOO_LONG = "Too long"
TOO_MANY = "Too many"
FORBIDDEN = "Forbidden"
DUPLICATE = "Duplicate value"
_CAUSE_REASONS = {
    REQUIRED: "FieldValueRequired",
    INVALID: "FieldValueInvalid",
    NOT_SUPPORTED: "FieldValueNotSupported",
    TOO_LONG: "FieldValueTooLong",
    TOO_MANY: "FieldValueTooMany",
    FORBIDDEN: "FieldValueForbidden",
    DUPLICATE: "FieldValueDuplicate",
}
_NO_VALUE = (REQUIRED, TOO_LONG, FORBIDDEN)
"""Error types whose message never shows the bad value (as `field.Error.ErrorBody`)."""


@dataclass(frozen=True)
class FieldError:
    """One refused field: its path (`spec.rules[0].matches`), error type, bad value and detail."""

    field: str
    type: str
    value: Any = None
    detail: str = ""

    def body(self) -> str:
        """The message without the field: `Invalid value: 1000001: ... should be less than or equal to`."""
        text = self.type if self.type in _NO_VALUE else f"{self.type}: {go_value(self.value)}"
        return f"{text}: {self.detail}" if self.detail else text

    def __str__(self) -> str:
        return f"{self.field}: {self.body()}"

    def cause(self) -> dict[str, str]:
        """The `details.causes[]` entry of the Status."""
        return {"reason": _CAUSE_REASONS[self.type], "message": self.body(), "field": self.field}


def go_value(value: Any) -> str:
    """A bad value as Go prints it in field errors: strings quoted, numbers and booleans bare, null."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    return json.dumps(value, separators=(",", ":"), sort_keys=True)


def invalid_object(resource: ResourceType, name: str, errors: list[FieldError]) -> ApiError:
    """422 Invalid naming every error: `HTTPRoute.gateway.networking.k8s.io "web" is invalid: <errors>`."""
    kind = f"{resource.kind}.{resource.group}" if resource.group else resource.kind
    listed = str(errors[0]) if len(errors) == 1 else "[" + ", ".join(str(error) for error in errors) + "]"
    details = resource_details(resource, name, kind=resource.kind)
    details["causes"] = [error.cause() for error in errors]
    return ApiError(422, "Invalid", f'{kind} "{name}" is invalid: {listed}', details)


def join_path(path: str, key: str | int) -> str:
    """`spec` + `rules` -> `spec.rules`; `spec.rules` + 0 -> `spec.rules[0]`."""
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key
