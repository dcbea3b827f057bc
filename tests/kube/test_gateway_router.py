"""GatewayAPIRouter on the fake API (schema-validated), through the real `kubernetes` client.

Weights on every route kind, selectors, maxTrafficWeight, the in-progress label, untouched fields, skipped
no-op writes, check() and finish().
"""

from __future__ import annotations

import copy
from typing import Any

import pytest
from gateway_router_support import (
    CANARY,
    IN_PROGRESS,
    LABEL,
    PLURALS,
    STABLE,
    api_version,
    content,
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

from canarykit.errors import ArgumentError, RoutingError, SpecError
from canarykit.kube import KubeAPI
from canarykit.kube.gateway_router import GatewayAPIRouter, GatewayRoute
from canarykit.rollout.header_routing import NamedHeaderRouter
from canarykit.steps import HeaderMatch
from canarykit.testing import FakeKubeAPI
from canarykit.traffic import HeaderRouter, TrafficRouter

HTTP = GatewayRoute("HTTPRoute", "argo-rollouts-http-route", use_header_routes=True)
KINDS = ("HTTPRoute", "GRPCRoute", "TCPRoute", "TLSRoute")


def test_the_plugins_example_route_takes_the_weight_and_the_label(cluster: FakeKubeAPI, api: KubeAPI) -> None:
    create(api, load("httproute.yml"))
    gateway = router(api, HTTP)
    gateway.set_weight(30)
    expected_spec = copy.deepcopy(load("httproute.yml")["spec"])
    expected_spec["rules"][0]["backendRefs"] = refs(70, 30)
    assert state(stored(cluster, "HTTPRoute", HTTP.name or "")) == server_form(
        api, "HTTPRoute", expected_spec, IN_PROGRESS
    )
    assert gateway.get_weight() == 30


@pytest.mark.parametrize("kind", KINDS)
def test_every_route_kind_takes_weights(cluster: FakeKubeAPI, api: KubeAPI, kind: str) -> None:
    create(api, route_doc(kind, "r", [{"backendRefs": refs()}]))
    gateway = router(api, GatewayRoute(kind, "r"))
    for weight in (10, 55, 100, 0):
        gateway.set_weight(weight)
        assert weights(stored(cluster, kind, "r")) == [[(STABLE, 100 - weight), (CANARY, weight)]]
        assert gateway.get_weight() == weight
    assert writes(cluster)[-1] == ("PUT", f"/apis/{api_version(kind)}/namespaces/default/{PLURALS[kind]}/r")


def test_tcp_and_tls_weigh_every_ref_of_either_service_even_a_canary_only_rule(
    cluster: FakeKubeAPI, api: KubeAPI
) -> None:
    """The plugin's getBackendRefs for TCP/TLS has no notion of header rules: every canary ref is weighted."""
    rules = [{"backendRefs": refs()}, {"backendRefs": [{"name": CANARY, "port": 81}]}]
    create(api, route_doc("TLSRoute", "tls", rules))
    router(api, GatewayRoute("TLSRoute", "tls")).set_weight(25)
    assert weights(stored(cluster, "TLSRoute", "tls")) == [[(STABLE, 75), (CANARY, 25)], [(CANARY, 25)]]


def test_several_routes_move_together_and_a_disagreement_is_reported(
    cluster: FakeKubeAPI, api: KubeAPI
) -> None:
    for kind in ("HTTPRoute", "GRPCRoute", "TCPRoute"):
        create(api, route_doc(kind, "multi", [{"backendRefs": refs()}]))
    gateway = router(api, *(GatewayRoute(kind, "multi") for kind in ("HTTPRoute", "GRPCRoute", "TCPRoute")))
    gateway.set_weight(40)
    assert gateway.get_weight() == 40
    for kind in ("HTTPRoute", "GRPCRoute", "TCPRoute"):
        assert stored(cluster, kind, "multi")["metadata"]["labels"] == IN_PROGRESS
    edited = stored(cluster, "GRPCRoute", "multi")
    edited["spec"]["rules"][0]["backendRefs"] = refs(90, 10)
    api.replace("grpcroutes", "default", "multi", edited)
    with pytest.raises(RoutingError, match="disagree"):
        gateway.get_weight()


def test_a_selector_finds_the_labelled_routes_now_and_never_gives_them_header_rules(
    cluster: FakeKubeAPI, api: KubeAPI
) -> None:
    create(api, route_doc("HTTPRoute", "web-a", [{"backendRefs": refs()}], {"app": "demo", "tier": "web"}))
    create(api, route_doc("HTTPRoute", "web-b", [{"backendRefs": refs()}], {"app": "demo", "tier": "edge"}))
    create(api, route_doc("HTTPRoute", "other", [{"backendRefs": refs(100, 0)}], {"app": "other"}))
    gateway = router(
        api, GatewayRoute("HTTPRoute", selector="app=demo,tier in (web,edge)"), managed_routes=("hr",)
    )
    gateway.check()
    gateway.set_weight(20)
    for name in ("web-a", "web-b"):
        assert weights(stored(cluster, "HTTPRoute", name)) == [[(STABLE, 80), (CANARY, 20)]]
    assert weights(stored(cluster, "HTTPRoute", "other")) == [[(STABLE, 100), (CANARY, 0)]]
    create(api, route_doc("HTTPRoute", "web-c", [{"backendRefs": refs()}], {"app": "demo", "tier": "web"}))
    gateway.set_weight(30)  # discovered on every call, as the plugin does
    assert weights(stored(cluster, "HTTPRoute", "web-c")) == [[(STABLE, 70), (CANARY, 30)]]
    cluster.clear_requests()
    gateway.set_header_matches("hr", (HeaderMatch("X-Canary", exact="yes"),))
    assert writes(cluster) == []


def test_a_route_named_and_selected_is_changed_once_and_keeps_its_header_routes(
    cluster: FakeKubeAPI, api: KubeAPI
) -> None:
    create(api, route_doc("HTTPRoute", "both", [{"backendRefs": refs()}], {"app": "demo"}))
    named = GatewayRoute("HTTPRoute", "both", use_header_routes=True)
    gateway = router(api, named, GatewayRoute("HTTPRoute", selector="app=demo"))
    cluster.clear_requests()
    gateway.set_weight(5)
    assert len(writes(cluster)) == 1


def test_max_traffic_weight_splits_out_of_it(cluster: FakeKubeAPI, api: KubeAPI) -> None:
    create(api, route_doc("HTTPRoute", "r", [{"backendRefs": refs()}]))
    gateway = router(api, GatewayRoute("HTTPRoute", "r"), max_weight=1000)
    assert gateway.max_weight == 1000
    gateway.set_weight(250)
    assert weights(stored(cluster, "HTTPRoute", "r")) == [[(STABLE, 750), (CANARY, 250)]]
    assert gateway.get_weight() == 250
    cluster.clear_requests()
    with pytest.raises(ArgumentError, match=r"0\.\.1000"):
        gateway.set_weight(1001)
    assert cluster.requests == []  # refused before any request
    assert router(api, GatewayRoute("HTTPRoute", "r")).max_weight == 100


@pytest.mark.parametrize(
    ("option", "expected"),
    [
        ({}, IN_PROGRESS),
        ({"in_progress_label": ("example.com/canary", "running")}, {"example.com/canary": "running"}),
        ({"in_progress_label": None}, {}),
    ],
    ids=["default", "custom", "disabled"],
)
def test_the_in_progress_label_while_the_canary_has_weight(
    cluster: FakeKubeAPI, api: KubeAPI, option: dict[str, Any], expected: dict[str, str]
) -> None:
    create(api, route_doc("HTTPRoute", "r", [{"backendRefs": refs()}], {"app": "demo"}))
    gateway = router(api, GatewayRoute("HTTPRoute", "r"), **option)
    gateway.set_weight(10)
    assert stored(cluster, "HTTPRoute", "r")["metadata"]["labels"] == {"app": "demo", **expected}
    gateway.set_weight(0)
    assert stored(cluster, "HTTPRoute", "r")["metadata"]["labels"] == {"app": "demo"}


def test_everything_else_in_the_route_stays_as_written(cluster: FakeKubeAPI, api: KubeAPI) -> None:
    rule = {
        "matches": [
            {"path": {"type": "PathPrefix", "value": "/api"}, "headers": [{"name": "X-Env", "value": "p"}]}
        ],
        "filters": [
            {"type": "RequestHeaderModifier", "requestHeaderModifier": {"set": [{"name": "A", "value": "b"}]}}
        ],
        "timeouts": {"request": "10s"},
        "backendRefs": [*refs(), {"name": "mirror", "port": 8080, "weight": 3}],
    }
    doc = route_doc(
        "HTTPRoute", "rich", [rule, {"backendRefs": [{"name": "legacy", "port": 80}]}], {"team": "x"}
    )
    doc["metadata"]["annotations"] = {"owner": "web-team"}
    doc["spec"]["hostnames"] = ["shop.example.com"]
    before = content(create(api, doc))
    router(api, GatewayRoute("HTTPRoute", "rich")).set_weight(35)
    expected = copy.deepcopy(before)
    expected["metadata"]["labels"][LABEL] = "in-progress"
    expected["spec"]["rules"][0]["backendRefs"][0]["weight"] = 65
    expected["spec"]["rules"][0]["backendRefs"][1]["weight"] = 35
    assert content(stored(cluster, "HTTPRoute", "rich")) == expected


def test_a_write_that_changes_nothing_is_skipped(cluster: FakeKubeAPI, api: KubeAPI) -> None:
    create(api, route_doc("GRPCRoute", "g", [{"backendRefs": refs()}]))
    gateway = router(api, GatewayRoute("GRPCRoute", "g", use_header_routes=True), managed_routes=("hr",))
    gateway.set_weight(45)
    cluster.clear_requests()
    gateway.set_weight(45)
    gateway.remove_header_routes()
    assert writes(cluster) == []
    assert [method for method, _, _ in cluster.requests] == ["GET", "GET"]


def test_each_write_is_a_put_of_the_whole_object_read(cluster: FakeKubeAPI, api: KubeAPI) -> None:
    create(api, route_doc("HTTPRoute", "r", [{"backendRefs": refs()}]))
    cluster.clear_requests()
    router(api, GatewayRoute("HTTPRoute", "r")).set_weight(15)
    assert [(m, p) for m, p, _ in cluster.requests] == [
        ("GET", "/apis/gateway.networking.k8s.io/v1/namespaces/default/httproutes/r"),
        ("PUT", "/apis/gateway.networking.k8s.io/v1/namespaces/default/httproutes/r"),
    ]


def test_routes_in_another_namespace(cluster: FakeKubeAPI, api: KubeAPI) -> None:
    doc = route_doc("HTTPRoute", "r", [{"backendRefs": refs()}])
    doc["metadata"]["namespace"] = "edge"
    create(api, doc)
    gateway = GatewayAPIRouter(api, STABLE, CANARY, [GatewayRoute("HTTPRoute", "r")], "edge")
    gateway.check()
    gateway.set_weight(50)
    assert weights(stored(cluster, "HTTPRoute", "r", "edge")) == [[(STABLE, 50), (CANARY, 50)]]


# -- check(): everything validated, nothing written -----------------------------------------------------


def test_check_reads_and_never_writes(cluster: FakeKubeAPI, api: KubeAPI) -> None:
    create(api, route_doc("HTTPRoute", "r", [{"backendRefs": refs()}], {"app": "demo"}))
    cluster.clear_requests()
    router(api, GatewayRoute("HTTPRoute", "r"), GatewayRoute("HTTPRoute", selector="app=demo")).check()
    assert writes(cluster) == [] and [m for m, _, _ in cluster.requests] == [
        "GET",
        "GET",
    ]  # the list, then the route once


@pytest.mark.parametrize(
    ("docs", "routes", "message"),
    [
        ([], [GatewayRoute("GRPCRoute", "nope")], 'GRPCRoute "default/nope" not found'),
        (
            [route_doc("HTTPRoute", "r", [{"backendRefs": [{"name": STABLE, "port": 80}]}])],
            [GatewayRoute("HTTPRoute", "r")],
            f'HTTPRoute "default/r": no rule holds a backendRef to {CANARY!r}',
        ),
        (
            [route_doc("TCPRoute", "t", [{"backendRefs": [{"name": CANARY, "port": 80}]}])],
            [GatewayRoute("TCPRoute", "t")],
            f"backendRef to {STABLE!r}",
        ),
        ([], [GatewayRoute("HTTPRoute", selector="app=ghost")], "matches the selectors"),
        (
            [
                route_doc(
                    "HTTPRoute",
                    "split",
                    [
                        {
                            "matches": [{"path": {"type": "PathPrefix", "value": "/a"}}],
                            "backendRefs": refs()[:1],
                        },
                        {
                            "matches": [{"path": {"type": "PathPrefix", "value": "/b"}}],
                            "backendRefs": [*refs()[1:], {"name": "legacy", "port": 80}],
                        },
                    ],
                )
            ],
            [GatewayRoute("HTTPRoute", "split")],
            f'HTTPRoute "default/split": no rule holds backendRefs to both {STABLE!r} and {CANARY!r}',
        ),
    ],
    ids=["missing-route", "no-canary", "no-stable", "selector-finds-nothing", "services-in-separate-rules"],
)
def test_check_refuses_before_anything_moves(
    cluster: FakeKubeAPI, api: KubeAPI, docs: list[dict[str, Any]], routes: list[GatewayRoute], message: str
) -> None:
    for doc in docs:
        create(api, doc)
    cluster.clear_requests()
    with pytest.raises(SpecError, match=message):
        router(api, *routes).check()
    assert writes(cluster) == []


def test_header_rules_are_not_the_canary_backend_check_looks_for(cluster: FakeKubeAPI, api: KubeAPI) -> None:
    """A canary reached only through a canary-only (header) rule does not count: weights could not move."""
    rules = [{"backendRefs": [{"name": STABLE, "port": 80}]}, {"backendRefs": [{"name": CANARY, "port": 80}]}]
    create(api, route_doc("HTTPRoute", "r", rules))
    with pytest.raises(SpecError, match="no rule holds a backendRef"):
        router(api, GatewayRoute("HTTPRoute", "r")).check()


@pytest.mark.parametrize(
    ("arguments", "options", "message"),
    [
        ((STABLE, CANARY, []), {}, "at least one route"),
        ((STABLE, STABLE, [GatewayRoute("HTTPRoute", "r")]), {}, "must differ"),
        (("", CANARY, [GatewayRoute("HTTPRoute", "r")]), {}, "stable Service"),
        ((STABLE, CANARY, ["r"]), {}, "must be a GatewayRoute"),
        ((STABLE, CANARY, [GatewayRoute("HTTPRoute", "r")]), {"max_weight": 0}, "max_weight"),
        ((STABLE, CANARY, [GatewayRoute("HTTPRoute", "r")]), {"max_weight": 2_000_000}, "max_weight"),
        ((STABLE, CANARY, [GatewayRoute("HTTPRoute", "r")]), {"conflict_retries": -1}, "conflict_retries"),
        (
            (STABLE, CANARY, [GatewayRoute("HTTPRoute", "r")]),
            {"in_progress_label": ("a b", "x")},
            "label key",
        ),
        (
            (STABLE, CANARY, [GatewayRoute("HTTPRoute", "r")]),
            {"in_progress_label": ("k", "-x")},
            "label value",
        ),
        ((STABLE, CANARY, [GatewayRoute("HTTPRoute", "r")]), {"namespace": ""}, "namespace"),
    ],
)
def test_bad_settings_are_refused_when_built(
    api: KubeAPI, arguments: tuple[Any, ...], options: dict[str, Any], message: str
) -> None:
    with pytest.raises(SpecError, match=message):
        GatewayAPIRouter(api, *arguments, **options)


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (("UDPRoute", "r"), "kind must be one of"),
        (("HTTPRoute", "r", "app=x"), "name or by a selector"),
        (("HTTPRoute",), "name or by a selector"),
        (("HTTPRoute", " "), "non-empty"),
    ],
)
def test_bad_routes_are_refused(arguments: tuple[Any, ...], message: str) -> None:
    with pytest.raises(SpecError, match=message):
        GatewayRoute(*arguments)


