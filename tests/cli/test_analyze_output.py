"""`canarykit analyze` output: the documented `{"verdict": {...}}`, a named `--once` verdict, faults once."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from reference_history import ReferencePrometheus

from canarykit.cli.main import EXIT_ERROR, EXIT_FAILED, EXIT_OK, EXIT_USAGE

TEMPLATE = str(Path(__file__).parent.parent / "data" / "analysis-template.yaml")
UNREACHABLE = "http://127.0.0.1:9"  # the discard port: nothing listens, the connection is refused
REFUSED = 'Post "http://127.0.0.1:9/api/v1/query": dial tcp 127.0.0.1:9: connect: connection refused'


def analyze(*args: str, verbose: bool = False) -> subprocess.CompletedProcess[str]:
    flags = ["-v"] if verbose else []
    command = [
        sys.executable,
        "-m",
        "canarykit",
        *flags,
        "analyze",
        "-f",
        TEMPLATE,
        "--arg",
        "ingress=canary-demo",
    ]
    return subprocess.run([*command, *args], capture_output=True, text=True, timeout=60)


def test_once_json_ends_with_the_verdict_of_the_documented_shape(prometheus: ReferencePrometheus) -> None:
    at = str(prometheus.failing_start + 300)
    done = analyze("--prometheus", prometheus.url, "--at", at, "--once", "--output", "json")
    *measurements, last = [json.loads(line) for line in done.stdout.splitlines()]
    assert done.returncode == EXIT_FAILED, done.stderr
    assert [record["metric"] for record in measurements] == ["success-rate"]
    verdict = last["verdict"]
    assert list(last) == ["verdict"]
    assert verdict["phase"] == "Failed" and verdict["name"] == "success-rate"
    assert verdict["message"] == (
        'Metric "success-rate" measured Failed: value [0.8] (successCondition: result[0] > 0.90)'
    )
    (metric,) = verdict["metricResults"]
    assert (metric["name"], metric["phase"], metric["failed"], metric["count"]) == (
        "success-rate",
        "Failed",
        1,
        1,
    )
    assert metric["measurements"][0]["value"] == "[0.8]"
    assert metric["successCondition"] == "result[0] > 0.90"


def test_once_and_a_whole_run_print_verdicts_of_one_shape(prometheus: ReferencePrometheus) -> None:
    at = str(prometheus.healthy_start + 300)
    once = analyze("--prometheus", prometheus.url, "--at", at, "--once", "--output", "json")
    run = analyze("--prometheus", prometheus.url, "--at", at, "--duration", "10s", "--output", "json")
    once_verdict = json.loads(once.stdout.splitlines()[-1])["verdict"]
    run_verdict = json.loads(run.stdout.splitlines()[-1])["verdict"]
    assert (once.returncode, run.returncode) == (EXIT_OK, EXIT_OK)
    assert set(once_verdict) == set(run_verdict) == {
        "name", "phase", "message", "startedAt", "finishedAt", "metricResults",
    }  # fmt: skip
    assert set(once_verdict["metricResults"][0]) == set(run_verdict["metricResults"][0])
    assert once_verdict["message"] == "1 metric measured Successful"
    assert once.stdout.splitlines()[-1] != run.stdout.splitlines()[-1]


def test_once_text_names_the_metric_behind_an_error_and_prints_the_fault_once() -> None:
    done = analyze("--prometheus", UNREACHABLE, "--once")
    measurement, verdict = done.stdout.splitlines()
    assert done.returncode == EXIT_ERROR
    assert measurement.endswith(f"  success-rate  -  Error  {REFUSED}")
    assert verdict == 'Error: Metric "success-rate" measured Error'  # not a bare "Error"
    assert done.stderr == ""  # no WARNING repeating the fault
    assert (done.stdout + done.stderr).count("connection refused") == 1


def test_a_run_against_a_prometheus_that_is_down_ends_as_an_error_verdict_not_bad_input() -> None:
    done = analyze("--prometheus", UNREACHABLE, "--at", "1700000000")  # replayed: retries pass at once
    lines = done.stdout.splitlines()
    assert done.returncode == EXIT_ERROR
    assert len(lines) == 6 and all(line.endswith(f"Error  {REFUSED}") for line in lines[:5])
    assert lines[-1].startswith('Error: Metric "success-rate" assessed Error due to consecutiveErrors (5)')
    assert done.stderr == ""


def test_verbose_still_logs_the_fault() -> None:
    done = analyze("--prometheus", UNREACHABLE, "--once", verbose=True)
    assert done.returncode == EXIT_ERROR
    assert f"WARNING:canarykit.analysis:metric success-rate: provider fault: {REFUSED}" in done.stderr


def test_a_bad_prometheus_flag_is_blamed_on_the_flag_not_the_template() -> None:
    for url in ("localhost:9090", "ftp://user:secret@host/", "http://[::1"):
        done = analyze("--prometheus", url)
        assert done.returncode == EXIT_USAGE, url
        assert done.stderr.startswith("canarykit: error: --prometheus '"), done.stderr
        assert "expected an http(s) URL" in done.stderr
        assert "AnalysisTemplate" not in done.stderr and "secret" not in done.stderr
        assert done.stdout == ""
