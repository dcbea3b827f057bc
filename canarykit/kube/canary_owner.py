"""Who owns a canary Ingress: canarykit (an annotation naming the rollout), or Argo (a controller reference).

canarykit marks its canary Ingress with `canarykit.io/rollout: <name>` and a non-controller owner reference
to the stable Ingress (deleting that deletes the canary too). Argo gives its canary Ingress a controller
owner reference to the Rollout; `reown` replaces that by canarykit's marks when a rollout is adopted.
"""

from __future__ import annotations

from typing import Any

from canarykit.errors import RoutingError
from canarykit.kube.argo_rollout import controlled_by
from canarykit.kube.client import JsonObject, KubeAPI
from canarykit.kube.templates import MANAGED_BY

INGRESSES = "ingresses"
ROLLOUT_ANNOTATION = "canarykit.io/rollout"


def check_owner(existing: JsonObject, rollout_name: str, argo_rollout: JsonObject | None = None) -> None:
    """Argo's refusal of a canary Ingress that something else controls; one that `argo_rollout` (being
    adopted) controls is accepted."""
    metadata = existing.get("metadata", {})
    if argo_rollout is not None and controlled_by(existing, argo_rollout):
        return
    controllers = [ref for ref in metadata.get("ownerReferences") or [] if ref.get("controller")]
    ours = (metadata.get("annotations") or {}).get(ROLLOUT_ANNOTATION) == rollout_name
    if controllers or not ours:
        raise RoutingError(f"canary ingress `{metadata.get('name')}` controlled by different object")


def owner_reference_to(stable: JsonObject) -> dict[str, Any]:
    """An owner reference to the stable Ingress: deleting it deletes the canary too (no controller)."""
    metadata = stable["metadata"]
    return {
        "apiVersion": stable.get("apiVersion", "networking.k8s.io/v1"),
        "kind": "Ingress",
        "name": metadata["name"],
        "uid": metadata.get("uid", ""),
        "controller": False,
        "blockOwnerDeletion": False,
    }


def reown(
    api: KubeAPI, canary: JsonObject, stable: JsonObject, rollout_name: str, argo_rollout: JsonObject
) -> bool:
    """Give `canary` (as read) canarykit's marks in place of `argo_rollout`'s controller reference.

    The weight, spec and other annotations are kept. The write carries the `resourceVersion` read, so a
    concurrent change makes it fail (409) instead of being overwritten. False when already canarykit's.
    """
    if not controlled_by(canary, argo_rollout):
        check_owner(canary, rollout_name)
        return False
    metadata = canary["metadata"]
    marked = dict(metadata, ownerReferences=[owner_reference_to(stable)])
    marked["annotations"] = {**(metadata.get("annotations") or {}), ROLLOUT_ANNOTATION: rollout_name}
    marked["labels"] = {**(metadata.get("labels") or {}), **MANAGED_BY}
    body = {**canary, "metadata": marked}
    api.replace(INGRESSES, metadata["namespace"], metadata["name"], body)
    return True
