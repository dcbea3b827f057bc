"""The judges' generated PromQL, their options' validation, and the public names."""

from __future__ import annotations

import pytest
from judge_support import FakeIngress

import canarykit.judges
from canarykit import SpecError
from canarykit.judges import ErrorRateComparison, LatencyComparison, LowTraffic
from canarykit.judges.queries import error_queries, latency_queries, window


def test_error_queries_split_canary_and_stable_under_the_stable_ingress() -> None:
    queries = error_queries("canary-demo", "shop", "5..")
    assert queries.canary_requests.over(60) == (
        'sum(increase(nginx_ingress_controller_requests{ingress="canary-demo",namespace="shop",'
        'canary!=""}[60s]))'
    )
    assert queries.canary_marked.over(60) == (
        'sum(increase(nginx_ingress_controller_requests{ingress="canary-demo",namespace="shop",'
        'status=~"5..",canary!=""}[60s]))'
    )
    assert queries.stable_requests.over(60).endswith(
        '{ingress="canary-demo",namespace="shop",canary=""}[60s]))'
    )
    assert 'status=~"5..",canary=""}' in queries.stable_marked.over(60)


def test_namespace_is_optional_and_values_are_quoted() -> None:
    queries = error_queries('we"ird', None, "5..|429")
    assert queries.canary_marked.over(10) == (
        'sum(increase(nginx_ingress_controller_requests{ingress="we\\"ird",status=~"5..|429",canary!=""}[10s]))'
    )


def test_latency_queries_subtract_the_bucket_from_the_count() -> None:
    queries = latency_queries("web", None, 1.0)
    assert queries.marked_good
    assert queries.canary_requests.over(30) == (
        'sum(increase(nginx_ingress_controller_request_duration_seconds_count{ingress="web",canary!=""}[30s]))'
    )
    assert queries.stable_marked.over(30) == (
        "sum(increase(nginx_ingress_controller_request_duration_seconds_bucket"
        '{ingress="web",le="1",canary=""}[30s]))'
    )


def test_windows_are_whole_seconds_or_milliseconds() -> None:
    assert [window(s) for s in (10, 90.0, 1.5, 0.0001)] == ["10s", "90s", "1500ms", "1ms"]


def test_metric_query_describes_the_canary_series() -> None:
    metric = ErrorRateComparison(FakeIngress(), "web").metric()
    assert metric.name == "error-rate-comparison"
    assert metric.query is not None and "[$window]" in metric.query and 'status=~"5.."' in metric.query
    assert (metric.interval, metric.failure_limit, metric.inconclusive_limit) == (10.0, 0, 0)


def test_a_url_becomes_a_prometheus_provider() -> None:
    judge = ErrorRateComparison("http://prometheus:9090", "web")
    assert type(judge.provider).__name__ == "PrometheusProvider"


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: ErrorRateComparison(FakeIngress(), "web", max_ratio=1.0), "max_ratio must be above 1"),
        (lambda: ErrorRateComparison(FakeIngress(), "web", alpha=0), "alpha must be between 0 and 1"),
        (lambda: ErrorRateComparison(FakeIngress(), ""), "ingress must name the stable Ingress"),
        (lambda: ErrorRateComparison(FakeIngress(), "web", error_status=""), "error_status must be"),
        (lambda: ErrorRateComparison(object(), "web"), "prometheus must be a URL or a provider"),  # type: ignore[arg-type]
        (lambda: LatencyComparison(FakeIngress(), "web", slower_than=0.3), "not a histogram bucket bound"),
        (lambda: LatencyComparison(FakeIngress(), "web", slower_than=-1), "positive number of seconds"),
        (lambda: LowTraffic(min_requests=0), "min_requests must be >= 1"),
        (lambda: LowTraffic(otherwise="skip"), "otherwise must be one of"),  # type: ignore[arg-type]
        (lambda: LowTraffic(max_wait="ten"), "invalid duration"),
        (lambda: ErrorRateComparison(FakeIngress(), "web").metric(interval=0), "interval must be > 0"),
        (
            lambda: ErrorRateComparison(FakeIngress(), "web").metric(settle_after_requests=True),
            "settle_after_requests needs a LowTraffic policy",
        ),
    ],
)
def test_bad_options_are_refused_when_built(build: object, message: str) -> None:
    with pytest.raises(SpecError, match=message):
        build()  # type: ignore[operator]


def test_custom_buckets_allow_other_bounds() -> None:
    judge = LatencyComparison(FakeIngress(), "web", slower_than=0.3, buckets=(0.1, 0.3, 1.0))
    assert 'le="0.3"' in judge.queries.canary_marked.over(10)


def test_public_names_are_sorted() -> None:
    names = canarykit.judges.__all__
    assert names == sorted(names)
    for name in ("ErrorRateComparison", "LatencyComparison", "LowTraffic", "SequentialSplitTest"):
        assert name in names
    for name in ("SplitCounts", "Decision", "Verdict"):
        assert hasattr(canarykit.judges, name)
