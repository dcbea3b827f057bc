"""A fake Kubernetes API seeded with the reference scenario's Services and Ingress, and a client for it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from canarykit.kube import KubeAPI, connect
from canarykit.testing.kube import FakeKubeAPI

DATA = Path(__file__).parent.parent / "data"


def seed_reference_objects(kube: FakeKubeAPI) -> None:
    """The stable and canary Services and the stable Ingress of the reference scenario."""
    for name in ("services.yaml", "ingress.yaml"):
        for document in yaml.safe_load_all((DATA / name).read_text()):
            kube.put(document)


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
