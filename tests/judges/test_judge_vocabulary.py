"""Judge measurements: `outcome` decides, `evidence` is the test alone, and the e-value is named."""

from __future__ import annotations

from canarykit import AnalysisRun, Measurement, Phase
from canarykit.judges import ErrorRateComparison, LowTraffic
from canarykit.testing import FakeClock, ScriptedTraffic

T0 = 1_700_000_000.0


def measurements(
    traffic: ScriptedTraffic, clock: FakeClock, policy: LowTraffic | None = None
) -> list[Measurement]:
    judge = ErrorRateComparison(traffic, "web", low_traffic=policy)
    result = AnalysisRun([judge.metric()], clock=clock).run(duration="3m")
    return list(result.metric("error-rate-comparison").measurements)


def test_a_low_traffic_pause_says_inconclusive_and_undecided_never_continue() -> None:
    clock = FakeClock(T0)
    traffic = ScriptedTraffic(clock).change(stable=100, stable_errors=0.005)
    last = measurements(traffic, clock, LowTraffic(min_requests=200, max_wait="1m", otherwise="pause"))[-1]
    assert last.phase is Phase.INCONCLUSIVE
    assert (last.result["outcome"], last.result["evidence"]) == ("inconclusive", "undecided")
    assert (last.metadata["outcome"], last.metadata["evidence"]) == ("inconclusive", "undecided")
    assert "verdict" not in last.result and "verdict" not in last.metadata
    assert last.value == (
        "inconclusive: e-value 1 (fails at 100), canary 0/0, stable 30/6000"
        " (low traffic: 0 < 200 canary requests after 1m, so pause)"
    )


def test_a_regression_reads_fail_with_its_e_value_and_threshold() -> None:
    clock = FakeClock(T0)
    traffic = ScriptedTraffic(clock).change(canary=100, stable=900, canary_errors=0.04, stable_errors=0.005)
    last = measurements(traffic, clock)[-1]  # not the first: at T0 it saw no traffic yet
    assert (last.result["outcome"], last.result["evidence"]) == ("fail", "regression")
    assert last.value.startswith("fail: e-value ") and "(fails at 100), canary 40/1000, stable 45/9000" in (
        last.value
    )
    assert "e=" not in last.value
