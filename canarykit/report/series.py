"""What each metric's chart shows: its values against its threshold, or a judge's rates and e-values."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from canarykit.report.record import AnalysisRecord, MeasurementRecord, MetricRecord, RolloutRecord
from canarykit.report.thresholds import Threshold, number_in, threshold_of


@dataclass(frozen=True)
class MetricPoint:
    """One measurement: seconds since the rollout began, its number (None when it has none), its phase."""

    seconds: float
    value: float | None
    phase: str
    text: str


@dataclass(frozen=True)
class MetricSeries:
    """A threshold metric: its measurements, the thresholds read from its conditions, those not read."""

    analysis: str
    metric: MetricRecord
    points: tuple[MetricPoint, ...]
    thresholds: tuple[Threshold, ...]
    unread_conditions: tuple[str, ...]

    @property
    def plotted(self) -> tuple[MetricPoint, ...]:
        return tuple(point for point in self.points if point.value is not None)


@dataclass(frozen=True)
class JudgePoint:
    """A comparison judge's measurement: both rates, both e-values and their thresholds (None if absent)."""

    seconds: float
    phase: str
    outcome: str
    canary_rate: float | None
    stable_rate: float | None
    e_fail: float | None
    e_pass: float | None
    fail_threshold: float | None
    pass_threshold: float | None


@dataclass(frozen=True)
class JudgeSeries:
    """A comparison judge's measurements over the rollout."""

    analysis: str
    metric: MetricRecord
    points: tuple[JudgePoint, ...]

    def threshold(self, side: str) -> float | None:
        """The last recorded `fail` or `pass` threshold."""
        found = [p.fail_threshold if side == "fail" else p.pass_threshold for p in self.points]
        known = [value for value in found if value is not None]
        return known[-1] if known else None


def origin_of(rollout: RolloutRecord) -> float:
    """The earliest time in the record: seconds in charts count from it."""
    times = [event.time for event in rollout.events]
    for analysis in rollout.analyses:
        for metric in analysis.metrics:
            times += [m.time for m in metric.measurements if m.time is not None]
    return min(times, default=0.0)


def is_judge(metric: MetricRecord) -> bool:
    """True for a comparison judge: its measurements carry both rates and e-values."""
    return any("eFail" in m.metadata and "canaryRate" in m.metadata for m in metric.measurements)


def series_of(rollout: RolloutRecord) -> list[MetricSeries | JudgeSeries]:
    """One series per metric of each analysis run, in the record's order."""
    origin = origin_of(rollout)
    return [series for analysis in rollout.analyses for series in analysis_series(analysis, origin)]


def analysis_series(analysis: AnalysisRecord, origin: float) -> list[MetricSeries | JudgeSeries]:
    """One series per metric of `analysis`, times in seconds since `origin`."""
    return [
        (judge_series if is_judge(metric) else metric_series)(analysis.name, metric, origin)
        for metric in analysis.metrics
    ]


def metric_series(analysis: str, metric: MetricRecord, origin: float) -> MetricSeries:
    """A threshold metric's values and the thresholds its simple conditions give."""
    points = tuple(
        MetricPoint(_seconds(m, origin), number_in(m.value), m.phase, m.value) for m in metric.measurements
    )
    conditions = {"success": metric.success_condition, "failure": metric.failure_condition}
    thresholds, unread = [], []
    for kind, condition in conditions.items():
        if condition:
            threshold = threshold_of(condition, kind)
            thresholds += [threshold] if threshold is not None else []
            unread += [condition] if threshold is None else []
    return MetricSeries(analysis, metric, points, tuple(thresholds), tuple(unread))


def judge_series(analysis: str, metric: MetricRecord, origin: float) -> JudgeSeries:
    """A judge's rates and e-values at each measurement that recorded them."""
    points = tuple(
        _judge_point(m, _seconds(m, origin), m.metadata) for m in metric.measurements if "eFail" in m.metadata
    )
    return JudgeSeries(analysis, metric, points)


def _judge_point(measurement: MeasurementRecord, seconds: float, data: Mapping[str, str]) -> JudgePoint:
    return JudgePoint(
        seconds=seconds,
        phase=measurement.phase,
        outcome=data.get("outcome", ""),
        canary_rate=_number(data.get("canaryRate")),
        stable_rate=_number(data.get("stableRate")),
        e_fail=_positive(data.get("eFail")),
        e_pass=_positive(data.get("ePass")),
        fail_threshold=_positive(data.get("failThreshold")),
        pass_threshold=_positive(data.get("passThreshold")),
    )


def _seconds(measurement: MeasurementRecord, origin: float) -> float:
    time = measurement.time
    return 0.0 if time is None else time - origin


def _number(text: str | None) -> float | None:
    try:
        value = float(text) if text else None
    except ValueError:
        return None
    return value if value is not None and math.isfinite(value) else None


def _positive(text: str | None) -> float | None:
    """A number for a log scale: finite and above 0."""
    value = _number(text)
    return value if value is not None and value > 0 else None
