"""Steps and the strategies that build plans."""

from __future__ import annotations

import pytest

from canarykit import SpecError
from canarykit.steps import Analysis, Pause, Plan, SetCanaryScale, SetWeight, explicit, exponential, linear


def test_reference_plan_is_a_plain_printable_tuple() -> None:
    plan = explicit([20, 40, 60, 80]).with_pause("2m")
    assert isinstance(plan, tuple)
    assert plan[:2] == (SetWeight(20), Pause("2m"))
    assert len(plan) == 8
    assert repr(plan).startswith("Plan(SetWeight(20), Pause('2m'), SetWeight(40)")
    assert plan.weights == [20, 40, 60, 80]


def test_strategies_compose() -> None:
    plan = linear(10, 30, 10) + exponential(40, 1.5, 100)
    assert isinstance(plan, Plan)
    assert plan.weights == [10, 20, 30, 40, 60, 90, 100]
    assert explicit([50]).with_pause().with_analysis([]) == Plan([SetWeight(50), Analysis([]), Pause()])


def test_pause_durations() -> None:
    assert Pause("1h30m").seconds == 5400
    assert Pause(0).seconds == 0
    assert Pause().indefinite and Pause().seconds is None


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: SetWeight(120), "SetWeight needs to be between 0 and 100"),
        (lambda: SetWeight(-1), "SetWeight needs to be between 0 and 100"),
        (lambda: Pause("2d"), 'time: unknown unit "d" in duration "2d"'),
        (lambda: linear(10, 50, 0), "linear step must be > 0"),
        (lambda: exponential(0, 2), "exponential needs start > 0"),
        (lambda: SetCanaryScale(), "exactly one of"),
        (lambda: SetCanaryScale(replicas=1, weight=10), "exactly one of"),
        (lambda: Plan([SetWeight(10), "pause"]), "steps[1]: expected a step"),  # type: ignore[list-item]
    ],
)
def test_validation_happens_when_built(build: object, message: str) -> None:
    with pytest.raises(SpecError) as caught:
        build()  # type: ignore[operator]
    assert message in str(caught.value)
