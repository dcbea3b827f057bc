"""`JobProvider`, Argo's job provider: each measurement runs a `batch/v1` Job and waits for its verdict.

Argo creates the Job in `Run`, and `Resume` polls it (every `sqrt(2 * elapsed)` seconds) until a `Complete`
(Successful) or `Failed` (Failed) condition, or a pod stuck pulling its image (Inconclusive); `Terminate`
deletes it. canarykit's providers answer synchronously, so `measure()` does all three on its clock:

- the wait is bounded by `timeout` when given, else by the Job's `activeDeadlineSeconds` (plus
  `DEADLINE_GRACE` for the Job controller to mark it Failed), else by `DEFAULT_TIMEOUT`; past it the Job
  is deleted and the measurement is Inconclusive, "Metric Terminated", as Argo's of a terminated Job;
- a signal (see `canarykit.interrupts`), an API fault or a timeout deletes the unfinished Job; finished
  Jobs are kept for their logs, the newest `history_limit` of this provider's (Argo's GarbageCollect).

Jobs are labelled `analysisrun.argoproj.io/uid` with `run_uid`, a fresh UUID per provider by default (a
template's `instantiate()` builds new providers, so one per run and metric): Argo's AnalysisRun UID.
"""

from __future__ import annotations

import logging
import math
import uuid
from collections.abc import Mapping
from functools import partial
from typing import Any

from canarykit.analysis.phases import Phase
from canarykit.argo.job_models import JobMetric
from canarykit.clock import Clock, SystemClock
from canarykit.errors import KubernetesError, ProviderError, SpecError
from canarykit.kube import job_spec
from canarykit.kube.client import KubeAPI
from canarykit.providers.base import Observation
from canarykit.providers.cleanup import run_to_completion

DEFAULT_TIMEOUT = 600.0
"""Seconds a measurement waits for a Job without `activeDeadlineSeconds`."""
DEADLINE_GRACE = 30.0
"""Seconds past `activeDeadlineSeconds` left to the Job controller to mark the Job Failed."""
MIN_POLL, MAX_POLL = 1.0, 30.0
"""Bounds of the wait between two looks at the Job (Argo: `sqrt(2 * elapsed)`, unbounded)."""
HISTORY_LIMIT = 10
"""Finished Jobs kept per provider (Argo's DefaultMeasurementHistoryLimit)."""
POLL_FAULT_LIMIT = 3
"""Consecutive failed looks at the Job before the measurement is an Error."""

log = logging.getLogger("canarykit.kube.jobs")


