"""Gateway API route functions against argoproj-labs/rollouts-plugin-trafficrouter-gatewayapi behaviour.

Test names `test_go_<Name>` transcribe the plugin's `pkg/plugin/plugin_test.go` cases; the step sequences
compare whole routes with what the plugin's code writes (Go structs serialized with `omitempty`).
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from canarykit.errors import ArgumentError, RoutingError
from canarykit.kube.gateway_header_routes import add_header_route, header_matches, remove_header_routes
from canarykit.kube.gateway_routes import (
    IN_PROGRESS_LABEL_KEY,
    ensure_in_progress_label,
    is_managed_rule_name,
    read_canary_weight,
    set_canary_weight,
)

DATA = Path(__file__).resolve().parent.parent / "data" / "gateway_api"
STABLE, CANARY = "argo-rollouts-stable-service", "argo-rollouts-canary-service"
MANAGED = "test-header-route"
X_CANARY = [{"headerName": "X-Canary", "headerValue": {"exact": "true"}}]


def load(name: str) -> dict[str, Any]:
    """A route from tests/data/gateway_api."""
    route: dict[str, Any] = yaml.safe_load((DATA / name).read_text())
    return route


def ref(name: str, weight: int | None = None, port: int = 80) -> dict[str, Any]:
    """A backendRef dict."""
    result: dict[str, Any] = {"name": name, "port": port}
    if weight is not None:
        result["weight"] = weight
    return result


def mock_route(kind: str = "HTTPRoute", rules: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """The plugin's mocks.CreateHTTPRouteWithLabels route: stable 100, canary 0, path prefix `/`."""
    match = {"path": {"type": "PathPrefix", "value": "/"}} if kind == "HTTPRoute" else {}
    rule = {"backendRefs": [ref(STABLE, 100), ref(CANARY, 0)], "matches": [match]}
    return {
        "apiVersion": "gateway.networking.k8s.io/v1",
        "kind": kind,
        "metadata": {"name": "argo-rollouts-http-route", "namespace": "default"},
        "spec": {"rules": rules if rules is not None else [rule]},
    }


def canary_rule(name: str, matches: list[dict[str, Any]]) -> dict[str, Any]:
    """The managed rule the plugin writes (group "" and kind Service set, no weight)."""
    backend = {"group": "", "kind": "Service", "name": CANARY, "port": 80}
    return {"name": name, "matches": matches, "backendRefs": [backend]}


def test_go_SetHTTPRouteWeight() -> None:
    route = set_canary_weight(mock_route(), STABLE, CANARY, 30)
    assert route["spec"]["rules"][0]["backendRefs"] == [ref(STABLE, 70), ref(CANARY, 30)]


def test_go_SetGRPCRouteWeight() -> None:
    route = set_canary_weight(mock_route("GRPCRoute"), STABLE, CANARY, 30)
    assert route["spec"]["rules"][0]["backendRefs"] == [ref(STABLE, 70), ref(CANARY, 30)]


def test_go_SetHTTPRouteWeightAddsAndRemovesLabel() -> None:
    labelled = ensure_in_progress_label(mock_route(), 30)
    assert labelled["metadata"]["labels"] == {IN_PROGRESS_LABEL_KEY: "in-progress"}
    assert "labels" not in ensure_in_progress_label(labelled, 0)["metadata"]  # Go omitempty


def test_in_progress_label_is_configurable_and_can_be_disabled() -> None:
    route = mock_route()
    route["metadata"]["labels"] = {"app": "demo"}
    custom = ensure_in_progress_label(route, 10, key="example.com/canary", value="running")
    assert custom["metadata"]["labels"] == {"app": "demo", "example.com/canary": "running"}
    assert ensure_in_progress_label(route, 10, disabled=True) == route
    assert ensure_in_progress_label(custom, 0, key="example.com/canary")["metadata"]["labels"] == {
        "app": "demo"
    }
    assert ensure_in_progress_label(mock_route(), 0) == mock_route()


