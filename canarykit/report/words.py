"""The report's sentences: how the rollout ended and why, and what a judge's e-value is (plain text)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from canarykit.report.record import RolloutRecord
from canarykit.report.series import JudgeSeries, MetricSeries
from canarykit.rollout.reason import JudgeFigures, RolloutReason

E_VALUE = (
    "The e-value is the judge's evidence, as a betting score: the fail e-value grows when bad events "
    "(errors, slow requests) come from the canary more often than the tolerance allows beside stable; "
    "when it reaches its threshold (1/alpha) the canary fails, with at most alpha chance of a false alarm "
    "however often it is looked at. The pass e-value clears the canary the same way (threshold 1/beta)."
)


def outcome(rollout: RolloutRecord) -> str:
    """One sentence on how the rollout ended: `Healthy: green was promoted after 4 of 4 steps.`"""
    steps = f"{rollout.steps_done} of {rollout.steps_total} steps"
    version = rollout.version or "the new version"
    endings = {
        "Healthy": f"{version} was promoted after {steps}.",
        "Degraded": f"{version} was rolled back after {steps}; traffic returned to stable.",
        "Paused": f"the rollout of {version} is paused after {steps}.",
        "Progressing": f"the rollout of {version} was still progressing after {steps}.",
    }
    return f"{rollout.phase}: {endings.get(rollout.phase, f'{version} after {steps}.')}"


def reason_text(reason: Mapping[str, Any] | None) -> str | None:
    """The record's `reason` in the words `RolloutResult.reason` uses, or its fields when it cannot."""
    if not reason:
        return None
    try:
        return str(_reason(reason))
    except (TypeError, ValueError):
        return "; ".join(f"{key}: {value}" for key, value in reason.items())


def _reason(fields: Mapping[str, Any]) -> RolloutReason:
    snake = {_snake(key): value for key, value in fields.items()}
    judge = snake.pop("judge", None)
    if judge is not None:
        if not isinstance(judge, Mapping):
            raise TypeError("judge is not an object")
        snake["judge"] = JudgeFigures(**{_snake(key): str(value) for key, value in judge.items()})
    if any(not isinstance(value, (str, JudgeFigures)) for value in snake.values()):
        raise TypeError("a reason field is not text")
    return RolloutReason(**snake)


def _snake(name: str) -> str:
    return "".join(f"_{char.lower()}" if char.isupper() else char for char in name)


def metric_caption(series: MetricSeries) -> str:
    """What the chart of a threshold metric shows, and what it cannot."""
    metric = series.metric
    parts = [f"{counted(len(series.points), 'measurement')}, ended {metric.phase or 'without a phase'}"]
    parts += [threshold.describe() for threshold in series.thresholds]
    parts += [f"no threshold could be read from {text!r}: values only" for text in series.unread_conditions]
    if not metric.success_condition and not metric.failure_condition:
        parts.append("the record has no condition for this metric: values only")
    missing = len(series.points) - len(series.plotted)
    if missing:
        parts.append(f"{missing} without a number (not plotted)")
    if metric.breach:
        parts.append(f"limit crossed: {metric.breach}")
    return "; ".join(parts) + "."


def judge_caption(series: JudgeSeries) -> str:
    """What a judge's charts show: rates per side, and e-values against thresholds."""
    last = series.points[-1] if series.points else None
    ended = series.metric.phase or "without a phase"
    parts = [f"{counted(len(series.points), 'measurement')}, ended {ended}"]
    if last is not None:
        parts.append(f"last canary rate {_rate(last.canary_rate)}, stable rate {_rate(last.stable_rate)}")
    fail, passed = series.threshold("fail"), series.threshold("pass")
    if fail is not None:
        parts.append(f"fail threshold {fail:g}")
    if passed is not None:
        parts.append(f"pass threshold {passed:g}")
    if series.metric.breach:
        parts.append(f"limit crossed: {series.metric.breach}")
    return "; ".join(parts) + "."


def _rate(rate: float | None) -> str:
    return "-" if rate is None else f"{rate:.3%}"


def at(seconds: float) -> str:
    """Seconds since the start, to a tenth: `30 s`, `0.1 s`."""
    return f"{round(seconds, 1):g} s"


def counted(number: int, noun: str) -> str:
    """`1 measurement`, `4 measurements`."""
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"
