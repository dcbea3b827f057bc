"""`canarykit plan` with judges configured in Python (a preset, a plan with an inline judge)."""

from __future__ import annotations

import pytest

from canarykit.analysis import Metric
from canarykit.cli import plan_analysis, plan_detection
from canarykit.cli.main import EXIT_OK, EXIT_USAGE, main
from canarykit.cli.plan import holds
from canarykit.judges import ErrorRateComparison, LowTraffic
from canarykit.rollout.analyses import BackgroundAnalysis
from canarykit.steps import Analysis, Pause, SetWeight
from canarykit.testing import ScriptedProvider

UNUSED = "http://127.0.0.1:9"  # planning reads the judges' settings and never queries


def test_the_preset_models_each_judge_with_its_settings(capsys: pytest.CaptureFixture[str]) -> None:
    model = ["--traffic", "100", "--baseline-error", "0.5%", "--detect", "2"]
    assert main(["plan", "--preset", "nginx-canary", *model]) == EXIT_OK
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == (
        "Preset nginx-canary: 8 steps, background analysis error-rate-comparison, latency-comparison, "
        "canary-error-ceiling from step 1 (startingStep 0)"
    )
    start = lines.index("total: 8m, then the canary is promoted to 100%") + 2
    assert lines[start].startswith(
        "canary-error-ceiling (PrometheusProvider, background from step 1): a threshold"
    )
    assert lines[start + 1 : start + 8] == [
        "judge error-rate-comparison (ErrorRateComparison, background from step 1): max ratio 1.05, "
        "alpha 1%, beta 1%, min bad 3, every 10s, low traffic: 200 canary requests within 10m, else pause",
        "  #  holds     weight  catch 2x  clear healthy",
        "  2  pause 2m  10%     7m8s      never",
        "  4  pause 2m  25%     3m34s     never",
        "  6  pause 2m  50%     2m50s     never",
        "  8  pause 2m  75%     3m59s     never",
        "  whole run (from step 1 on, evidence adds up): catch 2x after about 4m27s, clear healthy not "
        "within the plan",
    ]
    latency = next(line for line in lines if line.startswith("judge latency-comparison"))
    assert latency.endswith(
        "its bad events are requests slower than 0.5s: --baseline-error is read as stable's share of them"
    )


def test_the_preset_or_a_file_not_both(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["plan", "--preset", "nginx-canary", "-f", "rollout.yaml"]) == EXIT_USAGE
    assert "plan needs either -f FILE (repeatable) or --preset nginx-canary" in capsys.readouterr().err


def python_plan() -> list[str]:
    """5 % for 10 m before anything judges; an inline gate at 20 %; background from step 5 at 50 %."""
    policy = LowTraffic(min_requests=600, max_wait="5m")
    errors = ErrorRateComparison(UNUSED, "shop", max_ratio=1.5, low_traffic=policy)
    gate = errors.metric("gate", settle_after_requests=True)
    steps = (SetWeight(5), Pause("10m"), SetWeight(20), Analysis([gate]), SetWeight(50), Pause("5m"))
    ceiling = Metric("ceiling", ScriptedProvider([1.0]), interval="10s")
    background = BackgroundAnalysis([errors.template(), ceiling], starting_step=4)
    analyses = plan_analysis.of_python(steps, background)
    model = plan_detection.TrafficModel(10, 0.01, 3)
    return plan_detection.render(holds(steps), analyses, model)


def test_an_inline_judge_holds_its_step_and_settles_on_enough_requests() -> None:
    lines = python_plan()
    start = lines.index(next(line for line in lines if line.startswith("judge gate")))
    assert lines[start:] == [
        "judge gate (ErrorRateComparison, inline at step 4): max ratio 1.5, alpha 1%, beta 1%, min bad 3, "
        "every 10s, low traffic: 600 canary requests within 5m, else pause, settles once min_requests are "
        "judged",
        "  #  holds          weight  catch 3x  clear healthy",
        "  4  analysis gate  20%     13m8s     5m",  # 600 requests at 2 req/s: 5m, then settled
        "  whole run (the step lasts until it decides, evidence adds up): catch 3x after about 13m8s, clear "
        "healthy after about 5m",
    ]


def test_a_background_judge_gets_no_row_before_its_starting_step() -> None:
    lines = python_plan()
    assert lines[1].startswith("ceiling (ScriptedProvider, background from step 5): a threshold metric")
    block = lines[lines.index(next(line for line in lines if line.startswith("judge error-rate"))) :]
    assert block[1:4] == [
        "  #  holds     weight  catch 3x  clear healthy",
        "  6  pause 5m  50%     10m11s    52m21s",  # step 2 (5 % for 10m) is before startingStep 4
        "  whole run (from step 5 on, evidence adds up): catch 3x not within the plan, clear healthy not "
        "within the plan",
    ]


def test_low_traffic_past_max_wait_is_named() -> None:
    """At 1 req/s and 5 %, 200 canary requests take 4000 s: the policy pauses the rollout at 10 m."""
    errors = ErrorRateComparison(UNUSED, "shop", low_traffic=LowTraffic())
    steps = (SetWeight(5), Pause("1h"))
    analyses = plan_analysis.of_python(steps, BackgroundAnalysis([errors.template()]))
    lines = plan_detection.render(holds(steps), analyses, plan_detection.TrafficModel(1, 0.01, 10))
    assert lines[-2] == "  2  pause 1h  5%      never      never"
    assert lines[-1] == (
        "  whole run (from step 1 on, evidence adds up): catch 10x not within the plan, clear healthy not "
        "within the plan; low traffic: fewer than 200 canary requests after 10m: pause"
    )