class JobProvider:
    """Runs `job` (a metric's `provider.job`: `metadata` and `spec`) as a Job in `namespace` per measure."""

    def __init__(
        self,
        api: KubeAPI,
        namespace: str,
        metric_name: str,
        job: Mapping[str, Any] | JobMetric,
        clock: Clock | None = None,
        timeout: float | None = None,
        history_limit: int = HISTORY_LIMIT,
        run_uid: str | None = None,
        run_name: str = "",
    ) -> None:
        self.api = api
        self.namespace = namespace
        self.metric_name = metric_name
        self.job = job_spec.parse_job_metric(job)
        self.clock: Clock = clock or SystemClock()
        self.timeout = _wait_limit(self.job, timeout)
        self.history_limit = max(history_limit, 0)
        self.run_uid = run_uid or str(uuid.uuid4())
        self.run_name = run_name
        self.jobs_created = 0
        job_spec.check_job_name(job_spec.job_name(self.run_uid, metric_name, 1), metric_name)

    def __repr__(self) -> str:
        return f"JobProvider(namespace={self.namespace!r}, metric={self.metric_name!r}, uid={self.run_uid!r})"

    def measure(self, query: str | None, at: float) -> Observation:
        """Create the next Job, wait for its verdict; delete it unless it finished."""
        self.jobs_created += 1
        name = job_spec.job_name(self.run_uid, self.metric_name, self.jobs_created)
        created = finished = False
        try:
            self._create(name)
            created = True
            observation = self._wait(name)
            finished = observation.phase in (Phase.SUCCESSFUL, Phase.FAILED)
        finally:
            if not finished:
                run_to_completion(partial(self._terminate, name, created))
        self._collect_garbage()
        return observation

    def delete_jobs(self) -> int:
        """Delete every Job this provider created (finished ones included); how many were deleted."""
        jobs = self.api.list("jobs", self.namespace, f"{job_spec.UID_LABEL}={self.run_uid}")
        return sum(delete_job(self.api, self.namespace, job["metadata"]["name"]) for job in jobs)

    def _create(self, name: str) -> None:
        """Create the Job; one of this run by that name (a retried create) counts as created."""
        body = job_spec.build_job(
            self.job, name, self.namespace, self.run_uid, self.metric_name, self.run_name
        )
        try:
            self.api.create("jobs", self.namespace, body)
            log.info("job %s/%s created", self.namespace, name)
        except KubernetesError as error:
            if error.status != 409 or not self._is_ours(name):
                raise

    def _is_ours(self, name: str) -> bool:
        existing = self.api.get("jobs", self.namespace, name)
        labels = ((existing or {}).get("metadata") or {}).get("labels") or {}
        return labels.get(job_spec.UID_LABEL) == self.run_uid

    def _wait(self, name: str) -> Observation:
        """Look at the Job until it has a verdict or `timeout` passes, waiting `poll_delay` between looks."""
        start = self.clock.now()
        faults = 0
        while True:
            try:
                verdict = self._look(name)
                faults = 0
            except KubernetesError:
                faults += 1
                if faults >= POLL_FAULT_LIMIT:
                    raise
                verdict = None
            if verdict is not None:
                return verdict
            elapsed = self.clock.now() - start
            if elapsed >= self.timeout:
                message = f'Metric Terminated: Job "{name}" did not finish within {self.timeout:g}s'
                return self._observation(name, Phase.INCONCLUSIVE, message)
            self.clock.sleep(min(poll_delay(elapsed), self.timeout - elapsed))

    def _look(self, name: str) -> Observation | None:
        """The Job's verdict now: its finished condition, a pod stuck pulling its image, or None."""
        job = self.api.get("jobs", self.namespace, name)
        if job is None:
            raise ProviderError(f'job.batch "{name}" not found')
        phase = job_spec.finished_phase(job)
        if phase is not None:
            return self._observation(name, phase)
        selector = job_spec.pod_selector(job)
        pods = self.api.list("pods", self.namespace, selector) if selector else []
        stuck = job_spec.terminal_pod_error(pods)
        return None if stuck is None else self._observation(name, Phase.INCONCLUSIVE, stuck)

    def _observation(self, name: str, phase: Phase, message: str = "") -> Observation:
        metadata = {job_spec.JOB_NAME_KEY: name, job_spec.JOB_NAMESPACE_KEY: self.namespace}
        return Observation(value=None, text="", metadata=metadata, phase=phase, message=message)

    def _terminate(self, name: str, created: bool) -> None:
        """Argo's Terminate: delete an unfinished Job with its pods; a refusal is logged, not raised."""
        if not created:
            return
        try:
            delete_job(self.api, self.namespace, name)
            log.info("job %s/%s deleted", self.namespace, name)
        except KubernetesError as fault:
            log.warning("job %s/%s could not be deleted: %s", self.namespace, name, fault)

    def _collect_garbage(self) -> None:
        """Argo's GarbageCollect: keep the newest `history_limit` Jobs of this provider."""
        try:
            jobs = self.api.list("jobs", self.namespace, f"{job_spec.UID_LABEL}={self.run_uid}")
            ordered = job_spec.creation_order(jobs)
            for job in ordered[: max(len(ordered) - self.history_limit, 0)]:
                delete_job(self.api, self.namespace, job["metadata"]["name"])
                log.info("job %s/%s garbage collected", self.namespace, job["metadata"]["name"])
        except KubernetesError as fault:
            log.warning("jobs of %s could not be garbage collected: %s", self.metric_name, fault)


def delete_job(api: KubeAPI, namespace: str, name: str) -> bool:
    """Delete a Job with its pods (foreground, as Argo); False when it was already gone."""
    return api.delete("jobs", namespace, name, propagation="Foreground")


def poll_delay(elapsed: float) -> float:
    """Argo's `sqrt(2 * elapsed)` seconds, kept within `MIN_POLL` and `MAX_POLL`."""
    return min(max(math.sqrt(2 * max(elapsed, 0.0)), MIN_POLL), MAX_POLL)


def _wait_limit(job: JobMetric, timeout: float | None) -> float:
    """`timeout` when given, else the Job's `activeDeadlineSeconds` plus grace, else `DEFAULT_TIMEOUT`."""
    if timeout is not None:
        if isinstance(timeout, bool) or not isinstance(timeout, int | float) or not timeout > 0:
            raise SpecError(f"job timeout must be a positive number of seconds, got {timeout!r}")
        return float(timeout)
    deadline = job.spec.active_deadline_seconds
    return DEFAULT_TIMEOUT if deadline is None else deadline + DEADLINE_GRACE
