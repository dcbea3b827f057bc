"""`canarykit demo` prints an Error measurement with its fault, once: in the view, not again in the log."""

from __future__ import annotations

import io
import logging
from pathlib import Path
from typing import TextIO

import pytest

import canarykit.local.demo as demo_module
from canarykit import BackgroundAnalysis, Metric, ProviderError, Rollout
from canarykit.analysis import Measurement, Phase
from canarykit.cli.main import main
from canarykit.local.demo import DemoOptions, DemoOutcome
from canarykit.local.view import DemoView
from canarykit.rollout import events as ev
from canarykit.steps import Pause, SetWeight, Step
from canarykit.testing import FakeClock, InMemoryRouter, InMemoryWorkload, ScriptedProvider

T0 = 1_700_000_000.0
REFUSED = "Get http://127.0.0.1:9/api/v1/query: connection refused"


def measured(phase: Phase, message: str = "", value: str = "") -> ev.MeasurementTaken:
    measurement = Measurement(phase=phase, started_at=T0, finished_at=T0, value=value, message=message)
    return ev.MeasurementTaken(T0, "demo", "measured", "success-rate", "success-rate", measurement)


def lines_for(*events: ev.Event) -> list[str]:
    out = io.StringIO()
    view = DemoView(out, colors=False)
    for event in events:
        view.on_event(event)
    return out.getvalue().splitlines()


def test_an_error_measurement_shows_its_fault_after_the_line() -> None:
    assert lines_for(measured(Phase.ERROR, REFUSED)) == [f"[   0.0s]   success-rate - Error ({REFUSED})"]


def test_other_measurements_keep_their_line_as_it_was() -> None:
    assert lines_for(measured(Phase.SUCCESSFUL, "", "[0.99]"), measured(Phase.ERROR)) == [
        "[   0.0s]   success-rate [0.99] Successful",
        "[   0.0s]   success-rate - Error",  # no message: nothing to add
    ]


def faulty_demo(options: DemoOptions, out: TextIO) -> DemoOutcome:
    """A real rollout whose provider fails, drawn by the demo's view (the local stack is not needed here)."""
    view = DemoView(out, colors=options.colors)
    metric = Metric("success-rate", ScriptedProvider([ProviderError(REFUSED)]), "q", "10s")
    analysis = BackgroundAnalysis([metric])
    steps: list[Step] = [SetWeight(20), Pause("1m")]
    workload, clock = InMemoryWorkload("blue"), FakeClock(T0)
    rollout = Rollout(
        "demo", steps, InMemoryRouter(), workload, analysis=analysis, clock=clock, on_event=view.on_event
    )
    result = rollout.run("green", handle_signals=False)
    return DemoOutcome([result], True, options.audit_dir / "demo.json")


@pytest.mark.parametrize("verbose", [False, True])
def test_the_demo_command_prints_a_fault_once_unless_verbose(
    verbose: bool,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.setattr(demo_module, "run_demo", faulty_demo)
    caplog.set_level(logging.WARNING, logger="canarykit.analysis")
    flags = ["-v"] if verbose else []
    assert main([*flags, "demo", "--no-color", "--audit-dir", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert f"success-rate - Error ({REFUSED})" in out
    faults = [record for record in caplog.records if "provider fault" in record.getMessage()]
    assert bool(faults) is verbose  # -v keeps the log's WARNING, as for `rollout` and `analyze`
