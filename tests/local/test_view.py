"""The demo's terminal view: exact lines for scripted events, strips of answers with and without colors."""

from __future__ import annotations

import io

import pytest

from canarykit.analysis import Measurement, Phase
from canarykit.errors import SpecError
from canarykit.local.traffic import Answer
from canarykit.local.view import DemoView
from canarykit.rollout import events as ev

T0 = 1_700_000_000.0


def measured(value: str, phase: Phase, at: float) -> ev.MeasurementTaken:
    measurement = Measurement(phase=phase, started_at=at, finished_at=at, value=value)
    text = f"success-rate measured {value}: {phase.value}"
    return ev.MeasurementTaken(at, "demo", text, "success-rate", "success-rate", measurement)


SCRIPT: list[ev.Event] = [
    ev.StepStarted(T0, "demo", "Step 1/3 started: SetWeight(20)", index=0),
    ev.WeightChanged(T0 + 0.5, "demo", "canary weight 0 -> 20", weight=20, previous=0),
    ev.StepCompleted(T0 + 0.5, "demo", "Rollout step 1/3 completed", index=0),
    ev.StepStarted(T0 + 0.5, "demo", "Step 2/3 started: Analysis('success-rate')", index=1),
    measured("[0.95]", Phase.SUCCESSFUL, T0 + 5),
    measured("[0.4]", Phase.FAILED, T0 + 10),
    ev.AnalysisCompleted(T0 + 10, "demo", "Step analysis Failed", analysis="success-rate", phase="Failed"),
    ev.Paused(T0 + 10, "demo", "paused: AnalysisFailed", reason="AnalysisFailed"),
    ev.Aborted(T0 + 12, "demo", "Rollout aborted update to revision 2: too many errors", reason="too many"),
    ev.RolledBack(T0 + 12.25, "demo", "traffic returned to stable", weight=0),
    ev.Event(T0 + 13, "demo", "rollback hook notify failed: boom"),
]


def test_scripted_events_give_exact_lines() -> None:
    out = io.StringIO()
    view = DemoView(out)  # a StringIO is no terminal: no colors
    view.experiment("blue -> green, 30% errors", steps=3)
    for event in SCRIPT:
        view.on_event(event)
    view.summary(["verdict: aborted", "answers: 412"])
    assert out.getvalue().splitlines() == [
        "",
        "== blue -> green, 30% errors (3 steps) ==",
        "[   0.0s] step 1/3  SetWeight(20)",
        "[   0.5s]   weight 0 -> 20",
        "[   0.5s] step 2/3  Analysis('success-rate')",
        "[   5.0s]   success-rate [0.95] Successful",
        "[  10.0s]   success-rate [0.4] Failed",
        "[  10.0s]   analysis success-rate Failed",
        "[  10.0s]   paused: AnalysisFailed",
        "[  12.0s] ABORTED: too many",
        "[  12.2s]   rolled back: traffic returned to stable",
        "[  13.0s]   rollback hook notify failed: boom",
        "",
        "== summary ==",
        "  verdict: aborted",
        "  answers: 412",
    ]


def test_a_new_experiment_restarts_the_clock_and_promotion_is_the_verdict() -> None:
    out = io.StringIO()
    view = DemoView(out, colors=False)
    view.experiment("first", steps=1)
    view.on_event(ev.StepStarted(T0, "demo", "Step 1/1 started: Pause('1s')", index=0))
    view.experiment("second", steps=0)
    view.on_event(ev.StepStarted(T0 + 60, "demo", "Step 1/1 started: Pause()", index=0))
    view.on_event(ev.Promoted(T0 + 61, "demo", "Rollout completed update to revision 2", version="green"))
    assert out.getvalue().splitlines()[-3:] == [
        "== second (0 steps) ==",
        "[   0.0s] step 1/?  Pause()",
        "[   1.0s] PROMOTED green",
    ]


def answers(pattern: str) -> list[Answer]:
    """`b` a blue 200, `g` a green 200, `G` a green 500, `-` no answer at all."""
    kinds = {"b": ("blue", 200), "g": ("green", 200), "G": ("green", 500), "-": (None, None)}
    return [Answer(*kinds[mark], seconds=0.01) for mark in pattern]


def test_strip_without_colors_uses_letters() -> None:
    view = DemoView(io.StringIO(), colors=False, width=10)
    text = view.strip(answers("bbgbbGbb-b"))
    assert text.splitlines() == [
        "blue      bbbbbbb" + " " * 6 + "70%",
        "green     gx" + " " * 11 + "20%  1 error",
        "no color  x" + " " * 12 + "10%  1 error",
    ]


def test_strip_keeps_the_last_width_answers() -> None:
    view = DemoView(io.StringIO(), colors=False, width=4)
    assert view.strip(answers("ggggbbbb")) == "blue  bbbb  100%"
    assert view.strip([]) == "(no answers yet)"


def test_strip_with_colors_paints_squares_and_errors() -> None:
    view = DemoView(io.StringIO(), colors=True, width=6)
    text = view.strip(answers("bbgG"))
    blue, green = text.splitlines()
    assert blue == "blue   \x1b[38;5;33m■■\x1b[0m" + " " * 7 + "50%"
    assert green.startswith("green  \x1b[38;5;40m■\x1b[0m\x1b[38;5;196m✖\x1b[0m")
    assert "\x1b[" in text and "b" not in text.replace("blue", "")


def test_show_traffic_prints_the_strip_indented() -> None:
    out = io.StringIO()
    DemoView(out, colors=False, width=3).show_traffic(answers("bgb"))
    assert out.getvalue() == "  blue   bb    67%\n  green  g     33%\n"


class Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_colors_follow_the_terminal_unless_no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert DemoView(Tty()).colors is True
    assert DemoView(io.StringIO()).colors is False
    assert DemoView(Tty(), colors=False).colors is False
    monkeypatch.setenv("NO_COLOR", "1")
    assert DemoView(Tty()).colors is False


def test_width_must_be_positive() -> None:
    with pytest.raises(SpecError):
        DemoView(io.StringIO(), width=0)


def test_a_gate_says_why_it_ended_and_a_plain_step_completion_stays_silent() -> None:
    out = io.StringIO()
    view = DemoView(out)
    view.experiment("green -> cyan, gated", steps=4)
    view.on_event(ev.StepCompleted(T0, "demo", "Rollout step 1/4 completed", index=0))
    timed_out = "Rollout step 2/4 completed (timed out undecided after 1m: went on)"
    view.on_event(ev.StepCompleted(T0 + 60, "demo", timed_out, index=1, reason="timed out"))
    cleared = "Rollout step 4/4 completed (cleared by the judges after 5s)"
    view.on_event(ev.StepCompleted(T0 + 65, "demo", cleared, index=3, reason="cleared"))
    assert out.getvalue().splitlines()[-2:] == [
        "[   0.0s]   gate timed out undecided after 1m: went on",
        "[   5.0s]   gate cleared by the judges after 5s",
    ]
