"""The judges driven through `AnalysisRun` on a fake clock, with a fake Prometheus answering by query."""

from __future__ import annotations

from typing import Any

import pytest
from judge_support import T0, FakeIngress, Rates, rates

from canarykit import AnalysisRun, Metric, Phase, ProviderError
from canarykit.analysis import AnalysisResult
from canarykit.judges import ErrorRateComparison, LatencyComparison, LowTraffic
from canarykit.providers.base import Observation
from canarykit.testing import FakeClock, ScriptedProvider

REGRESSION = rates(100, 0.04, 900, 0.005)
HEALTHY = rates(100, 0.005, 900, 0.005)
SILENT = rates(0, 0.0, 900, 0.005)

LOOSE = 1.5
"""A tolerance loose enough for a healthy canary to be cleared early (the default, 1.05, rarely does)."""


def run(metrics: list[Metric], duration: str | None = None, start: float = T0) -> AnalysisResult:
    return AnalysisRun(metrics, clock=FakeClock(start)).run(duration)


def values(result: AnalysisResult, name: str = "error-rate-comparison") -> list[str]:
    return [m.value for m in result.metric(name).measurements]


def test_a_clear_regression_fails_at_once() -> None:
    result = run([ErrorRateComparison(FakeIngress((T0 - 600, REGRESSION)), "web").metric()])
    assert result.phase is Phase.FAILED
    assert (
        result.message
        == 'Metric "error-rate-comparison" assessed Failed due to failed (1) > failureLimit (0)'
    )
    (measurement,) = result.metric("error-rate-comparison").measurements
    assert measurement.value.startswith("fail: e-value ") and "(fails at 100)" in measurement.value
    assert measurement.value.endswith("canary 40/1000, stable 45/9000")
    meta = measurement.metadata
    assert (meta["evidence"], meta["canaryBad"], meta["canaryRequests"], meta["failThreshold"]) == (
        "regression",
        "40",
        "1000",
        "100",
    )
    assert float(meta["eFail"]) >= 100 and meta["maxRatio"] == "1.05" and meta["windowSeconds"] == "10"
    assert all(isinstance(value, str) for value in meta.values())


def test_a_clean_canary_with_lots_of_traffic_is_cleared_early() -> None:
    clock = FakeClock(T0)
    result = AnalysisRun(
        [ErrorRateComparison(FakeIngress((T0 - 600, HEALTHY)), "web", max_ratio=LOOSE).metric()], clock
    ).run()
    assert result.phase is Phase.SUCCESSFUL and result.message == ""
    texts = values(result)
    assert texts[-1].startswith("pass: e-value ") and all(t.startswith("continue:") for t in texts[:-1])
    assert 5 < len(texts) < 40 and clock.now() == T0 + 10 * (len(texts) - 1)
    assert result.metric("error-rate-comparison").measurements[-1].result["evidence"] == "cleared"


def test_the_counts_are_cumulative_since_the_first_measurement() -> None:
    fake = FakeIngress((T0 - 600, HEALTHY))
    run([ErrorRateComparison(fake, "web").metric(interval="30s", lookback="1m")], duration="1m")
    assert sorted(set(fake.windows())) == [60, 90, 120]
    assert [at - T0 for _, at in fake.calls[::4]] == [0, 30, 60]


def test_undecided_runs_until_terminated_then_successful() -> None:
    result = run([ErrorRateComparison(FakeIngress((T0 - 600, HEALTHY)), "web").metric()], duration="30s")
    assert result.phase is Phase.SUCCESSFUL and result.message == "Run Terminated"
    assert len(values(result)) == 4


def test_beside_a_threshold_metric() -> None:
    threshold = Metric(
        "success-rate", ScriptedProvider([[0.99]]), "q", "10s", success_condition="result[0] > 0.9"
    )
    judge = ErrorRateComparison(FakeIngress((T0 - 600, REGRESSION)), "web")
    result = run([threshold, judge.metric()])
    assert result.phase is Phase.FAILED and '"error-rate-comparison"' in result.message
    judge = ErrorRateComparison(FakeIngress((T0 - 600, HEALTHY)), "web")
    threshold = Metric(
        "success-rate", ScriptedProvider([[0.99]]), "q", "10s", success_condition="result[0] > 0.9"
    )
    result = run([threshold, judge.metric()], duration="5m")
    assert result.metric("error-rate-comparison").phase is Phase.SUCCESSFUL
    assert result.phase is Phase.SUCCESSFUL and len(values(result, "success-rate")) == 31


def test_scripted_provider_in_query_order() -> None:
    # the query order: canary requests, canary errors, stable requests, stable errors
    provider = ScriptedProvider([[1000], [40], [9000], [45]])
    result = run([ErrorRateComparison(provider, "web").metric()])
    assert result.phase is Phase.FAILED
    assert str(provider.calls[1][0]).endswith('status=~"5..",canary!=""}[10s]))')


@pytest.mark.parametrize(
    ("otherwise", "phase", "outcome"),
    [
        ("fail", Phase.FAILED, "fail"),
        ("pass", Phase.SUCCESSFUL, "pass"),
        ("pause", Phase.INCONCLUSIVE, "inconclusive"),
    ],
)
def test_a_silent_canary_waits_then_follows_the_policy(otherwise: Any, phase: Phase, outcome: str) -> None:
    policy = LowTraffic(min_requests=200, max_wait="1m", otherwise=otherwise)
    result = run([ErrorRateComparison(FakeIngress((T0 - 600, SILENT)), "web", low_traffic=policy).metric()])
    assert result.phase is phase
    texts = values(result)
    assert len(texts) == 7
    assert texts[0] == (
        "continue: e-value 1 (fails at 100), canary 0/0, stable 45/9000"
        " (low traffic: 0 < 200 canary requests, waiting up to 1m)"
    )
    assert texts[-1].startswith(f"{outcome}: e-value 1 (fails at 100), canary 0/0, stable 315/63000 (low")
    assert texts[-1].endswith(f"after 1m, so {otherwise})")
    for measurement in result.metric("error-rate-comparison").measurements:
        assert "nan" not in repr(measurement).lower()
        assert measurement.metadata["canaryRate"] == ""


