"""The plugin's Go test cases, and cases read from its Go code, run on `GatewayAPIRouter` and the fake API.

`test_go_<Name>` transcribes a case of argoproj-labs/rollouts-plugin-trafficrouter-gatewayapi's
`pkg/plugin/plugin_test.go` (commit 96c63fd) that tests/kube/test_gateway_routes.py does not cover, from its
fixtures in `pkg/mocks/plugin.go`; `test_code_<what>` follows a branch of httproute.go, grpcroute.go,
tcproute.go or labels.go that no Go test covers. Each compares the whole stored spec and labels with the
document the plugin stores (see gateway_parity_support.as_stored).
"""

from __future__ import annotations

from typing import Any

import pytest
from gateway_parity_support import api_version, as_stored, stored
from gateway_router_support import IN_PROGRESS, LABEL

from canarykit.errors import RoutingError
from canarykit.kube import KubeAPI
from canarykit.kube.gateway_router import GatewayAPIRouter, GatewayRoute
from canarykit.steps import HeaderMatch
from canarykit.testing import FakeKubeAPI

Doc = dict[str, Any]
STABLE, CANARY = "argo-rollouts-stable-service", "argo-rollouts-canary-service"
MANAGED = "test-header-route"
NAMES = {
    "HTTPRoute": "argo-rollouts-http-route",
    "GRPCRoute": "argo-rollouts-grpc-route",
    "TCPRoute": "argo-rollouts-tcp-route",
    "TLSRoute": "argo-rollouts-tls-route",
}
PLURAL = {
    "HTTPRoute": "httproutes",
    "GRPCRoute": "grpcroutes",
    "TCPRoute": "tcproutes",
    "TLSRoute": "tlsroutes",
}
ROOT_PATH = {"path": {"type": "PathPrefix", "value": "/"}}
X_CANARY = (HeaderMatch("X-Canary", exact="true"),)
X_CANARY_HEADER = {"type": "Exact", "name": "X-Canary", "value": "true"}
FILTERS = [
    {
        "type": "RequestHeaderModifier",
        "requestHeaderModifier": {"add": [{"name": "X-Custom-Header", "value": "custom-value"}]},
    },
    {
        "type": "ResponseHeaderModifier",
        "responseHeaderModifier": {"set": [{"name": "X-Response-Header", "value": "response-value"}]},
    },
]


def refs(stable: int | None, canary: int | None) -> list[Doc]:
    """The mocks' two backendRefs (port 80), with these weights (None: no weight field)."""
    pair = [{"name": STABLE, "port": 80}, {"name": CANARY, "port": 80}]
    for ref, weight in zip(pair, (stable, canary), strict=True):
        if weight is not None:
            ref["weight"] = weight
    return pair


def mock_rules(kind: str, stable: int = 100, canary: int = 0) -> list[Doc]:
    """`mocks.Create<Kind>RouteWithLabels`: one rule, stable 100, canary 0; HTTP adds a `/` prefix match."""
    rule: Doc = {"backendRefs": refs(stable, canary)}
    if kind == "HTTPRoute":
        rule["matches"] = [ROOT_PATH]
    return [rule]


def managed_rule(name: str, matches: list[Doc], filters: list[Doc] | None = None) -> Doc:
    """A rule setHTTPHeaderRoute/setGRPCHeaderRoute writes: the canary alone, group "" and kind Service."""
    rule: Doc = {"name": name, "matches": matches}
    if filters:
        rule["filters"] = filters
    rule["backendRefs"] = [{"group": "", "kind": "Service", "name": CANARY, "port": 80}]
    return rule


def create(api: KubeAPI, kind: str, rules: list[Doc], labels: dict[str, str] | None = None) -> str:
    """Create the route `NAMES[kind]` in "default" holding `rules`; returns its name."""
    metadata: Doc = {"name": NAMES[kind], "namespace": "default"}
    if labels:
        metadata["labels"] = labels
    body = {"apiVersion": api_version(kind), "kind": kind, "metadata": metadata, "spec": {"rules": rules}}
    api.create(PLURAL[kind], "default", body)
    return NAMES[kind]


