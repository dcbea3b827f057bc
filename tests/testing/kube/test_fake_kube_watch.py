"""Watch streams of FakeKubeAPI, consumed with the real `kubernetes.watch.Watch`."""

from __future__ import annotations

import json
import threading
import time
import urllib.request
from typing import Any

from fake_kube_bodies import AppsApi, deployment, new_watch
from kubernetes import client

from canarykit.testing.kube import FakeKubeAPI


def names(events: list[dict[str, Any]]) -> list[tuple[str, str]]:
    return [(event["type"], event["raw_object"]["metadata"]["name"]) for event in events]


def test_watch_sends_existing_objects_then_changes_matching_the_selector(apps: AppsApi) -> None:
    apps.create_namespaced_deployment("default", deployment("web", labels={"app": "web", "tier": "fe"}))
    apps.create_namespaced_deployment("default", deployment("db", labels={"app": "db", "tier": "be"}))
    events: list[dict[str, Any]] = []
    watcher = new_watch()

    stream = watcher.stream(
        apps.list_namespaced_deployment, namespace="default", label_selector="tier=fe", timeout_seconds=5
    )
    for event in stream:
        events.append(event)
        if event["type"] == "ADDED":
            apps.patch_namespaced_deployment("db", "default", {"spec": {"replicas": 5}})
            apps.patch_namespaced_deployment("web", "default", {"spec": {"replicas": 4}})
            apps.delete_namespaced_deployment("web", "default")
        if event["type"] == "DELETED":
            watcher.stop()

    assert names(events) == [("ADDED", "web"), ("MODIFIED", "web"), ("DELETED", "web")]
    assert all(isinstance(event["object"], client.V1Deployment) for event in events)
    assert events[1]["object"].spec.replicas == 4
    versions = [int(event["object"].metadata.resource_version) for event in events]
    assert versions == sorted(versions)


def test_watch_from_a_resource_version_sends_only_later_changes(apps: AppsApi) -> None:
    apps.create_namespaced_deployment("default", deployment("old"))
    version = apps.list_namespaced_deployment("default").metadata.resource_version
    apps.create_namespaced_deployment("default", deployment("new"))
    watcher = new_watch()
    events = []

    for event in watcher.stream(
        apps.list_namespaced_deployment, namespace="default", resource_version=version, timeout_seconds=5
    ):
        events.append(event)
        if len(events) == 1:
            apps.patch_namespaced_deployment("old", "default", {"metadata": {"labels": {"x": "1"}}})
        else:
            watcher.stop()

    assert names(events) == [("ADDED", "new"), ("MODIFIED", "old")]


def test_watch_ends_after_timeout_seconds(apps: AppsApi) -> None:
    apps.create_namespaced_deployment("default", deployment("web"))
    started = time.monotonic()

    events = list(new_watch().stream(apps.list_namespaced_deployment, namespace="default", timeout_seconds=1))

    assert names(events) == [("ADDED", "web")]
    assert 0.9 <= time.monotonic() - started < 2.0


def test_watch_sees_only_its_namespace(apps: AppsApi) -> None:
    version = apps.list_namespaced_deployment("team-a").metadata.resource_version
    apps.create_namespaced_deployment("team-b", deployment("ignored"))
    apps.create_namespaced_deployment("team-a", deployment("seen"))
    watcher = new_watch()
    events = []

    stream = watcher.stream(
        apps.list_namespaced_deployment, namespace="team-a", resource_version=version, timeout_seconds=5
    )
    for event in stream:
        events.append(event)
        watcher.stop()

    assert names(events) == [("ADDED", "seen")]


def test_stop_ends_an_open_watch(fake_kube: FakeKubeAPI, apps: AppsApi) -> None:
    apps.create_namespaced_deployment("default", deployment("web"))
    received = threading.Event()
    events: list[dict[str, Any]] = []

    def consume() -> None:
        for event in new_watch().stream(
            apps.list_namespaced_deployment, namespace="default", timeout_seconds=30
        ):
            events.append(event)
            received.set()

    consumer = threading.Thread(target=consume, daemon=True)
    consumer.start()
    assert received.wait(5)
    started = time.monotonic()
    fake_kube.stop()
    consumer.join(5)

    assert not consumer.is_alive()
    assert time.monotonic() - started < 1.5
    assert names(events) == [("ADDED", "web")]


def test_raw_watch_is_chunked_json_lines(fake_kube: FakeKubeAPI) -> None:
    fake_kube.put({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}, "data": {"a": "1"}})
    url = f"{fake_kube.url}/api/v1/namespaces/default/configmaps?watch=1&timeoutSeconds=0.2"

    with urllib.request.urlopen(url, timeout=5) as response:
        encoding = response.headers["Transfer-Encoding"]
        lines = response.read().decode().splitlines()

    assert encoding == "chunked"
    assert [json.loads(line)["type"] for line in lines] == ["ADDED"]
    assert json.loads(lines[0])["object"]["data"] == {"a": "1"}
