"""The rollout over time, from its events: the new version's share of traffic, phases, and step starts."""

from __future__ import annotations

import re
from dataclasses import dataclass

from canarykit.report.record import EventRecord, RolloutRecord
from canarykit.report.series import origin_of

_WEIGHT = re.compile(r"canary weight (\d+) -> (\d+)")
_STEP = re.compile(r"started: (.+)$")
PHASE_AFTER = {
    "StepStarted": "Progressing",
    "WeightChanged": "Progressing",
    "Paused": "Paused",
    "Aborted": "Degraded",
    "RolledBack": "Degraded",
    "Promoted": "Healthy",
}
"""The phase a rollout is in after an event of each kind (other kinds change nothing)."""
TAIL = 0.05
"""Share of the span added after the last event, so the final phase shows as a band."""
CLOSE = 0.01
"""Step starts closer than this share of the span (or half a second) share one rule on the chart."""


@dataclass(frozen=True)
class WeightPoint:
    seconds: float
    weight: int


@dataclass(frozen=True)
class PhaseSpan:
    start: float
    end: float
    phase: str


@dataclass(frozen=True)
class StepMark:
    """A step start: `label` is the step (`SetWeight(20)`), or on a rule its numbers; `number` is 1-based."""

    seconds: float
    label: str
    number: int = 0


@dataclass(frozen=True)
class Timeline:
    """Weights (step-after), phase bands and step starts; times in seconds since `origin` (unix)."""

    origin: float
    end: float
    weights: tuple[WeightPoint, ...]
    spans: tuple[PhaseSpan, ...]
    steps: tuple[StepMark, ...]


def timeline_of(rollout: RolloutRecord) -> Timeline:
    """The timeline of `rollout`'s events."""
    origin = origin_of(rollout)
    last = max((event.time - origin for event in rollout.events), default=0.0)
    end = last + max(last * TAIL, 1.0)
    return Timeline(
        origin=origin,
        end=end,
        weights=tuple(_weights(rollout.events, origin, end)),
        spans=tuple(_spans(rollout.events, origin, end)),
        steps=tuple(_steps(rollout.events, origin)),
    )


def weight_change(event: EventRecord) -> tuple[int | None, int] | None:
    """(previous when known, new) canary weight of a `WeightChanged` or `RolledBack` event, else None."""
    fields = event.fields
    if event.kind == "RolledBack":
        weight = fields.get("weight", 0)
        return None, weight if isinstance(weight, int) else 0
    if event.kind != "WeightChanged":
        return None
    if isinstance(fields.get("weight"), int) and isinstance(fields.get("previous"), int):
        return int(fields["previous"]), int(fields["weight"])
    match = _WEIGHT.search(event.message)
    return (int(match.group(1)), int(match.group(2))) if match else None


def _weights(events: tuple[EventRecord, ...], origin: float, end: float) -> list[WeightPoint]:
    """The new version's share: the canary weight, then 100 once promoted (its hand-over to 0 is no drop)."""
    points: list[WeightPoint] = []
    for event in events:
        seconds = event.time - origin
        change = weight_change(event)
        if change is not None:
            previous, weight = change
            if not points and previous is not None:
                points.append(WeightPoint(seconds, previous))
            points.append(WeightPoint(seconds, weight))
        elif event.kind == "Promoted":
            while points and points[-1].seconds == seconds and points[-1].weight == 0:
                points.pop()
            if not points or points[-1].weight != 100:
                points.append(WeightPoint(seconds, 100))
    if not points:
        points.append(WeightPoint(0.0, 0))
    return [*points, WeightPoint(end, points[-1].weight)]


def _spans(events: tuple[EventRecord, ...], origin: float, end: float) -> list[PhaseSpan]:
    """Bands of phase: a new band starts at each event that changes the phase."""
    changes: list[tuple[float, str]] = []
    for event in events:
        phase = PHASE_AFTER.get(event.kind)
        if phase is None or (changes and changes[-1][1] == phase):
            continue
        seconds = event.time - origin
        if changes and changes[-1][0] == seconds:
            changes.pop()  # several phases at one instant: the last one holds
        if not changes or changes[-1][1] != phase:
            changes.append((seconds, phase))
    bounds = [start for start, _ in changes[1:]] + [end]
    return [PhaseSpan(start, stop, phase) for (start, phase), stop in zip(changes, bounds, strict=True)]


def _steps(events: tuple[EventRecord, ...], origin: float) -> list[StepMark]:
    """Each step's start, labelled by the step itself (`SetWeight(20)`) and numbered from its `index`."""
    marks: list[StepMark] = []
    for position, event in enumerate((e for e in events if e.kind == "StepStarted"), 1):
        match = _STEP.search(event.message)
        label = match.group(1) if match else event.message
        marks.append(StepMark(event.time - origin, label, step_number(event, position)))
    return marks


def step_number(event: EventRecord, position: int) -> int:
    """The step's 1-based number: its `index` field + 1; a record without one (older) counts `position`."""
    index = event.fields.get("index")
    return index + 1 if isinstance(index, int) and not isinstance(index, bool) else position


def step_rules(timeline: Timeline) -> list[StepMark]:
    """One rule per group of step starts too close to tell apart, labelled by their numbers (`1-2`)."""
    close = max(timeline.end * CLOSE, 0.5)
    groups: list[list[StepMark]] = []
    for mark in timeline.steps:
        if groups and mark.seconds - groups[-1][0].seconds <= close:
            groups[-1].append(mark)
        else:
            groups.append([mark])
    return [StepMark(group[0].seconds, _numbers(group), group[0].number) for group in groups]


def _numbers(group: list[StepMark]) -> str:
    first, last = group[0].number, group[-1].number
    return str(first) if len(group) == 1 else f"{first}-{last}"
