"""`canarykit plan --traffic --baseline-error --detect`: when the Rollout's own judges would decide."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from canarykit.cli.plan_analysis import Analyses, JudgeMetric
from canarykit.cli.plan_text import judge_settings, no_prediction, table
from canarykit.durations import short_duration
from canarykit.judges.planning import Detection, Estimate, under_policy
from canarykit.judges.sequential import ZONE_MAX_EFFECT, SequentialSplitTest


@dataclass(frozen=True)
class Hold:
    """A step holding the canary at a weight: index, text, weight, seconds (None: until promoted)."""

    index: int
    label: str
    weight: float
    seconds: float | None


@dataclass(frozen=True)
class TrafficModel:
    """What the estimates assume: requests per second, stable's bad-event rate, the canary's ratio of it."""

    traffic: float
    baseline_error: float
    ratio: float

    def describe(self) -> str:
        return (
            f"model: {self.traffic:g} req/s through the ingress, stable failing "
            f"{self.baseline_error * 100:g}% of them, a regressed canary failing {self.ratio:g}x as often "
            "(Wald's first-order estimate: mean times, no noise; a verdict also waits for the judge's "
            "next measurement)"
        )


def render(
    holds: Sequence[Hold],
    analyses: Sequence[Analyses],
    model: TrafficModel,
    extra: JudgeMetric | None = None,
) -> list[str]:
    """What is modelled, each threshold metric's reason for no prediction, then each judge's times."""
    lines = ["detection " + model.describe()]
    if not analyses and extra is None:
        return [*lines, "no analysis in this Rollout: nothing judges the canary, so no detection times"]
    for analysis in analyses:
        lines += [no_prediction(metric, analysis.where()) for metric in analysis.thresholds]
        for judge in analysis.judges:
            lines += _judge_block(judge, analysis, holds, model, "")
    if extra is not None:
        where = _hypothetical_place(analyses)
        lines += _judge_block(extra, where, holds, model, "hypothetical ")
    elif not any(analysis.judges for analysis in analyses):
        lines.append(
            "no judge in this Rollout's analysis, so no detection times "
            "(--judge comparison models a hypothetical comparison judge)"
        )
    return lines


def _hypothetical_place(analyses: Sequence[Analyses]) -> Analyses:
    """Beside the Rollout's background analysis (from its startingStep), else from the first step."""
    background = next((analysis for analysis in analyses if analysis.background), None)
    return Analyses(True, background.start if background else 0, (), ())


def _judge_block(
    judge: JudgeMetric, analysis: Analyses, holds: Sequence[Hold], model: TrafficModel, label: str
) -> list[str]:
    detection = _detection(judge, model)
    held = _held(holds, analysis)
    owner = "; this Rollout does not have it" if label else ""
    header = f"{label}judge {judge_settings(judge, analysis.where() + owner)}"
    if not held:
        return [header, "  no step holds the canary at a weight between 0 and 100% while it runs"]
    rows, warnings = [], []
    for hold in held:
        estimate, _ = under_policy(detection, [(hold.weight, math.inf)], judge.low_traffic, judge.settle)
        rows.append(
            (
                str(hold.index + 1),
                hold.label,
                f"{hold.weight:g}%",
                clock(estimate.catch),
                clock(estimate.clear),
            )
        )
        warnings += _too_short(hold, estimate, model)
    return [
        header,
        *table(model.ratio, rows),
        _overall(detection, judge, held, analysis),
        *warnings,
        *_tolerance(judge, model),
        *_history_not_modelled(judge),
    ]


def _history_not_modelled(judge: JudgeMetric) -> list[str]:
    """Fixed-time steps are estimated for the same-window test, even for a judge with stable's history."""
    if not judge.history:
        return []
    return [
        "  stable's history is not modelled here: these are the same-window test's times, usually longer "
        "(a gated plan simulates the history-informed test)"
    ]


def _detection(judge: JudgeMetric, model: TrafficModel) -> Detection:
    test = judge.test
    return Detection(
        model.traffic,
        model.baseline_error,
        model.ratio,
        alpha=test.alpha,
        beta=test.beta,
        max_ratio=test.max_ratio,
        grid_size=len(test.worse),
        max_effect=max_effect(test),
        min_bad=test.min_bad,
        pass_ratio=test.pass_ratio,
        fail_ratio=test.fail_ratio,
    )


def max_effect(test: SequentialSplitTest) -> float:
    """The `max_effect` that built the test's grid (`split_math`: `max_ratio·e^(i/g)`, i = 1..g; a zone's
    `fail_ratio·e^(i/g)`, i = 0..g-1)."""
    size, widest = len(test.worse), test.worse[-1]
    if test.fail_ratio is None:
        return widest / test.max_ratio
    return (widest / test.fail_ratio) ** (size / (size - 1)) if size > 1 else ZONE_MAX_EFFECT


def _held(holds: Sequence[Hold], analysis: Analyses) -> list[Hold]:
    """The holds the analysis covers: from its start on (background), or its own step (inline)."""
    if analysis.background:
        return [hold for hold in holds if hold.index >= analysis.start]
    return [hold for hold in holds if hold.index == analysis.start]


def _overall(detection: Detection, judge: JudgeMetric, held: Sequence[Hold], analysis: Analyses) -> str:
    segments = [(hold.weight, math.inf if hold.seconds is None else hold.seconds) for hold in held]
    estimate, policy = under_policy(detection, segments, judge.low_traffic, judge.settle)
    catch, clear = (
        "not within the plan" if seconds is None else f"after about {clock(seconds)}"
        for seconds in (estimate.catch, estimate.clear)
    )
    since = f"from step {analysis.start + 1} on" if analysis.background else "the step lasts until it decides"
    text = f"  whole run ({since}, evidence adds up): catch {detection.ratio:g}x {catch}, "
    text += f"clear healthy {clear}"
    return text + (f"; low traffic: {policy}" if policy else "")


def _too_short(hold: Hold, estimate: Estimate, model: TrafficModel) -> list[str]:
    if hold.seconds is None or estimate.catch is None or estimate.catch <= hold.seconds:
        return []
    where, expected = f"step {hold.index + 1} ({hold.label} at {hold.weight:g}%)", clock(estimate.catch)
    return [
        f"  warning: {where} is shorter than the expected {expected} to catch a {model.ratio:g}x regression"
    ]


def _tolerance(judge: JudgeMetric, model: TrafficModel) -> list[str]:
    test, ratio = judge.test, model.ratio
    if test.pass_ratio is not None and test.fail_ratio is not None:
        zone = f"the indifference zone ({test.pass_ratio:g} to {test.fail_ratio:g})"
        if ratio <= test.pass_ratio:
            return [f"  warning: a {ratio:g}x regression is at or below the zone's pass ratio: never failed"]
        if ratio < test.fail_ratio:
            return [f"  warning: a {ratio:g}x regression is inside {zone}: it may be cleared instead"]
        return []
    if ratio > test.max_ratio:
        return []
    tolerance = f"the tolerance (max ratio {test.max_ratio:g})"
    return [f"  warning: a {ratio:g}x regression is within {tolerance}: this judge never fails it"]


def clock(seconds: float | None) -> str:
    """Whole seconds, rounded up, as plans write durations (`1m10s`, `5m`); `never` for None."""
    return "never" if seconds is None else short_duration(max(1, math.ceil(seconds)))
