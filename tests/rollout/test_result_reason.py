"""`RolloutResult.reason`: the deciding metric, its last value, the condition or the judge's figures and the
limit crossed, or who aborted; in `str(result)`, the audit record and the CLI's final line."""

from __future__ import annotations

import dataclasses
import io
import json
from typing import Any

from judge_support import T0, FakeIngress, rates

from canarykit import BackgroundAnalysis, Metric, ProviderError, Rollout, RolloutPhase
from canarykit.cli.live_view import LiveView
from canarykit.judges import ErrorRateComparison
from canarykit.rollout.reason import NO_REASON_GIVEN, RolloutReason
from canarykit.rollout.remote import apply_command
from canarykit.rollout.result import RolloutResult
from canarykit.steps import Analysis, Pause, SetWeight, Step
from canarykit.testing import FakeClock, InMemoryRouter, InMemoryWorkload, ScriptedProvider

STEPS: list[Step] = [SetWeight(20), Pause("1m"), SetWeight(60)]
ARGO_MESSAGE = 'Metric "success-rate" assessed Failed due to failed (4) > failureLimit (3)'


def metric(values: list[Any], **options: Any) -> Metric:
    options.setdefault("success_condition", "result[0] > 0.90")
    return Metric(options.pop("name", "success-rate"), ScriptedProvider(values), "q", "10s", **options)


def rollout_of(steps: list[Step], analysis: BackgroundAnalysis | None = None, **options: Any) -> Rollout:
    router, workload = InMemoryRouter(), InMemoryWorkload("blue")
    return Rollout("web", steps, router, workload, analysis=analysis, clock=FakeClock(T0), **options)


def run(steps: list[Step], analysis: BackgroundAnalysis | None = None) -> RolloutResult:
    return rollout_of(steps, analysis).run("green", handle_signals=False)


def advance_until_paused(rollout: Rollout) -> None:
    clock = rollout.clock
    assert isinstance(clock, FakeClock)
    while (wake := rollout.advance()) is not None and rollout.result().phase is not RolloutPhase.PAUSED:
        clock.set(max(wake, clock.now()))


def test_a_success_condition_not_met_names_value_condition_and_limit() -> None:
    result = run(STEPS, BackgroundAnalysis([metric([[0.85]], failure_limit=3)], starting_step=1))
    assert result.message.endswith(ARGO_MESSAGE)  # Argo's message, untouched
    assert result.reason == RolloutReason(
        metric="success-rate",
        analysis="web-2",
        phase="Failed",
        value="[0.85]",
        condition='successCondition "result[0] > 0.90" not met',
        limit="failed (4) > failureLimit (3)",
    )
    why = (
        'metric "success-rate" of analysis "web-2" assessed Failed: last value [0.85]: '
        'successCondition "result[0] > 0.90" not met; failed (4) > failureLimit (3)'
    )
    assert str(result) == f"rollout 'web' (green) Degraded at step 1/3: {result.message}; why: {why}"
    record = json.loads(result.to_json())
    assert record["message"] == result.message
    assert record["reason"] == {
        "metric": "success-rate",
        "analysis": "web-2",
        "phase": "Failed",
        "value": "[0.85]",
        "condition": 'successCondition "result[0] > 0.90" not met',
        "limit": "failed (4) > failureLimit (3)",
    }


def test_a_failure_condition_that_held_decides_an_analysis_step() -> None:
    check = metric([[0.2]], count=1, success_condition=None, failure_condition="result[0] > 0.1")
    result = run([SetWeight(20), Analysis([check]), SetWeight(60)])
    reason = result.reason
    assert reason is not None
    assert (reason.analysis, reason.value) == ("web-2-1", "[0.2]")
    assert reason.condition == 'failureCondition "result[0] > 0.1" held'
    assert reason.limit == "failed (1) > failureLimit (0)"


def test_an_error_gives_the_measurement_message_and_the_error_limit() -> None:
    broken = metric([ProviderError("connection refused")], name="latency")
    result = run(STEPS, BackgroundAnalysis([broken], starting_step=0))
    reason = result.reason
    assert reason is not None and (reason.metric, reason.phase) == ("latency", "Error")
    assert (reason.error, reason.value, reason.condition) == ("connection refused", None, None)
    assert reason.limit == "consecutiveErrors (5) > consecutiveErrorLimit (4)"
    assert "last error: connection refused; consecutiveErrors (5) >" in str(reason)


def test_a_dry_run_metric_never_decides() -> None:
    dry = metric([[0.1]], name="dry", dry_run=True)
    real = metric([[0.99], [0.99], [0.5]], name="real")
    result = run(STEPS, BackgroundAnalysis([dry, real], starting_step=0))
    assert result.analyses[0].metric("dry").phase.value == "Failed"
    assert result.reason is not None and result.reason.metric == "real"


