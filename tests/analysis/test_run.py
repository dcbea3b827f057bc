"""AnalysisRun scheduling and assessment on a fake clock (§3.4–3.6)."""

from __future__ import annotations

from typing import Any

import pytest

from canarykit import AnalysisRun, Metric, Phase, ProviderError, SpecError
from canarykit.testing import FakeClock, ScriptedProvider

T0 = 1_700_000_000.0
SUCCESS = "result[0] > 0.90"


def reference_metric(values: list[Any], **overrides: Any) -> tuple[Metric, ScriptedProvider]:
    provider = ScriptedProvider(values)
    fields: dict[str, Any] = {"interval": "10s", "failure_limit": 3, "success_condition": SUCCESS}
    fields.update(overrides)
    return Metric(fields.pop("name", "success-rate"), provider, query="q", **fields), provider


def times(run: AnalysisRun, name: str) -> list[float]:
    return [m.started_at - T0 for m in run.result().metric(name).measurements]


def test_fails_on_the_fourth_failed_measurement() -> None:
    clock = FakeClock(T0)
    metric, provider = reference_metric([[0.85]])
    run = AnalysisRun([metric], clock=clock)
    result = run.run()
    assert result.phase is Phase.FAILED
    assert result.message == 'Metric "success-rate" assessed Failed due to failed (4) > failureLimit (3)'
    assert times(run, "success-rate") == [0, 10, 20, 30]
    assert clock.now() == T0 + 30
    assert [at - T0 for _, at in provider.calls] == [0, 10, 20, 30]
    assert result.metric("success-rate").measurements[0].value == "[0.85]"


def test_failures_need_not_be_consecutive() -> None:
    metric, _ = reference_metric([[0.85], [0.95], [0.85], [0.95], [0.85], [0.95], [0.85]])
    result = AnalysisRun([metric], clock=FakeClock(T0)).run()
    assert result.phase is Phase.FAILED
    assert len(result.metric("success-rate").measurements) == 7


def test_healthy_run_is_successful_when_terminated_after_duration() -> None:
    clock = FakeClock(T0)
    metric, _ = reference_metric([[0.95]])
    run = AnalysisRun([metric], clock=clock)
    result = run.run(duration="2m")
    assert result.phase is Phase.SUCCESSFUL
    assert result.message == "Run Terminated"
    assert times(run, "success-rate") == [float(t) for t in range(0, 121, 10)]
    assert result.metric("success-rate").tally.successful == 13


def test_consecutive_errors_end_in_error_with_the_last_message() -> None:
    metric, _ = reference_metric([ProviderError("connection refused")])
    run = AnalysisRun([metric], clock=FakeClock(T0))
    result = run.run()
    assert result.phase is Phase.ERROR
    assert result.message == (
        'Metric "success-rate" assessed Error due to consecutiveErrors (5) > consecutiveErrorLimit (4): '
        '"Error Message: connection refused"'
    )
    assert times(run, "success-rate") == [0, 10, 20, 30, 40]


def test_error_retry_is_ten_seconds_whatever_the_interval() -> None:
    metric, _ = reference_metric(
        [ProviderError("down"), [0.95], [0.95]], interval="1m", count=2, failure_limit=1
    )
    run = AnalysisRun([metric], clock=FakeClock(T0))
    assert run.run().phase is Phase.SUCCESSFUL
    assert times(run, "success-rate") == [0, 10, 70]


def test_errors_do_not_count_towards_count() -> None:
    values = [ProviderError("x"), [0.95], ProviderError("y"), [0.95], [0.95]]
    metric, _ = reference_metric(values, interval="30s", count=3)
    run = AnalysisRun([metric], clock=FakeClock(T0))
    result = run.run()
    assert result.phase is Phase.SUCCESSFUL
    assert result.message == ""
    assert times(run, "success-rate") == [0, 10, 40, 50, 80]
    tally = result.metric("success-rate").tally
    assert (tally.count, tally.error, tally.consecutive_error) == (3, 2, 0)


def test_a_success_resets_consecutive_errors() -> None:
    values = [ProviderError("e")] * 4 + [[0.95]] + [ProviderError("e")] * 4 + [[0.95]]
    metric, _ = reference_metric(values, count=2, failure_limit=1)
    assert AnalysisRun([metric], clock=FakeClock(T0)).run().phase is Phase.SUCCESSFUL


def test_empty_result_is_an_error_measurement() -> None:
    metric, _ = reference_metric([[]])
    result = AnalysisRun([metric], clock=FakeClock(T0)).run()
    assert result.phase is Phase.ERROR
    assert result.message.endswith(
        '"Error Message: could not evaluate successCondition "result[0] > 0.90": metric result is nil or '
        'empty: no data returned from the metric provider"'
    )


def test_first_inconclusive_measurement_makes_the_metric_inconclusive() -> None:
    metric, _ = reference_metric([[0.7]], failure_condition="result[0] < 0.5")
    result = AnalysisRun([metric], clock=FakeClock(T0)).run()
    assert result.phase is Phase.INCONCLUSIVE
    assert (
        result.message
        == 'Metric "success-rate" assessed Inconclusive due to inconclusive (1) > inconclusiveLimit (0)'
    )


def test_metrics_run_side_by_side_and_one_failure_ends_the_run() -> None:
    fast, _ = reference_metric([[0.95]], name="fast")
    slow, _ = reference_metric([[0.5]], name="slow", interval="15s", failure_limit=1)
    run = AnalysisRun([fast, slow], clock=FakeClock(T0))
    result = run.run()
    assert result.phase is Phase.FAILED
    assert times(run, "fast") == [0, 10]
    assert times(run, "slow") == [0, 15]
    assert result.metric("fast").phase is Phase.SUCCESSFUL
    assert result.message == 'Metric "slow" assessed Failed due to failed (2) > failureLimit (1)'


