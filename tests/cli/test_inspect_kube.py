"""On Kubernetes (the fake API server): `list`, `get rollout NAME`, `status --success-on-pause`, `pause` and
`undo` from another terminal while `canarykit rollout` drives in a subprocess."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from cli_support import in_process
from kube_support import DATA, short_rollout, write_kubeconfig

from canarykit.cli.exit_codes import EXIT_FAILED, EXIT_OK
from canarykit.testing.kube import FakeKubeAPI

TEMPLATE = str(DATA / "analysis-template.yaml")
WAIT = 120.0


@pytest.fixture
def kubeconfig(cluster: FakeKubeAPI, tmp_path: Path) -> str:
    return str(write_kubeconfig(tmp_path / "kubeconfig", cluster.url))


@pytest.fixture
def driver(
    kubeconfig: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> Iterator[subprocess.Popen[str]]:
    """`canarykit rollout` of green after a first deploy of blue, waiting at its indefinite pause."""
    arguments = [
        "rollout",
        "-f",
        short_rollout(tmp_path),
        "-f",
        TEMPLATE,
        "--kubeconfig",
        kubeconfig,
        "--image",
    ]
    assert in_process(capsys, *arguments, "canary-demo=x:blue")[0] == EXIT_OK
    process = subprocess.Popen(
        [sys.executable, "-m", "canarykit", *arguments, "canary-demo=x:green"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        for line in process.stdout:  # the condition: the driver says it reached the pause
            if "paused: CanaryPauseStep" in line:
                break
        yield process
    finally:
        process.kill()
        process.wait()


def wait_for_line(process: subprocess.Popen[str], text: str) -> None:
    assert process.stdout is not None
    for line in process.stdout:
        if text in line:
            return
    raise AssertionError(f"the driver ended without printing {text!r}")


def test_list_get_rollout_and_status_gates_on_a_paused_rollout(
    driver: subprocess.Popen[str], kubeconfig: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = in_process(capsys, "list", "rollouts", "--kubeconfig", kubeconfig)
    assert code == EXIT_OK
    assert out.splitlines() == [
        "NAME         STRATEGY  STATUS  STEP  SET-WEIGHT  ACTUAL-WEIGHT  VERSION",
        "canary-demo  Canary    Paused  1/3   20          20             canary-demo=x:green",
    ]
    code, out, _ = in_process(capsys, "get", "rollout", "canary-demo", "--kubeconfig", kubeconfig)
    assert code == EXIT_OK and "Status:          ॥ Paused" in out and "Namespace:       default" in out
    assert "x:blue (stable)" in out and "x:green (canary)" in out
    code, out, _ = in_process(
        capsys, "status", "canary-demo", "--success-on-pause", "--kubeconfig", kubeconfig
    )
    assert (code, out) == (EXIT_OK, "Paused - CanaryPauseStep\n")
    code, out, _ = in_process(capsys, "status", "canary-demo", "--timeout", "1ms", "--kubeconfig", kubeconfig)
    assert code == EXIT_FAILED
    assert out.splitlines() == ["Paused - CanaryPauseStep", "Rollout status watch exceeded timeout"]


def test_pause_then_promote_from_another_terminal(
    driver: subprocess.Popen[str], kubeconfig: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = in_process(capsys, "pause", "canary-demo", "--kubeconfig", kubeconfig)
    assert (code, out) == (EXIT_OK, "rollout 'canary-demo' paused\n")
    wait_for_line(driver, "paused: manually paused")
    code, out, _ = in_process(capsys, "status", "canary-demo", "--watch=false", "--kubeconfig", kubeconfig)
    assert (code, out) == (EXIT_OK, "Paused - manually paused\n")

    assert in_process(capsys, "promote", "canary-demo", "--kubeconfig", kubeconfig)[0] == EXIT_OK
    assert driver.wait(timeout=WAIT) == EXIT_OK
    code, out, _ = in_process(capsys, "status", "canary-demo", "--kubeconfig", kubeconfig)
    assert (code, out) == (EXIT_OK, "Healthy\n")


def test_undo_from_another_terminal_returns_to_blue_without_steps(
    driver: subprocess.Popen[str], cluster: FakeKubeAPI, kubeconfig: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = in_process(capsys, "undo", "canary-demo", "--kubeconfig", kubeconfig)
    assert (code, out) == (EXIT_OK, "rollout 'canary-demo' undo\n")
    assert driver.wait(timeout=WAIT) == EXIT_OK
    assert (
        driver.stdout is not None
        and "Rollback to stable 'canary-demo=x:blue' completed" in driver.stdout.read()
    )
    code, out, _ = in_process(capsys, "get", "canary-demo", "--kubeconfig", kubeconfig)
    assert "Status:          ✔ Healthy" in out and "Version:         canary-demo=x:blue" in out
    ingress = cluster.get("ingresses", "default", "canary-demo-canary-demo-canary")
    assert ingress is not None
    assert ingress["metadata"]["annotations"]["nginx.ingress.kubernetes.io/canary-weight"] == "0"