def router(api: KubeAPI, *kinds: str, header_routes: bool = True, **options: Any) -> GatewayAPIRouter:
    """The router of a Rollout naming the mock routes of `kinds` (as `httpRoute:` etc. do)."""
    options.setdefault("managed_routes", (MANAGED,))
    routes = [GatewayRoute(kind, NAMES[kind], use_header_routes=header_routes) for kind in kinds]
    return GatewayAPIRouter(api, STABLE, CANARY, routes, "default", **options)


def assert_route(
    kube: FakeKubeAPI, api: KubeAPI, kind: str, rules: list[Doc], labels: dict[str, str] | None = None
) -> None:
    """The stored route is what the server keeps of the plugin's document `{rules}` with `labels`."""
    assert stored(kube, kind, NAMES[kind]) == as_stored(api, kind, {"rules": rules}, labels)


# -- weights and the in-progress label ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "weight"), [("GRPCRoute", 40), ("TCPRoute", 15), ("TLSRoute", 60), ("HTTPRoute", 25)]
)
def test_go_SetRouteWeightAddsAndRemovesLabel(
    cluster: FakeKubeAPI, api: KubeAPI, kind: str, weight: int
) -> None:
    """Set<Kind>RouteWeight and Set<Kind>RouteWeightAddsAndRemovesLabel (TCP and TLS: v1alpha2)."""
    create(api, kind, mock_rules(kind))
    gateway = router(api, kind)
    gateway.set_weight(weight)
    assert_route(cluster, api, kind, mock_rules(kind, 100 - weight, weight), IN_PROGRESS)
    gateway.set_weight(0)
    assert_route(cluster, api, kind, mock_rules(kind), {})


def test_go_SetWeightViaRoutes(cluster: FakeKubeAPI, api: KubeAPI) -> None:
    """httpRoutes + tcpRoutes + tlsRoutes from `mocks.*RouteObj` (both weights 0): all at 70/30."""
    for kind in ("HTTPRoute", "TCPRoute", "TLSRoute"):
        create(api, kind, mock_rules(kind, 0, 0))
    router(api, "HTTPRoute", "TCPRoute", "TLSRoute").set_weight(30)
    for kind in ("HTTPRoute", "TCPRoute", "TLSRoute"):
        assert_route(cluster, api, kind, mock_rules(kind, 70, 30), IN_PROGRESS)


def test_code_tcproute_weights_every_stable_and_canary_ref_in_every_rule(
    cluster: FakeKubeAPI, api: KubeAPI
) -> None:
    """setTCPRouteWeight uses getBackendRefs: each ref of either Service in any rule, others untouched."""
    other = {"name": "tcp-other", "port": 9000, "weight": 5}
    rules = [
        {"backendRefs": refs(100, 0)},
        {"backendRefs": [{"name": CANARY, "port": 81, "weight": 0}, other]},
    ]
    create(api, "TCPRoute", rules)
    router(api, "TCPRoute").set_weight(45)
    second = [{"name": CANARY, "port": 81, "weight": 45}, other]
    assert_route(
        cluster, api, "TCPRoute", [{"backendRefs": refs(55, 45)}, {"backendRefs": second}], IN_PROGRESS
    )


def test_code_label_value_is_overwritten_then_removed_whatever_it_was(
    cluster: FakeKubeAPI, api: KubeAPI
) -> None:
    """ensureInProgressLabel sets `in-progress` over another value, deletes the key at 0, keeps the others."""
    create(api, "HTTPRoute", mock_rules("HTTPRoute"), {LABEL: "someone-else", "app": "demo"})
    gateway = router(api, "HTTPRoute")
    gateway.set_weight(10)
    assert_route(cluster, api, "HTTPRoute", mock_rules("HTTPRoute", 90, 10), {**IN_PROGRESS, "app": "demo"})
    gateway.set_weight(0)
    assert_route(cluster, api, "HTTPRoute", mock_rules("HTTPRoute"), {"app": "demo"})


