"""A stateful fake Kubernetes API server (stdlib only) for tests that drive the real `kubernetes` client."""

from canarykit.testing.kube.errors import ApiError
from canarykit.testing.kube.fake import FakeKubeAPI
from canarykit.testing.kube.faults import DISCONNECT, TIMEOUT

__all__ = ["DISCONNECT", "TIMEOUT", "ApiError", "FakeKubeAPI"]
