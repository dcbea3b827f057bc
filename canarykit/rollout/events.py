"""Typed events a rollout emits to `on_event` callbacks and to `logging`; each field is in docs/events.md.

Step numbers: the `index` fields are 0-based positions in the plan (as Argo's `currentStepIndex`); the
`number` properties and every message a person reads are 1-based (`Step 1/6 started`, then Argo's own
`Rollout step 1/6 completed`).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from canarykit.analysis import Measurement

COMMON_FIELDS = ("time", "rollout", "message")
SCALARS = (str, int, float, bool)
"""`to_dict` keeps fields of these types; a `MeasurementTaken`'s measurement is in the audit's analyses."""


def step_label(index: int, total: int) -> str:
    """`step 3/6` for 0-based `index` 2 of 6 steps; past the last step, `the end of its 6 steps`."""
    return f"step {index + 1}/{total}" if index < total else f"the end of its {total} steps"


@dataclass(frozen=True)
class Event:
    """Something that happened to rollout `rollout` at `time` (unix seconds); `message` says it in words."""

    time: float
    rollout: str
    message: str

    def to_dict(self) -> dict[str, Any]:
        """`kind`, `time`, `message`, then the class's own scalar fields (`index`, `weight`, `reason`...)."""
        own = {
            item.name: getattr(self, item.name)
            for item in fields(self)
            if item.name not in COMMON_FIELDS and isinstance(getattr(self, item.name), SCALARS)
        }
        return {"kind": type(self).__name__, "time": self.time, "message": self.message, **own}


@dataclass(frozen=True)
class StepEvent(Event):
    """An event about step `index` (0-based in the plan, as Argo's `currentStepIndex`)."""

    index: int = 0

    @property
    def number(self) -> int:
        """The step's 1-based number, as messages show it."""
        return self.index + 1


@dataclass(frozen=True)
class StepStarted(StepEvent):
    """The rollout began step `index` (0-based in the plan; `number` is 1-based): `Step 1/6 started: ...`."""


@dataclass(frozen=True)
class StepCompleted(StepEvent):
    """Step `index` (0-based; `number` 1-based) completed: Argo's `Rollout step 1/6 completed`.

    `reason` says why when a `Gate` ended it: "cleared" (by the judges) or "timed out"; "" otherwise.
    """

    reason: str = ""

    def to_dict(self) -> dict[str, Any]:
        """As every event's, with `reason` only when a gate gave one (plain steps' records are unchanged)."""
        record = super().to_dict()
        if not self.reason:
            del record["reason"]
        return record


@dataclass(frozen=True)
class WeightChanged(Event):
    """The router now sends `weight` (on the router's scale, 100 unless `max_weight`) to the canary."""

    weight: int = 0
    previous: int = 0


@dataclass(frozen=True)
class MeasurementTaken(Event):
    """Metric `metric` of analysis `analysis` (a template or run name) took `measurement`."""

    analysis: str = ""
    metric: str = ""
    measurement: Measurement | None = None


@dataclass(frozen=True)
class AnalysisCompleted(Event):
    """Analysis `analysis` ended with `phase` (`Successful`, `Failed`, `Inconclusive` or `Error`)."""

    analysis: str = ""
    phase: str = ""


@dataclass(frozen=True)
class Paused(Event):
    """The rollout is paused: `reason` is Argo's (`CanaryPauseStep`, `InconclusiveAnalysisRun`, ...)."""

    reason: str = ""


@dataclass(frozen=True)
class Promoted(Event):
    """`version` is now stable and takes all the traffic."""

    version: str = ""


@dataclass(frozen=True)
class Aborted(Event):
    """The rollout was aborted (an analysis failed, `abort()`, an error): `reason` says why."""

    reason: str = ""


@dataclass(frozen=True)
class RolledBack(Event):
    """Traffic is back on stable: the canary's `weight` is confirmed (0)."""

    weight: int = 0


@dataclass(frozen=True)
class ServiceSwitched(Event):
    """Blue-green: `service` (active or preview) now serves `current` instead of `previous` (versions).

    Argo's `SwitchService` event: `Switched selector for service 'web-active' from 'v1' to 'v2'`.
    """

    service: str = ""
    previous: str = ""
    current: str = ""


@dataclass(frozen=True)
class ListenerFailed(Event):
    """An event listener or a rollback hook raised; the rollout goes on regardless."""

    listener: str = ""
    error: str = ""