def test_code_custom_and_disabled_label(cluster: FakeKubeAPI, api: KubeAPI) -> None:
    """inProgressLabelKey/Value replace the label; disableInProgressLabel leaves labels alone."""
    create(api, "HTTPRoute", mock_rules("HTTPRoute"))
    router(api, "HTTPRoute", in_progress_label=("example.com/canary", "running")).set_weight(20)
    assert_route(
        cluster, api, "HTTPRoute", mock_rules("HTTPRoute", 80, 20), {"example.com/canary": "running"}
    )
    create(api, "GRPCRoute", mock_rules("GRPCRoute"), {"app": "demo"})
    router(api, "GRPCRoute", in_progress_label=None).set_weight(20)
    assert_route(cluster, api, "GRPCRoute", mock_rules("GRPCRoute", 80, 20), {"app": "demo"})


def test_code_weight_without_a_canary_backend_fails_and_writes_nothing(
    cluster: FakeKubeAPI, api: KubeAPI
) -> None:
    """setHTTPRouteWeight: BackendRefWasNotFoundInHTTPRouteError before the Update."""
    rules = [{"matches": [ROOT_PATH], "backendRefs": [{"name": STABLE, "port": 80, "weight": 100}]}]
    create(api, "HTTPRoute", rules)
    with pytest.raises(RoutingError):
        router(api, "HTTPRoute").set_weight(30)
    assert_route(cluster, api, "HTTPRoute", rules, {})


# -- header routes -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["HTTPRoute", "GRPCRoute"])
def test_go_SetHeaderRoute_prefix_is_a_regular_expression(
    cluster: FakeKubeAPI, api: KubeAPI, kind: str
) -> None:
    """SetHTTPHeaderRoute / SetGRPCHeaderRoute: prefix "test" -> RegularExpression "test.*", rule 1 named."""
    create(api, kind, mock_rules(kind))
    router(api, kind).set_header_matches(MANAGED, (HeaderMatch("X-Test", prefix="test"),))
    header = {"type": "RegularExpression", "name": "X-Test", "value": "test.*"}
    match = {**ROOT_PATH, "headers": [header]} if kind == "HTTPRoute" else {"headers": [header]}
    assert_route(cluster, api, kind, [*mock_rules(kind), managed_rule(MANAGED, [match])], {})


@pytest.mark.parametrize("kind", ["HTTPRoute", "GRPCRoute"])
@pytest.mark.parametrize("filters", [FILTERS, None], ids=["WithFilters", "WithoutFilters"])
def test_go_SetHeaderRouteWithFilters_and_WithoutFilters(
    cluster: FakeKubeAPI, api: KubeAPI, kind: str, filters: list[Doc] | None
) -> None:
    """The managed rule carries a copy of the source rule's filters, and no `filters` when it has none."""
    rules = mock_rules(kind)
    if filters:
        rules[0]["filters"] = filters
    create(api, kind, rules)
    router(api, kind).set_header_matches(MANAGED, (HeaderMatch("X-Test", prefix="test"),))
    header = {"type": "RegularExpression", "name": "X-Test", "value": "test.*"}
    match = {**ROOT_PATH, "headers": [header]} if kind == "HTTPRoute" else {"headers": [header]}
    assert_route(cluster, api, kind, [*rules, managed_rule(MANAGED, [match], filters)], {})


