"""A rollout's status: everything needed to report on it, and to resume it after a crash."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import Enum
from typing import Any


class RolloutPhase(str, Enum):
    """Argo's rollout phases."""

    PROGRESSING = "Progressing"
    PAUSED = "Paused"
    HEALTHY = "Healthy"
    DEGRADED = "Degraded"

    def __str__(self) -> str:
        return self.value


CANARY_PAUSE_STEP = "CanaryPauseStep"
INCONCLUSIVE_ANALYSIS = "InconclusiveAnalysisRun"
ANALYSIS_FAILED = "AnalysisFailed"
"""Pause reason under failure_policy="pause" (canarykit's; Argo always aborts)."""


@dataclass
class RolloutStatus:
    """The recorded state of one rollout of `version` (JSON round-trips through `to_dict`/`from_dict`)."""

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
    header_route: list[str | None] | None = None
    """[header, value, pattern] of the `SetHeaderRoute` in force, restored on the router after a resume."""
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

    def to_dict(self) -> dict[str, Any]:
        record = asdict(self)
        record["phase"] = self.phase.value
        return record

    @classmethod
    def from_dict(cls, record: dict[str, Any]) -> RolloutStatus:
        fields = dict(record)
        fields["phase"] = RolloutPhase(fields.get("phase", RolloutPhase.PROGRESSING.value))
        fields["weight_history"] = list(fields.get("weight_history", []))
        fields["analysis_counts"] = dict(fields.get("analysis_counts", {}))
        return cls(**fields)
