"""Stored routes match argoproj-labs/rollouts-plugin-trafficrouter-gatewayapi's, step by step (issue #14).

Each sequence runs an Argo Rollout through `canarykit.Rollout` with `GatewayAPIRouter` on the fake API and
compares, after every step, the whole stored `spec` and the labels of each route with the document the plugin
(commit 96c63fd) would have stored for the same steps. Those documents are transcribed from its Go code:

- Argo's `reconcileTrafficRouting` (argo-rollouts `rollout/trafficrouting.go`) calls the plugin's `SetWeight`
  on every reconcile: 0 until the canary is available (so from the Rollout's install on, and before step 0),
  the last `setWeight` while stepping, `maxTrafficWeight` past the last step; once fully promoted or aborted,
  `RemoveManagedRoutes` then `SetWeight(0)`. A `setHeaderRoute` step's `SetHeaderRoute` comes first.
- `setHTTPRouteWeight`/`setGRPCRouteWeight` (httproute.go, grpcroute.go): in every rule but the managed header
  rules (named after a managedRoutes entry, `name` or `name-N`, or holding the canary alone) the canary
  backendRef gets `w` and the stable one `100 - w`, even in a rule holding only one of them; then
  `ensureInProgressLabel` (labels.go): the label while `w > 0`, removed at 0. Header rules never get a weight
  (TestSetWeightDoesNotClobberHTTPHeaderRouteWeight).
- `setHTTPHeaderRoute`/`setGRPCHeaderRoute`: one rule per rule holding both backends, named `name`,
  `name-1`..., whose matches copy each source match's path, queryParams, method (gRPC: method) and headers,
  followed by the step's (exact -> Exact, prefix -> RegularExpression `prefix.*`, regex -> RegularExpression);
  a deep copy of the source's filters; one backendRef `{group: "", kind: Service, name: <canary>, port}`;
  nothing else of the source rule (not its timeouts). Earlier rules of that name are dropped and the new ones
  appended. Without a match, `removeHTTPManagedRoutes` drops every managed rule.
"""

from __future__ import annotations

from typing import Any

import pytest
from gateway_parity_support import (
    EXAMPLES,
    PARITY,
    Snapshots,
    State,
    as_stored,
    create_routes,
    load_docs,
    router_for_spec,
    run_to_the_end,
)
from gateway_router_support import IN_PROGRESS

from canarykit.argo import load
from canarykit.kube import KubeAPI
from canarykit.rollout.orchestrator import Rollout
from canarykit.steps import HeaderMatch, Pause, SetHeaderRoute, SetWeight, Step
from canarykit.testing import FakeClock, FakeKubeAPI, InMemoryWorkload

Doc = dict[str, Any]
Taken = list[tuple[str, dict[str, State]]]
SERVICE = {"group": "", "kind": "Service"}


def run_yaml(
    kube: FakeKubeAPI, api: KubeAPI, rollout_file: Any, routes: list[tuple[str, str]], **options: Any
) -> Taken:
    """Run a Rollout file to its end; the stored routes at each point (see `Snapshots`)."""
    spec = load(rollout_file)
    clock = FakeClock()
    workload = InMemoryWorkload(not_ready_polls=1)
    rollout = Rollout.from_spec(spec, router_for_spec(api, spec), workload, clock=clock)
    snapshots = Snapshots(kube, routes, **options)
    run_to_the_end(rollout, clock, snapshots)
    return snapshots.taken


def assert_sequence(
    api: KubeAPI, kind: str, taken: Taken, expected: list[tuple[str, dict[str, Doc]]]
) -> None:
    """Same points in the same order, and at each the stored routes the plugin's documents become."""
    assert [label for label, _ in taken] == [label for label, _ in expected]
    for (label, routes), (_, documents) in zip(taken, expected, strict=True):
        for name, document in documents.items():
            want = as_stored(api, kind, document["spec"], document.get("labels"))
            assert routes[name] == want, f"{kind} {name} after {label}"


