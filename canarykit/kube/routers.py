"""The traffic router a loaded Argo Rollout asks for: ingress-nginx, the Gateway API plugin's, or (blue-green,
built by `bind` with its workload) the active and preview Services' selectors."""

from __future__ import annotations

from typing import TYPE_CHECKING

from canarykit.errors import SpecError
from canarykit.kube.bluegreen_services import BlueGreenServiceRouter
from canarykit.kube.client import KubeAPI
from canarykit.kube.gateway_router import GatewayAPIRouter, GatewayRoute
from canarykit.kube.nginx_router import NginxIngressRouter

if TYPE_CHECKING:
    from canarykit.argo.rollout import RolloutSpec

ROUTING = "spec.strategy.canary.trafficRouting"
BLUE_GREEN = "spec.strategy.blueGreen"
IngressRouter = NginxIngressRouter | GatewayAPIRouter
KubeRouter = IngressRouter | BlueGreenServiceRouter


def router_for(
    spec: RolloutSpec, api: KubeAPI, namespace: str, delete_on_complete: bool = False
) -> IngressRouter:
    """The router of `spec`'s `trafficRouting`, built but not checked (nothing read from the cluster yet)."""
    stable, canary = spec.stable_service, spec.canary_service
    if not stable or not canary:
        raise SpecError("needs stableService and canaryService to run on Kubernetes", "spec.strategy.canary")
    if spec.gateway_api is not None:
        routing = spec.gateway_api
        routes = [GatewayRoute(r.kind, r.name, r.selector, r.use_header_routes) for r in routing.routes]
        return GatewayAPIRouter(
            api,
            stable,
            canary,
            routes,
            namespace=routing.namespace or namespace,
            max_weight=routing.max_weight,
            managed_routes=routing.managed_routes,
            in_progress_label=routing.in_progress_label,
        )
    nginx = spec.nginx
    if nginx is None:
        raise SpecError("needs trafficRouting.nginx or the gatewayAPI plugin to run on Kubernetes", ROUTING)
    return NginxIngressRouter(
        api,
        spec.name,
        nginx.stable_ingresses,
        stable,
        canary,
        namespace=namespace,
        annotation_prefix=nginx.annotation_prefix,
        additional_annotations=nginx.additional_ingress_annotations,
        canary_annotations=nginx.canary_ingress_annotations,
        max_weight=nginx.max_weight,
        delete_on_complete=delete_on_complete,
    )
