"""`trafficRouting.plugins["argoproj-labs/gatewayAPI"]`: the Gateway API plugin's configuration.

Per argoproj-labs/rollouts-plugin-trafficrouter-gatewayapi (`pkg/plugin/types.go`, `plugin.go`): HTTPRoutes,
then GRPC, TCP and TLS routes; of each kind, those listed in `httpRoutes` etc. (`{name, useHeaderRoutes}`),
then the single `httpRoute` etc. (which always takes header routes), then those found by the
`*RouteSelector` label selector (never header routes). `namespace` defaults to the Rollout's. Unlike the
plugin, which ignores unknown keys, a misspelt key is refused here.
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import ValidationError

from canarykit.argo.models import ArgoModel
from canarykit.argo.rollout_models import LabelSelector, TrafficRoutingModel
from canarykit.errors import SpecError, UnsupportedFeature

PLUGIN_NAME = "argoproj-labs/gatewayAPI"
NO_ROUTES = (
    "No routes configured. At least one of 'httpRoutes', 'grpcRoutes', 'tcpRoutes', 'tlsRoutes', "
    "'httpRoute', 'grpcRoute', 'tcpRoute' or 'tlsRoute' must be set"
)
KINDS = {"http": "HTTPRoute", "grpc": "GRPCRoute", "tcp": "TCPRoute", "tls": "TLSRoute"}
DEFAULT_LABEL = ("rollouts.argoproj.io/gatewayapi-canary", "in-progress")


class RouteNameModel(ArgoModel):
    name: str = ""
    use_header_routes: bool = False


class GatewayAPIPluginModel(ArgoModel):
    http_route: str = ""
    grpc_route: str = ""
    tcp_route: str = ""
    tls_route: str = ""
    namespace: str = ""
    http_routes: tuple[RouteNameModel, ...] = ()
    grpc_routes: tuple[RouteNameModel, ...] = ()
    tcp_routes: tuple[RouteNameModel, ...] = ()
    tls_routes: tuple[RouteNameModel, ...] = ()
    http_route_selector: LabelSelector | None = None
    grpc_route_selector: LabelSelector | None = None
    tcp_route_selector: LabelSelector | None = None
    tls_route_selector: LabelSelector | None = None
    disable_in_progress_label: bool = False
    in_progress_label_key: str = ""
    in_progress_label_value: str = ""


@dataclass(frozen=True)
class RouteTarget:
    """One route the router changes: by `name`, or every route its label `selector` finds."""

    kind: str
    name: str | None = None
    selector: str | None = None
    use_header_routes: bool = False


@dataclass(frozen=True)
class GatewayAPIRouting:
    """The loaded plugin configuration, plus the Rollout's `managedRoutes` and `maxTrafficWeight`."""

    routes: tuple[RouteTarget, ...]
    namespace: str | None = None
    in_progress_label: tuple[str, str] | None = DEFAULT_LABEL
    managed_routes: tuple[str, ...] = ()
    max_weight: int | None = None


def gateway_api_routing(routing: TrafficRoutingModel | None, path: str) -> GatewayAPIRouting | None:
    """The Gateway API plugin's configuration in `routing`, or None when no plugin is configured."""
    if routing is None or not routing.plugins:
        return None
    others = sorted(name for name in routing.plugins if name != PLUGIN_NAME)
    if others:
        raise UnsupportedFeature(
            f"traffic router plugin {others[0]!r} is not supported (only {PLUGIN_NAME!r})",
            f"{path}.plugins.{others[0]}",
        )
    where = f"{path}.plugins.{PLUGIN_NAME}"
    config = _parse(routing.plugins[PLUGIN_NAME], where)
    return GatewayAPIRouting(
        routes=_routes(config, where),
        namespace=config.namespace or None,
        in_progress_label=None if config.disable_in_progress_label else _label(config),
        managed_routes=tuple(route.name for route in routing.managed_routes or ()),
        max_weight=routing.max_traffic_weight,
    )


def _parse(raw: object, where: str) -> GatewayAPIPluginModel:
    if not isinstance(raw, dict):
        raise SpecError(f"the plugin configuration must be a mapping, got {type(raw).__name__}", where)
    try:
        return GatewayAPIPluginModel.model_validate(raw)
    except ValidationError as error:
        first = error.errors()[0]
        field = ".".join(str(part) for part in first["loc"])
        problem = "unknown field" if first["type"] == "extra_forbidden" else first["msg"]
        raise SpecError(problem, f"{where}.{field}") from None


def _routes(config: GatewayAPIPluginModel, where: str) -> tuple[RouteTarget, ...]:
    """Per kind (HTTP, gRPC, TCP, TLS, the plugin's order): listed routes, the single one, the selector."""
    routes: list[RouteTarget] = []
    for short, kind in KINDS.items():
        for index, route in enumerate(getattr(config, f"{short}_routes")):
            if not route.name:
                raise SpecError("name is required", f"{where}.{short}Routes[{index}].name")
            routes.append(RouteTarget(kind, name=route.name, use_header_routes=route.use_header_routes))
        if getattr(config, f"{short}_route"):
            routes.append(RouteTarget(kind, name=getattr(config, f"{short}_route"), use_header_routes=True))
        selector = getattr(config, f"{short}_route_selector")
        if selector is not None:
            text = selector_string(selector, f"{where}.{short}RouteSelector")
            routes.append(RouteTarget(kind, selector=text))
    if not routes:
        raise SpecError(NO_ROUTES, where)
    return tuple(routes)


def _label(config: GatewayAPIPluginModel) -> tuple[str, str]:
    return (
        config.in_progress_label_key or DEFAULT_LABEL[0],
        config.in_progress_label_value or DEFAULT_LABEL[1],
    )


def selector_string(selector: LabelSelector, where: str) -> str:
    """The `labelSelector` query for `selector` (`app=web,tier in (a,b),!canary`), sorted by key."""
    clauses = [(key, f"{key}={value}") for key, value in selector.match_labels.items()]
    for index, expression in enumerate(selector.match_expressions):
        clauses.append(_expression(expression, f"{where}.matchExpressions[{index}]"))
    return ",".join(text for _, text in sorted(clauses))


def _expression(expression: dict[str, object], where: str) -> tuple[str, str]:
    key, operator, values = expression.get("key"), expression.get("operator"), expression.get("values") or []
    if not isinstance(key, str) or not key:
        raise SpecError("key is required", f"{where}.key")
    if not isinstance(values, list) or not all(isinstance(value, str) for value in values):
        raise SpecError("values must be a list of strings", f"{where}.values")
    if operator in ("In", "NotIn"):
        if not values:
            raise SpecError("for 'In', 'NotIn' operators, values set can't be empty", f"{where}.values")
        return key, f"{key} {str(operator).lower()} ({','.join(sorted(values))})"
    if operator in ("Exists", "DoesNotExist"):
        if values:
            raise SpecError("values set must be empty for exists and does not exist", f"{where}.values")
        return key, key if operator == "Exists" else f"!{key}"
    raise SpecError(f"{operator!r} is not a valid label selector operator", f"{where}.operator")
