"""The reference AnalysisTemplate against a real Prometheus holding backfilled history: three windows."""

from __future__ import annotations

from pathlib import Path

from reference_history import ReferencePrometheus

from canarykit import AnalysisResult, Phase
from canarykit.argo import load_analysis_template
from canarykit.testing import FakeClock

TEMPLATE = Path(__file__).parent.parent / "data" / "analysis-template.yaml"


def run_reference(
    prometheus: ReferencePrometheus, start: float, duration: str | None = None
) -> tuple[AnalysisResult, FakeClock]:
    clock = FakeClock(start)
    template = load_analysis_template(TEMPLATE)
    run = template.instantiate({"ingress": "canary-demo"}, prometheus=prometheus.url, clock=clock)
    return run.run(duration), clock


def test_healthy_window_is_successful_when_terminated(prometheus: ReferencePrometheus) -> None:
    start = prometheus.healthy_start + 300
    result, clock = run_reference(prometheus, start, "2m")
    assert result.phase is Phase.SUCCESSFUL
    assert result.message == "Run Terminated"
    measurements = result.metric("success-rate").measurements
    assert [m.value for m in measurements] == ["[0.95]"] * 13
    assert all(m.phase is Phase.SUCCESSFUL for m in measurements)
    assert clock.now() == start + 120


def test_window_with_20_percent_5xx_fails_on_the_fourth_measurement(prometheus: ReferencePrometheus) -> None:
    start = prometheus.failing_start + 300
    result, clock = run_reference(prometheus, start)
    assert result.phase is Phase.FAILED
    assert result.message == 'Metric "success-rate" assessed Failed due to failed (4) > failureLimit (3)'
    measurements = result.metric("success-rate").measurements
    assert [m.value for m in measurements] == ["[0.8]"] * 4
    assert clock.now() == start + 30


def test_window_without_traffic_errors_after_five_consecutive_errors(prometheus: ReferencePrometheus) -> None:
    start = prometheus.no_traffic_start + 300
    result, clock = run_reference(prometheus, start)
    assert result.phase is Phase.ERROR
    assert result.message == (
        'Metric "success-rate" assessed Error due to consecutiveErrors (5) > consecutiveErrorLimit (4): '
        '"Error Message: could not evaluate successCondition "result[0] > 0.90": metric result is nil or '
        'empty: no data returned from the metric provider"'
    )
    measurements = result.metric("success-rate").measurements
    assert [m.value for m in measurements] == ["[]"] * 5
    assert clock.now() == start + 40


def test_prometheus_down_gives_error_measurements_not_a_crash() -> None:
    template = load_analysis_template(TEMPLATE)
    run = template.instantiate(
        {"ingress": "canary-demo"}, prometheus="http://127.0.0.1:9", clock=FakeClock(0)
    )
    result = run.run()
    assert result.phase is Phase.ERROR
    assert "consecutiveErrors (5) > consecutiveErrorLimit (4)" in result.message
    assert all(m.phase is Phase.ERROR and m.message for m in result.metric("success-rate").measurements)
