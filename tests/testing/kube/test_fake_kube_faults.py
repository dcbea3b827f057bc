"""Failure injection with `FakeKubeAPI.fail_next`, seen through the real `kubernetes` client."""

from __future__ import annotations

import threading
import time

import pytest
import urllib3
from fake_kube_bodies import AppsApi, CoreApi, Model, deployment, status_of
from kubernetes.client.exceptions import ApiException

from canarykit.testing.kube import FakeKubeAPI

CONFIGMAP = {"metadata": {"name": "settings"}, "data": {"a": "1"}}


@pytest.fixture
def web(apps: AppsApi) -> Model:
    return apps.create_namespaced_deployment(namespace="default", body=deployment("web"))


def test_fail_next_500_fails_once_with_an_internal_error_status(
    fake_kube: FakeKubeAPI, apps: AppsApi, web: Model
) -> None:
    fake_kube.fail_next()

    with pytest.raises(ApiException) as caught:
        apps.read_namespaced_deployment("web", "default")
    again = apps.read_namespaced_deployment("web", "default")

    status = status_of(caught.value)
    assert caught.value.status == 500
    assert (status["kind"], status["status"], status["reason"], status["code"]) == (
        "Status",
        "Failure",
        "InternalError",
        500,
    )
    assert again.metadata.name == "web"


def test_fail_next_409_only_for_patch(fake_kube: FakeKubeAPI, apps: AppsApi, web: Model) -> None:
    fake_kube.fail_next(status=409, method="PATCH")

    read = apps.read_namespaced_deployment("web", "default")
    with pytest.raises(ApiException) as caught:
        apps.patch_namespaced_deployment("web", "default", {"spec": {"replicas": 3}})
    unchanged = apps.read_namespaced_deployment("web", "default")
    patched = apps.patch_namespaced_deployment("web", "default", {"spec": {"replicas": 3}})

    assert read.spec.replicas == 2
    assert (caught.value.status, status_of(caught.value)["reason"]) == (409, "Conflict")
    assert unchanged.spec.replicas == 2
    assert patched.spec.replicas == 3


def test_fail_next_by_path_substring_with_a_count(
    fake_kube: FakeKubeAPI, apps: AppsApi, core: CoreApi, web: Model
) -> None:
    fake_kube.fail_next(count=2, status=503, path="/configmaps")
    failures = []

    for _ in range(2):
        with pytest.raises(ApiException) as caught:
            core.create_namespaced_config_map("default", CONFIGMAP)
        failures.append((caught.value.status, status_of(caught.value)["reason"]))
        assert apps.read_namespaced_deployment("web", "default").metadata.name == "web"
    created = core.create_namespaced_config_map("default", CONFIGMAP)

    assert failures == [(503, "ServiceUnavailable")] * 2
    assert created.data == {"a": "1"}


def test_fail_next_429_is_too_many_requests(fake_kube: FakeKubeAPI, core: CoreApi) -> None:
    fake_kube.fail_next(status=429)

    with pytest.raises(ApiException) as caught:
        core.list_namespaced_config_map("default")

    assert (caught.value.status, status_of(caught.value)["reason"]) == (429, "TooManyRequests")


def test_disconnect_drops_the_connection_without_an_answer(fake_kube: FakeKubeAPI, core: CoreApi) -> None:
    fake_kube.fail_next(status="disconnect", method="POST")

    with pytest.raises(urllib3.exceptions.ProtocolError):
        core.create_namespaced_config_map("default", CONFIGMAP)

    assert fake_kube.get("configmaps", "default", "settings") is None
    assert core.create_namespaced_config_map("default", CONFIGMAP).metadata.name == "settings"


def test_a_dropped_get_is_retried_by_urllib3(fake_kube: FakeKubeAPI, core: CoreApi) -> None:
    # urllib3 retries idempotent methods after a dropped connection, so one disconnect goes unnoticed.
    fake_kube.fail_next(status="disconnect", method="GET")

    listed = core.list_namespaced_config_map("default")

    assert listed.items == []
    assert [method for method, _, _ in fake_kube.requests] == ["GET", "GET"]


def test_timeout_holds_the_request_past_the_client_timeout(
    fake_kube: FakeKubeAPI, apps: AppsApi, web: Model
) -> None:
    fake_kube.hang_seconds = 0.5
    fake_kube.fail_next(status="timeout", method="PATCH")
    started = time.monotonic()

    with pytest.raises(urllib3.exceptions.ReadTimeoutError):
        apps.patch_namespaced_deployment("web", "default", {"spec": {"replicas": 3}}, _request_timeout=0.3)

    assert time.monotonic() - started < 0.45
    assert apps.read_namespaced_deployment("web", "default").spec.replicas == 2


def test_timeout_closes_the_connection_after_hang_seconds(fake_kube: FakeKubeAPI, core: CoreApi) -> None:
    fake_kube.hang_seconds = 0.2
    fake_kube.fail_next(status="timeout", method="POST")
    started = time.monotonic()

    with pytest.raises(urllib3.exceptions.ProtocolError):
        core.create_namespaced_config_map("default", CONFIGMAP, _request_timeout=3)

    assert 0.2 <= time.monotonic() - started < 1.0


def test_stop_releases_a_hung_request(fake_kube: FakeKubeAPI, core: CoreApi) -> None:
    fake_kube.hang_seconds = 10
    fake_kube.fail_next(status="timeout")
    errors: list[BaseException] = []

    def call() -> None:
        try:
            core.create_namespaced_config_map("default", CONFIGMAP, _request_timeout=5)
        except Exception as error:
            errors.append(error)

    caller = threading.Thread(target=call, daemon=True)
    caller.start()
    while not fake_kube.requests:
        time.sleep(0.01)
    started = time.monotonic()
    fake_kube.stop()
    caller.join(3)

    assert time.monotonic() - started < 1.0
    assert not caller.is_alive()
    assert len(errors) == 1


def test_only_matching_requests_use_up_a_fault(fake_kube: FakeKubeAPI, core: CoreApi) -> None:
    fake_kube.fail_next(status=500, method="DELETE")

    core.create_namespaced_config_map("default", CONFIGMAP)
    core.read_namespaced_config_map("settings", "default")
    with pytest.raises(ApiException) as caught:
        core.delete_namespaced_config_map("settings", "default")

    assert caught.value.status == 500
    assert fake_kube.get("configmaps", "default", "settings") is not None


@pytest.mark.parametrize(("count", "status"), [(0, 500), (1, 200), (1, "slow"), (1, 999)])
def test_fail_next_rejects_bad_arguments(fake_kube: FakeKubeAPI, count: int, status: int | str) -> None:
    with pytest.raises(ValueError):
        fake_kube.fail_next(count=count, status=status)
