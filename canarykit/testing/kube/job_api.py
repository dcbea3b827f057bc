"""What the API server does with `batch/v1` Jobs: validation, defaults at creation, deleting their pods."""

from __future__ import annotations

import re
from typing import Any

from canarykit.testing.kube.errors import invalid
from canarykit.testing.kube.resources import KubeObject, resource_named
from canarykit.testing.kube.store import ObjectStore

JOBS = resource_named("jobs")
PODS = resource_named("pods")
CONTROLLER_UID = "batch.kubernetes.io/controller-uid"
JOB_NAME = "batch.kubernetes.io/job-name"
LEGACY_LABELS = {"controller-uid": CONTROLLER_UID, "job-name": JOB_NAME}
RESTART_POLICIES = ("OnFailure", "Never")
CASCADING = ("Foreground", "Background")
"""Propagation policies that delete a Job's pods; none (a `batch/v1` Job's default) or Orphan keep them."""
_SUBDOMAIN = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*")
_SPEC_DEFAULTS = {
    "parallelism": 1,
    "completions": 1,
    "backoffLimit": 6,
    "completionMode": "NonIndexed",
    "suspend": False,
    "podReplacementPolicy": "TerminatingOrFailed",
}


def validate_job(job: KubeObject) -> None:
    """422 Invalid as the API server answers: a bad name, a name too long for a label, a bad pod spec."""
    name = str(job["metadata"].get("name", ""))
    if not _SUBDOMAIN.fullmatch(name):
        problem = f'Invalid value: "{name}": a lowercase RFC 1123 subdomain must consist of lower case '
        problem += "alphanumeric characters, '-' or '.', and must start and end with an alphanumeric "
        raise invalid(JOBS, name, "metadata.name", problem + "character")
    if len(name) > 63:
        problem = f'Invalid value: "{name}": must be no more than 63 characters'
        raise invalid(JOBS, name, "spec.template.labels", problem)
    pod = ((job.get("spec") or {}).get("template") or {}).get("spec") or {}
    if not pod.get("containers"):
        raise invalid(JOBS, name, "spec.template.spec.containers", "Required value")
    policy = pod.get("restartPolicy")
    if policy not in RESTART_POLICIES:
        allowed = '"OnFailure", "Never"'
        problem = f'Unsupported value: "{policy}": supported values: {allowed}'
        if not policy:
            problem = f"Required value: valid values: {allowed}"
        raise invalid(JOBS, name, "spec.template.spec.restartPolicy", problem)


def default_job(job: KubeObject) -> None:
    """The defaults of a new Job (its uid assigned): spec fields, the generated selector and pod labels."""
    metadata = job["metadata"]
    spec = job.setdefault("spec", {})
    for field, value in _SPEC_DEFAULTS.items():
        spec.setdefault(field, value)
    spec.setdefault("selector", {"matchLabels": {CONTROLLER_UID: metadata["uid"]}})
    pod_metadata = spec["template"].setdefault("metadata", {})
    labels = pod_metadata.setdefault("labels", {})
    for legacy, label in LEGACY_LABELS.items():
        value = metadata["uid"] if label == CONTROLLER_UID else metadata["name"]
        labels.update({label: value, legacy: value})
    job["status"] = {}


def delete_owned_pods(store: ObjectStore, job: KubeObject, propagation: str) -> None:
    """What the garbage collector does to a deleted Job's pods: delete them, or orphan them (by default)."""
    uid = job["metadata"]["uid"]
    for pod in store.list_objects(PODS, job["metadata"]["namespace"]):
        owners = pod["metadata"].get("ownerReferences") or []
        if not any(owner.get("uid") == uid for owner in owners):
            continue
        if propagation in CASCADING:
            store.delete(PODS, pod["metadata"]["namespace"], pod["metadata"]["name"])
            continue
        pod["metadata"]["ownerReferences"] = [owner for owner in owners if owner.get("uid") != uid]
        store.save(PODS, pod, "MODIFIED")


def propagation_policy(query_policy: str, body: Any) -> str:
    """The policy of a DELETE: `?propagationPolicy=` or a DeleteOptions body's `propagationPolicy`."""
    if query_policy:
        return query_policy
    return str(body.get("propagationPolicy") or "") if isinstance(body, dict) else ""
