"""`canarykit plan --traffic --baseline-error --detect`: what the Rollout's own analysis allows to predict.

Argo YAML holds threshold metrics only: the planner says it cannot predict them and prints no detection
times, unless `--judge comparison` asks for a hypothetical judge (labelled so). Regressions of issue #15: the
comparison judge's times used to be printed whatever the analysis, for steps before `startingStep` too.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from canarykit.cli.main import EXIT_OK, EXIT_USAGE, main

DATA = Path(__file__).parent.parent / "data"
ROLLOUT = str(DATA / "rollout.yaml")
TEMPLATE = str(DATA / "analysis-template.yaml")
REFERENCE = ["-f", ROLLOUT, "-f", TEMPLATE]
MODEL_100 = ["--traffic", "100", "--baseline-error", "0.5%", "--detect", "2"]

NO_ANALYSIS = """
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

MODEL_LINE = (
    "detection model: 100 req/s through the ingress, stable failing 0.5% of them, a regressed canary failing "
    "2x as often (Wald's first-order estimate: mean times, no noise; a verdict also waits for the judge's "
    "next measurement)"
)


def detection_lines(capsys: pytest.CaptureFixture[str], *args: str) -> list[str]:
    """The lines from `detection model:` on, after checking the command exits 0."""
    assert main(["plan", *args]) == EXIT_OK
    lines = capsys.readouterr().out.splitlines()
    return lines[next(i for i, line in enumerate(lines) if line.startswith("detection model:")) :]


def test_a_threshold_template_gets_no_detection_times_in_a_subprocess() -> None:
    """Regression: the reference Rollout (a Prometheus threshold) used to get the comparison judge's times."""
    command = [sys.executable, "-m", "canarykit", "plan", *REFERENCE, *MODEL_100]
    done = subprocess.run(command, capture_output=True, text=True, timeout=60)
    assert done.returncode == EXIT_OK, done.stderr
    lines = done.stdout.splitlines()
    assert lines[-4] == "total: 8m, then the canary is promoted to 100%"  # the plan comes first, unchanged
    assert lines[-3:] == [
        MODEL_LINE,
        "success-rate (prometheus, background from step 3): a threshold metric: no prediction. Its verdict "
        "depends on the values its query returns, which this model of requests and errors does not give",
        "no judge in this Rollout's analysis, so no detection times "
        "(--judge comparison models a hypothetical comparison judge)",
    ]
    assert "catch" not in done.stdout


def test_no_analysis_says_so_and_prints_no_times(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "shop.yaml"
    path.write_text(NO_ANALYSIS)
    lines = detection_lines(capsys, "-f", str(path), *MODEL_100)
    assert lines[1:] == ["no analysis in this Rollout: nothing judges the canary, so no detection times"]


def test_a_hypothetical_judge_runs_from_the_starting_step_and_says_it_is_hypothetical(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """startingStep 2 (step 3): the pause at 20 % (step 2) is before the analysis and gets no row."""
    lines = detection_lines(capsys, *REFERENCE, *MODEL_100, "--judge", "comparison")
    assert lines[2:] == [
        "hypothetical judge comparison (ErrorRateComparison, background from step 3; this Rollout does not "
        "have it): max ratio 1.05, alpha 1%, beta 1%, min bad 3, every 10s",
        "  #  holds     weight  catch 2x  clear healthy",
        "  4  pause 2m  40%     2m53s     never",
        "  6  pause 2m  60%     3m1s      never",
        "  8  pause 2m  80%     4m42s     never",
        "  whole run (from step 3 on, evidence adds up): catch 2x after about 2m55s, clear healthy not "
        "within the plan",
        "  warning: step 4 (pause 2m at 40%) is shorter than the expected 2m53s to catch a 2x regression",
        "  warning: step 6 (pause 2m at 60%) is shorter than the expected 3m1s to catch a 2x regression",
        "  warning: step 8 (pause 2m at 80%) is shorter than the expected 4m42s to catch a 2x regression",
    ]


def test_a_hypothetical_judge_without_analysis_runs_from_the_first_step(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "shop.yaml"
    path.write_text(NO_ANALYSIS)
    model = ["--traffic", "10", "--baseline-error", "0.01", "--detect", "4", "--max-ratio", "1.5"]
    lines = detection_lines(capsys, "-f", str(path), *model, "--judge", "comparison", "--alpha", "5%")
    assert lines[1:] == [
        "hypothetical judge comparison (ErrorRateComparison, background from step 1; this Rollout does not "
        "have it): max ratio 1.5, alpha 5%, beta 5%, min bad 3, every 10s",
        "  #  holds        weight  catch 4x  clear healthy",
        "  2  pause 1m30s  10%     5m54s     1h36m8s",
        "  3  pause        10%     5m54s     1h36m8s",  # until promoted: no warning
        "  5  pause 1h     50%     2m49s     39m2s",
        "  whole run (from step 1 on, evidence adds up): catch 4x after about 5m54s, clear healthy after "
        "about 1h36m8s",
        "  warning: step 2 (pause 1m30s at 10%) is shorter than the expected 5m54s to catch a 4x regression",
    ]


def catch_times(traffic: str, capsys: pytest.CaptureFixture[str]) -> list[str]:
    model = ["--traffic", traffic, "--baseline-error", "0.005", "--detect", "2", "--judge", "comparison"]
    lines = detection_lines(capsys, *REFERENCE, *model)
    return [line.split()[4] for line in lines[4:7]]


def test_more_traffic_shortens_the_times(capsys: pytest.CaptureFixture[str]) -> None:
    assert catch_times("100", capsys) == ["2m53s", "3m1s", "4m42s"]
    assert catch_times("1000", capsys) == ["18s", "19s", "29s"]


def test_a_regression_within_the_tolerance_is_flagged(capsys: pytest.CaptureFixture[str]) -> None:
    model = ["--traffic", "100", "--baseline-error", "0.005", "--detect", "1.02", "--judge", "comparison"]
    lines = detection_lines(capsys, *REFERENCE, *model)
    assert lines[-1] == (
        "  warning: a 1.02x regression is within the tolerance (max ratio 1.05): this judge never fails it"
    )
    assert not any("is shorter than" in line for line in lines)


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--traffic", "100", "--detect", "2"], "--traffic, --baseline-error and --detect go together"),
        (["--judge", "comparison"], "--traffic, --baseline-error and --detect go together"),
        (["--traffic", "100", "--baseline-error", "x", "--detect", "2"], "not a number or a percentage: 'x'"),
        (["--traffic", "0", "--baseline-error", "0.005", "--detect", "2"], "traffic must be above 0"),
        ([*MODEL_100, "--alpha", "0.05"], "set a hypothetical judge's settings: add --judge comparison"),
        ([*MODEL_100, "--judge", "comparison", "--max-ratio", "0.9"], "max_ratio must be above 1"),
        ([*MODEL_100, "--judge", "latency"], "invalid choice: 'latency'"),
    ],
)
def test_bad_flags_exit_3(flags: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["plan", *REFERENCE, *flags]) == EXIT_USAGE
    captured = capsys.readouterr()
    assert message in captured.err and captured.out == ""
