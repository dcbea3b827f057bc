"""`KubeAPI`: the thin edge between canarykit and the official `kubernetes` client; plain dicts in and out.

Routers, workloads and the state store talk to this narrow interface, never to the generated client, so the
rest of `canarykit.kube` reads like the Kubernetes API documentation. Objects stay plain dicts (as
`kubectl get -o json` prints them): no model classes, no validation surprises between client versions.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from canarykit.errors import KubernetesError

JsonObject = dict[str, Any]
PATCH_TYPES = {
    "merge": "application/merge-patch+json",
    "strategic": "application/strategic-merge-patch+json",
    "json": "application/json-patch+json",
}
RESOURCES = {
    "deployments": ("AppsV1Api", "namespaced_deployment"),
    "services": ("CoreV1Api", "namespaced_service"),
    "configmaps": ("CoreV1Api", "namespaced_config_map"),
    "events": ("CoreV1Api", "namespaced_event"),
    "ingresses": ("NetworkingV1Api", "namespaced_ingress"),
    "leases": ("CoordinationV1Api", "namespaced_lease"),
}
"""The resources canarykit touches: plural -> (generated API class, method suffix)."""
DEFAULT_TIMEOUT = 30.0


class KubeAPI:
    """Namespaced get/list/create/replace/patch/delete on `RESOURCES`, raising `KubernetesError`.

    `api_client` is a `kubernetes.client.ApiClient`; build one with `canarykit.kube.connect()`.
    """

    def __init__(self, api_client: Any, request_timeout: float = DEFAULT_TIMEOUT) -> None:
        self.api_client = api_client
        self.request_timeout = request_timeout
        self._apis: dict[str, Any] = {}

    @property
    def host(self) -> str:
        return str(self.api_client.configuration.host)

    def get(self, resource: str, namespace: str, name: str) -> JsonObject | None:
        """The object, or None when it does not exist."""
        try:
            return self._call("read", resource, name=name, namespace=namespace)
        except KubernetesError as error:
            if error.status == 404:
                return None
            raise

    def list(self, resource: str, namespace: str, label_selector: str | None = None) -> list[JsonObject]:
        options = {"label_selector": label_selector} if label_selector else {}
        items: list[JsonObject] = self._call("list", resource, namespace=namespace, **options)["items"]
        return items

    def create(self, resource: str, namespace: str, body: Mapping[str, Any]) -> JsonObject:
        return self._call("create", resource, namespace=namespace, body=dict(body))

    def replace(self, resource: str, namespace: str, name: str, body: Mapping[str, Any]) -> JsonObject:
        """PUT the whole object; a stale `metadata.resourceVersion` raises a conflict (409)."""
        return self._call("replace", resource, name=name, namespace=namespace, body=dict(body))

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
        return self._call(
            "patch", resource, name=name, namespace=namespace, body=body, _content_type=content_type
        )

    def delete(self, resource: str, namespace: str, name: str) -> bool:
        """Delete the object; False when it was already gone."""
        try:
            self._call("delete", resource, name=name, namespace=namespace)
        except KubernetesError as error:
            if error.status == 404:
                return False
            raise
        return True

    def scale(self, namespace: str, deployment: str, replicas: int) -> JsonObject:
        """Set a Deployment's replicas through its `scale` subresource; returns the `Scale`."""
        method = self._method("patch", "deployments", suffix="_scale")
        body = {"spec": {"replicas": replicas}}
        return self._send(method, "deployments", deployment, name=deployment, namespace=namespace, body=body)

    def _call(self, verb: str, resource: str, **arguments: Any) -> JsonObject:
        method = self._method(verb, resource)
        return self._send(method, resource, arguments.get("name", ""), **arguments)

    def _method(self, verb: str, resource: str, suffix: str = "") -> Callable[..., Any]:
        if resource not in RESOURCES:
            raise KubernetesError(f"canarykit does not handle the resource {resource!r}")
        class_name, method_suffix = RESOURCES[resource]
        if class_name not in self._apis:
            from kubernetes import client

            self._apis[class_name] = getattr(client, class_name)(self.api_client)
        method: Callable[..., Any] = getattr(self._apis[class_name], f"{verb}_{method_suffix}{suffix}")
        return method

    def _send(self, method: Callable[..., Any], resource: str, label: str, **arguments: Any) -> JsonObject:
        """Call a generated method without its models, mapping every failure to `KubernetesError`."""
        try:
            response = method(_preload_content=False, _request_timeout=self.request_timeout, **arguments)
            data = response.data
        except Exception as fault:
            raise _translate(fault, resource, label, self.host) from None
        return _decode(data, resource, label)


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


def _translate(fault: Exception, resource: str, name: str, host: str) -> KubernetesError:
    """A `KubernetesError` naming the Status message and reason, or the connection fault (no headers)."""
    status = getattr(fault, "status", None)
    if isinstance(status, int) and status > 0:
        message, reason = _status_message(getattr(fault, "body", None), getattr(fault, "reason", ""))
        return KubernetesError(f"{resource} {name!r}: {status} {reason}: {message}", status, reason)
    detail = type(fault).__name__ + (f": {fault}" if str(fault) else "")
    return KubernetesError(f"{resource} {name!r}: cannot reach the Kubernetes API at {host} ({detail})")


def _status_message(body: Any, fallback_reason: Any) -> tuple[str, str]:
    """The `message` and `reason` of a Kubernetes Status body, when the body is one."""
    try:
        status = json.loads(body) if body else {}
    except (TypeError, ValueError):
        status = {}
    if not isinstance(status, dict):
        status = {}
    reason = str(status.get("reason") or fallback_reason or "")
    return str(status.get("message") or body or reason), reason
