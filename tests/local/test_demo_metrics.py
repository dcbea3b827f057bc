"""`canarykit demo --metrics-port`: the port reaches each experiment's Rollout; its URL is printed once."""

from __future__ import annotations

import io
import urllib.request
from pathlib import Path
from typing import TextIO

import pytest

import canarykit.local.demo as demo_module
from canarykit import Rollout, SpecError
from canarykit.cli.exit_codes import EXIT_USAGE
from canarykit.cli.main import main
from canarykit.local.demo import DemoOptions, DemoOutcome
from canarykit.local.demo_metrics import MetricsPort
from canarykit.local.view import DemoView
from canarykit.steps import Pause, SetWeight
from canarykit.testing import FakeClock, InMemoryRouter, InMemoryStateStore, InMemoryWorkload

T0 = 1_700_000_000.0


def test_the_flag_reaches_the_demo_options(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    given: list[DemoOptions] = []

    def record_options(options: DemoOptions, out: TextIO) -> DemoOutcome:
        given.append(options)
        return DemoOutcome([], True, tmp_path / "demo.json")

    monkeypatch.setattr(demo_module, "run_demo", record_options)
    assert main(["demo", "--metrics-port", "9464", "--audit-dir", str(tmp_path)]) == 0
    assert main(["demo", "--audit-dir", str(tmp_path)]) == 0
    assert [options.metrics_port for options in given] == [9464, None]


def test_a_bad_port_is_refused_before_the_stack_starts(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SpecError, match="metrics_port must be a port number from 0 to 65535, got 70000"):
        MetricsPort(70000)
    assert main(["demo", "--metrics-port", "70000", "--audit-dir", "/nonexistent/never-made"]) == EXIT_USAGE
    out, err = capsys.readouterr()
    assert out == "" and "got 70000" in err  # nothing started, nothing printed but the error


def test_each_experiment_serves_on_the_port_the_first_bound_and_the_url_is_printed_once() -> None:
    out, store, router = io.StringIO(), InMemoryStateStore(), InMemoryRouter()
    view, metrics = DemoView(out, colors=False), MetricsPort(0)
    urls = []
    for version in ("green", "orange"):
        workload = InMemoryWorkload("blue")
        rollout = Rollout(
            "demo",
            [SetWeight(20), Pause("1m")],
            router,
            workload,
            clock=FakeClock(T0),
            state=store,
            metrics_port=metrics.port,
        )
        metrics.serving(rollout, view)
        assert rollout.metrics_server is not None
        urls.append(rollout.metrics_server.url)
        with urllib.request.urlopen(urls[-1], timeout=10) as answer:  # served from the Rollout's making
            assert answer.status == 200 and answer.headers["Content-Type"].startswith("text/plain")
        rollout.run(version, handle_signals=False)  # stops serving at its end, freeing the port
    assert urls[0] == urls[1] and metrics.port is not None and metrics.port > 0
    assert out.getvalue().splitlines() == [f"metrics: {urls[0]}"]