@pytest.mark.parametrize("kind", ["HTTPRoute", "GRPCRoute"])
def test_go_RemoveManagedRoutes_and_SetWeightDoesNotClobberHeaderRouteWeight(
    cluster: FakeKubeAPI, api: KubeAPI, kind: str
) -> None:
    """Header rule first, then SetWeight(0) leaves its canary ref without a weight; RemoveManagedRoutes."""
    create(api, kind, mock_rules(kind, 0, 0))
    gateway = router(api, kind)
    gateway.set_header_matches(MANAGED, X_CANARY)
    gateway.set_weight(0)
    match = (
        {**ROOT_PATH, "headers": [X_CANARY_HEADER]} if kind == "HTTPRoute" else {"headers": [X_CANARY_HEADER]}
    )
    assert_route(cluster, api, kind, [*mock_rules(kind), managed_rule(MANAGED, [match])], {})
    gateway.remove_header_routes()
    assert_route(cluster, api, kind, mock_rules(kind), {})


HOST = {"type": "Exact", "name": "Host", "value": "example.com"}
MOBILE = {"type": "RegularExpression", "name": "User-Agent", "value": ".*Mobile.*"}
VERSION_QUERY = [{"type": "Exact", "name": "version", "value": "v2"}]
API_PREFIX = {"type": "PathPrefix", "value": "/api"}
HTTP_MATCHES = {
    "TestSetHTTPHeaderRouteWithExistingHeaders": {"headers": [HOST]},
    "TestSetHTTPHeaderRouteWithExistingMethod": {"method": "POST"},
    "TestSetHTTPHeaderRouteWithExistingQueryParams": {"queryParams": VERSION_QUERY},
    "TestSetHTTPHeaderRouteWithMultipleExistingHeaders": {"headers": [HOST, MOBILE]},
    "TestSetHTTPHeaderRouteWithCombinedMatches": {
        "headers": [HOST],
        "method": "POST",
        "queryParams": VERSION_QUERY,
        "path": API_PREFIX,
    },
}
SERVICE_METHOD = {"type": "Exact", "service": "my.service.v1.MyService", "method": "GetUser"}
GRPC_MATCHES = {
    "TestSetGRPCHeaderRouteWithExistingHeaders": {"headers": [HOST]},
    "TestSetGRPCHeaderRouteWithMultipleExistingHeaders": {"headers": [HOST, {**MOBILE, "value": ".*gRPC.*"}]},
    "TestSetGRPCHeaderRouteWithMethodAndHeaders": {"headers": [HOST], "method": SERVICE_METHOD},
}


@pytest.mark.parametrize(
    ("kind", "match"),
    [("HTTPRoute", m) for m in HTTP_MATCHES.values()] + [("GRPCRoute", m) for m in GRPC_MATCHES.values()],
    ids=[*HTTP_MATCHES, *GRPC_MATCHES],
)
def test_go_header_route_keeps_the_source_match_and_appends_the_canary_header(
    cluster: FakeKubeAPI, api: KubeAPI, kind: str, match: Doc
) -> None:
    """createHTTPRouteWithMatches / createGRPCRouteWithMatches (one match), then X-Canary: true."""
    rules = [{"backendRefs": refs(100, 0), "matches": [match]}]
    create(api, kind, rules)
    router(api, kind).set_header_matches(MANAGED, X_CANARY)
    merged = {**match, "headers": [*match.get("headers", []), X_CANARY_HEADER]}
    assert_route(cluster, api, kind, [*rules, managed_rule(MANAGED, [merged])], {})


def test_go_TestSetGRPCHeaderRouteNoDuplicateOnRepeatedCall_and_TwoDistinctNamesAppendsBoth(
    cluster: FakeKubeAPI, api: KubeAPI
) -> None:
    create(api, "GRPCRoute", mock_rules("GRPCRoute"))
    gateway = router(api, "GRPCRoute", managed_routes=("header-route-one", "header-route-two"))
    gateway.set_header_matches("header-route-one", X_CANARY)
    gateway.set_header_matches("header-route-one", X_CANARY)
    one = managed_rule("header-route-one", [{"headers": [X_CANARY_HEADER]}])
    assert_route(cluster, api, "GRPCRoute", [*mock_rules("GRPCRoute"), one], {})
    gateway.set_header_matches("header-route-two", (HeaderMatch("X-Version", exact="beta"),))
    two = managed_rule(
        "header-route-two", [{"headers": [{"type": "Exact", "name": "X-Version", "value": "beta"}]}]
    )
    assert_route(cluster, api, "GRPCRoute", [*mock_rules("GRPCRoute"), one, two], {})


