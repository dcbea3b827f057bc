"""GatewayAPIRouter header routes (the plugin's SetHeaderRoute / RemoveManagedRoutes) on the fake API.

The sequences follow the plugin's e2e tests `advanced-header-based-httproute` and `-grpcroute` (commit
96c63fd, test/e2e/chainsaw): two header routes added at weights 30 and 60, untouched at 90, gone at the end.
Expected documents are the plugin's, stored through the same server (its CRD defaults filled in).
"""

from __future__ import annotations

from typing import Any

import pytest
from gateway_router_support import (
    CANARY,
    IN_PROGRESS,
    STABLE,
    create,
    load,
    refs,
    route_doc,
    router,
    server_form,
    state,
    stored,
    weights,
    writes,
)

from canarykit.errors import RoutingError, SpecError
from canarykit.kube import KubeAPI
from canarykit.kube.gateway_router import GatewayAPIRouter, GatewayRoute
from canarykit.rollout.orchestrator import Rollout
from canarykit.steps import HeaderMatch, Pause, SetHeaderRoute, SetWeight, Step
from canarykit.testing import FakeClock, FakeKubeAPI, InMemoryWorkload

Doc = dict[str, Any]
ROOT = {"path": {"type": "PathPrefix", "value": "/"}}  # the HTTPRoute CRD's default match
MANAGED = ("canary-route1", "canary-route2")
X_TEST = {"name": "X-Test", "type": "Exact", "value": "test"}
X_VERSION = {"name": "X-Version", "type": "Exact", "value": "v2"}


def example(kind: str) -> tuple[str, str, str]:
    """The advanced-header example's route name and Services for `kind`."""
    short = "httproute" if kind == "HTTPRoute" else "grpcroute"
    prefix = f"advanced-header-based-{short}"
    return f"{short}-header-advanced", f"{prefix}-stable-service", f"{prefix}-canary-service"


def header_rule(name: str, canary: str, headers: list[Doc], http: bool, port: int = 80) -> Doc:
    """A managed rule as the plugin writes it: the canary alone (group "", kind Service)."""
    match = {**ROOT, "headers": headers} if http else {"headers": headers}
    backend = {"group": "", "kind": "Service", "name": canary, "port": port}
    return {"name": name, "matches": [match], "backendRefs": [backend]}


@pytest.mark.parametrize("kind", ["HTTPRoute", "GRPCRoute"])
def test_the_plugins_advanced_header_example_step_by_step(
    cluster: FakeKubeAPI, api: KubeAPI, kind: str
) -> None:
    doc = load(f"advanced-header-{kind.lower()}.yaml")
    create(api, doc)
    name, stable, canary = example(kind)
    gateway = GatewayAPIRouter(
        api, stable, canary, [GatewayRoute(kind, name, use_header_routes=True)], managed_routes=MANAGED
    )
    gateway.check()
    http = kind == "HTTPRoute"
    source = doc["spec"]["rules"][0]

    def expect(stable_weight: int, canary_weight: int, *managed: Doc) -> None:
        weighted = {**source, "backendRefs": [{**source["backendRefs"][0], "weight": stable_weight}]}
        weighted["backendRefs"].append({**source["backendRefs"][1], "weight": canary_weight})
        spec = {**doc["spec"], "rules": [weighted, *managed]}
        labels = IN_PROGRESS if canary_weight else {}
        assert state(stored(cluster, kind, name)) == server_form(api, kind, spec, labels)

    first = header_rule("canary-route1", canary, [X_TEST], http)
    second = header_rule("canary-route2", canary, [X_VERSION], http)
    gateway.set_weight(30)
    gateway.set_header_matches("canary-route1", (HeaderMatch("X-Test", exact="test"),))
    expect(70, 30, first)
    gateway.set_weight(60)
    gateway.set_header_matches("canary-route2", (HeaderMatch("X-Version", exact="v2"),))
    expect(40, 60, first, second)
    gateway.set_weight(90)
    expect(10, 90, first, second)  # header rules keep their single canary backendRef (plugin issue #158)
    gateway.remove_header_routes()
    gateway.set_weight(0)
    expect(100, 0)


def test_setting_a_header_route_again_replaces_its_rules(cluster: FakeKubeAPI, api: KubeAPI) -> None:
    create(api, route_doc("HTTPRoute", "r", [{"backendRefs": refs()}]))
    gateway = router(api, GatewayRoute("HTTPRoute", "r", use_header_routes=True), managed_routes=MANAGED)
    gateway.set_header_matches("canary-route1", (HeaderMatch("X-Test", exact="test"),))
    gateway.set_header_matches(
        "canary-route1", (HeaderMatch("X-Test", prefix="te"), HeaderMatch("X-B", regex="b+"))
    )
    rules = stored(cluster, "HTTPRoute", "r")["spec"]["rules"]
    assert [rule.get("name") for rule in rules] == [None, "canary-route1"]
    assert rules[1]["matches"][0]["headers"] == [
        {"name": "X-Test", "type": "RegularExpression", "value": "te.*"},
        {"name": "X-B", "type": "RegularExpression", "value": "b+"},
    ]


