"""A rollout's status: everything needed to report on it, and to resume it after a crash."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import Enum
from typing import Any, ClassVar

from pydantic import ConfigDict


class RolloutPhase(str, Enum):
    """Argo's rollout phases."""

    PROGRESSING = "Progressing"
    PAUSED = "Paused"
    HEALTHY = "Healthy"
    DEGRADED = "Degraded"

    def __str__(self) -> str:
        return self.value


POLL = 1.0
"""Seconds between readiness checks, and between looks at an indefinite pause."""
CANARY_PAUSE_STEP = "CanaryPauseStep"
INCONCLUSIVE_ANALYSIS = "InconclusiveAnalysisRun"
MANUALLY_PAUSED = "manually paused"
"""The phase message of a rollout paused by `pause()` (Argo's message for `spec.paused`)."""
ANALYSIS_FAILED = "AnalysisFailed"
"""Pause reason under failure_policy="pause" (canarykit's; Argo always aborts)."""


SCHEMA = 1
"""The version of the record's layout; a record of another layout is refused, never guessed at."""


@dataclass
class RolloutStatus:
    """The recorded state of one rollout of `version` (JSON round-trips through `to_dict` and
    `canarykit.rollout.records.parse_status`, which validates a record before anything acts on it)."""

    __pydantic_config__: ClassVar[ConfigDict] = ConfigDict(extra="forbid")

    name: str
    version: str
    revision: int = 2
    phase: RolloutPhase = RolloutPhase.PROGRESSING
    message: str = ""
    step_index: int = 0
    weight: int = 0
    pending_weight: int | None = None
    pause_reason: str | None = None
    pause_started_at: float | None = None
    aborted: bool = False
    abort_message: str = ""
    promote_full: bool = False
    fast_track: bool = False
    header_route: list[str | None] | dict[str, list[list[str]]] | None = None
    """The header routes in force, restored on the router after a resume: [header, value, pattern], or
    {route name: [[header, kind, text], ...]} on a router holding named routes."""
    canary_started: bool = False
    promoted: bool = False
    finished: bool = False
    started_at: float | None = None
    finished_at: float | None = None
    scale_down_at: float | None = None
    progress_since: float | None = None
    weight_history: list[int] = field(default_factory=list)
    step_count: int = 0
    set_weight: int = 0
    analysis_counts: dict[str, dict[str, int]] = field(default_factory=dict)
    analyses: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Each analysis run's record (`AnalysisRun.record()`), so a restarted driver continues the same runs."""
    rejected: list[str] = field(default_factory=list)
    """Versions rolled back by this rollout's earlier revisions: refused until retried (`retry=True`)."""
    retry_requested: bool = False
    """Set by `canarykit retry` on a rolled-back record: the next run of the rejected version may start."""
    paused: bool = False
    """Paused by `pause()` / `canarykit pause` (Argo's `spec.paused`): no step advances until promoted."""
    stable_version: str = ""
    """The version stable ran when this rollout began ('' when unknown): where `undo` goes back to."""
    undo_requested: bool = False
    """Set by `undo`: an unfinished rollout returns to `stable_version` without steps; on a finished record,
    the next run of its `stable_version` is promoted without steps (Argo's fast-track rollback)."""
    hooks_done: bool = False
    unconfirmed: str = ""
    """What the router could not confirm (a rollback whose weight 0 nginx did not acknowledge)."""
    strategy: str = "Canary"
    """`Canary` or `BlueGreen`, as Argo's `get` and `list` show it."""
    preview_version: str = ""
    """Blue-green: the version the preview serves when it is not stable's ('' = stable's, or no preview)."""
    plan: str = ""
    """A fingerprint of the steps this record was made for; a resume under another plan is refused."""
    schema: int = SCHEMA

    def to_dict(self) -> dict[str, Any]:
        record = asdict(self)
        record["phase"] = self.phase.value
        return record
