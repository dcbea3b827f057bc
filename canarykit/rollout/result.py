"""The outcome of a rollout, as a value: a rollback is a result, not an exception."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from canarykit.analysis import AnalysisResult
from canarykit.errors import CanaryError
from canarykit.rollout.events import Event
from canarykit.rollout.reason import RolloutReason, reason_of
from canarykit.rollout.status import RolloutPhase, RolloutStatus


class RolloutAborted(CanaryError):
    """Raised by `RolloutResult.raise_for_status()` when the rollout did not end Healthy."""

    def __init__(self, result: RolloutResult) -> None:
        self.result = result
        super().__init__(f"rollout {result.name!r} ended {result.phase.value}: {result.message}")


@dataclass(frozen=True)
class RolloutResult:
    """Phase and message (Argo's), steps done, weights applied, analyses, and every event in order.

    `reason` says why it did not end Healthy: the deciding metric's last value, the condition (or a judge's
    figures) and the limit crossed, or who aborted; `str(result)` is one line with the message and it.
    """

    name: str
    version: str
    phase: RolloutPhase
    message: str
    steps_done: int
    steps_total: int
    weight_history: tuple[int, ...]
    analyses: tuple[AnalysisResult, ...]
    events: tuple[Event, ...]

    @property
    def healthy(self) -> bool:
        return self.phase is RolloutPhase.HEALTHY

    @property
    def reason(self) -> RolloutReason | None:
        """Why the rollout did not end Healthy; None when it did, or when nothing stopped it."""
        return reason_of(self.healthy, self.message, self.analyses, self.events)

    def __str__(self) -> str:
        text = f"rollout {self.name!r} ({self.version}) {self.phase.value} at step {self.steps_done}/"
        text += f"{self.steps_total}" + (f": {self.message}" if self.message else "")
        reason = self.reason
        return text + (f"; why: {reason}" if reason is not None else "")

    def raise_for_status(self) -> RolloutResult:
        """Return self when Healthy, else raise `RolloutAborted`."""
        if not self.healthy:
            raise RolloutAborted(self)
        return self

    def to_dict(self) -> dict[str, Any]:
        """The audit record: every measurement and every decision, with times."""
        return {
            "name": self.name,
            "version": self.version,
            "phase": self.phase.value,
            "message": self.message,
            "reason": None if (reason := self.reason) is None else reason.to_dict(),
            "stepsDone": self.steps_done,
            "stepsTotal": self.steps_total,
            "weightHistory": list(self.weight_history),
            "analyses": [analysis.to_dict() for analysis in self.analyses],
            "events": [event.to_dict() for event in self.events],
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2)

    def report(self, path: str | Path) -> Path:
        """Write this result's report, one self-contained HTML page with charts (`canarykit[report]`)."""
        from canarykit.report import write_report

        return write_report(self, path)


def result_of(
    name: str, status: RolloutStatus, steps: int, analyses: Sequence[AnalysisResult], events: Sequence[Event]
) -> RolloutResult:
    """The result of rollout `name` as its status, analyses and events stand now."""
    return RolloutResult(
        name,
        status.version,
        status.phase,
        status.message,
        min(status.step_index, steps),
        steps,
        tuple(status.weight_history),
        tuple(analyses),
        tuple(events),
    )
