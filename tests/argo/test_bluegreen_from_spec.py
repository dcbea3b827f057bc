"""A loaded blue-green Rollout becomes a runnable `Rollout` (`Rollout.from_spec`), on in-memory edges."""

from __future__ import annotations

from pathlib import Path

import pytest

from canarykit import Rollout, RolloutPhase
from canarykit.argo import load
from canarykit.errors import SpecError
from canarykit.rollout.from_spec import delays, strategy_of
from canarykit.testing import FakeClock, InMemoryRouter, InMemoryWorkload

DATA = Path(__file__).parent.parent / "data"
BLUE_GREEN = DATA / "argo" / "bluegreen"
SMOKE_TESTS = str(BLUE_GREEN / "smoke-tests.yaml")


class ThousandRouter(InMemoryRouter):
    """A router on a scale of 1000 (a canary Rollout without maxTrafficWeight: 1000 is refused)."""

    max_weight = 1000


def test_blue_green_spec_runs_its_options_not_steps() -> None:
    spec = load(str(BLUE_GREEN / "post-promotion.yaml"), SMOKE_TESTS)
    assert strategy_of(spec) is spec.blue_green
    assert delays(spec) == {"progress_deadline": 600.0}  # the scale-down delays are the BlueGreen's own
    canary = load(str(DATA / "rollout.yaml"), str(DATA / "analysis-template.yaml"))
    assert strategy_of(canary) is canary.steps
    assert delays(canary) == {
        "progress_deadline": 600.0,
        "scale_down_delay": 30.0,
        "abort_scale_down_delay": 30.0,
    }


def test_from_spec_hands_the_blue_green_and_its_delays_to_the_rollout() -> None:
    spec = load(str(BLUE_GREEN / "post-promotion.yaml"), SMOKE_TESTS)
    rollout = Rollout.from_spec(
        spec, ThousandRouter(), InMemoryWorkload("v1"), prometheus="http://127.0.0.1:9"
    )
    assert rollout.blue_green is spec.blue_green  # no maxTrafficWeight check: blue-green has no routing
    assert (rollout.scale_down_delay, rollout.abort_scale_down_delay) == (600.0, 30.0)
    assert rollout.prometheus == "http://127.0.0.1:9"
    canary = load(str(DATA / "rollout.yaml"), str(DATA / "analysis-template.yaml"))
    with pytest.raises(SpecError, match="maxTrafficWeight"):
        Rollout.from_spec(canary, ThousandRouter(), InMemoryWorkload("v1"))


def test_argo_example_runs_to_healthy_after_promote() -> None:
    spec = load(str(BLUE_GREEN / "rollout-bluegreen.yaml"))
    clock, router, workload = (
        FakeClock(1_700_000_000.0),
        InMemoryRouter(),
        InMemoryWorkload("blue", replicas=2),
    )
    rollout = Rollout.from_spec(spec, router, workload, clock=clock)
    rollout.start("green")
    _drain(rollout, clock)
    paused = rollout.result()
    assert (paused.phase, paused.message) == (RolloutPhase.PAUSED, "BlueGreenPause")
    assert router.preview and router.weight == 0  # the preview shows green, active still serves blue
    rollout.promote()
    _drain(rollout, clock)
    assert rollout.result().phase == RolloutPhase.HEALTHY
    assert router.weight == 0 and workload.stable_version == "green"


def _drain(rollout: Rollout, clock: FakeClock) -> None:
    """Advance, moving the fake clock to each wake-up, until the rollout ends or waits for `promote()`."""
    while (wake := rollout.advance()) is not None:
        status = rollout.status
        if status is not None and (status.finished or status.phase == RolloutPhase.PAUSED):
            return
        clock.set(max(wake, clock.now()))