def test_a_judge_gives_both_rates_the_e_value_and_its_threshold() -> None:
    judge = ErrorRateComparison(FakeIngress((T0, rates(100, 0.04, 900, 0.005))), "web")
    result = run(STEPS, BackgroundAnalysis([judge.metric()], starting_step=1))
    reason = result.reason
    assert reason is not None and reason.judge is not None
    last = result.analyses[0].metric("error-rate-comparison").measurements[-1].metadata
    figures = reason.judge
    assert (figures.canary_rate, figures.stable_rate) == (last["canaryRate"], last["stableRate"])
    assert (figures.e_value, figures.threshold) == (last["eFail"], last["failThreshold"])
    assert float(figures.e_value) >= float(figures.threshold)
    assert float(figures.canary_rate) > float(figures.stable_rate)
    assert figures.canary == f"{last['canaryBad']}/{last['canaryRequests']}"
    assert (reason.condition, reason.value, reason.limit) == (None, None, "failed (1) > failureLimit (0)")
    assert str(reason).startswith(
        'metric "error-rate-comparison" of analysis "web-2" assessed Failed: the canary\'s rate is '
        f"credibly above the tolerance: canary rate {figures.canary_rate}"
    )
    assert result.to_dict()["reason"]["judge"]["canaryRate"] == figures.canary_rate


def test_an_inconclusive_pause_names_both_conditions() -> None:
    unsure = metric([[0.5]], count=1, failure_condition="result[0] < 0.2")
    rollout = rollout_of([SetWeight(20), Analysis([unsure]), SetWeight(60)])
    rollout.start("green")
    advance_until_paused(rollout)
    reason = rollout.result().reason
    assert reason is not None and reason.phase == "Inconclusive"
    expected = 'neither successCondition "result[0] > 0.90" nor failureCondition "result[0] < 0.2" held'
    assert (reason.condition, reason.limit) == (expected, "inconclusive (1) > inconclusiveLimit (0)")


def test_a_count_reached_without_enough_successes_in_a_row_says_so() -> None:
    flaky = metric([[0.95], [0.5], [0.95]], count=3, failure_limit=-1, consecutive_success_limit=2)
    result = run([SetWeight(20), Analysis([flaky]), SetWeight(60)])
    reason = result.reason
    assert reason is not None and (reason.phase, reason.value) == ("Failed", "[0.95]")
    assert reason.limit == "consecutiveSuccess (1) < consecutiveSuccessLimit (2) after count (3)"


def test_an_abort_by_hand_says_who_aborted() -> None:
    rollout = rollout_of(STEPS)
    rollout.start("green")
    advance_until_paused(rollout)
    rollout.abort("operator decided")
    reason = rollout.result().reason
    assert reason == RolloutReason(aborted_by="operator decided")
    assert str(reason) == "aborted: operator decided"
    assert rollout.result().to_dict()["reason"] == {"abortedBy": "operator decided"}


def test_an_abort_from_the_command_line_or_without_a_reason_says_so() -> None:
    for command, expected in (
        ({"command": "abort"}, "aborted from the command line"),
        (None, NO_REASON_GIVEN),
    ):
        rollout = rollout_of(STEPS)
        rollout.start("green")
        advance_until_paused(rollout)
        if command is None:
            rollout.abort()
        else:
            apply_command(rollout, command)
        assert rollout.result().reason == RolloutReason(aborted_by=expected)


def test_under_the_pause_policy_the_metric_decides_until_an_operator_aborts() -> None:
    analysis = BackgroundAnalysis([metric([[0.5]])], starting_step=1)
    rollout = rollout_of(STEPS, analysis, failure_policy="pause")
    rollout.start("green")
    advance_until_paused(rollout)
    paused = rollout.result()
    assert paused.message == "AnalysisFailed"
    assert paused.reason is not None and paused.reason.metric == "success-rate"
    rollout.abort("operator decided")
    assert rollout.result().reason == RolloutReason(aborted_by="operator decided")


def test_the_reason_is_found_from_the_message_when_the_events_are_gone() -> None:
    result = run(STEPS, BackgroundAnalysis([metric([[0.85]], failure_limit=3)], starting_step=1))
    resumed = dataclasses.replace(result, events=())  # a driver resumed after the abort has no events of it
    assert resumed.reason == result.reason and result.reason is not None


def test_healthy_has_no_reason() -> None:
    result = run(STEPS, BackgroundAnalysis([metric([[0.95]])], starting_step=1))
    assert result.healthy and result.reason is None
    assert result.to_dict()["reason"] is None
    assert str(result) == "rollout 'web' (green) Healthy at step 3/3"


def test_the_cli_final_line_carries_the_reason() -> None:
    result = run(STEPS, BackgroundAnalysis([metric([[0.85]], failure_limit=3)], starting_step=1))
    out = io.StringIO()
    LiveView(FakeClock(T0), out).summary(result)
    assert out.getvalue().splitlines()[-1] == f"✖ Degraded: step 1/3. {result.message}; why: {result.reason}"