def test_go_TestSetWeightPreservesUnmanagedHTTPBackends() -> None:
    route = mock_route(
        rules=[{"backendRefs": [ref(STABLE, 100), ref(CANARY, 0), ref("extra-pipeline-service", 1)]}]
    )
    at_30 = set_canary_weight(route, STABLE, CANARY, 30)
    assert at_30["spec"]["rules"][0]["backendRefs"] == [
        ref(STABLE, 70),
        ref(CANARY, 30),
        ref("extra-pipeline-service", 1),
    ]
    at_0 = set_canary_weight(at_30, STABLE, CANARY, 0)
    assert at_0["spec"]["rules"][0]["backendRefs"][1:] == [ref(CANARY, 0), ref("extra-pipeline-service", 1)]


def test_go_TestGetRouteRuleReturnsErrorWhenBackendNotFound() -> None:
    route = mock_route(rules=[{"backendRefs": [ref(STABLE, 100)]}])
    with pytest.raises(
        RoutingError, match=r'HTTPRoute "default/argo-rollouts-http-route".*argo-rollouts-canary'
    ):
        set_canary_weight(route, STABLE, CANARY, 10)
    with pytest.raises(RoutingError, match="no rule holds backendRefs"):
        add_header_route(route, MANAGED, X_CANARY, STABLE, CANARY)


def test_go_SetWeightDoesNotClobberHTTPHeaderRouteWeight() -> None:
    with_header = add_header_route(mock_route(), MANAGED, X_CANARY, STABLE, CANARY)
    at_0 = set_canary_weight(with_header, STABLE, CANARY, 0, managed_names=[MANAGED])
    assert at_0["spec"]["rules"][0]["backendRefs"] == [ref(STABLE, 100), ref(CANARY, 0)]
    assert "weight" not in at_0["spec"]["rules"][1]["backendRefs"][0]


def test_go_SetHTTPHeaderRoute_and_RemoveHTTPManagedRoutes() -> None:
    route = add_header_route(mock_route(), MANAGED, X_CANARY, STABLE, CANARY)
    headers = [{"name": "X-Canary", "type": "Exact", "value": "true"}]
    match = {"path": {"type": "PathPrefix", "value": "/"}, "headers": headers}
    assert route["spec"]["rules"] == [mock_route()["spec"]["rules"][0], canary_rule(MANAGED, [match])]
    assert remove_header_routes(route, [MANAGED], CANARY) == mock_route()


def test_go_SetGRPCHeaderRouteWithFilters_and_method() -> None:
    filters = [
        {"type": "RequestHeaderModifier", "requestHeaderModifier": {"set": [{"name": "a", "value": "b"}]}}
    ]
    rule = {
        "backendRefs": [ref(STABLE, 100), ref(CANARY, 0)],
        "matches": [
            {"method": {"service": "Greeter", "method": "Hello"}, "headers": [{"name": "env", "value": "x"}]}
        ],
        "filters": filters,
    }
    route = add_header_route(mock_route("GRPCRoute", [rule]), MANAGED, X_CANARY, STABLE, CANARY)
    managed = route["spec"]["rules"][1]
    assert managed["filters"] == filters and managed["filters"] is not rule["filters"]
    assert managed["matches"] == [
        {
            "method": {"service": "Greeter", "method": "Hello"},
            "headers": [
                {"name": "env", "value": "x"},
                {"name": "X-Canary", "type": "Exact", "value": "true"},
            ],
        }
    ]


def test_go_TestSetHTTPHeaderRouteWithExistingQueryParams_and_method() -> None:
    query = [{"type": "Exact", "name": "version", "value": "v2"}]
    rule = {"backendRefs": [ref(STABLE), ref(CANARY)], "matches": [{"queryParams": query, "method": "GET"}]}
    route = add_header_route(mock_route(rules=[rule]), MANAGED, X_CANARY, STABLE, CANARY)
    [match] = route["spec"]["rules"][1]["matches"]
    assert match == {"queryParams": query, "method": "GET", "headers": header_matches(X_CANARY)}


