"""What the state store says about a rollout before it starts: resume it, or begin a new revision."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from canarykit.errors import SpecError, StateError
from canarykit.rollout.events import step_label
from canarykit.rollout.records import MAX_REJECTED, check_plan, parse_status, plan_fingerprint
from canarykit.rollout.status import CANARY_PAUSE_STEP, RolloutPhase, RolloutStatus
from canarykit.rollout.step_actions import set_weight_at

if TYPE_CHECKING:
    from canarykit.rollout.orchestrator import Rollout
    from canarykit.traffic import TrafficRouter
    from canarykit.workload import Workload

RESUME_POLICIES = ("continue", "rollback")
FIRST_UPDATE = RolloutStatus.revision


def check_resume_policy(policy: str) -> str:
    if policy not in RESUME_POLICIES:
        raise SpecError(f"on_resume must be one of {RESUME_POLICIES}, got {policy!r}")
    return policy


def initial_status(rollout: Rollout, version: str, now: float, retry: bool) -> tuple[RolloutStatus, bool]:
    """The status to start from, and whether it resumes an unfinished rollout of `version`.

    Refused with `StateError`: an invalid or foreign record; an unfinished rollout of another version (its
    canary may still take traffic); a version rolled back before, unless `retry` (or `canarykit retry`).
    """
    store, name = rollout.store, rollout.name
    plan = plan_fingerprint(rollout.plan, rollout.analysis, rollout.max_weight)
    stable = _stable_of(rollout.workload)
    fresh = RolloutStatus(name, version, started_at=now, plan=plan, stable_version=stable)
    record = store.load(name) if store is not None else None
    if record is None:
        return fast_track_if_nothing_to_judge(fresh, rollout.workload), False
    where = describe_record(rollout)
    recorded = parse_status(record, where, name, rollout.max_weight)
    if not recorded.finished:
        if recorded.version != version:
            raise StateError(
                f"rollout {name!r} is still rolling out {recorded.version!r} "
                f"({recorded_step(recorded, rollout)}, weight {recorded.weight}); resume or abort it before "
                f"rolling out {version!r}"
            )
        check_plan(recorded, where, rollout.plan, rollout.analysis, rollout.max_weight)
        return recorded, True
    rejected = rejected_versions(recorded)
    if version in rejected and not (retry or recorded.retry_requested):
        raise StateError(
            f"rollout {name!r}: version {version!r} was rolled back (revision {recorded.revision}); it stays "
            "rejected until retried: run(version, retry=True), `canarykit rollout --retry` or "
            f"`canarykit retry {name}`"
        )
    fresh.revision = (
        recorded.revision if version == recorded.version and recorded.aborted else recorded.revision + 1
    )
    fresh.rejected = [kept for kept in rejected if kept != version][-MAX_REJECTED:]
    fresh.stable_version = recorded.version if recorded.promoted else recorded.stable_version
    fast_track_if_nothing_to_judge(fresh, rollout.workload)
    fresh.fast_track = fresh.fast_track or (recorded.undo_requested and version == recorded.stable_version)
    return fresh, False


def handed_over_status(rollout: Rollout, version: str, position: HandedOver, now: float) -> RolloutStatus:
    """A record from which `run(version)` goes on at `position`, where another driver (Argo) left it.

    A record of the same rollout is read first: an unfinished one of another version is refused
    (`StateError`); the versions a finished one rejected stay rejected.
    """
    rejected: list[str] = []
    record = rollout.store.load(rollout.name) if rollout.store is not None else None
    if record is not None:
        recorded = parse_status(record, describe_record(rollout), rollout.name, rollout.max_weight)
        if not recorded.finished and recorded.version != version:
            raise StateError(
                f"rollout {rollout.name!r} is still rolling out {recorded.version!r} "
                f"({recorded_step(recorded, rollout)}); finish or abort it before taking {version!r} over"
            )
        rejected = [kept for kept in rejected_versions(recorded) if kept != version]
    status = RolloutStatus(
        rollout.name,
        version,
        position.revision,
        step_index=position.step_index,
        weight=position.weight,
        weight_history=[position.weight],
        canary_started=True,
        started_at=now,
        progress_since=now,
        plan=plan_fingerprint(rollout.plan, rollout.analysis, rollout.max_weight),
        step_count=len(rollout.plan),
        set_weight=set_weight_at(rollout.plan, position.step_index, rollout.max_weight),
        rejected=rejected[-MAX_REJECTED:],
        message="waiting for all steps to complete",
    )
    if position.paused_at is not None:
        status.pause_reason, status.pause_started_at = CANARY_PAUSE_STEP, position.paused_at
        status.phase, status.message = RolloutPhase.PAUSED, CANARY_PAUSE_STEP
    return status


class HandedOver(Protocol):
    """Where another driver left a rollout: its step, the weight in force, its revision, a pause's start."""

    @property
    def step_index(self) -> int: ...
    @property
    def weight(self) -> int: ...
    @property
    def revision(self) -> int: ...
    @property
    def paused_at(self) -> float | None: ...


def fast_track_if_nothing_to_judge(status: RolloutStatus, workload: Workload) -> RolloutStatus:
    """A first deploy (no stable yet) or a version stable already runs is promoted without steps.

    As in Argo, the first deploy is revision 1. See `Workload.needs_steps`.
    """
    needs_steps = getattr(workload, "needs_steps", None)
    status.fast_track = callable(needs_steps) and not needs_steps(status.version)
    if status.fast_track and status.revision == FIRST_UPDATE:
        status.revision = 1
    return status


def _stable_of(workload: Workload) -> str:
    """The version a workload says stable runs (its `stable_version`, when it has one), else ''."""
    stable = getattr(workload, "stable_version", None)
    return stable if isinstance(stable, str) else ""


def rejected_versions(status: RolloutStatus) -> list[str]:
    """The versions this rollout has rolled back, the recorded one included when it was."""
    rejected = list(status.rejected)
    if status.aborted and status.version not in rejected:
        rejected.append(status.version)
    return rejected


def recorded_step(recorded: RolloutStatus, rollout: Rollout) -> str:
    """`step 2/6` (1-based) for a record's 0-based `step_index`; without a step count, the plan's."""
    return step_label(recorded.step_index, recorded.step_count or len(rollout.plan))


def describe_record(rollout: Rollout) -> str:
    """Where the record lives, for messages: the file of a `FileStateStore`, else the store and name."""
    path = getattr(rollout.store, "path", None)
    if callable(path):
        return f"rollout state {path(rollout.name)}"
    return f"rollout state of {rollout.name!r} in {type(rollout.store).__name__}"


def router_disagrees(router: TrafficRouter, status: RolloutStatus) -> str | None:
    """Why a resumed rollout must roll back: the router serves a weight its record never asked for.

    A driver that moved traffic to stable but could not save that (a read-only or full disk) leaves a record
    that still says 20 while the router says 0: carrying on would send the rejected canary traffic again.
    A router that cannot tell (an unconfirmed nginx change) is taken at the record's word.
    """
    if status.aborted or status.promoted or not status.weight_history:
        return None
    try:
        serving = router.get_weight()
    except Exception:
        return None
    if serving in (status.weight, status.pending_weight):
        return None
    return f"resumed with the router at weight {serving} where the record says {status.weight}"
