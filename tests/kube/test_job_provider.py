"""The job provider against the fake API server through the real `kubernetes` client.

Argo's `metricproviders/job/job_test.go` cases carry their Go test names; the others cover what canarykit
adds (one synchronous measurement: polling on the clock, deletion on interruption and timeout).
"""

from __future__ import annotations

import logging
import math
import signal
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from canarykit.analysis import Metric, Phase
from canarykit.analysis.take import take_measurement
from canarykit.errors import KubernetesError, SpecError
from canarykit.interrupts import Interrupted, interruptible
from canarykit.kube import KubeAPI, connect
from canarykit.kube.job_spec import UID_LABEL
from canarykit.kube.jobs import DEADLINE_GRACE, MAX_POLL, MIN_POLL, JobProvider
from canarykit.rollout.signals import abort_on_signals
from canarykit.testing import FakeClock
from canarykit.testing.kube import FakeKubeAPI, JobPlan, JobRunner
from canarykit.testing.kube.jobs import Rule, complete, fail, image_pull_error, keep_running

NAMESPACE = "dummynamespace"
UID = "dummyuid"
JOB: dict[str, Any] = {
    "spec": {
        "backoffLimit": 0,
        "template": {
            "spec": {
                "containers": [{"name": "dummy", "image": "busybox", "command": ["dosomething"]}],
                "restartPolicy": "Never",
            }
        },
    }
}


class HookedClock(FakeClock):
    """A fake clock that calls `on_sleep()` before each sleep: something happens while the provider waits."""

    def __init__(self, on_sleep: Callable[[], None]) -> None:
        super().__init__()
        self.on_sleep = on_sleep

    def sleep(self, seconds: float) -> None:
        self.on_sleep()
        super().sleep(seconds)


@pytest.fixture
def kube() -> Iterator[FakeKubeAPI]:
    with FakeKubeAPI() as server:
        yield server


@pytest.fixture
def api(kube: FakeKubeAPI) -> KubeAPI:
    return connect(host=kube.url, request_timeout=5)


def provider(
    api: KubeAPI,
    clock: FakeClock,
    metric: str = "dummymetric",
    job: dict[str, Any] = JOB,
    uid: str = UID,
    timeout: float | None = None,
) -> JobProvider:
    """Argo's test run: UID `dummyuid`, namespace `dummynamespace`."""
    return JobProvider(api, NAMESPACE, metric, job, clock=clock, run_uid=uid, timeout=timeout)


def measure_with(kube: FakeKubeAPI, rule: Rule | JobPlan, job_provider: JobProvider) -> Phase:
    with JobRunner(kube, rule, clock=job_provider.clock):
        measurement = take_measurement(Metric("m", job_provider), job_provider.clock)
    return measurement.phase


def test_run(kube: FakeKubeAPI, api: KubeAPI) -> None:
    """TestRun: the Job's name, namespace, labels and annotations; the next one is number 2."""
    job = {"metadata": {"labels": {"foo-label": "bar"}, "annotations": {"foo-annotation": "bar"}}, **JOB}
    clock = FakeClock()
    jobs = provider(api, clock, job=job)
    with JobRunner(kube, complete(), clock=clock):
        first = take_measurement(Metric("dummymetric", jobs), clock)
    assert first.metadata == {"job-name": "dummyuid.dummymetric.1", "job-namespace": NAMESPACE}
    created = kube.get("jobs", NAMESPACE, "dummyuid.dummymetric.1")
    assert created is not None
    assert created["metadata"]["labels"] == {"foo-label": "bar", UID_LABEL: UID}
    assert created["metadata"]["annotations"] == {
        "foo-annotation": "bar",
        "analysisrun.argoproj.io/namespace": NAMESPACE,
        "analysisrun.argoproj.io/metric-name": "dummymetric",
    }
    assert "ownerReferences" not in created["metadata"]  # no AnalysisRun object to own it
    assert created["spec"]["template"]["metadata"]["labels"][UID_LABEL] == UID
    with JobRunner(kube, complete(), clock=clock):
        second = take_measurement(Metric("dummymetric", jobs), clock)
    assert second.metadata["job-name"] == "dummyuid.dummymetric.2"


def test_run_create_fail(kube: FakeKubeAPI, api: KubeAPI) -> None:
    """TestRunCreateFail: a refused create is an Error measurement carrying the API's message."""
    kube.fail_next(status=500, method="POST", path="/jobs")
    measurement = take_measurement(Metric("m", provider(api, FakeClock())), FakeClock())
    assert measurement.phase is Phase.ERROR
    assert "500 InternalError" in measurement.message
    assert kube.list("jobs") == []


