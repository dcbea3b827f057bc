"""The report's charts as Vega-Lite specs, built with Altair (imported here only, when a report is made)."""

from __future__ import annotations

from types import ModuleType
from typing import Any

from canarykit.errors import MissingDependency
from canarykit.report import style
from canarykit.report.series import JudgeSeries, MetricSeries
from canarykit.report.timeline import Timeline, step_rules

WIDTH, HEIGHT = 640, 170
SECONDS = "seconds since start"
INSTALL = "pip install 'canarykit[report]'"
E_LABEL = "datum.value >= 1e5 || datum.value < 1e-3 ? format(datum.value, '.0e') : format(datum.value, '~g')"
"""E-value ticks: `0.01`, `100`, `1e+6` (a Vega expression, evaluated when the SVG is made)."""


def altair() -> ModuleType:
    """The `altair` module, or `MissingDependency` naming the extra."""
    try:
        import altair
    except ImportError as error:
        raise MissingDependency(f"reports need altair and vl-convert-python: {INSTALL}") from error
    return altair


def _x(alt: ModuleType, end: float) -> Any:
    return alt.X("seconds:Q", title=SECONDS, scale=alt.Scale(domain=[0, end], nice=False))


def timeline_chart(timeline: Timeline) -> dict[str, Any]:
    """Phase bands behind the new version's share of traffic, with a numbered rule at each step start."""
    alt = altair()
    names, colors = style.band_scale(span.phase for span in timeline.spans)
    bands = alt.Chart(alt.Data(values=[vars(span) for span in timeline.spans]))
    bands = bands.mark_rect(opacity=0.8).encode(
        x=alt.X("start:Q", title=SECONDS, scale=alt.Scale(domain=[0, timeline.end], nice=False)),
        x2="end:Q",
        color=alt.Color("phase:N", title="rollout phase", scale=alt.Scale(domain=names, range=colors)),
    )
    weights = alt.Chart(alt.Data(values=[vars(point) for point in timeline.weights]))
    line = weights.mark_line(interpolate="step-after", color=style.WEIGHT_COLOR, strokeWidth=2.5).encode(
        x=_x(alt, timeline.end),
        y=alt.Y("weight:Q", title="new version's traffic (%)", scale=alt.Scale(domain=[0, 100])),
    )
    marks = [{"seconds": rule.seconds, "number": rule.label} for rule in step_rules(timeline)]
    steps = alt.Chart(alt.Data(values=marks))
    rules = steps.mark_rule(color="#616161", strokeDash=[2, 3]).encode(x=_x(alt, timeline.end))
    labels = steps.mark_text(dy=-6, fontSize=10, color="#424242").encode(
        x=_x(alt, timeline.end), y=alt.value(0), text="number:N"
    )
    layers = [bands, line, rules, labels] if marks else [bands, line]
    return _sized(alt.layer(*layers), HEIGHT + 30)


def metric_chart(series: MetricSeries, end: float) -> dict[str, Any]:
    """Each measurement's value, coloured and shaped by its phase, against the thresholds read."""
    alt = altair()
    points = [vars(point) for point in series.plotted]
    names, colors, shapes = style.measurement_scales(point["phase"] for point in points)
    data = alt.Chart(alt.Data(values=points))
    trend = data.mark_line(color="#bdbdbd").encode(x=_x(alt, end), y=alt.Y("value:Q", title="value"))
    dots = data.mark_point(filled=True, size=70, opacity=0.9).encode(
        x=_x(alt, end),
        y=alt.Y("value:Q", title="value", scale=alt.Scale(zero=False, padding=12)),
        color=alt.Color("phase:N", title="measurement", scale=alt.Scale(domain=names, range=colors)),
        shape=alt.Shape("phase:N", title="measurement", scale=alt.Scale(domain=names, range=shapes)),
    )
    layers = [trend, dots, *_threshold_layers(alt, series)]
    return _sized(alt.layer(*layers), HEIGHT)


