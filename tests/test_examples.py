"""The runnable examples run, and say what they should."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from kube_support import seed_reference_objects, write_kubeconfig
from reference_history import ReferencePrometheus

from canarykit.testing.kube import FakeKubeAPI

EXAMPLES = Path(__file__).parent.parent / "examples"


def run_example(
    name: str, *args: str, timeout: float = 60, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, str(EXAMPLES / name), *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=timeout, env=env)


def test_scripted_analysis() -> None:
    done = run_example("scripted_analysis.py")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "healthy: Successful: Run Terminated",
        'failing: Failed: Metric "success-rate" assessed Failed due to failed (4) > failureLimit (3)',
    ]


def test_scripted_bluegreen() -> None:
    done = run_example("scripted_bluegreen.py")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[:3] == [
        "green: Healthy active weights=[100, 0]",
        "  Switched selector for service 'web-preview' from 'blue' to 'green'",
        "  Switched selector for service 'web-active' from 'blue' to 'green'",
    ]
    assert lines[3:8] == [
        "red: Degraded active weights=[100, 0]",
        "  Switched selector for service 'web-preview' from 'blue' to 'red'",
        "  Switched selector for service 'web-active' from 'blue' to 'red'",
        "  Switched selector for service 'web-active' from 'red' to 'blue'",
        "  Switched selector for service 'web-preview' from 'red' to 'blue'",
    ]
    aborted = "  RolloutAborted: Rollout aborted update to revision 2: Blue/green post-promotion analysis"
    assert lines[8].startswith(aborted)


def test_analyze_reference_replays_history(prometheus: ReferencePrometheus) -> None:
    done = run_example("analyze_reference.py", prometheus.url, str(prometheus.healthy_start + 300), "30s")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["success-rate [0.95] Successful"] * 4 + ["Successful: Run Terminated"]


def test_scripted_rollout() -> None:
    done = run_example("scripted_rollout.py")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "green: Healthy weights=[20, 40, 60, 80, 100, 0]",
        "red: Degraded weights=[20, 40, 0]",
        "  RolloutAborted: Rollout aborted update to revision 2: Background analysis phase error/failed: "
        'Metric "success-rate" assessed Failed due to failed (4) > failureLimit (3)',
    ]


def test_kubernetes_rollout_on_the_fake_api(prometheus: ReferencePrometheus, tmp_path: Path) -> None:
    with FakeKubeAPI() as cluster:
        seed_reference_objects(cluster)
        kubeconfig = str(write_kubeconfig(tmp_path / "kubeconfig", cluster.url))
        base = ["--kubeconfig", kubeconfig, "--prometheus", prometheus.url]
        first = run_example(
            "kubernetes_rollout.py", *base, "--image", "canary-demo=argoproj/rollouts-demo:blue"
        )
        assert first.returncode == 0, first.stderr
        assert first.stdout.splitlines() == ["argoproj/rollouts-demo:blue: Healthy"]
        at = str(prometheus.failing_start + 60)
        image = "canary-demo=argoproj/rollouts-demo:red"
        done = run_example("kubernetes_rollout.py", *base, "--image", image, "--at", at)
        assert done.returncode == 1, done.stderr
        assert done.stdout.splitlines()[:2] == ["  canary weight 0 -> 20", "  canary weight 20 -> 40"]
        assert done.stdout.splitlines()[-1].startswith("argoproj/rollouts-demo:red: Degraded RolloutAborted:")


@pytest.mark.prometheus
def test_local_nginx_rolls_a_failing_version_back() -> None:
    env = {**os.environ, "PATH": f"{os.environ.get('PATH', '')}:/usr/sbin"}  # nginx lives in /usr/sbin
    done = run_example("local_nginx.py", "--version", "bad-red", "--pause", "3", timeout=120, env=env)
    assert done.returncode == 1, done.stderr
    lines = done.stdout.splitlines()
    weights = [line for line in lines if line.startswith("weight ")]
    assert weights[:2] == ["weight 0 -> 20", "weight 20 -> 40"], done.stdout
    assert weights[-1].endswith(" -> 0"), done.stdout
    assert lines[-1].startswith("bad-red: Degraded RolloutAborted:"), done.stdout
    assert "Background analysis phase error/failed" in lines[-1]


@pytest.mark.parametrize(
    ("example", "image", "files"),
    [
        ("nginx", "rollouts-demo=argoproj/rollouts-demo:{}", ("stable.yml", "canary.yml", "httproute.yml")),
        ("header-routes", "http-echo=hashicorp/http-echo:{}", ("service.yaml", "httproute.yaml")),
    ],
)
def test_gateway_api_examples_run_to_the_end(
    example: str, image: str, files: tuple[str, ...], tmp_path: Path
) -> None:
    """The Gateway API plugin's examples, on the fake API with the Gateway API schemas on."""
    with FakeKubeAPI() as cluster:
        for name in files:
            for document in yaml.safe_load_all((EXAMPLES / "gateway-api" / example / name).read_text()):
                cluster.put(document)
        kubeconfig = str(write_kubeconfig(tmp_path / "kubeconfig", cluster.url))
        base = ["--example", example, "--kubeconfig", kubeconfig, "--approve", "--rehearse", "--image"]
        first = run_example("gateway_api_rollout.py", *base, image.format("v1"))
        assert first.returncode == 0, first.stderr
        done = run_example("gateway_api_rollout.py", *base, image.format("v2"))
        assert done.returncode == 0, done.stderr
        lines = done.stdout.splitlines()
    assert lines[-1] == "  final: stable 100, canary 0"
    assert lines[-2].endswith(":v2: Healthy")
    if example == "nginx":
        seen = [line.split(": ", 1)[1] for line in lines if "completed:" in line]
        assert seen[0] == "stable 70, canary 30; label in-progress"
        assert "stable 20, canary 80; label in-progress" in seen
        assert lines.count("  approved: promote") == 2
    else:
        assert "  Rollout step 3/5 completed: stable 100, canary 0; header rules: argo-rollouts" in lines
        assert "  Rollout step 5/5 completed: stable 100, canary 0" in lines
