"""`canarykit rollout|get|list|promote` on Argo's blue-green e2e Rollout, against the fake API."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from cli_support import in_process
from kube_support import write_kubeconfig

from canarykit.testing.kube import FakeKubeAPI

ROLLOUT = Path(__file__).parent.parent / "data" / "argo" / "bluegreen" / "e2e-rollout-bluegreen.yaml"
AT = "1700000000"  # a rehearsal: the clock starts in the past, so the 10 s scale-down delay passes at once


@pytest.fixture
def kubeconfig(cluster: FakeKubeAPI, tmp_path: Path) -> str:
    service = next(yaml.safe_load_all(ROLLOUT.read_text()))
    service["metadata"]["namespace"] = "default"
    cluster.put(service)  # the active Service the file ships beside its Rollout
    return str(write_kubeconfig(tmp_path / "kubeconfig", cluster.url))


def rollout(kubeconfig: str, image: str, *args: str) -> subprocess.CompletedProcess[str]:
    command = ["rollout", "-f", str(ROLLOUT), "--image", f"bluegreen={image}", "--kubeconfig", kubeconfig]
    return subprocess.run(
        [sys.executable, "-m", "canarykit", *command, "--at", AT, *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_release_switches_the_active_service_and_get_shows_blue_green(
    cluster: FakeKubeAPI, kubeconfig: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert rollout(kubeconfig, "nginx:1.19-alpine").returncode == 0  # the first deploy

    done = rollout(kubeconfig, "nginx:1.20-alpine")

    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert any(line.endswith("Step 2/2 started: ActiveSwitch(bluegreen)") for line in lines)
    switched = "Switched selector for service 'bluegreen' from 'bluegreen=nginx:1.19-alpine' to "
    assert any(line.endswith(switched + "'bluegreen=nginx:1.20-alpine'") for line in lines)
    assert any(
        line.endswith("Rollout completed update to revision 2: Completed blue-green update") for line in lines
    )
    service = cluster.get("services", "default", "bluegreen")
    stable = cluster.get("deployments", "default", "bluegreen")
    assert service is not None and stable is not None
    revision = stable["spec"]["template"]["metadata"]["labels"]["canarykit.io/revision"]
    assert service["spec"]["selector"]["canarykit.io/revision"] == revision
    assert cluster.get("deployments", "default", "bluegreen-canary") is None

    shown = in_process(capsys, "get", "bluegreen", "--kubeconfig", kubeconfig)[1]
    assert "Strategy:        BlueGreen" in shown and "  Step:" not in shown and "SetWeight" not in shown
    assert "nginx:1.20-alpine (stable, active, preview)" in shown
    listed = in_process(capsys, "list", "rollouts", "--kubeconfig", kubeconfig)[1].splitlines()
    assert listed[1].split() == [
        "bluegreen",
        "BlueGreen",
        "Healthy",
        "-",
        "-",
        "-",
        "bluegreen=nginx:1.20-alpine",
    ]


@pytest.mark.parametrize(
    ("weight", "preview", "stable_roles", "new_roles"),
    [
        (0, "v2", "stable, active", "preview"),  # previewed, not switched yet
        (100, "v2", "stable", "preview, active"),  # switched: post-promotion analysis runs
        (0, "", "stable, active, preview", "new"),  # switched back, preview back on stable
    ],
)
def test_get_names_what_the_active_and_the_preview_serve(
    weight: int, preview: str, stable_roles: str, new_roles: str
) -> None:
    from canarykit.cli.rendering import render_rollout

    record = {
        "name": "web",
        "phase": "Paused",
        "strategy": "BlueGreen",
        "weight": weight,
        "preview_version": preview,
    }
    shown = render_rollout(record, "default", {"stable": ["app:v1"], "canary": ["app:v2"]})
    assert f"app:v1 ({stable_roles})" in shown and f"app:v2 ({new_roles})" in shown
