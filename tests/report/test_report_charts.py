"""The Vega-Lite specs behind the charts: the data each layer draws, the thresholds, the scales."""

from __future__ import annotations

import re
from typing import Any

import altair as alt
from report_records import judged, rolled_back

from canarykit.report.charts import judge_charts, metric_chart, timeline_chart
from canarykit.report.record import RolloutRecord, rollouts_of
from canarykit.report.series import JudgeSeries, MetricSeries, series_of
from canarykit.report.style import MEASUREMENT_STYLE
from canarykit.report.svg import to_svg
from canarykit.report.timeline import timeline_of

altair: Any = alt
"""Altair, untyped where its stubs are (`Data`)."""


def record(result: Any) -> RolloutRecord:
    [found] = rollouts_of(result.to_dict())
    return found


def layers(spec: dict[str, Any]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = spec["layer"]
    return found


def rows(layer: dict[str, Any], spec: dict[str, Any]) -> list[dict[str, Any]]:
    """A layer's data rows (Altair moves data that all layers share up to the chart)."""
    data: dict[str, Any] = layer.get("data") or spec["data"]
    found: list[dict[str, Any]] = data["values"]
    return found


def mark_of(layer: dict[str, Any]) -> str:
    mark = layer["mark"]
    return str(mark["type"] if isinstance(mark, dict) else mark)


def test_a_metric_chart_colours_and_shapes_points_by_phase_and_draws_the_threshold() -> None:
    [series] = series_of(record(rolled_back()))
    assert isinstance(series, MetricSeries)
    spec = metric_chart(series, 31.5)
    points = next(layer for layer in layers(spec) if mark_of(layer) == "point")
    assert [row["phase"] for row in points["data"]["values"]] == ["Successful"] * 2 + ["Failed"] * 2
    color, shape = points["encoding"]["color"]["scale"], points["encoding"]["shape"]["scale"]
    assert color["domain"] == shape["domain"] == ["Successful", "Failed"]
    assert color["range"] == [MEASUREMENT_STYLE[p][0] for p in ("Successful", "Failed")]
    assert shape["range"] == [MEASUREMENT_STYLE[p][1] for p in ("Successful", "Failed")]
    rule = next(layer for layer in layers(spec) if mark_of(layer) == "rule")
    assert rule["data"]["values"] == [{"value": 0.9, "label": "success if result > 0.9"}]


def test_a_judge_draws_both_rates_and_the_e_values_on_a_log_scale_against_one_shared_threshold() -> None:
    judge = series_of(record(judged()))[0]
    assert isinstance(judge, JudgeSeries)
    rates, evidence = judge_charts(judge, 12.0)
    sides = {row["side"] for layer in layers(rates) for row in rows(layer, rates)}
    assert sides == {"canary", "stable"}
    e_layers = layers(evidence)
    assert e_layers[0]["encoding"]["y"]["scale"] == {"type": "log"}
    [threshold] = [layer for layer in e_layers if mark_of(layer) == "rule"]
    assert rows(threshold, evidence) == [{"e": 100.0, "label": "fail and pass threshold 100"}]
    series = {row["series"] for row in rows(e_layers[0], evidence)}
    assert series == {"fail e-value", "pass e-value"}


def test_the_timeline_draws_weights_step_after_over_phase_bands_with_numbered_steps() -> None:
    timeline = timeline_of(record(rolled_back()))
    bands, line, _, labels = layers(timeline_chart(timeline))
    assert [row["phase"] for row in bands["data"]["values"]] == ["Paused", "Degraded"]
    assert line["mark"]["interpolate"] == "step-after"
    assert [row["weight"] for row in line["data"]["values"]] == [0, 20, 0, 0]
    assert labels["data"]["values"] == [{"seconds": 0.0, "number": "1-2"}]


def test_charts_on_one_page_keep_their_own_ids() -> None:
    clipped = alt.Chart(altair.Data(values=[{"x": 0, "y": 5}, {"x": 10, "y": 50}])).mark_line(clip=True)
    spec = clipped.encode(x=alt.X("x:Q", scale=alt.Scale(domain=[0, 5])), y="y:Q").to_dict()
    first, second = to_svg(spec, "chart1"), to_svg(spec, "chart2")
    ids = re.findall(r'id="([^"]+)"', first) + re.findall(r'id="([^"]+)"', second)
    assert ids and len(ids) == len(set(ids))
    assert all(f"url(#{name})" in first + second for name in ids)
