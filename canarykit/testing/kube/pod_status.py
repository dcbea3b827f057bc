"""What a kubelet and the Job controller write: a running pod, a finished or stuck one, a finished Job."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from canarykit.testing.kube.jobs import JobPlan

Status = dict[str, Any]


def running(spec: Status) -> Status:
    """Every container running (init containers done)."""
    statuses = [_container(c, {"running": {}}, ready=True) for c in spec.get("containers") or []]
    return {"phase": "Running", "containerStatuses": statuses}


def finished(pod: Status, plan: JobPlan, now: str) -> Status:
    """The pod's status once `plan` played out: Succeeded, Failed, or Pending on an image it cannot pull."""
    spec = pod["spec"]
    if plan.outcome == "image-pull":
        return _stuck_pulling(spec, plan)
    code = plan.exit_code if plan.outcome == "fail" else 0
    terminated = {"exitCode": code, "reason": "Completed" if code == 0 else "Error", "finishedAt": now}
    statuses = [_container(c, {"terminated": terminated}, ready=False) for c in spec.get("containers") or []]
    return {"phase": "Succeeded" if code == 0 else "Failed", "containerStatuses": statuses}


def _stuck_pulling(spec: Status, plan: JobPlan) -> Status:
    field = "initContainers" if plan.init_container else "containers"
    containers = spec.get(field) or spec.get("containers") or []
    waiting = {"waiting": {"reason": plan.reason, "message": plan.message}}
    statuses = [_container(containers[0], waiting, ready=False)]
    key = "initContainerStatuses" if plan.init_container and spec.get(field) else "containerStatuses"
    return {"phase": "Pending", key: statuses}


def _container(container: Status, state: Status, ready: bool) -> Status:
    """A ContainerStatus with every field the API requires (no image pulled yet: an empty imageID)."""
    return {
        "name": container.get("name", ""),
        "image": container.get("image", ""),
        "imageID": "",
        "restartCount": 0,
        "state": state,
        "ready": ready,
    }


def job_finished(status: Status, plan: JobPlan, now: str) -> Status:
    """A Job's status once its pod succeeded (Complete) or failed (Failed), as Kubernetes 1.31+ writes it."""
    done = plan.outcome == "complete"
    first, last = ("SuccessCriteriaMet", "Complete") if done else ("FailureTarget", "Failed")
    reason = "CompletionsReached" if done else plan.reason
    message = "Reached expected number of succeeded pods" if done else plan.message
    conditions = [_condition(kind, reason, message, now) for kind in (first, last)]
    counts = {"succeeded": 1} if done else {"failed": 1}
    ending = {"completionTime": now} if done else {}
    return {**status, "active": 0, "ready": 0, **counts, **ending, "conditions": conditions}


def _condition(kind: str, reason: str, message: str, now: str) -> Status:
    return {
        "type": kind,
        "status": "True",
        "reason": reason,
        "message": message,
        "lastProbeTime": now,
        "lastTransitionTime": now,
    }
