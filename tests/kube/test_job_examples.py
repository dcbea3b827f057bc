"""argo-rollouts' own job metrics (examples/, docs/, test/e2e/ copied into tests/data/argo_job) loaded with a
`KubeCluster` on the fake API server and run once; a Rollout gated by a job metric, promoted or rolled back.

`run_locally()` runs each Job's container command here (`sh -c "exit 0"`, `sleep 0s && exit 1`...), so the
outcome is the command's own exit status; the other rules play what Kubernetes would do with the Job.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from canarykit import Rollout, RolloutPhase
from canarykit.analysis import Phase
from canarykit.argo import load, load_analysis_template
from canarykit.argo.documents import read_documents
from canarykit.errors import SpecError, UnsupportedFeature
from canarykit.kube import KubeAPI, connect
from canarykit.kube.cluster import KubeCluster
from canarykit.testing import FakeClock, InMemoryRouter, InMemoryWorkload
from canarykit.testing.kube import FakeKubeAPI, JobPlan, JobRunner
from canarykit.testing.kube.jobs import Rule, complete, fail, image_pull_error, keep_running, run_locally

DATA = Path(__file__).parent.parent / "data" / "argo_job"
NAMESPACE = "argo-examples"


def in_turn(*plans: JobPlan) -> Rule:
    """A rule giving the Jobs `plans` in their order of creation (the last one repeats)."""
    given: list[JobPlan] = []

    def rule(job: dict[str, Any]) -> JobPlan:
        given.append(plans[min(len(given), len(plans) - 1)])
        return given[-1]

    return rule


INCONCLUSIVE = (
    r'Metric "{metric}" assessed Inconclusive due to inconclusive \(1\) > inconclusiveLimit \(0\): '
    r'"Error Message: '
)
# (file, template, args, rule, run phase, run message: a regular expression when it has a "\(")
EXAMPLES = [
    ("examples-analysis-templates.yaml", "pass", {}, run_locally(), Phase.SUCCESSFUL, ""),
    (
        "examples-analysis-templates.yaml",
        "random-fail",
        {},
        in_turn(fail(), fail()),
        Phase.FAILED,
        'Metric "random-fail" assessed Failed due to failed (2) > failureLimit (1)',
    ),
    (
        "examples-analysis-templates.yaml",
        "random-fail",
        {},
        in_turn(fail(), complete()),
        Phase.SUCCESSFUL,
        "",
    ),
    ("examples-cluster-analysis-templates.yaml", "always-pass", {}, run_locally(), Phase.SUCCESSFUL, ""),
    (
        "examples-traffic-management-job.yaml",
        "load-test",
        {"namespace": "web"},
        complete(after=45),
        Phase.SUCCESSFUL,
        "Run Terminated",
    ),
    ("docs-analysis-job.yaml", "docs-job", {}, complete(), Phase.SUCCESSFUL, ""),
    (
        "e2e-analysistemplate-fail-multiple-job.yaml",
        "multiple-job-fail",
        {},
        run_locally(),
        Phase.FAILED,
        'Metric "sleep-job-rep" assessed Failed due to failed (2) > failureLimit (1)',
    ),
    (
        "e2e-analysistemplate-invalid-image-job.yaml",
        "invalid-image-job",
        {},
        image_pull_error(),
        Phase.INCONCLUSIVE,
        INCONCLUSIVE.format(metric="invalid-image-job-metric")
        + r'Pod [-.a-z0-9]+, container invalid-image-job has terminal error \(ErrImagePull\): [^\n]*\n"',
    ),
    (
        "e2e-analysistemplate-long-running-job-deadline.yaml",
        "long-running-job-deadline",
        {},
        fail(after=10),  # the Job controller at activeDeadlineSeconds
        Phase.FAILED,
        'Metric "long-running-job-deadline-metric" assessed Failed due to failed (1) > failureLimit (0)',
    ),
    (
        "e2e-analysistemplate-long-running-job.yaml",
        "long-running-job",
        {},
        keep_running(),
        Phase.INCONCLUSIVE,
        INCONCLUSIVE.format(metric="long-running-job-metric")
        + r'Metric Terminated: Job "[-.a-z0-9]+" did not finish within 600s"',
    ),
    ("e2e-analysistemplate-multiple-job.yaml", "multiple-job", {}, run_locally(), Phase.SUCCESSFUL, ""),
    (
        "e2e-analysistemplate-multiple-job.yaml",
        "multiple-job",
        {"exit-code": "3"},
        run_locally(),
        Phase.FAILED,
        'Metric "sleep-job-rep" assessed Failed due to failed (1) > failureLimit (0)',
    ),
    (
        "e2e-analysistemplate-sleep-job.yaml",
        "sleep-job",
        {"rev": "abc"},
        run_locally(),
        Phase.SUCCESSFUL,
        "",
    ),
    (
        "e2e-analysistemplate-sleep-job.yaml",
        "sleep-job",
        {"exit-code": "1"},
        run_locally(),
        Phase.FAILED,
        'Metric "sleep-job" assessed Failed due to failed (1) > failureLimit (0)',
    ),
]


@pytest.fixture
def kube() -> Iterator[FakeKubeAPI]:
    with FakeKubeAPI() as server:
        yield server


@pytest.fixture
def api(kube: FakeKubeAPI) -> KubeAPI:
    return connect(host=kube.url, request_timeout=5)


def template_text(file: str, name: str) -> str:
    """The one document of `file` that is the template `name`, as YAML text."""
    import yaml

    _, documents = read_documents(DATA / file)
    [document] = [doc for doc in documents if doc.get("metadata", {}).get("name") == name]
    return yaml.safe_dump(document)


@pytest.mark.parametrize(
    ("file", "template", "args", "rule", "phase", "message"),
    EXAMPLES,
    ids=[f"{template}-{phase}" for _, template, _, _, phase, _ in EXAMPLES],
)
def test_argo_job_example_runs(
    kube: FakeKubeAPI,
    api: KubeAPI,
    file: str,
    template: str,
    args: dict[str, str],
    rule: Rule,
    phase: Phase,
    message: str,
) -> None:
    clock = FakeClock()
    cluster = KubeCluster(api, NAMESPACE, clock=clock)
    loaded = load_analysis_template(template_text(file, template), cluster=cluster)
    with JobRunner(kube, rule, clock=clock) as runner:
        result = loaded.instantiate(args=args, clock=clock).run(duration="2m")
    assert result.phase is phase
    assert re.fullmatch(message, result.message) if "\\(" in message else result.message == message
    measurements = [m for metric in result.metrics for m in metric.measurements]
    names = {m.metadata["job-name"] for m in measurements}
    assert len(runner.plans) == len(names) == len(measurements) > 0  # one Job per measurement
    assert {m.metadata["job-namespace"] for m in measurements} == {NAMESPACE}


def test_templated_pod_label_reaches_the_job(kube: FakeKubeAPI, api: KubeAPI) -> None:
    clock = FakeClock()
    loaded = load_analysis_template(
        DATA / "e2e-analysistemplate-sleep-job.yaml", cluster=KubeCluster(api, NAMESPACE, clock=clock)
    )
    with JobRunner(kube, complete(), clock=clock):
        loaded.instantiate(args={"rev": "abc123"}, clock=clock).run()
    [job] = kube.list("jobs")
    assert job["spec"]["template"]["metadata"]["labels"]["rev"] == "abc123"
    assert job["spec"]["template"]["spec"]["containers"][0]["args"] == ["sleep 0 && exit 0"]


def test_linkerd_example_is_malformed_yaml() -> None:
    """`linkerd.io/inject: {{args.linkerd-enabled}}` is a mapping used as a key: kubectl refuses it too."""
    with pytest.raises(SpecError, match=r"malformed YAML: .*found unhashable key \(line 102"):
        load_analysis_template(DATA / "examples-traffic-management-rollout-linkerd.yaml")


def test_job_metric_without_a_cluster_is_refused_when_built() -> None:
    loaded = load_analysis_template(DATA / "examples-cluster-analysis-templates.yaml")
    with pytest.raises(UnsupportedFeature, match="the job provider needs a Kubernetes cluster"):
        loaded.instantiate()


ROLLOUT = """
apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata:
  name: job-gated
