"""HTTPRoutes and GRPCRoutes written through KubeAPI are checked against the Gateway API v1.6.1 CRD schemas:
structure, defaults and CEL rules, on create, replace, every patch type and status writes."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from canarykit.errors import KubernetesError
from canarykit.kube import KubeAPI, connect
from canarykit.testing.kube import ApiError, FakeKubeAPI

ROOT = Path(__file__).parents[3]
ROUTE_FILES = sorted((ROOT / "tests" / "data" / "gateway_api").rglob("*.y*ml"))
ROUTE_FILES += sorted((ROOT / "examples" / "gateway-api").rglob("*.y*ml"))
PLURALS = {"HTTPRoute": "httproutes", "GRPCRoute": "grpcroutes"}
INVALID_PREFIX = "httproutes '': 422 Invalid: HTTPRoute.gateway.networking.k8s.io \"web\" is invalid: "
Doc = dict[str, Any]


def route_documents() -> list[Any]:
    """Every HTTPRoute and GRPCRoute in the test data and the examples, as pytest params."""
    found = []
    for path in ROUTE_FILES:
        for index, doc in enumerate(yaml.safe_load_all(path.read_text())):
            if isinstance(doc, dict) and doc.get("kind") in PLURALS:
                found.append(pytest.param(doc, id=f"{path.relative_to(ROOT)}#{index}"))
    return found


def http_route(**rule: Any) -> Doc:
    """A valid HTTPRoute `web`: one rule, stable at 100 and canary at 0, extended by `rule`."""
    refs = [{"name": "stable", "port": 80, "weight": 100}, {"name": "canary", "port": 80, "weight": 0}]
    return {
        "apiVersion": "gateway.networking.k8s.io/v1",
        "kind": "HTTPRoute",
        "metadata": {"name": "web", "namespace": "default"},
        "spec": {"parentRefs": [{"name": "gateway"}], "rules": [{"backendRefs": refs, **rule}]},
    }


@pytest.fixture
def kube_api(fake_kube: FakeKubeAPI) -> KubeAPI:
    return connect(host=fake_kube.url, request_timeout=5)


def refused(kube_api: KubeAPI, body: Doc) -> str:
    """The message of the 422 a create of `body` gets."""
    with pytest.raises(KubernetesError) as caught:
        kube_api.create(PLURALS[body["kind"]], "default", body)
    assert (caught.value.status, caught.value.reason) == (422, "Invalid")
    return str(caught.value)


def holds(given: Any, stored: Any) -> bool:
    """True when every field of `given` is in `stored` with the same value (defaults may add fields)."""
    if isinstance(given, dict):
        return isinstance(stored, dict) and all(k in stored and holds(v, stored[k]) for k, v in given.items())
    if isinstance(given, list):
        return isinstance(stored, list) and len(given) == len(stored) and all(map(holds, given, stored))
    return bool(given == stored)


@pytest.mark.parametrize("doc", route_documents())
def test_every_route_of_the_tests_and_examples_is_accepted_as_written(kube_api: KubeAPI, doc: Doc) -> None:
    created = kube_api.create(PLURALS[doc["kind"]], "default", doc)
    assert holds(doc["spec"], created["spec"])


@pytest.mark.parametrize(
    ("weight", "problem"),
    [(-1, "should be greater than or equal to 0"), (1000001, "should be less than or equal to 1000000")],
)
def test_a_weight_out_of_bounds_is_refused_naming_the_field(
    kube_api: KubeAPI, weight: int, problem: str
) -> None:
    body = http_route()
    body["spec"]["rules"][0]["backendRefs"][1]["weight"] = weight
    field = "spec.rules[0].backendRefs[1].weight"
    assert (
        refused(kube_api, body)
        == f"{INVALID_PREFIX}{field}: Invalid value: {weight}: {field} in body {problem}"
    )


def test_an_unknown_field_is_refused_naming_it(kube_api: KubeAPI) -> None:
    body = http_route()
    body["spec"]["rules"][0]["backendRefs"][0]["wieght"] = 100
    message = refused(kube_api, body)
    assert (
        message
        == f"{INVALID_PREFIX}spec.rules[0].backendRefs[0].wieght: Forbidden: field not declared in schema"
    )


def test_a_backend_ref_without_a_name_is_refused(kube_api: KubeAPI) -> None:
    body = http_route()
    del body["spec"]["rules"][0]["backendRefs"][1]["name"]
    assert refused(kube_api, body) == f"{INVALID_PREFIX}spec.rules[0].backendRefs[1].name: Required value"


def test_more_than_sixteen_rules_are_refused(kube_api: KubeAPI) -> None:
    body = http_route()
    body["spec"]["rules"] *= 17
    assert refused(kube_api, body) == f"{INVALID_PREFIX}spec.rules: Too many: 17: must have at most 16 items"


def test_a_header_match_type_outside_the_enum_is_refused(kube_api: KubeAPI) -> None:
    body = http_route(matches=[{"headers": [{"name": "X-Canary", "value": "on", "type": "Prefix"}]}])
    field = "spec.rules[0].matches[0].headers[0].type"
    expected = f'{field}: Unsupported value: "Prefix": supported values: "Exact", "RegularExpression"'
    assert refused(kube_api, body) == INVALID_PREFIX + expected


def test_a_bad_path_type_is_refused(kube_api: KubeAPI) -> None:
    body = http_route(matches=[{"path": {"type": "Regex", "value": "/api"}}])
    field = "spec.rules[0].matches[0].path.type"
    expected = (
        f'{field}: Unsupported value: "Regex": supported values: "Exact", "PathPrefix", "RegularExpression"'
    )
    assert refused(kube_api, body) == INVALID_PREFIX + expected


def test_several_problems_are_all_named(kube_api: KubeAPI) -> None:
    body = http_route()
    body["spec"]["rules"][0]["backendRefs"][0]["weight"] = "100"
    body["spec"]["hostnames"] = ["Shop.Example.com"]
    message = refused(kube_api, body)
    assert message.startswith(INVALID_PREFIX + "[") and message.endswith("]")
    assert (
        'spec.hostnames[0]: Invalid value: "Shop.Example.com": spec.hostnames[0] in body should match'
        in message
    )
    weight = "spec.rules[0].backendRefs[0].weight"
    assert f'{weight}: Invalid value: "string": {weight} in body must be of type integer: "string"' in message


@pytest.mark.parametrize(
    ("rule", "field", "message"),
    [
        (
            {"matches": [{"path": {"type": "PathPrefix", "value": "api"}}]},
            "spec.rules[0].matches[0].path",
            "value must be an absolute path and start with '/' when type one of ['Exact', 'PathPrefix']",
        ),
        (
            {"matches": [{"path": {"type": "Exact", "value": "/a//b"}}]},
            "spec.rules[0].matches[0].path",
            "must not contain '//' when type one of ['Exact', 'PathPrefix']",
        ),
        (
            {"filters": [{"type": "RequestHeaderModifier"}]},
            "spec.rules[0].filters[0]",
            "filter.requestHeaderModifier must be specified for RequestHeaderModifier filter.type",
        ),
        (
            {"timeouts": {"request": "5s", "backendRequest": "10s"}},
            "spec.rules[0].timeouts",
            "backendRequest timeout cannot be longer than request timeout",
        ),
    ],
)
def test_the_crds_cel_rules_are_enforced(kube_api: KubeAPI, rule: Doc, field: str, message: str) -> None:
    assert (
        refused(kube_api, http_route(**rule))
        == f'{INVALID_PREFIX}{field}: Invalid value: "object": {message}'
    )


def test_a_service_backend_ref_needs_a_port(kube_api: KubeAPI) -> None:
    body = http_route()
    del body["spec"]["rules"][0]["backendRefs"][1]["port"]
    expected = 'spec.rules[0].backendRefs[1]: Invalid value: "object": Must have port for Service reference'
    assert refused(kube_api, body) == INVALID_PREFIX + expected


def test_two_parent_refs_to_one_gateway_need_section_names(kube_api: KubeAPI) -> None:
    body = http_route()
    body["spec"]["parentRefs"] = [{"name": "gateway"}, {"name": "gateway"}]
    message = refused(kube_api, body)
    assert message.startswith(f'{INVALID_PREFIX}spec.parentRefs: Invalid value: "array": sectionName must be')


def test_a_grpc_method_match_needs_a_service_or_a_method(kube_api: KubeAPI) -> None:
    body = http_route(matches=[{"method": {"type": "Exact"}}])
    body["kind"] = "GRPCRoute"
    message = refused(kube_api, body)
    field = "spec.rules[0].matches[0].method"
    assert message.endswith(
        f"{field}: Invalid value: \"object\": One or both of 'service' or 'method' must be specified"
    )
    assert message.startswith(
        "grpcroutes '': 422 Invalid: GRPCRoute.gateway.networking.k8s.io \"web\" is invalid"
    )


def test_the_crds_defaults_are_applied_on_create(kube_api: KubeAPI) -> None:
    body = http_route(matches=[{"headers": [{"name": "X-Canary", "value": "on"}]}, {}])
    del body["spec"]["rules"][0]["backendRefs"][0]["weight"]
    body["spec"]["rules"].append({"backendRefs": [{"name": "stable", "port": 80}]})

    created = kube_api.create("httproutes", "default", body)

    spec = created["spec"]
    assert spec["parentRefs"] == [
        {"name": "gateway", "group": "gateway.networking.k8s.io", "kind": "Gateway"}
    ]
    first, second = spec["rules"]
    assert first["backendRefs"][0] == {
        "name": "stable",
        "port": 80,
        "weight": 1,
        "group": "",
        "kind": "Service",
    }
    assert first["matches"] == [
        {
            "headers": [{"name": "X-Canary", "value": "on", "type": "Exact"}],
            "path": {"type": "PathPrefix", "value": "/"},
        },
        {"path": {"type": "PathPrefix", "value": "/"}},
    ]
    assert second["matches"] == [{"path": {"type": "PathPrefix", "value": "/"}}]


def test_grpc_route_defaults(kube_api: KubeAPI) -> None:
    body = http_route(
        matches=[{"method": {"service": "shop.Cart"}, "headers": [{"name": "x-canary", "value": "1"}]}]
    )
    body["kind"] = "GRPCRoute"

    created = kube_api.create("grpcroutes", "default", body)

    match = created["spec"]["rules"][0]["matches"][0]
    assert match == {
        "method": {"service": "shop.Cart", "type": "Exact"},
        "headers": [{"name": "x-canary", "value": "1", "type": "Exact"}],
    }


def test_a_null_field_is_dropped_then_defaulted_as_the_api_server_does(kube_api: KubeAPI) -> None:
    body = http_route()
    body["spec"]["rules"][0]["backendRefs"][1]["weight"] = None
    created = kube_api.create("httproutes", "default", body)
    assert created["spec"]["rules"][0]["backendRefs"][1]["weight"] == 1


def test_a_valid_patch_of_each_type_is_stored(kube_api: KubeAPI, fake_kube: FakeKubeAPI) -> None:
    kube_api.create("httproutes", "default", http_route())
    kube_api.patch(
        "httproutes",
        "default",
        "web",
        [{"op": "replace", "path": "/spec/rules/0/backendRefs/1/weight", "value": 20}],
        "json",
    )
    kube_api.patch(
        "httproutes",
        "default",
        "web",
        {"metadata": {"labels": {"rollouts.argoproj.io/gatewayapi-canary": "in-progress"}}},
    )
    kube_api.patch("httproutes", "default", "web", {"spec": {"hostnames": ["shop.example.com"]}}, "strategic")

    stored = fake_kube.get("httproutes", "default", "web")
    assert stored is not None
    assert stored["spec"]["rules"][0]["backendRefs"][1]["weight"] == 20
    assert stored["spec"]["hostnames"] == ["shop.example.com"]
    assert stored["metadata"]["labels"] == {"rollouts.argoproj.io/gatewayapi-canary": "in-progress"}


@pytest.mark.parametrize(
    ("patch", "patch_type", "field"),
    [
        (
            [{"op": "replace", "path": "/spec/rules/0/backendRefs/1/weight", "value": -5}],
            "json",
            "spec.rules[0].backendRefs[1].weight",
        ),
        (
            {"spec": {"rules": [{"backendRefs": [{"port": 80}]}]}},
            "merge",
            "spec.rules[0].backendRefs[0].name",
        ),
        (
            {"spec": {"rules": [{"backendRefs": [{"name": "canary", "port": 80, "weigth": 5}]}]}},
            "strategic",
            "spec.rules[0].backendRefs[0].weigth",
        ),
        (
            {"metadata": {"labels": {"rollouts.argoproj.io/gatewayapi-canary": "in progress"}}},
            "merge",
            "metadata.labels",
        ),
    ],
)
def test_a_patch_making_the_route_invalid_is_refused_and_changes_nothing(
    kube_api: KubeAPI, fake_kube: FakeKubeAPI, patch: Any, patch_type: str, field: str
) -> None:
    kube_api.create("httproutes", "default", http_route())
    before = fake_kube.get("httproutes", "default", "web")

    with pytest.raises(KubernetesError) as caught:
        kube_api.patch("httproutes", "default", "web", patch, patch_type)

    assert caught.value.status == 422
    assert f"is invalid: {field}: " in str(caught.value)
    assert fake_kube.get("httproutes", "default", "web") == before


def test_an_invalid_replace_is_refused_and_changes_nothing(kube_api: KubeAPI, fake_kube: FakeKubeAPI) -> None:
    created = kube_api.create("httproutes", "default", http_route())
    changed = copy.deepcopy(created)
    changed["spec"]["rules"][0]["backendRefs"][1]["weight"] = 1000001

    with pytest.raises(KubernetesError) as caught:
        kube_api.replace("httproutes", "default", "web", changed)

    assert caught.value.status == 422
    assert fake_kube.get("httproutes", "default", "web") == created


def test_a_status_write_is_validated_too(kube_api: KubeAPI, fake_kube: FakeKubeAPI) -> None:
    created = kube_api.create("httproutes", "default", http_route())
    parent = {
        "parentRef": {"name": "gateway"},
        "controllerName": "gateway.nginx.org/nginx-gateway-controller",
    }
    condition = {
        "type": "Accepted",
        "status": "True",
        "reason": "Accepted",
        "message": "",
        "lastTransitionTime": "2026-01-02T03:04:05Z",
    }
    good = {**created, "status": {"parents": [{**parent, "conditions": [condition]}]}}
    written = kube_api.replace("httproutes", "default", "web/status", good)
    assert holds(good["status"], written["status"])  # parentRef group and kind defaulted
    bad = copy.deepcopy(written)
    bad["status"]["parents"][0]["conditions"][0]["status"] = "Yes"

    with pytest.raises(KubernetesError) as caught:
        kube_api.replace("httproutes", "default", "web/status", bad)

    assert 'status.parents[0].conditions[0].status: Unsupported value: "Yes"' in str(caught.value)
    stored = fake_kube.get("httproutes", "default", "web")
    assert stored is not None and stored["status"] == written["status"]


def test_seeding_an_invalid_route_is_refused_with_the_fakes_api_error(fake_kube: FakeKubeAPI) -> None:
    body = http_route()
    body["spec"]["rules"][0]["backendRefs"][0]["weight"] = -1
    with pytest.raises(ApiError) as caught:
        fake_kube.put(body)
    assert (caught.value.code, caught.value.reason) == (422, "Invalid")
    assert fake_kube.get("httproutes", "default", "web") is None


def test_without_validation_a_route_is_stored_as_given() -> None:
    body = http_route()
    body["spec"]["rules"][0]["backendRefs"][0] = {"name": "stable", "weight": -1, "extra": True}
    with FakeKubeAPI(validate=False) as lax:
        created = connect(host=lax.url, request_timeout=5).create("httproutes", "default", body)
    assert created["spec"] == body["spec"]


def test_a_replace_without_the_defaulted_fields_does_not_change_the_generation(kube_api: KubeAPI) -> None:
    """Defaults are applied before the spec is compared, as the server defaults a body when decoding it."""
    body = http_route()
    del body["spec"]["rules"][0]["backendRefs"][0]["weight"]
    created = kube_api.create("httproutes", "default", body)
    again = copy.deepcopy(body)
    again["metadata"]["resourceVersion"] = created["metadata"]["resourceVersion"]

    replaced = kube_api.replace("httproutes", "default", "web", again)

    assert replaced["spec"] == created["spec"]
    assert replaced["metadata"]["generation"] == created["metadata"]["generation"] == 1
