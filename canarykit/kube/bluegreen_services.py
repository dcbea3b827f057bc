"""`BlueGreenServiceRouter`: blue-green on Kubernetes, active and preview Services moved between revisions.

Argo's `switchServiceSelector` (rollout/service.go): a Service's selector gains the pod-template label of one
revision (here `canarykit.io/revision`, canarykit's `rollouts-pod-template-hash`) in one merge patch, which
also adds `argo-rollouts.argoproj.io/managed-by-rollouts: <rollout>` the first time. Nothing is written when
the selector and the annotation are already right.

How it shares the Services with its `DeploymentWorkload(stable_service=<active>, canary_service="")` (what
`bind` builds): the workload pins the active Service as it pins a canary's stable Service (onto stable's
revision once stable is ready: an unlabelled stable adopted by `start_canary` is not cut off mid-restart),
and its `stable_ready` leaves an active Service that selects the live canary's revision alone: the switch onto
the new version is this router's alone, and a resumed driver polling `canary_ready` after it does not take
traffic off the new version. The preview is this router's alone (`canary_service=""`), so each preview move
is one patch carrying the annotation too; a workload given the preview as `canary_service` pins it to the
same revisions (preview on the canary once ready, on stable at `remove_canary`), one patch earlier.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from canarykit.errors import KubernetesError, RoutingError, SpecError
from canarykit.kube.argo_rollout import MANAGED_BY_ROLLOUTS
from canarykit.kube.client import JsonObject
from canarykit.kube.deployment import DeploymentWorkload
from canarykit.kube.services import SERVICES
from canarykit.kube.templates import REVISION_LABEL
from canarykit.steps.bluegreen import DUPLICATED_SERVICES

FULL_WEIGHT = 100
_T = TypeVar("_T")


class BlueGreenServiceRouter:
    """`set_weight(0)`: active selects stable's revision; `set_weight(100)`: the canary's; nothing between.

    `set_preview(True)` points the preview Service at the canary's revision, `False` at stable's; without a
    preview Service both do nothing and `get_preview()` is False. Reads come from the cluster, so a new router
    object (a resumed driver) sees where the Services are. While stable has taken the canary's revision
    (promoted, canary not yet removed), a Service on it reads as the canary side: 100, or preview True.
    Faults raise `RoutingError` naming the Service or Deployment; a weight other than 0 or 100 `SpecError`.
    """

    def __init__(
        self,
        workload: DeploymentWorkload,
        active_service: str,
        preview_service: str | None = None,
        rollout_name: str | None = None,
    ) -> None:
        if not active_service:
            raise SpecError("blue-green needs an active Service", "active_service")
        if active_service == preview_service:
            raise SpecError(DUPLICATED_SERVICES, "active_service")
        self.workload, self.api, self.namespace = workload, workload.api, workload.namespace
        self.active_service, self.preview_service = active_service, preview_service or None
        self.rollout_name = rollout_name or workload.name

    def check(self) -> None:
        """`SpecError` when the active or preview Service does not exist (nothing is changed)."""
        for service in self._services():
            if self._get(service) is None:
                raise SpecError(f"Service {self.namespace}/{service} not found")

    def set_weight(self, weight: int) -> None:
        if isinstance(weight, bool) or weight not in (0, FULL_WEIGHT):
            raise SpecError(
                f"blue-green switches all or nothing: weight 0 (stable) or {FULL_WEIGHT} (the new version), "
                f"not {weight!r}",
                "weight",
            )
        self._switch(self.active_service, canary=weight == FULL_WEIGHT)

    def get_weight(self) -> int:
        """0 while the active Service selects stable's revision, 100 while it selects the canary's."""
        return FULL_WEIGHT if self._on_canary(self.active_service) else 0

    def set_preview(self, canary: bool) -> None:
        if self.preview_service is not None:
            self._switch(self.preview_service, canary)

    def get_preview(self) -> bool:
        return self.preview_service is not None and self._on_canary(self.preview_service)

    # -- switching and reading ----------------------------------------------------------------------------

    def _switch(self, service: str, canary: bool) -> None:
        """Point `service` at the canary's or stable's revision: one merge patch, none when already there."""
        target = self._revision(canary)
        found = self._read(service)
        current = _pinned(found)
        if target is None:
            if canary or current is not None:
                raise RoutingError(f"cannot point Service {self._name(service)} at {self._side(canary)}")
            return  # an unpinned Service beside an unlabelled stable: it already selects only stable's pods
        annotations = found.get("metadata", {}).get("annotations") or {}
        if current == target and MANAGED_BY_ROLLOUTS in annotations:
            return
        patch: JsonObject = {"spec": {"selector": {REVISION_LABEL: target}}}
        if MANAGED_BY_ROLLOUTS not in annotations:
            patch["metadata"] = {"annotations": {MANAGED_BY_ROLLOUTS: self.rollout_name}}
        self._call(service, lambda: self.api.patch(SERVICES, self.namespace, service, patch, "merge"))

    def _on_canary(self, service: str) -> bool:
        """Whether `service` selects the canary's revision (True) or stable's (False); else `RoutingError`."""
        current = _pinned(self._read(service))
        canary, stable = self._revision(True), self._revision(False)
        if current is not None and current == canary:
            return True
        if current is not None and current == stable:
            return False
        if current is None and canary is None:
            return False  # it selects every revision, and only stable runs
        what = "every revision" if current is None else f"{REVISION_LABEL}={current}"
        raise RoutingError(
            f"Service {self._name(service)} selects {what}, neither stable's revision {stable} nor the "
            f"canary's {canary}"
        )

    def _revision(self, canary: bool) -> str | None:
        workload = self.workload
        if canary:
            return self._call(workload.canary_name, workload.canary_revision, "Deployment")
        return self._call(workload.name, workload.stable_revision, "Deployment")

    def _side(self, canary: bool) -> str:
        if canary:
            return f"the canary: Deployment {self.namespace}/{self.workload.canary_name} does not exist"
        return (
            f"stable: Deployment {self.namespace}/{self.workload.name} is missing or has no {REVISION_LABEL}"
        )

    def _read(self, service: str) -> JsonObject:
        found = self._get(service)
        if found is None:
            raise RoutingError(f"Service {self._name(service)} not found")
        return found

    def _get(self, service: str) -> JsonObject | None:
        return self._call(service, lambda: self.api.get(SERVICES, self.namespace, service))

    def _call(self, name: str, action: Callable[[], _T], kind: str = "Service") -> _T:
        """`action()`, its API faults raised as `RoutingError` naming the object."""
        try:
            return action()
        except KubernetesError as error:
            raise RoutingError(f"{kind} {self.namespace}/{name}: {error}") from error

    def _name(self, service: str) -> str:
        return f"{self.namespace}/{service}"

    def _services(self) -> list[str]:
        return [self.active_service, *([self.preview_service] if self.preview_service else [])]


def _pinned(service: JsonObject) -> str | None:
    value = ((service.get("spec") or {}).get("selector") or {}).get(REVISION_LABEL)
    return str(value) if value is not None else None
