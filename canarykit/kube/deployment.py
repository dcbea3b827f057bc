"""`DeploymentWorkload`: the stable Deployment keeps serving; the canary is a `<name>-canary` Deployment."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from canarykit.errors import WorkloadError
from canarykit.kube.client import JsonObject, KubeAPI
from canarykit.kube.services import ServicePinning
from canarykit.kube.templates import (
    MANAGED_BY,
    REVISION_LABEL,
    deployment_ready,
    labelled,
    match_labels,
    only_container,
    revision_of,
    same_pods,
    template_revision,
    template_version,
    with_images,
)

DEPLOYMENTS = "deployments"


class DeploymentWorkload:
    """Runs versions as Deployments; pods carry `canarykit.io/revision`; each Service selects one revision.

    The version passed to `Rollout.run(version)` is the new image of `container` (the only container when
    not named), unless `template` gives the canary's whole pod template. `selector` and `replicas` are only
    needed for a first deploy, when the stable Deployment does not exist yet. `canary_service=""` pins no
    canary Service (blue-green: `BlueGreenServiceRouter` owns the preview).
    """

    def __init__(
        self,
        api: KubeAPI,
        name: str,
        namespace: str = "default",
        *,
        stable_service: str,
        canary_service: str,
        container: str | None = None,
        template: Mapping[str, Any] | None = None,
        selector: Mapping[str, str] | None = None,
        replicas: int | None = None,
    ) -> None:
        self.api, self.name, self.namespace = api, name, namespace
        self.canary_name = f"{name}-canary"
        self.container, self.template = container, dict(template) if template is not None else None
        self.selector, self.default_replicas = dict(selector or {}), replicas
        self.services = ServicePinning(api, namespace, stable_service, canary_service)
        self._canary_scale: int | None = None

    # -- the Workload protocol ----------------------------------------------------------------------------

    @property
    def replicas(self) -> int:
        stable = self._stable()
        if stable is None:
            return int(self.default_replicas or 1)
        return int(stable["spec"].get("replicas", 1))

    def needs_steps(self, version: str) -> bool:
        """False for a first deploy (no stable Deployment) or when stable already runs this version."""
        stable = self._stable()
        if stable is None:
            return False
        current, wanted = stable["spec"]["template"], self._canary_pod_template(version, stable)
        return template_revision(current) != template_revision(wanted) and not same_pods(current, wanted)

    def start_canary(self, version: str) -> None:
        stable = self._require_stable()
        template = self._canary_pod_template(version, stable)
        revision = template_revision(template)
        assert revision is not None  # _canary_pod_template always sets the revision label
        self._adopt_stable(stable)
        self._ensure_canary(stable, template, revision)

    def scale_canary(self, replicas: int) -> None:
        if replicas != self._canary_scale:
            self.api.scale(self.namespace, self.canary_name, replicas)
            self._canary_scale = replicas

    def canary_ready(self) -> bool:
        """Stable ready and pinned, then the canary ready and its Service pinned to the canary revision."""
        if not self.stable_ready():
            return False
        canary = self.api.get(DEPLOYMENTS, self.namespace, self.canary_name)
        if canary is None:
            raise WorkloadError(f"canary Deployment {self.canary_name!r} is gone")
        if not deployment_ready(canary):
            return False
        self.services.pin_canary(template_revision(canary["spec"]["template"]) or "")
        return True

    def promote(self, version: str) -> None:
        """Give the stable Deployment the canary's pod template (a rolling update), or create it."""
        stable = self._stable()
        if stable is None:
            self._create_stable(version)
            return
        canary = self.api.get(DEPLOYMENTS, self.namespace, self.canary_name)
        if canary is not None and template_version(canary["spec"]["template"]) == version:
            template = canary["spec"]["template"]  # the pods tested, not a leftover of another version
        else:
            template = self._canary_pod_template(version, stable)
        current = stable["spec"]["template"]
        if template_revision(current) is not None and same_pods(current, template):
            return  # stable already runs these pods: no restart just for a label or an annotation
        if template_revision(current) != template_revision(template):
            patch = [{"op": "replace", "path": "/spec/template", "value": template}]
            self.api.patch(DEPLOYMENTS, self.namespace, self.name, patch, "json")

    def stable_ready(self) -> bool:
        """Stable fully available on its template; its Service is then pinned to that revision, unless
        it selects the live canary's (a blue-green active switch, which `BlueGreenServiceRouter` owns)."""
        stable = self._require_stable()
        revision = template_revision(stable["spec"]["template"])
        if revision is None or not deployment_ready(stable):
            return False
        self.services.pin_stable(revision, unless_on=self.canary_revision)
        return True

    def stable_revision(self) -> str | None:
        """The revision the stable Deployment's pod template carries (None: absent or not yet labelled)."""
        stable = self._stable()
        return template_revision(stable["spec"]["template"]) if stable is not None else None

    @property
    def stable_version(self) -> str | None:
        """The version stable runs, when canarykit deployed it (what events name as the old version)."""
        stable = self._stable()
        return template_version(stable["spec"]["template"]) if stable is not None else None

    def canary_revision(self) -> str | None:
        """The revision the canary Deployment runs, read from the cluster (None: there is no canary)."""
        canary = self.api.get(DEPLOYMENTS, self.namespace, self.canary_name)
        return template_revision(canary["spec"]["template"]) if canary is not None else None

    def remove_canary(self) -> None:
        """The canary Service back on stable's pods, then the canary Deployment deleted."""
        stable = self._stable()
        revision = template_revision(stable["spec"]["template"]) if stable else None
        if revision is not None:
            self.services.pin_canary(revision)
        self.api.delete(DEPLOYMENTS, self.namespace, self.canary_name)
        self._canary_scale = None

    # -- templates ----------------------------------------------------------------------------------------

    def canary_template(self, version: str, stable: Mapping[str, Any]) -> dict[str, Any]:
        """The pod template the canary runs: `template`, or stable's with the image set to `version`."""
        if self.template is not None:
            return dict(self.template)
        base = stable["spec"]["template"]
        return with_images(base, {self.container or only_container(base): version})

    def _canary_pod_template(self, version: str, stable: Mapping[str, Any]) -> dict[str, Any]:
        template = labelled(self.canary_template(version, stable), "", version)
        return labelled(template, revision_of(template), version)

    # -- Deployments --------------------------------------------------------------------------------------

    def _stable(self) -> JsonObject | None:
        return self.api.get(DEPLOYMENTS, self.namespace, self.name)

    def _require_stable(self) -> JsonObject:
        stable = self._stable()
        if stable is None:
            raise WorkloadError(f"stable Deployment {self.namespace}/{self.name} not found")
        return stable

    def _adopt_stable(self, stable: JsonObject) -> None:
        """Stable pods without a revision label get one (a one-off rolling restart on the same images)."""
        template = stable["spec"]["template"]
        if template_revision(template) is None:
            value = labelled(template, revision_of(template))
            patch = [{"op": "replace", "path": "/spec/template", "value": value}]
            self.api.patch(DEPLOYMENTS, self.namespace, self.name, patch, "json")

    def _ensure_canary(self, stable: JsonObject, template: JsonObject, revision: str) -> None:
        """Create the canary Deployment at 0 replicas; a leftover of another revision is replaced."""
        existing = self.api.get(DEPLOYMENTS, self.namespace, self.canary_name)
        if existing is not None and template_revision(existing["spec"]["template"]) == revision:
            self._canary_scale = int(existing["spec"].get("replicas", 0))
            return
        if existing is not None:
            self.api.delete(DEPLOYMENTS, self.namespace, self.canary_name)
        body = self._deployment(
            self.canary_name, {**match_labels(stable), REVISION_LABEL: revision}, template, 0
        )
        self.api.create(DEPLOYMENTS, self.namespace, body)
        self._canary_scale = 0

    def _create_stable(self, version: str) -> None:
        if self.template is None or not self.selector:
            raise WorkloadError(
                f"stable Deployment {self.namespace}/{self.name} does not exist and no pod template and "
                "selector were given to create it"
            )
        template = self._canary_pod_template(version, {"spec": {"template": self.template}})
        body = self._deployment(self.name, self.selector, template, int(self.default_replicas or 1))
        self.api.create(DEPLOYMENTS, self.namespace, body)

    def _deployment(
        self, name: str, selector: Mapping[str, str], template: JsonObject, replicas: int
    ) -> JsonObject:
        return {
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "metadata": {"name": name, "namespace": self.namespace, "labels": dict(MANAGED_BY)},
            "spec": {"replicas": replicas, "selector": {"matchLabels": dict(selector)}, "template": template},
        }
