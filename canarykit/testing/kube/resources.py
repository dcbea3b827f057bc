"""The resource types the fake API serves: URL prefix and plural to kind, apiVersion, group; defaults."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

KubeObject = dict[str, Any]


@dataclass(frozen=True)
class ResourceType:
    """One namespaced resource, e.g. `deployments` in group `apps`, version `v1`, kind `Deployment`."""

    plural: str
    kind: str
    group: str
    version: str = "v1"
    has_status: bool = False

    @property
    def api_version(self) -> str:
        """`apps/v1` for a named group, plain `v1` for the core group."""
        return f"{self.group}/{self.version}" if self.group else self.version

    @property
    def url_prefix(self) -> str:
        """`/apis/apps/v1` for a named group, `/api/v1` for the core group."""
        return f"/apis/{self.api_version}" if self.group else f"/api/{self.version}"

    @property
    def qualified_name(self) -> str:
        """The name used in error messages: `deployments.apps`, or plain `services` for the core group."""
        return f"{self.plural}.{self.group}" if self.group else self.plural

    @property
    def list_kind(self) -> str:
        """The kind of a list response: `DeploymentList`."""
        return f"{self.kind}List"


DEPLOYMENTS = ResourceType("deployments", "Deployment", "apps", has_status=True)

RESOURCES: tuple[ResourceType, ...] = (
    DEPLOYMENTS,
    ResourceType("services", "Service", "", has_status=True),
    ResourceType("configmaps", "ConfigMap", ""),
    ResourceType("events", "Event", ""),
    ResourceType("pods", "Pod", "", has_status=True),
    ResourceType("ingresses", "Ingress", "networking.k8s.io", has_status=True),
    ResourceType("leases", "Lease", "coordination.k8s.io"),
    ResourceType("rollouts", "Rollout", "argoproj.io", "v1alpha1", has_status=True),
    ResourceType("replicasets", "ReplicaSet", "apps", has_status=True),
    ResourceType("secrets", "Secret", ""),
    ResourceType("jobs", "Job", "batch", has_status=True),
    ResourceType("httproutes", "HTTPRoute", "gateway.networking.k8s.io", has_status=True),
    ResourceType("grpcroutes", "GRPCRoute", "gateway.networking.k8s.io", has_status=True),
    ResourceType("tcproutes", "TCPRoute", "gateway.networking.k8s.io", "v1alpha2", has_status=True),
    ResourceType("tlsroutes", "TLSRoute", "gateway.networking.k8s.io", "v1alpha2", has_status=True),
)

_BY_URL = {(resource.url_prefix, resource.plural): resource for resource in RESOURCES}
_BY_PLURAL = {resource.plural: resource for resource in RESOURCES}
_BY_KIND = {(resource.api_version, resource.kind): resource for resource in RESOURCES}


def resource_at(url_prefix: str, plural: str) -> ResourceType | None:
    """The resource served under `url_prefix` (e.g. `/apis/apps/v1`) as `plural`, or None."""
    return _BY_URL.get((url_prefix, plural))


def resource_named(plural: str) -> ResourceType:
    """The resource with this plural (`deployments`); ValueError names the known ones otherwise."""
    try:
        return _BY_PLURAL[plural]
    except KeyError:
        raise ValueError(f"unknown resource {plural!r}; known: {sorted(_BY_PLURAL)}") from None


def resource_of(obj: KubeObject) -> ResourceType:
    """The resource an object belongs to, from its `apiVersion` and `kind`."""
    key = (str(obj.get("apiVersion")), str(obj.get("kind")))
    resource = _BY_KIND.get(key)
    if resource is None:
        raise ValueError(f"unknown apiVersion/kind {key}; known: {sorted(_BY_KIND)}")
    return resource


def apply_defaults(resource: ResourceType, obj: KubeObject) -> None:
    """Fill the defaults a real API server adds on every write (only for kinds that have some)."""
    if resource.kind == "Deployment":
        _default_deployment(obj)
    elif resource.kind == "Service":
        _default_service(obj)


def _default_deployment(obj: KubeObject) -> None:
    """Deployment spec defaults: one replica, a 25 % rolling update, 10 old revisions, 600 s deadline."""
    spec = obj.setdefault("spec", {})
    if spec.get("replicas") is None:
        spec["replicas"] = 1
    strategy = spec.setdefault("strategy", {"type": "RollingUpdate"})
    if strategy.get("type", "RollingUpdate") == "RollingUpdate":
        strategy["type"] = "RollingUpdate"
        strategy.setdefault("rollingUpdate", {"maxSurge": "25%", "maxUnavailable": "25%"})
    spec.setdefault("revisionHistoryLimit", 10)
    spec.setdefault("progressDeadlineSeconds", 600)


def _default_service(obj: KubeObject) -> None:
    """Service spec defaults: type ClusterIP, TCP ports whose targetPort is the port."""
    spec = obj.setdefault("spec", {})
    spec.setdefault("type", "ClusterIP")
    spec.setdefault("sessionAffinity", "None")
    for port in spec.get("ports") or []:
        port.setdefault("protocol", "TCP")
        if "port" in port:
            port.setdefault("targetPort", port["port"])
