"""Text of `canarykit plan --detect`: a judge's settings, a threshold metric's note, the times table."""

from __future__ import annotations

from collections.abc import Sequence

from canarykit.cli.plan_analysis import JudgeMetric, ThresholdMetric
from canarykit.durations import short_duration

Row = tuple[str, str, str, str, str]


def judge_settings(judge: JudgeMetric, where: str, simulated: bool = False) -> str:
    """`error-rate-comparison (ErrorRateComparison, background from step 1): max ratio 1.05, ...`.

    `simulated`: the times come from running the judge's own test, `min_difference` included."""
    test = judge.test
    zone = test.pass_ratio is not None and test.fail_ratio is not None
    parts = [
        f"pass ratio {test.pass_ratio:g}, fail ratio {test.fail_ratio:g}"
        if zone
        else f"max ratio {test.max_ratio:g}",
        f"alpha {test.alpha * 100:g}%",
        f"beta {test.beta * 100:g}%",
        f"min bad {test.min_bad}",
        f"every {judge.interval:g}s",
    ]
    if judge.history:
        parts.append(f"stable's history over the {short_duration(judge.history)} before the canary")
    if judge.min_difference:
        unmodelled = "" if simulated else " (not modelled: the times are a lower bound)"
        parts.append(f"min difference {judge.min_difference:g}{unmodelled}")
    if judge.low_traffic is not None:
        parts.append(f"low traffic: {judge.low_traffic.describe()}")
    if judge.settle:
        parts.append("settles once min_requests are judged")
    text = f"{judge.name} ({judge.kind}, {where}): {', '.join(parts)}"
    if judge.bad_events == "errors":
        return text
    return (
        f"{text}; its bad events are {judge.bad_events}: --baseline-error is read as stable's share of them"
    )


def no_prediction(metric: ThresholdMetric, where: str) -> str:
    """Why a threshold metric gets no detection time."""
    return (
        f"{metric.name} ({metric.provider}, {where}): a threshold metric: no prediction. Its verdict "
        "depends on the values its query returns, which this model of requests and errors does not give"
    )


def table(ratio: float, rows: Sequence[Row]) -> list[str]:
    """The aligned table: step number, the step that holds, its weight, expected catch and clear times."""
    lines = [("#", "holds", "weight", f"catch {ratio:g}x", "clear healthy"), *rows]
    widths = [*(max(len(row[column]) for row in lines) for column in range(4)), 0]
    return ["  " + "  ".join(map(str.ljust, row, widths)).rstrip() for row in lines]