def test_run_create_collision(kube: FakeKubeAPI, api: KubeAPI) -> None:
    """TestRunCreateCollision: a Job of this run with the same name is taken as created."""
    clock = FakeClock()
    kube.put({**_argo_job("dummyuid.dummymetric.1", UID), "status": {}})
    assert measure_with(kube, complete(), provider(api, clock)) is Phase.SUCCESSFUL


def test_run_create_collision_with_another_runs_job(kube: FakeKubeAPI, api: KubeAPI) -> None:
    """A same-named Job of another run is an Error, and it is left alone."""
    kube.put(_argo_job("dummyuid.dummymetric.1", "someone-else"))
    measurement = take_measurement(Metric("m", provider(api, FakeClock())), FakeClock())
    assert measurement.phase is Phase.ERROR
    assert "AlreadyExists" in measurement.message
    assert kube.get("jobs", NAMESPACE, "dummyuid.dummymetric.1") is not None


def test_resume_running_job(kube: FakeKubeAPI, api: KubeAPI) -> None:
    """TestResumeRunningJob: a running Job is looked at again after sqrt(2 * elapsed) s (1 s to 30 s)."""
    clock = FakeClock()
    jobs = provider(api, clock, timeout=600)
    with JobRunner(kube, keep_running(), clock=clock):
        observation = jobs.measure(None, clock.now())
    assert observation.phase is Phase.INCONCLUSIVE
    assert observation.message == 'Metric Terminated: Job "dummyuid.dummymetric.1" did not finish within 600s'
    elapsed, expected = 0.0, []
    while elapsed < 600:
        wait = min(max(math.sqrt(2 * elapsed), MIN_POLL), MAX_POLL, 600 - elapsed)
        expected.append(wait)
        elapsed += wait
    assert clock.sleeps == pytest.approx(expected, abs=1e-3)  # clock at 1.7e9 s: float steps
    assert kube.list("jobs") == [] and kube.list("pods") == []  # deleted with its pod


def test_completes_after_polls(kube: FakeKubeAPI, api: KubeAPI) -> None:
    """A Job completing 30 s in is seen at the first look after that."""
    clock = FakeClock()
    start = clock.now()
    assert measure_with(kube, complete(after=30), provider(api, clock)) is Phase.SUCCESSFUL
    assert 30 <= clock.now() - start < 30 + math.sqrt(60) + 1


@pytest.mark.parametrize("init_container", [False, True], ids=["containers", "initContainers"])
@pytest.mark.parametrize("reason", ["ErrImagePull", "ImagePullBackOff", "InvalidImageName"])
def test_resume_running_job_with_failed_pods(
    kube: FakeKubeAPI, api: KubeAPI, reason: str, init_container: bool
) -> None:
    """TestResumeRunningJobWithFailedPods / ...WithFailedInitContainer: Inconclusive with Argo's message."""
    job = {"spec": {**JOB["spec"], "template": {"spec": {**JOB["spec"]["template"]["spec"]}}}}
    job["spec"]["template"]["spec"]["initContainers"] = [{"name": "init-dummy", "image": "x"}]
    clock = FakeClock()
    with JobRunner(kube, image_pull_error(reason, "not found", init_container=init_container), clock=clock):
        measurement = take_measurement(Metric("m", provider(api, clock, job=job)), clock)
    assert measurement.phase is Phase.INCONCLUSIVE
    container = "init-dummy" if init_container else "dummy"
    assert measurement.message.startswith("Pod dummyuid.dummymetric.1-")
    assert measurement.message.endswith(f", container {container} has terminal error ({reason}): not found\n")
    assert clock.sleeps == []  # seen at the first look
    assert kube.list("jobs") == [] and kube.list("pods") == []  # a stuck Job is deleted


def test_resume_completed_job(kube: FakeKubeAPI, api: KubeAPI) -> None:
    """TestResumeCompletedJob: Complete is Successful; the finished Job is kept."""
    assert measure_with(kube, complete(), provider(api, FakeClock())) is Phase.SUCCESSFUL
    assert [job["metadata"]["name"] for job in kube.list("jobs")] == ["dummyuid.dummymetric.1"]


def test_resume_failed_job(kube: FakeKubeAPI, api: KubeAPI) -> None:
    """TestResumeFailedJob: Failed is Failed; the finished Job is kept."""
    assert measure_with(kube, fail(), provider(api, FakeClock())) is Phase.FAILED
    assert len(kube.list("jobs")) == 1


