"""FakeKubeAPI Deployments: validation, status in both ready modes, the scale and status subresources."""

from __future__ import annotations

from typing import Any

import pytest
from fake_kube_bodies import AppsApi, Model, deployment, send, status_of
from kubernetes import client
from kubernetes.client.exceptions import ApiException

from canarykit.testing.kube import FakeKubeAPI

MERGE = "application/merge-patch+json"
DEPLOYMENTS_PATH = "/apis/apps/v1/namespaces/default/deployments"


def rollout(status: Model) -> tuple[int, int, int, int, int]:
    """`(observedGeneration, replicas, updated, ready, available)` of a typed status."""
    return (
        status.observed_generation,
        status.replicas,
        status.updated_replicas,
        status.ready_replicas,
        status.available_replicas,
    )


def test_auto_ready_status_is_fully_rolled_out(apps: AppsApi) -> None:
    created = apps.create_namespaced_deployment(namespace="default", body=deployment("web", replicas=3))
    patched = apps.patch_namespaced_deployment("web", "default", {"spec": {"replicas": 5}})

    assert rollout(created.status) == (1, 3, 3, 3, 3)
    assert rollout(patched.status) == (2, 5, 5, 5, 5)
    assert [(c.type, c.status) for c in patched.status.conditions] == [("Available", "True")]


def test_without_auto_ready_a_rollout_waits_for_mark_ready(fake_kube: FakeKubeAPI, apps: AppsApi) -> None:
    fake_kube.auto_ready = False

    created = apps.create_namespaced_deployment(namespace="default", body=deployment("web", replicas=3))
    fake_kube.mark_ready("default", "web")
    ready = apps.read_namespaced_deployment("web", "default")

    assert rollout(created.status) == (1, 3, 0, 0, 0)
    assert created.status.conditions[0].status == "False"
    assert rollout(ready.status) == (1, 3, 3, 3, 3)
    assert int(ready.metadata.resource_version) > int(created.metadata.resource_version)


def test_without_auto_ready_a_spec_change_keeps_old_available_replicas(
    fake_kube: FakeKubeAPI, apps: AppsApi
) -> None:
    apps.create_namespaced_deployment(namespace="default", body=deployment("web", replicas=3))
    fake_kube.auto_ready = False

    new_image = apps.patch_namespaced_deployment(
        "web", "default", {"spec": {"template": {"metadata": {"labels": {"app": "web", "v": "2"}}}}}
    )
    scaled_down = apps.patch_namespaced_deployment("web", "default", {"spec": {"replicas": 2}})
    relabelled = apps.patch_namespaced_deployment("web", "default", {"metadata": {"labels": {"x": "y"}}})

    assert rollout(new_image.status) == (2, 3, 0, 3, 3)
    assert rollout(scaled_down.status) == (3, 2, 0, 2, 2)
    assert rollout(relabelled.status) == rollout(scaled_down.status)


def test_fake_started_without_auto_ready(kube_config: client.Configuration) -> None:
    with FakeKubeAPI(auto_ready=False) as kube:
        kube_config.host = kube.url
        apps: AppsApi = client.AppsV1Api(client.ApiClient(kube_config))

        created = apps.create_namespaced_deployment(namespace="default", body=deployment("web"))

        assert kube.auto_ready is False
        assert rollout(created.status) == (1, 2, 0, 0, 0)


def test_status_in_a_main_resource_write_is_ignored(fake_kube: FakeKubeAPI, apps: AppsApi) -> None:
    fake_kube.auto_ready = False
    apps.create_namespaced_deployment(namespace="default", body=deployment("web"))

    patched = apps.patch_namespaced_deployment(
        "web", "default", {"status": {"readyReplicas": 2}}, _content_type=MERGE
    )

    assert patched.status.ready_replicas == 0


def test_status_subresource_touches_only_status(fake_kube: FakeKubeAPI, apps: AppsApi) -> None:
    fake_kube.auto_ready = False
    apps.create_namespaced_deployment(namespace="default", body=deployment("web"))
    patch = {"status": {"readyReplicas": 1, "availableReplicas": 1}, "spec": {"replicas": 7}}

    patched = apps.patch_namespaced_deployment_status("web", "default", patch, _content_type=MERGE)

    assert (patched.status.ready_replicas, patched.status.available_replicas) == (1, 1)
    assert (patched.spec.replicas, patched.metadata.generation) == (2, 1)


def test_replace_status_subresource(apps: AppsApi) -> None:
    current = apps.create_namespaced_deployment(namespace="default", body=deployment("web"))
    body = apps.api_client.sanitize_for_serialization(current)
    body["status"] = {"observedGeneration": 1, "replicas": 2, "readyReplicas": 1}

    replaced = apps.replace_namespaced_deployment_status("web", "default", body)

    assert (replaced.status.ready_replicas, replaced.status.updated_replicas) == (1, None)
    assert apps.read_namespaced_deployment_status("web", "default").status.ready_replicas == 1