def _threshold_layers(alt: ModuleType, series: MetricSeries) -> list[Any]:
    """A dashed rule per threshold, labelled on the chart (`success if result > 0.9`)."""
    layers = []
    for threshold in series.thresholds:
        color = style.THRESHOLD_COLORS.get(threshold.kind, style.E_THRESHOLD_COLOR)
        label = f"{threshold.kind} if result {threshold.operator} {threshold.value:g}"
        base = alt.Chart(alt.Data(values=[{"value": threshold.value, "label": label}]))
        layers.append(base.mark_rule(strokeDash=[6, 4], strokeWidth=1.5, color=color).encode(y="value:Q"))
        text = base.mark_text(align="left", dx=4, dy=-6, fontSize=10, color=color)
        layers.append(text.encode(x=alt.value(0), y="value:Q", text="label:N"))
    return layers


def judge_charts(series: JudgeSeries, end: float) -> list[dict[str, Any]]:
    """Two charts: both sides' bad-event rates, and the e-values against their thresholds (log scale)."""
    return [_rates_chart(series, end), _e_value_chart(series, end)]


def _rates_chart(series: JudgeSeries, end: float) -> dict[str, Any]:
    alt = altair()
    rows = [
        {"seconds": p.seconds, "side": side, "rate": rate, "phase": p.phase}
        for p in series.points
        for side, rate in (("canary", p.canary_rate), ("stable", p.stable_rate))
        if rate is not None
    ]
    sides = list(style.SIDE_COLORS)
    color = alt.Color(
        "side:N", title="rate of", scale=alt.Scale(domain=sides, range=[style.SIDE_COLORS[s] for s in sides])
    )
    base = alt.Chart(alt.Data(values=rows)).encode(
        x=_x(alt, end), y=alt.Y("rate:Q", title="bad-event rate", axis=alt.Axis(format="%")), color=color
    )
    return _sized(alt.layer(base.mark_line(), base.mark_point(filled=True, size=40)), HEIGHT)


def _e_value_chart(series: JudgeSeries, end: float) -> dict[str, Any]:
    alt = altair()
    rows = [
        {"seconds": p.seconds, "series": name, "e": value, "phase": p.phase}
        for p in series.points
        for name, value in (("fail e-value", p.e_fail), ("pass e-value", p.e_pass))
        if value is not None
    ]
    names, _, shapes = style.measurement_scales(p.phase for p in series.points)
    kinds = list(style.E_VALUE_COLORS)
    color = alt.Color(
        "series:N", title="e-value", scale=alt.Scale(domain=kinds, range=list(style.E_VALUE_COLORS.values()))
    )
    y = alt.Y("e:Q", title="e-value (log)", scale=alt.Scale(type="log"), axis=alt.Axis(labelExpr=E_LABEL))
    base = alt.Chart(alt.Data(values=rows)).encode(x=_x(alt, end), y=y, color=color)
    dots = base.mark_point(filled=True, size=60).encode(
        shape=alt.Shape("phase:N", title="measurement", scale=alt.Scale(domain=names, range=shapes))
    )
    return _sized(alt.layer(base.mark_line(opacity=0.6), dots, *_e_thresholds(alt, series, y)), HEIGHT)


def _e_thresholds(alt: ModuleType, series: JudgeSeries, y: Any) -> list[Any]:
    """A dashed rule per threshold; one rule when fail and pass share a value (as by default)."""
    found: dict[float, list[str]] = {}
    for side in ("fail", "pass"):
        value = series.threshold(side)
        if value is not None:
            found.setdefault(value, []).append(side)
    lines = [
        {"e": value, "label": f"{' and '.join(sides)} threshold {value:g}"} for value, sides in found.items()
    ]
    if not lines:
        return []
    base = alt.Chart(alt.Data(values=lines)).encode(y=y)
    rule = base.mark_rule(strokeDash=[6, 4], color=style.E_THRESHOLD_COLOR)
    text = base.mark_text(align="left", dx=4, dy=-6, fontSize=10, color=style.E_THRESHOLD_COLOR)
    return [rule, text.encode(x=alt.value(0), text="label:N")]


def _sized(chart: Any, height: int) -> dict[str, Any]:
    spec: dict[str, Any] = chart.properties(width=WIDTH, height=height).to_dict()
    return spec