def test_without_a_policy_a_silent_canary_only_continues() -> None:
    result = run([ErrorRateComparison(FakeIngress((T0 - 600, SILENT)), "web").metric()], duration="10m")
    assert result.phase is Phase.SUCCESSFUL and result.message == "Run Terminated"
    assert {text.split(":")[0] for text in values(result)} == {"continue"}


def test_a_failure_below_min_requests_is_held_until_they_are_reached() -> None:
    policy = LowTraffic(min_requests=50, max_wait="10m")
    fake = FakeIngress((T0 - 600, rates(1, 0.5, 100, 0.005)))
    result = run([ErrorRateComparison(fake, "web", low_traffic=policy).metric()])
    assert result.phase is Phase.FAILED
    measurements = result.metric("error-rate-comparison").measurements
    assert [m.result["canaryRequests"] for m in measurements] == [10, 20, 30, 40, 50]
    assert measurements[-2].result["evidence"] == "regression" and measurements[-2].phase is Phase.SUCCESSFUL


def test_settle_after_requests_ends_the_step_once_enough_traffic_was_judged() -> None:
    policy = LowTraffic(min_requests=200)
    judge = ErrorRateComparison(FakeIngress((T0 - 600, rates(1, 0.0, 100, 0.005))), "web", low_traffic=policy)
    result = run([judge.metric(settle_after_requests=True)])
    assert result.phase is Phase.SUCCESSFUL and result.message == ""
    texts = values(result)
    assert len(texts) == 20
    assert texts[-1].endswith("(200 >= 200 canary requests without a failure)")


def test_the_same_metric_starts_over_in_a_second_run() -> None:
    fake = FakeIngress((T0 - 600, REGRESSION), (T0 + 50, HEALTHY))
    metric = ErrorRateComparison(fake, "web").metric()
    assert run([metric]).phase is Phase.FAILED
    second = run([metric], duration="20s", start=T0 + 100)
    assert second.phase is Phase.SUCCESSFUL
    first = values(second)[0]
    assert first.startswith("continue") and first.endswith("canary 5/1000, stable 45/9000")
    assert fake.windows()[4:] == [10.0] * 4 + [20.0] * 4 + [30.0] * 4


@pytest.mark.parametrize("later", [-50.0, 1000.0])
def test_a_terminated_run_is_forgotten_when_time_goes_back_or_jumps(later: float) -> None:
    fake = FakeIngress((T0 - 3600, HEALTHY))
    metric = ErrorRateComparison(fake, "web").metric()
    run([metric], duration="1m")
    result = run([metric], duration="0s", start=T0 + 60 + later)
    assert result.metric("error-rate-comparison").measurements[0].metadata["windowSeconds"] == "10"


def test_a_template_builds_a_fresh_metric_each_run() -> None:
    template = ErrorRateComparison(FakeIngress((T0 - 600, HEALTHY)), "web").template(name="errors")
    first, second = template.metrics({}), template.metrics({})
    assert first[0] is not second[0] and first[0].provider is not second[0].provider
    assert first[0].name == "errors"
    replaced = template.metrics({}, prometheus=FakeIngress())
    assert run(replaced, duration="10s").metric("errors").measurements[0].metadata["stableRequests"] == "0"


class Flaky:
    """Raises for the first `failures` queries, then asks `inner`."""

    def __init__(self, inner: FakeIngress, failures: int) -> None:
        self.inner, self.failures = inner, failures

    def measure(self, query: str | None, at: float) -> Observation:
        if self.failures > 0:
            self.failures -= 1
            raise ProviderError("connection refused")
        return self.inner.measure(query, at)


def test_provider_faults_are_error_measurements_and_lose_no_counts() -> None:
    judge = ErrorRateComparison(Flaky(FakeIngress((T0 - 600, HEALTHY)), failures=2), "web")
    result = run([judge.metric()], duration="30s")
    measurements = result.metric("error-rate-comparison").measurements
    assert [m.phase for m in measurements] == [Phase.ERROR, Phase.ERROR, Phase.SUCCESSFUL, Phase.SUCCESSFUL]
    assert measurements[0].message == "connection refused"
    assert measurements[2].metadata["windowSeconds"] == "30"
    assert measurements[3].metadata["canaryRequests"] == "4000"


def test_latency_judge_fails_a_slow_canary_and_clears_a_fast_one() -> None:
    slow = FakeIngress((T0 - 600, rates(100, 0.10, 900, 0.01)))
    result = run([LatencyComparison(slow, "web").metric()])
    assert result.phase is Phase.FAILED
    assert values(result, "latency-comparison")[0].endswith("canary 100/1000, stable 90/9000")
    assert any('le="0.5"' in query for query, _ in slow.calls)
    fast = FakeIngress((T0 - 600, rates(100, 0.01, 900, 0.01)))
    result = run([LatencyComparison(fast, "web", max_ratio=LOOSE).metric()])
    assert result.phase is Phase.SUCCESSFUL and values(result, "latency-comparison")[-1].startswith("pass")


def test_the_judge_is_itself_a_provider() -> None:
    judge = ErrorRateComparison(FakeIngress((T0 - 600, REGRESSION)), "web")
    observation = judge.measure(None, T0)
    assert observation.value["outcome"] == "fail" and observation.metadata["outcome"] == "fail"
    assert Rates() == Rates(0, 0, 0, 0)
