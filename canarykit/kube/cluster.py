"""`KubeCluster`: `canarykit.argo.cluster.ClusterAccess` over the Kubernetes API (Secrets and Jobs)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from canarykit.clock import Clock
from canarykit.kube.client import KubeAPI
from canarykit.providers.base import MetricProvider


class KubeCluster:
    """Secrets and Jobs of one namespace, for Argo templates that read args from Secrets or run Jobs.

    Job metrics wait on `clock` (default: the system's), for `job_timeout` seconds when given (see
    `canarykit.kube.jobs.JobProvider`).
    """

    def __init__(
        self,
        api: KubeAPI,
        namespace: str = "default",
        clock: Clock | None = None,
        job_timeout: float | None = None,
    ) -> None:
        self.api = api
        self.namespace = namespace
        self.clock = clock
        self.job_timeout = job_timeout

    def read_secret(self, name: str, key: str) -> str:
        from canarykit.kube.secrets import read_secret

        return read_secret(self.api, self.namespace, name, key)

    def job_provider(self, metric_name: str, job: Mapping[str, Any]) -> MetricProvider:
        from canarykit.kube.jobs import JobProvider

        return JobProvider(
            self.api, self.namespace, metric_name, job, clock=self.clock, timeout=self.job_timeout
        )
