"""Analysis phases, with Argo's names as values."""

from __future__ import annotations

from enum import Enum


class Phase(str, Enum):
    """The phase of a measurement, a metric or a whole analysis run."""

    PENDING = "Pending"
    RUNNING = "Running"
    SUCCESSFUL = "Successful"
    FAILED = "Failed"
    INCONCLUSIVE = "Inconclusive"
    ERROR = "Error"

    def __str__(self) -> str:
        return self.value

    @property
    def completed(self) -> bool:
        return self in _COMPLETED


_COMPLETED = frozenset({Phase.SUCCESSFUL, Phase.FAILED, Phase.INCONCLUSIVE, Phase.ERROR})

# Best to worst, as Argo ranks them when it picks a run's phase from its metrics.
_RANK = {
    phase: rank
    for rank, phase in enumerate(
        [Phase.SUCCESSFUL, Phase.RUNNING, Phase.PENDING, Phase.INCONCLUSIVE, Phase.ERROR, Phase.FAILED]
    )
}


def is_worse(current: Phase, candidate: Phase) -> bool:
    """True when `candidate` ranks worse than `current`."""
    return _RANK[candidate] > _RANK[current]
