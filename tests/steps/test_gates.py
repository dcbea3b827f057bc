"""`Gate`: its options checked before anything runs, with the field at fault named."""

from __future__ import annotations

from typing import Any

import pytest

from canarykit.errors import DurationError, SpecError
from canarykit.steps import Gate, Pause, Plan, SetWeight, explicit


def test_a_gate_keeps_its_options_in_seconds_and_prints_only_what_differs_from_the_defaults() -> None:
    gate = Gate("4m", min="30s", on_timeout="pause")
    assert (gate.max_seconds, gate.min_seconds, gate.on_timeout) == (240.0, 30.0, "pause")
    assert repr(gate) == "Gate('4m', min='30s', on_timeout='pause')"
    assert repr(Gate(90)) == "Gate(90)"
    assert Gate("2m") == Gate("2m", 0, "promote")


def test_a_plan_takes_gates_beside_its_other_steps() -> None:
    plan = Plan([SetWeight(20), Gate("2m"), SetWeight(50), Pause("1m")])
    assert repr(plan) == "Plan(SetWeight(20), Gate('2m'), SetWeight(50), Pause('1m'))"
    assert plan.weights == [20, 50]
    tail = Plan([Gate("1m", on_timeout="rollback")])
    assert explicit([10]).with_pause() + tail == Plan([SetWeight(10), Pause(), Gate("1m", 0, "rollback")])


@pytest.mark.parametrize(
    ("options", "path", "reason"),
    [
        ({"max": 0}, "Gate.max", "must be > 0, got 0"),
        ({"max": "0s"}, "Gate.max", "must be > 0, got '0s'"),
        ({"max": "1m", "min": "2m"}, "Gate.min", "must be <= max ('1m'), got '2m'"),
        (
            {"max": "1m", "on_timeout": "abort"},
            "Gate.on_timeout",
            "must be one of 'promote', 'pause', 'rollback', got 'abort'",
        ),
    ],
)
def test_bad_options_are_refused_naming_the_field(options: dict[str, Any], path: str, reason: str) -> None:
    with pytest.raises(SpecError) as raised:
        Gate(**options)
    assert (raised.value.path, raised.value.reason) == (path, reason)


@pytest.mark.parametrize(
    ("options", "path"),
    [
        ({"max": "5"}, "Gate.max"),
        ({"max": "1m", "min": "ten"}, "Gate.min"),
        ({"max": "1m", "min": "-5s"}, "Gate.min"),
    ],
)
def test_bad_durations_are_duration_errors_at_the_field(options: dict[str, Any], path: str) -> None:
    with pytest.raises(DurationError) as raised:
        Gate(**options)
    assert raised.value.path == path and "valid units" in raised.value.reason


def test_a_plan_refuses_what_is_not_a_step_naming_gate_among_the_kinds() -> None:
    with pytest.raises(SpecError) as raised:
        Plan([SetWeight(10), "gate"])  # type: ignore[list-item]
    assert raised.value.path == "steps[1]" and "Gate" in raised.value.reason