def weighted(stable: str, canary: str, weight: int, full: int = 100, port: int = 80) -> list[Doc]:
    """The two backendRefs as setHTTPRouteWeight leaves them: stable `full - weight`, canary `weight`."""
    return [
        {**SERVICE, "name": stable, "port": port, "weight": full - weight},
        {**SERVICE, "name": canary, "port": port, "weight": weight},
    ]


# -- 1. the plugin's nginx example (examples/nginx: NGINX Gateway Fabric) ----------------------------------

NGINX = EXAMPLES / "nginx"
NGINX_ROUTE = "argo-rollouts-http-route"


def nginx_document(weight: int) -> Doc:
    """examples/nginx/httproute.yml after SetWeight(weight): only the weights and the label change."""
    refs = [
        {"name": "argo-rollouts-stable-service", "port": 80, "weight": 100 - weight},
        {"name": "argo-rollouts-canary-service", "port": 80, "weight": weight},
    ]
    spec = {
        "parentRefs": [{"name": "argo-rollouts-gateway", "namespace": "default"}],
        "rules": [{"backendRefs": refs}],
    }
    return {"spec": spec, "labels": IN_PROGRESS if weight else {}}


def test_nginx_example_weights_and_label_match_the_plugin_step_by_step(
    cluster: FakeKubeAPI, api: KubeAPI
) -> None:
    create_routes(api, load_docs(NGINX / "httproute.yml"))
    taken = run_yaml(cluster, api, NGINX / "rollout.yml", [("HTTPRoute", NGINX_ROUTE)])
    weights = [(f"step {i}", w) for i, w in enumerate([30, 30, 40, 40, 60, 60, 80, 80, 100, 100])]
    weights += [("promoted", 0), ("finished", 0)]
    expected = [(label, {NGINX_ROUTE: nginx_document(w)}) for label, w in weights]
    assert taken[0][0] == "before step 0"  # compared in test_before_the_first_step_...
    assert_sequence(api, "HTTPRoute", taken[1:], expected)


# -- 2. header routes on a multi-rule HTTPRoute (tests/data/gateway_api/parity/shop-*.yaml) ----------------

SHOP_ROUTE = [("HTTPRoute", "shop")]
API_FILTERS = [
    {
        "type": "RequestHeaderModifier",
        "requestHeaderModifier": {"add": [{"name": "X-Via", "value": "gateway"}]},
    },
    {
        "type": "ResponseHeaderModifier",
        "responseHeaderModifier": {"set": [{"name": "X-Served-By", "value": "shop"}]},
    },
]
MOBILE_FILTERS = [{"type": "URLRewrite", "urlRewrite": {"hostname": "mobile.shop.internal"}}]
HOST = {"type": "Exact", "name": "Host", "value": "shop.example.com"}
USER_AGENT = {"type": "RegularExpression", "name": "User-Agent", "value": ".*Mobile.*"}
VERSION_QUERY = [{"type": "Exact", "name": "version", "value": "v2"}]
HEADERS_A = [
    {"type": "Exact", "name": "X-Canary", "value": "true"},
    {"type": "RegularExpression", "name": "X-Tier", "value": "beta.*"},
    {"type": "RegularExpression", "name": "X-User", "value": "^(alice|bob)$"},
]
HEADERS_B = [{"type": "Exact", "name": "X-Beta", "value": "yes"}]


