"""A fake Kubernetes API seeded with the reference scenario's Services and Ingress, and a client for it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from kube_support import DATA, seed_reference_objects

from canarykit.kube import KubeAPI, connect
from canarykit.testing.kube import FakeKubeAPI

__all__ = ["DATA", "seed_reference_objects"]


@pytest.fixture
def cluster() -> Iterator[FakeKubeAPI]:
    """A running fake API server holding the reference Services and Ingress (no Deployment yet)."""
    with FakeKubeAPI() as kube:
        seed_reference_objects(kube)
        yield kube


@pytest.fixture
def api(cluster: FakeKubeAPI) -> KubeAPI:
    """The real `kubernetes` client, through canarykit's edge, pointed at the fake server."""
    return connect(host=cluster.url, request_timeout=5)
