"""Argo's Rollout spec validation (pkg/apis/rollouts/validation), first problem wins, with its field path."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from canarykit.argo.bluegreen import check_blue_green
from canarykit.argo.models import IntOrString, snake_case
from canarykit.argo.pod_template import check_pod_template
from canarykit.argo.rollout_models import (
    UNSUPPORTED_ROUTERS,
    BlueGreenStrategyModel,
    CanaryStrategyModel,
    NginxModel,
    RolloutSpecModel,
    TrafficRoutingModel,
)
from canarykit.errors import SpecError, UnsupportedFeature

MISSING_FIELD = "Rollout has missing field '{}'"
CANARY = "spec.strategy.canary"
DUPLICATED_SERVICES = (
    "This rollout uses the same service for the stable and canary services, "
    "but two different services are required."
)
SERVICES_REQUIRED = "Canary service and Stable service must to be set to use Traffic Routing"
INGRESS_CHOICE = "Either StableIngress or StableIngresses must be configured. {} are configured."
HEADER_ROUTE_NEEDS_ROUTING = "SetHeaderRoute requires TrafficRouting, supports Istio and ALB and Apisix"
ROUTE_NOT_MANAGED = (
    "Steps define a route that does not exist in spec.strategy.canary.trafficRouting.managedRoutes"
)
MANAGED_ROUTES = f"{CANARY}.trafficRouting.managedRoutes"
SINGLE_HEADER = "ingress-nginx routes on a single header: one match only"


def validate_spec(spec: RolloutSpecModel) -> CanaryStrategyModel | BlueGreenStrategyModel:
    """Checks the Rollout spec as Argo does; returns its strategy (canary or blueGreen)."""
    if spec.workload_ref is not None:
        raise UnsupportedFeature("workloadRef is not supported; inline the pod template", "spec.workloadRef")
    _check_selector(spec)
    if spec.progress_deadline_seconds <= spec.min_ready_seconds:
        raise SpecError("must be greater than minReadySeconds", "spec.progressDeadlineSeconds")
    strategy = _strategy(spec)
    if isinstance(strategy, BlueGreenStrategyModel):
        check_blue_green(strategy, spec.revision_history_limit)
    else:
        _check_canary(strategy)
    return strategy


def _check_selector(spec: RolloutSpecModel) -> None:
    selector = spec.selector
    if selector is None:
        raise SpecError(MISSING_FIELD.format(".spec.selector"), "spec.selector")
    if not selector.match_labels and not selector.match_expressions:
        raise SpecError("empty selector is invalid for deployment", "spec.selector")
    check_pod_template(spec.template)
    template: Mapping[str, Any] = spec.template or {}  # its shape was checked just above
    if not (template.get("spec") or {}).get("containers"):
        raise SpecError("Required value", "spec.template.spec.containers")
    labels = (template.get("metadata") or {}).get("labels") or {}
    if any(labels.get(key) != value for key, value in selector.match_labels.items()):
        raise SpecError("`selector` does not match template `labels`", "spec.template.metadata.labels")


def _strategy(spec: RolloutSpecModel) -> CanaryStrategyModel | BlueGreenStrategyModel:
    strategy = spec.strategy
    if strategy.canary is not None and strategy.blue_green is not None:
        raise SpecError("Multiple Strategies can not be listed", "spec.strategy")
    if strategy.blue_green is not None:
        return strategy.blue_green
    if strategy.canary is None:
        missing = MISSING_FIELD.format(".spec.strategy.canary or .spec.strategy.blueGreen")
        raise SpecError(missing, "spec.strategy")
    return strategy.canary


def _check_canary(canary: CanaryStrategyModel) -> None:
    if _int_or_percent(canary.max_surge) == 0 and _int_or_percent(canary.max_unavailable) == 0:
        raise SpecError("MaxSurge and MaxUnavailable both can not be zero", f"{CANARY}.maxSurge")
    for field in ("pingPong", "antiAffinity"):
        if getattr(canary, snake_case(field)) is not None:
            raise UnsupportedFeature(f"{field} is not supported", f"{CANARY}.{field}")
    if canary.canary_service and canary.canary_service == canary.stable_service:
        raise SpecError(DUPLICATED_SERVICES, f"{CANARY}.stableService")
    routing = canary.traffic_routing
    if routing is None:
        _check_without_routing(canary)
        return
    nginx = _check_router(routing)
    for field in ("stableService", "canaryService"):
        if not getattr(canary, snake_case(field)):
            raise SpecError(SERVICES_REQUIRED, f"{CANARY}.{field}")
    if canary.scale_down_delay_seconds is not None and canary.dynamic_stable_scale:
        message = "Canary dynamicStableScale cannot be used with scaleDownDelaySeconds"
        raise SpecError(message, f"{CANARY}.dynamicStableScale")
    _check_header_routes(canary, routing)
    if nginx is not None:
        _check_ingresses(nginx)  # Argo checks the Ingresses after the spec (with the referenced resources)


def _check_without_routing(canary: CanaryStrategyModel) -> None:
    if canary.scale_down_delay_seconds is not None:
        message = "Canary scaleDownDelaySeconds can only be used with traffic routing"
        raise SpecError(message, f"{CANARY}.scaleDownDelaySeconds")
    if canary.dynamic_stable_scale:
        raise SpecError(
            "Canary dynamicStableScale can only be used with traffic routing", f"{CANARY}.dynamicStableScale"
        )
    for index, step in enumerate(canary.steps):
        if step.set_canary_scale is not None:
            raise SpecError("SetCanaryScale requires TrafficRouting to be set", f"{CANARY}.trafficRouting")
        if step.set_header_route is not None:
            raise SpecError(HEADER_ROUTE_NEEDS_ROUTING, f"{CANARY}.steps[{index}].setHeaderRoute")


def _check_router(routing: TrafficRoutingModel) -> NginxModel | None:
    """The NGINX routing, or None for the Gateway API plugin; any other router is refused."""
    path = f"{CANARY}.trafficRouting"
    for router in UNSUPPORTED_ROUTERS:
        if getattr(routing, snake_case(router)) is not None:
            raise UnsupportedFeature(
                f"{router} traffic routing is not supported (NGINX and the Gateway API plugin only)",
                f"{path}.{router}",
            )
    if routing.nginx is not None and routing.plugins:
        raise UnsupportedFeature("one traffic router at a time: nginx or a plugin", f"{path}.plugins")
    if routing.nginx is None and not routing.plugins:
        raise SpecError("trafficRouting needs a router: canarykit supports nginx and gatewayAPI", path)
    return routing.nginx


def _check_header_routes(canary: CanaryStrategyModel, routing: TrafficRoutingModel) -> None:
    """ingress-nginx routes on one header; with a plugin, Argo's managedRoutes rules apply."""
    for index, step in enumerate(canary.steps):
        header_route = step.set_header_route
        if header_route is None:
            continue
        path = f"{CANARY}.steps[{index}].setHeaderRoute"
        if routing.nginx is not None:
            if len(header_route.match) > 1:
                raise UnsupportedFeature(SINGLE_HEADER, f"{path}.match")
            continue
        if routing.managed_routes is None:
            raise SpecError(MISSING_FIELD.format(f"{CANARY}.trafficRouting.managedRoutes"), MANAGED_ROUTES)
        if header_route.name not in {route.name for route in routing.managed_routes}:
            raise SpecError(ROUTE_NOT_MANAGED, path)


def _check_ingresses(nginx: NginxModel) -> None:
    path = f"{CANARY}.trafficRouting"
    single, multiple = bool(nginx.stable_ingress), bool(nginx.stable_ingresses)
    if single == multiple:
        raise SpecError(INGRESS_CHOICE.format("Both" if single else "Neither"), f"{path}.nginx")


def _int_or_percent(value: IntOrString | None) -> int:
    """Argo's getIntOrPercentValue with the default "25": "N%" is N, an int is itself, other strings atoi."""
    if value is None:
        return 25
    if isinstance(value, int):
        return value
    match = re.fullmatch(r"(\d+)%", value) or re.fullmatch(r"([+-]?\d+)", value)
    return int(match.group(1)) if match else 0
