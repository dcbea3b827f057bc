"""Routing a parsed request to the operation it names, and turning request bodies into JSON."""

from __future__ import annotations

import json
from typing import Any

from canarykit.testing.kube.errors import bad_request, method_not_allowed, unsupported_media_type
from canarykit.testing.kube.job_api import propagation_policy
from canarykit.testing.kube.operations import ResourceOperations
from canarykit.testing.kube.patches import PATCH_TYPES
from canarykit.testing.kube.resources import KubeObject
from canarykit.testing.kube.routes import ListOptions, Route
from canarykit.testing.kube.subresources import Subresources


class Endpoints:
    """Answers every non-watch request on a resource path with `(HTTP code, JSON body)`."""

    def __init__(self, operations: ResourceOperations) -> None:
        self.operations = operations
        sub = Subresources(operations)
        self._reads = {"object": operations.read, "scale": sub.read_scale, "status": sub.read_status}
        self._replaces = {
            "object": operations.replace,
            "scale": sub.replace_scale,
            "status": sub.replace_status,
        }
        self._patches = {"object": operations.patch, "scale": sub.patch_scale, "status": sub.patch_status}

    def handle(
        self, method: str, route: Route, options: ListOptions, body: bytes, content_type: str
    ) -> tuple[int, KubeObject]:
        """Run the request; errors are raised as `ApiError`."""
        if route.target == "collection":
            return self._collection(method, route, options, body)
        resource, namespace, name, target = (
            route.resource,
            route.namespace or "",
            route.name or "",
            route.target,
        )
        if method == "GET":
            return 200, self._reads[target](resource, namespace, name)
        if method == "PUT":
            return 200, self._replaces[target](resource, namespace, name, parse_json(body))
        if method == "PATCH":
            if content_type not in PATCH_TYPES:
                raise unsupported_media_type(content_type)
            return 200, self._patches[target](resource, namespace, name, parse_json(body), content_type)
        if method == "DELETE" and target == "object":
            policy = propagation_policy(options.propagation_policy, parse_json(body) if body else None)
            return 200, self.operations.delete(resource, namespace, name, policy)
        raise method_not_allowed(method, target)

    def _collection(
        self, method: str, route: Route, options: ListOptions, body: bytes
    ) -> tuple[int, KubeObject]:
        """GET lists (in one namespace or all), POST creates."""
        if method == "GET":
            return 200, self.operations.list_collection(
                route.resource, route.namespace, options.labels, options.fields
            )
        if method == "POST" and route.namespace is not None:
            return 201, self.operations.create(route.resource, route.namespace, parse_json(body))
        raise method_not_allowed(method, route.resource.plural)


def parse_json(body: bytes) -> Any:
    """The request body as JSON; 400 BadRequest when it is not."""
    try:
        return json.loads(body or b"null")
    except ValueError as error:
        raise bad_request(f"the request body is not valid JSON: {error}") from None