def test_header_match_kinds_prefix_and_regex_and_invalid() -> None:
    matches = [
        {"headerName": "a", "headerValue": {"exact": "1"}},
        {"headerName": "b", "headerValue": {"prefix": "ab"}},
        {"headerName": "c", "headerValue": {"regex": "v[0-9]+"}},
    ]
    assert header_matches(matches) == [
        {"name": "a", "type": "Exact", "value": "1"},
        {"name": "b", "type": "RegularExpression", "value": "ab.*"},
        {"name": "c", "type": "RegularExpression", "value": "v[0-9]+"},
    ]
    with pytest.raises(ArgumentError, match="invalid header match type"):
        header_matches([{"headerName": "a", "headerValue": {}}])


def test_go_TestSetHTTPHeaderRouteNoDuplicateOnRepeatedCall() -> None:
    once = add_header_route(mock_route(), MANAGED, X_CANARY, STABLE, CANARY)
    assert add_header_route(once, MANAGED, X_CANARY, STABLE, CANARY) == once
    twice_removed = remove_header_routes(remove_header_routes(once, [MANAGED], CANARY), [MANAGED], CANARY)
    assert twice_removed == mock_route()


def test_go_TestSetHTTPHeaderRouteTwoDistinctNamesAppendsBoth() -> None:
    first = add_header_route(mock_route(), "route-a", X_CANARY, STABLE, CANARY)
    both = add_header_route(
        first, "route-b", [{"headerName": "X-B", "headerValue": {"exact": "1"}}], STABLE, CANARY
    )
    assert [r.get("name") for r in both["spec"]["rules"]] == [None, "route-a", "route-b"]


def test_go_TestSetHTTPHeaderRouteMultiRuleHTTPRoute() -> None:
    rules = [
        {
            "backendRefs": [ref(STABLE, 100), ref(CANARY, 0)],
            "matches": [{"path": {"type": "PathPrefix", "value": p}}],
        }
        for p in ("/a", "/b")
    ]
    route = add_header_route(mock_route(rules=rules), MANAGED, X_CANARY, STABLE, CANARY)
    managed = route["spec"]["rules"][2:]
    assert [r["name"] for r in managed] == [MANAGED, f"{MANAGED}-1"]
    assert [r["matches"][0]["path"]["value"] for r in managed] == ["/a", "/b"]
    assert is_managed_rule_name(f"{MANAGED}-1", [MANAGED]) and not is_managed_rule_name(
        f"{MANAGED}-x", [MANAGED]
    )


def test_inputs_are_never_mutated() -> None:
    route = mock_route()
    before = copy.deepcopy(route)
    set_canary_weight(route, STABLE, CANARY, 40)
    add_header_route(route, MANAGED, X_CANARY, STABLE, CANARY)
    ensure_in_progress_label(route, 40)
    assert route == before


def test_read_canary_weight_round_trips_and_rejects_disagreeing_rules() -> None:
    route = set_canary_weight(mock_route(), STABLE, CANARY, 35)
    assert read_canary_weight(route, STABLE, CANARY) == 35
    route["spec"]["rules"].append({"backendRefs": [ref(STABLE, 90), ref(CANARY, 10)]})
    with pytest.raises(RoutingError, match="disagree"):
        read_canary_weight(route, STABLE, CANARY)
    with pytest.raises(ArgumentError):
        set_canary_weight(route, STABLE, CANARY, 101)


def test_max_weight_sets_stable_to_max_minus_weight() -> None:
    route = set_canary_weight(mock_route(), STABLE, CANARY, 300, max_weight=1000)
    assert route["spec"]["rules"][0]["backendRefs"] == [ref(STABLE, 700), ref(CANARY, 300)]


