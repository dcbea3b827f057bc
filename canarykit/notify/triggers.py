"""Argo Rollouts' notification trigger names, and which of them canarykit's events fire.

Argo names a trigger after the Kubernetes event reason it follows (`RolloutStepCompleted` ->
`on-rollout-step-completed`, `AnalysisRun` + phase -> `on-analysis-run-failed`); the built-in ones are
those of argo-rollouts' `manifests/notifications`. docs/notifications.md says which event fires which.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from canarykit.errors import SpecError

log = logging.getLogger("canarykit.notify")

ROLLOUT_COMPLETED = "on-rollout-completed"
ROLLOUT_STEP_COMPLETED = "on-rollout-step-completed"
ROLLOUT_UPDATED = "on-rollout-updated"
ROLLOUT_PAUSED = "on-rollout-paused"
ROLLOUT_ABORTED = "on-rollout-aborted"
ANALYSIS_RUN_RUNNING = "on-analysis-run-running"
ANALYSIS_RUN_SUCCESSFUL = "on-analysis-run-successful"
ANALYSIS_RUN_FAILED = "on-analysis-run-failed"
ANALYSIS_RUN_ERROR = "on-analysis-run-error"
ANALYSIS_RUN_INCONCLUSIVE = "on-analysis-run-inconclusive"
SCALING_REPLICA_SET = "on-scaling-replica-set"

TRIGGERS: dict[str, str] = {
    ROLLOUT_UPDATED: "a rollout of a new version starts its first step",
    ROLLOUT_STEP_COMPLETED: "a step is completed",
    ROLLOUT_PAUSED: "the rollout pauses (a pause step, an inconclusive or failed analysis)",
    ROLLOUT_COMPLETED: "the new version is promoted",
    ROLLOUT_ABORTED: "the rollout is aborted (analysis failed, abort(), a timeout, a signal)",
    ANALYSIS_RUN_RUNNING: "an analysis run takes its first measurement",
    ANALYSIS_RUN_SUCCESSFUL: "an analysis run completes Successful",
    ANALYSIS_RUN_FAILED: "an analysis run completes Failed",
    ANALYSIS_RUN_ERROR: "an analysis run completes Error",
    ANALYSIS_RUN_INCONCLUSIVE: "an analysis run completes Inconclusive",
    SCALING_REPLICA_SET: "never fired: canarykit emits no event when a workload scales",
}
"""Every trigger name accepted, and when canarykit fires it."""

NEVER_FIRED = frozenset({SCALING_REPLICA_SET})

ANALYSIS_PHASE_TRIGGERS = {
    "Successful": ANALYSIS_RUN_SUCCESSFUL,
    "Failed": ANALYSIS_RUN_FAILED,
    "Error": ANALYSIS_RUN_ERROR,
    "Inconclusive": ANALYSIS_RUN_INCONCLUSIVE,
}


def check_triggers(names: Iterable[str], where: str = "triggers", warn: bool = True) -> tuple[str, ...]:
    """`names` as a tuple, each one of `TRIGGERS` (`SpecError` listing the valid names otherwise); `warn`
    logs a WARNING for a trigger that never fires."""
    checked = (names,) if isinstance(names, str) else tuple(names)
    if not checked:
        raise SpecError(f"name at least one trigger; valid triggers: {', '.join(TRIGGERS)}", where)
    for name in checked:
        if name not in TRIGGERS:
            raise SpecError(f"unknown trigger {name!r}; valid triggers: {', '.join(TRIGGERS)}", where)
        if warn and name in NEVER_FIRED:
            log.warning("trigger %s is accepted but never fires in canarykit: %s", name, TRIGGERS[name])
    return checked
