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


def short_rollout(tmp_path: Path) -> str:
    """The reference Rollout with steps [setWeight 20, pause (until promoted), setWeight 60] and no delays."""
    plan = (DATA / "rollout.yaml").read_text()
    head, _, _ = plan.partition("      steps:")
    steps = "      steps:\n        - setWeight: 20\n        - pause: {}\n        - setWeight: 60\n"
    delays = "      scaleDownDelaySeconds: 0\n      abortScaleDownDelaySeconds: 0\n"
    path = tmp_path / "rollout.yaml"
    path.write_text(
        head.replace("      analysis:", delays + "      analysis:")
        + steps
        + plan[plan.index("  template:") :]
    )
    return str(path)
