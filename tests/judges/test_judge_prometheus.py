"""The judges against a real Prometheus holding backfilled ingress-nginx counters, on a clock set in the past.

Three Ingresses over the same 30 minutes, each split 900 requests/s stable and 100/s canary: `bad` (stable
fails 0.5 % and is slow 1 %; the canary fails 4 % and is slow 10 %), `good` (the canary as stable), and
`silent` (no canary series at all).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from canarykit import AnalysisRun, Metric, Phase
from canarykit.analysis import AnalysisResult
from canarykit.judges import ErrorRateComparison, LatencyComparison, LowTraffic
from canarykit.testing import FakeClock
from canarykit.testing.prometheus import Counter, PrometheusServer, openmetrics_text

pytestmark = pytest.mark.prometheus

START = 1_700_200_000.0
END = START + 1800
NAMESPACE = "shop"
REQUESTS = "nginx_ingress_controller_requests"
DURATION = "nginx_ingress_controller_request_duration_seconds"
# ingress -> (canary error share, canary slow share); stable fails 0.5 % and is slow 1 % everywhere
HISTORY = {"bad": (0.04, 0.10), "good": (0.005, 0.01), "silent": None}

LOOSE = 1.5
"""A tolerance loose enough for a healthy canary to be cleared early (the default, 1.05, rarely does)."""


def side(ingress: str, canary: bool, rate: float, errors: float, slow: float) -> list[Counter]:
    """One side's counters: requests by status, and the duration histogram's count and 0.5 s bucket."""
    labels = {"ingress": ingress, "namespace": NAMESPACE, "service": ingress, "method": "GET"}
    if canary:
        labels["canary"] = f"{NAMESPACE}-{ingress}-canary-80"
    return [
        Counter(REQUESTS, {**labels, "status": "200"}, START, END, rate=rate * (1 - errors)),
        Counter(REQUESTS, {**labels, "status": "500"}, START, END, rate=rate * errors),
        Counter(DURATION + "_count", labels, START, END, rate=rate),
        Counter(DURATION + "_bucket", {**labels, "le": "0.5"}, START, END, rate=rate * (1 - slow)),
    ]


def history() -> list[Counter]:
    counters: list[Counter] = []
    for ingress, canary in HISTORY.items():
        counters += side(ingress, False, 900.0, 0.005, 0.01)
        if canary is not None:
            counters += side(ingress, True, 100.0, *canary)
    return counters


@pytest.fixture(scope="module")
def prometheus_url() -> Iterator[str]:
    with PrometheusServer([openmetrics_text(history())]) as server:
        yield server.url


def run(metric: Metric) -> AnalysisResult:
    """The metric on a clock five minutes into the backfilled history, until it completes (at most 20 min)."""
    return AnalysisRun([metric], clock=FakeClock(START + 300)).run("20m")


def texts(result: AnalysisResult) -> list[str]:
    return [m.value for m in result.metrics[0].measurements]


def test_a_canary_failing_4_percent_is_rolled_back_at_once(prometheus_url: str) -> None:
    result = run(ErrorRateComparison(prometheus_url, "bad", NAMESPACE).metric())
    assert result.phase is Phase.FAILED
    assert (
        result.message
        == 'Metric "error-rate-comparison" assessed Failed due to failed (1) > failureLimit (0)'
    )
    (text,) = texts(result)
    assert text.startswith("fail: e-value ") and text.endswith("canary 40/1000, stable 45/9000")


def test_a_canary_as_good_as_stable_is_cleared_early(prometheus_url: str) -> None:
    result = run(ErrorRateComparison(prometheus_url, "good", NAMESPACE, max_ratio=LOOSE).metric())
    assert result.phase is Phase.SUCCESSFUL and result.message == ""
    values = texts(result)
    assert values[-1].startswith("pass: e-value ") and 5 < len(values) < 60
    meta = result.metrics[0].measurements[-1].metadata
    assert meta["canaryRate"] == "0.005" and meta["stableRate"] == "0.005"


def test_the_namespace_filters_the_series(prometheus_url: str) -> None:
    policy = LowTraffic(min_requests=1, max_wait="30s", otherwise="fail")
    result = run(ErrorRateComparison(prometheus_url, "good", "elsewhere", low_traffic=policy).metric())
    assert result.phase is Phase.FAILED
    assert texts(result)[-1].startswith(
        "fail: e-value 1 (fails at 100), canary 0/0, stable 0/0 (low traffic: 0 < 1 canary requests"
    )


def test_a_silent_canary_pauses_after_max_wait(prometheus_url: str) -> None:
    policy = LowTraffic(min_requests=200, max_wait="1m", otherwise="pause")
    result = run(ErrorRateComparison(prometheus_url, "silent", NAMESPACE, low_traffic=policy).metric())
    assert result.phase is Phase.INCONCLUSIVE
    values = texts(result)
    assert len(values) == 7 and all(
        v.startswith("continue: e-value 1 (fails at 100), canary 0/0") for v in values[:-1]
    )
    assert values[-1].startswith("inconclusive: e-value 1 (fails at 100), canary 0/0, stable 315/63000 (low")


def test_latency_judge_on_the_duration_histogram(prometheus_url: str) -> None:
    slow = run(LatencyComparison(prometheus_url, "bad", NAMESPACE, slower_than=0.5).metric())
    assert slow.phase is Phase.FAILED
    assert texts(slow)[0].endswith("canary 100/1000, stable 90/9000")
    fast = run(
        LatencyComparison(prometheus_url, "good", NAMESPACE, slower_than=0.5, max_ratio=LOOSE).metric()
    )
    assert fast.phase is Phase.SUCCESSFUL and texts(fast)[-1].startswith("pass: e-value ")
