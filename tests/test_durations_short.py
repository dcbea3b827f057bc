"""`short_duration`: the one `1m10s`-style text of a duration, for plans and for gates' messages."""

from __future__ import annotations

import pytest

from canarykit.cli import plan_steps
from canarykit.durations import short_duration
from canarykit.steps import Gate, Pause


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (0, "0s"),
        (0.5, "500ms"),  # the plan wrote `0.5s`
        (1, "1s"),
        (1.5, "2s"),  # whole seconds from 1 s up, halves rounded up
        (2.5, "3s"),  # the gate rounded halves to even: `2s`
        (59.6, "1m"),
        (70, "1m10s"),
        (70.4, "1m10s"),  # the plan wrote `1m10.4s`
        (120, "2m"),
        (3599.7, "1h"),
        (3600, "1h"),
        (3610, "1h10s"),  # the gate wrote `1h0m10s`
        (3660, "1h1m"),
        (5400, "1h30m"),
        (90_000, "25h"),
    ],
)
def test_short_duration(seconds: float, text: str) -> None:
    assert short_duration(seconds) == text


def test_a_plan_writes_a_gate_and_a_pause_as_a_gate_says_them() -> None:
    assert plan_steps.action(Gate(3610)) == "gate: until the judges clear it, at most 1h10s"
    assert plan_steps.action(Pause(70.4)) == "pause 1m10s"
    assert plan_steps.action(Pause("70s")) == "pause 70s"  # a duration given as text is shown as given