def shop_rules(weight: int) -> list[Doc]:
    """shop-httproute.yaml's four rules after SetWeight(weight)."""
    stable_only = {**SERVICE, "name": "shop-stable", "port": 8080, "weight": 100 - weight}
    mobile_refs = weighted("shop-stable", "shop-canary", weight, port=8080)
    mobile_refs[1]["port"] = 8081
    api_match = {"path": {"type": "PathPrefix", "value": "/api"}, "method": "POST"}
    return [
        {
            "name": "api",
            "matches": [
                {**api_match, "queryParams": VERSION_QUERY, "headers": [HOST]},
                {"path": {"type": "Exact", "value": "/api/health"}},
            ],
            "filters": API_FILTERS,
            "backendRefs": weighted("shop-stable", "shop-canary", weight, port=8080),
            "timeouts": {"request": "10s"},
        },
        {
            "matches": [{"path": {"type": "PathPrefix", "value": "/"}, "headers": [USER_AGENT]}],
            "filters": MOBILE_FILTERS,
            "backendRefs": mobile_refs,
        },
        {
            "name": "legacy",
            "matches": [{"path": {"type": "PathPrefix", "value": "/legacy"}}],
            "backendRefs": [stable_only],
        },
        {
            "name": "static",
            "matches": [{"path": {"type": "PathPrefix", "value": "/static"}}],
            "backendRefs": [{**SERVICE, "name": "static-files", "port": 80, "weight": 1}],
        },
    ]


def shop_header_rules(name: str, headers: list[Doc]) -> list[Doc]:
    """setHTTPHeaderRoute's rules: `name` from rule "api", `name-1` from the mobile rule (no timeouts)."""
    api_match = {"path": {"type": "PathPrefix", "value": "/api"}, "method": "POST"}
    return [
        {
            "name": name,
            "matches": [
                {**api_match, "queryParams": VERSION_QUERY, "headers": [HOST, *headers]},
                {"path": {"type": "Exact", "value": "/api/health"}, "headers": headers},
            ],
            "filters": API_FILTERS,
            "backendRefs": [{**SERVICE, "name": "shop-canary", "port": 8080}],
        },
        {
            "name": f"{name}-1",
            "matches": [{"path": {"type": "PathPrefix", "value": "/"}, "headers": [USER_AGENT, *headers]}],
            "filters": MOBILE_FILTERS,
            "backendRefs": [{**SERVICE, "name": "shop-canary", "port": 8081}],
        },
    ]


def shop_document(weight: int, labelled: bool, *header_routes: str) -> Doc:
    """The shop route: weights, the label, and the header rules of `header_routes` appended in order."""
    headers = {"header-a": HEADERS_A, "header-b": HEADERS_B}
    rules = shop_rules(weight)
    for name in header_routes:
        rules += shop_header_rules(name, headers[name])
    spec = {
        "parentRefs": [
            {
                "group": "gateway.networking.k8s.io",
                "kind": "Gateway",
                "name": "shop-gateway",
                "namespace": "default",
                "sectionName": "web",
            }
        ],
        "hostnames": ["shop.example.com"],
        "rules": rules,
    }
    return {"spec": spec, "labels": {"app": "shop", **(IN_PROGRESS if labelled else {})}}


def test_header_routes_on_a_multi_rule_httproute_match_the_plugin_then_abort(
    cluster: FakeKubeAPI, api: KubeAPI
) -> None:
    create_routes(api, load_docs(PARITY / "shop-httproute.yaml"))
    taken = run_yaml(cluster, api, PARITY / "shop-rollout.yaml", SHOP_ROUTE, abort_at_pause=5)
    states = [
        ("before step 0", shop_document(0, False)),
        ("step 0", shop_document(20, True)),
        ("step 1", shop_document(20, True, "header-a")),
        ("step 2", shop_document(20, True, "header-a", "header-b")),
        ("step 3", shop_document(50, True, "header-a", "header-b")),
        ("step 4", shop_document(50, True)),  # setHeaderRoute without a match: every managed rule goes
        ("rolledback", shop_document(0, False)),
        ("finished", shop_document(0, False)),
    ]
    assert_sequence(api, "HTTPRoute", taken, [(label, {"shop": doc}) for label, doc in states])