def test_read_scale_is_an_autoscaling_v1_scale(apps: AppsApi) -> None:
    created = apps.create_namespaced_deployment(namespace="default", body=deployment("web", replicas=3))

    scale = apps.read_namespaced_deployment_scale(name="web", namespace="default")
    raw = apps.read_namespaced_deployment_scale(
        name="web", namespace="default", _preload_content=False
    ).json()

    assert (raw["apiVersion"], raw["kind"]) == ("autoscaling/v1", "Scale")
    assert (scale.spec.replicas, scale.status.replicas, scale.status.selector) == (3, 3, "app=web")
    assert scale.metadata.uid == created.metadata.uid
    assert scale.metadata.resource_version == created.metadata.resource_version


def test_patch_scale_updates_the_deployment_and_bumps_generation(
    fake_kube: FakeKubeAPI, apps: AppsApi
) -> None:
    apps.create_namespaced_deployment(namespace="default", body=deployment("web", replicas=3))

    scale = apps.patch_namespaced_deployment_scale(
        name="web", namespace="default", body={"spec": {"replicas": 6}}
    )

    stored = fake_kube.get("deployments", "default", "web")
    assert stored is not None
    assert (scale.kind, scale.spec.replicas, scale.status.replicas) == ("Scale", 6, 6)
    assert (stored["spec"]["replicas"], stored["metadata"]["generation"]) == (6, 2)
    assert stored["status"]["observedGeneration"] == 2


def test_merge_patch_scale_without_auto_ready(fake_kube: FakeKubeAPI, apps: AppsApi) -> None:
    apps.create_namespaced_deployment(namespace="default", body=deployment("web", replicas=3))
    fake_kube.auto_ready = False

    apps.patch_namespaced_deployment_scale("web", "default", {"spec": {"replicas": 1}}, _content_type=MERGE)

    assert rollout(apps.read_namespaced_deployment("web", "default").status) == (2, 1, 0, 1, 1)


def test_replace_scale_and_stale_scale(apps: AppsApi) -> None:
    apps.create_namespaced_deployment(namespace="default", body=deployment("web", replicas=3))
    scale = apps.read_namespaced_deployment_scale("web", "default")
    body = {
        "metadata": {"name": "web", "resourceVersion": scale.metadata.resource_version},
        "spec": {"replicas": 4},
    }

    replaced = apps.replace_namespaced_deployment_scale("web", "default", body)
    with pytest.raises(ApiException) as caught:
        apps.replace_namespaced_deployment_scale("web", "default", body)

    assert replaced.spec.replicas == 4
    assert (caught.value.status, status_of(caught.value)["reason"]) == (409, "Conflict")


def without(body: dict[str, Any], *path: str) -> dict[str, Any]:
    """`body` with the field at `path` removed."""
    parent = body
    for key in path[:-1]:
        parent = parent[key]
    del parent[path[-1]]
    return body


@pytest.mark.parametrize(
    ("body", "message_part"),
    [
        (without(deployment(), "spec", "selector", "matchLabels"), "spec.selector"),
        (without(deployment(), "spec", "template"), "spec.template: Required value"),
        (
            {**deployment(), "spec": {**deployment()["spec"], "selector": {"matchLabels": {"app": "other"}}}},
            "selector does not match template labels",
        ),
    ],
)
def test_invalid_deployments_are_422(fake_kube: FakeKubeAPI, body: dict[str, Any], message_part: str) -> None:
    # Sent raw: the typed client itself refuses a Deployment body without a template.
    code, status = send(f"{fake_kube.url}{DEPLOYMENTS_PATH}", "POST", body)

    assert (code, status["kind"], status["reason"]) == (422, "Status", "Invalid")
    assert status["message"].startswith('Deployment.apps "web" is invalid: ')
    assert message_part in status["message"]
    assert status["details"]["kind"] == "Deployment"
    assert fake_kube.list("deployments") == []


def test_selector_is_immutable(apps: AppsApi) -> None:
    apps.create_namespaced_deployment(namespace="default", body=deployment("web"))
    body = deployment("web")
    body["spec"]["selector"]["matchLabels"]["tier"] = "fe"
    body["spec"]["template"]["metadata"]["labels"]["tier"] = "fe"

    with pytest.raises(ApiException) as replaced:
        apps.replace_namespaced_deployment("web", "default", body)
    with pytest.raises(ApiException) as patched:
        apps.patch_namespaced_deployment("web", "default", {"spec": {"selector": body["spec"]["selector"]}})

    for caught in (replaced, patched):
        assert caught.value.status == 422
        assert "field is immutable" in status_of(caught.value)["message"]


def test_patch_breaking_the_template_labels_is_422(apps: AppsApi) -> None:
    apps.create_namespaced_deployment(namespace="default", body=deployment("web"))
    patch = {"spec": {"template": {"metadata": {"labels": {"app": "other"}}}}}

    with pytest.raises(ApiException) as caught:
        apps.patch_namespaced_deployment("web", "default", patch)

    assert "selector does not match template labels" in status_of(caught.value)["message"]


def test_match_expressions_selector_is_accepted(apps: AppsApi) -> None:
    body = deployment("web")
    body["spec"]["selector"] = {
        "matchExpressions": [{"key": "app", "operator": "In", "values": ["web", "api"]}]
    }

    created = apps.create_namespaced_deployment(namespace="default", body=body)

    assert created.spec.selector.match_expressions[0].operator == "In"
