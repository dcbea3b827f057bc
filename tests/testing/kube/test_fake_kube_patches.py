"""PATCH via the real client (strategic merge, RFC 7386 merge, RFC 6902 JSON patch) and the patch code."""

from __future__ import annotations

from typing import Any

import pytest
from fake_kube_bodies import AppsApi, CoreApi, Model, deployment, status_of
from kubernetes.client.exceptions import ApiException

from canarykit.testing.kube import FakeKubeAPI
from canarykit.testing.kube.json_patch import PatchError, json_patch
from canarykit.testing.kube.patches import merge_patch, strategic_merge_patch

DEPLOYMENT_PATH = "/apis/apps/v1/namespaces/default/deployments/web"
MERGE = "application/merge-patch+json"


@pytest.fixture
def web(apps: AppsApi) -> Model:
    """A Deployment `web` with containers `app` and `sidecar` and one annotation."""
    body = deployment("web")
    body["metadata"]["annotations"] = {"team": "payments", "example.com/owner": "ana"}
    return apps.create_namespaced_deployment(namespace="default", body=body)


def containers(deployment: Model) -> dict[str, str]:
    return {container.name: container.image for container in deployment.spec.template.spec.containers}


def test_strategic_merge_of_one_container_keeps_the_sidecar(
    fake_kube: FakeKubeAPI, apps: AppsApi, web: Model
) -> None:
    patch = {"spec": {"template": {"spec": {"containers": [{"name": "app", "image": "app:2"}]}}}}

    patched = apps.patch_namespaced_deployment(name="web", namespace="default", body=patch)

    assert containers(patched) == {"app": "app:2", "sidecar": "proxy:1"}
    assert patched.spec.template.spec.containers[0].env[0].value == "a"
    assert fake_kube.requests[-1] == ("PATCH", DEPLOYMENT_PATH, "application/strategic-merge-patch+json")


def test_strategic_merge_merges_env_by_name_and_appends_new_ones(apps: AppsApi, web: Model) -> None:
    env = [{"name": "MODE", "value": "b"}, {"name": "NEW", "value": "1"}]
    patch = {"spec": {"template": {"spec": {"containers": [{"name": "app", "env": env}]}}}}

    patched = apps.patch_namespaced_deployment(name="web", namespace="default", body=patch)

    app = patched.spec.template.spec.containers[0]
    assert [(var.name, var.value) for var in app.env] == [("MODE", "b"), ("NEW", "1")]
    assert app.image == "app:1"


def test_strategic_merge_patch_delete_directive_removes_a_container(apps: AppsApi, web: Model) -> None:
    patch = {"spec": {"template": {"spec": {"containers": [{"name": "sidecar", "$patch": "delete"}]}}}}

    patched = apps.patch_namespaced_deployment(name="web", namespace="default", body=patch)

    assert containers(patched) == {"app": "app:1"}


def test_strategic_merge_patch_replace_directive_replaces_the_list(apps: AppsApi, web: Model) -> None:
    new_list = [{"name": "only", "image": "only:1"}, {"$patch": "replace"}]
    patch = {"spec": {"template": {"spec": {"containers": new_list}}}}

    patched = apps.patch_namespaced_deployment(name="web", namespace="default", body=patch)

    assert containers(patched) == {"only": "only:1"}


def test_strategic_merge_merges_service_ports_by_port(core: CoreApi) -> None:
    ports = [{"name": "http", "port": 80}, {"name": "https", "port": 443}]
    core.create_namespaced_service("default", {"metadata": {"name": "web"}, "spec": {"ports": ports}})

    patched = core.patch_namespaced_service(
        "web", "default", {"spec": {"ports": [{"port": 443, "targetPort": 8443}]}}
    )

    assert [(port.port, port.target_port) for port in patched.spec.ports] == [(80, 80), (443, 8443)]


def test_merge_patch_null_deletes_an_annotation(fake_kube: FakeKubeAPI, apps: AppsApi, web: Model) -> None:
    patch = {"metadata": {"annotations": {"team": None, "stage": "canary"}}}

    patched = apps.patch_namespaced_deployment(
        name="web", namespace="default", body=patch, _content_type=MERGE
    )

    assert patched.metadata.annotations == {"example.com/owner": "ana", "stage": "canary"}
    assert fake_kube.requests[-1] == ("PATCH", DEPLOYMENT_PATH, MERGE)


def test_merge_patch_replaces_lists_whole(apps: AppsApi, web: Model) -> None:
    patch = {"spec": {"template": {"spec": {"containers": [{"name": "app", "image": "app:2"}]}}}}

    patched = apps.patch_namespaced_deployment(
        name="web", namespace="default", body=patch, _content_type=MERGE
    )

    assert containers(patched) == {"app": "app:2"}


def test_json_patch_add_replace_remove_with_escaped_pointers(apps: AppsApi, web: Model) -> None:
    operations = [
        {"op": "test", "path": "/metadata/annotations/example.com~1owner", "value": "ana"},
        {"op": "add", "path": "/metadata/annotations/app.kubernetes.io~1part-of", "value": "shop"},
        {"op": "replace", "path": "/spec/template/spec/containers/0/image", "value": "app:3"},
        {"op": "remove", "path": "/metadata/annotations/team"},
        {"op": "add", "path": "/spec/template/spec/containers/0/env/-", "value": {"name": "X", "value": "1"}},
    ]

    patched = apps.patch_namespaced_deployment(name="web", namespace="default", body=operations)

    assert patched.metadata.annotations == {"example.com/owner": "ana", "app.kubernetes.io/part-of": "shop"}
    assert containers(patched) == {"app": "app:3", "sidecar": "proxy:1"}
    assert [var.name for var in patched.spec.template.spec.containers[0].env] == ["MODE", "X"]


