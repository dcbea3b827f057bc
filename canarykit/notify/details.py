"""The lines under a notification's title: why a rollout stopped (metric, value, condition), from the
rollout's `RolloutReason` when the notifier is attached to it, else from the events seen so far."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from canarykit.analysis import Measurement
from canarykit.rollout import events as ev
from canarykit.rollout.reason import RolloutReason

if TYPE_CHECKING:
    from canarykit.rollout.orchestrator import Rollout

NAMED_METRIC = re.compile(r'Metric "([^"]+)" assessed (\w+)')


def reason_lines(reason: RolloutReason) -> list[str]:
    """`Metric: ...`, `Value: ...`, `Condition: ...`, `Limit: ...` (those known), or `Aborted by: ...`."""
    if reason.metric is None:
        return [f"Aborted by: {reason.aborted_by}"]
    lines = [f'Metric: "{reason.metric}" of analysis "{reason.analysis}" assessed {reason.phase}']
    fields = (
        ("Value", reason.value),
        ("Condition", reason.condition),
        ("Judge", str(reason.judge) if reason.judge else None),
        ("Error", reason.error),
        ("Limit", reason.limit),
    )
    return lines + [f"{label}: {text}" for label, text in fields if text]


def attached_reason(rollout: Rollout | None, analysis: str | None = None) -> RolloutReason | None:
    """The attached rollout's reason (of `analysis` when one is named), None when unknown."""
    if rollout is None or rollout.status is None:
        return None
    reason = rollout.result().reason
    if reason is None or (analysis is not None and reason.analysis != analysis):
        return None
    return reason


class MeasurementMemory:
    """The last measurement of each metric of each rollout: the value a detached notifier can report."""

    def __init__(self) -> None:
        self._last: dict[tuple[str, str], Measurement] = {}

    def remember(self, event: ev.MeasurementTaken) -> None:
        if event.measurement is not None:
            self._last[(event.rollout, event.metric)] = event.measurement

    def lines_for(self, rollout: str, text: str) -> list[str]:
        """`Metric:` and `Value:` for the metric Argo's message in `text` names, when one is named."""
        named = NAMED_METRIC.search(text)
        if named is None:
            return []
        metric, phase = named.groups()
        lines = [f'Metric: "{metric}" assessed {phase}']
        last = self._last.get((rollout, metric))
        if last is not None and last.value:
            lines.append(f"Value: {last.value}")
        if last is not None and last.message:
            lines.append(f"Error: {last.message}")
        return lines
