"""Reading a request URL: which resource, namespace, name and subresource, and the list/watch options."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import parse_qs

from canarykit.testing.kube.errors import ApiError, bad_request
from canarykit.testing.kube.resources import ResourceType, resource_at
from canarykit.testing.kube.selectors import Requirement, parse_field_selector, parse_label_selector

_PATH = re.compile(
    r"^(?P<prefix>/api/v1|/apis/[^/]+/[^/]+)"
    r"(?:/namespaces/(?P<namespace>[^/]+))?"
    r"/(?P<plural>[^/]+)"
    r"(?:/(?P<name>[^/]+))?"
    r"(?:/(?P<subresource>[^/]+))?/?$"
)
SUBRESOURCES = ("scale", "status")


@dataclass(frozen=True)
class Route:
    """Where a request goes: `target` is `collection`, `object`, `scale` or `status`."""

    resource: ResourceType
    namespace: str | None
    name: str | None
    subresource: str | None

    @property
    def target(self) -> str:
        """What the request addresses: the collection, one object, or one of its subresources."""
        if self.name is None:
            return "collection"
        return self.subresource or "object"


@dataclass(frozen=True)
class ListOptions:
    """The query parameters of a list or watch request that this fake honours."""

    labels: list[Requirement] = field(default_factory=list)
    fields: list[tuple[str, bool, str]] = field(default_factory=list)
    watch: bool = False
    resource_version: int | None = None
    timeout_seconds: float | None = None
    propagation_policy: str = ""


def parse_route(path: str) -> Route:
    """The route of a URL path; a 404 `ApiError` for paths this fake does not serve."""
    found = _PATH.match(path)
    resource = resource_at(found["prefix"], found["plural"]) if found else None
    if found is None or resource is None:
        raise ApiError(404, "NotFound", f"the server could not find the requested resource ({path})")
    if found["subresource"] not in (None, *SUBRESOURCES) or (found["namespace"] is None and found["name"]):
        raise ApiError(404, "NotFound", f"the server could not find the requested resource ({path})")
    return Route(resource, found["namespace"], found["name"], found["subresource"])


def parse_list_options(query: str) -> ListOptions:
    """Read `labelSelector`, `fieldSelector`, `watch`, `resourceVersion`, `timeoutSeconds` (400 if bad)."""
    params = {key: values[-1] for key, values in parse_qs(query, keep_blank_values=True).items()}
    try:
        return ListOptions(
            labels=parse_label_selector(params.get("labelSelector", "")),
            fields=parse_field_selector(params.get("fieldSelector", "")),
            watch=params.get("watch", "").lower() in ("true", "1"),
            resource_version=_resource_version(params.get("resourceVersion", "")),
            timeout_seconds=float(params["timeoutSeconds"]) if params.get("timeoutSeconds") else None,
            propagation_policy=params.get("propagationPolicy", ""),
        )
    except ValueError as error:
        raise bad_request(str(error)) from None


def _resource_version(text: str) -> int | None:
    """A watch's starting resourceVersion; empty and "0" mean "start with the current state"."""
    if text in ("", "0"):
        return None
    if not text.isdigit():
        raise ValueError(f"invalid resourceVersion {text!r}")
    return int(text)
