"""`canarykit rollout --metrics-port 0`: the URL is printed, the metrics answer while it runs, then stop."""

from __future__ import annotations

import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from kube_support import DATA, short_rollout, write_kubeconfig
from prometheus_client.parser import text_string_to_metric_families

from canarykit.cli.exit_codes import EXIT_USAGE
from canarykit.cli.main import main
from canarykit.testing.kube import FakeKubeAPI

SELECT = {"namespace": "default", "name": "canary-demo"}


def _samples(url: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    with urllib.request.urlopen(url, timeout=5) as reply:
        text = reply.read().decode()
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def _series(name: str, **labels: str) -> tuple[str, tuple[tuple[str, str], ...]]:
    return name, tuple(sorted({**SELECT, **labels}.items()))


def test_the_cli_serves_metrics_while_the_rollout_runs(
    cluster: FakeKubeAPI, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    kubeconfig = str(write_kubeconfig(tmp_path / "kubeconfig", cluster.url))
    arguments = ["rollout", "-f", short_rollout(tmp_path), "-f", str(DATA / "analysis-template.yaml")]
    arguments += ["--kubeconfig", kubeconfig, "--image"]
    assert main([*arguments, "canary-demo=x:blue"]) == 0  # the first deploy
    command = [sys.executable, "-m", "canarykit", *arguments, "canary-demo=x:green", "--metrics-port", "0"]
    driver = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert driver.stdout is not None
        url = ""
        for line in driver.stdout:  # the URL first, then wait for the pause
            url = line.split("metrics: ", 1)[1].strip() if "metrics: " in line else url
            if "paused: CanaryPauseStep" in line:
                break
        assert url.startswith("http://127.0.0.1:") and url.endswith("/metrics")
        samples = _samples(url)
        assert samples[_series("canarykit_rollout_phase", phase="Paused")] == 1
        assert samples[_series("canarykit_rollout_step")] == 2
        assert samples[_series("canarykit_rollout_canary_weight")] == 20
        capsys.readouterr()
        assert main(["promote", "canary-demo", "--kubeconfig", kubeconfig]) == 0
        assert driver.wait(timeout=60) == 0
    finally:
        driver.kill()
        driver.wait()
    with pytest.raises(urllib.error.URLError):
        _samples(url)  # stopped with the run


def test_a_bad_metrics_port_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rollout", "-f", "x.yaml", "--metrics-port", "many"]) == EXIT_USAGE
    assert "--metrics-port: invalid int value: 'many'" in capsys.readouterr().err


def test_a_port_out_of_range_is_bad_input_before_anything_changes(
    cluster: FakeKubeAPI, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    kubeconfig = str(write_kubeconfig(tmp_path / "kubeconfig", cluster.url))
    arguments = ["rollout", "-f", short_rollout(tmp_path), "-f", str(DATA / "analysis-template.yaml")]
    arguments += ["--kubeconfig", kubeconfig, "--image"]
    assert main([*arguments, "canary-demo=x:blue"]) == 0
    before = cluster.get("deployments", "default", "canary-demo")
    assert before is not None and "x:blue" in str(before)
    capsys.readouterr()
    assert main([*arguments, "canary-demo=x:green", "--metrics-port", "70000"]) == EXIT_USAGE
    assert "metrics_port must be a port number from 0 to 65535, got 70000" in capsys.readouterr().err
    assert cluster.get("deployments", "default", "canary-demo") == before