def test_an_abort_with_header_routes_in_force_removes_them_as_the_plugin_does(
    cluster: FakeKubeAPI, api: KubeAPI
) -> None:
    """Aborted at a pause after header-a: RemoveManagedRoutes, then SetWeight(0) (trafficrouting.go)."""
    create_routes(api, load_docs(PARITY / "shop-httproute.yaml"))
    spec = load(PARITY / "shop-rollout.yaml")
    matches = (
        HeaderMatch("X-Canary", exact="true"),
        HeaderMatch("X-Tier", prefix="beta"),
        HeaderMatch("X-User", regex="^(alice|bob)$"),
    )
    steps: list[Step] = [SetWeight(20), SetHeaderRoute(name="header-a", matches=matches), Pause()]
    clock = FakeClock()
    workload = InMemoryWorkload(not_ready_polls=1)
    rollout = Rollout("shop", steps, router_for_spec(api, spec), workload, clock=clock)
    snapshots = Snapshots(cluster, SHOP_ROUTE, abort_at_pause=2)
    run_to_the_end(rollout, clock, snapshots)
    states = [
        ("before step 0", shop_document(0, False)),
        ("step 0", shop_document(20, True)),
        ("step 1", shop_document(20, True, "header-a")),
        ("rolledback", shop_document(0, False)),
        ("finished", shop_document(0, False)),
    ]
    assert_sequence(api, "HTTPRoute", snapshots.taken, [(label, {"shop": doc}) for label, doc in states])


# -- 3. a GRPCRoute with methods, headers and filters (parity/greeter-*.yaml) ------------------------------

GREETER_FILTERS = [
    {
        "type": "RequestHeaderModifier",
        "requestHeaderModifier": {"add": [{"name": "X-Custom-Header", "value": "custom-value"}]},
    },
    {
        "type": "ResponseHeaderModifier",
        "responseHeaderModifier": {"set": [{"name": "X-Response-Header", "value": "response-value"}]},
    },
]
SAY_HELLO = {"type": "Exact", "service": "helloworld.Greeter", "method": "SayHello"}
GREETER = {"type": "Exact", "service": "helloworld.Greeter"}
TENANT = {"type": "Exact", "name": "x-tenant", "value": "acme"}
GRPC_HEADERS = [
    {"type": "Exact", "name": "x-canary", "value": "true"},
    {"type": "RegularExpression", "name": "x-version", "value": "v2.*"},
]


def greeter_document(weight: int, header_route: bool) -> Doc:
    """greeter-grpcroute.yaml after SetWeight(weight), with setGRPCHeaderRoute's rule when `header_route`."""
    rules = [
        {
            "matches": [{"method": SAY_HELLO, "headers": [TENANT]}, {"method": GREETER}],
            "filters": GREETER_FILTERS,
            "backendRefs": weighted("greeter-stable", "greeter-canary", weight, port=50051),
        }
    ]
    if header_route:
        rules.append(
            {
                "name": "grpc-canary",
                "matches": [
                    {"method": SAY_HELLO, "headers": [TENANT, *GRPC_HEADERS]},
                    {"method": GREETER, "headers": GRPC_HEADERS},
                ],
                "filters": GREETER_FILTERS,
                "backendRefs": [{**SERVICE, "name": "greeter-canary", "port": 50051}],
            }
        )
    parent = {"group": "gateway.networking.k8s.io", "kind": "Gateway", "name": "grpc-gateway"}
    spec = {
        "parentRefs": [{**parent, "namespace": "default"}],
        "hostnames": ["grpc.example.com"],
        "rules": rules,
    }
    return {"spec": spec, "labels": IN_PROGRESS if weight else {}}