def test_no_matches_removes_every_managed_rule(cluster: FakeKubeAPI, api: KubeAPI) -> None:
    create(api, route_doc("GRPCRoute", "g", [{"backendRefs": refs()}]))
    gateway = router(api, GatewayRoute("GRPCRoute", "g", use_header_routes=True), managed_routes=MANAGED)
    gateway.set_header_matches("canary-route1", (HeaderMatch("X-Test", exact="test"),))
    gateway.set_header_matches("canary-route2", (HeaderMatch("X-Version", exact="v2"),))
    assert len(stored(cluster, "GRPCRoute", "g")["spec"]["rules"]) == 3
    gateway.set_header_matches("canary-route2", ())
    assert weights(stored(cluster, "GRPCRoute", "g")) == [[(STABLE, 1), (CANARY, 1)]]  # the CRD's defaults


def test_one_managed_rule_per_source_rule(cluster: FakeKubeAPI, api: KubeAPI) -> None:
    paths = [{"path": {"type": "PathPrefix", "value": p}} for p in ("/a", "/b")]
    create(api, route_doc("HTTPRoute", "r", [{"matches": [m], "backendRefs": refs()} for m in paths]))
    gateway = router(api, GatewayRoute("HTTPRoute", "r", use_header_routes=True), managed_routes=MANAGED)
    gateway.set_header_matches("canary-route1", (HeaderMatch("X-Test", exact="test"),))
    gateway.set_weight(20)
    rules = stored(cluster, "HTTPRoute", "r")["spec"]["rules"]
    assert [rule.get("name") for rule in rules] == [None, None, "canary-route1", "canary-route1-1"]
    assert [rule["matches"][0]["path"]["value"] for rule in rules] == ["/a", "/b", "/a", "/b"]
    assert weights(stored(cluster, "HTTPRoute", "r"))[:2] == [[(STABLE, 80), (CANARY, 20)]] * 2


def test_the_simple_form_goes_under_the_first_managed_route(cluster: FakeKubeAPI, api: KubeAPI) -> None:
    create(api, route_doc("HTTPRoute", "r", [{"backendRefs": refs()}]))
    gateway = router(api, GatewayRoute("HTTPRoute", "r", use_header_routes=True), managed_routes=MANAGED)
    cluster.clear_requests()
    gateway.check_header_route("X-Canary", value="yes")
    assert cluster.requests == []
    gateway.set_header_route("X-Canary", value="yes")
    rule = stored(cluster, "HTTPRoute", "r")["spec"]["rules"][1]
    assert rule["name"] == "canary-route1"
    assert rule["matches"][0]["headers"] == [{"name": "X-Canary", "type": "Exact", "value": "yes"}]
    gateway.set_header_route("X-Canary", pattern="^y.s$")
    rules = stored(cluster, "HTTPRoute", "r")["spec"]["rules"]
    assert len(rules) == 2
    assert rules[1]["matches"][0]["headers"] == [
        {"name": "X-Canary", "type": "RegularExpression", "value": "^y.s$"}
    ]


@pytest.mark.parametrize(
    ("managed", "arguments", "message"),
    [
        ((), {"value": "yes"}, "needs a managed route name"),
        (MANAGED, {}, "needs a value or a pattern"),
        (MANAGED, {"value": "a", "pattern": "b"}, "not both"),
        (MANAGED, {"pattern": "("}, "not a valid regular expression"),
    ],
)
def test_the_simple_form_refuses_what_it_cannot_write(
    cluster: FakeKubeAPI, api: KubeAPI, managed: tuple[str, ...], arguments: dict[str, str], message: str
) -> None:
    create(api, route_doc("HTTPRoute", "r", [{"backendRefs": refs()}]))
    gateway = router(api, GatewayRoute("HTTPRoute", "r", use_header_routes=True), managed_routes=managed)
    cluster.clear_requests()
    for method in (gateway.check_header_route, gateway.set_header_route):
        with pytest.raises(SpecError, match=message):
            method("X-Canary", **arguments)
    assert cluster.requests == []


