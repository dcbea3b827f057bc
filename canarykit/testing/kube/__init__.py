"""A stateful fake Kubernetes API server for tests that drive the real `kubernetes` client.

The server is standard library only; the schema validation it does by default needs the `testing` extra
(`kubernetes-validate`, `cel-python`).
"""

from canarykit.testing.kube.errors import ApiError
from canarykit.testing.kube.fake import FakeKubeAPI
from canarykit.testing.kube.faults import DISCONNECT, TIMEOUT
from canarykit.testing.kube.jobs import JobPlan, JobRunner

__all__ = ["DISCONNECT", "TIMEOUT", "ApiError", "FakeKubeAPI", "JobPlan", "JobRunner"]
