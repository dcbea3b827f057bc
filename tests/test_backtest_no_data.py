"""Backtest windows without data are neither passes nor rollbacks (issue #15), over a real Prometheus."""

from __future__ import annotations

import json
import math
from collections.abc import Iterator

import pytest
from test_backtest import END, H0, INGRESS, TEMPLATE, history

from canarykit.analysis import Metric, Phase
from canarykit.analysis.evaluate import NO_DATA_MESSAGE
from canarykit.analysis.measurement import Measurement
from canarykit.argo import AnalysisTemplate, load_analysis_template
from canarykit.backtest import BacktestTable, BacktestWindow, backtest
from canarykit.backtest_data import Content, content, is_empty
from canarykit.judges import ErrorRateComparison
from canarykit.providers import PrometheusProvider
from canarykit.testing import ScriptedProvider
from canarykit.testing.prometheus import PrometheusServer, openmetrics_text

AFTER = END + 600  # ten minutes past the history: every query is empty


@pytest.fixture(scope="module")
def prometheus_url() -> Iterator[str]:
    with PrometheusServer([openmetrics_text(history())]) as server:
        yield server.url


@pytest.fixture(scope="module")
def template() -> AnalysisTemplate:
    return load_analysis_template(TEMPLATE)


def test_short_windows_without_data_are_not_passes(prometheus_url: str, template: AnalysisTemplate) -> None:
    """30 s windows take 4 Error measurements, one short of consecutiveErrorLimit: the run is terminated
    Successful, and used to count as a pass."""
    table = backtest(template, AFTER, AFTER + 120, 60, 30, {"ingress": INGRESS}, prometheus_url)
    assert [(row.phase, row.message, row.measurements) for row in table.windows] == [
        (Phase.SUCCESSFUL, "Run Terminated", 4)
    ] * 2
    assert [row.counted_as for row in table.windows] == ["no data", "no data"]
    assert table.passed == () and table.rolled_back == () and len(table.no_data) == 2


def test_long_windows_without_data_are_not_rollbacks(prometheus_url: str, template: AnalysisTemplate) -> None:
    table = backtest(template, AFTER, AFTER + 1200, 600, 600, {"ingress": INGRESS}, prometheus_url)
    assert [row.phase for row in table.windows] == [Phase.ERROR, Phase.ERROR]
    assert [row.rolled_back for row in table.windows] == [False, False]
    assert table.failed_share is None


def test_no_data_windows_are_left_out_of_the_share(prometheus_url: str, template: AnalysisTemplate) -> None:
    """Two healthy windows, then one past the history: 0 of 2 with data, and one apart."""
    table = backtest(template, END - 1800, END + 1200, 1200, 600, {"ingress": INGRESS}, prometheus_url)
    assert [row.counted_as for row in table.windows] == ["pass", "pass", "no data"]
    assert table.failed_share == 0.0
    assert (
        table.summary()
        == "0 of 2 windows with data would have rolled back (0.0 %); 1 without data (not counted)"
    )
    record = json.loads(table.to_json())
    assert (record["passed"], record["rolledBack"], record["noData"]) == (2, 0, 1)
    assert [row["countedAs"] for row in record["windows"]] == ["pass", "pass", "no data"]


def test_a_window_whose_data_stops_keeps_its_phase(prometheus_url: str, template: AnalysisTemplate) -> None:
    """The history ends 60 s into this window: data, then empty results until consecutiveErrorLimit. Argo
    would abort that rollout, so it counts as a rollback, not as no data."""
    table = backtest(template, END - 60, END + 540, 600, 600, {"ingress": INGRESS}, prometheus_url)
    (row,) = table.windows
    assert row.phase is Phase.ERROR and not row.no_data and row.rolled_back


def test_an_unreachable_prometheus_is_an_error_not_a_quiet_period(template: AnalysisTemplate) -> None:
    table = backtest(template, H0, H0 + 60, 60, 60, {"ingress": INGRESS}, "http://127.0.0.1:9")
    (row,) = table.windows
    assert row.phase is Phase.ERROR and row.counted_as == "rollback"
    assert "connection refused" in row.message


