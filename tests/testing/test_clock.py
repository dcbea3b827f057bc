"""`FakeClock`: instant sleeps, and a horizon so a run that never ends fails clearly instead of hanging."""

from __future__ import annotations

import pytest

from canarykit import AnalysisRun, Metric
from canarykit.testing import ClockHorizonReached, FakeClock, ScriptedProvider


def test_an_unlimited_metric_with_no_duration_stops_at_the_horizon() -> None:
    metric = Metric("healthy", ScriptedProvider([1.0]), interval="10s", success_condition="result > 0.5")
    clock = FakeClock(0, horizon=3600)
    with pytest.raises(ClockHorizonReached, match="a run that never ends"):
        AnalysisRun([metric], clock=clock).run()  # no duration, no count: would measure forever
    assert clock.now() <= 3600
    assert len(clock.sleeps) == 360


def test_the_default_horizon_is_a_month_and_none_lifts_it() -> None:
    clock = FakeClock(0)
    clock.sleep(30 * 24 * 3600)
    with pytest.raises(ClockHorizonReached):
        clock.sleep(1)
    unlimited = FakeClock(0, horizon=None)
    unlimited.sleep(10 * 365 * 24 * 3600)
    assert unlimited.now() == 10 * 365 * 24 * 3600
