"""Deployment rules: validation, the status a controller would write, and the `autoscaling/v1` Scale view."""

from __future__ import annotations

import json
from typing import Any

from canarykit.testing.kube.errors import invalid
from canarykit.testing.kube.resources import DEPLOYMENTS, KubeObject
from canarykit.testing.kube.selectors import labels_match, requirements_from_label_selector, selector_string
from canarykit.testing.kube.store import now_rfc3339


def validate_deployment(deployment: KubeObject, previous: KubeObject | None) -> None:
    """422 Invalid: no selector or template, a changed selector, a selector not matching the template."""
    name = deployment.get("metadata", {}).get("name", "")
    spec = deployment.get("spec") or {}
    selector = spec.get("selector") or {}
    if not selector.get("matchLabels") and not selector.get("matchExpressions"):
        raise invalid(DEPLOYMENTS, name, "spec.selector.matchLabels", "Required value")
    if previous is not None and (previous.get("spec") or {}).get("selector") != selector:
        problem = f"Invalid value: {json.dumps(selector)}: field is immutable"
        raise invalid(DEPLOYMENTS, name, "spec.selector", problem)
    if not spec.get("template"):
        raise invalid(DEPLOYMENTS, name, "spec.template", "Required value")
    labels = (spec["template"].get("metadata") or {}).get("labels") or {}
    if not labels_match(requirements_from_label_selector(selector), labels):
        problem = f"Invalid value: {json.dumps(labels)}: selector does not match template labels"
        raise invalid(DEPLOYMENTS, name, "spec.template.metadata.labels", problem)
    replicas = spec.get("replicas", 0)
    if not isinstance(replicas, int) or isinstance(replicas, bool) or replicas < 0:
        raise invalid(DEPLOYMENTS, name, "spec.replicas", "Invalid value: must be a non-negative integer")


def ready_status(deployment: KubeObject) -> KubeObject:
    """The status of a finished rollout: every replica updated, ready and available for this generation."""
    replicas = deployment["spec"]["replicas"]
    return _status(deployment, updated=replicas, available=replicas)


def rolling_status(deployment: KubeObject, previous: KubeObject | None) -> KubeObject:
    """The status right after a spec change when nothing is ready yet: no updated replicas, old ones kept."""
    replicas = deployment["spec"]["replicas"]
    before = (previous or {}).get("status") or {}
    return _status(deployment, updated=0, available=min(before.get("availableReplicas", 0), replicas))


def refreshed_status(deployment: KubeObject, previous: KubeObject | None, auto_ready: bool) -> KubeObject:
    """The status after a write: ready at once with `auto_ready`, else rolling when the spec changed."""
    if auto_ready:
        return ready_status(deployment)
    if previous is None or previous.get("spec") != deployment.get("spec"):
        return rolling_status(deployment, previous)
    return dict((previous or {}).get("status") or {})


def _status(deployment: KubeObject, updated: int, available: int) -> KubeObject:
    """A DeploymentStatus with an `Available` condition that is True once all replicas are available."""
    replicas = deployment["spec"]["replicas"]
    all_available = available >= replicas
    condition = {
        "type": "Available",
        "status": "True" if all_available else "False",
        "reason": "MinimumReplicasAvailable" if all_available else "MinimumReplicasUnavailable",
        "message": "Deployment has minimum availability."
        if all_available
        else "Deployment does not have minimum availability.",
        "lastUpdateTime": now_rfc3339(),
        "lastTransitionTime": now_rfc3339(),
    }
    return {
        "observedGeneration": deployment["metadata"]["generation"],
        "replicas": replicas,
        "updatedReplicas": updated,
        "readyReplicas": available,
        "availableReplicas": available,
        "unavailableReplicas": replicas - available,
        "conditions": [condition],
    }


def to_scale(deployment: KubeObject) -> KubeObject:
    """The `autoscaling/v1` Scale of a Deployment: its replicas, observed replicas and selector."""
    metadata = deployment["metadata"]
    fields = ("name", "namespace", "uid", "resourceVersion", "creationTimestamp")
    match_labels = ((deployment.get("spec") or {}).get("selector") or {}).get("matchLabels") or {}
    return {
        "apiVersion": "autoscaling/v1",
        "kind": "Scale",
        "metadata": {field: metadata[field] for field in fields if field in metadata},
        "spec": {"replicas": deployment["spec"]["replicas"]},
        "status": {
            "replicas": (deployment.get("status") or {}).get("replicas", 0),
            "selector": selector_string(match_labels),
        },
    }


def replicas_of_scale(scale: Any) -> int | None:
    """`spec.replicas` of a Scale body, or None when it is missing or not an integer."""
    replicas = (scale.get("spec") or {}).get("replicas") if isinstance(scale, dict) else None
    return replicas if isinstance(replicas, int) and not isinstance(replicas, bool) else None
