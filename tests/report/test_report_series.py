"""What the charts show, read from real audit records: values, phases, thresholds, judge figures, timeline."""

from __future__ import annotations

import pytest
from report_records import erroring, healthy, judged, rolled_back, run, threshold_metric

from canarykit.report.record import RolloutRecord, rollouts_of
from canarykit.report.series import JudgeSeries, MetricSeries, series_of
from canarykit.report.thresholds import Threshold
from canarykit.report.timeline import PhaseSpan, StepMark, WeightPoint, step_rules, timeline_of
from canarykit.report.words import metric_caption, outcome, reason_text
from canarykit.rollout.result import RolloutResult


def record_of(result: RolloutResult) -> RolloutRecord:
    [record] = rollouts_of(result.to_dict())
    return record


def only_metric(result: RolloutResult) -> MetricSeries:
    [series] = series_of(record_of(result))
    assert isinstance(series, MetricSeries)
    return series


def test_a_rolled_back_metric_shows_each_value_and_phase_against_its_threshold() -> None:
    series = only_metric(rolled_back())
    assert [(p.seconds, p.value, p.phase) for p in series.points] == [
        (0.0, 0.99, "Successful"),
        (10.0, 0.97, "Successful"),
        (20.0, 0.85, "Failed"),
        (30.0, 0.85, "Failed"),
    ]
    assert series.thresholds == (Threshold("success", ">", 0.9),)
    assert series.unread_conditions == ()
    assert metric_caption(series) == (
        "4 measurements, ended Failed; successCondition: result > 0.9; "
        "limit crossed: failed (2) > failureLimit (1)."
    )


def test_a_condition_without_a_readable_threshold_is_named_and_values_are_shown_alone() -> None:
    condition = "result[0] > 0.9 && result[0] < 2"
    series = only_metric(run([threshold_metric([[0.95]], success_condition=condition)]))
    assert series.thresholds == () and series.unread_conditions == (condition,)
    assert len(series.plotted) == len(series.points) > 0
    assert f"no threshold could be read from {condition!r}: values only" in metric_caption(series)


def test_both_conditions_give_two_thresholds() -> None:
    metric = threshold_metric(
        [[0.95]], success_condition="result[0] > 0.9", failure_condition="result[0] < 0.5"
    )
    series = only_metric(run([metric]))
    assert series.thresholds == (Threshold("success", ">", 0.9), Threshold("failure", "<", 0.5))


def test_error_measurements_have_no_number_and_the_caption_counts_them() -> None:
    series = only_metric(erroring())
    assert series.points and all(p.value is None and p.phase == "Error" for p in series.points)
    assert series.plotted == ()
    assert f"{len(series.points)} without a number (not plotted)" in metric_caption(series)


def test_a_judge_gives_both_rates_and_e_values_with_their_thresholds() -> None:
    result = judged()
    record = record_of(result)
    judge, reference = series_of(record)
    assert isinstance(judge, JudgeSeries) and isinstance(reference, MetricSeries)
    assert reference.metric.dry_run and reference.thresholds == (Threshold("success", ">", 0.9),)
    recorded = result.analyses[0].metric("error-rate-comparison").measurements
    assert len(judge.points) == len(recorded)
    last, metadata = judge.points[-1], recorded[-1].metadata
    assert (last.canary_rate, last.stable_rate) == (
        float(metadata["canaryRate"]),
        float(metadata["stableRate"]),
    )
    assert (last.e_fail, last.e_pass) == (float(metadata["eFail"]), float(metadata["ePass"]))
    assert judge.threshold("fail") == float(metadata["failThreshold"]) == 100.0
    assert judge.threshold("pass") == float(metadata["passThreshold"])
    assert last.e_fail is not None and last.e_fail >= 100.0 and last.phase == "Failed"
    first = judge.points[0]
    assert (first.canary_rate, first.stable_rate) == (None, None)  # no request yet: no rate, not 0


def test_the_timeline_of_a_rollback_drops_to_zero_and_ends_degraded() -> None:
    timeline = timeline_of(record_of(rolled_back()))
    assert timeline.weights == (
        WeightPoint(0.0, 0),
        WeightPoint(0.0, 20),
        WeightPoint(30.0, 0),
        WeightPoint(timeline.end, 0),
    )
    assert [span.phase for span in timeline.spans] == ["Paused", "Degraded"]
    assert timeline.spans[-1] == PhaseSpan(30.0, timeline.end, "Degraded") and timeline.end > 30.0
    assert timeline.steps == (StepMark(0.0, "SetWeight(20)", 1), StepMark(0.0, "Pause('1m')", 2))


def test_the_timeline_of_a_promotion_ends_at_100_not_at_the_hand_over_to_0() -> None:
    timeline = timeline_of(record_of(healthy()))
    assert [(p.seconds, p.weight) for p in timeline.weights] == [
        (0.0, 0),
        (0.0, 20),
        (60.0, 60),
        (120.0, 100),
        (timeline.end, 100),
    ]
    assert [span.phase for span in timeline.spans] == ["Paused", "Healthy"]
    assert [rule.label for rule in step_rules(timeline)] == ["1-2", "3-4"]


def test_the_ending_and_the_reason_are_said_in_words() -> None:
    result = rolled_back()
    record = record_of(result)
    assert (
        outcome(record) == "Degraded: green was rolled back after 1 of 4 steps; traffic returned to stable."
    )
    assert reason_text(record.reason) == str(result.reason)
    assert outcome(record_of(healthy())) == "Healthy: green was promoted after 4 of 4 steps."
    assert reason_text(None) is None


def test_the_reason_of_a_judge_is_said_with_its_figures() -> None:
    result = judged()
    text = reason_text(record_of(result).reason)
    assert text == str(result.reason) and "e-value" in text and "against threshold 100" in text


@pytest.mark.parametrize("reason", [{"metric": 3}, {"unknown": "x"}, {"metric": "m", "judge": "not figures"}])
def test_a_reason_of_another_shape_is_still_shown_field_by_field(reason: dict[str, object]) -> None:
    text = reason_text(reason)
    assert text is not None and all(key in text for key in reason)
