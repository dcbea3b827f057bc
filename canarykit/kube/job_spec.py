"""A job metric's Job as Argo builds it (name, labels, annotations), and what its status and pods say."""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from pydantic import ValidationError

from canarykit.analysis.phases import Phase
from canarykit.argo.documents import field_path
from canarykit.argo.job_models import JobMetric
from canarykit.errors import SpecError

DNS_LIMIT = 63
"""Argo's `Kubernetes_DNS_Limit`: a Job's name is also its pods' `job-name` label value."""
UID_LABEL = "analysisrun.argoproj.io/uid"
NAME_ANNOTATION = "analysisrun.argoproj.io/name"
NAMESPACE_ANNOTATION = "analysisrun.argoproj.io/namespace"
METRIC_ANNOTATION = "analysisrun.argoproj.io/metric-name"
JOB_NAME_KEY = "job-name"
JOB_NAMESPACE_KEY = "job-namespace"
TERMINAL_WAITING_REASONS = frozenset({"ErrImagePull", "ImagePullBackOff", "InvalidImageName"})
"""Container waiting reasons a Job never recovers from: the measurement is Inconclusive at once."""
_SUBDOMAIN = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*")
_FINISHED = {"Complete": Phase.SUCCESSFUL, "Failed": Phase.FAILED}


def parse_job_metric(job: Mapping[str, Any] | JobMetric, path: str = "job") -> JobMetric:
    """A metric's `provider.job` (`metadata` and `spec`) validated; `SpecError` naming the field if bad."""
    if isinstance(job, JobMetric):
        return job
    try:
        return JobMetric.model_validate(job)
    except ValidationError as error:  # from None: pydantic would print the values
        first = error.errors()[0]
        where = f"{path}.{field_path(first['loc'])}" if first["loc"] else path
        raise SpecError(str(first["msg"]), where) from None


def job_name(run_uid: str, metric: str, index: int) -> str:
    """Argo's `<run uid>.<metric>.<index>`, the metric part cut to fit 63 characters.

    canarykit also drops the `-` or `.` a cut may leave at the metric part's end (Argo keeps it, and the
    API server then refuses the name).
    """
    name = f"{run_uid}.{metric}.{index}"
    if len(name) <= DNS_LIMIT:
        return name
    cut = metric[: max(len(metric) - (len(name) - DNS_LIMIT), 0)].rstrip("-.")
    return f"{run_uid}.{cut}.{index}"


def check_job_name(name: str, metric: str) -> None:
    """`SpecError` with the API server's words when `name` cannot name a Job (from metric `metric`)."""
    if _SUBDOMAIN.fullmatch(name) and len(name) <= DNS_LIMIT:
        return
    raise SpecError(
        f'metric "{metric}" cannot name a Job: metadata.name: Invalid value: "{name}": a lowercase RFC 1123 '
        "subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end "
        "with an alphanumeric character"
    )


def build_job(job: JobMetric, name: str, namespace: str, run_uid: str, metric: str, run_name: str) -> Any:
    """The `batch/v1` Job Argo's `newMetricJob` makes (no owner: there is no AnalysisRun object)."""
    given = job.as_dict()
    labels = {**given.get("metadata", {}).get("labels", {}), UID_LABEL: run_uid}
    annotations = {
        **given.get("metadata", {}).get("annotations", {}),
        **({NAME_ANNOTATION: run_name} if run_name else {}),
        NAMESPACE_ANNOTATION: namespace,
        METRIC_ANNOTATION: metric,
    }
    spec = copy.deepcopy(given["spec"])
    pod_metadata = spec["template"].setdefault("metadata", {})
    pod_metadata["labels"] = {**(pod_metadata.get("labels") or {}), UID_LABEL: run_uid}
    metadata = {"name": name, "namespace": namespace, "labels": labels, "annotations": annotations}
    return {"apiVersion": "batch/v1", "kind": "Job", "metadata": metadata, "spec": spec}


def finished_phase(job: Mapping[str, Any]) -> Phase | None:
    """Successful for a `Complete` condition, Failed for a `Failed` one (the last wins, as in Argo)."""
    phase = None
    for condition in (job.get("status") or {}).get("conditions") or []:
        phase = _FINISHED.get(str(condition.get("type")), phase)
    return phase


def terminal_pod_error(pods: Iterable[Mapping[str, Any]]) -> str | None:
    """Argo's `processJobPods`: the first container (init ones first) stuck pulling its image, as text."""
    for pod in pods:
        status = pod.get("status") or {}
        for field in ("initContainerStatuses", "containerStatuses"):
            for container in status.get(field) or []:
                waiting = (container.get("state") or {}).get("waiting") or {}
                if waiting.get("reason") in TERMINAL_WAITING_REASONS:
                    pod_name = (pod.get("metadata") or {}).get("name", "")
                    return (
                        f"Pod {pod_name}, container {container.get('name', '')} has terminal error "
                        f"({waiting['reason']}): {waiting.get('message', '')}\n"
                    )
    return None


def pod_selector(job: Mapping[str, Any]) -> str | None:
    """The Job's `spec.selector` as a label selector string; None (no pods match) when it has none."""
    selector = (job.get("spec") or {}).get("selector") or {}
    clauses = [f"{key}={value}" for key, value in (selector.get("matchLabels") or {}).items()]
    clauses += [_expression(item) for item in selector.get("matchExpressions") or []]
    return ",".join(clauses) or None


def _expression(requirement: Mapping[str, Any]) -> str:
    key, operator = requirement.get("key", ""), requirement.get("operator", "")
    values: Sequence[str] = requirement.get("values") or []
    if operator == "Exists":
        return str(key)
    if operator == "DoesNotExist":
        return f"!{key}"
    return f"{key} {'in' if operator == 'In' else 'notin'} ({','.join(values)})"


def creation_order(jobs: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """Oldest first: by creationTimestamp, then by the index ending the name (timestamps are seconds)."""

    def key(job: Mapping[str, Any]) -> tuple[str, int]:
        metadata = job.get("metadata") or {}
        index = str(metadata.get("name", "")).rpartition(".")[2]
        return str(metadata.get("creationTimestamp", "")), int(index) if index.isdigit() else 0

    return sorted(jobs, key=key)
