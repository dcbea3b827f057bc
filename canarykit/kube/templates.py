"""Pod templates: revision hashes, image changes, readiness of a Deployment. Pure functions on dicts."""

from __future__ import annotations

import copy
import hashlib
import json
from collections.abc import Mapping
from typing import Any

from canarykit.errors import SpecError

REVISION_LABEL = "canarykit.io/revision"
"""On every pod canarykit manages; the stable and canary Services select on it."""
VERSION_ANNOTATION = "canarykit.io/version"
MANAGED_BY = {"app.kubernetes.io/managed-by": "canarykit"}
CONTAINER_LISTS = ("initContainers", "containers", "ephemeralContainers")


def revision_of(template: Mapping[str, Any]) -> str:
    """A short hash of a pod template, ignoring its revision label (like Kubernetes' pod-template-hash)."""
    unlabelled = copy.deepcopy(dict(template))
    labels = unlabelled.get("metadata", {}).get("labels", {})
    labels.pop(REVISION_LABEL, None)
    text = json.dumps(unlabelled, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:10]


def labelled(template: Mapping[str, Any], revision: str, version: str | None = None) -> dict[str, Any]:
    """A copy of `template` whose pods carry `REVISION_LABEL=revision` (and the version annotation)."""
    result = copy.deepcopy(dict(template))
    metadata = result.setdefault("metadata", {})
    metadata.setdefault("labels", {})[REVISION_LABEL] = revision
    if version is not None:
        metadata.setdefault("annotations", {})[VERSION_ANNOTATION] = version
    return result


def template_revision(template: Mapping[str, Any]) -> str | None:
    labels = (template.get("metadata") or {}).get("labels") or {}
    value = labels.get(REVISION_LABEL)
    return str(value) if value is not None else None


def template_version(template: Mapping[str, Any]) -> str | None:
    """The version a pod template was made for (its `VERSION_ANNOTATION`), if canarykit made it."""
    annotations = (template.get("metadata") or {}).get("annotations") or {}
    value = annotations.get(VERSION_ANNOTATION)
    return str(value) if value is not None else None


def same_pods(first: Mapping[str, Any], second: Mapping[str, Any]) -> bool:
    """True when two pod templates differ at most in canarykit's revision label and version annotation."""
    return _unmarked(first) == _unmarked(second)


def _unmarked(template: Mapping[str, Any]) -> dict[str, Any]:
    result = copy.deepcopy(dict(template))
    metadata = result.get("metadata") or {}
    for key, name in (("labels", REVISION_LABEL), ("annotations", VERSION_ANNOTATION)):
        values = metadata.get(key)
        if isinstance(values, dict):
            values.pop(name, None)
            if not values:
                metadata.pop(key)
    if not metadata:
        result.pop("metadata", None)
    return result


def parse_image_option(text: str) -> tuple[str, str]:
    """`container=image` (as `kubectl argo rollouts set image`) -> (container, image); `*` means all."""
    container, sep, image = text.partition("=")
    if not sep or not container.strip() or not image.strip():
        raise SpecError(f"invalid image {text!r}: expected container=image, e.g. app=registry/app:v2")
    return container.strip(), image.strip()


def with_images(template: Mapping[str, Any], images: Mapping[str, str]) -> dict[str, Any]:
    """A copy of `template` with each named container's image replaced (`*` = every container).

    Raises `SpecError` ``unable to find container named "c"`` as Argo's `set image` does.
    """
    result = copy.deepcopy(dict(template))
    containers = [c for key in CONTAINER_LISTS for c in result.get("spec", {}).get(key, []) or []]
    for name, image in images.items():
        matched = [c for c in containers if name == "*" or c.get("name") == name]
        if not matched:
            raise SpecError(f'unable to find container named "{name}"')
        for container in matched:
            container["image"] = image
    return result


def only_container(template: Mapping[str, Any]) -> str:
    """The name of the template's only container; `SpecError` when there are several (name one)."""
    names = [str(c.get("name")) for c in template.get("spec", {}).get("containers", []) or []]
    if len(names) != 1:
        raise SpecError(f"the pod template has containers {names}: name the one to update (container=...)")
    return names[0]


def deployment_ready(deployment: Mapping[str, Any]) -> bool:
    """True once the controller saw the latest spec, every replica is updated and available, and no old
    replica is left (`kubectl rollout status`: "old replicas are pending termination")."""
    spec, status = deployment.get("spec", {}), deployment.get("status", {}) or {}
    wanted = int(spec.get("replicas", 1))
    observed = int(status.get("observedGeneration", 0)) >= int(deployment["metadata"].get("generation", 0))
    updated = int(status.get("updatedReplicas", 0) or 0)
    available = int(status.get("availableReplicas", 0) or 0) >= wanted
    no_old = int(status.get("replicas", 0) or 0) <= updated
    return observed and updated >= wanted and available and no_old


def match_labels(deployment: Mapping[str, Any]) -> dict[str, str]:
    selector = deployment.get("spec", {}).get("selector", {}) or {}
    return dict(selector.get("matchLabels", {}) or {})
