"""Kubernetes: ingress-nginx and Gateway API routing, Deployments, state in the cluster.

The only package importing `kubernetes`, and only when a connection is made (`connect()`)."""

from canarykit.kube.adopt import AdoptedAt
from canarykit.kube.bind import KubeBinding, bind
from canarykit.kube.bluegreen_services import BlueGreenServiceRouter
from canarykit.kube.canary_ingress import build_canary_ingress, canary_ingress_name
from canarykit.kube.client import KubeAPI
from canarykit.kube.cluster import KubeCluster
from canarykit.kube.connect import connect
from canarykit.kube.deployment import DeploymentWorkload
from canarykit.kube.gateway_router import GatewayAPIRouter, GatewayRoute
from canarykit.kube.jobs import JobProvider
from canarykit.kube.nginx_router import NginxIngressRouter
from canarykit.kube.state_store import KubernetesStateStore
from canarykit.kube.templates import REVISION_LABEL

__all__ = [
    "REVISION_LABEL",
    "AdoptedAt",
    "BlueGreenServiceRouter",
    "DeploymentWorkload",
    "GatewayAPIRouter",
    "GatewayRoute",
    "JobProvider",
    "KubeAPI",
    "KubeBinding",
    "KubeCluster",
    "KubernetesStateStore",
    "NginxIngressRouter",
    "bind",
    "build_canary_ingress",
    "canary_ingress_name",
    "connect",
]
