"""`nginx_canary(min_difference=, history=)`: both judges get them, checked before anything runs."""

from __future__ import annotations

import math
from typing import Any

import pytest
from judge_support import T0, rates
from test_presets import CeilingAwareIngress

from canarykit import RolloutPhase
from canarykit.errors import SpecError
from canarykit.presets import GATED_FLOOR, Preset, nginx_canary
from canarykit.rollout import events as ev
from canarykit.testing import FakeClock, InMemoryRouter, InMemoryWorkload


def judges(preset: Preset) -> list[Any]:
    return [source.judge for source in preset.analysis.source if hasattr(source, "judge")]


def test_the_history_window_reaches_both_judges() -> None:
    both = judges(nginx_canary("canary-demo", history="1h"))
    assert [(judge.history, judge.history_seconds) for judge in both] == [("1h", 3600.0), ("1h", 3600.0)]
    assert [judge.history for judge in judges(nginx_canary("canary-demo"))] == [None, None]


def test_the_floor_is_gated_floor_when_gated_zero_when_not_or_as_given() -> None:
    def floors(**options: Any) -> list[float]:
        return [judge.test_options["min_difference"] for judge in judges(nginx_canary("web", **options))]

    assert GATED_FLOOR == 0.001
    assert floors(gated=True) == [0.001, 0.001] and floors() == [0.0, 0.0]
    assert floors(gated=True, min_difference=0.0) == [0.0, 0.0]
    assert floors(min_difference=0.02) == [0.02, 0.02]


@pytest.mark.parametrize("history", ["-1h", "soon", 0])
def test_a_bad_history_window_is_refused_naming_it(history: Any) -> None:
    with pytest.raises(SpecError, match="history"):
        nginx_canary("canary-demo", history=history)


@pytest.mark.parametrize("difference", [-0.001, 1.0, math.nan, math.inf, True, "0.1"])
def test_a_bad_min_difference_is_refused_naming_it(difference: Any) -> None:
    with pytest.raises(SpecError, match="min_difference"):
        nginx_canary("canary-demo", gated=True, min_difference=difference)


def test_a_gated_preset_with_history_clears_a_service_with_no_errors_early() -> None:
    traffic = CeilingAwareIngress((T0 - 3600, rates(100, 0.0, 400, 0.0)))  # an hour of history, no errors
    preset = nginx_canary("canary-demo", prometheus=traffic, gated=True, history="1h")
    rollout = preset.rollout("web", InMemoryRouter(), InMemoryWorkload(), clock=FakeClock(T0))
    result = rollout.run("v2", handle_signals=False)
    assert result.phase is RolloutPhase.HEALTHY
    # The history judge's split runs at 0.1·beta, its floor at 0.01·beta = 0.0001: 10,224 canary requests
    # without a bad event; at 100/s, with counts from 10 s before the first look, the look at 100 s.
    promoted = next(e.time for e in result.events if isinstance(e, ev.Promoted)) - T0
    assert promoted == 100.0
    for name in ("error-rate-comparison", "latency-comparison"):
        last = result.analyses[0].metric(name).measurements[-1]
        assert last.metadata["history"].startswith("stable 0/1.436e+06 before the canary")  # 3,590 s at 400/s
        assert last.metadata["outcome"] == "pass" and last.metadata["canaryBad"] == "0"
