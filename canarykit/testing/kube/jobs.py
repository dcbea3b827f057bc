"""`JobRunner`: the Job controller and kubelet of a `FakeKubeAPI`, playing each Job's fate from a rule.

with FakeKubeAPI() as kube, JobRunner(kube, lambda job: complete(after=30), clock=clock):
    ...  # each new Job gets a running pod; 30 s later on `clock` the pod succeeds and the Job is Complete

The runner acts whenever a client sends a request (`FakeKubeAPI.add_controller`), so what a client sees
depends only on the rule and the clock, never on thread timing. `run_locally()` is a rule that runs the
Job's container command on this machine (the image is ignored) and plays out its exit code.
"""

from __future__ import annotations

import secrets
import string
import subprocess
import threading
from collections.abc import Callable
from dataclasses import dataclass
from types import TracebackType
from typing import Any

from canarykit.clock import Clock, SystemClock, to_rfc3339
from canarykit.testing.kube import pod_status
from canarykit.testing.kube.fake import FakeKubeAPI
from canarykit.testing.kube.resources import KubeObject

COMPLETE, FAIL, IMAGE_PULL, RUN = "complete", "fail", "image-pull", "run"


@dataclass(frozen=True)
class JobPlan:
    """A Job's fate: `outcome` once `after` seconds have passed on the runner's clock since it was seen."""

    outcome: str
    after: float = 0.0
    reason: str = ""
    message: str = ""
    exit_code: int = 0
    init_container: bool = False


def complete(after: float = 0.0) -> JobPlan:
    """The pod exits 0 and the Job is Complete."""
    return JobPlan(COMPLETE, after)


def fail(after: float = 0.0, exit_code: int = 1) -> JobPlan:
    """The pod exits `exit_code` and the Job is Failed (its backoff limit reached)."""
    message = "Job has reached the specified backoff limit"
    return JobPlan(FAIL, after, "BackoffLimitExceeded", message, exit_code)


def image_pull_error(
    reason: str = "ErrImagePull", message: str = "", after: float = 0.0, init_container: bool = False
) -> JobPlan:
    """The pod's first (init) container waits with `reason` (ErrImagePull, ImagePullBackOff...) for ever."""
    text = message or 'failed to pull image "nonexistent:latest": not found'
    return JobPlan(IMAGE_PULL, after, reason, text, init_container=init_container)


def keep_running() -> JobPlan:
    """The pod runs for ever."""
    return JobPlan(RUN)


Rule = Callable[[KubeObject], JobPlan]


def run_locally(timeout: float = 30.0) -> Rule:
    """A rule running the Job's first container `command` + `args` here, with `timeout` seconds to finish."""

    def rule(job: KubeObject) -> JobPlan:
        container = job["spec"]["template"]["spec"]["containers"][0]
        argv = [*container.get("command", []), *container.get("args", [])]
        try:
            done = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True, timeout=timeout)
            code = done.returncode
        except (OSError, subprocess.TimeoutExpired):
            code = 127
        return complete() if code == 0 else fail(exit_code=code)

    return rule


class JobRunner:
    """Plays Jobs of `kube` out as `rule(job)` says, on `clock` (the system's by default)."""

    def __init__(self, kube: FakeKubeAPI, rule: Rule | JobPlan, clock: Clock | None = None) -> None:
        self.kube = kube
        self.rule: Rule = rule if callable(rule) else (lambda job: rule)
        self.clock: Clock = clock or SystemClock()
        self.plans: dict[str, JobPlan] = {}
        """The plan each Job got, by the Job's uid."""
        self._seen_at: dict[str, float] = {}
        self._finished: set[str] = set()
        self._pods: dict[str, str] = {}
        self._lock = threading.Lock()

    def start(self) -> JobRunner:
        self.kube.add_controller(self.reconcile)
        return self

    def stop(self) -> None:
        self.kube.remove_controller(self.reconcile)

    def __enter__(self) -> JobRunner:
        return self.start()

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.stop()

    def reconcile(self) -> None:
        """Start new Jobs and finish those whose time has come (called before each request)."""
        with self._lock:
            for job in self.kube.list("jobs"):
                uid = job["metadata"]["uid"]
                if uid in self._finished:
                    continue
                if uid not in self._seen_at:
                    if not (job.get("status") or {}).get("startTime"):  # not another runner's
                        self._start(job)
                    continue
                if self.clock.now() - self._seen_at[uid] >= self.plans[uid].after:
                    self._finish(job, self.plans[uid])

    def _start(self, job: KubeObject) -> None:
        uid = job["metadata"]["uid"]
        self._seen_at[uid] = self.clock.now()
        self.plans[uid] = plan = self.rule(job)
        job["status"] = {"startTime": self._now(), "active": 1, "ready": 0, "terminating": 0}
        self.kube.put(job)
        pod = self.kube.put(_pod_for(job))
        self._pods[uid] = pod["metadata"]["name"]
        if plan.after <= 0:
            self._finish(job, plan)

    def _finish(self, job: KubeObject, plan: JobPlan) -> None:
        uid = job["metadata"]["uid"]
        if plan.outcome == RUN:
            return
        pod = self.kube.get("pods", job["metadata"]["namespace"], self._pods[uid])
        if pod is None:  # deleted with its Job in the same instant
            return
        pod["status"] = pod_status.finished(pod, plan, self._now())
        self.kube.put(pod)
        self._finished.add(uid)
        if plan.outcome in (COMPLETE, FAIL):
            job["status"] = pod_status.job_finished(job["status"], plan, self._now())
            self.kube.put(job)

    def _now(self) -> str:
        return to_rfc3339(int(self.clock.now()))


def _pod_for(job: KubeObject) -> dict[str, Any]:
    """The pod the Job controller creates: the template, named after the Job, owned by it."""
    metadata = job["metadata"]
    template = job["spec"]["template"]
    suffix = "".join(secrets.choice(string.ascii_lowercase + string.digits) for _ in range(5))
    owner = {"apiVersion": "batch/v1", "kind": "Job", "name": metadata["name"], "uid": metadata["uid"]}
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {
            "name": f"{metadata['name']}-{suffix}",
            "namespace": metadata["namespace"],
            "labels": dict((template.get("metadata") or {}).get("labels") or {}),
            "ownerReferences": [{**owner, "controller": True, "blockOwnerDeletion": True}],
        },
        "spec": template["spec"],
        "status": pod_status.running(template["spec"]),
    }
