"""Argo YAML with `trafficRouting.plugins["argoproj-labs/gatewayAPI"]` loads unchanged, with the plugin's
reading of its configuration (pkg/plugin/types.go, plugin.go `insertGatewayAPIRouteLists`)."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from canarykit import SpecError, UnsupportedFeature
from canarykit.argo import load
from canarykit.argo.gateway_routing import NO_ROUTES, GatewayAPIRouting, RouteTarget
from canarykit.steps import HeaderMatch, Pause, SetCanaryScale, SetHeaderRoute, SetWeight

EXAMPLES = Path(__file__).parents[2] / "examples" / "gateway-api"
PLUGIN = "argoproj-labs/gatewayAPI"
ROUTING = "spec.strategy.canary.trafficRouting"


def example_rollout(folder: str, name: str) -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load((EXAMPLES / folder / name).read_text())
    return document


def with_plugin(config: Any, **routing: Any) -> str:
    document = example_rollout("nginx", "rollout.yml")
    document["spec"]["strategy"]["canary"]["trafficRouting"] = {"plugins": {PLUGIN: config}, **routing}
    return yaml.safe_dump(document)


def test_the_plugins_nginx_example_loads() -> None:
    spec = load(EXAMPLES / "nginx" / "rollout.yml")
    assert spec.gateway_api == GatewayAPIRouting(
        routes=(RouteTarget("HTTPRoute", name="argo-rollouts-http-route", use_header_routes=True),),
        namespace="default",
    )
    assert spec.nginx is None
    assert spec.stable_service == "argo-rollouts-stable-service"
    assert list(spec.steps)[:4] == [SetWeight(30), Pause(), SetWeight(40), Pause(10)]


def test_the_plugins_header_route_example_loads() -> None:
    spec = load(EXAMPLES / "header-routes" / "rollout.yaml")
    assert spec.gateway_api is not None and spec.gateway_api.managed_routes == ("argo-rollouts",)
    assert spec.gateway_api.routes == (
        RouteTarget("HTTPRoute", name="argo-rollouts-http-route", use_header_routes=True),
    )
    assert list(spec.steps) == [
        Pause(),
        SetCanaryScale(replicas=1),
        SetHeaderRoute(name="argo-rollouts", matches=(HeaderMatch("X-Test", exact="test"),)),
        Pause(),
        SetHeaderRoute(name="argo-rollouts"),
    ]


def test_routes_come_per_kind_listed_then_single_then_selector() -> None:
    config = {
        "grpcRoute": "g1",
        "httpRoute": "h-single",
        "httpRoutes": [{"name": "h1"}, {"name": "h2", "useHeaderRoutes": True}],
        "httpRouteSelector": {
            "matchLabels": {"team": "web"},
            "matchExpressions": [{"key": "tier", "operator": "In", "values": ["b", "a"]}],
        },
        "tcpRoutes": [{"name": "t1", "useHeaderRoutes": False}],
        "tlsRouteSelector": {"matchExpressions": [{"key": "canary", "operator": "DoesNotExist"}]},
    }
    routing = load(with_plugin(config)).gateway_api
    assert routing is not None
    assert routing.routes == (
        RouteTarget("HTTPRoute", name="h1"),
        RouteTarget("HTTPRoute", name="h2", use_header_routes=True),
        RouteTarget("HTTPRoute", name="h-single", use_header_routes=True),
        RouteTarget("HTTPRoute", selector="team=web,tier in (a,b)"),
        RouteTarget("GRPCRoute", name="g1", use_header_routes=True),
        RouteTarget("TCPRoute", name="t1"),
        RouteTarget("TLSRoute", selector="!canary"),
    )
    assert routing.namespace is None  # the Rollout's (bind() picks it)


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        ({}, ("rollouts.argoproj.io/gatewayapi-canary", "in-progress")),
        ({"inProgressLabelKey": "gitops/ignore"}, ("gitops/ignore", "in-progress")),
        ({"inProgressLabelKey": "k", "inProgressLabelValue": "v"}, ("k", "v")),
        ({"disableInProgressLabel": True, "inProgressLabelKey": "k"}, None),
    ],
)
def test_the_in_progress_label(config: dict[str, Any], expected: tuple[str, str] | None) -> None:
    routing = load(with_plugin({"httpRoute": "r", **config})).gateway_api
    assert routing is not None and routing.in_progress_label == expected


def test_max_traffic_weight_and_managed_routes_come_from_the_rollout() -> None:
    text = with_plugin(
        {"httpRoute": "r"}, maxTrafficWeight=1000, managedRoutes=[{"name": "a"}, {"name": "b"}]
    )
    document = yaml.safe_load(text)
    document["spec"]["strategy"]["canary"]["steps"] = [{"setWeight": 300}, {"pause": {}}]
    routing = load(yaml.safe_dump(document)).gateway_api
    assert routing is not None
    assert (routing.max_weight, routing.managed_routes) == (1000, ("a", "b"))


@pytest.mark.parametrize(
    ("config", "message", "path"),
    [
        ({}, NO_ROUTES, ""),
        ({"namespace": "default"}, NO_ROUTES, ""),
        ({"httpRoutes": [{"useHeaderRoutes": True}]}, "name is required", ".httpRoutes[0].name"),
        ({"httpRoute": "r", "httpRouteName": "typo"}, "unknown field", ".httpRouteName"),
        ({"httpRoute": ["r"]}, "Input should be a valid string", ".httpRoute"),
        ("httpRoute: r", "must be a mapping", ""),
        (
            {"httpRouteSelector": {"matchExpressions": [{"key": "a", "operator": "In"}]}},
            "values set can't be empty",
            ".httpRouteSelector.matchExpressions[0].values",
        ),
        (
            {"httpRouteSelector": {"matchExpressions": [{"key": "a", "operator": "Near"}]}},
            "not a valid label selector operator",
            ".httpRouteSelector.matchExpressions[0].operator",
        ),
    ],
)
def test_a_bad_plugin_configuration_is_refused_at_load(config: Any, message: str, path: str) -> None:
    with pytest.raises(SpecError, match=message) as raised:
        load(with_plugin(config))
    assert raised.value.path == f"{ROUTING}.plugins.{PLUGIN}{path}"


def test_another_plugin_is_unsupported() -> None:
    document = yaml.safe_load(with_plugin({"httpRoute": "r"}))
    document["spec"]["strategy"]["canary"]["trafficRouting"]["plugins"]["argoproj-labs/istio"] = {}
    with pytest.raises(UnsupportedFeature, match="'argoproj-labs/istio' is not supported") as raised:
        load(yaml.safe_dump(document))
    assert raised.value.path == f"{ROUTING}.plugins.argoproj-labs/istio"


def test_nginx_and_the_plugin_together_are_refused() -> None:
    document = yaml.safe_load(with_plugin({"httpRoute": "r"}))
    document["spec"]["strategy"]["canary"]["trafficRouting"]["nginx"] = {"stableIngress": "web"}
    with pytest.raises(UnsupportedFeature, match="one traffic router at a time"):
        load(yaml.safe_dump(document))


def header_route_rollout(managed: list[str] | None, step_name: str) -> str:
    document = example_rollout("header-routes", "rollout.yaml")
    routing = document["spec"]["strategy"]["canary"]["trafficRouting"]
    if managed is None:
        del routing["managedRoutes"]
    else:
        routing["managedRoutes"] = [{"name": name} for name in managed]
    document["spec"]["strategy"]["canary"]["steps"][2]["setHeaderRoute"]["name"] = step_name
    return yaml.safe_dump(document)


def test_a_header_route_needs_managed_routes_as_in_argo() -> None:
    with pytest.raises(SpecError) as raised:
        load(header_route_rollout(None, "argo-rollouts"))
    assert raised.value.reason == (
        "Rollout has missing field 'spec.strategy.canary.trafficRouting.managedRoutes'"
    )
    assert raised.value.path == f"{ROUTING}.managedRoutes"


def test_a_header_route_name_must_be_a_managed_route_as_in_argo() -> None:
    with pytest.raises(SpecError) as raised:
        load(header_route_rollout(["argo-rollouts"], "other"))
    assert raised.value.reason == (
        "Steps define a route that does not exist in spec.strategy.canary.trafficRouting.managedRoutes"
    )
    assert raised.value.path == "spec.strategy.canary.steps[2].setHeaderRoute"


def test_several_header_matches_load_for_the_plugin() -> None:
    document = yaml.safe_load(header_route_rollout(["argo-rollouts"], "argo-rollouts"))
    route = document["spec"]["strategy"]["canary"]["steps"][2]["setHeaderRoute"]
    route["match"].append({"headerName": "X-Region", "headerValue": {"prefix": "eu-"}})
    spec = load(yaml.safe_dump(copy.deepcopy(document)))
    assert spec.steps[2] == SetHeaderRoute(
        name="argo-rollouts",
        matches=(HeaderMatch("X-Test", exact="test"), HeaderMatch("X-Region", prefix="eu-")),
    )
