"""Create, read, list, replace and delete through the real `kubernetes` client against FakeKubeAPI."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from datetime import datetime
from typing import Any

import pytest
from fake_kube_bodies import AppsApi, CoreApi, deployment, send, status_of
from kubernetes import client
from kubernetes.client.exceptions import ApiException

from canarykit.testing.kube import FakeKubeAPI


def test_create_fills_metadata_and_returns_a_typed_deployment(apps: AppsApi) -> None:
    created = apps.create_namespaced_deployment(namespace="default", body=deployment("web"))

    assert created.metadata.namespace == "default"
    assert len(created.metadata.uid) == 36
    assert int(created.metadata.resource_version) > 0
    assert created.metadata.generation == 1
    assert isinstance(created.metadata.creation_timestamp, datetime)
    assert created.metadata.creation_timestamp.tzinfo is not None
    assert (created.api_version, created.kind) == ("apps/v1", "Deployment")
    assert isinstance(created, client.V1Deployment)


def test_create_answers_201(fake_kube: FakeKubeAPI, apps: AppsApi) -> None:
    _, code, _ = apps.create_namespaced_deployment_with_http_info(namespace="default", body=deployment())

    assert code == 201


def test_create_fills_api_version_kind_and_default_replicas(fake_kube: FakeKubeAPI, apps: AppsApi) -> None:
    body = deployment("bare", replicas=None)
    del body["apiVersion"], body["kind"]

    apps.create_namespaced_deployment(namespace="default", body=body)

    stored = fake_kube.get("deployments", "default", "bare")
    assert stored is not None
    assert (stored["apiVersion"], stored["kind"], stored["spec"]["replicas"]) == ("apps/v1", "Deployment", 1)


def test_create_twice_is_409_already_exists(apps: AppsApi) -> None:
    apps.create_namespaced_deployment(namespace="default", body=deployment("web"))

    with pytest.raises(ApiException) as caught:
        apps.create_namespaced_deployment(namespace="default", body=deployment("web"))

    status = status_of(caught.value)
    assert caught.value.status == 409
    assert (status["kind"], status["status"], status["reason"]) == ("Status", "Failure", "AlreadyExists")
    assert status["message"] == 'deployments.apps "web" already exists'
    assert status["details"] == {"name": "web", "group": "apps", "kind": "deployments"}


def test_core_resources_have_no_group_in_messages(core: CoreApi) -> None:
    service = {"metadata": {"name": "web"}, "spec": {"ports": [{"port": 80}]}}
    core.create_namespaced_service(namespace="default", body=service)

    with pytest.raises(ApiException) as caught:
        core.create_namespaced_service(namespace="default", body=service)

    assert status_of(caught.value)["message"] == 'services "web" already exists'
    assert "group" not in status_of(caught.value)["details"]


def test_generate_name_gives_a_unique_name(core: CoreApi) -> None:
    body = {"metadata": {"generateName": "cfg-"}, "data": {"a": "1"}}

    first = core.create_namespaced_config_map(namespace="default", body=body)
    second = core.create_namespaced_config_map(namespace="default", body=body)

    assert first.metadata.name.startswith("cfg-") and len(first.metadata.name) == len("cfg-") + 5
    assert first.metadata.name != second.metadata.name


def test_read_parses_as_v1_deployment(apps: AppsApi) -> None:
    apps.create_namespaced_deployment(namespace="default", body=deployment("web", image="app:7"))

    read = apps.read_namespaced_deployment(name="web", namespace="default")

    assert read.spec.template.spec.containers[0].image == "app:7"
    assert read.spec.selector.match_labels == {"app": "web"}
    assert isinstance(read, client.V1Deployment)


def test_read_missing_is_404_not_found(apps: AppsApi) -> None:
    with pytest.raises(ApiException) as caught:
        apps.read_namespaced_deployment(name="ghost", namespace="default")

    status = status_of(caught.value)
    assert caught.value.status == 404
    assert (status["reason"], status["code"]) == ("NotFound", 404)
    assert status["message"] == 'deployments.apps "ghost" not found'


def test_objects_are_per_namespace(apps: AppsApi) -> None:
    apps.create_namespaced_deployment(namespace="team-a", body=deployment("web"))

    with pytest.raises(ApiException) as caught:
        apps.read_namespaced_deployment(name="web", namespace="team-b")

    assert caught.value.status == 404
    assert [d.metadata.namespace for d in apps.list_deployment_for_all_namespaces().items] == ["team-a"]


def test_list_returns_a_typed_list_with_kind_on_items(fake_kube: FakeKubeAPI, apps: AppsApi) -> None:
    for name in ("b", "a"):
        apps.create_namespaced_deployment(namespace="default", body=deployment(name))

    listed = apps.list_namespaced_deployment(namespace="default")
    raw = apps.list_namespaced_deployment(namespace="default", _preload_content=False)
    body = json.loads(raw.data)

    assert [d.metadata.name for d in listed.items] == ["a", "b"]
    assert (body["apiVersion"], body["kind"]) == ("apps/v1", "DeploymentList")
    assert body["metadata"]["resourceVersion"] == listed.metadata.resource_version
    assert {(item["apiVersion"], item["kind"]) for item in body["items"]} == {("apps/v1", "Deployment")}


@pytest.mark.parametrize(
    ("selector", "expected"),
    [
        ("tier=web", ["api", "web"]),
        ("tier==web", ["api", "web"]),
        ("tier!=web", ["db", "worker"]),
        ("canary", ["api"]),
        ("!canary", ["db", "web", "worker"]),
        ("tier in (web,db)", ["api", "db", "web"]),
        ("tier notin (web, db)", ["worker"]),
        ("tier in (web,db),!canary", ["db", "web"]),
        ("tier in (web,db), canary=yes", ["api"]),
        ("", ["api", "db", "web", "worker"]),
    ],
)
def test_list_label_selectors(apps: AppsApi, selector: str, expected: list[str]) -> None:
    labels = {
        "web": {"tier": "web"},
        "api": {"tier": "web", "canary": "yes"},
        "db": {"tier": "db"},
        "worker": {},
    }
    for name, extra in labels.items():
        apps.create_namespaced_deployment(
            namespace="default", body=deployment(name, labels={"app": name, **extra})
        )

    listed = apps.list_namespaced_deployment(namespace="default", label_selector=selector)

    assert [d.metadata.name for d in listed.items] == expected


def test_list_field_selector_on_name(core: CoreApi) -> None:
    for name in ("one", "two"):
        core.create_namespaced_config_map(namespace="default", body={"metadata": {"name": name}})

    listed = core.list_namespaced_config_map(namespace="default", field_selector="metadata.name=two")

    assert [item.metadata.name for item in listed.items] == ["two"]


def test_a_malformed_selector_is_400(apps: AppsApi) -> None:
    with pytest.raises(ApiException) as caught:
        apps.list_namespaced_deployment(namespace="default", label_selector="tier in (web")

    assert (caught.value.status, status_of(caught.value)["reason"]) == (400, "BadRequest")


def test_replace_with_fresh_resource_version(apps: AppsApi) -> None:
    created = apps.create_namespaced_deployment(namespace="default", body=deployment("web"))
    body = deployment("web", image="app:2")
    body["metadata"]["resourceVersion"] = created.metadata.resource_version

    replaced = apps.replace_namespaced_deployment(name="web", namespace="default", body=body)

    assert replaced.spec.template.spec.containers[0].image == "app:2"
    assert replaced.metadata.uid == created.metadata.uid
    assert replaced.metadata.creation_timestamp == created.metadata.creation_timestamp
    assert int(replaced.metadata.resource_version) > int(created.metadata.resource_version)
    assert replaced.metadata.generation == 2


def test_replace_with_stale_resource_version_is_409_conflict(apps: AppsApi) -> None:
    created = apps.create_namespaced_deployment(namespace="default", body=deployment("web"))
    apps.patch_namespaced_deployment(
        name="web", namespace="default", body={"metadata": {"labels": {"x": "1"}}}
    )
    body = deployment("web", image="app:2")
    body["metadata"]["resourceVersion"] = created.metadata.resource_version

    with pytest.raises(ApiException) as caught:
        apps.replace_namespaced_deployment(name="web", namespace="default", body=body)

    status = status_of(caught.value)
    assert (caught.value.status, status["reason"]) == (409, "Conflict")
    assert status["message"] == (
        'Operation cannot be fulfilled on deployments.apps "web": the object has been modified; '
        "please apply your changes to the latest version and try again"
    )
    assert apps.read_namespaced_deployment("web", "default").spec.template.spec.containers[0].image == "app:1"


def test_replace_without_resource_version_is_unconditional(core: CoreApi) -> None:
    core.create_namespaced_config_map(
        namespace="default", body={"metadata": {"name": "c"}, "data": {"a": "1"}}
    )

    replaced = core.replace_namespaced_config_map(
        name="c", namespace="default", body={"metadata": {"name": "c"}, "data": {"b": "2"}}
    )

    assert replaced.data == {"b": "2"}


def test_replace_missing_is_404(core: CoreApi) -> None:
    with pytest.raises(ApiException) as caught:
        core.replace_namespaced_config_map(name="c", namespace="default", body={"metadata": {"name": "c"}})

    assert caught.value.status == 404


def test_replace_with_another_name_is_400(core: CoreApi) -> None:
    core.create_namespaced_config_map(namespace="default", body={"metadata": {"name": "c"}})

    with pytest.raises(ApiException) as caught:
        core.replace_namespaced_config_map(name="c", namespace="default", body={"metadata": {"name": "d"}})

    assert (caught.value.status, status_of(caught.value)["reason"]) == (400, "BadRequest")


def test_generation_bumps_only_when_spec_changes(apps: AppsApi) -> None:
    apps.create_namespaced_deployment(namespace="default", body=deployment("web"))

    relabelled = apps.patch_namespaced_deployment("web", "default", {"metadata": {"labels": {"team": "a"}}})
    rescaled = apps.patch_namespaced_deployment("web", "default", {"spec": {"replicas": 4}})
    same_spec = apps.patch_namespaced_deployment("web", "default", {"spec": {"replicas": 4}})

    assert relabelled.metadata.generation == 1
    assert rescaled.metadata.generation == 2
    assert same_spec.metadata.generation == 2


def test_resource_version_increases_with_every_write(core: CoreApi) -> None:
    versions = [
        core.create_namespaced_config_map("default", {"metadata": {"name": "c"}}).metadata.resource_version
    ]
    versions.append(
        core.patch_namespaced_config_map("c", "default", {"data": {"a": "1"}}).metadata.resource_version
    )
    core.create_namespaced_config_map("default", {"metadata": {"name": "other"}})
    versions.append(
        core.patch_namespaced_config_map("c", "default", {"data": {"a": "2"}}).metadata.resource_version
    )

    numbers = [int(version) for version in versions]
    assert numbers == sorted(numbers) and len(set(numbers)) == 3
    assert numbers[2] - numbers[1] == 2  # one global counter: the other object's write took a version too


def test_delete_returns_success_status_then_read_is_404(apps: AppsApi) -> None:
    created = apps.create_namespaced_deployment(namespace="default", body=deployment("web"))

    answer = apps.delete_namespaced_deployment(name="web", namespace="default")

    assert answer["kind"] == "Status" and answer["status"] == "Success"
    assert answer["details"]["name"] == "web" and answer["details"]["uid"] == created.metadata.uid
    with pytest.raises(ApiException) as caught:
        apps.read_namespaced_deployment(name="web", namespace="default")
    assert caught.value.status == 404


def test_delete_missing_is_404(apps: AppsApi) -> None:
    with pytest.raises(ApiException) as caught:
        apps.delete_namespaced_deployment(name="ghost", namespace="default")

    assert (caught.value.status, status_of(caught.value)["reason"]) == (404, "NotFound")


def test_other_resource_types_round_trip(kube_config: client.Configuration) -> None:
    api_client = client.ApiClient(kube_config)
    core: CoreApi = client.CoreV1Api(api_client)
    networking: Any = client.NetworkingV1Api(api_client)
    coordination: Any = client.CoordinationV1Api(api_client)
    ingress = {"metadata": {"name": "web"}, "spec": {"ingressClassName": "nginx"}}
    event = {
        "metadata": {"name": "e1"},
        "involvedObject": {"kind": "Deployment", "name": "web"},
        "reason": "Promoted",
    }
    pod = {"metadata": {"name": "p"}, "spec": {"containers": [{"name": "app", "image": "app:1"}]}}

    networking.create_namespaced_ingress("default", ingress)
    coordination.create_namespaced_lease(
        "default", {"metadata": {"name": "lock"}, "spec": {"holderIdentity": "me"}}
    )
    core.create_namespaced_event("default", event)
    core.create_namespaced_pod("default", pod)

    assert networking.read_namespaced_ingress("web", "default").spec.ingress_class_name == "nginx"
    assert coordination.read_namespaced_lease("lock", "default").spec.holder_identity == "me"
    assert core.read_namespaced_event("e1", "default").reason == "Promoted"
    assert core.read_namespaced_pod("p", "default").spec.containers[0].image == "app:1"


def test_service_defaults(core: CoreApi) -> None:
    created = core.create_namespaced_service(
        "default", {"metadata": {"name": "web"}, "spec": {"ports": [{"port": 80}]}}
    )

    assert created.spec.type == "ClusterIP"
    assert (created.spec.ports[0].protocol, created.spec.ports[0].target_port) == ("TCP", 80)


def test_version_endpoint(kube_config: client.Configuration) -> None:
    info = client.VersionApi(client.ApiClient(kube_config)).get_code()

    assert (info.major, info.minor, info.git_version) == ("1", "30", "v1.30.0")


def test_unknown_path_is_404_status(fake_kube: FakeKubeAPI) -> None:
    code, body = send(f"{fake_kube.url}/apis/batch/v1/namespaces/default/cronjobs", "GET")

    assert code == 404
    assert (body["kind"], body["status"], body["reason"], body["code"]) == (
        "Status",
        "Failure",
        "NotFound",
        404,
    )


def test_unknown_subresource_is_404(fake_kube: FakeKubeAPI) -> None:
    code, _ = send(f"{fake_kube.url}/api/v1/namespaces/default/pods/p/log", "GET")

    assert code == 404


def test_post_of_invalid_json_is_400(fake_kube: FakeKubeAPI) -> None:
    request = urllib.request.Request(
        f"{fake_kube.url}/api/v1/namespaces/default/configmaps", data=b"{not json", method="POST"
    )
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(request, timeout=5)

    with caught.value as error:
        assert (error.code, json.loads(error.read())["reason"]) == (400, "BadRequest")


def test_delete_of_a_collection_is_405(fake_kube: FakeKubeAPI) -> None:
    code, body = send(f"{fake_kube.url}/api/v1/namespaces/default/configmaps", "DELETE")

    assert (code, body["reason"]) == (405, "MethodNotAllowed")


def test_body_of_another_kind_is_400(fake_kube: FakeKubeAPI) -> None:
    body = {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s"}}

    code, status = send(f"{fake_kube.url}/api/v1/namespaces/default/configmaps", "POST", body)

    assert (code, status["reason"]) == (400, "BadRequest")
    assert fake_kube.list("configmaps") == []
