"""`RangeQuery`: Argo's rangeQuery cases (prometheus_test.go, evaluate_test.go EvalTime) and its API form."""

from __future__ import annotations

import json
from typing import Any

import pytest
from scripted_http import ScriptedHandler, ScriptedServer

from canarykit.analysis import Metric, Phase
from canarykit.analysis.take import take_measurement
from canarykit.argo import load_analysis_template
from canarykit.errors import SpecError
from canarykit.providers import PrometheusProvider
from canarykit.providers.range_query import RangeQuery
from canarykit.providers.time_expr import TimeExpression
from canarykit.providers.time_expr_syntax import TimeExprError
from canarykit.testing import FakeClock

AUGUST_14 = 'date("2023-08-14 00:00:00", "2006-01-02 15:04:05", "UTC")'
MATRIX = {
    "status": "success",
    "data": {
        "resultType": "matrix",
        "result": [
            {"metric": {}, "values": [[1.234, "11"], [1.234, "12"]]},
            {"metric": {}, "values": [[1.234, "13"], [1.234, "14"]]},
        ],
    },
}


def test_eval_time_with_success_expr() -> None:
    assert TimeExpression(f'{AUGUST_14} - duration("1h")').evaluate(0) == 1_691_967_600 * 10**9


@pytest.mark.parametrize(
    ("source", "message"),
    [("hello", "unknown name hello"), ("now() -- ?", 'unexpected token Operator("?")')],
    ids=["TestEvalTimeWithNotTimeResult", "TestEvalTimeWithInvalidExpression"],
)
def test_eval_time_errors(source: str, message: str) -> None:
    with pytest.raises(TimeExprError) as caught:
        TimeExpression(source).evaluate(0)
    assert str(caught.value) == message


def test_run_successfully_with_range_query() -> None:
    def respond(handler: ScriptedHandler) -> None:
        handler.send_all(json.dumps(MATRIX).encode())

    with ScriptedServer(respond) as server:
        window = RangeQuery(f'{AUGUST_14} - duration("1h")', AUGUST_14, "1m")
        metric = Metric(
            "foo",
            PrometheusProvider(server.url, range_query=window),
            query="test",
            success_condition="all(result, # > 10)",
            failure_condition="all(result, # < 10)",
        )
        measurement = take_measurement(metric, FakeClock())
    assert (measurement.phase, measurement.value) == (Phase.SUCCESSFUL, "[11,12,13,14]")
    assert server.requests[0]["path"] == "/api/v1/query_range"
    assert server.requests[0]["body"] == "end=1691971200&query=test&start=1691967600&step=60"


@pytest.mark.parametrize(
    ("start", "end", "step", "message"),
    [
        (
            'now() - duration("??")',
            AUGUST_14,
            "1m",
            'failed to parse rangeQuery.start as time: time: invalid duration "??"',
        ),
        (
            AUGUST_14,
            'now() - duration("??")',
            "1m",
            'failed to parse rangeQuery.end as time: time: invalid duration "??"',
        ),
        (
            AUGUST_14,
            AUGUST_14,
            "??",
            'failed to parse rangeQuery.step as duration: time: invalid duration "??"',
        ),
        ("", "now()", "1m", "failed to parse rangeQuery.start as time: unexpected token EOF"),
        ("now()", "now()", "", 'failed to parse rangeQuery.step as duration: time: invalid duration ""'),
        (
            "now()",
            'duration("1m")',
            "1m",
            "failed to parse rangeQuery.end as time: expected time.Time, but got time.Duration",
        ),
        ("now()", "now()", "0s", "rangeQuery.step must be positive (Prometheus refuses it), got '0s'"),
        ("now()", "now()", "-1m", "rangeQuery.step must be positive (Prometheus refuses it), got '-1m'"),
    ],
    ids=[
        "TestRunUnparsableStartTime",
        "TestRunUnparsableEndTime",
        "TestRunUnparsableStep",
        "empty-start",
        "empty-step",
        "not-a-time",
        "zero-step",
        "negative-step",
    ],
)
def test_bad_range_queries_are_refused_when_built_with_argos_message(
    start: str, end: str, step: str, message: str
) -> None:
    with pytest.raises(SpecError) as caught:  # Argo records these as an Error at each measurement
        RangeQuery(start, end, step)
    assert str(caught.value) == message


@pytest.mark.parametrize(
    ("start", "end", "step", "at", "form"),
    [
        ('now() - duration("5m")', "now()", "1m", 1_700_000_900.25, ("1700000600.25", "1700000900.25", "60")),
        ("now() - duration('90s')", "now()", "1.5s", 1_700_000_000, ("1699999910", "1700000000", "1.5")),
        (
            "now().Truncate(duration('1h'))",
            "now()",
            "1ms",
            1_700_000_900.5,
            ("1699999200", "1700000900.5", "0.001"),
        ),
        (AUGUST_14, "now()", "1h30m", 0, ("1691971200", "0", "5400")),
    ],
)
def test_the_form_is_what_client_golang_sends(
    start: str, end: str, step: str, at: float, form: tuple[str, str, str]
) -> None:
    assert RangeQuery(start, end, step).form(at) == dict(zip(("start", "end", "step"), form, strict=True))


TEMPLATE = """\
apiVersion: argoproj.io/v1alpha1
kind: AnalysisTemplate
metadata: {name: range-query-example}
spec:
  args:
    - name: lookback-duration
      value: 5m
  metrics:
    - name: success-rate
      successCondition: "all(result, # < 1000)"
      provider:
        prometheus:
          rangeQuery:
            start: 'now() - duration("{{args.lookback-duration}}")'
            end: 'now()'
            step: STEP
          address: http://prometheus.example.com:9090
          query: http_latency_ms
"""


def test_argos_documented_example_loads_and_builds() -> None:
    [metric] = load_analysis_template(TEMPLATE.replace("STEP", "1m")).metrics()
    range_query: Any = getattr(metric.provider, "range_query", None)
    assert range_query is not None
    assert range_query.form(600) == {"start": "300", "end": "600", "step": "60"}


def test_a_bad_argument_is_refused_when_the_metric_is_built() -> None:
    template = load_analysis_template(TEMPLATE.replace("STEP", "1m"))
    with pytest.raises(SpecError, match=r'failed to parse rangeQuery\.start as time: time: unknown unit "x"'):
        template.metrics({"lookback-duration": "5x"})


def test_a_bad_literal_step_is_refused_at_load_at_its_path() -> None:
    with pytest.raises(SpecError) as caught:
        load_analysis_template(TEMPLATE.replace("STEP", "'??'").replace("{{args.lookback-duration}}", "5m"))
    assert str(caught.value).endswith(
        "spec.metrics[0].provider.prometheus.rangeQuery: failed to parse rangeQuery.step as duration: "
        'time: invalid duration "??"'
    )
