"""`KubeAPI`: the thin edge between canarykit and the official `kubernetes` client; plain dicts in and out.

Routers, workloads and the state store talk to this narrow interface, never to the generated client, so the
rest of `canarykit.kube` reads like the Kubernetes API documentation. Objects stay plain dicts (as
`kubectl get -o json` prints them): no model classes, no validation surprises between client versions.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import quote

from canarykit.errors import KubernetesError

JsonObject = dict[str, Any]
PATCH_TYPES = {
    "merge": "application/merge-patch+json",
    "strategic": "application/strategic-merge-patch+json",
    "json": "application/json-patch+json",
}
API_PREFIXES = {
    "deployments": "/apis/apps/v1",
    "services": "/api/v1",
    "configmaps": "/api/v1",
    "events": "/api/v1",
    "ingresses": "/apis/networking.k8s.io/v1",
    "leases": "/apis/coordination.k8s.io/v1",
    "rollouts": "/apis/argoproj.io/v1alpha1",
    "replicasets": "/apis/apps/v1",
    "pods": "/api/v1",
    "secrets": "/api/v1",
    "jobs": "/apis/batch/v1",
    "httproutes": "/apis/gateway.networking.k8s.io/v1",
    "grpcroutes": "/apis/gateway.networking.k8s.io/v1",
    "tcproutes": "/apis/gateway.networking.k8s.io/v1alpha2",
    "tlsroutes": "/apis/gateway.networking.k8s.io/v1alpha2",
}
"""The resources canarykit touches: plural -> API group path."""
DEFAULT_TIMEOUT = 30.0


class KubeAPI:
    """Namespaced get/list/create/replace/patch/delete on `API_PREFIXES`, raising `KubernetesError`.

    `api_client` is a `kubernetes.client.ApiClient` (build one with `canarykit.kube.connect()`): its
    configuration, authentication, TLS and connection pool carry every request. Bodies go out as the JSON
    given, never through the generated models, which would re-format fields such as a Lease's MicroTime.
    """

    def __init__(self, api_client: Any, request_timeout: float = DEFAULT_TIMEOUT) -> None:
        self.api_client = api_client
        self.request_timeout = request_timeout

    @property
    def host(self) -> str:
        return str(self.api_client.configuration.host)

    def get(self, resource: str, namespace: str, name: str) -> JsonObject | None:
        """The object, or None when it does not exist."""
        try:
            return self._request("GET", resource, namespace, name)
        except KubernetesError as error:
            if error.status == 404:
                return None
            raise

    def list(self, resource: str, namespace: str, label_selector: str | None = None) -> list[JsonObject]:
        query = {"labelSelector": label_selector} if label_selector else None
        items: list[JsonObject] = self._request("GET", resource, namespace, query=query).get("items") or []
        return items

    def create(self, resource: str, namespace: str, body: Mapping[str, Any]) -> JsonObject:
        return self._request("POST", resource, namespace, body=dict(body))

    def replace(self, resource: str, namespace: str, name: str, body: Mapping[str, Any]) -> JsonObject:
        """PUT the whole object; a stale `metadata.resourceVersion` raises a conflict (409)."""
        return self._request("PUT", resource, namespace, name, body=dict(body))

    def patch(
        self,
        resource: str,
        namespace: str,
        name: str,
        patch: Mapping[str, Any] | Sequence[Mapping[str, Any]],
        patch_type: str = "merge",
    ) -> JsonObject:
        """Patch with `patch_type` "merge" (RFC 7386), "strategic" or "json" (RFC 6902)."""
        body: Any = [dict(op) for op in patch] if isinstance(patch, Sequence) else dict(patch)
        content_type = _patch_content_type(patch_type)
        return self._request("PATCH", resource, namespace, name, body=body, content_type=content_type)

    def delete(self, resource: str, namespace: str, name: str, propagation: str | None = None) -> bool:
        """Delete the object (`propagation`: `Foreground`, `Background` or `Orphan` for its dependents);
        False when it was already gone."""
        query = {"propagationPolicy": propagation} if propagation else None
        try:
            self._request("DELETE", resource, namespace, name, query=query)
        except KubernetesError as error:
            if error.status == 404:
                return False
            raise
        return True

    def scale(self, namespace: str, deployment: str, replicas: int) -> JsonObject:
        """Set a Deployment's replicas through its `scale` subresource; returns the `Scale`."""
        body = {"spec": {"replicas": replicas}}
        content_type = PATCH_TYPES["merge"]
        path = f"{deployment}/scale"
        return self._request("PATCH", "deployments", namespace, path, body=body, content_type=content_type)

    def _request(
        self,
        method: str,
        resource: str,
        namespace: str,
        name: str = "",
        body: Any = None,
        content_type: str = "application/json",
        query: Mapping[str, str] | None = None,
    ) -> JsonObject:
        """One HTTP request through the client's REST layer; every failure becomes a `KubernetesError`."""
        path = _path(resource, namespace, name)
        headers = {
            "Accept": "application/json",
            **({"Content-Type": content_type} if body is not None else {}),
        }
        try:
            request = self.api_client.param_serialize(
                method=method,
                resource_path=path,
                query_params=list(query.items()) if query else None,
                header_params=headers,
                body=body,
                auth_settings=["BearerToken"],
            )
            response = self.api_client.call_api(*request, _request_timeout=self.request_timeout)
            data = response.read()
        except Exception as fault:
            raise _unreachable(fault, resource, name, self.host) from None
        if not 200 <= response.status <= 299:
            raise _refused(response.status, data, resource, name)
        return _decode(data, resource, name)


def _path(resource: str, namespace: str, name: str) -> str:
    """`/apis/<group>/<version>/namespaces/<ns>/<plural>[/<name>[/<subresource>]]`, escaped."""
    if resource not in API_PREFIXES:
        raise KubernetesError(f"canarykit does not handle the resource {resource!r}")
    path = f"{API_PREFIXES[resource]}/namespaces/{quote(namespace, safe='')}/{resource}"
    return f"{path}/{quote(name, safe='/')}" if name else path


def _patch_content_type(patch_type: str) -> str:
    if patch_type not in PATCH_TYPES:
        raise KubernetesError(f"unknown patch type {patch_type!r}: use one of {sorted(PATCH_TYPES)}")
    return PATCH_TYPES[patch_type]


def _decode(data: bytes, resource: str, name: str) -> JsonObject:
    try:
        value = json.loads(data or b"{}")
    except ValueError as error:
        raise KubernetesError(f"{resource} {name!r}: the API answered with invalid JSON: {error}") from None
    if not isinstance(value, dict):
        raise KubernetesError(f"{resource} {name!r}: the API answered with a {type(value).__name__}")
    return value


def _unreachable(fault: Exception, resource: str, name: str, host: str) -> KubernetesError:
    """The connection fault, named by its type and text (never the request's headers)."""
    detail = type(fault).__name__ + (f": {fault}" if str(fault) else "")
    return KubernetesError(f"{resource} {name!r}: cannot reach the Kubernetes API at {host} ({detail})")


def _refused(status: int, data: bytes | None, resource: str, name: str) -> KubernetesError:
    """A `KubernetesError` with the `message` and `reason` of the Kubernetes Status body."""
    try:
        body = json.loads(data) if data else {}
    except ValueError:
        body = {}
    if not isinstance(body, dict):
        body = {}
    reason = str(body.get("reason") or "")
    message = str(body.get("message") or (data or b"").decode("utf-8", "replace") or reason)
    return KubernetesError(f"{resource} {name!r}: {status} {reason}: {message}", status, reason)
