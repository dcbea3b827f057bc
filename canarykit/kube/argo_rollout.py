"""Where a live Argo Rollout's canary update stands, read from its status and checked for a take-over.

Pure functions on the object as the API returns it (`argoproj.io/v1alpha1` `rollouts`). Every refusal is
an `AdoptionRefused` naming the Rollout and what to do; nothing here writes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from canarykit.errors import AdoptionRefused
from canarykit.kube.client import JsonObject

ROLLOUTS = "rollouts"
REPLICASETS = "replicasets"
INSTANCE_LABEL = "argo-rollouts.argoproj.io/controller-instance-id"
"""A Rollout labelled with an id is only reconciled by an Argo controller started with `--instance-id` id."""
RELEASED_TO = "canarykit"
HASH_LABEL = "rollouts-pod-template-hash"
MANAGED_BY_ROLLOUTS = "argo-rollouts.argoproj.io/managed-by-rollouts"
REVISION_ANNOTATION = "rollout.argoproj.io/revision"
CANARY_PAUSE_STEP = "CanaryPauseStep"
DEFAULT_REVISION = 2


@dataclass(frozen=True)
class ArgoPosition:
    """The step and weight Argo had reached, and the ReplicaSet hashes of both sides."""

    step_index: int
    status_weight: int | None
    """`status.canary.weights.canary.weight`, None when Argo recorded none."""
    revision: int
    paused_at: float | None
    """When the `CanaryPauseStep` pause began (unix seconds), None when not paused."""
    stable_hash: str
    canary_hash: str


def describe(rollout: JsonObject) -> str:
    metadata = rollout.get("metadata") or {}
    return f"Argo Rollout {metadata.get('namespace', 'default')}/{metadata.get('name')}"


def check_released(rollout: JsonObject) -> None:
    """The Rollout must carry `controller-instance-id: canarykit`: no Argo controller reconciles it then."""
    where, metadata = describe(rollout), rollout.get("metadata") or {}
    instance = (metadata.get("labels") or {}).get(INSTANCE_LABEL)
    if instance is None:
        command = f"kubectl label rollout {metadata.get('name')} -n {metadata.get('namespace', 'default')}"
        raise AdoptionRefused(
            f"{where} is still managed by Argo Rollouts: stop its controller for it first with "
            f"`{command} {INSTANCE_LABEL}={RELEASED_TO}` (docs/kubernetes.md)"
        )
    if instance != RELEASED_TO:
        raise AdoptionRefused(
            f"{where} has {INSTANCE_LABEL}={instance}: an Argo controller started with that instance id "
            f"manages it; set the label to {RELEASED_TO} to release it"
        )


def read_position(rollout: JsonObject, step_count: int) -> ArgoPosition:
    """The update in progress, or `AdoptionRefused` when it is not one canarykit can continue."""
    where = describe(rollout)
    spec, status = rollout.get("spec") or {}, rollout.get("status") or {}
    _check_observed(rollout, status, where)
    _check_state(spec, status, where)
    stable, current = str(status.get("stableRS") or ""), str(status.get("currentPodHash") or "")
    if not stable:
        raise AdoptionRefused(f"{where} has no stable ReplicaSet yet (a first deploy): let Argo finish it")
    if stable == current or not current:
        raise AdoptionRefused(f"{where} is not updating (stable runs {stable}): nothing to take over")
    index = _step_index(status, step_count, where)
    return ArgoPosition(
        step_index=index,
        status_weight=_canary_weight(status, where),
        revision=_revision(rollout, where),
        paused_at=_paused_at(status, where),
        stable_hash=stable,
        canary_hash=current,
    )


def _check_observed(rollout: JsonObject, status: JsonObject, where: str) -> None:
    generation = str((rollout.get("metadata") or {}).get("generation", ""))
    observed = str(status.get("observedGeneration", ""))
    if observed != generation:
        raise AdoptionRefused(
            f"{where}: its status is for generation {observed or '(none)'} and its spec is generation "
            f"{generation}: remove the {INSTANCE_LABEL} label, let Argo reconcile, then label it again"
        )


def _check_state(spec: JsonObject, status: JsonObject, where: str) -> None:
    if status.get("abort"):
        raise AdoptionRefused(f"{where} was aborted (status.abort): retry or finish it with Argo first")
    if status.get("phase") == "Degraded":
        raise AdoptionRefused(f"{where} is Degraded: {status.get('message') or 'no message'}")
    if spec.get("paused"):
        raise AdoptionRefused(f"{where} is paused by hand (spec.paused): unset it first")
    if status.get("promoteFull"):
        raise AdoptionRefused(f"{where} is being fully promoted (status.promoteFull): let Argo finish it")
    reasons = [str(c.get("reason")) for c in status.get("pauseConditions") or []]
    others = [reason for reason in reasons if reason != CANARY_PAUSE_STEP]
    if others:
        raise AdoptionRefused(f"{where} is paused for {', '.join(others)}: promote or abort it with Argo")


def _step_index(status: JsonObject, step_count: int, where: str) -> int:
    index = status.get("currentStepIndex", 0)
    if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index <= step_count:
        raise AdoptionRefused(f"{where}: status.currentStepIndex {index!r} is not a step of 0..{step_count}")
    return index


def _canary_weight(status: JsonObject, where: str) -> int | None:
    weights = (status.get("canary") or {}).get("weights")
    if not weights:
        return None
    weight = (weights.get("canary") or {}).get("weight", 0)
    if isinstance(weight, bool) or not isinstance(weight, int) or weight < 0:
        raise AdoptionRefused(f"{where}: status.canary.weights.canary.weight {weight!r} is not a weight")
    return weight


def _revision(rollout: JsonObject, where: str) -> int:
    text = ((rollout.get("metadata") or {}).get("annotations") or {}).get(REVISION_ANNOTATION)
    if text is None:
        return DEFAULT_REVISION
    if not str(text).isdigit() or int(text) < 1:
        raise AdoptionRefused(f"{where}: annotation {REVISION_ANNOTATION} {text!r} is not a revision")
    return int(text)


def _paused_at(status: JsonObject, where: str) -> float | None:
    for condition in status.get("pauseConditions") or []:
        return _unix(condition.get("startTime"), f"{where}: pauseConditions.startTime")
    return None


def _unix(text: Any, where: str) -> float:
    try:
        return datetime.fromisoformat(str(text).replace("Z", "+00:00")).timestamp()
    except ValueError:
        raise AdoptionRefused(f"{where} {text!r} is not an RFC 3339 time") from None


def pod_hash_of(obj: JsonObject) -> str | None:
    """The `rollouts-pod-template-hash` label of a ReplicaSet (or a Service's selector value)."""
    labels = (obj.get("metadata") or {}).get("labels") or {}
    value = labels.get(HASH_LABEL)
    return None if value is None else str(value)


def controlled_by(obj: JsonObject, rollout: JsonObject) -> bool:
    """True when `obj`'s controller owner reference is this Rollout (same uid), as Argo writes it."""
    uid = (rollout.get("metadata") or {}).get("uid")
    for reference in (obj.get("metadata") or {}).get("ownerReferences") or []:
        if reference.get("controller") and reference.get("kind") == "Rollout" and reference.get("uid") == uid:
            return True
    return False
