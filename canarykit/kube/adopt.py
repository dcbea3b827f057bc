"""Taking over a canary update that Argo Rollouts was driving: `bind(..., adopt=True)`, then `take_over`.

Every check runs first, on a fresh read, and nothing changes unless all pass (`AdoptionRefused` says why):
the Argo Rollout is released from Argo's controllers (label `controller-instance-id: canarykit`), its
status describes its current spec, it is mid-update (not aborted, Degraded, paused by hand or fully
promoting), its spec is the files', its canary Ingress is Argo's (or already canarykit's) at the weight
its status records, and its ReplicaSets and Services are where Argo left them. The Rollout and its canary
Ingresses must then stay unchanged for `settle` seconds (an Argo controller still at work would write).

Then, in this order: canarykit's record (the step, weight, revision and pause start Argo had reached),
the canary Ingresses re-owned (weight kept), and the pods handed over (`canarykit.kube.handover`).
`Rollout.run(version)` then resumes from that record. An interrupted take-over is finished by running it
again: once a canary Ingress is canarykit's, the record written before it is what continues.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from canarykit.argo.rollout_steps import step_starts
from canarykit.errors import AdoptionRefused, RoutingError, SpecError
from canarykit.kube.adopt_spec import check_same_spec
from canarykit.kube.argo_rollout import ROLLOUTS, ArgoPosition, check_released, controlled_by, read_position
from canarykit.kube.canary_ingress import canary_ingress_name
from canarykit.kube.canary_owner import INGRESSES, reown
from canarykit.kube.client import JsonObject, KubeAPI
from canarykit.kube.handover import PodHandover, Sides
from canarykit.rollout.completion import full_weight
from canarykit.rollout.events import step_label
from canarykit.rollout.records import parse_status
from canarykit.rollout.resume import describe_record, handed_over_status
from canarykit.steps import Pause

if TYPE_CHECKING:
    from canarykit.argo.rollout import RolloutSpec
    from canarykit.kube.deployment import DeploymentWorkload
    from canarykit.kube.nginx_router import NginxIngressRouter
    from canarykit.rollout.orchestrator import Rollout

DEFAULT_SETTLE = 5.0
"""Seconds the Argo Rollout and its canary Ingresses must stay unchanged before anything is written."""


@dataclass(frozen=True)
class AdoptedAt:
    """Where the take-over starts: Argo's step, the weight in force, its revision and pause start."""

    step_index: int
    weight: int
    revision: int
    paused_at: float | None


@dataclass(frozen=True)
class Inspection:
    """One consistent read of everything the take-over acts on."""

    argo: JsonObject
    at: AdoptedAt
    sides: Sides
    reowned: bool
    """True when a canary Ingress is canarykit's already: an earlier take-over wrote the record."""
    versions: tuple[str, ...]


