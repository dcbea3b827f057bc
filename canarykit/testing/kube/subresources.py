"""The `/scale` and `/status` subresources: views of one part of an object, written back into it."""

from __future__ import annotations

import copy
from typing import Any

from canarykit.testing.kube.deployments import replicas_of_scale, to_scale
from canarykit.testing.kube.errors import invalid, not_found
from canarykit.testing.kube.operations import ResourceOperations, check_fresh, patched_object, typed_body
from canarykit.testing.kube.resources import DEPLOYMENTS, KubeObject, ResourceType
from canarykit.testing.kube.store import carry_over_metadata


class Subresources:
    """Scale (Deployments only) and status reads and writes, through the same `ResourceOperations`."""

    def __init__(self, operations: ResourceOperations) -> None:
        self.operations = operations
        self.store = operations.store

    def read_scale(self, resource: ResourceType, namespace: str, name: str) -> KubeObject:
        """GET /scale: the Deployment as an `autoscaling/v1` Scale."""
        _require_scalable(resource, name)
        return to_scale(self.store.require(resource, namespace, name))

    def replace_scale(self, resource: ResourceType, namespace: str, name: str, body: Any) -> KubeObject:
        """PUT /scale: set `spec.replicas` from a Scale body (409 on a stale resourceVersion)."""
        _require_scalable(resource, name)
        with self.store.lock:
            return self._scale_to(namespace, name, body, self.store.require(resource, namespace, name))

    def patch_scale(
        self, resource: ResourceType, namespace: str, name: str, patch: Any, content_type: str
    ) -> KubeObject:
        """PATCH /scale: patch the Scale view, then set `spec.replicas` from the result."""
        _require_scalable(resource, name)
        with self.store.lock:
            deployment = self.store.require(resource, namespace, name)
            scale = patched_object(resource, name, to_scale(deployment), patch, content_type)
            return self._scale_to(namespace, name, scale, deployment)

    def read_status(self, resource: ResourceType, namespace: str, name: str) -> KubeObject:
        """GET /status: the whole object, as a real API server answers."""
        return self.store.require(resource, namespace, name)

    def replace_status(self, resource: ResourceType, namespace: str, name: str, body: Any) -> KubeObject:
        """PUT /status: take only `status` from the body."""
        obj = typed_body(resource, body, namespace)
        with self.store.lock:
            return self._write_status(resource, obj, self.store.require(resource, namespace, name))

    def patch_status(
        self, resource: ResourceType, namespace: str, name: str, patch: Any, content_type: str
    ) -> KubeObject:
        """PATCH /status: patch the object, keep only the change to `status`."""
        with self.store.lock:
            previous = self.store.require(resource, namespace, name)
            patched = patched_object(resource, name, previous, patch, content_type)
            return self._write_status(resource, typed_body(resource, patched, namespace), previous)

    def _scale_to(self, namespace: str, name: str, scale: Any, deployment: KubeObject) -> KubeObject:
        """Write the replicas of a Scale into the Deployment and answer with the new Scale."""
        replicas = replicas_of_scale(scale)
        if replicas is None or replicas < 0:
            raise invalid(DEPLOYMENTS, name, "spec.replicas", "Invalid value: must be a non-negative integer")
        check_fresh(DEPLOYMENTS, scale, deployment)
        updated = copy.deepcopy(deployment)
        updated["spec"]["replicas"] = replicas
        return to_scale(self.operations.update(DEPLOYMENTS, updated, deployment))

    def _write_status(self, resource: ResourceType, obj: KubeObject, previous: KubeObject) -> KubeObject:
        """Store `previous` with the status of `obj`; spec, metadata and generation stay as they were."""
        check_fresh(resource, obj, previous)
        updated = copy.deepcopy(previous)
        updated.pop("status", None)
        if obj.get("status") is not None:
            updated["status"] = obj["status"]
        carry_over_metadata(updated, previous)
        self.operations.admission.admit(resource, updated)
        return self.store.save(resource, updated, "MODIFIED")


def _require_scalable(resource: ResourceType, name: str) -> None:
    """Only Deployments have a scale subresource here; others answer 404."""
    if resource != DEPLOYMENTS:
        raise not_found(resource, name)