def test_json_patch_failing_test_is_422_and_changes_nothing(apps: AppsApi, web: Model) -> None:
    operations = [
        {"op": "replace", "path": "/spec/replicas", "value": 9},
        {"op": "test", "path": "/metadata/annotations/team", "value": "search"},
    ]

    with pytest.raises(ApiException) as caught:
        apps.patch_namespaced_deployment(name="web", namespace="default", body=operations)

    assert (caught.value.status, status_of(caught.value)["reason"]) == (422, "Invalid")
    assert apps.read_namespaced_deployment("web", "default").spec.replicas == 2


def test_apply_patch_is_415(apps: AppsApi, web: Model) -> None:
    with pytest.raises(ApiException) as caught:
        apps.patch_namespaced_deployment(
            name="web", namespace="default", body={"spec": {}}, _content_type="application/apply-patch+yaml"
        )

    assert (caught.value.status, status_of(caught.value)["reason"]) == (415, "UnsupportedMediaType")


def test_patch_with_stale_resource_version_is_409(apps: AppsApi, web: Model) -> None:
    apps.patch_namespaced_deployment("web", "default", {"metadata": {"labels": {"x": "1"}}})
    stale = {"metadata": {"resourceVersion": web.metadata.resource_version, "labels": {"x": "2"}}}

    with pytest.raises(ApiException) as caught:
        apps.patch_namespaced_deployment(name="web", namespace="default", body=stale, _content_type=MERGE)

    assert (caught.value.status, status_of(caught.value)["reason"]) == (409, "Conflict")


def test_patch_with_current_resource_version_succeeds(apps: AppsApi, web: Model) -> None:
    fresh = {"metadata": {"resourceVersion": web.metadata.resource_version, "labels": {"x": "2"}}}

    patched = apps.patch_namespaced_deployment(
        name="web", namespace="default", body=fresh, _content_type=MERGE
    )

    assert patched.metadata.labels["x"] == "2"


def test_patch_missing_object_is_404(apps: AppsApi) -> None:
    with pytest.raises(ApiException) as caught:
        apps.patch_namespaced_deployment(name="ghost", namespace="default", body={"spec": {"replicas": 1}})

    assert caught.value.status == 404


@pytest.mark.parametrize(
    ("target", "patch", "expected"),
    [
        ({"a": "b"}, {"a": "c"}, {"a": "c"}),
        ({"a": "b"}, {"b": "c"}, {"a": "b", "b": "c"}),
        ({"a": "b"}, {"a": None}, {}),
        ({"a": [{"b": "c"}]}, {"a": [1]}, {"a": [1]}),
        ({"a": {"b": "c"}}, {"a": {"b": "d", "c": None}}, {"a": {"b": "d"}}),
        (["a", "b"], {"a": "c"}, {"a": "c"}),
        ({"e": None}, {"a": 1}, {"e": None, "a": 1}),
    ],
)
def test_merge_patch_rfc7386_examples(target: Any, patch: Any, expected: Any) -> None:
    assert merge_patch(target, patch) == expected


def test_strategic_merge_container_ports_by_container_port() -> None:
    target = {"ports": [{"containerPort": 80, "name": "http"}, {"containerPort": 9090, "name": "metrics"}]}

    patched = strategic_merge_patch(target, {"ports": [{"containerPort": 9090, "protocol": "TCP"}]})

    assert patched["ports"][1] == {"containerPort": 9090, "name": "metrics", "protocol": "TCP"}


def test_strategic_merge_unkeyed_lists_are_replaced_and_setelementorder_ignored() -> None:
    target = {"args": ["a", "b"], "env": [{"name": "A", "value": "1"}]}
    patch = {"args": ["c"], "$setElementOrder/env": [{"name": "A"}], "env": [{"name": "A", "value": "2"}]}

    assert strategic_merge_patch(target, patch) == {"args": ["c"], "env": [{"name": "A", "value": "2"}]}


def test_json_patch_tilde_escapes() -> None:
    """`~0` is `~` and `~1` is `/` in a pointer (no annotation key may hold a `~`, so tested here)."""
    operations = [
        {"op": "add", "path": "/a~0b", "value": "tilde"},
        {"op": "replace", "path": "/c~1d", "value": 2},
        {"op": "test", "path": "/~01", "value": "not a slash"},
    ]

    assert json_patch({"c/d": 1, "~1": "not a slash"}, operations) == {
        "c/d": 2,
        "~1": "not a slash",
        "a~b": "tilde",
    }


def test_json_patch_move_and_copy() -> None:
    document = {"a": {"b": 1}, "list": [1, 2]}
    operations = [
        {"op": "copy", "from": "/a/b", "path": "/list/0"},
        {"op": "move", "from": "/a", "path": "/moved"},
    ]

    assert json_patch(document, operations) == {"list": [1, 1, 2], "moved": {"b": 1}}


@pytest.mark.parametrize(
    "operation",
    [
        {"op": "remove", "path": "/missing"},
        {"op": "replace", "path": "/missing", "value": 1},
        {"op": "add", "path": "/list/5", "value": 1},
        {"op": "add", "path": "/missing/child", "value": 1},
        {"op": "test", "path": "/list/0", "value": 2},
        {"op": "jump", "path": "/list"},
        {"op": "add", "path": "no-slash", "value": 1},
    ],
)
def test_json_patch_errors(operation: dict[str, Any]) -> None:
    with pytest.raises(PatchError):
        json_patch({"list": [1]}, [operation])
