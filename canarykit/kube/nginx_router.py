"""`NginxIngressRouter`: ingress-nginx canary Ingresses, one per stable Ingress, kept as Argo keeps them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from canarykit.errors import KubernetesError, RoutingError, SpecError
from canarykit.kube.canary_ingress import (
    DEFAULT_ANNOTATION_PREFIX,
    DEFAULT_MAX_WEIGHT,
    build_canary_ingress,
    canary_ingress_name,
)
from canarykit.kube.canary_owner import INGRESSES, ROLLOUT_ANNOTATION, check_owner, owner_reference_to
from canarykit.kube.client import JsonObject, KubeAPI
from canarykit.kube.header_route import cleared_header_route_annotations, header_route_annotations
from canarykit.kube.templates import MANAGED_BY


class NginxIngressRouter:
    """Sets `<prefix>/canary-weight` on `<rollout>-<stableIngress>-canary` for every stable Ingress.

    The canary Ingress is created on the first weight (or re-read and patched when it exists), and is kept
    at weight 0 when the rollout ends, as Argo does, unless `delete_on_complete=True`. One that another
    owner controls is refused. `check()` validates everything without changing the cluster.
    """

    def __init__(
        self,
        api: KubeAPI,
        rollout_name: str,
        stable_ingresses: str | Sequence[str],
        stable_service: str,
        canary_service: str,
        namespace: str = "default",
        annotation_prefix: str = DEFAULT_ANNOTATION_PREFIX,
        additional_annotations: Mapping[str, str] | None = None,
        canary_annotations: Mapping[str, str] | None = None,
        max_weight: int | None = None,
        delete_on_complete: bool = False,
    ) -> None:
        names = [stable_ingresses] if isinstance(stable_ingresses, str) else list(stable_ingresses)
        if not names:
            raise SpecError("NginxIngressRouter needs at least one stable ingress")
        self.api, self.rollout_name, self.namespace = api, rollout_name, namespace
        self.stable_ingresses = names
        self.stable_service, self.canary_service = stable_service, canary_service
        self.annotation_prefix, self.max_weight = annotation_prefix, max_weight
        self.additional_annotations = dict(additional_annotations or {})
        self.canary_annotations = dict(canary_annotations or {})
        self.delete_on_complete = delete_on_complete
        self._header: dict[str, str] = {}

    def canary_names(self) -> list[str]:
        return [canary_ingress_name(self.rollout_name, name) for name in self.stable_ingresses]

    def check(self) -> None:
        """`SpecError`/`RoutingError` for a missing or rule-less stable Ingress, or a foreign canary."""
        self.check_for_adoption(None)

    def check_for_adoption(self, argo_rollout: JsonObject | None) -> None:
        """`check()`, accepting canary Ingresses that `argo_rollout` (a live Argo Rollout) controls."""
        for stable_name in self.stable_ingresses:
            self._desired(self.stable_ingress(stable_name), 0)
            existing = self._get(canary_ingress_name(self.rollout_name, stable_name))
            if existing is not None:
                check_owner(existing, self.rollout_name, argo_rollout)

    def set_weight(self, weight: int) -> None:
        for stable_name in self.stable_ingresses:
            self._apply(self._desired(self.stable_ingress(stable_name), weight))

    def get_weight(self) -> int:
        """The weight in force; `RoutingError` when the canary Ingresses disagree."""
        weights = {self._weight_of(self._get(name)) for name in self.canary_names()}
        if len(weights) != 1:
            raise RoutingError(
                f"canary ingresses {self.canary_names()} disagree on the weight: {sorted(weights)}"
            )
        return weights.pop()

    def set_header_route(self, header: str, value: str | None = None, pattern: str | None = None) -> None:
        """Requests whose `header` matches go to the canary, whatever the weight (`canary-by-header*`)."""
        self._header = header_route_annotations(self.annotation_prefix, header, value, pattern)
        self.set_weight(self.get_weight())

    def check_header_route(self, header: str, value: str | None = None, pattern: str | None = None) -> None:
        """Raise `SpecError` for a route ingress-nginx cannot express (checked before the rollout starts)."""
        header_route_annotations(self.annotation_prefix, header, value, pattern)

    def remove_header_routes(self) -> None:
        self._header = {}
        self.set_weight(self.get_weight())

    def finish(self) -> None:
        """At the end of the rollout: delete the canary Ingresses if `delete_on_complete`, else keep them."""
        if self.delete_on_complete:
            for name in self.canary_names():
                existing = self._get(name)
                if existing is not None:
                    check_owner(existing, self.rollout_name)
                    self.api.delete(INGRESSES, self.namespace, name)

    # -- building and applying ----------------------------------------------------------------------------

    def _desired(self, stable: JsonObject, weight: int) -> JsonObject:
        canary = build_canary_ingress(
            stable,
            self.rollout_name,
            self.stable_service,
            self.canary_service,
            weight,
            annotation_prefix=self.annotation_prefix,
            additional_annotations=self.additional_annotations,
            canary_annotations=self.canary_annotations,
            max_weight=self.max_weight,
        )
        metadata = canary["metadata"]
        metadata["namespace"] = self.namespace
        metadata["labels"] = {**metadata.get("labels", {}), **MANAGED_BY}
        static = metadata["annotations"]
        metadata["annotations"] = {**static, ROLLOUT_ANNOTATION: self.rollout_name}
        metadata["annotations"].update(self._header_annotations(static))
        if self._total_key not in static:  # no maxTrafficWeight now: a total left by an earlier one goes
            metadata["annotations"][self._total_key] = None
        metadata["ownerReferences"] = [owner_reference_to(stable)]
        return canary

    def _header_annotations(self, static: Mapping[str, Any]) -> dict[str, Any]:
        """The `SetHeaderRoute` annotations over the cleared set (None removes a key in the merge patch).

        With no route set, header annotations the spec gives (`additionalIngressAnnotations:
        {canary-by-header: X-Canary}`, Argo's only way to route on a header) stand; the others are cleared.
        """
        cleared: dict[str, Any] = dict(cleared_header_route_annotations(self.annotation_prefix))
        if self._header:
            return {**cleared, **self._header}
        return {key: value for key, value in cleared.items() if key not in static}

    def _apply(self, desired: JsonObject) -> None:
        name = desired["metadata"]["name"]
        existing = self._get(name)
        if existing is None:
            existing = self._create(desired)
            if existing is None:
                return
        check_owner(existing, self.rollout_name)
        patch = {"metadata": {k: desired["metadata"][k] for k in ("labels", "annotations")}}
        patch["spec"] = desired["spec"]
        self.api.patch(INGRESSES, self.namespace, name, patch, "merge")

    def _create(self, desired: JsonObject) -> JsonObject | None:
        """Create the canary Ingress: None once created, or the live object when a racing writer was first.

        A 409 means someone created it meanwhile: it is re-read (and then patched like any existing one).
        If it is gone again by then, the create is tried once more.
        """
        body = _without_nulls(desired)
        try:
            self.api.create(INGRESSES, self.namespace, body)
            return None
        except KubernetesError as error:
            if not error.conflict:
                raise
        existing = self._get(desired["metadata"]["name"])
        if existing is None:
            self.api.create(INGRESSES, self.namespace, body)
        return existing

    def stable_ingress(self, name: str) -> JsonObject:
        """The stable Ingress `name`; `SpecError` when it does not exist."""
        stable = self._get(name)
        if stable is None:
            raise SpecError(f"ingress `{name}` not found in namespace {self.namespace}")
        return stable

    def _get(self, name: str) -> JsonObject | None:
        return self.api.get(INGRESSES, self.namespace, name)

    @property
    def _total_key(self) -> str:
        return f"{self.annotation_prefix}/canary-weight-total"

    def _weight_of(self, canary: JsonObject | None) -> int:
        """The weight on `canary`; `RoutingError` when unreadable or out of another total than ours."""
        if canary is None:
            return 0
        annotations = canary.get("metadata", {}).get("annotations") or {}
        text = annotations.get(f"{self.annotation_prefix}/canary-weight", "0")
        total = annotations.get(self._total_key, str(DEFAULT_MAX_WEIGHT))
        if total != str(self.max_weight or DEFAULT_MAX_WEIGHT):
            raise RoutingError(
                f"canary ingress `{canary['metadata'].get('name')}` splits {text} of {total}, "
                f"not of {self.max_weight or DEFAULT_MAX_WEIGHT}"
            )
        try:
            return int(text)
        except ValueError:
            raise RoutingError(f"canary ingress has an unreadable weight {text!r}") from None


def _without_nulls(body: JsonObject) -> JsonObject:
    annotations = {k: v for k, v in body["metadata"]["annotations"].items() if v is not None}
    return {**body, "metadata": {**body["metadata"], "annotations": annotations}}