def test_resume_error_job(kube: FakeKubeAPI, api: KubeAPI) -> None:
    """TestResumeErrorJob: a Job deleted by someone else while waited on is an Error."""

    def delete_the_job() -> None:
        kube.delete("jobs", NAMESPACE, "dummyuid.dummymetric.1")

    clock = HookedClock(delete_the_job)
    with JobRunner(kube, keep_running(), clock=clock):
        measurement = take_measurement(Metric("m", provider(api, clock)), clock)
    assert measurement.phase is Phase.ERROR
    assert measurement.message == 'job.batch "dummyuid.dummymetric.1" not found'


def test_terminate_measurement_on_a_signal(kube: FakeKubeAPI, api: KubeAPI) -> None:
    """TestTerminateMeasurement: a signal while waiting deletes the Job and its pods (Argo's Terminate)."""
    clock = HookedClock(lambda: signal.raise_signal(signal.SIGTERM))
    jobs = provider(api, clock)
    runner = JobRunner(kube, keep_running(), clock=clock)
    with runner, abort_on_signals() as signals, pytest.raises(Interrupted), interruptible():
        jobs.measure(None, clock.now())
    assert signals.reason == "received SIGTERM"
    assert kube.list("jobs") == [] and kube.list("pods") == []
    path = "/apis/batch/v1/namespaces/dummynamespace/jobs/dummyuid.dummymetric.1"
    assert ("DELETE", path) in [(method, path) for method, path, _ in kube.requests]


def test_terminate_error(kube: FakeKubeAPI, api: KubeAPI, caplog: pytest.LogCaptureFixture) -> None:
    """TestTerminateError: a refused delete is logged; the interruption is what the caller sees."""

    def interrupt() -> None:
        kube.fail_next(status=500, method="DELETE")
        raise Interrupted("received SIGINT")

    clock = HookedClock(interrupt)
    jobs = provider(api, clock)
    runner = JobRunner(kube, keep_running(), clock=clock)
    with runner, caplog.at_level(logging.WARNING), pytest.raises(Interrupted):
        jobs.measure(None, clock.now())
    assert "could not be deleted" in caplog.text
    assert len(kube.list("jobs")) == 1


def test_garbage_collect(kube: FakeKubeAPI, api: KubeAPI) -> None:
    """TestGarbageCollect: past 10 finished Jobs, the oldest go."""
    jobs = provider(api, FakeClock())
    for _ in range(12):
        assert measure_with(kube, complete(), jobs) is Phase.SUCCESSFUL
    names = sorted(job["metadata"]["name"] for job in kube.list("jobs"))
    assert names == sorted(f"dummyuid.dummymetric.{n}" for n in range(3, 13))


def test_job_name_within_63_characters(kube: FakeKubeAPI, api: KubeAPI) -> None:
    """TestJobNameWithin63characters."""
    uid = "34e4d823-4ba9-4afe-8775-6384561d7ef3"
    jobs = provider(api, FakeClock(), metric="short-job-name", uid=uid)
    with JobRunner(kube, complete(), clock=jobs.clock):
        observation = jobs.measure(None, 0)
    assert observation.metadata["job-name"] == f"{uid}.short-job-name.1"
    assert kube.get("jobs", NAMESPACE, f"{uid}.short-job-name.1") is not None


SEVENTY = "this-is-a-very-long-metric-name-that-is-exactly-seventy-characters-long"


@pytest.mark.parametrize(
    ("uid", "metric"),
    [
        pytest.param(
            "5d610152-d78d-4af9-aa6a-81c227ea422c",
            "service-endpoint-reachable",
            id="TestJobNameWithTruncation",
        ),
        pytest.param("a3f5c9b2-1d4e-4b8a-9f3e-2c7d8e6a4b1c", SEVENTY, id="TestLongJobName"),
    ],
)
def test_job_name_with_truncation(kube: FakeKubeAPI, api: KubeAPI, uid: str, metric: str) -> None:
    """TestJobNameWithTruncation, TestLongJobName: 63 characters, the metric part cut; the API accepts it."""
    jobs = provider(api, FakeClock(), metric=metric, uid=uid)
    with JobRunner(kube, complete(), clock=jobs.clock):
        name = jobs.measure(None, 0).metadata["job-name"]
    assert len(name) == 63 and name.startswith(f"{uid}.{metric[:10]}") and name.endswith(".1")
    assert kube.get("jobs", NAMESPACE, name) is not None


def test_cut_ending_in_a_dash_is_dropped(kube: FakeKubeAPI, api: KubeAPI) -> None:
    """Regression: Argo's cut can leave `-` before `.1`, a name the API server refuses; canarykit drops it."""
    uid = "5d610152-d78d-4af9-aa6a-81c227ea422c"
    metric = "a" * 23 + "-tail"  # cut to 24 characters: "aaa...a-"
    jobs = provider(api, FakeClock(), metric=metric, uid=uid)
    assert measure_with(kube, complete(), jobs) is Phase.SUCCESSFUL
    assert kube.get("jobs", NAMESPACE, f"{uid}.{'a' * 23}.1") is not None


