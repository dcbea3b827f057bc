"""`canarykit plan`: a judge built with `history=` is modelled by the history-informed test (`--history`)."""

from __future__ import annotations

import random

from canarykit.cli import plan_analysis, plan_detection, plan_gated
from canarykit.cli.plan_detection import TrafficModel
from canarykit.cli.plan_gated_model import fresh_test
from canarykit.cli.plan_steps import holds
from canarykit.judges import ErrorRateComparison, LatencyComparison
from canarykit.judges.history import HistoryInformedTest
from canarykit.judges.simulation import Traffic
from canarykit.rollout.analyses import BackgroundAnalysis
from canarykit.steps import Gate, Pause, SetWeight

UNUSED = "http://127.0.0.1:9"  # planning reads the judges' settings and never queries
STEPS = (SetWeight(20), Gate("2m"), SetWeight(50), Gate("2m"))
MODELS = [TrafficModel(100, 0.005, 2.0)]


def lines(asked: float = 0.0, history: str | None = None, runs: int = 200) -> list[str]:
    """The gated plan of one error-rate judge (built with `history`), modelled with `--history` = `asked`."""
    errors = ErrorRateComparison(UNUSED, "shop", history=history, pass_ratio=1.0, fail_ratio=2.0)
    analyses = plan_analysis.of_python(STEPS, BackgroundAnalysis([errors.template()]))
    return plan_gated.render(STEPS, analyses, MODELS, history=asked, runs=runs)


def test_a_judge_with_history_is_planned_as_with_the_history_flag() -> None:
    own, flagged, without = lines(history="1h"), lines(3600.0), lines()
    assert but_settings(own) == but_settings(flagged)  # the same seeded runs: no --history needed
    assert own[1].endswith(", every 10s, stable's history over the 1h before the canary")
    assert own != without
    assert own[0].endswith("; judged with stable's history over the 1h before the canary")
    assert "history" not in without[0]
    own_row, without_row = row(own), row(without)
    assert cleared(own_row) > cleared(without_row)  # measured: 82 % against 66 % (200 runs, seed 17)


def row(lines: list[str]) -> list[str]:
    """The cells of the table's 100 req/s row."""
    line = next(line for line in lines if line.strip().startswith("100 "))
    return [cell.strip() for cell in line.split("  ") if cell.strip()]


def cleared(cells: list[str]) -> float:
    return float(cells[2].rstrip("%"))


def test_the_history_flag_overrides_a_judges_own_history() -> None:
    flagged = but_settings(lines(7200.0, "1h", runs=50))
    assert flagged == but_settings(lines(7200.0, runs=50)) != but_settings(lines(history="1h", runs=50))


def but_settings(lines: list[str]) -> list[str]:
    """A gated plan's lines without the judge's settings (which name the judge's own history)."""
    return [lines[0], *lines[2:]]


def test_judges_with_different_histories_are_each_named_in_the_header() -> None:
    errors = ErrorRateComparison(UNUSED, "shop", history="1h", pass_ratio=1.0, fail_ratio=2.0)
    latency = LatencyComparison(UNUSED, "shop", pass_ratio=1.0, fail_ratio=2.0)
    background = BackgroundAnalysis([errors.template(), latency.template()])
    analyses = plan_analysis.of_python(STEPS, background)
    header = plan_gated.render(STEPS, analyses, MODELS, runs=20)[0]
    assert header.endswith(
        "; judged with stable's history before the canary: "
        "error-rate-comparison over the 1h, latency-comparison without"
    )


def test_the_judge_metric_carries_the_history_in_seconds() -> None:
    judge = ErrorRateComparison(UNUSED, "shop", history="90m")
    (analysis,) = plan_analysis.of_python(STEPS, BackgroundAnalysis([judge.template()]))
    assert analysis.judges[0].history == 5400.0


def test_the_simulated_history_informed_test_keeps_every_setting_of_the_judge() -> None:
    judge = ErrorRateComparison(
        UNUSED,
        "shop",
        alpha=0.02,
        beta=0.1,
        min_errors=5,
        min_difference=0.001,
        pass_ratio=1.0,
        fail_ratio=2.0,
    )
    (analysis,) = plan_analysis.of_python(STEPS, BackgroundAnalysis([judge.template()]))
    test = fresh_test(analysis.judges[0].test, Traffic(10, 0.005, 1.0, 10.0), random.Random(1), 3600.0)
    assert isinstance(test, HistoryInformedTest)
    settings = (test.alpha, test.beta, test.min_bad, test.min_difference)
    assert settings == (0.02, 0.1, 5, 0.001)
    assert (test.split.pass_ratio, test.split.fail_ratio) == (1.0, 2.0)


def test_a_plan_with_fixed_pauses_names_the_judges_history_and_says_it_is_not_modelled() -> None:
    steps = (SetWeight(20), Pause("2m"))
    errors = ErrorRateComparison(UNUSED, "shop", history="1h", pass_ratio=1.0, fail_ratio=2.0)
    analyses = plan_analysis.of_python(steps, BackgroundAnalysis([errors.template()]))
    text = plan_detection.render(holds(steps), analyses, MODELS[0])
    assert (
        "fail ratio 2, alpha 1%, beta 1%, min bad 3, every 10s, stable's history over the 1h before"
        in text[1]
    )
    assert text[-1] == (
        "  stable's history is not modelled here: these are the same-window test's times, usually longer "
        "(a gated plan simulates the history-informed test)"
    )
    without = ErrorRateComparison(UNUSED, "shop", pass_ratio=1.0, fail_ratio=2.0)
    plain = plan_detection.render(
        holds(steps), plan_analysis.of_python(steps, BackgroundAnalysis([without.template()])), MODELS[0]
    )
    assert "history" not in "\n".join(plain)
