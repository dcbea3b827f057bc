"""What the state store says about a rollout before it starts: resume it, or begin a new revision."""

from __future__ import annotations

from typing import TYPE_CHECKING

from canarykit.errors import SpecError, StateError
from canarykit.rollout.records import MAX_REJECTED, check_plan, parse_status, plan_fingerprint
from canarykit.rollout.status import RolloutStatus

if TYPE_CHECKING:
    from canarykit.rollout.orchestrator import Rollout

RESUME_POLICIES = ("continue", "rollback")


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
    plan = plan_fingerprint(rollout.plan, rollout.analysis)
    fresh = RolloutStatus(name, version, started_at=now, plan=plan)
    record = store.load(name) if store is not None else None
    if record is None:
        return fresh, False
    where = describe_record(rollout)
    recorded = parse_status(record, where, name, rollout.max_weight)
    if not recorded.finished:
        if recorded.version != version:
            raise StateError(
                f"rollout {name!r} is still rolling out {recorded.version!r} (step {recorded.step_index}, "
                f"weight {recorded.weight}); resume or abort it before rolling out {version!r}"
            )
        check_plan(recorded, where, rollout.plan, rollout.analysis)
        return recorded, True
    rejected = rejected_versions(recorded)
    if version in rejected and not (retry or recorded.retry_requested):
        raise StateError(
            f"rollout {name!r}: version {version!r} was rolled back (revision {recorded.revision}); it stays "
            "rejected until retried: run(version, retry=True) or `canarykit retry "
            f"{name}`"
        )
    fresh.revision = (
        recorded.revision if version == recorded.version and recorded.aborted else recorded.revision + 1
    )
    fresh.rejected = [kept for kept in rejected if kept != version][-MAX_REJECTED:]
    return fresh, False


def rejected_versions(status: RolloutStatus) -> list[str]:
    """The versions this rollout has rolled back, the recorded one included when it was."""
    rejected = list(status.rejected)
    if status.aborted and status.version not in rejected:
        rejected.append(status.version)
    return rejected


def describe_record(rollout: Rollout) -> str:
    """Where the record lives, for messages: the file of a `FileStateStore`, else the store and name."""
    path = getattr(rollout.store, "path", None)
    if callable(path):
        return f"rollout state {path(rollout.name)}"
    return f"rollout state of {rollout.name!r} in {type(rollout.store).__name__}"