def test_metric_name_that_cannot_name_a_job_is_refused(api: KubeAPI) -> None:
    with pytest.raises(SpecError, match='metric "Error_Rate" cannot name a Job'):
        provider(api, FakeClock(), metric="Error_Rate")


def test_active_deadline_bounds_the_wait(kube: FakeKubeAPI, api: KubeAPI) -> None:
    """With activeDeadlineSeconds, the Job controller's Failed is awaited, then the grace, then deletion."""
    job = {"spec": {**JOB["spec"], "activeDeadlineSeconds": 10}}
    clock = FakeClock()
    assert measure_with(kube, fail(after=10), provider(api, clock, job=job)) is Phase.FAILED
    assert len(kube.list("jobs")) == 1
    clock = FakeClock()
    jobs = provider(api, clock, job=job, uid="other")
    with JobRunner(kube, keep_running(), clock=clock):
        observation = jobs.measure(None, clock.now())
    assert observation.phase is Phase.INCONCLUSIVE
    assert sum(clock.sleeps) == pytest.approx(10 + DEADLINE_GRACE)
    assert [job["metadata"]["name"] for job in kube.list("jobs")] == ["dummyuid.dummymetric.1"]


def test_transient_poll_faults_are_tolerated(kube: FakeKubeAPI, api: KubeAPI) -> None:
    kube.fail_next(count=2, status=503, method="GET", path="/jobs/")
    assert measure_with(kube, complete(after=5), provider(api, FakeClock())) is Phase.SUCCESSFUL


def test_persistent_poll_faults_are_an_error_and_the_job_is_deleted(kube: FakeKubeAPI, api: KubeAPI) -> None:
    kube.fail_next(count=3, status=503, method="GET", path="/jobs/")
    assert measure_with(kube, complete(after=5), provider(api, FakeClock())) is Phase.ERROR
    assert kube.list("jobs") == []


def test_conditions_are_ignored(kube: FakeKubeAPI, api: KubeAPI) -> None:
    """As in Argo, a job metric's phase is the Job's: conditions are not evaluated."""
    clock = FakeClock()
    metric = Metric("m", provider(api, clock), success_condition="false", failure_condition="true")
    with JobRunner(kube, complete(), clock=clock):
        assert take_measurement(metric, clock).phase is Phase.SUCCESSFUL


def test_delete_jobs_removes_every_job_of_the_provider(kube: FakeKubeAPI, api: KubeAPI) -> None:
    jobs = provider(api, FakeClock())
    for _ in range(3):
        measure_with(kube, complete(), jobs)
    kube.put(_argo_job("another", "someone-else"))
    assert jobs.delete_jobs() == 3
    assert [job["metadata"]["name"] for job in kube.list("jobs")] == ["another"]


def _argo_job(name: str, uid: str) -> dict[str, Any]:
    metadata = {"name": name, "namespace": NAMESPACE, "labels": {UID_LABEL: uid}}
    return {"apiVersion": "batch/v1", "kind": "Job", "metadata": metadata, "spec": JOB["spec"]}


def test_the_fake_orphans_a_jobs_pods_without_a_propagation_policy(kube: FakeKubeAPI, api: KubeAPI) -> None:
    """Why the provider deletes in the foreground: a `batch/v1` Job's default deletion keeps its pods."""
    with JobRunner(kube, keep_running()):
        api.create("jobs", NAMESPACE, _argo_job("plain-delete", UID))
        assert api.list("pods", NAMESPACE, "batch.kubernetes.io/job-name=plain-delete") != []
    assert api.delete("jobs", NAMESPACE, "plain-delete")
    [pod] = kube.list("pods")
    assert pod["metadata"]["labels"]["job-name"] == "plain-delete"
    assert pod["metadata"].get("ownerReferences") == []


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"restartPolicy": "Always"}, 'Unsupported value: "Always": supported values: "OnFailure", "Never"'),
        ({"containers": []}, "spec.template.spec.containers: Required value"),
    ],
)
def test_the_fake_refuses_jobs_the_api_server_refuses(
    api: KubeAPI, change: dict[str, Any], message: str
) -> None:
    body = _argo_job("refused", UID)
    body["spec"] = {"template": {"spec": {**JOB["spec"]["template"]["spec"], **change}}}
    with pytest.raises(KubernetesError, match="422 Invalid") as refused:
        api.create("jobs", NAMESPACE, body)
    assert message in str(refused.value)
