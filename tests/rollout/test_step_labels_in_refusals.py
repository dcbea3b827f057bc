"""Refusals that name where another rollout stands count steps from 1, as every other text does."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from canarykit import Rollout, StateError
from canarykit.rollout import RolloutStatus
from canarykit.rollout.resume import handed_over_status
from canarykit.steps import Pause, SetWeight, Step
from canarykit.testing import FakeClock, InMemoryRouter, InMemoryStateStore, InMemoryWorkload

T0 = 1_700_000_000.0
STEPS: list[Step] = [SetWeight(20), Pause("1m"), SetWeight(60)]


@dataclass(frozen=True)
class ArgoLeftIt:
    """Where another driver left the rollout (the `HandedOver` protocol)."""

    step_index: int = 1
    weight: int = 20
    revision: int = 2
    paused_at: float | None = None


def rollout_over(record: RolloutStatus) -> Rollout:
    store = InMemoryStateStore()
    store.save("web", record.to_dict())
    return Rollout("web", STEPS, InMemoryRouter(), InMemoryWorkload(), clock=FakeClock(T0), state=store)


def test_another_unfinished_version_is_named_at_its_1_based_step() -> None:
    rollout = rollout_over(RolloutStatus("web", "v2", step_index=1, weight=20, step_count=len(STEPS)))
    with pytest.raises(StateError) as refused:
        rollout.run("v3", handle_signals=False)
    assert "is still rolling out 'v2' (step 2/3, weight 20); resume or abort it" in str(refused.value)


def test_a_take_over_refused_by_another_unfinished_version_names_its_1_based_step() -> None:
    rollout = rollout_over(RolloutStatus("web", "v2", step_index=0, weight=0, step_count=len(STEPS)))
    with pytest.raises(StateError) as refused:
        handed_over_status(rollout, "v3", ArgoLeftIt(), T0)
    assert "is still rolling out 'v2' (step 1/3); finish or abort it before taking 'v3' over" in str(
        refused.value
    )


def test_a_record_past_its_last_step_says_so_in_words() -> None:
    record = RolloutStatus("web", "v2", step_index=3, weight=60, step_count=len(STEPS))
    with pytest.raises(StateError) as refused:
        rollout_over(record).run("v3", handle_signals=False)
    assert "(the end of its 3 steps, weight 60)" in str(refused.value)
