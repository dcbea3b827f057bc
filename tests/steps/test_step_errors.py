"""Step errors echo the bad value and name the step: in Python plans and in Argo YAML (Argo's words first)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from canarykit import Rollout, SpecError
from canarykit.argo import load
from canarykit.steps import Pause, SetCanaryScale, SetWeight, Step
from canarykit.testing import InMemoryRouter, InMemoryWorkload

DATA = Path(__file__).parent.parent / "data"


def test_a_python_weight_above_100_names_the_step_and_echoes_it() -> None:
    steps: list[Step] = [SetWeight(20), Pause("1m"), SetWeight(150)]
    with pytest.raises(SpecError) as refused:
        Rollout("web", steps, InMemoryRouter(), InMemoryWorkload())
    assert str(refused.value) == "steps[2].setWeight: SetWeight needs to be between 0 and 100, got 150"


def test_a_yaml_weight_above_100_keeps_argos_words_then_the_value() -> None:
    document = yaml.safe_load((DATA / "rollout.yaml").read_text())
    document["spec"]["strategy"]["canary"]["steps"][2]["setWeight"] = 150
    with pytest.raises(SpecError) as refused:
        load(yaml.safe_dump(document), DATA / "analysis-template.yaml")
    assert refused.value.path == "spec.strategy.canary.steps[2].setWeight"
    assert refused.value.reason == "SetWeight needs to be between 0 and 100, got 150"


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: SetWeight(-5), "setWeight: SetWeight needs a weight >= 0, got -5"),
        (
            lambda: SetWeight(2.5),  # type: ignore[arg-type]
            "setWeight: SetWeight needs an integer weight, got 2.5",
        ),
        (lambda: SetCanaryScale(replicas=-1), "SetCanaryScale replicas must be >= 0, got -1"),
        (
            lambda: SetCanaryScale(replicas=1, weight=2),
            "SetCanaryScale needs exactly one of replicas, weight or match_traffic_weight, "
            "got replicas=1, weight=2, match_traffic_weight=False",
        ),
    ],
)
def test_bad_steps_echo_their_value(make: object, message: str) -> None:
    with pytest.raises(SpecError) as refused:
        make()  # type: ignore[operator]
    assert str(refused.value) == message


def test_something_that_is_not_a_step_is_named_with_its_position() -> None:
    with pytest.raises(SpecError) as refused:
        Rollout("web", [SetWeight(10), "pause 5m"], InMemoryRouter(), InMemoryWorkload())  # type: ignore[list-item]
    assert refused.value.path == "steps[1]"
    assert "got 'pause 5m'" in refused.value.reason and "SetWeight, Pause" in refused.value.reason
