"""Moving an adopted Argo Rollout's pods to canarykit's Deployments, one Service at a time.

Argo runs each side as a ReplicaSet owned by the Rollout, and selects it in the stable and canary
Services with `rollouts-pod-template-hash`. canarykit runs Deployments selected by `canarykit.io/revision`.
Each side moves the same way: canarykit's Deployment is created from the same pod template and waited for
until fully available; only then does one merge patch swap the Service's selector (Argo's hash out,
canarykit's revision in). A Service never selects no pods, and never both versions. Argo's ReplicaSets
are left running, unselected, until the Argo Rollout is deleted (which deletes them).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from canarykit.clock import Clock
from canarykit.errors import AdoptionRefused, WorkloadError
from canarykit.kube.argo_rollout import HASH_LABEL, MANAGED_BY_ROLLOUTS, REPLICASETS, controlled_by, describe
from canarykit.kube.client import JsonObject, KubeAPI
from canarykit.kube.deployment import DEPLOYMENTS, DeploymentWorkload
from canarykit.kube.services import SERVICES
from canarykit.kube.templates import (
    MANAGED_BY,
    REVISION_LABEL,
    deployment_ready,
    labelled,
    revision_of,
    same_pods,
    template_revision,
)

POLL = 1.0


@dataclass(frozen=True)
class Sides:
    """What Argo runs: the stable pod template, and how many canary pods it has now."""

    stable_template: JsonObject
    canary_replicas: int


class PodHandover:
    """Checks (`read`) and carries out (`run`) the move of both sides from Argo's ReplicaSets."""

    def __init__(self, api: KubeAPI, workload: DeploymentWorkload, selector: dict[str, str], replicas: int):
        self.api, self.workload, self.namespace = api, workload, workload.namespace
        self.selector, self.replicas = selector, replicas

    def read(self, argo: JsonObject, stable_hash: str, canary_hash: str) -> Sides:
        """The two ReplicaSets of `argo`, and checks that canarykit's objects, if any, fit them. No writes."""
        stable_set, canary_set = self._replica_set(argo, stable_hash), self._replica_set(argo, canary_hash)
        stable_template = _without_argo_hash(stable_set["spec"]["template"])
        existing = self.api.get(DEPLOYMENTS, self.namespace, self.workload.name)
        if existing is not None and not same_pods(existing["spec"]["template"], stable_template):
            raise AdoptionRefused(
                f"Deployment {self.namespace}/{self.workload.name} exists and does not run the pods of "
                f"{describe(argo)}'s stable ReplicaSet ({stable_hash}): remove it or adopt under another name"
            )
        services = self.workload.services
        self._check_service(services.stable_service, stable_hash)
        self._check_service(services.canary_service, canary_hash)
        return Sides(stable_template, int(canary_set["spec"].get("replicas", 0) or 0))

    def run(self, sides: Sides, version: str, clock: Clock, deadline: float) -> None:
        """Stable first, then the canary; each Service moves only once its new pods are all available."""
        services = self.workload.services
        revision = self._ensure_stable(sides.stable_template)
        self._wait_ready(self.workload.name, clock, deadline)
        self._release(services.stable_service, revision)
        self.workload.start_canary(version)
        self.workload.scale_canary(sides.canary_replicas)
        self._wait_ready(self.workload.canary_name, clock, deadline)
        canary = self.api.get(DEPLOYMENTS, self.namespace, self.workload.canary_name)
        assert canary is not None  # _wait_ready found it available
        self._release(services.canary_service, template_revision(canary["spec"]["template"]) or "")

    def _replica_set(self, argo: JsonObject, pod_hash: str) -> JsonObject:
        found = self.api.list(REPLICASETS, self.namespace, f"{HASH_LABEL}={pod_hash}")
        owned = [replica_set for replica_set in found if controlled_by(replica_set, argo)]
        if len(owned) != 1:
            raise AdoptionRefused(
                f"{describe(argo)}: expected one ReplicaSet {HASH_LABEL}={pod_hash} that it controls, "
                f"found {len(owned)}"
            )
        return owned[0]

    def _check_service(self, name: str, pod_hash: str) -> None:
        """The Service selects Argo's side (`pod_hash`) as Argo left it, or already canarykit's pods."""
        service = self.api.get(SERVICES, self.namespace, name) or {}
        selector = (service.get("spec") or {}).get("selector") or {}
        if HASH_LABEL not in selector and REVISION_LABEL in selector:
            return  # moved by an earlier, interrupted take-over
        if selector.get(HASH_LABEL) != pod_hash:
            raise AdoptionRefused(
                f"Service {self.namespace}/{name} selects {selector}, not Argo's {HASH_LABEL}={pod_hash}: "
                "it is not the Service of that side"
            )
        if MANAGED_BY_ROLLOUTS not in ((service.get("metadata") or {}).get("annotations") or {}):
            raise AdoptionRefused(
                f"Service {self.namespace}/{name} lacks Argo's {MANAGED_BY_ROLLOUTS} annotation: Argo's "
                "service controller would clear its selector now that the Rollout is released"
            )

    def _ensure_stable(self, template: JsonObject) -> str:
        """canarykit's stable Deployment from Argo's stable pod template (created once); its revision."""
        existing = self.api.get(DEPLOYMENTS, self.namespace, self.workload.name)
        if existing is not None:  # an adoption interrupted after creating it (checked to run these pods)
            return template_revision(existing["spec"]["template"]) or revision_of(template)
        revision = revision_of(template)
        metadata = {"name": self.workload.name, "namespace": self.namespace, "labels": dict(MANAGED_BY)}
        spec = {
            "replicas": self.replicas,
            "selector": {"matchLabels": dict(self.selector)},
            "template": labelled(template, revision),
        }
        self.api.create(DEPLOYMENTS, self.namespace, {"metadata": metadata, "spec": spec})
        return revision

    def _wait_ready(self, name: str, clock: Clock, deadline: float) -> None:
        give_up = clock.now() + deadline
        while True:
            deployment = self.api.get(DEPLOYMENTS, self.namespace, name)
            if deployment is not None and deployment_ready(deployment):
                return
            if clock.now() >= give_up:
                raise WorkloadError(
                    f"Deployment {self.namespace}/{name} is not available after {deadline:g} s; its Service "
                    "still selects Argo's pods (run the adoption again to go on)"
                )
            clock.sleep(POLL)

    def _release(self, service: str, revision: str) -> None:
        """One merge patch: Argo's hash and managed-by annotation out, canarykit's revision in."""
        found = self.api.get(SERVICES, self.namespace, service) or {}
        selector = (found.get("spec") or {}).get("selector") or {}
        if HASH_LABEL not in selector and selector.get(REVISION_LABEL) == revision:
            return
        patch: dict[str, Any] = {
            "metadata": {"annotations": {MANAGED_BY_ROLLOUTS: None}},
            "spec": {"selector": {HASH_LABEL: None, REVISION_LABEL: revision}},
        }
        self.api.patch(SERVICES, self.namespace, service, patch, "merge")


def _without_argo_hash(template: JsonObject) -> JsonObject:
    """Argo's ReplicaSet pod template without the `rollouts-pod-template-hash` label it added."""
    result = copy.deepcopy(template)
    labels = (result.get("metadata") or {}).get("labels") or {}
    labels.pop(HASH_LABEL, None)
    return result
