"""Built-in objects written to the fake are checked against the official Kubernetes 1.33 schemas (strict), and
every object's metadata as the API server checks it: a field the real server would refuse fails here too."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml
from fake_kube_bodies import deployment

from canarykit.errors import KubernetesError
from canarykit.kube import KubeAPI, connect
from canarykit.testing.kube import ApiError, FakeKubeAPI, JobPlan, JobRunner
from canarykit.testing.kube.jobs import complete, fail, image_pull_error, keep_running

DATA = Path(__file__).parents[2] / "data"
Doc = dict[str, Any]


def job() -> Doc:
    container = {"name": "check", "image": "busybox", "command": ["true"]}
    return {
        "apiVersion": "batch/v1",
        "kind": "Job",
        "metadata": {"name": "check"},
        "spec": {
            "backoffLimit": 0,
            "template": {"spec": {"restartPolicy": "Never", "containers": [container]}},
        },
    }


def lease() -> Doc:
    spec = {
        "holderIdentity": "canarykit-1",
        "leaseDurationSeconds": 30,
        "acquireTime": "2026-01-02T03:04:05.123456Z",
        "renewTime": "2026-01-02T03:04:35.000000Z",
        "leaseTransitions": 0,
    }
    return {
        "apiVersion": "coordination.k8s.io/v1",
        "kind": "Lease",
        "metadata": {"name": "web"},
        "spec": spec,
    }


def config_map() -> Doc:
    return {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {"name": "state"},
        "data": {"phase": "Healthy"},
    }


def secret() -> Doc:
    return {
        "apiVersion": "v1",
        "kind": "Secret",
        "metadata": {"name": "token"},
        "data": {"token": "czNjcjN0"},
    }


def reference(kind: str) -> Doc:
    """The reference scenario's stable Service or Ingress, as tests/data holds it."""
    files = {"Service": "services.yaml", "Ingress": "ingress.yaml"}
    return next(iter(yaml.safe_load_all((DATA / files[kind]).read_text())))


VALID = {
    "deployments": deployment,
    "services": lambda: reference("Service"),
    "ingresses": lambda: reference("Ingress"),
    "configmaps": config_map,
    "leases": lease,
    "jobs": job,
    "secrets": secret,
}


@pytest.fixture
def kube_api(fake_kube: FakeKubeAPI) -> KubeAPI:
    return connect(host=fake_kube.url, request_timeout=5)


def refused(kube_api: KubeAPI, resource: str, body: Doc) -> str:
    """The message of the 422 a create of `body` gets."""
    with pytest.raises(KubernetesError) as caught:
        kube_api.create(resource, "default", body)
    assert (caught.value.status, caught.value.reason) == (422, "Invalid")
    return str(caught.value)


@pytest.mark.parametrize("resource", sorted(VALID))
def test_valid_objects_are_stored(kube_api: KubeAPI, fake_kube: FakeKubeAPI, resource: str) -> None:
    body = VALID[resource]()
    created = kube_api.create(resource, "default", body)
    assert fake_kube.get(resource, "default", created["metadata"]["name"]) == created


@pytest.mark.parametrize(
    ("resource", "change", "expected"),
    [
        (
            "deployments",
            lambda d: d["spec"]["template"]["spec"]["containers"][0].update(imagePullPolicyy="Always"),
            'Deployment.apps "web" is invalid: spec.template.spec.containers[0].imagePullPolicyy: '
            "Forbidden: field not declared in schema",
        ),
        (
            "deployments",
            lambda d: d["spec"].update(minReadySeconds="5"),
            'Deployment.apps "web" is invalid: spec.minReadySeconds: Invalid value: "string": '
            'spec.minReadySeconds in body must be of type integer: "string"',
        ),
        (
            "services",
            lambda s: s["spec"]["ports"][0].pop("port"),
            'Service "canary-demo" is invalid: spec.ports[0].port: Required value',
        ),
        (
            "ingresses",
            lambda i: i["spec"]["rules"][0]["http"]["paths"][0].pop("pathType"),
            'Ingress.networking.k8s.io "canary-demo" is invalid: '
            "spec.rules[0].http.paths[0].pathType: Required value",
        ),
        (
            "configmaps",
            lambda c: c["data"].update(replicas=3),
            'ConfigMap "state" is invalid: data.replicas: Invalid value: "integer": '
            'data.replicas in body must be of type string: "integer"',
        ),
        (
            "leases",
            lambda lease: lease["spec"].update(renewTime="yesterday"),
            'Lease.coordination.k8s.io "web" is invalid: spec.renewTime: Invalid value: "yesterday": '
            "spec.renewTime in body must be of type date-time",
        ),
        (
            "leases",
            lambda lease: lease["spec"].update(leaseDurationSeconds=2**31),
            'Lease.coordination.k8s.io "web" is invalid: spec.leaseDurationSeconds: '
            "Invalid value: 2147483648: spec.leaseDurationSeconds in body must be of type int32",
        ),
        (
            "jobs",
            lambda j: j["spec"].update(backoffLimitt=1),
            'Job.batch "check" is invalid: spec.backoffLimitt: Forbidden: field not declared in schema',
        ),
        (
            "secrets",
            lambda s: s["data"].update(token="%%% not base64"),
            'Secret "token" is invalid: data.token: Invalid value: "%%% not base64": '
            "data.token in body must be of type byte",
        ),
    ],
)
def test_invalid_objects_are_refused_naming_the_field(
    kube_api: KubeAPI, fake_kube: FakeKubeAPI, resource: str, change: Any, expected: str
) -> None:
    body = VALID[resource]()
    change(body)
    assert refused(kube_api, resource, body).endswith(expected)
    assert fake_kube.list(resource) == []


