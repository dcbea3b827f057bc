"""The report's HTML: one self-contained page, every text from the record escaped, charts as inline SVG."""

from __future__ import annotations

import time
from collections.abc import Iterator
from html import escape

from canarykit.report import charts
from canarykit.report.record import AnalysisRecord, EventRecord, RolloutRecord
from canarykit.report.series import JudgeSeries, MetricSeries, analysis_series
from canarykit.report.style import ROLLOUT_BANDS
from canarykit.report.svg import chart_ids, to_svg
from canarykit.report.timeline import Timeline, timeline_of
from canarykit.report.words import E_VALUE, at, counted, judge_caption, metric_caption, outcome, reason_text

CSS = """
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#212121}
body{background:#fafafa}main{max-width:1000px;margin:0 auto;padding:24px}
section.rollout{background:#fff;border:1px solid #e0e0e0;border-radius:8px;padding:8px 24px 24px}
section.rollout{margin:24px 0}
h1{font-size:24px;margin:8px 0}h2{font-size:20px;margin:16px 0 4px}h3{font-size:17px;margin:24px 0 4px}
h4{font-size:15px;margin:16px 0 4px}
.phase{display:inline-block;padding:1px 10px;border-radius:12px;font-size:13px;font-weight:600}
.why{background:#fff8e1;border-left:4px solid #ffb300;padding:8px 12px;margin:8px 0}
.tag{font-size:12px;color:#616161;border:1px solid #bdbdbd;border-radius:4px;padding:0 4px;margin-left:6px}
figure{margin:8px 0}figcaption,.note{color:#555;font-size:13px}code{font-size:13px;word-break:break-word}
table{border-collapse:collapse;font-size:13px;margin:6px 0}
td,th{border-bottom:1px solid #eee;padding:3px 8px;text-align:left;vertical-align:top}th{color:#616161}
td:first-child{white-space:nowrap}figure svg{max-width:100%;height:auto}
"""


def render_page(rollouts: list[RolloutRecord], source: str) -> str:
    """The whole HTML document for `rollouts` (read from `source`)."""
    ids = chart_ids()
    contents = _contents(rollouts) if len(rollouts) > 1 else ""
    sections = "".join(_rollout(rollout, number, ids) for number, rollout in enumerate(rollouts, 1))
    made = time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime())
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>canarykit report: {escape(_title(rollouts))}</title><style>{CSS}</style></head>"
        f"<body><main><h1>canarykit rollout report</h1>"
        f'<p class="note">From {escape(source)}, made {made}.</p>{contents}{sections}</main></body></html>\n'
    )


def _title(rollouts: list[RolloutRecord]) -> str:
    return ", ".join(f"{r.name} ({r.version}) {r.phase}" for r in rollouts)


def _contents(rollouts: list[RolloutRecord]) -> str:
    items = "".join(
        f'<li><a href="#rollout-{n}">{escape(r.name)} → {escape(r.version)}: {escape(r.phase)}</a></li>'
        for n, r in enumerate(rollouts, 1)
    )
    return f"<ol>{items}</ol>"


def _rollout(rollout: RolloutRecord, number: int, ids: Iterator[str]) -> str:
    timeline = timeline_of(rollout)
    color = ROLLOUT_BANDS.get(rollout.phase, "#eee")
    why = reason_text(rollout.reason)
    parts = [
        f'<section class="rollout" id="rollout-{number}">',
        f"<h2>{escape(rollout.name)} → {escape(rollout.version)} "
        f'<span class="phase" style="background:{color}">{escape(rollout.phase)}</span></h2>',
        f"<p>{escape(outcome(rollout))}</p>",
        f'<p class="why"><b>Why:</b> {escape(why)}</p>' if why else "",
        f'<p class="note">Message: <code>{escape(rollout.message)}</code></p>' if rollout.message else "",
        _timeline(timeline, ids),
        *(_analysis(analysis, timeline, ids) for analysis in rollout.analyses),
        _events(rollout.events, timeline.origin),
        "</section>",
    ]
    return "".join(parts)


def _timeline(timeline: Timeline, ids: Iterator[str]) -> str:
    rows = "".join(
        f"<tr><td>{mark.number}</td><td>{at(mark.seconds)}</td><td><code>{escape(mark.label)}</code></td></tr>"
        for mark in timeline.steps
    )
    steps = f"<table><tr><th>#</th><th>started at</th><th>step</th></tr>{rows}</table>" if rows else ""
    start = time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(timeline.origin))
    caption = (
        f"The new version's share of traffic over time (100 once promoted), on the rollout's phase; "
        f"numbered rules mark step starts. Time 0 is {start}."
    )
    return f"<h3>Timeline</h3>{_figure(charts.timeline_chart(timeline), caption, ids)}{steps}"


def _analysis(analysis: AnalysisRecord, timeline: Timeline, ids: Iterator[str]) -> str:
    head = f"<h3>Analysis run {escape(analysis.name)}: {escape(analysis.phase)}</h3>"
    message = f'<p class="note"><code>{escape(analysis.message)}</code></p>' if analysis.message else ""
    series = analysis_series(analysis, timeline.origin)
    return head + message + "".join(_series(each, timeline.end, ids) for each in series)


def _series(series: MetricSeries | JudgeSeries, end: float, ids: Iterator[str]) -> str:
    metric = series.metric
    dry = '<span class="tag">dry run: decides nothing</span>' if metric.dry_run else ""
    head = f"<h4>{escape(metric.name)}{dry}</h4>"
    if isinstance(series, JudgeSeries):
        figures = "".join(_figure(spec, "", ids) for spec in charts.judge_charts(series, end))
        caption = f"<p class='note'>{escape(judge_caption(series))}</p><p class='note'>{escape(E_VALUE)}</p>"
        return head + figures + caption
    if not series.plotted:
        return head + f'<p class="note">{escape(metric_caption(series))}</p>'
    return head + _figure(charts.metric_chart(series, end), metric_caption(series), ids)


def _figure(spec: dict[str, object], caption: str, ids: Iterator[str]) -> str:
    figcaption = f"<figcaption>{escape(caption)}</figcaption>" if caption else ""
    return f"<figure>{to_svg(spec, next(ids))}{figcaption}</figure>"


def _events(events: tuple[EventRecord, ...], origin: float) -> str:
    shown = [event for event in events if event.kind != "MeasurementTaken"]
    hidden = len(events) - len(shown)
    measured = counted(hidden, "measurement event")
    note = f'<p class="note">{measured}: in the charts above, and in the full list.</p>'
    every = f"<details><summary>All {len(events)} events</summary>{_event_table(events, origin)}</details>"
    return f"<h3>Events</h3>{_event_table(shown, origin)}{note if hidden else ''}{every}"


def _event_table(events: tuple[EventRecord, ...] | list[EventRecord], origin: float) -> str:
    rows = "".join(
        f"<tr><td>{at(event.time - origin)}</td><td>{escape(event.kind)}</td>"
        f"<td>{escape(event.message)}</td></tr>"
        for event in events
    )
    return f"<table><tr><th>at</th><th>event</th><th>message</th></tr>{rows}</table>"