def test_grpcroute_header_route_with_filters_matches_the_plugin_to_promotion(
    cluster: FakeKubeAPI, api: KubeAPI
) -> None:
    create_routes(api, load_docs(PARITY / "greeter-grpcroute.yaml"))
    taken = run_yaml(cluster, api, PARITY / "greeter-rollout.yaml", [("GRPCRoute", "greeter")])
    states = [
        ("before step 0", greeter_document(0, False)),
        ("step 0", greeter_document(10, False)),
        ("step 1", greeter_document(10, True)),
        ("step 2", greeter_document(60, True)),
        ("step 3", greeter_document(60, True)),
        ("full weight 100", greeter_document(100, True)),  # past the last step: SetWeight(maxTrafficWeight)
        ("promoted", greeter_document(0, False)),
        ("finished", greeter_document(0, False)),
    ]
    assert_sequence(api, "GRPCRoute", taken, [(label, {"greeter": doc}) for label, doc in states])


# -- 4. several routes, by name and by selector, out of maxTrafficWeight 1000 (parity/fleet-*.yaml) --------

FLEET = ["web-a", "web-b", "web-c", "web-d", "web-e"]
FLEET_LABELS = {"web-c": {"canary-group": "web"}, "web-d": {"canary-group": "web", "tier": "edge"}}


def fleet_document(name: str, weight: int, header_route: bool = False) -> Doc:
    """One fleet route after SetWeight(weight) out of 1000 (web-d lists the canary first).

    Deliberate difference: the plugin writes `100 - weight` to the stable backendRef whatever
    `maxTrafficWeight` is (`restWeight := 100 - desiredWeight`), so its SetWeight(250) writes -150, which
    the API server refuses (weight >= 0), and a rollout out of 1000 stops at its first step. canarykit writes
    `maxTrafficWeight - weight`, the share Argo's other routers (nginx, SMI) give stable.
    """
    refs = weighted("web-stable", "web-canary", weight, full=1000)
    rules: list[Doc] = [
        {"matches": [{"path": {"type": "PathPrefix", "value": f"/{name[-1]}"}}], "backendRefs": refs}
    ]
    if name == "web-d":
        refs.reverse()
    if header_route:
        header = {"type": "Exact", "name": "X-Web", "value": "canary"}
        match = {"path": {"type": "PathPrefix", "value": "/a"}, "headers": [header]}
        backend = {**SERVICE, "name": "web-canary", "port": 80}
        rules.append({"name": "web-header", "matches": [match], "backendRefs": [backend]})
    parent = {"group": "gateway.networking.k8s.io", "kind": "Gateway", "name": "web-gateway"}
    labels = {**FLEET_LABELS.get(name, {}), **(IN_PROGRESS if weight else {})}
    return {"spec": {"parentRefs": [parent], "rules": rules}, "labels": labels}


def fleet_state(weight: int, header_route: bool) -> dict[str, Doc]:
    """All five routes: web-e (label canary-group=other) is never changed; only web-a takes header routes."""
    untouched = fleet_document("web-e", 0)
    untouched["labels"] = {"canary-group": "other"}
    changed = {name: fleet_document(name, weight, header_route and name == "web-a") for name in FLEET[:4]}
    return {**changed, "web-e": untouched}


def test_routes_by_name_and_by_selector_out_of_1000_match_the_plugin_but_its_stable_share(
    cluster: FakeKubeAPI, api: KubeAPI
) -> None:
    create_routes(api, load_docs(PARITY / "fleet-httproutes.yaml"))
    routes = [("HTTPRoute", name) for name in FLEET]
    taken = run_yaml(cluster, api, PARITY / "fleet-rollout.yaml", routes)
    states = [
        ("before step 0", fleet_state(0, False)),
        ("step 0", fleet_state(250, False)),
        ("step 1", fleet_state(250, True)),
        ("step 2", fleet_state(500, True)),
        ("step 3", fleet_state(500, True)),
        ("full weight 1000", fleet_state(1000, True)),
        ("promoted", fleet_state(0, False)),
        ("finished", fleet_state(0, False)),
    ]
    assert_sequence(api, "HTTPRoute", taken, states)


# -- 5. the header-routing example (examples/gateway-api/header-routes, the plugin's cilium-header-based) ---