def test_a_judge_without_canary_requests_holds_no_data(prometheus_url: str) -> None:
    """`shop` has no canary: the judge says continue (Successful) on zero canary requests; that is no data."""
    judge = ErrorRateComparison(prometheus_url, INGRESS)
    table = backtest(lambda: [judge.metric()], H0, H0 + 1200, 600, 600)
    assert [(row.phase, row.counted_as) for row in table.windows] == [(Phase.SUCCESSFUL, "no data")] * 2


def test_a_nan_ratio_is_no_data(prometheus_url: str) -> None:
    """0/0 (no requests in the ratio) is [NaN] from Prometheus, not an empty vector."""
    nan = Metric(
        "ratio",
        PrometheusProvider(prometheus_url),
        query="vector(0) / vector(0)",
        interval="10s",
        success_condition="result[0] > 0.9",
        failure_limit=3,
    )
    table = backtest(lambda: [nan], H0, H0 + 600, 600, 600)
    (row,) = table.windows
    assert row.phase is Phase.FAILED and row.no_data and not row.rolled_back


def test_dry_run_data_does_not_make_a_window_judged() -> None:
    def metrics() -> list[Metric]:
        quiet = Metric("quiet", ScriptedProvider([[]]), interval="10s", success_condition="len(result) == 0")
        loud = Metric("loud", ScriptedProvider([[1.0]]), interval="10s", dry_run=True)
        return [quiet, loud]

    table = backtest(metrics, 0, 60, 60, 60)
    assert [(row.phase, row.counted_as) for row in table.windows] == [(Phase.SUCCESSFUL, "no data")]


def test_a_window_without_any_measurement_holds_no_data() -> None:
    def metrics() -> list[Metric]:
        return [Metric("late", ScriptedProvider([[1.0]]), initial_delay="5m", success_condition="true")]

    table = backtest(metrics, 0, 60, 60, 60)
    assert [(row.measurements, row.counted_as) for row in table.windows] == [(0, "no data")]


@pytest.mark.parametrize(
    ("result", "empty"),
    [
        ([], True),
        ((), True),
        ([math.nan], True),
        ([math.nan, math.nan], True),
        (math.nan, True),
        ([math.nan, 0.5], False),
        ([0.0], False),
        (0.0, False),
        ("", False),
        ({"outcome": "continue", "canaryRequests": 0.0}, True),
        ({"outcome": "continue", "canaryRequests": 12.0}, False),
        ({"canaryRequests": 0}, False),  # a web provider's JSON, not a judge's answer
    ],
)
def test_empty_results(result: object, empty: bool) -> None:
    assert is_empty(result) is empty


def test_a_measurement_without_result_is_a_fault_unless_the_provider_said_nil() -> None:
    faulty = ScriptedProvider([RuntimeError("dial tcp: connection refused")])
    nil = ScriptedProvider([None])
    table = backtest(lambda: [Metric("m", faulty, count=1)], 0, 60, 60, 60)
    nil_table = backtest(
        lambda: [Metric("m", nil, count=1, success_condition="result[0] > 1")], 0, 60, 60, 60
    )
    assert [row.counted_as for row in table.windows] == ["rollback"]
    assert [row.counted_as for row in nil_table.windows] == ["no data"]


def test_measurement_contents() -> None:
    fault = Measurement(Phase.ERROR, 0.0, 0.0, message="dial tcp: connection refused")
    nil = Measurement(
        Phase.ERROR, 0.0, 0.0, message=f'could not evaluate successCondition "x": {NO_DATA_MESSAGE}'
    )
    assert [content(m) for m in (fault, nil)] == [Content.FAULT, Content.EMPTY]
    assert content(Measurement(Phase.SUCCESSFUL, 0.0, 0.0, result=None)) is Content.EMPTY
    assert content(Measurement(Phase.FAILED, 0.0, 0.0, result=[0.5])) is Content.DATA


def test_a_table_of_windows_without_data_only() -> None:
    rows = (BacktestWindow(H0, H0 + 600, Phase.ERROR, "no data", 5, no_data=True),)
    table = BacktestTable(rows, every=600, window=600)
    assert table.to_text().splitlines()[1:] == [
        "2023-11-14T22:00:00Z  2023-11-14T22:10:00Z  Error  no data                5  no data",
        "no data in any of the 1 windows: nothing to judge",
    ]
    assert json.loads(table.to_json())["failedShare"] is None