def test_it_is_a_traffic_router_and_both_kinds_of_header_router(api: KubeAPI) -> None:
    gateway = router(api, HTTP, managed_routes=("hr",))
    assert isinstance(gateway, TrafficRouter)
    assert isinstance(gateway, HeaderRouter)
    assert isinstance(gateway, NamedHeaderRouter)


# -- weight 0 and finish() --------------------------------------------------------------------------------


def test_weight_zero_on_a_route_that_lost_its_canary_sends_everything_to_stable(
    cluster: FakeKubeAPI, api: KubeAPI
) -> None:
    create(
        api,
        route_doc(
            "HTTPRoute", "r", [{"backendRefs": [{"name": STABLE, "port": 80, "weight": 60}]}], IN_PROGRESS
        ),
    )
    gateway = router(api, GatewayRoute("HTTPRoute", "r"))
    with pytest.raises(RoutingError, match="no backendRef to"):
        gateway.set_weight(30)
    gateway.set_weight(0)
    route = stored(cluster, "HTTPRoute", "r")
    assert weights(route) == [[(STABLE, 100)]] and "labels" not in route["metadata"]
    assert gateway.get_weight() == 0


def test_finish_removes_header_rules_and_the_label_of_routes_at_rest(
    cluster: FakeKubeAPI, api: KubeAPI
) -> None:
    create(api, route_doc("HTTPRoute", "r", [{"backendRefs": refs()}]))
    gateway = router(api, GatewayRoute("HTTPRoute", "r", use_header_routes=True), managed_routes=("hr",))
    gateway.set_weight(20)
    gateway.set_header_matches("hr", (HeaderMatch("X-Canary", exact="1"),))
    stale = stored(cluster, "HTTPRoute", "r")  # weight 0 written by hand, the label left behind
    stale["spec"]["rules"][0]["backendRefs"] = refs(100, 0)
    api.replace("httproutes", "default", "r", stale)
    gateway.finish()
    route = stored(cluster, "HTTPRoute", "r")
    assert weights(route) == [[(STABLE, 100), (CANARY, 0)]] and "labels" not in route["metadata"]
    cluster.clear_requests()
    gateway.finish()
    assert writes(cluster) == []


def test_finish_keeps_the_label_of_a_route_still_sending_the_canary_traffic(
    cluster: FakeKubeAPI, api: KubeAPI
) -> None:
    create(api, route_doc("HTTPRoute", "r", [{"backendRefs": refs()}]))
    gateway = router(api, GatewayRoute("HTTPRoute", "r"))
    gateway.set_weight(20)
    gateway.finish()
    assert stored(cluster, "HTTPRoute", "r")["metadata"]["labels"] == IN_PROGRESS


def test_finish_skips_a_route_that_is_gone(cluster: FakeKubeAPI, api: KubeAPI) -> None:
    router(api, GatewayRoute("HTTPRoute", "gone")).finish()
    assert writes(cluster) == []
