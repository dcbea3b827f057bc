"""For the blue-green Kubernetes tests: a Deployment, active and preview Services, a workload, a router."""

from __future__ import annotations

from typing import Any

from fake_kube_bodies import deployment_of

from canarykit.kube import DeploymentWorkload, KubeAPI
from canarykit.kube.bluegreen_services import BlueGreenServiceRouter
from canarykit.kube.templates import REVISION_LABEL
from canarykit.testing.kube import FakeKubeAPI

NAME, ACTIVE, PREVIEW = "bluegreen-demo", "bluegreen-demo-active", "bluegreen-demo-preview"
BLUE, GREEN = "argoproj/rollouts-demo:blue", "argoproj/rollouts-demo:green"
SELECTOR = {"app": NAME}
MANAGED_BY_ROLLOUTS = "argo-rollouts.argoproj.io/managed-by-rollouts"
SERVICES_PATH = "/api/v1/namespaces/default/services"
MERGE_PATCH = "application/merge-patch+json"
TEMPLATE = {
    "metadata": {"labels": dict(SELECTOR)},
    "spec": {
        "containers": [{"name": NAME, "image": BLUE, "ports": [{"name": "http", "containerPort": 8080}]}]
    },
}


def service(name: str, selector: dict[str, str] | None = None) -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": name, "namespace": "default"},
        "spec": {
            "ports": [{"port": 80, "targetPort": "http", "protocol": "TCP", "name": "http"}],
            "selector": dict(selector or SELECTOR),
        },
    }


def deployment(replicas: int = 3) -> dict[str, Any]:
    return deployment_of(NAME, TEMPLATE, replicas, SELECTOR)


def seed(cluster: FakeKubeAPI, with_deployment: bool = True) -> None:
    """The active and preview Services selecting every pod of the app, and the stable Deployment (blue)."""
    cluster.put(service(ACTIVE))
    cluster.put(service(PREVIEW))
    if with_deployment:
        cluster.put(deployment())
        cluster.mark_ready("default", NAME)


def workload(api: KubeAPI, preview: str = PREVIEW) -> DeploymentWorkload:
    return DeploymentWorkload(api, NAME, stable_service=ACTIVE, canary_service=preview, container=NAME)


def router(api: KubeAPI, preview: str | None = PREVIEW) -> BlueGreenServiceRouter:
    return BlueGreenServiceRouter(workload(api, preview or ""), ACTIVE, preview)


def selected(cluster: FakeKubeAPI, name: str) -> str | None:
    """The revision Service `name` selects (None: every revision)."""
    found = cluster.get("services", "default", name)
    assert found is not None, name
    value = found["spec"]["selector"].get(REVISION_LABEL)
    return None if value is None else str(value)


def annotations_of(cluster: FakeKubeAPI, name: str) -> dict[str, str]:
    found = cluster.get("services", "default", name)
    assert found is not None, name
    return dict(found["metadata"].get("annotations") or {})


def revisions(cluster: FakeKubeAPI) -> tuple[str, str]:
    """(stable's revision, the canary's revision), as their pod templates carry them."""
    labels = []
    for name in (NAME, f"{NAME}-canary"):
        found = cluster.get("deployments", "default", name)
        assert found is not None, name
        labels.append(str(found["spec"]["template"]["metadata"]["labels"][REVISION_LABEL]))
    return labels[0], labels[1]


def service_writes(cluster: FakeKubeAPI, name: str) -> list[tuple[str, str, str | None]]:
    """Every request but GETs to Service `name`."""
    return [r for r in cluster.requests if r[0] != "GET" and r[1] == f"{SERVICES_PATH}/{name}"]
