"""Progress on long waits: plain lines off a terminal; on one, a rich status line with step and time left."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from reference_history import ReferencePrometheus
from rich.console import Console

from canarykit.analysis import Measurement, Phase
from canarykit.cli import analyze
from canarykit.cli.live_view import LiveView
from canarykit.cli.main import EXIT_OK, build_parser
from canarykit.cli.progress import LiveProgress, PlainProgress, clock_time, countdown, open_progress
from canarykit.rollout import Rollout
from canarykit.rollout import events as ev
from canarykit.steps import Pause, SetWeight, Step
from canarykit.testing import FakeClock, InMemoryRouter, InMemoryWorkload

T0 = 1_700_000_000.0
TEMPLATE = str(Path(__file__).parent.parent / "data" / "analysis-template.yaml")


def terminal() -> tuple[Console, io.StringIO]:
    """A rich console that believes it writes to a terminal, into a buffer."""
    buffer = io.StringIO()
    return Console(file=buffer, force_terminal=True, width=120), buffer


def test_off_a_terminal_lines_are_printed_as_they_are_and_no_status() -> None:
    out = io.StringIO()
    progress = open_progress(out, FakeClock(T0))
    assert isinstance(progress, PlainProgress)
    progress.line("[0:00]   a [bold]line[/bold]")
    progress.waiting(countdown("step 2/3 Pause('2m')", T0, T0 + 120))
    progress.close()
    assert out.getvalue() == "[0:00]   a [bold]line[/bold]\n"


def test_on_a_terminal_the_status_counts_down_on_the_clock() -> None:
    console, buffer = terminal()
    clock = FakeClock(T0)
    progress = open_progress(io.StringIO(), clock, console)
    assert isinstance(progress, LiveProgress)
    progress.line("[0:00]   a [bold]line[/bold]")  # printed as written, not as markup
    progress.waiting(countdown("step 2/3 Pause('2m')", T0, T0 + 120))
    clock.advance(75)
    progress.waiting(countdown("step 2/3 Pause('2m')", T0, T0 + 120))
    progress.close()
    progress.line("after")
    text = buffer.getvalue()
    assert "[0:00]   a [bold]line[/bold]\n" in text
    assert "step 2/3 Pause('2m') · 2:00 left" in text
    assert "step 2/3 Pause('2m') · 0:45 left" in text
    assert text.endswith("after\n")
    assert "\x1b[?25h" in text  # the cursor is shown again once closed


@pytest.mark.parametrize(
    ("seconds", "round_up", "shown"),
    [
        (0.2, True, "0:01"),
        (0.2, False, "0:00"),
        (-5, True, "0:00"),
        (754, False, "12:34"),
        (3723, True, "1:02:03"),
    ],
)
def test_clock_time(seconds: float, round_up: bool, shown: str) -> None:
    assert clock_time(seconds, round_up=round_up) == shown


def test_an_open_ended_wait_shows_the_time_so_far() -> None:
    assert countdown("step 1/3 SetWeight(20)", T0, None)(T0 + 42) == "step 1/3 SetWeight(20) · 0:42"


def test_a_rollout_shows_its_step_and_the_pause_left() -> None:
    console, buffer = terminal()
    clock = FakeClock(T0)
    out = io.StringIO()
    view = LiveView(clock, out, LiveProgress(console, clock))
    steps: list[Step] = [SetWeight(20), Pause("2m"), SetWeight(60)]
    rollout = Rollout(
        "web", steps, InMemoryRouter(), InMemoryWorkload("blue"), clock=clock, on_event=view.show
    )
    view.header("web", "default", "green", rollout.plan)
    with view:
        result = rollout.run("green", handle_signals=False)
    view.summary(result)
    text = buffer.getvalue()
    assert result.healthy and out.getvalue() == ""  # every line went through the console
    assert "rollout default/web: green in 3 steps" in text
    assert "step 2/3 Pause('2m') · 2:00 left" in text
    assert text.endswith("✔ Healthy: step 3/3.\n")  # after the status line is removed


def test_a_rollout_view_prints_an_error_measurements_fault_with_it() -> None:
    out = io.StringIO()
    view = LiveView(FakeClock(T0), out)
    fault = Measurement(Phase.ERROR, T0, T0, message="Post ...: connection refused")
    text = "success-rate measured -: Error"
    view.show(
        ev.MeasurementTaken(T0, "web", text, analysis="web-1", metric="success-rate", measurement=fault)
    )
    assert out.getvalue() == "[0:00]   success-rate measured -: Error (Post ...: connection refused)\n"


def test_analyze_shows_the_next_measurement_and_the_end_of_the_run(
    prometheus: ReferencePrometheus, capsys: pytest.CaptureFixture[str]
) -> None:
    console, buffer = terminal()
    at = str(int(prometheus.healthy_start + 300))
    arguments = ["analyze", "-f", TEMPLATE, "--arg", "ingress=canary-demo", "--prometheus", prometheus.url]
    options = build_parser().parse_args([*arguments, "--at", at, "--duration", "30s"])
    assert analyze.run_command(options, console=console) == EXIT_OK
    text = buffer.getvalue()
    assert "measurements: 1 · next in 0:10 · run ends in 0:30" in text
    assert "measurements: 3 · next in 0:10 · run ends in 0:10" in text
    assert "success-rate  [0.95]  Successful" in text and text.rstrip().endswith("Successful: Run Terminated")
    assert capsys.readouterr().out == ""  # the console had every line
