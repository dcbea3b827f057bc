"""A cluster as Argo Rollouts leaves it mid-update, for the adoption tests (fake API, real client).

`canary-demo` (10 replicas) is updating from blue to green with steps 20/40/60/80, each followed by a
2-minute pause. Argo reached step 3 (the pause after `setWeight: 40`) 30 s ago: its canary Ingress holds
weight 40 and a controller owner reference to the Rollout, the stable and canary Services select its two
ReplicaSets by `rollouts-pod-template-hash`, and the Rollout is labelled for canarykit (released).
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml

from canarykit.argo import load
from canarykit.argo.rollout import RolloutSpec
from canarykit.clock import to_rfc3339
from canarykit.kube.argo_rollout import HASH_LABEL, INSTANCE_LABEL, MANAGED_BY_ROLLOUTS, REVISION_ANNOTATION
from canarykit.kube.canary_ingress import build_canary_ingress
from canarykit.testing.kube import FakeKubeAPI

DATA = Path(__file__).parent / "data"
NAME, NAMESPACE = "canary-demo", "default"
STABLE_SERVICE, CANARY_SERVICE = "canary-demo", "canary-demo-canary"
CANARY_INGRESS = "canary-demo-canary-demo-canary"
BLUE, GREEN = "argoproj/rollouts-demo:blue", "argoproj/rollouts-demo:green"
STABLE_HASH, CANARY_HASH = "6f8d9c7b5", "7c9b8d6f4"
REPLICAS, CANARY_REPLICAS = 10, 4
START = 1_700_000_000.0
PAUSED_AT = START - 30
WEIGHT_KEY = "nginx.ingress.kubernetes.io/canary-weight"


def rollout_document(image: str = BLUE) -> dict[str, Any]:
    """The reference Rollout without analysis, with 10 replicas and the given image."""
    document: dict[str, Any] = yaml.safe_load((DATA / "rollout.yaml").read_text())
    document["spec"]["replicas"] = REPLICAS
    del document["spec"]["strategy"]["canary"]["analysis"]
    document["spec"]["template"]["spec"]["containers"][0]["image"] = image
    return document


def file_spec(document: dict[str, Any] | None = None) -> RolloutSpec:
    """The Rollout as the user's file has it (blue: the new image comes with `--image`)."""
    return load(yaml.safe_dump(document or rollout_document()))


def argo_rollout(uid: str = "") -> dict[str, Any]:
    """The live Argo Rollout at step 3, weight 40, paused since `PAUSED_AT`, released to canarykit."""
    live = rollout_document(GREEN)
    container = live["spec"]["template"]["spec"]["containers"][0]
    container["terminationMessagePolicy"] = "File"  # a field the API server defaulted
    live["metadata"].update(
        namespace=NAMESPACE,
        labels={INSTANCE_LABEL: "canarykit"},
        annotations={REVISION_ANNOTATION: "2"},
    )
    if uid:
        live["metadata"]["uid"] = uid
    live["status"] = {
        "observedGeneration": "1",
        "phase": "Paused",
        "message": "CanaryPauseStep",
        "stableRS": STABLE_HASH,
        "currentPodHash": CANARY_HASH,
        "currentStepIndex": 3,
        "controllerPause": True,
        "pauseConditions": [{"reason": "CanaryPauseStep", "startTime": to_rfc3339(PAUSED_AT)}],
        "canary": {
            "weights": {
                "canary": {"weight": 40, "podTemplateHash": CANARY_HASH, "serviceName": CANARY_SERVICE},
                "stable": {"weight": 60, "podTemplateHash": STABLE_HASH, "serviceName": STABLE_SERVICE},
            }
        },
    }
    return live


def controller_reference(rollout: dict[str, Any]) -> dict[str, Any]:
    """The owner reference Argo's `NewControllerRef` writes."""
    metadata = rollout["metadata"]
    return {
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "Rollout",
        "name": metadata["name"],
        "uid": metadata["uid"],
        "controller": True,
        "blockOwnerDeletion": True,
    }


def replica_set(rollout: dict[str, Any], pod_hash: str, image: str, replicas: int) -> dict[str, Any]:
    template = copy.deepcopy(rollout_document(image)["spec"]["template"])
    template["metadata"]["labels"][HASH_LABEL] = pod_hash
    labels = {"app": NAME, HASH_LABEL: pod_hash}
    return {
        "apiVersion": "apps/v1",
        "kind": "ReplicaSet",
        "metadata": {
            "name": f"{NAME}-{pod_hash}",
            "namespace": NAMESPACE,
            "labels": labels,
            "ownerReferences": [controller_reference(rollout)],
        },
        "spec": {"replicas": replicas, "selector": {"matchLabels": labels}, "template": template},
        "status": {"replicas": replicas, "availableReplicas": replicas, "readyReplicas": replicas},
    }


def argo_service(name: str, pod_hash: str) -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": name, "namespace": NAMESPACE, "annotations": {MANAGED_BY_ROLLOUTS: NAME}},
        "spec": {
            "ports": [{"port": 80, "targetPort": "http", "protocol": "TCP", "name": "http"}],
            "selector": {"app": NAME, HASH_LABEL: pod_hash},
        },
    }


def argo_canary_ingress(cluster: FakeKubeAPI, rollout: dict[str, Any], weight: int = 40) -> dict[str, Any]:
    """The canary Ingress as Argo builds it from the stable one, owned by the Rollout."""
    stable = cluster.get("ingresses", NAMESPACE, NAME)
    assert stable is not None
    canary = build_canary_ingress(stable, NAME, STABLE_SERVICE, CANARY_SERVICE, weight)
    canary["metadata"]["ownerReferences"] = [controller_reference(rollout)]
    return canary


def seed_argo_world(cluster: FakeKubeAPI, **status_changes: Any) -> dict[str, Any]:
    """Seed Argo's objects mid-update (the reference Services and Ingress must be there); the Rollout."""
    live = argo_rollout()
    live["status"].update(status_changes)
    rollout = cluster.put(live)
    cluster.put(replica_set(rollout, STABLE_HASH, BLUE, REPLICAS))
    cluster.put(replica_set(rollout, CANARY_HASH, GREEN, CANARY_REPLICAS))
    cluster.put(argo_service(STABLE_SERVICE, STABLE_HASH))
    cluster.put(argo_service(CANARY_SERVICE, CANARY_HASH))
    cluster.put(argo_canary_ingress(cluster, rollout))
    return rollout
