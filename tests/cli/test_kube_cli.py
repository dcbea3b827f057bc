"""`canarykit rollout|status|get|promote|abort` as users run them, with a kubeconfig for the fake API."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from argo_world import (
    CANARY_INGRESS,
    NAME,
    START,
    WEIGHT_KEY,
    rollout_document,
    seed_argo_world,
)
from cli_support import in_process
from kube_support import DATA, TOKEN, short_rollout, write_kubeconfig
from reference_history import ReferencePrometheus

from canarykit.cli.main import EXIT_ERROR, EXIT_USAGE, build_parser
from canarykit.cli.rollout_cmd import run_command
from canarykit.kube.argo_rollout import INSTANCE_LABEL
from canarykit.testing import FakeClock
from canarykit.testing.kube import FakeKubeAPI

ROLLOUT = str(DATA / "rollout.yaml")
TEMPLATE = str(DATA / "analysis-template.yaml")
WEIGHT = "nginx.ingress.kubernetes.io/canary-weight"
DONE = {"promote": "promoted", "abort": "aborted"}


@pytest.fixture
def kubeconfig(cluster: FakeKubeAPI, tmp_path: Path) -> str:
    return str(write_kubeconfig(tmp_path / "kubeconfig", cluster.url))


def canarykit(*args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "canarykit", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=120)


def rollout_arguments(kubeconfig: str, image: str, *args: str) -> list[str]:
    image_option = f"canary-demo=argoproj/rollouts-demo:{image}"
    return [
        "rollout",
        "-f",
        ROLLOUT,
        "-f",
        TEMPLATE,
        "--image",
        image_option,
        "--kubeconfig",
        kubeconfig,
        *args,
    ]


def rollout(kubeconfig: str, image: str, *args: str) -> subprocess.CompletedProcess[str]:
    return canarykit(*rollout_arguments(kubeconfig, image, *args))


def test_first_deploy_then_a_rehearsed_healthy_rollout(
    kubeconfig: str, prometheus: ReferencePrometheus, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = in_process(capsys, *rollout_arguments(kubeconfig, "blue"))
    assert code == 0 and "✔ Healthy" in out

    at = str(int(prometheus.healthy_start + 60))
    done = rollout(kubeconfig, "green", "--prometheus", prometheus.url, "--at", at)

    assert done.returncode == 0, done.stderr
    assert "canary weight 0 -> 20" in done.stdout
    assert "Rollout completed update to revision 2" in done.stdout
    assert done.stdout.splitlines()[-1].startswith("✔ Healthy: step 8/8")
    assert TOKEN not in done.stdout + done.stderr
    code, out, _ = in_process(capsys, "status", "canary-demo", "--kubeconfig", kubeconfig)
    assert (code, out.strip()) == (0, "Healthy")
    shown = in_process(capsys, "get", "canary-demo", "--kubeconfig", kubeconfig)[1]
    assert "Status:          ✔ Healthy" in shown
    assert "  Step:          8/8" in shown
    assert "  SetWeight:     100" in shown and "  ActualWeight:  0" in shown
    assert "argoproj/rollouts-demo:green (stable)" in shown
    assert "canary-demo-2  ✔ 37 ✖ 0 ? 0 ⚠ 0" in shown


def test_failing_version_exits_1_with_argos_message(
    cluster: FakeKubeAPI, kubeconfig: str, prometheus: ReferencePrometheus, capsys: pytest.CaptureFixture[str]
) -> None:
    assert in_process(capsys, *rollout_arguments(kubeconfig, "blue"))[0] == 0
    at = str(int(prometheus.failing_start + 60))

    done = rollout(kubeconfig, "red", "--prometheus", prometheus.url, "--at", at)

    assert done.returncode == 1
    message = (
        "RolloutAborted: Rollout aborted update to revision 2: Background analysis phase error/failed: "
        'Metric "success-rate" assessed Failed due to failed (4) > failureLimit (3)'
    )
    final, why = done.stdout.splitlines()[-1].split("; why: ")
    assert final == f"✖ Degraded: step 3/8. {message}"
    assert why.startswith('metric "success-rate" of analysis "canary-demo-2" assessed Failed: last value [0.')
    assert why.endswith(': successCondition "result[0] > 0.90" not met; failed (4) > failureLimit (3)')
    code, out, _ = in_process(capsys, "status", "canary-demo", "--kubeconfig", kubeconfig)
    assert code == 1
    assert out.splitlines()[-1] == f"The rollout is in a degraded state with message: {message}"
    ingress = cluster.get("ingresses", "default", "canary-demo-canary-demo-canary")
    assert ingress is not None and ingress["metadata"]["annotations"][WEIGHT] == "0"

    again = rollout(kubeconfig, "red", "--prometheus", prometheus.url, "--at", at)
    assert again.returncode == EXIT_ERROR  # a rejected version stays rejected
    assert "version 'canary-demo=argoproj/rollouts-demo:red' was rolled back (revision 2)" in again.stderr
    assert "canary weight" not in again.stdout
    code, out, _ = in_process(capsys, "retry", "canary-demo", "--kubeconfig", kubeconfig)
    assert code == 0 and out.startswith("rollout 'canary-demo' retried: the next rollout of")
    retried = rollout(kubeconfig, "red", "--prometheus", prometheus.url, "--at", at)
    assert retried.returncode == 1 and "canary weight 0 -> 20" in retried.stdout  # it ran, and failed again
    flagged = rollout(kubeconfig, "red", "--prometheus", prometheus.url, "--at", at, "--retry")
    assert flagged.returncode == 1 and "canary weight 0 -> 20" in flagged.stdout


def test_bad_input_exits_3_before_anything_changes(
    cluster: FakeKubeAPI, kubeconfig: str, capsys: pytest.CaptureFixture[str]
) -> None:
    base = ["rollout", "-f", ROLLOUT, "-f", TEMPLATE, "--kubeconfig", kubeconfig, "--image"]
    code, _, err = in_process(capsys, *base, "green")
    assert code == EXIT_USAGE and "expected container=image" in err
    code, _, err = in_process(capsys, *base, "web=nginx:1")
    assert code == EXIT_USAGE and 'unable to find container named "web"' in err
    cluster.delete("ingresses", "default", "canary-demo")
    cluster.clear_requests()
    missing = rollout(kubeconfig, "green")
    assert missing.returncode == EXIT_USAGE
    assert "ingress `canary-demo` not found" in missing.stderr
    assert [r for r in cluster.requests if r[0] != "GET"] == []


@pytest.mark.parametrize(("command", "expected_exit"), [("promote", 0), ("abort", 1)])
def test_promote_or_abort_from_another_terminal(
    cluster: FakeKubeAPI,
    kubeconfig: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    command: str,
    expected_exit: int,
) -> None:
    short = short_rollout(tmp_path)
    arguments = ["rollout", "-f", short, "-f", TEMPLATE, "--kubeconfig", kubeconfig, "--image"]
    assert in_process(capsys, *arguments, "canary-demo=x:blue")[0] == 0  # the first deploy
    driver = subprocess.Popen(
        [sys.executable, "-m", "canarykit", *arguments, "canary-demo=x:green"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert driver.stdout is not None
        for line in driver.stdout:  # wait for the driver to reach the pause
            if "paused: CanaryPauseStep" in line:
                break
        code, _, err = in_process(capsys, *arguments, "canary-demo=x:green")
        assert code == EXIT_ERROR and "is being driven by" in err
        status = in_process(capsys, "status", "canary-demo", "--watch=false", "--kubeconfig", kubeconfig)
        assert status[1].strip() == "Paused - CanaryPauseStep"
        shown = in_process(capsys, "get", "canary-demo", "--kubeconfig", kubeconfig)[1]
        assert "  Step:          1/3" in shown and "  ActualWeight:  20" in shown
        done = in_process(capsys, command, "canary-demo", "--kubeconfig", kubeconfig)
        assert done[1].strip() == f"rollout 'canary-demo' {DONE[command]}"
        assert driver.wait(timeout=60) == expected_exit
    finally:
        driver.kill()
        driver.wait()


def test_retry_without_a_driver_is_queued_with_a_note_and_get_watch_stops_at_the_end(
    kubeconfig: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert in_process(capsys, *rollout_arguments(kubeconfig, "blue"))[0] == 0
    code, out, _ = in_process(capsys, "retry", "canary-demo", "--kubeconfig", kubeconfig)
    assert code == 0
    assert out.splitlines() == [
        "rollout 'canary-demo' retried",
        "note: no process is driving 'canary-demo' now; the command waits for the next one",
    ]
    code, out, _ = in_process(capsys, "get", "canary-demo", "--watch", "--kubeconfig", kubeconfig)
    assert code == 0 and out.count("Name:            canary-demo") == 1  # finished: drawn once
    code, _, err = in_process(capsys, "promote", "nothing-here", "--kubeconfig", kubeconfig)
    assert code == EXIT_ERROR and "no rollout 'nothing-here' in namespace 'default'" in err


def test_adopt_takes_an_argo_rollout_over_mid_update(
    cluster: FakeKubeAPI, kubeconfig: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`--adopt`: Argo left the update at step 3 (weight 40); canarykit goes on to Healthy."""
    seed_argo_world(cluster)
    path = tmp_path / "rollout.yaml"
    path.write_text(yaml.safe_dump(rollout_document()))
    arguments = ["rollout", "-f", str(path), "--image", f"{NAME}=argoproj/rollouts-demo:green"]
    options = build_parser().parse_args([*arguments, "--adopt", "--kubeconfig", kubeconfig])
    assert run_command(options, clock=FakeClock(START)) == 0  # the fake clock passes the pauses at once
    lines = capsys.readouterr().out.splitlines()
    assert (
        lines[1] == "[0:00]   taking over Argo Rollout default/canary-demo (checked; watching it 5 s first)"
    )
    assert lines[2].startswith(
        "[0:05]   took over at step 4/8 (weight 40); Argo's ReplicaSets serve no traffic"
    )
    assert "resuming canary-demo=argoproj/rollouts-demo:green at step 4/8 (weight 40)" in lines[3]
    assert lines[-1].startswith("✔ Healthy: step 8/8")


def test_adopt_of_a_rollout_argo_still_manages_exits_2_and_changes_nothing(
    cluster: FakeKubeAPI, kubeconfig: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rollout = seed_argo_world(cluster)
    del rollout["metadata"]["labels"][INSTANCE_LABEL]
    cluster.put(rollout)
    path = tmp_path / "rollout.yaml"
    path.write_text(yaml.safe_dump(rollout_document()))
    cluster.clear_requests()
    arguments = ["rollout", "-f", str(path), "--image", f"{NAME}=argoproj/rollouts-demo:green"]
    code, out, err = in_process(capsys, *arguments, "--adopt", "--kubeconfig", kubeconfig)
    assert code == EXIT_ERROR and out == ""
    assert "is still managed by Argo Rollouts: stop its controller for it first with `kubectl label" in err
    assert [request for request in cluster.requests if request[0] != "GET"] == []
    ingress = cluster.get("ingresses", "default", CANARY_INGRESS)
    assert ingress is not None and ingress["metadata"]["annotations"][WEIGHT_KEY] == "40"
