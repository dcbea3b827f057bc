"""What each API call does to the store, without HTTP: create, read, list, replace, patch, delete."""

from __future__ import annotations

import copy
from typing import Any

from canarykit.testing.kube.deployments import ready_status, refreshed_status, validate_deployment
from canarykit.testing.kube.errors import (
    ApiError,
    bad_request,
    conflict,
    resource_details,
)
from canarykit.testing.kube.job_api import JOBS, default_job, delete_owned_pods, validate_job
from canarykit.testing.kube.patches import PatchError, apply_patch
from canarykit.testing.kube.resources import (
    DEPLOYMENTS,
    KubeObject,
    ResourceType,
    apply_defaults,
    resource_of,
)
from canarykit.testing.kube.selectors import Requirement, object_matches
from canarykit.testing.kube.store import ObjectStore, carry_over_metadata
from canarykit.testing.kube.validation import Admission


class ResourceOperations:
    """The API semantics on top of an `ObjectStore`; Deployment status follows `auto_ready`.

    Every write passes `admission` (schema defaults and validation) right before it is stored.
    """

    def __init__(
        self, store: ObjectStore, auto_ready: bool = True, admission: Admission | None = None
    ) -> None:
        self.store = store
        self.auto_ready = auto_ready
        self.admission = admission or Admission(enabled=False)

    def create(self, resource: ResourceType, namespace: str, body: Any) -> KubeObject:
        """POST: a new object with fresh metadata (409 AlreadyExists if the name is taken)."""
        obj = typed_body(resource, body, namespace)
        with self.store.lock:
            apply_defaults(resource, obj)
            self.admission.default(resource, obj)
            if resource == DEPLOYMENTS:
                validate_deployment(obj, None)
            self.store.fill_new_metadata(resource, namespace, obj)
            if resource == DEPLOYMENTS:
                obj["status"] = refreshed_status(obj, None, self.auto_ready)
            if resource == JOBS:
                validate_job(obj)
                default_job(obj)
            self.admission.admit(resource, obj)
            return self.store.save(resource, obj, "ADDED")

    def read(self, resource: ResourceType, namespace: str, name: str) -> KubeObject:
        """GET one object (404 if missing)."""
        return self.store.require(resource, namespace, name)

    def list_collection(
        self,
        resource: ResourceType,
        namespace: str | None,
        labels: list[Requirement],
        fields: list[tuple[str, bool, str]],
    ) -> KubeObject:
        """GET on a collection: a `<Kind>List` of the objects matching both selectors."""
        with self.store.lock:
            objects = self.store.list_objects(resource, namespace)
            version = self.store.resource_version
        items = [obj for obj in objects if object_matches(labels, fields, obj)]
        metadata = {"resourceVersion": version}
        return {
            "apiVersion": resource.api_version,
            "kind": resource.list_kind,
            "metadata": metadata,
            "items": items,
        }

    def replace(self, resource: ResourceType, namespace: str, name: str, body: Any) -> KubeObject:
        """PUT: the body becomes the object (404 if missing, 409 on a stale resourceVersion)."""
        obj = typed_body(resource, body, namespace)
        body_name = obj.get("metadata", {}).get("name")
        if body_name != name:
            raise bad_request(
                f"the name of the object ({body_name}) does not match the name on the URL ({name})"
            )
        with self.store.lock:
            return self.update(resource, obj, self.store.require(resource, namespace, name))

    def patch(
        self, resource: ResourceType, namespace: str, name: str, patch: Any, content_type: str
    ) -> KubeObject:
        """PATCH: apply a merge, strategic-merge or JSON patch to the stored object."""
        with self.store.lock:
            previous = self.store.require(resource, namespace, name)
            patched = patched_object(resource, name, previous, patch, content_type)
            return self.update(resource, typed_body(resource, patched, namespace), previous)

    def delete(self, resource: ResourceType, namespace: str, name: str, propagation: str = "") -> KubeObject:
        """DELETE: remove the object and answer with a Success Status (a Job's pods per `propagation`)."""
        with self.store.lock:
            removed = self.store.delete(resource, namespace, name)
            if resource == JOBS:
                delete_owned_pods(self.store, removed, propagation)
        details = resource_details(resource, name)
        details["uid"] = removed["metadata"]["uid"]
        return {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Success", "details": details}

    def update(self, resource: ResourceType, obj: KubeObject, previous: KubeObject) -> KubeObject:
        """Store `obj` as the next version of `previous`; the status is kept (Deployments: recomputed)."""
        check_fresh(resource, obj, previous)
        if resource.has_status:
            obj.pop("status", None)
            if "status" in previous:
                obj["status"] = previous["status"]
        apply_defaults(resource, obj)
        self.admission.default(resource, obj)
        if resource == DEPLOYMENTS:
            validate_deployment(obj, previous)
        carry_over_metadata(obj, previous)
        if resource == DEPLOYMENTS:
            obj["status"] = refreshed_status(obj, previous, self.auto_ready)
        self.admission.admit(resource, obj)
        return self.store.save(resource, obj, "MODIFIED")

    def seed(self, obj: KubeObject) -> KubeObject:
        """Store an object, creating or replacing; status computed if absent.

        The API's own checks (a Deployment's selector, a Job's pod spec, resourceVersions) are skipped; the
        schema validation of `admission` is not: a seeded object must be one a real cluster could hold.
        """
        resource = resource_of(obj)
        obj = copy.deepcopy(obj)
        namespace = obj.setdefault("metadata", {}).setdefault("namespace", "default")
        with self.store.lock:
            previous = self.store.get(resource, namespace, obj["metadata"].get("name", ""))
            apply_defaults(resource, obj)
            self.admission.default(resource, obj)
            if previous is None:
                self.store.fill_new_metadata(resource, namespace, obj)
            else:
                carry_over_metadata(obj, previous)
            if resource == DEPLOYMENTS and "status" not in obj:
                obj["status"] = refreshed_status(obj, previous, self.auto_ready)
            self.admission.admit(resource, obj)
            return self.store.save(resource, obj, "ADDED" if previous is None else "MODIFIED")

    def mark_ready(self, namespace: str, name: str) -> KubeObject:
        """Make a Deployment fully rolled out for its current generation (a MODIFIED event)."""
        with self.store.lock:
            deployment = self.store.require(DEPLOYMENTS, namespace, name)
            deployment["status"] = ready_status(deployment)
            return self.store.save(DEPLOYMENTS, deployment, "MODIFIED")


def typed_body(resource: ResourceType, body: Any, namespace: str) -> KubeObject:
    """A copy of a request body checked against the URL, `apiVersion` and `kind` filled in (400 if wrong)."""
    if not isinstance(body, dict):
        raise bad_request(f"the body must be a JSON object for {resource.kind}, got {type(body).__name__}")
    obj = {"apiVersion": resource.api_version, "kind": resource.kind, **copy.deepcopy(body)}
    if obj["kind"] != resource.kind:
        raise bad_request(f"the kind of the body ({obj['kind']}) does not match the URL ({resource.kind})")
    if obj["apiVersion"] != resource.api_version:
        raise bad_request(
            f"the body's apiVersion ({obj['apiVersion']}) does not match the URL ({resource.api_version})"
        )
    metadata = obj.get("metadata") or {}
    if not isinstance(metadata, dict) or metadata.get("namespace", namespace) != namespace:
        raise bad_request(
            "the namespace of the provided object does not match the namespace sent on the request"
        )
    obj["metadata"] = metadata
    return obj


def check_fresh(resource: ResourceType, obj: KubeObject, previous: KubeObject) -> None:
    """409 Conflict when `obj` names a resourceVersion other than the stored one (none: unconditional)."""
    wanted = (obj.get("metadata") or {}).get("resourceVersion")
    if wanted and wanted != previous["metadata"]["resourceVersion"]:
        raise conflict(resource, previous["metadata"]["name"])


def patched_object(
    resource: ResourceType, name: str, target: KubeObject, patch: Any, content_type: str
) -> Any:
    """`target` after the patch (`Endpoints.handle` already refused other Content-Types): 422 if it fails."""
    try:
        return apply_patch(content_type, target, patch)
    except PatchError as error:
        raise ApiError(
            422, "Invalid", str(error), resource_details(resource, name, kind=resource.kind)
        ) from None
