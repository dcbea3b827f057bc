"""`canarykit plan --traffic --baseline-error --detect`: the judge's expected decision times per step."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from canarykit.cli.main import main

DATA = Path(__file__).parent.parent / "data"
ROLLOUT = str(DATA / "rollout.yaml")
TEMPLATE = str(DATA / "analysis-template.yaml")

INDEFINITE = """
apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata: {name: shop}
spec:
  replicas: 4
  selector: {matchLabels: {app: shop}}
  template:
    metadata: {labels: {app: shop}}
    spec: {containers: [{name: shop, image: shop:2}]}
  strategy:
    canary:
      steps:
        - setWeight: 10
        - pause: {duration: 90}
        - pause: {}
        - setWeight: 50
        - pause: {duration: 1h}
"""


def test_reference_plan_at_100_rps_catching_2x() -> None:
    command = [sys.executable, "-m", "canarykit", "plan", "-f", ROLLOUT, "-f", TEMPLATE]
    command += ["--traffic", "100", "--baseline-error", "0.5%", "--detect", "2"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[-12] == "total: 8m, then the canary is promoted to 100%"  # the plan comes first, unchanged
    assert lines[-11:] == [
        "detection: 100 req/s, stable failing 0.5%, max ratio 1.05, alpha 1%, beta 1%",
        "  #  holds     weight  catch 2x  clear healthy",
        "  1  pause 2m  20%     4m7s      never",
        "  3  pause 2m  40%     2m53s     never",
        "  5  pause 2m  60%     3m1s      never",
        "  7  pause 2m  80%     4m42s     never",
        "whole plan (evidence adds up): catch 2x after about 3m29s, clear healthy not within the plan",
        "warning: step 1 (pause 2m at 20%) is shorter than the expected 4m7s to catch a 2x regression",
        "warning: step 3 (pause 2m at 40%) is shorter than the expected 2m53s to catch a 2x regression",
        "warning: step 5 (pause 2m at 60%) is shorter than the expected 3m1s to catch a 2x regression",
        "warning: step 7 (pause 2m at 80%) is shorter than the expected 4m42s to catch a 2x regression",
    ]


def test_indefinite_pause_and_a_wide_tolerance(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "shop.yaml"
    path.write_text(INDEFINITE)
    options = ["--traffic", "10", "--baseline-error", "0.01", "--detect", "4", "--max-ratio", "1.5"]
    assert main(["plan", "-f", str(path), *options, "--alpha", "5%"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[-7:] == [
        "detection: 10 req/s, stable failing 1%, max ratio 1.5, alpha 5%, beta 5%",
        "  #  holds        weight  catch 4x  clear healthy",
        "  1  pause 1m30s  10%     5m54s     1h36m8s",
        "  2  pause        10%     5m54s     1h36m8s",  # until promoted: no warning
        "  4  pause 1h     50%     2m49s     39m2s",
        "whole plan (evidence adds up): catch 4x after about 5m54s, clear healthy after about 1h36m8s",
        "warning: step 1 (pause 1m30s at 10%) is shorter than the expected 5m54s to catch a 4x regression",
    ]


def catch_times(traffic: str, capsys: pytest.CaptureFixture[str]) -> list[str]:
    detection = ["--traffic", traffic, "--baseline-error", "0.005", "--detect", "2"]
    assert main(["plan", "-f", ROLLOUT, "-f", TEMPLATE, *detection]) == 0
    lines = capsys.readouterr().out.splitlines()
    start = next(index for index, line in enumerate(lines) if line.startswith("detection:"))
    return [line.split()[4] for line in lines[start + 2 : start + 6]]


def test_more_traffic_shortens_the_times(capsys: pytest.CaptureFixture[str]) -> None:
    assert catch_times("100", capsys) == ["4m7s", "2m53s", "3m1s", "4m42s"]
    assert catch_times("1000", capsys) == ["25s", "18s", "19s", "29s"]


def test_a_regression_within_the_tolerance_is_flagged(capsys: pytest.CaptureFixture[str]) -> None:
    detection = ["--traffic", "100", "--baseline-error", "0.005", "--detect", "1.02"]
    assert main(["plan", "-f", ROLLOUT, "-f", TEMPLATE, *detection]) == 0
    out = capsys.readouterr().out
    assert (
        "warning: a 1.02x regression is within the tolerance (max ratio 1.05): the judge never fails it"
        in out
    )
    assert "is shorter than" not in out


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--traffic", "100", "--detect", "2"], "--traffic, --baseline-error and --detect go together"),
        (["--alpha", "0.05"], "--traffic, --baseline-error and --detect go together"),
        (["--traffic", "100", "--baseline-error", "x", "--detect", "2"], "not a number or a percentage: 'x'"),
        (["--traffic", "0", "--baseline-error", "0.005", "--detect", "2"], "traffic must be above 0"),
    ],
)
def test_bad_flags_exit_2(flags: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["plan", "-f", ROLLOUT, "-f", TEMPLATE, *flags]) == 2
    captured = capsys.readouterr()
    assert message in captured.err and captured.out == ""