class Adoption:
    """The take-over of live Argo Rollout `spec.name` in `namespace` by `router` and `workload`."""

    def __init__(
        self,
        api: KubeAPI,
        spec: RolloutSpec,
        template: dict[str, Any],
        router: NginxIngressRouter,
        workload: DeploymentWorkload,
        settle: float = DEFAULT_SETTLE,
    ) -> None:
        self.api, self.spec, self.template = api, spec, template
        self.router, self.workload, self.settle = router, workload, settle
        self.namespace, self.name = workload.namespace, spec.name
        self.handover = PodHandover(api, workload, workload.selector, spec.replicas)

    def _argo_step_starts(self) -> tuple[int, ...]:
        """Where each of Argo's steps starts in the plan (a step combining fields is several plan steps)."""
        document = self.spec.document
        if document is None or document.spec.strategy is None or document.spec.strategy.canary is None:
            return tuple(range(len(self.spec.steps)))
        return step_starts(document.spec.strategy.canary.steps or ())

    def _plan_position(self, position: ArgoPosition) -> ArgoPosition:
        """Argo's `currentStepIndex` as an index into canarykit's plan."""
        starts = self._argo_step_starts()
        index = starts[position.step_index] if position.step_index < len(starts) else len(self.spec.steps)
        return replace(position, step_index=index)

    def inspect(self) -> Inspection:
        """Read and check everything; `AdoptionRefused` (or `SpecError`) on the first problem. No writes."""
        argo = self.api.get(ROLLOUTS, self.namespace, self.name)
        if argo is None:
            raise AdoptionRefused(f"no Argo Rollout {self.namespace}/{self.name} to adopt")
        check_released(argo)
        check_same_spec(argo, self.spec, self.template)
        position = self._plan_position(read_position(argo, len(self._argo_step_starts())))
        self._check_pause(position)
        self.router.check_for_adoption(argo)
        canaries = [self.api.get(INGRESSES, self.namespace, name) for name in self.router.canary_names()]
        present = [found for found in canaries if found is not None]
        argos = [found for found in present if controlled_by(found, argo)]
        reowned = len(argos) < len(present)
        weight = self._weight(position, argos) if not reowned else position.status_weight or 0
        at = AdoptedAt(position.step_index, weight, position.revision, position.paused_at)
        sides = self.handover.read(argo, position.stable_hash, position.canary_hash)
        versions = (_version(argo), *(_version(found) for found in present))
        return Inspection(argo, at, sides, reowned, versions)

    def take_over(self, rollout: Rollout, version: str) -> AdoptedAt:
        """Check twice, `settle` seconds apart, then record, re-own the canary Ingresses, move the pods."""
        if rollout.name != self.name or rollout.router is not self.router:
            raise SpecError(f"take_over needs the rollout built from this binding ({self.name!r})")
        store = rollout.store
        if store is None:
            raise SpecError(
                "taking over needs a state store: binding.rollout(state=KubernetesStateStore(...))"
            )
        first = self.inspect()
        self._check_record(rollout, version, first)
        rollout.clock.sleep(self.settle)
        second = self.inspect()
        if second.versions != first.versions:
            raise AdoptionRefused(
                f"Argo Rollout {self.namespace}/{self.name} or its canary Ingress changed within "
                f"{self.settle:g} s (resourceVersions {list(first.versions)} -> {list(second.versions)}): "
                "something, Argo's controller perhaps, still writes them"
            )
        with store.lock(self.name):
            if not second.reowned:
                status = handed_over_status(rollout, version, second.at, rollout.clock.now())
                store.save(self.name, status.to_dict())
            self._reown(second.argo)
            self.handover.run(second.sides, version, rollout.clock, rollout.progress_deadline)
        return second.at

    def _reown(self, argo: JsonObject) -> None:
        """Each canary Ingress Argo controls gets canarykit's marks instead; its weight stays."""
        router = self.router
        for stable_name in router.stable_ingresses:
            canary = self.api.get(INGRESSES, self.namespace, canary_ingress_name(self.name, stable_name))
            if canary is not None:
                reown(self.api, canary, router.stable_ingress(stable_name), self.name, argo)

    def _check_pause(self, position: ArgoPosition) -> None:
        steps = self.spec.steps
        at_pause = position.step_index < len(steps) and isinstance(steps[position.step_index], Pause)
        if position.paused_at is not None and not at_pause:
            raise AdoptionRefused(
                f"Argo Rollout {self.namespace}/{self.name} is paused (CanaryPauseStep) at "
                f"{step_label(position.step_index, len(steps))}, which is not a pause step"
            )

    def _weight(self, position: ArgoPosition, argo_canaries: list[JsonObject]) -> int:
        """The weight on Argo's canary Ingresses, which must agree with each other and with its status."""
        try:
            weight = self.router.get_weight()
        except RoutingError as error:
            raise AdoptionRefused(f"Argo Rollout {self.namespace}/{self.name}: {error}") from None
        recorded = position.status_weight
        if argo_canaries and recorded is not None and recorded != weight:
            raise AdoptionRefused(
                f"Argo Rollout {self.namespace}/{self.name}: its status says weight {recorded}, its canary "
                f"Ingress {weight}: let Argo finish the change before stopping it"
            )
        if weight > full_weight(self.router):
            raise AdoptionRefused(
                f"canary weight {weight} is above the full weight {full_weight(self.router)}"
            )
        return weight

    def _check_record(self, rollout: Rollout, version: str, inspection: Inspection) -> None:
        """No unfinished record of another version; once a canary Ingress was re-owned, an unfinished
        record of `version` (written before it) must continue it."""
        if not inspection.reowned:
            handed_over_status(rollout, version, inspection.at, rollout.clock.now())  # reads: refuses only
            return
        record = rollout.store.load(self.name) if rollout.store is not None else None
        where = describe_record(rollout)
        status = None if record is None else parse_status(record, where, self.name, rollout.max_weight)
        if status is None or status.finished or status.version != version:
            raise AdoptionRefused(
                f"the canary Ingress of {self.namespace}/{self.name} is canarykit's already, but no "
                f"unfinished record of {version!r} continues it: run the rollout without --adopt"
            )


def _version(obj: JsonObject) -> str:
    return str((obj.get("metadata") or {}).get("resourceVersion", ""))
