"""Argo's `rangeQuery` against a real Prometheus with the reference history; `now()` is the analysis clock."""

from __future__ import annotations

import pytest
from reference_history import ReferencePrometheus

from canarykit.analysis import Phase
from canarykit.argo import load_analysis_template
from canarykit.errors import ProviderError
from canarykit.providers import PrometheusProvider
from canarykit.providers.range_query import RangeQuery
from canarykit.testing import FakeClock

pytestmark = pytest.mark.prometheus

TEMPLATE = """\
apiVersion: argoproj.io/v1alpha1
kind: AnalysisTemplate
metadata:
  name: range-query-example
spec:
  args:
    - name: lookback-duration
      value: 10m
  metrics:
    - name: success-rate
      interval: 5m
      count: 2
      successCondition: "all(result, # >= 0.95)"
      provider:
        prometheus:
          rangeQuery:
            start: 'now() - duration("{{args.lookback-duration}}")'
            end: 'now()'
            step: 1m
          address: http://prometheus.invalid:9090
          query: |
            sum(rate(nginx_ingress_controller_requests{ingress="canary-demo",status!~"[4-5].*"}[60s]))
            /sum(rate(nginx_ingress_controller_requests{ingress="canary-demo"}[60s]))
"""


def test_the_window_ends_at_the_measurement_and_the_matrix_is_flattened(
    prometheus: ReferencePrometheus,
) -> None:
    window = RangeQuery('now() - duration("10m")', "now()", "1m")
    provider = PrometheusProvider(prometheus.url, range_query=window)
    observation = provider.measure(prometheus.success_rate_query, prometheus.healthy_start + 1200)
    assert observation.value == [0.95] * 11  # 10 minutes at one point a minute, both ends included
    assert observation.text == "[" + ",".join(["0.95"] * 11) + "]"
    assert observation.metadata == {"ResolvedPrometheusQuery": prometheus.success_rate_query}


def test_a_window_across_the_switch_sees_both_rates(prometheus: ReferencePrometheus) -> None:
    window = RangeQuery('now() - duration("2m")', 'now() + duration("2m")', "1m")
    provider = PrometheusProvider(prometheus.url, range_query=window)
    switch = prometheus.healthy_start + prometheus.window_seconds
    observation = provider.measure(prometheus.success_rate_query, prometheus.failing_start + 600)
    assert observation.value == [0.8] * 5
    late_healthy = provider.measure(prometheus.success_rate_query, switch - 300)
    assert late_healthy.value == [0.95] * 5


def test_series_by_series_as_argo_flattens_a_matrix(prometheus: ReferencePrometheus) -> None:
    window = RangeQuery("now() - duration('20s')", "now()", "10s")
    provider = PrometheusProvider(prometheus.url, range_query=window)
    query = 'nginx_ingress_controller_requests{status=~"200|503"}'
    observation = provider.measure(query, prometheus.healthy_start + 100)
    ok = [19.0 * t for t in (80, 90, 100)]
    unavailable = [1.0 * t for t in (80, 90, 100)]
    assert observation.value == ok + unavailable  # status="200" then status="503": Prometheus's label order


def test_prometheus_refusing_the_window_is_its_own_error(prometheus: ReferencePrometheus) -> None:
    backwards = PrometheusProvider(
        prometheus.url, range_query=RangeQuery("now()", 'now() - duration("1m")', "1m")
    )
    with pytest.raises(ProviderError) as caught:
        backwards.measure("up", prometheus.healthy_start)
    assert str(caught.value).startswith("bad_data: ")
    assert "end timestamp must not be before start time" in str(caught.value)


def test_an_argo_template_replays_history_on_the_analysis_clock(prometheus: ReferencePrometheus) -> None:
    template = load_analysis_template(TEMPLATE)
    clock = FakeClock(prometheus.healthy_start + 900)
    healthy = template.instantiate(prometheus=prometheus.url, clock=clock).run()
    assert healthy.phase is Phase.SUCCESSFUL
    clock.set(prometheus.failing_start + 900)
    failing = template.instantiate(prometheus=prometheus.url, clock=clock).run()
    assert failing.phase is Phase.FAILED
    assert failing.metrics[0].measurements[0].value == "[" + ",".join(["0.8"] * 11) + "]"


def test_a_provider_given_for_the_templates_prometheus_keeps_its_range_query(
    prometheus: ReferencePrometheus,
) -> None:
    template = load_analysis_template(TEMPLATE)
    given = PrometheusProvider(prometheus.url, timeout=5)
    [metric] = template.metrics(prometheus=given)
    assert isinstance(metric.provider, PrometheusProvider) and metric.provider.range_query is not None
    assert given.range_query is None  # the caller's provider is left as it was
    observation = metric.provider.measure(metric.query, prometheus.healthy_start + 900)
    assert observation.value == [0.95] * 11
