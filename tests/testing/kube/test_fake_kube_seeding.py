"""FakeKubeAPI's test-side API: lifecycle, seeding with `put`, `get`/`list`/`delete`, the request log."""

from __future__ import annotations

import re
import threading

import pytest
from fake_kube_bodies import AppsApi, CoreApi, deployment, new_watch
from kubernetes import client

from canarykit.testing.kube import ApiError, FakeKubeAPI


def test_start_returns_self_and_url_is_local() -> None:
    kube = FakeKubeAPI()
    try:
        assert kube.start() is kube
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+", kube.url)
    finally:
        kube.stop()
    kube.stop()  # a second stop does nothing


def test_two_fakes_get_different_ports() -> None:
    with FakeKubeAPI() as first, FakeKubeAPI() as second:
        assert first.url != second.url


def test_put_seeds_an_object_the_client_can_read(fake_kube: FakeKubeAPI, apps: AppsApi) -> None:
    body = deployment("seeded")
    del body["metadata"]["labels"]

    stored = fake_kube.put(body)
    read = apps.read_namespaced_deployment("seeded", "default")

    assert stored["metadata"]["namespace"] == "default"
    assert (stored["metadata"]["generation"], stored["spec"]["replicas"]) == (1, 2)
    assert read.metadata.uid == stored["metadata"]["uid"]
    assert read.status.ready_replicas == 2


def test_put_keeps_a_given_status(fake_kube: FakeKubeAPI, apps: AppsApi) -> None:
    body = deployment("stuck")
    body["status"] = {"observedGeneration": 1, "replicas": 2, "readyReplicas": 0}

    fake_kube.put(body)

    assert apps.read_namespaced_deployment("stuck", "default").status.ready_replicas == 0


def test_put_replaces_an_existing_object_keeping_its_identity(fake_kube: FakeKubeAPI, core: CoreApi) -> None:
    first = fake_kube.put(
        {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c", "namespace": "ns"}}
    )
    second = fake_kube.put(
        {
            "apiVersion": "v1",
            "kind": "ConfigMap",
            "metadata": {"name": "c", "namespace": "ns"},
            "data": {"k": "v"},
        }
    )

    assert second["metadata"]["uid"] == first["metadata"]["uid"]
    assert int(second["metadata"]["resourceVersion"]) > int(first["metadata"]["resourceVersion"])
    assert core.read_namespaced_config_map("c", "ns").data == {"k": "v"}


def test_put_is_seen_by_watchers(fake_kube: FakeKubeAPI, core: CoreApi) -> None:
    version = core.list_namespaced_config_map("default").metadata.resource_version
    fake_kube.put({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}})
    watcher = new_watch()

    for event in watcher.stream(
        core.list_namespaced_config_map, "default", resource_version=version, timeout_seconds=5
    ):
        watcher.stop()
        assert (event["type"], event["object"].metadata.name) == ("ADDED", "c")


def test_put_rejects_an_unknown_kind(fake_kube: FakeKubeAPI) -> None:
    with pytest.raises(ValueError, match="unknown apiVersion/kind"):
        fake_kube.put({"apiVersion": "batch/v1", "kind": "CronJob", "metadata": {"name": "j"}})


def test_get_returns_a_copy(fake_kube: FakeKubeAPI) -> None:
    fake_kube.put({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}, "data": {"k": "v"}})

    copy = fake_kube.get("configmaps", "default", "c")
    assert copy is not None
    copy["data"]["k"] = "changed"

    assert fake_kube.get("configmaps", "default", "c") == {**copy, "data": {"k": "v"}}
    assert fake_kube.get("configmaps", "default", "missing") is None


def test_list_filters_by_namespace(fake_kube: FakeKubeAPI) -> None:
    for namespace in ("a", "b"):
        fake_kube.put(
            {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c", "namespace": namespace}}
        )

    assert [obj["metadata"]["namespace"] for obj in fake_kube.list("configmaps")] == ["a", "b"]
    assert [obj["metadata"]["namespace"] for obj in fake_kube.list("configmaps", "b")] == ["b"]
    assert fake_kube.list("leases") == []


def test_unknown_plural_raises(fake_kube: FakeKubeAPI) -> None:
    with pytest.raises(ValueError, match="unknown resource 'deployment'"):
        fake_kube.get("deployment", "default", "web")


def test_delete_removes_and_reports_whether_it_existed(fake_kube: FakeKubeAPI, apps: AppsApi) -> None:
    apps.create_namespaced_deployment("default", deployment("web"))

    assert fake_kube.delete("deployments", "default", "web") is True
    assert fake_kube.delete("deployments", "default", "web") is False
    assert apps.list_namespaced_deployment("default").items == []


def test_mark_ready_of_a_missing_deployment_raises(fake_kube: FakeKubeAPI) -> None:
    with pytest.raises(ApiError, match="not found") as caught:
        fake_kube.mark_ready("default", "ghost")

    assert caught.value.code == 404


def test_requests_log_method_path_and_content_type(fake_kube: FakeKubeAPI, apps: AppsApi) -> None:
    apps.create_namespaced_deployment("default", deployment("web"))
    apps.list_namespaced_deployment("default", label_selector="app=web")
    apps.patch_namespaced_deployment(
        "web", "default", [{"op": "replace", "path": "/spec/replicas", "value": 1}]
    )

    path = "/apis/apps/v1/namespaces/default/deployments"
    assert fake_kube.requests == [
        ("POST", path, None),
        ("GET", path, None),
        ("PATCH", f"{path}/web", "application/json-patch+json"),
    ]
    fake_kube.clear_requests()
    assert fake_kube.requests == []


def test_concurrent_writes_get_distinct_resource_versions(
    fake_kube: FakeKubeAPI, kube_config: client.Configuration
) -> None:
    versions: list[str] = []

    def create(index: int) -> None:
        core: CoreApi = client.CoreV1Api(client.ApiClient(kube_config))
        for n in range(5):
            created = core.create_namespaced_config_map("default", {"metadata": {"name": f"c-{index}-{n}"}})
            versions.append(created.metadata.resource_version)

    threads = [threading.Thread(target=create, args=(index,)) for index in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)

    assert len(versions) == 20 and len(set(versions)) == 20
    assert len(fake_kube.list("configmaps")) == 20