@pytest.mark.parametrize(
    ("managed", "name", "message"),
    [
        (MANAGED, "canary-route3", "not among the managed routes"),
        (("Canary_Route",), "Canary_Route", "cannot name a Gateway API route rule"),
    ],
)
def test_a_header_route_name_is_checked_before_any_request(
    cluster: FakeKubeAPI, api: KubeAPI, managed: tuple[str, ...], name: str, message: str
) -> None:
    gateway = router(api, GatewayRoute("HTTPRoute", "r", use_header_routes=True), managed_routes=managed)
    cluster.clear_requests()
    with pytest.raises(SpecError, match=message):
        gateway.check_header_matches(name, (HeaderMatch("X-Test", exact="test"),))
    with pytest.raises(SpecError, match=message):
        gateway.set_header_matches(name, (HeaderMatch("X-Test", exact="test"),))
    assert cluster.requests == []


def test_a_route_without_a_rule_holding_both_services_refuses_header_routes(
    cluster: FakeKubeAPI, api: KubeAPI
) -> None:
    rules = [
        {"backendRefs": [{"name": STABLE, "port": 80}]},
        {"backendRefs": [{"name": CANARY, "port": 80}, {"name": "x", "port": 1}]},
    ]
    create(api, route_doc("HTTPRoute", "r", rules))
    gateway = router(api, GatewayRoute("HTTPRoute", "r", use_header_routes=True), managed_routes=MANAGED)
    with pytest.raises(RoutingError, match="no rule holds backendRefs to both"):
        gateway.set_header_matches("canary-route1", (HeaderMatch("X-Test", exact="test"),))
    assert writes(cluster) == [("POST", "/apis/gateway.networking.k8s.io/v1/namespaces/default/httproutes")]


def test_header_rules_go_only_on_routes_that_take_them(cluster: FakeKubeAPI, api: KubeAPI) -> None:
    """A second route without useHeaderRoutes keeps its own canary-only rule through set and remove."""
    preview = {"name": "preview", "backendRefs": [{"name": CANARY, "port": 80}]}
    create(api, route_doc("HTTPRoute", "main", [{"backendRefs": refs()}]))
    create(api, route_doc("HTTPRoute", "side", [{"backendRefs": refs()}, preview]))
    routes = (GatewayRoute("HTTPRoute", "main", use_header_routes=True), GatewayRoute("HTTPRoute", "side"))
    gateway = router(api, *routes, managed_routes=MANAGED)
    before = stored(cluster, "HTTPRoute", "side")
    gateway.set_header_matches("canary-route1", (HeaderMatch("X-Test", exact="test"),))
    gateway.remove_header_routes()
    assert stored(cluster, "HTTPRoute", "side") == before
    assert len(stored(cluster, "HTTPRoute", "main")["spec"]["rules"]) == 1


def test_a_deleted_route_fails_a_header_route_but_not_its_removal(cluster: FakeKubeAPI, api: KubeAPI) -> None:
    gateway = router(api, GatewayRoute("HTTPRoute", "gone", use_header_routes=True), managed_routes=MANAGED)
    with pytest.raises(RoutingError, match='HTTPRoute "default/gone" not found'):
        gateway.set_header_matches("canary-route1", (HeaderMatch("X-Test", exact="test"),))
    gateway.remove_header_routes()
    assert writes(cluster) == []


# -- through the orchestrator: removed at promotion and at rollback ---------------------------------------


def run_with_header_route(cluster: FakeKubeAPI, api: KubeAPI, abort: bool) -> Rollout:
    create(api, route_doc("HTTPRoute", "r", [{"backendRefs": refs()}]))
    gateway = router(api, GatewayRoute("HTTPRoute", "r", use_header_routes=True), managed_routes=MANAGED)
    matches = (HeaderMatch("X-Test", exact="test"),)
    steps: list[Step] = [
        SetWeight(20),
        SetHeaderRoute(name="canary-route1", matches=matches),
        Pause(60),
        SetWeight(50),
    ]
    clock = FakeClock()
    rollout = Rollout("demo", steps, gateway, InMemoryWorkload(), clock=clock)
    rollout.start("v2")
    for _ in range(100):
        rules = stored(cluster, "HTTPRoute", "r")["spec"]["rules"]
        if abort and len(rules) == 2:
            rollout.abort("by hand")
        wake = rollout.advance()
        if wake is None:
            return rollout
        clock.set(max(wake, clock.now()))
    raise AssertionError("the rollout did not finish")


@pytest.mark.parametrize("abort", [False, True], ids=["promoted", "rolled-back"])
def test_header_rules_and_label_are_gone_when_the_rollout_ends(
    cluster: FakeKubeAPI, api: KubeAPI, abort: bool
) -> None:
    rollout = run_with_header_route(cluster, api, abort)
    assert rollout.result().weight_history == ((20, 0) if abort else (20, 50, 100, 0))
    route = stored(cluster, "HTTPRoute", "r")
    assert weights(route) == [[(STABLE, 100), (CANARY, 0)]]
    assert "labels" not in route["metadata"]
