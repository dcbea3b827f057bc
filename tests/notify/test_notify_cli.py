"""`canarykit rollout --notify URL --on TRIGGER` and `--notify-service NAME=URL`, end to end: the fake
Kubernetes API, the real reference Prometheus, and a real HTTP server receiving the webhooks."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from cli_support import in_process
from kube_support import DATA, write_kubeconfig
from reference_history import ReferencePrometheus
from webhook_support import WebhookServer, closed_port, webhook_server

from canarykit.cli.exit_codes import EXIT_USAGE
from canarykit.testing.kube import FakeKubeAPI

ROLLOUT = str(DATA / "rollout.yaml")
TEMPLATE = str(DATA / "analysis-template.yaml")
SUBSCRIBE = "notifications.argoproj.io/subscribe"
SECRET = "s3cr3t-token"


@pytest.fixture
def kubeconfig(cluster: FakeKubeAPI, tmp_path: Path) -> str:
    return str(write_kubeconfig(tmp_path / "kubeconfig", cluster.url))


@pytest.fixture
def hooks() -> Iterator[WebhookServer]:
    with webhook_server() as server:
        yield server


def rollout_args(kubeconfig: str, image: str, *args: str, rollout: str = ROLLOUT) -> list[str]:
    image_option = f"canary-demo=argoproj/rollouts-demo:{image}"
    return [
        "rollout",
        "-f",
        rollout,
        "-f",
        TEMPLATE,
        "--image",
        image_option,
        "--kubeconfig",
        kubeconfig,
        *args,
    ]


def annotated_rollout(tmp_path: Path, annotations: dict[str, str]) -> str:
    lines = "".join(f"    {key}: '{value}'\n" for key, value in annotations.items())
    text = (
        Path(ROLLOUT)
        .read_text()
        .replace("  name: canary-demo\n", f"  name: canary-demo\n  annotations:\n{lines}", 1)
    )
    path = tmp_path / "rollout.yaml"
    path.write_text(text)
    return str(path)


def test_a_failing_version_sends_the_abort_with_its_reason_and_each_step(
    kubeconfig: str, prometheus: ReferencePrometheus, hooks: WebhookServer, capsys: pytest.CaptureFixture[str]
) -> None:
    assert in_process(capsys, *rollout_args(kubeconfig, "blue"))[0] == 0
    at = str(int(prometheus.failing_start + 60))
    notify = ["--notify", f"{hooks.base}/aborted", "--on", "on-rollout-aborted"]
    notify += ["--notify", f"{hooks.base}/steps", "--on", "on-rollout-step-completed,on-rollout-paused"]

    code, out, _ = in_process(
        capsys, *rollout_args(kubeconfig, "red", "--prometheus", prometheus.url, "--at", at, *notify)
    )

    assert code == 1 and "✖ Degraded: step 3/8" in out
    [aborted] = hooks.at("/aborted")  # close() waited for it before the command returned
    assert aborted.title == "Rollout canary-demo has been aborted."
    lines = aborted.message.splitlines()
    assert lines[0] == 'Metric: "success-rate" of analysis "canary-demo-2" assessed Failed'
    assert lines[1].startswith("Value: [0.")
    assert lines[2:4] == [
        'Condition: successCondition "result[0] > 0.90" not met',
        "Limit: failed (4) > failureLimit (3)",
    ]
    assert [item.title for item in hooks.at("/steps")] == [
        "Rollout canary-demo step number 1/8 has been completed.",
        "Rollout canary-demo has been paused.",
        "Rollout canary-demo step number 2/8 has been completed.",
        "Rollout canary-demo step number 3/8 has been completed.",
        "Rollout canary-demo has been paused.",
    ]
    assert hooks.at("/steps")[0].message == "Step completed: 1/8: SetWeight(20)\nCanary weight: 20"


def test_a_rollout_annotation_subscribes_through_a_named_service(
    kubeconfig: str, tmp_path: Path, hooks: WebhookServer, capsys: pytest.CaptureFixture[str]
) -> None:
    path = annotated_rollout(tmp_path, {f"{SUBSCRIBE}.on-rollout-completed.deploys": "release-channel"})
    service = ["--notify-service", f"deploys={hooks.base}/{{recipient}}"]

    code, _, _ = in_process(
        capsys, *rollout_args(kubeconfig, "blue", *service, rollout=path)
    )  # a first deploy

    assert code == 0
    [completed] = hooks.at("/release-channel")
    assert (completed.title, completed.message) == (
        "Rollout canary-demo has been completed.",
        "Version: canary-demo=argoproj/rollouts-demo:blue",
    )


def test_a_service_that_is_down_is_one_warning_and_the_command_ends_as_it_would(kubeconfig: str) -> None:
    url = f"json://admin:{SECRET}@127.0.0.1:{closed_port()}/{SECRET}"
    command = [sys.executable, "-m", "canarykit", *rollout_args(kubeconfig, "blue")]
    done = subprocess.run(
        [*command, "--notify", url, "--on", "on-rollout-completed"],
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert done.returncode == 0 and "✔ Healthy" in done.stdout
    assert done.stderr.splitlines() == [
        "WARNING:canarykit.notify:canary-demo: notification on-rollout-completed to json:// not sent: "
        "the service refused it or did not answer"
    ]
    assert SECRET not in done.stdout + done.stderr


@pytest.mark.parametrize(
    ("flags", "expected"),
    [
        (["--on", "on-rollout-aborted"], "--on TRIGGER goes after the --notify URL it applies to"),
        (["--notify", "json://127.0.0.1/x"], "--on: --notify json://... needs at least one --on TRIGGER"),
        (
            ["--notify", "json://127.0.0.1/x", "--on", "on-abort"],
            "unknown trigger 'on-abort'; valid triggers:",
        ),
        (
            ["--notify", f"slack://{SECRET}", "--on", "on-rollout-aborted"],
            "apprise cannot use the slack:// URL",
        ),
        (["--notify-service", f"slack//{SECRET}"], "--notify-service: expected NAME=URL"),
    ],
)
def test_bad_notify_flags_exit_3_before_anything_changes(
    cluster: FakeKubeAPI, kubeconfig: str, capsys: pytest.CaptureFixture[str], flags: list[str], expected: str
) -> None:
    cluster.clear_requests()
    code, out, err = in_process(capsys, *rollout_args(kubeconfig, "blue", *flags))
    assert (code, out) == (EXIT_USAGE, "")
    assert expected in err and SECRET not in err
    assert [request for request in cluster.requests if request[0] != "GET"] == []


def test_an_annotation_naming_a_service_without_url_exits_3(
    cluster: FakeKubeAPI, kubeconfig: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = annotated_rollout(tmp_path, {f"{SUBSCRIBE}.on-rollout-aborted.teams": "ops"})
    cluster.clear_requests()
    flags = ["--notify-service", "slack=slack://T1JJ3T3L2/A1BRTD4JD/TIiajkdnlazkcOXrIdevi7FQ"]
    code, _, err = in_process(capsys, *rollout_args(kubeconfig, "blue", *flags, rollout=path))
    assert code == EXIT_USAGE
    assert f"metadata.annotations.{SUBSCRIBE}.on-rollout-aborted.teams: service 'teams' has no URL" in err
    assert [request for request in cluster.requests if request[0] != "GET"] == []


def test_the_help_says_the_notify_flags_repeat(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = in_process(capsys, "rollout", "--help")
    shown = " ".join(out.split())
    assert code == 0
    assert "json://...); repeat for each URL" in shown
    assert "a trigger the --notify before it hears; repeat or separate with commas" in shown
    assert "(repeat for each service)" in shown
