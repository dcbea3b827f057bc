"""`bind()`: from a loaded Argo Rollout to a router and a workload on a cluster, checked before any change."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from canarykit.errors import SpecError, UnsupportedFeature
from canarykit.kube.adopt import AdoptedAt, Adoption
from canarykit.kube.bluegreen_services import BlueGreenServiceRouter
from canarykit.kube.client import KubeAPI
from canarykit.kube.cluster import KubeCluster
from canarykit.kube.deployment import DEPLOYMENTS, DeploymentWorkload
from canarykit.kube.nginx_router import NginxIngressRouter
from canarykit.kube.routers import BLUE_GREEN, ROUTING, IngressRouter, KubeRouter, router_for
from canarykit.kube.services import SERVICES
from canarykit.kube.templates import REVISION_LABEL, match_labels, revision_of, with_images

if TYPE_CHECKING:
    from canarykit.argo.rollout import RolloutSpec
    from canarykit.rollout.orchestrator import Rollout


@dataclass
class KubeBinding:
    """What `bind()` found and built: run `binding.rollout(**options).run(binding.version)`."""

    spec: RolloutSpec
    namespace: str
    router: KubeRouter
    workload: DeploymentWorkload
    version: str
    first_deploy: bool
    adoption: Adoption | None = None
    """Set by `bind(..., adopt=True)`: the live Argo Rollout to take over (checked, untouched so far)."""

    def rollout(self, **options: Any) -> Rollout:
        """`Rollout.from_spec` with this router and workload (`prometheus=`, `clock=`, `state=`...)."""
        from canarykit.rollout.orchestrator import Rollout

        return Rollout.from_spec(self.spec, self.router, self.workload, **options)

    def take_over(self, rollout: Rollout) -> AdoptedAt:
        """Take the Argo Rollout over for `rollout` (built by `self.rollout(state=...)`): see `kube.adopt`.

        Then `rollout.run(self.version)` goes on from the step and weight Argo had reached.
        """
        if self.adoption is None:
            raise SpecError("take_over needs a binding made with bind(..., adopt=True)")
        return self.adoption.take_over(rollout, self.version)


def bind(
    spec: RolloutSpec,
    api: KubeAPI,
    images: Mapping[str, str] | None = None,
    namespace: str | None = None,
    delete_on_complete: bool = False,
    adopt: bool = False,
) -> KubeBinding:
    """Router and workload for `spec` in `namespace` (default: the Rollout's, else "default").

    `images` (`{"canary-demo": "argoproj/rollouts-demo:green"}`, `*` for every container) is applied to
    the Rollout's pod template to make the new version. The router is ingress-nginx's or, for
    `trafficRouting.plugins["argoproj-labs/gatewayAPI"]`, a `GatewayAPIRouter`; for `strategy.blueGreen`, a
    `BlueGreenServiceRouter` on the activeService and previewService. Missing Services, Ingresses
    or routes, an Ingress or route without the stable and canary backends, or an unknown container raise
    before anything in the cluster changes.
    When the stable Deployment does not exist yet, the rollout is a first deploy: no steps, no analysis.
    `adopt=True` binds to the live Argo Rollout of the same name instead (`canarykit.kube.adopt`): it is
    read and checked here, and taken over by `binding.take_over(rollout)`.
    """
    namespace = namespace or spec.namespace or "default"
    spec = spec.with_cluster(KubeCluster(api, namespace))  # Secrets read and Jobs run in this namespace
    if adopt and spec.blue_green is not None:
        raise UnsupportedFeature(
            "adopting a live Argo Rollout is only done for the canary strategy", BLUE_GREEN
        )
    ingress_router = router_for(spec, api, namespace, delete_on_complete) if spec.blue_green is None else None
    stable_service, canary_service = _services(spec, ingress_router)
    template = with_images(spec.pod_template, images or {})
    _check_template(spec, template)
    _check_services(spec, api, namespace, template, (stable_service, canary_service))
    if adopt and not isinstance(ingress_router, NginxIngressRouter):
        raise UnsupportedFeature("adopting a live Argo Rollout needs trafficRouting.nginx", ROUTING)
    if ingress_router is not None and not adopt:
        ingress_router.check()  # with adopt: by the adoption, which accepts the Argo Rollout's canary Ingress
    stable = api.get(DEPLOYMENTS, namespace, spec.name)
    if stable is not None:
        _check_selector(spec, stable)
    workload = DeploymentWorkload(
        api,
        spec.name,
        namespace,
        stable_service=stable_service,
        canary_service=canary_service if spec.blue_green is None else "",  # the preview: the router's
        template=template,
        selector=_selector(spec),
        replicas=spec.replicas,
    )
    router = ingress_router or BlueGreenServiceRouter(workload, stable_service, canary_service, spec.name)
    version = _version(images, template)
    nginx = router if isinstance(router, NginxIngressRouter) else None  # adopt needs it, checked above
    adoption = Adoption(api, spec, template, nginx, workload) if adopt and nginx else None
    if adoption is not None:
        adoption.inspect()
    first_deploy = stable is None and adoption is None
    return KubeBinding(spec, namespace, router, workload, version, first_deploy, adoption)


def _services(spec: RolloutSpec, router: IngressRouter | None) -> tuple[str, str]:
    """(stable or active Service, canary or preview Service); "" for a blue-green release without preview."""
    if spec.blue_green is not None:
        return spec.blue_green.active_service, spec.blue_green.preview_service or ""
    assert router is not None  # built for every canary spec
    return router.stable_service, router.canary_service


def _check_services(
    spec: RolloutSpec, api: KubeAPI, namespace: str, template: Mapping[str, Any], names: tuple[str, str]
) -> None:
    """The Services exist; a blue-green one selects only labels of the pods (Argo's `ValidateService`)."""
    where = "spec.strategy.canary" if spec.blue_green is None else BLUE_GREEN
    labels = template.get("metadata", {}).get("labels", {}) or {}
    for field, name in zip(("activeService", "previewService"), names, strict=True):
        found = api.get(SERVICES, namespace, name) if name else {}
        if found is None:
            raise SpecError(f"Service {namespace}/{name} not found", where)
        if spec.blue_green is None:
            continue
        for key, value in ((found.get("spec") or {}).get("selector") or {}).items():
            if key != REVISION_LABEL and labels.get(key) != value:
                raise SpecError(f'Service "{name}" has unmatch label "{key}" in rollout', f"{where}.{field}")


def _selector(spec: RolloutSpec) -> dict[str, str]:
    document = spec.document
    selector = document.spec.selector if document is not None else None
    labels = dict(selector.match_labels) if selector is not None else {}
    if not labels:
        raise SpecError("needs selector.matchLabels to manage Deployments", "spec.selector")
    return labels


def _check_template(spec: RolloutSpec, template: Mapping[str, Any]) -> None:
    """The pod template must exist, have containers, and carry the selector's labels."""
    if not template.get("spec", {}).get("containers"):
        raise SpecError("needs a pod template with containers", "spec.template")
    labels = template.get("metadata", {}).get("labels", {}) or {}
    missing = {k: v for k, v in _selector(spec).items() if labels.get(k) != v}
    if missing:
        raise SpecError(f"selector does not match template labels (missing {missing})", "spec.template")


def _check_selector(spec: RolloutSpec, stable: Mapping[str, Any]) -> None:
    if match_labels(stable) != _selector(spec):
        raise SpecError(
            f"Deployment {spec.name!r} selects {match_labels(stable)}, the Rollout {_selector(spec)}",
            "spec.selector",
        )


def _version(images: Mapping[str, str] | None, template: Mapping[str, Any]) -> str:
    """`container=image` pairs when images were given, else the pod template's revision hash."""
    if images:
        return ",".join(f"{container}={image}" for container, image in sorted(images.items()))
    return revision_of(template)
