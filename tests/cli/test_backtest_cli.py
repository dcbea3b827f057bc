"""`canarykit backtest` over a real Prometheus holding a planted incident: output, exit codes, bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator

import pytest
from test_backtest import CART, END, H0, INGRESS, TEMPLATE, clock_text, history

from canarykit.cli.main import EXIT_ERROR, EXIT_FAILED, EXIT_OK, EXIT_USAGE, main
from canarykit.testing.prometheus import PrometheusServer, openmetrics_text


@pytest.fixture(scope="module")
def prometheus_url() -> Iterator[str]:
    with PrometheusServer([openmetrics_text(history())]) as server:
        yield server.url


def command(url: str, *args: str) -> list[str]:
    """`backtest` of the reference template on the test ingress, with `args` appended."""
    return ["backtest", "-f", str(TEMPLATE), "--arg", f"ingress={INGRESS}", "--prometheus", url, *args]


def test_six_hours_every_30m_in_a_subprocess(prometheus_url: str) -> None:
    args = command(prometheus_url, "--from", clock_text(0, 0), "--to", clock_text(6, 0), "--every", "30m")
    done = subprocess.run(
        [sys.executable, "-m", "canarykit", *args], capture_output=True, text=True, timeout=60
    )
    lines = done.stdout.splitlines()
    assert done.returncode == EXIT_FAILED, done.stderr
    assert lines[0].split() == ["START", "END", "PHASE", "COUNTED", "AS", "MEASUREMENTS", "MESSAGE"]
    assert len(lines) == 14
    assert lines[1] == (
        "2023-11-14T22:00:00Z  2023-11-14T22:10:00Z  Successful  pass                  61  Run Terminated"
    )
    failed = [line for line in lines[1:-1] if "Successful" not in line]
    assert failed == [
        "2023-11-15T00:00:00Z  2023-11-15T00:10:00Z  Failed      rollback              34  "
        'Metric "success-rate" assessed Failed due to failed (4) > failureLimit (3)'
    ]
    assert lines[-1] == "1 of 12 windows would have rolled back (8.3 %)"


def test_a_healthy_period_exits_0(prometheus_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    args = command(prometheus_url, "--from", clock_text(3, 0), "--to", clock_text(6, 0), "--every", "1h")
    assert main(args) == EXIT_OK
    assert capsys.readouterr().out.splitlines()[-1] == "0 of 3 windows would have rolled back (0.0 %)"


def test_json_output_with_unix_times_and_a_window(
    prometheus_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    period = ["--from", str(int(H0 + 6900)), "--to", str(int(H0 + 9300)), "--every", "10m", "--window", "5m"]
    assert main([*command(prometheus_url, *period), "--output", "json"]) == EXIT_FAILED
    record = json.loads(capsys.readouterr().out)
    assert [row["start"] for row in record["windows"]] == [clock_text(1, 55 + 10 * k) for k in range(4)]
    assert [row["phase"] for row in record["windows"]] == ["Successful", "Failed", "Failed", "Successful"]
    assert (record["every"], record["window"], record["rolledBack"], record["failedShare"]) == (
        600,
        300,
        2,
        0.5,
    )


def test_compare_errors_adds_the_comparison_judge(
    prometheus_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    cart = ["-f", str(TEMPLATE), "--arg", f"ingress={CART}", "--prometheus", prometheus_url]
    period = ["--from", clock_text(3, 30), "--to", clock_text(4, 40), "--every", "30m"]
    assert main(["backtest", *cart, *period]) == EXIT_OK
    assert capsys.readouterr().out.splitlines()[-1] == "0 of 3 windows would have rolled back (0.0 %)"
    assert main(["backtest", *cart, *period, "--compare-errors", CART]) == EXIT_FAILED
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[2] for line in lines[1:4]] == ["Successful", "Failed", "Successful"]
    assert 'Metric "error-rate-comparison" assessed Failed' in lines[2]
    assert lines[-1] == "1 of 3 windows would have rolled back (33.3 %)"


def test_compare_errors_needs_prometheus(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["backtest", "-f", str(TEMPLATE), "--arg", "ingress=x", "--from", "0", "--to", "3600"]
    assert main([*args, "--every", "1h", "--compare-errors", CART]) == EXIT_USAGE
    assert "--compare-errors needs --prometheus URL" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--every", "0s"), "every must be > 0"),
        (("--every", "30m", "--window", "2d"), 'unknown unit "d"'),
        (("--every", "30m", "--window", "7h"), "is longer than the period"),
        (("--every", "30m", "--to", clock_text(0, 0)), "must be after its start"),
        (("--every", "30m", "--from", "yesterday"), "invalid time 'yesterday'"),
        (("--every", "30m", "--arg", "ingress"), "--arg 'ingress': expected NAME=VALUE"),
        (
            ("--every", "30m", "--prometheus", "localhost:9090"),
            "--prometheus 'localhost:9090': expected an http(s) URL",
        ),
        (
            (
                "--window",
                "10m",
            ),
            "the following arguments are required: --every",
        ),
    ],
)
def test_bad_input_exits_3_before_any_query(
    args: tuple[str, ...], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    period = ["--from", clock_text(0, 0), "--to", clock_text(6, 0)]
    assert main([*command("http://127.0.0.1:9", *period), *args]) == EXIT_USAGE
    captured = capsys.readouterr()
    assert message in captured.err
    assert captured.out == ""


def test_a_missing_template_arg_exits_3(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["backtest", "-f", str(TEMPLATE), "--from", "0", "--to", str(END), "--every", "1h"]
    assert main(args) == EXIT_USAGE
    assert "args.ingress was not resolved" in capsys.readouterr().err


def test_windows_past_the_history_are_no_data_and_exit_2(
    prometheus_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Regression: short windows without data printed as passes (exit 0), long ones as rollbacks (exit 1)."""
    after = ["--from", str(int(END + 600)), "--to", str(int(END + 1800))]
    for window, phase in (("30s", "Successful"), ("10m", "Error")):
        assert main([*command(prometheus_url, *after, "--every", "10m", "--window", window)]) == EXIT_ERROR
        lines = capsys.readouterr().out.splitlines()
        assert [line.split()[2:5] for line in lines[1:-1]] == [[phase, "no", "data"]] * 2
        assert lines[-1] == "no data in any of the 2 windows: nothing to judge"


def test_no_data_beside_data_in_json(prometheus_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    period = ["--from", str(int(END - 1800)), "--to", str(int(END + 1200)), "--every", "20m"]
    assert main([*command(prometheus_url, *period), "--output", "json"]) == EXIT_OK
    record = json.loads(capsys.readouterr().out)
    assert [row["countedAs"] for row in record["windows"]] == ["pass", "pass", "no data"]
    assert (record["passed"], record["rolledBack"], record["noData"], record["failedShare"]) == (2, 0, 1, 0.0)
    assert record["summary"].endswith("; 1 without data (not counted)")
