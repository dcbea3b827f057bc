"""What Argo YAML needs from a cluster besides routing: Secret values for args, Jobs for the job provider.

The core never imports `kubernetes`: `canarykit.kube.KubeCluster` implements this protocol over the API, and
`load(..., cluster=...)` / `AnalysisTemplate.metrics(..., cluster=...)` take any object that does.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol, runtime_checkable

from canarykit.providers.base import MetricProvider


@runtime_checkable
class ClusterAccess(Protocol):
    """A namespace of a cluster, as Argo's analysis sees it."""

    namespace: str

    def read_secret(self, name: str, key: str) -> str:
        """The value of `key` in Secret `name`; `ArgumentError` with Argo's message when it is missing."""
        ...

    def job_provider(self, metric_name: str, job: Mapping[str, Any]) -> MetricProvider:
        """A provider that runs `job` (a metric's `provider.job`: `metadata` and `spec`) as a batch/v1 Job."""
        ...
