"""A bad flag value is a usage error (exit 3) that names the flag, reported before anything is contacted."""

from __future__ import annotations

from pathlib import Path

import pytest

from canarykit.cli.exit_codes import EXIT_USAGE
from canarykit.cli.main import main

DATA = Path(__file__).parents[1] / "data"
TEMPLATE = str(DATA / "analysis-template.yaml")
ROLLOUT = str(DATA / "rollout.yaml")
PERIOD = {"--from": "0", "--to": "7200", "--every": "1h"}


def backtest(**flags: str) -> list[str]:
    """`backtest` of the reference template over two hours, with `flags` (`from_` for `--from`) replaced."""
    given = {"--" + name.rstrip("_").replace("_", "-"): value for name, value in flags.items()}
    words = ["backtest", "-f", TEMPLATE, "--arg", "ingress=shop"]
    for flag, value in {**PERIOD, **given}.items():
        words += [flag, value]
    return words


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (backtest(from_="yesterday"), "--from: invalid time 'yesterday'"),
        (backtest(to="2026-11-20T10:00"), "--to: invalid time '2026-11-20T10:00': RFC 3339 needs a zone"),
        (backtest(every="0s"), "--every must be > 0, got '0s'"),
        (backtest(window="2d"), '--window: time: unknown unit "d"'),
        (backtest(prometheus="localhost:9090"), "--prometheus 'localhost:9090': expected an http(s) URL"),
        (backtest(prometheus="ftp://user:secret@host"), "--prometheus 'ftp://host': expected an http(s) URL"),
    ],
)
def test_backtest_names_the_bad_flag(
    argv: list[str], expected: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == EXIT_USAGE
    out, err = capsys.readouterr()
    assert err.startswith(f"canarykit: error: {expected}") and err.count("\n") == 1, err
    assert out == ""  # no window was run


def test_a_bad_prometheus_flag_is_not_blamed_on_the_template(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(backtest(prometheus="prometheus:9090")) == EXIT_USAGE
    err = capsys.readouterr().err
    assert "--prometheus 'prometheus:9090'" in err
    assert "AnalysisTemplate" not in err and "spec.metrics" not in err


@pytest.mark.parametrize("url", ["localhost:9090", "ftp://prometheus", "http://"])
def test_rollout_checks_prometheus_before_the_cluster(
    url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The kubeconfig does not exist: reaching the cluster would fail with exit 2 and blame it instead."""
    kubeconfig = str(tmp_path / "no-kubeconfig")
    argv = ["rollout", "-f", ROLLOUT, "-f", TEMPLATE, "--image", "app=registry/app:v2", "--prometheus", url]
    assert main([*argv, "--kubeconfig", kubeconfig]) == EXIT_USAGE
    err = capsys.readouterr().err
    assert err.startswith(f"canarykit: error: --prometheus {url!r}: expected an http(s) URL"), err
    assert "kube" not in err