@pytest.mark.parametrize(
    ("metadata", "expected"),
    [
        ({"name": "Web"}, 'metadata.name: Invalid value: "Web": a lowercase RFC 1123 subdomain must consist'),
        (
            {"name": "web", "labels": {"app": "in progress"}},
            'metadata.labels: Invalid value: "in progress": a valid',
        ),
        ({"name": "web", "labels": {"app": "x" * 64}}, "must be no more than 63 characters"),
        (
            {"name": "web", "labels": {"a/b/c": "x"}},
            'metadata.labels: Invalid value: "a/b/c": a qualified name',
        ),
        (
            {"name": "web", "annotations": {"a~b": "x"}},
            'metadata.annotations: Invalid value: "a~b": name part',
        ),
    ],
)
def test_bad_metadata_is_refused(kube_api: KubeAPI, metadata: Doc, expected: str) -> None:
    body = config_map()
    body["metadata"] = metadata
    assert expected in refused(kube_api, "configmaps", body)


def test_a_service_name_must_be_a_dns_1035_label(kube_api: KubeAPI) -> None:
    body = reference("Service")
    body["metadata"]["name"] = "1-canary"
    assert 'metadata.name: Invalid value: "1-canary": a DNS-1035 label must consist' in refused(
        kube_api, "services", body
    )
    config = config_map()
    config["metadata"]["name"] = "1-canary"
    assert kube_api.create("configmaps", "default", config)["metadata"]["name"] == "1-canary"


def test_a_patch_making_a_deployment_invalid_changes_nothing(
    kube_api: KubeAPI, fake_kube: FakeKubeAPI
) -> None:
    kube_api.create("deployments", "default", deployment())
    before = fake_kube.get("deployments", "default", "web")
    patch = {"spec": {"template": {"spec": {"containers": [{"name": "app", "imag": "app:2"}]}}}}

    with pytest.raises(KubernetesError) as caught:
        kube_api.patch("deployments", "default", "web", patch, "strategic")

    assert caught.value.status == 422
    assert "spec.template.spec.containers[0].imag: Forbidden: field not declared in schema" in str(
        caught.value
    )
    assert fake_kube.get("deployments", "default", "web") == before


def test_a_scale_beyond_int32_is_refused(kube_api: KubeAPI) -> None:
    kube_api.create("deployments", "default", deployment())
    with pytest.raises(KubernetesError) as caught:
        kube_api.scale("default", "web", 2**31)
    assert caught.value.status == 422 and "spec.replicas" in str(caught.value)


def test_the_status_the_fake_writes_itself_is_valid(fake_kube: FakeKubeAPI, kube_api: KubeAPI) -> None:
    """Deployment status (auto_ready), Job defaults: what the fake adds passes the same schemas."""
    created = kube_api.create("deployments", "default", deployment())
    assert created["status"]["readyReplicas"] == 2
    stored_job = kube_api.create("jobs", "default", job())
    assert stored_job["spec"]["completions"] == 1


def test_a_seeded_object_is_validated_too(fake_kube: FakeKubeAPI) -> None:
    body = copy.deepcopy(reference("Service"))
    body["spec"]["ports"][0]["portt"] = 80
    with pytest.raises(ApiError) as caught:
        fake_kube.put(body)
    assert caught.value.code == 422
    assert fake_kube.list("services") == []


def test_rollouts_are_not_validated(fake_kube: FakeKubeAPI) -> None:
    rollout = {
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "Rollout",
        "metadata": {"name": "web"},
        "spec": {"anything": ["the fake ships no Rollout schema"]},
    }
    assert fake_kube.put(rollout)["spec"] == rollout["spec"]


@pytest.mark.parametrize(
    "plan",
    [
        complete(),
        fail(exit_code=3),
        image_pull_error(),
        image_pull_error(init_container=True),
        keep_running(),
    ],
    ids=["complete", "fail", "image-pull", "init-image-pull", "running"],
)
def test_the_pods_the_job_runner_writes_are_valid(
    fake_kube: FakeKubeAPI, kube_api: KubeAPI, plan: JobPlan
) -> None:
    """Regression: the runner's pod statuses lacked `restartCount` and `imageID`, which the API requires."""
    body = job()
    body["spec"]["template"]["spec"]["initContainers"] = [{"name": "init", "image": "busybox"}]
    kube_api.create("jobs", "default", body)
    with JobRunner(fake_kube, plan):
        kube_api.list("jobs", "default")  # the runner reconciles before answering
    (pod,) = fake_kube.list("pods", "default")
    statuses = pod["status"].get("containerStatuses") or pod["status"]["initContainerStatuses"]
    assert [(status["restartCount"], status["imageID"]) for status in statuses] == [(0, "")] * len(statuses)