def test_shared_example_stepped_20_40_60_80_matches_plugin() -> None:
    route = load("httproute.yml")
    for weight in (20, 40, 60, 80, 0):
        route = ensure_in_progress_label(set_canary_weight(route, STABLE, CANARY, weight), weight)
        expected = load("httproute.yml")
        expected["spec"]["rules"][0]["backendRefs"] = [ref(STABLE, 100 - weight), ref(CANARY, weight)]
        if weight:
            expected["metadata"]["labels"] = {IN_PROGRESS_LABEL_KEY: "in-progress"}
        assert route == expected
        assert read_canary_weight(route, STABLE, CANARY) == weight


@pytest.mark.parametrize(
    ("name", "kind"),
    [("advanced-header-httproute.yaml", "httproute"), ("advanced-header-grpcroute.yaml", "grpcroute")],
)
def test_plugin_e2e_advanced_header_sequence(name: str, kind: str) -> None:
    """Plugin e2e `advanced-header-based-<kind>`: 30, header 1, 60, header 2, 90, cleanup at promotion."""
    stable = f"advanced-header-based-{kind}-stable-service"
    canary = f"advanced-header-based-{kind}-canary-service"
    names = ["canary-route1", "canary-route2"]
    h1 = [{"headerName": "X-Test", "headerValue": {"exact": "test"}}]
    h2 = [{"headerName": "X-Version", "headerValue": {"exact": "v2"}}]
    route = set_canary_weight(load(name), stable, canary, 30, managed_names=names)
    route = add_header_route(route, "canary-route1", h1, stable, canary)
    route = set_canary_weight(route, stable, canary, 60, managed_names=names)
    route = add_header_route(route, "canary-route2", h2, stable, canary)
    route = set_canary_weight(route, stable, canary, 90, managed_names=names)
    backend = {"group": "", "kind": "Service", "name": canary, "port": 80}
    expected = load(name)
    expected["spec"]["rules"] = [
        {"backendRefs": [ref(stable, 10), ref(canary, 90)]},
        {"name": "canary-route1", "matches": [{"headers": header_matches(h1)}], "backendRefs": [backend]},
        {"name": "canary-route2", "matches": [{"headers": header_matches(h2)}], "backendRefs": [backend]},
    ]
    assert route == expected
    cleaned = set_canary_weight(
        remove_header_routes(route, names, canary), stable, canary, 0, managed_names=names
    )
    expected["spec"]["rules"] = [{"backendRefs": [ref(stable, 100), ref(canary, 0)]}]
    assert cleaned == expected


def test_plugin_weights_every_stable_and_canary_ref_even_in_rules_holding_one() -> None:
    """setHTTPRouteWeight sets each named ref in every unmanaged rule, not only rules holding both."""
    rules = [{"backendRefs": [ref(STABLE, 100)]}, {"backendRefs": [ref(STABLE, 100), ref(CANARY, 0)]}]
    route = set_canary_weight(mock_route(rules=rules), STABLE, CANARY, 25)
    assert [r["backendRefs"] for r in route["spec"]["rules"]] == [
        [ref(STABLE, 75)],
        [ref(STABLE, 75), ref(CANARY, 25)],
    ]


def test_legacy_unnamed_canary_only_rule_is_skipped_by_weights_and_removed() -> None:
    """Older plugin versions left rules unnamed: the plugin recognizes them by their canary-only shape."""
    legacy = {"matches": [{"headers": header_matches(X_CANARY)}], "backendRefs": [ref(CANARY)]}
    route = mock_route(rules=[*mock_route()["spec"]["rules"], legacy])
    weighted = set_canary_weight(route, STABLE, CANARY, 50)
    assert weighted["spec"]["rules"][1] == legacy
    assert remove_header_routes(weighted, [], CANARY)["spec"]["rules"] == weighted["spec"]["rules"][:1]
    replaced = add_header_route(route, MANAGED, X_CANARY, STABLE, CANARY)
    assert [r.get("name") for r in replaced["spec"]["rules"]] == [None, MANAGED]
