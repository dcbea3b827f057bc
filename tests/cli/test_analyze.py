"""`canarykit analyze` against a real Prometheus, in a subprocess as a user runs it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from reference_history import ReferencePrometheus

TEMPLATE = str(Path(__file__).parent.parent / "data" / "analysis-template.yaml")


def analyze_history(prometheus: ReferencePrometheus, at: str, *args: str) -> subprocess.CompletedProcess[str]:
    """`canarykit analyze` of the reference template at `at` against the reference Prometheus."""
    return analyze("--arg", "ingress=canary-demo", "--prometheus", prometheus.url, "--at", at, *args)


def analyze(*args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "canarykit", "analyze", "-f", TEMPLATE, *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=60)


def test_healthy_history_exits_0(prometheus: ReferencePrometheus) -> None:
    at = str(int(prometheus.healthy_start + 300))
    done = analyze_history(prometheus, at, "--duration", "1m")
    lines = done.stdout.splitlines()
    assert done.returncode == 0, done.stderr
    assert lines[0] == "2023-11-14T22:18:20Z  success-rate  [0.95]  Successful"
    assert len(lines) == 8
    assert lines[-1] == "Successful: Run Terminated"


def test_failing_history_exits_1_with_argos_message(prometheus: ReferencePrometheus) -> None:
    at = "2023-11-15T01:05:00Z"  # failing_start + 300
    assert at.startswith("2023-11-15T01:05") and prometheus.failing_start + 300 == 1_700_010_300
    done = analyze_history(prometheus, at)
    lines = done.stdout.splitlines()
    assert done.returncode == 1
    assert [line.split("  ")[2:] for line in lines[:4]] == [["[0.8]", "Failed"]] * 4
    assert lines[-1] == 'Failed: Metric "success-rate" assessed Failed due to failed (4) > failureLimit (3)'


def test_no_traffic_exits_2(prometheus: ReferencePrometheus) -> None:
    at = str(prometheus.no_traffic_start + 300)
    done = analyze_history(prometheus, at)
    assert done.returncode == 2
    assert done.stdout.splitlines()[-1].startswith(
        'Error: Metric "success-rate" assessed Error due to consecutiveErrors (5)'
    )


def test_once_and_json_output(prometheus: ReferencePrometheus) -> None:
    at = str(prometheus.failing_start + 300)
    done = analyze_history(
        prometheus,
        at,
        "--once",
        "--output",
        "json",
    )
    records = [json.loads(line) for line in done.stdout.splitlines()]
    assert done.returncode == 1
    assert records[0]["metric"] == "success-rate"
    assert records[0]["value"] == "[0.8]"
    assert records[-1]["verdict"]["phase"] == "Failed"


def test_json_verdict_holds_the_whole_run(prometheus: ReferencePrometheus) -> None:
    at = str(prometheus.healthy_start + 300)
    done = analyze_history(
        prometheus,
        at,
        "--duration",
        "20s",
        "--output",
        "json",
    )
    verdict = json.loads(done.stdout.splitlines()[-1])["verdict"]
    assert done.returncode == 0
    assert verdict["phase"] == "Successful"
    assert len(verdict["metricResults"][0]["measurements"]) == 3


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "args.ingress was not resolved"),
        (("--arg", "ingress"), "--arg 'ingress': expected NAME=VALUE"),
        (("--arg", "ingress=x", "--duration", "2d"), 'time: unknown unit "d" in duration "2d"'),
        (("--arg", "ingress=x", "--prometheus", "localhost:9090"), "--prometheus 'localhost:9090'"),
        (("--arg", "ingress=x", "--at", "yesterday"), "invalid time 'yesterday'"),
    ],
)
def test_bad_input_exits_3_before_any_query(args: tuple[str, ...], message: str) -> None:
    done = analyze(*args)
    assert done.returncode == 3
    assert message in done.stderr
    assert done.stdout == ""


def test_missing_file_exits_3() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "canarykit", "analyze", "-f", "/nonexistent.yaml"],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 3
    assert "cannot read /nonexistent.yaml" in done.stderr
