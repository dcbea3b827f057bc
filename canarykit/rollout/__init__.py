"""The orchestrator: steps, analysis beside them, promotion or rollback, resumable state."""

from canarykit.rollout import events
from canarykit.rollout.analyses import BackgroundAnalysis
from canarykit.rollout.orchestrator import Rollout
from canarykit.rollout.result import RolloutAborted, RolloutResult
from canarykit.rollout.rollback import Backoff
from canarykit.rollout.status import RolloutPhase, RolloutStatus
from canarykit.rollout.store import StateStore

__all__ = [
    "BackgroundAnalysis",
    "Backoff",
    "Rollout",
    "RolloutAborted",
    "RolloutPhase",
    "RolloutResult",
    "RolloutStatus",
    "StateStore",
    "events",
]