HEADER_EXAMPLE = EXAMPLES / "header-routes"


def header_example_document(weight: int, header_route: bool) -> Doc:
    """Its route after SetWeight(weight), with the managed rule `argo-rollouts` when `header_route`."""
    refs = weighted("argo-rollouts-stable-service", "argo-rollouts-canary-service", weight)
    rules: list[Doc] = [{"backendRefs": refs}]
    if header_route:
        match = {"headers": [{"type": "Exact", "name": "X-Test", "value": "test"}]}
        backend = {**SERVICE, "name": "argo-rollouts-canary-service", "port": 80}
        rules.append({"name": "argo-rollouts", "matches": [match], "backendRefs": [backend]})
    parent = {"group": "", "kind": "Service", "name": "argo-rollouts-service", "port": 80}
    return {"spec": {"parentRefs": [parent], "rules": rules}, "labels": IN_PROGRESS if weight else {}}


def header_example_route(weights: tuple[int, int] | None = None) -> list[Doc]:
    """The example's HTTPRoute, its backendRefs given `weights` (stable, canary) when not None."""
    route = [doc for doc in load_docs(HEADER_EXAMPLE / "httproute.yaml") if doc["kind"] == "HTTPRoute"]
    if weights is not None:
        for ref, weight in zip(route[0]["spec"]["rules"][0]["backendRefs"], weights, strict=True):
            ref["weight"] = weight
    return route


def test_header_routing_example_matches_the_plugin_step_by_step(cluster: FakeKubeAPI, api: KubeAPI) -> None:
    """No setWeight step: the plugin holds the route at 100/0 (SetWeight(0) on every reconcile) while only
    requests with `X-Test: test` reach the canary, then SetWeight(100) past the last step.

    The route starts at 100/0, where Argo's reconciles leave it from the Rollout's install on; from the
    example's file as written (no weights), see test_before_the_first_step_...
    """
    create_routes(api, header_example_route((100, 0)))
    taken = run_yaml(cluster, api, HEADER_EXAMPLE / "rollout.yaml", [("HTTPRoute", NGINX_ROUTE)])
    states = [
        ("before step 0", header_example_document(0, False)),
        ("step 0", header_example_document(0, False)),
        ("step 1", header_example_document(0, False)),
        ("step 2", header_example_document(0, True)),
        ("step 3", header_example_document(0, True)),
        ("step 4", header_example_document(0, False)),
        ("full weight 100", header_example_document(100, False)),
        ("promoted", header_example_document(0, False)),
        ("finished", header_example_document(0, False)),
    ]
    assert_sequence(api, "HTTPRoute", taken, [(label, {NGINX_ROUTE: doc}) for label, doc in states])


# -- before the first step ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("route_docs", "rollout_file", "document"),
    [
        (lambda: load_docs(NGINX / "httproute.yml"), NGINX / "rollout.yml", nginx_document(0)),
        (header_example_route, HEADER_EXAMPLE / "rollout.yaml", header_example_document(0, False)),
    ],
    ids=["nginx", "header-routes"],
)
def test_before_the_first_step_the_example_routes_send_everything_to_stable(
    cluster: FakeKubeAPI, api: KubeAPI, route_docs: Any, rollout_file: Any, document: Doc
) -> None:
    """The examples' routes as their files are written (no weights), once the canary has started: at stable
    100 / canary 0, as Argo leaves them by calling the plugin's SetWeight(0) on every reconcile (canarykit
    sets weight 0 when a rollout starts; without it the server's default weights 1 and 1 would send half the
    traffic to a canary Service with no pods yet)."""
    create_routes(api, route_docs())
    taken = run_yaml(cluster, api, rollout_file, [("HTTPRoute", NGINX_ROUTE)])
    assert_sequence(api, "HTTPRoute", taken[:1], [("before step 0", {NGINX_ROUTE: document})])