def test_go_TestSetGRPCHeaderRouteMultiRuleGRPCRoute(cluster: FakeKubeAPI, api: KubeAPI) -> None:
    """One managed rule per source rule: `name` from MethodA's rule, `name-1` from MethodB's."""
    methods = [{"type": "Exact", "service": "svc.Service", "method": m} for m in ("MethodA", "MethodB")]
    rules = [{"backendRefs": refs(100, 0), "matches": [{"method": method}]} for method in methods]
    create(api, "GRPCRoute", rules)
    router(api, "GRPCRoute").set_header_matches(MANAGED, (HeaderMatch("X-Version", exact="v2"),))
    header = {"type": "Exact", "name": "X-Version", "value": "v2"}
    managed = [
        managed_rule(name, [{"method": method, "headers": [header]}])
        for name, method in zip((MANAGED, f"{MANAGED}-1"), methods, strict=True)
    ]
    assert_route(cluster, api, "GRPCRoute", [*rules, *managed], {})


def test_go_TestGetRouteRuleOnlyReturnsRuleWithAllBackends(cluster: FakeKubeAPI, api: KubeAPI) -> None:
    """A canary-only rule listed first is neither a header route's source nor weighted."""
    canary_only = {
        "name": "header-route",
        "matches": [{"headers": [{"type": "Exact", "name": "X-Canary", "value": "true"}]}],
        "backendRefs": [{"name": CANARY, "port": 80}],
    }
    main = {"backendRefs": refs(70, 30)}
    create(api, "HTTPRoute", [canary_only, main])
    gateway = router(api, "HTTPRoute")
    gateway.set_header_matches(MANAGED, (HeaderMatch("X-Version", exact="v2"),))
    gateway.set_weight(40)
    header = {"type": "Exact", "name": "X-Version", "value": "v2"}
    managed = managed_rule(MANAGED, [{"headers": [header]}])
    assert_route(
        cluster, api, "HTTPRoute", [canary_only, {"backendRefs": refs(60, 40)}, managed], IN_PROGRESS
    )


# -- header routes: branches of the plugin's code no Go test covers ----------------------------------------


def test_code_prefix_is_not_escaped(cluster: FakeKubeAPI, api: KubeAPI) -> None:
    """getHTTPHeaderRouteRuleList writes `Prefix + ".*"`: a `.` in the prefix stays a regex wildcard."""
    create(api, "HTTPRoute", mock_rules("HTTPRoute"))
    router(api, "HTTPRoute").set_header_matches(MANAGED, (HeaderMatch("X-Version", prefix="v1.2"),))
    header = {"type": "RegularExpression", "name": "X-Version", "value": "v1.2.*"}
    managed = managed_rule(MANAGED, [{**ROOT_PATH, "headers": [header]}])
    assert_route(cluster, api, "HTTPRoute", [*mock_rules("HTTPRoute"), managed], {})


def test_code_managed_rule_copies_only_name_port_of_the_canary_and_not_timeouts(
    cluster: FakeKubeAPI, api: KubeAPI
) -> None:
    """The canary backendRef is rebuilt from its name and port (group "", kind Service): its namespace and
    its own filters are not copied; of the rule, only matches and filters are (timeouts are not)."""
    canary = {"name": CANARY, "namespace": "canaries", "port": 8443, "weight": 0}
    canary["filters"] = [FILTERS[0]]
    source = {
        "matches": [ROOT_PATH],
        "backendRefs": [{"name": STABLE, "port": 80, "weight": 100}, canary],
        "timeouts": {"request": "5s"},
    }
    create(api, "HTTPRoute", [source])
    router(api, "HTTPRoute").set_header_matches(MANAGED, X_CANARY)
    managed = managed_rule(MANAGED, [{**ROOT_PATH, "headers": [X_CANARY_HEADER]}])
    managed["backendRefs"][0]["port"] = 8443
    assert_route(cluster, api, "HTTPRoute", [source, managed], {})


