"""What the state store says about a rollout before it starts: resume it, or begin a new revision."""

from __future__ import annotations

from canarykit.errors import SpecError, StateError
from canarykit.rollout.status import RolloutStatus
from canarykit.rollout.store import StateStore

RESUME_POLICIES = ("continue", "rollback")


def check_resume_policy(policy: str) -> str:
    if policy not in RESUME_POLICIES:
        raise SpecError(f"on_resume must be one of {RESUME_POLICIES}, got {policy!r}")
    return policy


def initial_status(
    store: StateStore | None, name: str, version: str, now: float
) -> tuple[RolloutStatus, bool]:
    """The status to start from, and whether it resumes an unfinished rollout of `version`.

    An unfinished rollout of another version is refused (`StateError`): its canary may still take traffic.
    """
    record = store.load(name) if store is not None else None
    if record is None:
        return RolloutStatus(name, version, started_at=now), False
    recorded = RolloutStatus.from_dict(record)
    if not recorded.finished and recorded.version != version:
        raise StateError(
            f"rollout {name!r} is still rolling out {recorded.version!r} (step {recorded.step_index}, "
            f"weight {recorded.weight}); resume or abort it before rolling out {version!r}"
        )
    if not recorded.finished:
        return recorded, True
    return RolloutStatus(name, version, revision=recorded.revision + 1, started_at=now), False
