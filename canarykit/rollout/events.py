"""Typed events a rollout emits to `on_event` callbacks and to `logging`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from canarykit.analysis import Measurement


@dataclass(frozen=True)
class Event:
    """Something that happened to rollout `rollout` at `time` (unix seconds); `message` says it in words."""

    time: float
    rollout: str
    message: str

    def to_dict(self) -> dict[str, Any]:
        return {"kind": type(self).__name__, "time": self.time, "message": self.message}


@dataclass(frozen=True)
class StepStarted(Event):
    index: int = 0


@dataclass(frozen=True)
class StepCompleted(Event):
    index: int = 0


@dataclass(frozen=True)
class WeightChanged(Event):
    weight: int = 0
    previous: int = 0


@dataclass(frozen=True)
class MeasurementTaken(Event):
    analysis: str = ""
    metric: str = ""
    measurement: Measurement | None = None


@dataclass(frozen=True)
class AnalysisCompleted(Event):
    analysis: str = ""
    phase: str = ""


@dataclass(frozen=True)
class Paused(Event):
    reason: str = ""


@dataclass(frozen=True)
class Promoted(Event):
    version: str = ""


@dataclass(frozen=True)
class Aborted(Event):
    reason: str = ""


@dataclass(frozen=True)
class RolledBack(Event):
    weight: int = 0


@dataclass(frozen=True)
class ListenerFailed(Event):
    """An event listener or a rollback hook raised; the rollout goes on regardless."""

    listener: str = ""
    error: str = ""
