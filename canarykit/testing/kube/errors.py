"""Kubernetes `Status` bodies, and `ApiError`, the exception that becomes one."""

from __future__ import annotations

import json
from typing import Any

from canarykit.testing.kube.resources import KubeObject, ResourceType

REASONS: dict[int, str] = {
    400: "BadRequest",
    401: "Unauthorized",
    403: "Forbidden",
    404: "NotFound",
    405: "MethodNotAllowed",
    409: "Conflict",
    410: "Expired",
    415: "UnsupportedMediaType",
    422: "Invalid",
    429: "TooManyRequests",
    500: "InternalError",
    503: "ServiceUnavailable",
    504: "Timeout",
}


def reason_for(code: int) -> str:
    """The Status reason a real API server uses for an HTTP code (`InternalError` for unknown 5xx)."""
    return REASONS.get(code, "InternalError" if code >= 500 else "BadRequest")


def status_body(code: int, reason: str, message: str, details: dict[str, Any] | None = None) -> KubeObject:
    """A failure `Status` object, as the API server sends for every error."""
    body: KubeObject = {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure"}
    body.update(message=message, reason=reason, code=code)
    if details:
        body["details"] = details
    return body


def resource_details(resource: ResourceType, name: str, kind: str | None = None) -> dict[str, Any]:
    """Status `details` naming the object: `kind` is the plural unless given (Invalid uses the Kind)."""
    details: dict[str, Any] = {"name": name, "kind": kind or resource.plural}
    if resource.group:
        details["group"] = resource.group
    return details


class ApiError(Exception):
    """An error answer: HTTP `code` with a Status body carrying `reason`, `message` and `details`."""

    def __init__(self, code: int, reason: str, message: str, details: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.reason = reason
        self.message = message
        self.details = details

    def body(self) -> KubeObject:
        """The Status object to send."""
        return status_body(self.code, self.reason, self.message, self.details)

    def __str__(self) -> str:
        return f"{self.code} {self.reason}: {json.dumps(self.message)}"


def not_found(resource: ResourceType, name: str) -> ApiError:
    """404: `deployments.apps "web" not found`."""
    message = f'{resource.qualified_name} "{name}" not found'
    return ApiError(404, "NotFound", message, resource_details(resource, name))


def already_exists(resource: ResourceType, name: str) -> ApiError:
    """409 AlreadyExists: `deployments.apps "web" already exists`."""
    message = f'{resource.qualified_name} "{name}" already exists'
    return ApiError(409, "AlreadyExists", message, resource_details(resource, name))


def conflict(resource: ResourceType, name: str) -> ApiError:
    """409 Conflict: the caller's resourceVersion is stale."""
    message = (
        f'Operation cannot be fulfilled on {resource.qualified_name} "{name}": the object has been modified; '
        "please apply your changes to the latest version and try again"
    )
    return ApiError(409, "Conflict", message, resource_details(resource, name))


def invalid(resource: ResourceType, name: str, field: str, problem: str) -> ApiError:
    """422 Invalid: `Deployment.apps "web" is invalid: spec.selector: <problem>`."""
    kind = f"{resource.kind}.{resource.group}" if resource.group else resource.kind
    message = f'{kind} "{name}" is invalid: {field}: {problem}'
    details = resource_details(resource, name, kind=resource.kind)
    details["causes"] = [{"reason": "FieldValueInvalid", "message": problem, "field": field}]
    return ApiError(422, "Invalid", message, details)


def bad_request(message: str) -> ApiError:
    """400 BadRequest with a free-text message."""
    return ApiError(400, "BadRequest", message)


def unsupported_media_type(content_type: str | None) -> ApiError:
    """415: the PATCH Content-Type is not one this fake applies."""
    accepted = (
        "application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json"
    )
    message = (
        f"the body of the request was in an unknown format ({content_type}) - accepted media types include: "
    )
    return ApiError(415, "UnsupportedMediaType", message + accepted)


def method_not_allowed(method: str, path: str) -> ApiError:
    """405: the path exists but not for this method."""
    return ApiError(
        405,
        "MethodNotAllowed",
        f"the server does not allow this method on the requested resource: {method} {path}",
    )
