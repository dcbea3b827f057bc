"""Pinning the stable and canary Services to one pod revision each, so neither selects the other version."""

from __future__ import annotations

from collections.abc import Callable

from canarykit.errors import WorkloadError
from canarykit.kube.client import JsonObject, KubeAPI
from canarykit.kube.templates import REVISION_LABEL

SERVICES = "services"


class ServicePinning:
    """Adds `canarykit.io/revision=<hash>` to a Service's selector (a merge patch, only when it changes).

    An empty Service name (Argo's `previewService: ""`, no preview) is pinned nowhere.
    """

    def __init__(self, api: KubeAPI, namespace: str, stable_service: str, canary_service: str) -> None:
        self.api, self.namespace = api, namespace
        self.stable_service, self.canary_service = stable_service, canary_service

    def pin_stable(self, revision: str, unless_on: Callable[[], str | None] | None = None) -> None:
        """Pin the stable Service, unless it selects the revision `unless_on()` names (read only then)."""
        self._pin(self.stable_service, revision, unless_on)

    def pin_canary(self, revision: str) -> None:
        self._pin(self.canary_service, revision)

    def pinned(self, service: str) -> str | None:
        """The revision `service` selects now (None when it selects every revision)."""
        selector = self._read(service)["spec"].get("selector") or {}
        value = selector.get(REVISION_LABEL)
        return str(value) if value is not None else None

    def _pin(self, service: str, revision: str, unless_on: Callable[[], str | None] | None = None) -> None:
        if not service:
            return
        if not revision:
            raise WorkloadError(f"cannot point Service {service!r} at an unlabelled revision")
        current = self.pinned(service)
        if current == revision or (current is not None and unless_on is not None and current == unless_on()):
            return
        patch = {"spec": {"selector": {REVISION_LABEL: revision}}}
        self.api.patch(SERVICES, self.namespace, service, patch, "merge")

    def _read(self, service: str) -> JsonObject:
        found = self.api.get(SERVICES, self.namespace, service)
        if found is None:
            raise WorkloadError(f"Service {self.namespace}/{service} not found")
        return found