def test_failed_is_worse_than_error() -> None:
    broken, _ = reference_metric([ProviderError("x")], name="broken", consecutive_error_limit=0)
    failing, _ = reference_metric([[0.1]], name="failing", failure_limit=0)
    result = AnalysisRun([broken, failing], clock=FakeClock(T0)).run()
    assert result.phase is Phase.FAILED
    assert result.message.startswith('Metric "failing" assessed Failed')


def test_metric_without_interval_measures_once() -> None:
    metric, provider = reference_metric([[0.95]], interval=None)
    result = AnalysisRun([metric], clock=FakeClock(T0)).run()
    assert result.phase is Phase.SUCCESSFUL
    assert len(provider.calls) == 1


def test_initial_delay_postpones_the_first_measurement() -> None:
    metric, _ = reference_metric([[0.95]], initial_delay="30s", count=2, failure_limit=1)
    run = AnalysisRun([metric], clock=FakeClock(T0))
    assert run.advance() == T0 + 30
    assert run.phase is Phase.RUNNING
    assert run.run().phase is Phase.SUCCESSFUL
    assert times(run, "success-rate") == [30, 40]


def test_advance_returns_the_next_due_time_without_waiting() -> None:
    clock = FakeClock(T0)
    metric, _ = reference_metric([[0.95]])
    run = AnalysisRun([metric], clock=clock)
    assert run.advance() == T0 + 10
    assert run.advance() == T0 + 10  # nothing due yet: no measurement taken
    assert len(run.result().metric("success-rate").measurements) == 1
    assert clock.sleeps == []


def test_terminate_before_any_measurement() -> None:
    metric, provider = reference_metric([[0.95]])
    run = AnalysisRun([metric], clock=FakeClock(T0))
    run.terminate()
    assert (run.phase, run.message) == (Phase.SUCCESSFUL, "Run Terminated")
    assert run.advance() is None
    assert provider.calls == []


def test_terminate_keeps_a_failure_already_reached() -> None:
    metric, _ = reference_metric([[0.5]], failure_limit=0)
    run = AnalysisRun([metric], clock=FakeClock(T0))
    run.advance()
    run.terminate()
    assert run.phase is Phase.FAILED


def test_consecutive_success_limit_succeeds_early() -> None:
    metric, _ = reference_metric([[0.5], [0.95]], failure_limit=-1, consecutive_success_limit=3)
    run = AnalysisRun([metric], clock=FakeClock(T0))
    assert run.run().phase is Phase.SUCCESSFUL
    assert times(run, "success-rate") == [0, 10, 20, 30]


def test_count_reached_without_consecutive_successes_is_inconclusive() -> None:
    metric, _ = reference_metric([[0.5], [0.95]], count=4, failure_limit=2, consecutive_success_limit=2)
    values_run = AnalysisRun([metric], clock=FakeClock(T0))
    # 0.5, 0.95, 0.95 -> two consecutive successes -> Successful before the count is reached
    assert values_run.run().phase is Phase.SUCCESSFUL
    stubborn, _ = reference_metric(
        [[0.95], [0.5], [0.95], [0.5]], count=4, failure_limit=2, consecutive_success_limit=2
    )
    assert AnalysisRun([stubborn], clock=FakeClock(T0)).run().phase is Phase.INCONCLUSIVE


def test_dry_run_metric_does_not_decide_the_run() -> None:
    dry, _ = reference_metric([[0.1]], name="dry", failure_limit=0, dry_run=True, count=1, interval=None)
    real, _ = reference_metric([[0.95]], name="real", count=2, failure_limit=1)
    result = AnalysisRun([dry, real], clock=FakeClock(T0)).run()
    assert result.phase is Phase.SUCCESSFUL
    assert result.metric("dry").phase is Phase.FAILED
    assert result.metric("dry").message == "Metric assessed Failed due to failed (1) > failureLimit (0)"


def test_listener_sees_every_measurement() -> None:
    seen: list[tuple[str, str]] = []
    metric, _ = reference_metric([[0.85]])
    AnalysisRun(
        [metric], clock=FakeClock(T0), on_measurement=lambda m, x: seen.append((m.name, x.value))
    ).run()
    assert seen == [("success-rate", "[0.85]")] * 4


def test_result_serialises_to_json() -> None:
    metric, _ = reference_metric([[0.85]])
    result = AnalysisRun([metric], clock=FakeClock(T0), name="r").run()
    record = result.to_dict()
    assert record["phase"] == "Failed"
    assert record["metricResults"][0]["failed"] == 4
    assert record["metricResults"][0]["measurements"][0]["value"] == "[0.85]"
    assert '"phase": "Failed"' in result.to_json()


@pytest.mark.parametrize(
    ("metrics", "message"),
    [
        ([], "Analysis spec invalid: no metrics specified"),
        (None, "metrics[1]: duplicate name 'success-rate'"),
    ],
)
def test_run_validation(metrics: list[Metric] | None, message: str) -> None:
    if metrics is None:
        metric, _ = reference_metric([[1.0]])
        metrics = [metric, metric]
    with pytest.raises(SpecError, match=message.replace("[", r"\[").replace("]", r"\]")):
        AnalysisRun(metrics, clock=FakeClock(T0))