def test_code_a_header_route_whose_headers_an_earlier_one_holds_replaces_it(
    cluster: FakeKubeAPI, api: KubeAPI
) -> None:
    """setHTTPHeaderRoute's upsert also drops canary-only rules whose match holds every header name of the new
    route (isHTTPManagedRule's structural fallback): route-b on X-Canary removes route-a's rule."""
    create(api, "HTTPRoute", mock_rules("HTTPRoute"))
    gateway = router(api, "HTTPRoute", managed_routes=("route-a", "route-b"))
    gateway.set_header_matches("route-a", (*X_CANARY, HeaderMatch("X-Tier", exact="gold")))
    gateway.set_header_matches("route-b", (HeaderMatch("X-Canary", exact="beta"),))
    header = {"type": "Exact", "name": "X-Canary", "value": "beta"}
    managed = managed_rule("route-b", [{**ROOT_PATH, "headers": [header]}])
    assert_route(cluster, api, "HTTPRoute", [*mock_rules("HTTPRoute"), managed], {})


def test_code_a_canary_only_rule_of_the_user_is_never_weighted_and_goes_with_the_managed_rules(
    cluster: FakeKubeAPI, api: KubeAPI
) -> None:
    """isHTTPManagedRule(rule, canary, nil) takes any rule holding the canary alone for a managed one:
    SetWeight skips it and removeHTTPManagedRoutes deletes it, though the user wrote it."""
    preview = {
        "name": "preview",
        "matches": [{"path": {"type": "PathPrefix", "value": "/preview"}}],
        "backendRefs": [{"name": CANARY, "port": 80, "weight": 1}],
    }
    create(api, "HTTPRoute", [*mock_rules("HTTPRoute"), preview])
    gateway = router(api, "HTTPRoute")
    gateway.set_weight(30)
    assert_route(cluster, api, "HTTPRoute", [*mock_rules("HTTPRoute", 70, 30), preview], IN_PROGRESS)
    gateway.remove_header_routes()
    assert_route(cluster, api, "HTTPRoute", mock_rules("HTTPRoute", 70, 30), IN_PROGRESS)


def test_code_routes_without_use_header_routes_take_weights_only(cluster: FakeKubeAPI, api: KubeAPI) -> None:
    """SetHeaderRoute and RemoveManagedRoutes skip a route whose useHeaderRoutes is false."""
    create(api, "HTTPRoute", mock_rules("HTTPRoute"))
    gateway = router(api, "HTTPRoute", header_routes=False)
    gateway.set_weight(30)
    gateway.set_header_matches(MANAGED, X_CANARY)
    assert_route(cluster, api, "HTTPRoute", mock_rules("HTTPRoute", 70, 30), IN_PROGRESS)


# -- routes found by a label selector ----------------------------------------------------------------------


