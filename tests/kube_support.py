"""Shared by the Kubernetes tests: the reference scenario's objects, and a kubeconfig for the fake API."""

from __future__ import annotations

from pathlib import Path

import yaml

from canarykit.testing.kube import FakeKubeAPI

DATA = Path(__file__).parent / "data"
TOKEN = "s3cr3t-token-never-printed"


def seed_reference_objects(kube: FakeKubeAPI) -> None:
    """The stable and canary Services and the stable Ingress of the reference scenario."""
    for name in ("services.yaml", "ingress.yaml"):
        for document in yaml.safe_load_all((DATA / name).read_text()):
            kube.put(document)


def write_kubeconfig(path: Path, server: str) -> Path:
    """A kubeconfig whose current context reaches `server` with a bearer token."""
    config = {
        "apiVersion": "v1",
        "kind": "Config",
        "clusters": [{"name": "fake", "cluster": {"server": server}}],
        "users": [{"name": "tester", "user": {"token": TOKEN}}],
        "contexts": [{"name": "fake", "context": {"cluster": "fake", "user": "tester"}}],
        "current-context": "fake",
    }
    path.write_text(yaml.safe_dump(config))
    return path
