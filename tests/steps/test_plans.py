"""Steps and the strategies that build plans."""

from __future__ import annotations

import pytest

from canarykit import SpecError
from canarykit.steps import (
    Analysis,
    Pause,
    Plan,
    SetCanaryScale,
    SetWeight,
    Step,
    explicit,
    exponential,
    linear,
)
from canarykit.steps.kinds import check_weights


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
        (lambda: SetWeight(-1), "SetWeight needs a weight >= 0, got -1"),
        (lambda: SetWeight(2.5), "SetWeight needs an integer weight, got 2.5"),  # type: ignore[arg-type]
        (lambda: SetCanaryScale(weight=-1), "SetCanaryScale weight must be >= 0, got -1"),
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


def test_weights_above_100_are_steps_their_rollout_checks_against_its_router() -> None:
    """A step does not know its scale (100, or a router's `max_weight` such as Argo's 1000)."""
    assert explicit([5, 250, 1000]).weights == [5, 250, 1000]
    assert SetCanaryScale(weight=500).weight == 500


@pytest.mark.parametrize(
    ("steps", "max_weight", "message"),
    [
        (
            [SetWeight(20), SetWeight(101)],
            100,
            "steps[1].setWeight: SetWeight needs to be between 0 and 100, got 101",
        ),
        ([SetWeight(1001)], 1000, "steps[0].setWeight: SetWeight needs to be between 0 and 1000, got 1001"),
        (
            [SetCanaryScale(weight=51)],
            50,
            "steps[0].setCanaryScale.weight: SetCanaryScale weight needs to be between 0 and 50, got 51",
        ),
    ],
)
def test_weights_above_the_maximum_are_refused_with_argos_message(
    steps: list[Step], max_weight: int, message: str
) -> None:
    with pytest.raises(SpecError) as caught:
        check_weights(steps, max_weight)
    assert str(caught.value) == message


def test_weights_up_to_the_maximum_pass() -> None:
    check_weights([SetWeight(0), SetWeight(1000), SetCanaryScale(weight=1000)], 1000)
