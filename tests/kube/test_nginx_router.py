"""NginxIngressRouter against the fake API server, through the real `kubernetes` client.

The canary Ingress is built from the stable one as Argo Rollouts builds it (§7 of the Argo semantics),
created on the first weight, merge-patched afterwards, refused when something else controls it, and kept
at weight 0 at the end unless `delete_on_complete`.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

from canarykit.errors import KubernetesError, RoutingError, SpecError
from canarykit.kube import KubeAPI, NginxIngressRouter
from canarykit.testing.kube import FakeKubeAPI

PREFIX = "nginx.ingress.kubernetes.io"
WEIGHT = f"{PREFIX}/canary-weight"
BY_HEADER = f"{PREFIX}/canary-by-header"
BY_VALUE = f"{PREFIX}/canary-by-header-value"
BY_PATTERN = f"{PREFIX}/canary-by-header-pattern"
HEADER_KEYS = (BY_HEADER, BY_VALUE, BY_PATTERN)
CANARY = "canary-demo-canary-demo-canary"
COLLECTION = "/apis/networking.k8s.io/v1/namespaces/default/ingresses"
CANARY_PATH = f"{COLLECTION}/{CANARY}"
MERGE_PATCH = "application/merge-patch+json"
HOST = "progressive-auto-in-k8s.example.com"
FOREIGN = f"canary ingress `{CANARY}` controlled by different object"

# The stable Ingress's only rule (tests/data/ingress.yaml), re-pointed to the canary Service.
CANARY_RULES = [
    {
        "host": HOST,
        "http": {
            "paths": [
                {
                    "path": "/",
                    "pathType": "Prefix",
                    "backend": {"service": {"name": "canary-demo-canary", "port": {"name": "http"}}},
                }
            ]
        },
    }
]
TLS = [{"hosts": [HOST], "secretName": "progressive-auto-in-k8s-tls"}]


def make_router(api: KubeAPI, stable: str | list[str] = "canary-demo", **options: Any) -> NginxIngressRouter:
    return NginxIngressRouter(api, "canary-demo", stable, "canary-demo", "canary-demo-canary", **options)


def live(cluster: FakeKubeAPI, name: str = CANARY) -> dict[str, Any]:
    found = cluster.get("ingresses", "default", name)
    assert found is not None, f"ingress {name} does not exist"
    return found


def live_annotations(cluster: FakeKubeAPI, name: str = CANARY) -> dict[str, str]:
    return dict(live(cluster, name)["metadata"].get("annotations") or {})


def writes(cluster: FakeKubeAPI) -> list[tuple[str, str, str | None]]:
    """Every request that could change something (all but GETs), in order."""
    return [request for request in cluster.requests if request[0] != "GET"]


def seed_canary(
    cluster: FakeKubeAPI,
    annotations: dict[str, str] | None = None,
    owner_references: list[dict[str, Any]] | None = None,
    labels: dict[str, str] | None = None,
) -> dict[str, Any]:
    """A canary Ingress that exists before the router runs (a previous run, or someone else's)."""
    metadata: dict[str, Any] = {"name": CANARY, "namespace": "default", "annotations": annotations or {}}
    if owner_references is not None:
        metadata["ownerReferences"] = owner_references
    if labels is not None:
        metadata["labels"] = labels
    rule = {
        "host": "old.example.com",
        "http": {
            "paths": [
                {
                    "path": "/old",
                    "pathType": "Prefix",
                    "backend": {"service": {"name": "canary-demo-canary", "port": {"number": 80}}},
                }
            ]
        },
    }
    return cluster.put(
        {
            "apiVersion": "networking.k8s.io/v1",
            "kind": "Ingress",
            "metadata": metadata,
            "spec": {"rules": [rule]},
        }
    )


def seed_stable(cluster: FakeKubeAPI, name: str, host: str, service: str = "canary-demo") -> dict[str, Any]:
    return cluster.put(
        {
            "apiVersion": "networking.k8s.io/v1",
            "kind": "Ingress",
            "metadata": {"name": name, "namespace": "default"},
            "spec": {
                "ingressClassName": "nginx",
                "rules": [
                    {
                        "host": host,
                        "http": {
                            "paths": [
                                {
                                    "path": "/",
                                    "pathType": "Prefix",
                                    "backend": {"service": {"name": service, "port": {"number": 80}}},
                                }
                            ]
                        },
                    }
                ],
            },
        }
    )


# -- creating the canary Ingress ----------------------------------------------------------------------------


def test_first_weight_creates_exactly_the_canary_ingress(cluster: FakeKubeAPI, api: KubeAPI) -> None:
    stable_uid = live(cluster, "canary-demo")["metadata"]["uid"]
    cluster.clear_requests()

    make_router(api).set_weight(20)

    canary = live(cluster)
    metadata = canary["metadata"]
    assert metadata["annotations"] == {
        "kubernetes.io/ingress.class": "nginx",
        f"{PREFIX}/canary": "true",
        WEIGHT: "20",
        "canarykit.io/rollout": "canary-demo",
    }
    assert metadata["labels"] == {"app.kubernetes.io/managed-by": "canarykit"}
    assert metadata["ownerReferences"] == [
        {
            "apiVersion": "networking.k8s.io/v1",
            "kind": "Ingress",
            "name": "canary-demo",
            "uid": stable_uid,
            "controller": False,
            "blockOwnerDeletion": False,
        }
    ]
    assert metadata["namespace"] == "default"
    assert canary["spec"] == {"rules": CANARY_RULES, "tls": TLS, "ingressClassName": "nginx"}
    assert [(method, path) for method, path, _ in writes(cluster)] == [("POST", COLLECTION)]


def test_the_stable_ingress_is_only_read(cluster: FakeKubeAPI, api: KubeAPI) -> None:
    before = live(cluster, "canary-demo")
    router = make_router(api)
    router.set_weight(20)
    router.set_header_route("X-Canary", value="yes")
    router.set_weight(60)
    assert live(cluster, "canary-demo") == before
    assert not any(path.endswith("/ingresses/canary-demo") for _, path, _ in writes(cluster))


def test_later_weights_patch_the_canary_with_a_merge_patch(cluster: FakeKubeAPI, api: KubeAPI) -> None:
    router = make_router(api)
    router.set_weight(20)
    uid = live(cluster)["metadata"]["uid"]
    cluster.clear_requests()

    router.set_weight(40)
    router.set_weight(60)

    assert writes(cluster) == [("PATCH", CANARY_PATH, MERGE_PATCH), ("PATCH", CANARY_PATH, MERGE_PATCH)]
    canary = live(cluster)
    assert canary["metadata"]["uid"] == uid  # the same object, never re-created
    assert canary["metadata"]["annotations"][WEIGHT] == "60"
    assert canary["spec"] == {"rules": CANARY_RULES, "tls": TLS, "ingressClassName": "nginx"}
    assert len(cluster.list("ingresses", "default")) == 2  # the stable and one canary


def test_get_weight_reads_the_live_canary_ingress(cluster: FakeKubeAPI, api: KubeAPI) -> None:
    router = make_router(api)
    assert router.get_weight() == 0  # no canary Ingress yet: all traffic on stable
    router.set_weight(35)
    assert router.get_weight() == 35
    changed = live(cluster)
    changed["metadata"]["annotations"][WEIGHT] = "55"  # changed behind the router's back
    cluster.put(changed)
    assert router.get_weight() == 55
    assert make_router(api).get_weight() == 55  # a new router (a new process) reads the same


def test_unreadable_weight_is_a_routing_error(cluster: FakeKubeAPI, api: KubeAPI) -> None:
    make_router(api).set_weight(10)
    changed = live(cluster)
    changed["metadata"]["annotations"][WEIGHT] = "ten"
    cluster.put(changed)
    with pytest.raises(RoutingError, match="unreadable weight 'ten'"):
        make_router(api).get_weight()


def test_weight_out_of_range_is_refused_before_any_write(cluster: FakeKubeAPI, api: KubeAPI) -> None:
    cluster.clear_requests()
    with pytest.raises(SpecError, match=r"0\.\.100, got 101"):
        make_router(api).set_weight(101)
    with pytest.raises(SpecError, match=r"0\.\.100, got -1"):
        make_router(api).set_weight(-1)
    assert writes(cluster) == []
    assert cluster.get("ingresses", "default", CANARY) is None


# -- an existing canary Ingress -----------------------------------------------------------------------------


def test_existing_canary_of_ours_is_reread_and_patched(cluster: FakeKubeAPI, api: KubeAPI) -> None:
    seeded = seed_canary(
        cluster,
        {"canarykit.io/rollout": "canary-demo", WEIGHT: "5", "example.com/note": "keep me"},
        labels={"team": "web"},
    )
    cluster.clear_requests()

    router = make_router(api)  # a new process: nothing in memory
    assert router.get_weight() == 5
    router.set_weight(30)

    assert writes(cluster) == [("PATCH", CANARY_PATH, MERGE_PATCH)]
    canary = live(cluster)
    assert canary["metadata"]["uid"] == seeded["metadata"]["uid"]
    assert canary["metadata"]["annotations"] == {
        "canarykit.io/rollout": "canary-demo",
        "kubernetes.io/ingress.class": "nginx",
        f"{PREFIX}/canary": "true",
        WEIGHT: "30",
        "example.com/note": "keep me",  # not ours: kept, as Argo keeps it
    }
    assert canary["metadata"]["labels"] == {"team": "web", "app.kubernetes.io/managed-by": "canarykit"}
    assert canary["spec"] == {"rules": CANARY_RULES, "tls": TLS, "ingressClassName": "nginx"}


CONTROLLER_REF = {
    "apiVersion": "argoproj.io/v1alpha1",
    "kind": "Rollout",
    "name": "canary-demo",
    "uid": "0b4c5a1e-0000-4000-8000-000000000001",
    "controller": True,
    "blockOwnerDeletion": True,
}


@pytest.mark.parametrize(
    ("annotations_", "owners"),
    [
        pytest.param(
            {"canarykit.io/rollout": "canary-demo", WEIGHT: "5"}, [CONTROLLER_REF], id="controller-ref"
        ),
        pytest.param({WEIGHT: "5"}, None, id="no-rollout-annotation"),
        pytest.param({"canarykit.io/rollout": "other-app", WEIGHT: "5"}, None, id="another-rollout"),
    ],
)
def test_canary_controlled_by_another_object_is_refused_and_untouched(
    cluster: FakeKubeAPI,
    api: KubeAPI,
    annotations_: dict[str, str],
    owners: list[dict[str, Any]] | None,
) -> None:
    before = seed_canary(cluster, annotations_, owners)
    cluster.clear_requests()
    router = make_router(api, delete_on_complete=True)

    for action in (
        router.check,
        lambda: router.set_weight(30),
        lambda: router.set_header_route("X-Canary"),
        router.finish,
    ):
        with pytest.raises(RoutingError) as caught:
            action()
        assert str(caught.value) == FOREIGN

    assert writes(cluster) == []
    assert live(cluster) == before


def test_live_annotations_not_in_the_desired_set_are_kept(cluster: FakeKubeAPI, api: KubeAPI) -> None:
    router = make_router(api)
    router.set_weight(10)
    edited = live(cluster)
    edited["metadata"]["annotations"]["example.com/owner"] = "platform"
    edited["metadata"]["annotations"][f"{PREFIX}/canary-by-cookie"] = "beta"  # added by hand
    cluster.put(edited)

    router.set_weight(20)

    found = live_annotations(cluster)
    assert found["example.com/owner"] == "platform"
    assert found[f"{PREFIX}/canary-by-cookie"] == "beta"
    assert found[WEIGHT] == "20"


# -- several stable Ingresses -------------------------------------------------------------------------------


def test_each_stable_ingress_gets_its_own_canary_with_the_same_weight(
    cluster: FakeKubeAPI, api: KubeAPI
) -> None:
    admin = seed_stable(cluster, "canary-demo-admin", "admin.example.com")
    router = make_router(api, ["canary-demo", "canary-demo-admin"])
    assert router.canary_names() == [CANARY, "canary-demo-canary-demo-admin-canary"]

    router.set_weight(25)

    main_canary, admin_canary = live(cluster), live(cluster, "canary-demo-canary-demo-admin-canary")
    assert main_canary["metadata"]["annotations"][WEIGHT] == "25"
    assert admin_canary["metadata"]["annotations"][WEIGHT] == "25"
    assert admin_canary["metadata"]["ownerReferences"][0]["name"] == "canary-demo-admin"
    assert admin_canary["metadata"]["ownerReferences"][0]["uid"] == admin["metadata"]["uid"]
    assert main_canary["metadata"]["ownerReferences"][0]["name"] == "canary-demo"
    assert admin_canary["spec"]["rules"][0]["host"] == "admin.example.com"
    assert admin_canary["spec"]["rules"][0]["http"]["paths"][0]["backend"]["service"]["name"] == (
        "canary-demo-canary"
    )
    assert "tls" not in admin_canary["spec"]  # the admin Ingress has none
    assert router.get_weight() == 25

    router.set_weight(50)
    assert live_annotations(cluster)[WEIGHT] == "50"
    assert live_annotations(cluster, "canary-demo-canary-demo-admin-canary")[WEIGHT] == "50"


def test_get_weight_raises_when_the_canaries_disagree(cluster: FakeKubeAPI, api: KubeAPI) -> None:
    seed_stable(cluster, "canary-demo-admin", "admin.example.com")
    router = make_router(api, ["canary-demo", "canary-demo-admin"])
    router.set_weight(25)
    drifted = live(cluster, "canary-demo-canary-demo-admin-canary")
    drifted["metadata"]["annotations"][WEIGHT] = "40"
    cluster.put(drifted)

    with pytest.raises(RoutingError, match=r"disagree on the weight: \[25, 40\]"):
        router.get_weight()
    router.set_weight(30)  # setting a weight makes them agree again
    assert router.get_weight() == 30


def test_a_missing_second_canary_counts_as_weight_zero(cluster: FakeKubeAPI, api: KubeAPI) -> None:
    make_router(api).set_weight(25)  # only the first canary exists
    seed_stable(cluster, "canary-demo-admin", "admin.example.com")
    with pytest.raises(RoutingError, match=r"\[0, 25\]"):
        make_router(api, ["canary-demo", "canary-demo-admin"]).get_weight()


def test_a_router_needs_a_stable_ingress(api: KubeAPI) -> None:
    with pytest.raises(SpecError, match="at least one stable ingress"):
        make_router(api, [])


# -- annotations --------------------------------------------------------------------------------------------


def test_max_weight_writes_the_weight_total(cluster: FakeKubeAPI, api: KubeAPI) -> None:
    router = make_router(api, max_weight=1000)
    router.set_weight(100)
    found = live_annotations(cluster)
    assert found[WEIGHT] == "100"
    assert found[f"{PREFIX}/canary-weight-total"] == "1000"
    assert router.get_weight() == 100


def test_no_weight_total_without_max_weight(cluster: FakeKubeAPI, api: KubeAPI) -> None:
    make_router(api).set_weight(10)
    assert f"{PREFIX}/canary-weight-total" not in live_annotations(cluster)


def test_weight_above_max_weight_is_refused(cluster: FakeKubeAPI, api: KubeAPI) -> None:
    cluster.clear_requests()
    with pytest.raises(SpecError, match=r"0\.\.50, got 60"):
        make_router(api, max_weight=50).set_weight(60)
    assert writes(cluster) == []


def test_additional_and_canary_annotations(cluster: FakeKubeAPI, api: KubeAPI) -> None:
    router = make_router(
        api,
        additional_annotations={"canary-by-cookie": "beta", "example.com/full-key": "as-is"},
        canary_annotations={"example.com/team": "payments", f"{PREFIX}/canary-by-cookie": "gamma"},
    )
    router.set_weight(10)
    assert live_annotations(cluster) == {
        "kubernetes.io/ingress.class": "nginx",
        f"{PREFIX}/canary-by-cookie": "gamma",  # canaryIngressAnnotations win on a collision
        "example.com/full-key": "as-is",  # already qualified: no prefix added
        "example.com/team": "payments",
        f"{PREFIX}/canary": "true",
        WEIGHT: "10",
        "canarykit.io/rollout": "canary-demo",
    }


def test_custom_annotation_prefix(cluster: FakeKubeAPI, api: KubeAPI) -> None:
    router = make_router(api, annotation_prefix="custom.ingress.io", additional_annotations={"x": "y"})
    router.set_weight(15)
    router.set_header_route("X-Canary", value="yes")
    found = live_annotations(cluster)
    assert found["custom.ingress.io/canary"] == "true"
    assert found["custom.ingress.io/canary-weight"] == "15"
    assert found["custom.ingress.io/x"] == "y"
    assert found["custom.ingress.io/canary-by-header"] == "X-Canary"
    assert found["custom.ingress.io/canary-by-header-value"] == "yes"
    assert not any(key.startswith(f"{PREFIX}/") for key in found)


def test_header_annotations_from_the_spec_survive_every_weight(cluster: FakeKubeAPI, api: KubeAPI) -> None:
    """Argo's only header routing for NGINX: `additionalIngressAnnotations: {canary-by-header: X-Canary}`."""
    router = make_router(api, additional_annotations={"canary-by-header": "X-Static"})
    router.set_weight(10)
    assert live_annotations(cluster)[BY_HEADER] == "X-Static"
    router.set_weight(20)
    router.set_weight(0)
    found = live_annotations(cluster)
    assert found[BY_HEADER] == "X-Static"
    assert BY_VALUE not in found and BY_PATTERN not in found

    router.set_header_route("X-Canary", value="yes")  # a SetHeaderRoute step takes over for a while
    assert {key: live_annotations(cluster).get(key) for key in HEADER_KEYS} == {
        BY_HEADER: "X-Canary",
        BY_VALUE: "yes",
        BY_PATTERN: None,
    }
    router.remove_header_routes()  # then the spec's own route is back
    assert {key: live_annotations(cluster).get(key) for key in HEADER_KEYS} == {
        BY_HEADER: "X-Static",
        BY_VALUE: None,
        BY_PATTERN: None,
    }


# -- header routes ------------------------------------------------------------------------------------------


def header_annotations(cluster: FakeKubeAPI) -> dict[str, str]:
    return {key: value for key, value in live_annotations(cluster).items() if key in HEADER_KEYS}


def test_set_header_route_adds_the_by_header_annotations(cluster: FakeKubeAPI, api: KubeAPI) -> None:
    router = make_router(api)
    router.set_weight(20)
    cluster.clear_requests()

    router.set_header_route("X-Canary", value="yes")

    assert header_annotations(cluster) == {BY_HEADER: "X-Canary", BY_VALUE: "yes"}
    assert live_annotations(cluster)[WEIGHT] == "20"  # the weight is left as it was
    assert writes(cluster) == [("PATCH", CANARY_PATH, MERGE_PATCH)]


def test_header_route_without_value_uses_always_never(cluster: FakeKubeAPI, api: KubeAPI) -> None:
    router = make_router(api)
    router.set_weight(5)
    router.set_header_route("X-Canary")
    assert header_annotations(cluster) == {BY_HEADER: "X-Canary"}


def test_switching_from_value_to_pattern_removes_the_value(cluster: FakeKubeAPI, api: KubeAPI) -> None:
    router = make_router(api)
    router.set_weight(20)
    router.set_header_route("X-Canary", value="yes")
    router.set_header_route("X-Region", pattern="^(eu|us)-[a-z]+$")
    assert header_annotations(cluster) == {BY_HEADER: "X-Region", BY_PATTERN: "^(eu|us)-[a-z]+$"}
    router.set_header_route("X-Canary", value="yes")  # and back
    assert header_annotations(cluster) == {BY_HEADER: "X-Canary", BY_VALUE: "yes"}


def test_header_route_is_kept_by_later_weights(cluster: FakeKubeAPI, api: KubeAPI) -> None:
    router = make_router(api)
    router.set_weight(20)
    router.set_header_route("X-Canary", value="yes")
    router.set_weight(40)
    assert header_annotations(cluster) == {BY_HEADER: "X-Canary", BY_VALUE: "yes"}
    assert live_annotations(cluster)[WEIGHT] == "40"


def test_remove_header_routes_removes_them_all(cluster: FakeKubeAPI, api: KubeAPI) -> None:
    router = make_router(api)
    router.set_weight(40)
    router.set_header_route("X-Region", pattern="^eu-")
    router.remove_header_routes()
    assert header_annotations(cluster) == {}
    found = live_annotations(cluster)
    assert found[WEIGHT] == "40" and found[f"{PREFIX}/canary"] == "true"
    router.set_weight(60)
    assert header_annotations(cluster) == {}


def test_header_route_at_weight_zero_creates_the_canary(cluster: FakeKubeAPI, api: KubeAPI) -> None:
    """Header routing beats the weight: a route before any SetWeight still needs the canary Ingress."""
    router = make_router(api)
    router.set_header_route("X-Canary", value="yes")
    found = live_annotations(cluster)
    assert found[WEIGHT] == "0"
    assert found[BY_HEADER] == "X-Canary" and found[BY_VALUE] == "yes"
    assert BY_PATTERN not in found  # a created object holds no null annotations


@pytest.mark.parametrize(
    ("header", "match"),
    [
        ("X_Canary", "nginx ignores header names"),  # a valid HTTP token, but dropped by nginx
        ("X.Canary", "nginx ignores header names"),
        ("X Canary", "not a valid HTTP header name"),
        ("", "not a valid HTTP header name"),
    ],
)
def test_check_header_route_refuses_what_nginx_cannot_use(
    cluster: FakeKubeAPI, api: KubeAPI, header: str, match: str
) -> None:
    cluster.clear_requests()
    router = make_router(api)
    with pytest.raises(SpecError, match=match):
        router.check_header_route(header)
    with pytest.raises(SpecError, match=match):
        router.set_header_route(header, value="yes")
    assert writes(cluster) == []


def test_check_header_route_refuses_bad_values_and_patterns(cluster: FakeKubeAPI, api: KubeAPI) -> None:
    router = make_router(api)
    cluster.clear_requests()
    with pytest.raises(SpecError, match="at most one"):
        router.check_header_route("X-Canary", value="yes", pattern="^y")
    with pytest.raises(SpecError, match="not a valid regex"):
        router.check_header_route("X-Canary", pattern="(unclosed")
    with pytest.raises(SpecError, match="only accepts"):
        router.check_header_route("X-Canary", value="a,b")
    router.check_header_route("X-Canary", pattern="^(a|b)$")  # fine
    router.check_header_route("X-Canary", value="yes")
    assert cluster.requests == []  # checking never talks to the cluster


def test_a_refused_header_route_leaves_the_current_one(cluster: FakeKubeAPI, api: KubeAPI) -> None:
    router = make_router(api)
    router.set_weight(10)
    router.set_header_route("X-Canary", value="yes")
    with pytest.raises(SpecError):
        router.set_header_route("X_Bad")
    router.set_weight(20)
    assert header_annotations(cluster) == {BY_HEADER: "X-Canary", BY_VALUE: "yes"}


# -- the end of a rollout -----------------------------------------------------------------------------------


def test_finish_keeps_the_canary_ingress_at_weight_zero(cluster: FakeKubeAPI, api: KubeAPI) -> None:
    router = make_router(api)
    router.set_weight(30)
    router.set_weight(0)
    cluster.clear_requests()

    router.finish()

    assert writes(cluster) == []
    assert live_annotations(cluster)[WEIGHT] == "0"
    assert router.get_weight() == 0


def test_finish_deletes_the_canaries_when_asked(cluster: FakeKubeAPI, api: KubeAPI) -> None:
    seed_stable(cluster, "canary-demo-admin", "admin.example.com")
    router = make_router(api, ["canary-demo", "canary-demo-admin"], delete_on_complete=True)
    router.set_weight(30)
    router.set_weight(0)
    cluster.clear_requests()

    router.finish()

    assert [(method, path) for method, path, _ in writes(cluster)] == [
        ("DELETE", CANARY_PATH),
        ("DELETE", f"{COLLECTION}/canary-demo-canary-demo-admin-canary"),
    ]
    assert cluster.get("ingresses", "default", CANARY) is None
    assert cluster.get("ingresses", "default", "canary-demo-canary-demo-admin-canary") is None
    assert live(cluster, "canary-demo")["metadata"]["name"] == "canary-demo"  # stable Ingresses stay
    assert live(cluster, "canary-demo-admin")["metadata"]["name"] == "canary-demo-admin"
    assert router.get_weight() == 0


def test_finish_with_no_canary_does_nothing(cluster: FakeKubeAPI, api: KubeAPI) -> None:
    cluster.clear_requests()
    make_router(api, delete_on_complete=True).finish()
    make_router(api).finish()
    assert writes(cluster) == []


# -- API faults ---------------------------------------------------------------------------------------------


def test_a_server_error_on_create_surfaces_as_kubernetes_error(cluster: FakeKubeAPI, api: KubeAPI) -> None:
    cluster.fail_next(status=500, method="POST")
    with pytest.raises(KubernetesError) as caught:
        make_router(api).set_weight(20)
    assert caught.value.status == 500
    assert not caught.value.conflict
    assert cluster.get("ingresses", "default", CANARY) is None
    make_router(api).set_weight(20)  # the fault was one-off: a retry works
    assert live_annotations(cluster)[WEIGHT] == "20"


def test_a_server_error_on_patch_leaves_the_weight(cluster: FakeKubeAPI, api: KubeAPI) -> None:
    router = make_router(api)
    router.set_weight(20)
    cluster.fail_next(status=500, method="PATCH", path=CANARY_PATH)
    with pytest.raises(KubernetesError) as caught:
        router.set_weight(40)
    assert caught.value.status == 500
    assert router.get_weight() == 20
    router.set_weight(40)
    assert router.get_weight() == 40


def test_a_server_error_on_read_surfaces_as_kubernetes_error(cluster: FakeKubeAPI, api: KubeAPI) -> None:
    cluster.fail_next(status=503, method="GET", path=CANARY_PATH)
    cluster.clear_requests()
    with pytest.raises(KubernetesError) as caught:
        make_router(api).set_weight(20)
    assert caught.value.status == 503
    assert writes(cluster) == []  # an unreadable canary is never blindly created


def test_conflict_on_create_is_handled_by_rereading(cluster: FakeKubeAPI, api: KubeAPI) -> None:
    cluster.fail_next(status=409, method="POST")
    cluster.clear_requests()

    make_router(api).set_weight(20)

    assert [(method, path) for method, path, _ in cluster.requests] == [
        ("GET", f"{COLLECTION}/canary-demo"),
        ("GET", CANARY_PATH),
        ("POST", COLLECTION),  # 409
        ("GET", CANARY_PATH),  # re-read: not there (any more), so it is created after all
        ("POST", COLLECTION),
    ]
    assert live_annotations(cluster)[WEIGHT] == "20"


def test_a_racing_create_is_reread_and_patched(cluster: FakeKubeAPI, api: KubeAPI) -> None:
    """Another writer created the canary between our read and our create: AlreadyExists, re-read, patch."""
    seeded = seed_canary(cluster, {"canarykit.io/rollout": "canary-demo", WEIGHT: "5", "example.com/n": "1"})
    cluster.fail_next(status=404, method="GET", path=CANARY_PATH)  # our first read misses it
    cluster.clear_requests()

    make_router(api).set_weight(20)

    assert [(method, path) for method, path, _ in cluster.requests] == [
        ("GET", f"{COLLECTION}/canary-demo"),
        ("GET", CANARY_PATH),  # 404 (stale)
        ("POST", COLLECTION),  # 409 AlreadyExists from the server
        ("GET", CANARY_PATH),
        ("PATCH", CANARY_PATH),
    ]
    canary = live(cluster)
    assert canary["metadata"]["uid"] == seeded["metadata"]["uid"]
    assert canary["metadata"]["annotations"][WEIGHT] == "20"
    assert canary["metadata"]["annotations"]["example.com/n"] == "1"
    assert canary["spec"]["rules"] == CANARY_RULES


def test_a_racing_create_by_another_controller_is_refused(cluster: FakeKubeAPI, api: KubeAPI) -> None:
    before = seed_canary(cluster, {WEIGHT: "5"}, [CONTROLLER_REF])
    cluster.fail_next(status=404, method="GET", path=CANARY_PATH)
    with pytest.raises(RoutingError) as caught:
        make_router(api).set_weight(20)
    assert str(caught.value) == FOREIGN
    assert live(cluster) == before


def test_repeated_conflicts_on_create_give_up(cluster: FakeKubeAPI, api: KubeAPI) -> None:
    cluster.fail_next(count=2, status=409, method="POST")
    with pytest.raises(KubernetesError) as caught:
        make_router(api).set_weight(20)
    assert caught.value.status == 409 and caught.value.conflict
    assert cluster.get("ingresses", "default", CANARY) is None


# -- check() ------------------------------------------------------------------------------------------------


def test_check_validates_without_writing(cluster: FakeKubeAPI, api: KubeAPI) -> None:
    cluster.clear_requests()
    make_router(api).check()
    assert writes(cluster) == []
    assert cluster.get("ingresses", "default", CANARY) is None


def test_check_refuses_a_missing_stable_ingress(cluster: FakeKubeAPI, api: KubeAPI) -> None:
    with pytest.raises(SpecError, match="ingress `nope` not found in namespace default"):
        make_router(api, "nope").check()


def test_stable_ingress_without_a_rule_for_the_stable_service(cluster: FakeKubeAPI, api: KubeAPI) -> None:
    seed_stable(cluster, "canary-demo", HOST, service="something-else")
    cluster.clear_requests()
    router = make_router(api)
    message = "ingress `canary-demo` has no rules using service canary-demo backend"
    with pytest.raises(SpecError, match=message):
        router.check()
    with pytest.raises(SpecError, match=message):
        router.set_weight(10)
    assert writes(cluster) == []


def test_the_canary_ingress_is_built_from_a_private_copy(cluster: FakeKubeAPI, api: KubeAPI) -> None:
    """Weights applied in a row never leak one call's annotations into the next (no shared dicts)."""
    router = make_router(api, canary_annotations={"example.com/a": "1"})
    router.set_weight(10)
    first = copy.deepcopy(live(cluster))
    router.set_header_route("X-Canary", value="yes")
    router.remove_header_routes()
    router.set_weight(10)
    assert live(cluster)["metadata"]["annotations"] == first["metadata"]["annotations"]
    assert router.canary_annotations == {"example.com/a": "1"}
