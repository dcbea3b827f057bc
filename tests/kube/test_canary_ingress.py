"""The ingress-nginx canary Ingress, checked against Argo Rollouts' buildCanaryIngress behaviour."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from canarykit.errors import SpecError
from canarykit.kube.canary_ingress import (
    build_canary_ingress,
    canary_ingress_name,
    canary_weight_annotations,
)

PREFIX = "nginx.ingress.kubernetes.io"

# /work/shared/spec/reference-scenario/ingress.yaml, as the API would return it.
REFERENCE_INGRESS: dict[str, Any] = {
    "apiVersion": "networking.k8s.io/v1",
    "kind": "Ingress",
    "metadata": {
        "name": "canary-demo",
        "labels": {"app": "canary-demo"},
        "annotations": {"kubernetes.io/ingress.class": "nginx"},
    },
    "spec": {
        "rules": [
            {
                "host": "progressive-auto-in-k8s.example.com",
                "http": {
                    "paths": [
                        {
                            "path": "/",
                            "pathType": "Prefix",
                            "backend": {"service": {"name": "canary-demo", "port": {"name": "http"}}},
                        }
                    ]
                },
            }
        ],
        "tls": [
            {"hosts": ["progressive-auto-in-k8s.example.com"], "secretName": "progressive-auto-in-k8s-tls"}
        ],
        "ingressClassName": "nginx",
    },
}


def _path(path: str, service: str, port: dict[str, Any] | None = None) -> dict[str, Any]:
    port = port or {"number": 80}
    return {"path": path, "pathType": "Prefix", "backend": {"service": {"name": service, "port": port}}}


def _rule(host: str, *paths: dict[str, Any]) -> dict[str, Any]:
    return {"host": host, "http": {"paths": list(paths)}}


def _ingress(*rules: dict[str, Any], **spec: Any) -> dict[str, Any]:
    meta = {"name": "web", "namespace": "shop"}
    return {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "Ingress",
        "metadata": meta,
        "spec": {"rules": list(rules), **spec},
    }


def _build(ingress: dict[str, Any], weight: int = 10, **kwargs: Any) -> dict[str, Any]:
    return build_canary_ingress(ingress, "app", "stable", "canary", weight, **kwargs)


def test_reference_ingress_gives_exactly_the_expected_canary() -> None:
    result = build_canary_ingress(REFERENCE_INGRESS, "canary-demo", "canary-demo", "canary-demo-canary", 20)
    assert result == {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "Ingress",
        "metadata": {
            "name": "canary-demo-canary-demo-canary",
            "annotations": {
                "kubernetes.io/ingress.class": "nginx",
                "nginx.ingress.kubernetes.io/canary": "true",
                "nginx.ingress.kubernetes.io/canary-weight": "20",
            },
        },
        "spec": {
            "rules": [
                {
                    "host": "progressive-auto-in-k8s.example.com",
                    "http": {
                        "paths": [
                            {
                                "path": "/",
                                "pathType": "Prefix",
                                "backend": {
                                    "service": {"name": "canary-demo-canary", "port": {"name": "http"}}
                                },
                            }
                        ]
                    },
                }
            ],
            "tls": [
                {
                    "hosts": ["progressive-auto-in-k8s.example.com"],
                    "secretName": "progressive-auto-in-k8s-tls",
                }
            ],
            "ingressClassName": "nginx",
        },
    }


def test_only_rules_using_the_stable_service_are_copied() -> None:
    ingress = _ingress(
        _rule("a.example.com", _path("/", "stable")),
        _rule("b.example.com", _path("/", "other")),
        _rule("c.example.com", _path("/api", "stable", {"name": "http"})),
    )
    rules = _build(ingress)["spec"]["rules"]
    assert rules == [
        _rule("a.example.com", _path("/", "canary")),
        _rule("c.example.com", _path("/api", "canary", {"name": "http"})),
    ]


def test_rule_mixing_stable_and_other_paths_keeps_the_other_paths() -> None:
    ingress = _ingress(
        _rule("a.example.com", _path("/", "stable"), _path("/admin", "admin"), _path("/x", "stable"))
    )
    rules = _build(ingress)["spec"]["rules"]
    assert rules == [
        _rule("a.example.com", _path("/", "canary"), _path("/admin", "admin"), _path("/x", "canary"))
    ]


def test_host_only_rules_and_resource_backends_are_skipped() -> None:
    resource = {
        "path": "/static",
        "pathType": "Prefix",
        "backend": {"resource": {"kind": "Bucket", "name": "b"}},
    }
    ingress = _ingress({"host": "bare.example.com"}, _rule("a.example.com", resource, _path("/", "stable")))
    assert _build(ingress)["spec"]["rules"] == [_rule("a.example.com", resource, _path("/", "canary"))]


def test_api_object_keeps_only_tls_class_and_namespace() -> None:
    ingress = _ingress(
        _rule("a.example.com", _path("/", "stable")), tls=[{"secretName": "s"}], ingressClassName="nx"
    )
    ingress["metadata"].update(
        uid="1234",
        resourceVersion="99",
        generation=3,
        creationTimestamp="2024-01-01T00:00:00Z",
        managedFields=[{"manager": "kubectl"}],
        labels={"app": "web"},
        ownerReferences=[{"kind": "Thing", "name": "x"}],
        annotations={
            "kubernetes.io/ingress.class": "nginx-internal",
            f"{PREFIX}/rewrite-target": "/",
            "kubectl.kubernetes.io/last-applied-configuration": "{}",
        },
    )
    ingress["spec"]["defaultBackend"] = {"service": {"name": "stable", "port": {"number": 80}}}
    ingress["status"] = {"loadBalancer": {"ingress": [{"ip": "10.0.0.1"}]}}
    result = _build(ingress)
    assert set(result) == {"apiVersion", "kind", "metadata", "spec"}
    assert result["metadata"] == {
        "name": "app-web-canary",
        "namespace": "shop",
        "annotations": {
            "kubernetes.io/ingress.class": "nginx-internal",
            f"{PREFIX}/canary": "true",
            f"{PREFIX}/canary-weight": "10",
        },
    }
    assert set(result["spec"]) == {"rules", "tls", "ingressClassName"}
    assert result["spec"]["tls"] == [{"secretName": "s"}]
    assert result["spec"]["ingressClassName"] == "nx"


def test_without_tls_class_or_namespace_none_appear() -> None:
    ingress = _ingress(_rule("a.example.com", _path("/", "stable")))
    del ingress["metadata"]["namespace"]
    result = _build(ingress, weight=0)
    assert result["metadata"] == {
        "name": "app-web-canary",
        "annotations": {f"{PREFIX}/canary": "true", f"{PREFIX}/canary-weight": "0"},
    }
    assert result["spec"] == {"rules": [_rule("a.example.com", _path("/", "canary"))]}


def test_additional_annotations_are_prefixed_unless_qualified() -> None:
    additional = {
        "canary-by-header": "X-Canary",
        f"{PREFIX}/canary-by-header-value": "yes",
        "external-dns.alpha.kubernetes.io/exclude": "true",
    }
    annotations = _build(_ingress(_rule("a", _path("/", "stable"))), additional_annotations=additional)[
        "metadata"
    ]["annotations"]
    assert annotations == {
        f"{PREFIX}/canary-by-header": "X-Canary",
        f"{PREFIX}/canary-by-header-value": "yes",
        "external-dns.alpha.kubernetes.io/exclude": "true",
        f"{PREFIX}/canary": "true",
        f"{PREFIX}/canary-weight": "10",
    }


def test_custom_prefix_is_used_for_every_managed_annotation() -> None:
    prefix = "custom.nginx.ingress.kubernetes.io"
    annotations = _build(
        _ingress(_rule("a", _path("/", "stable"))),
        annotation_prefix=prefix,
        additional_annotations={"x": "1"},
    )["metadata"]["annotations"]
    assert annotations == {f"{prefix}/x": "1", f"{prefix}/canary": "true", f"{prefix}/canary-weight": "10"}


def test_canary_annotations_win_over_additional_but_not_over_weight() -> None:
    additional = {"load-balance": "ewma", "canary-weight": "99", "team.io/owner": "a"}
    canary = {f"{PREFIX}/load-balance": "round_robin", "team.io/owner": "b", f"{PREFIX}/canary": "false"}
    annotations = _build(
        _ingress(_rule("a", _path("/", "stable"))),
        additional_annotations=additional,
        canary_annotations=canary,
    )["metadata"]["annotations"]
    assert annotations == {
        f"{PREFIX}/load-balance": "round_robin",
        "team.io/owner": "b",
        f"{PREFIX}/canary": "true",
        f"{PREFIX}/canary-weight": "10",
    }


def test_additional_keys_naming_the_same_annotation_are_rejected() -> None:
    additional = {"canary-by-header": "A", f"{PREFIX}/canary-by-header": "B"}
    with pytest.raises(SpecError, match="both name"):
        _build(_ingress(_rule("a", _path("/", "stable"))), additional_annotations=additional)


def test_max_weight_adds_weight_total() -> None:
    annotations = _build(_ingress(_rule("a", _path("/", "stable"))), weight=250, max_weight=1000)["metadata"][
        "annotations"
    ]
    assert annotations == {
        f"{PREFIX}/canary": "true",
        f"{PREFIX}/canary-weight": "250",
        f"{PREFIX}/canary-weight-total": "1000",
    }


def test_canary_weight_annotations() -> None:
    assert canary_weight_annotations(PREFIX, 100) == {
        f"{PREFIX}/canary": "true",
        f"{PREFIX}/canary-weight": "100",
    }
    assert canary_weight_annotations("p.io", 0, 10) == {
        "p.io/canary": "true",
        "p.io/canary-weight": "0",
        "p.io/canary-weight-total": "10",
    }


@pytest.mark.parametrize(
    ("weight", "max_weight"), [(-1, None), (101, None), (11, 10), (True, None), (2.5, None)]
)
def test_weight_out_of_range_is_rejected(weight: Any, max_weight: int | None) -> None:
    with pytest.raises(SpecError, match=r"canary weight must be an integer in 0\.\.\d+"):
        _build(_ingress(_rule("a", _path("/", "stable"))), weight=weight, max_weight=max_weight)


@pytest.mark.parametrize("max_weight", [0, -5, True])
def test_bad_max_weight_is_rejected(max_weight: Any) -> None:
    with pytest.raises(SpecError, match="max weight must be a positive integer"):
        canary_weight_annotations(PREFIX, 0, max_weight)


@pytest.mark.parametrize("prefix", ["", "nginx.ingress.kubernetes.io/", "Nginx.io", "-a.io", "a b"])
def test_bad_annotation_prefix_is_rejected(prefix: str) -> None:
    with pytest.raises(SpecError, match="invalid annotation prefix"):
        canary_weight_annotations(prefix, 0)


def test_no_rule_using_the_stable_service_gives_argos_error() -> None:
    ingress = _ingress(_rule("a", _path("/", "other")))
    with pytest.raises(SpecError) as caught:
        _build(ingress)
    assert str(caught.value) == "ingress `web` has no rules using service stable backend"


def test_ingress_without_rules_gives_argos_error() -> None:
    ingress = _ingress()
    del ingress["spec"]["rules"]
    with pytest.raises(SpecError, match=r"^ingress `web` has no rules using service stable backend$"):
        _build(ingress)


@pytest.mark.parametrize(
    ("ingress", "message"),
    [
        ({"spec": {}}, "metadata: expected a mapping"),
        ({"metadata": {"namespace": "x"}, "spec": {}}, "metadata.name: must be a non-empty string, got None"),
        ({"metadata": {"name": "web"}, "spec": {"rules": {"host": "a"}}}, r"spec\.rules: expected a list"),
        ({"metadata": {"name": "web"}, "spec": {"rules": ["a"]}}, r"spec\.rules\[0\]: expected a mapping"),
        ({"metadata": {"name": "web"}, "spec": None}, "spec: expected a mapping"),
        (
            {"metadata": {"name": "web"}, "spec": {"rules": [{"http": {"paths": "x"}}]}},
            r"spec\.rules\[0\]\.http\.paths: expected a list",
        ),
    ],
)
def test_malformed_ingress_is_rejected(ingress: dict[str, Any], message: str) -> None:
    with pytest.raises(SpecError, match=message):
        _build(ingress)


def test_empty_service_names_are_rejected() -> None:
    with pytest.raises(SpecError, match="canary_service: must be a non-empty string"):
        build_canary_ingress(REFERENCE_INGRESS, "r", "canary-demo", "", 0)


def test_legacy_backend_shape_is_read_and_kept() -> None:
    legacy_path = {"path": "/", "backend": {"serviceName": "stable", "servicePort": 80}}
    ingress = {
        "apiVersion": "extensions/v1beta1",
        "kind": "Ingress",
        "metadata": {"name": "web"},
        "spec": {
            "rules": [{"host": "a", "http": {"paths": [legacy_path, {"backend": {"serviceName": "x"}}]}}]
        },
    }
    result = _build(ingress)
    assert result["apiVersion"] == "extensions/v1beta1"
    assert result["spec"]["rules"] == [
        {
            "host": "a",
            "http": {
                "paths": [
                    {"path": "/", "backend": {"serviceName": "canary", "servicePort": 80}},
                    {"backend": {"serviceName": "x"}},
                ]
            },
        }
    ]


def test_input_is_not_mutated_and_nothing_is_shared() -> None:
    ingress = _ingress(_rule("a", _path("/", "stable"), _path("/o", "other")), tls=[{"hosts": ["a"]}])
    ingress["metadata"]["annotations"] = {"kubernetes.io/ingress.class": "nginx"}
    before = copy.deepcopy(ingress)
    result = _build(ingress)
    assert ingress == before
    result["spec"]["tls"][0]["hosts"].append("b")
    result["spec"]["rules"][0]["http"]["paths"][1]["backend"]["service"]["name"] = "changed"
    assert ingress == before


def test_canary_ingress_name() -> None:
    assert canary_ingress_name("canary-demo", "canary-demo") == "canary-demo-canary-demo-canary"


def test_long_canary_ingress_name_is_trimmed_like_argo() -> None:
    name = canary_ingress_name("r" * 200, "s" * 100)
    assert len(name) == 253
    assert name == "r" * 200 + "-" + "s" * 45 + "-canary"
    assert len(canary_ingress_name("r" * 100, "s" * 145)) == 253  # exactly at the limit: untouched
    assert canary_ingress_name("r" * 100, "s" * 145) == "r" * 100 + "-" + "s" * 145 + "-canary"


def test_long_names_are_trimmed_in_the_built_ingress() -> None:
    ingress = _ingress(_rule("a", _path("/", "stable")))
    ingress["metadata"]["name"] = "w" * 253
    assert _build(ingress)["metadata"]["name"] == "app-" + "w" * 242 + "-canary"


@pytest.mark.parametrize(("rollout", "stable"), [("", "web"), ("app", ""), (None, "web")])
def test_empty_names_are_rejected(rollout: Any, stable: Any) -> None:
    with pytest.raises(SpecError, match="must be a non-empty string"):
        canary_ingress_name(rollout, stable)