def test_code_a_selector_is_read_again_on_every_call(cluster: FakeKubeAPI, api: KubeAPI) -> None:
    """getGatewayAPIConfigWithDiscovery lists the routes on each SetWeight: a route labelled later joins."""
    create(api, "HTTPRoute", mock_rules("HTTPRoute"), {"canary-group": "web"})
    selected = GatewayRoute("HTTPRoute", selector="canary-group=web")
    gateway = GatewayAPIRouter(api, STABLE, CANARY, [selected], "default", managed_routes=(MANAGED,))
    gateway.set_weight(30)
    create(api, "GRPCRoute", mock_rules("GRPCRoute"))
    late = {
        "apiVersion": api_version("HTTPRoute"),
        "kind": "HTTPRoute",
        "spec": {"rules": mock_rules("HTTPRoute")},
    }
    late["metadata"] = {"name": "late", "namespace": "default", "labels": {"canary-group": "web"}}
    api.create("httproutes", "default", late)
    gateway.set_weight(50)
    labels = {"canary-group": "web", **IN_PROGRESS}
    assert_route(cluster, api, "HTTPRoute", mock_rules("HTTPRoute", 50, 50), labels)
    want = as_stored(api, "HTTPRoute", {"rules": mock_rules("HTTPRoute", 50, 50)}, labels)
    assert stored(cluster, "HTTPRoute", "late") == want
    assert_route(cluster, api, "GRPCRoute", mock_rules("GRPCRoute"), {})  # no label: not selected


def test_code_a_selector_matching_nothing_beside_a_named_route_is_no_error(
    cluster: FakeKubeAPI, api: KubeAPI
) -> None:
    """The plugin only fails when no route at all is configured (GatewayAPIManifestError): a selector that
    finds nothing adds no route, and the named one takes the weight."""
    create(api, "HTTPRoute", mock_rules("HTTPRoute"))
    routes = [GatewayRoute("HTTPRoute", NAMES["HTTPRoute"]), GatewayRoute("HTTPRoute", selector="team=none")]
    gateway = GatewayAPIRouter(api, STABLE, CANARY, routes, "default")
    gateway.check()
    gateway.set_weight(20)
    assert_route(cluster, api, "HTTPRoute", mock_rules("HTTPRoute", 80, 20), IN_PROGRESS)


# -- deliberate differences ----------------------------------------------------------------------------------


def test_code_weight_0_on_a_route_that_lost_its_canary_backend_moves_traffic_to_stable(
    cluster: FakeKubeAPI, api: KubeAPI
) -> None:
    """Deliberate difference (canarykit.kube.gateway_targets): the plugin's SetWeight(0) fails with
    BackendRefWasNotFoundInHTTPRouteError when someone removed the canary backendRef, leaving the route as
    it is, label included; canarykit sets the stable weight and drops the label, since rolling back must not
    fail on a route where no traffic can reach the canary any more. Any other weight still fails."""
    create(api, "HTTPRoute", mock_rules("HTTPRoute"))
    gateway = router(api, "HTTPRoute")
    gateway.set_weight(30)
    edited = api.get("httproutes", "default", NAMES["HTTPRoute"])
    assert edited is not None
    edited["spec"]["rules"][0]["backendRefs"].pop()
    api.replace("httproutes", "default", NAMES["HTTPRoute"], edited)
    with pytest.raises(RoutingError):
        gateway.set_weight(40)
    gateway.set_weight(0)
    stable_only = [{"matches": [ROOT_PATH], "backendRefs": refs(100, None)[:1]}]
    assert_route(cluster, api, "HTTPRoute", stable_only, {})


def test_code_header_routes_leave_tcp_and_tls_routes_alone(cluster: FakeKubeAPI, api: KubeAPI) -> None:
    """SetHeaderRoute and RemoveManagedRoutes change HTTP and gRPC routes only, even with useHeaderRoutes."""
    create(api, "TCPRoute", mock_rules("TCPRoute"))
    create(api, "HTTPRoute", mock_rules("HTTPRoute"))
    gateway = router(api, "TCPRoute", "HTTPRoute")
    gateway.set_header_matches(MANAGED, X_CANARY)
    assert_route(cluster, api, "TCPRoute", mock_rules("TCPRoute"), {})
    managed = managed_rule(MANAGED, [{**ROOT_PATH, "headers": [X_CANARY_HEADER]}])
    assert_route(cluster, api, "HTTPRoute", [*mock_rules("HTTPRoute"), managed], {})