spec:
  replicas: 1
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers: [{name: web, image: "web:blue"}]
  strategy:
    canary:
      steps:
        - setWeight: 20
        - analysis:
            templates: [{templateName: random-fail}]
        - setWeight: 60
"""


@pytest.mark.parametrize(
    ("rule", "phase", "history"),
    [
        (in_turn(complete(), fail()), RolloutPhase.HEALTHY, [20, 60, 100]),
        (in_turn(fail(), fail()), RolloutPhase.DEGRADED, [20, 0]),
    ],
    ids=["promoted", "rolled-back"],
)
def test_rollout_gated_by_a_job_metric(
    kube: FakeKubeAPI, api: KubeAPI, rule: Rule, phase: RolloutPhase, history: list[int]
) -> None:
    clock = FakeClock()
    spec = load(
        ROLLOUT, DATA / "examples-analysis-templates.yaml", cluster=KubeCluster(api, NAMESPACE, clock=clock)
    )
    router = InMemoryRouter()
    with JobRunner(kube, rule, clock=clock):
        result = Rollout.from_spec(spec, router, InMemoryWorkload("blue"), clock=clock).run("green")
    assert result.phase is phase
    assert router.history[: len(history)] == history
    assert len(kube.list("jobs")) == 2


TEMPLATE = """
kind: AnalysisTemplate
apiVersion: argoproj.io/v1alpha1
metadata: {name: checks}
spec:
  metrics:
    - name: check
      provider:
        job:
          spec:
            template:
              spec:
                containers: [{name: check, image: busybox}]
                restartPolicy: Never
"""


@pytest.mark.parametrize(
    ("old", "new", "path", "error"),
    [
        ("restartPolicy: Never", "restartPolicy: Always", "template.spec.restartPolicy", "Unsupported value"),
        (
            "restartPolicy: Never",
            "dnsPolicy: None",
            "template.spec.restartPolicy",
            "required field is missing",
        ),
        (
            "containers: [{name: check, image: busybox}]",
            "containers: []",
            "template.spec.containers",
            "Required value",
        ),
        ("{name: check, image: busybox}", "{image: busybox}", "template.spec.containers[0].name", "required"),
        ("template:", "backofLimit: 1\n            template:", "backofLimit", "unknown field"),
        (
            "template:",
            "activeDeadlineSeconds: 0\n            template:",
            "activeDeadlineSeconds",
            "greater than",
        ),
    ],
)
def test_job_specs_the_api_server_would_refuse_are_refused_at_load(
    old: str, new: str, path: str, error: str
) -> None:
    with pytest.raises(SpecError, match=error) as refused:
        load_analysis_template(TEMPLATE.replace(old, new))
    assert refused.value.path == f"spec.metrics[0].provider.job.spec.{path}"
