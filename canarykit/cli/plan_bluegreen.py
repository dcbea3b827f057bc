"""`canarykit plan` for a blue-green Rollout: preview, pre-promotion analysis, pause, active switch,
post-promotion analysis and the old version's scale-down, in Argo's order (docs/argo-semantics.md §18)."""

from __future__ import annotations

from canarykit.argo import AnalysisTemplate, RolloutSpec
from canarykit.cli.plan_steps import names, step_seconds
from canarykit.durations import short_duration
from canarykit.steps.bluegreen import BlueGreen
from canarykit.steps.kinds import Analysis

Row = tuple[str, str, str]
UNTIL_PROMOTED = "until promoted"


def render_blue_green(spec: RolloutSpec, blue_green: BlueGreen) -> list[str]:
    """The blue-green sequence as text lines: a header, one aligned line per phase, the total and abort."""
    rows: list[Row] = []
    elapsed, waits = 0.0, False
    for label, seconds in _phases(spec, blue_green):
        if seconds is None:
            waits = True
        else:
            elapsed += seconds
        manual = label.startswith("pause until promoted")
        ends = UNTIL_PROMOTED if manual else short_duration(elapsed) + ("+?" if waits else "")
        rows.append((str(len(rows) + 1), label, ends))
    total = f"total: {short_duration(elapsed)}" + (" plus the time until promoted" if waits else "")
    return [
        _title(spec, blue_green),
        *_table(rows),
        f"{total}, then the release is complete",
        _abort(blue_green),
    ]


def _title(spec: RolloutSpec, blue_green: BlueGreen) -> str:
    name = f"{spec.namespace}/{spec.name}" if spec.namespace else spec.name
    preview = f"preview {blue_green.preview_service}" if blue_green.preview_service else "no preview service"
    replicas = f"{spec.replicas} replica" + ("" if spec.replicas == 1 else "s")
    return f"Rollout {name}: blue-green, active {blue_green.active_service}, {preview}; {replicas}"


def _phases(spec: RolloutSpec, blue_green: BlueGreen) -> list[tuple[str, float | None]]:
    """Each phase's text and how long it holds the release (None: until someone promotes)."""
    phases: list[tuple[str, float | None]] = [(_preview(spec, blue_green), 0.0)]
    if blue_green.pre_promotion_analysis is not None:
        phases.append(_analysis("pre-promotion", blue_green.pre_promotion_analysis))
    phases.append(_pause(blue_green))
    phases.append((f"active switch: {blue_green.active_service} -> the new version (all traffic)", 0.0))
    if blue_green.post_promotion_analysis is not None:
        phases.append(_analysis("post-promotion", blue_green.post_promotion_analysis))
    delay = blue_green.scale_down_delay_seconds
    when = "at once" if delay == 0 else f"after {short_duration(delay)} (scaleDownDelaySeconds)"
    phases.append((f"old version scaled down {when}", delay))
    return phases


def _preview(spec: RolloutSpec, blue_green: BlueGreen) -> str:
    count, full = blue_green.preview_replica_count, spec.replicas
    replicas = f"{full} replicas"
    if count is not None:
        replicas = f"{count} of {full} replicas (previewReplicaCount), scaled to {full} before the switch"
    where = f"; preview {blue_green.preview_service} -> it" if blue_green.preview_service else ""
    return f"new version up beside the active one, {replicas}{where}"


def _analysis(kind: str, analysis: Analysis) -> tuple[str, float | None]:
    """`pre-promotion analysis smoke-tests (success-rate: 3 x every 30s)` and its length."""
    templates = tuple(analysis.source)
    schedule = "; ".join(
        _schedule(template) for template in templates if isinstance(template, AnalysisTemplate)
    )
    text = f"{kind} analysis {names(templates)}" + (f" ({schedule})" if schedule else "")
    return text, step_seconds(analysis)


def _schedule(template: AnalysisTemplate) -> str:
    """Each metric's measurements: `success-rate: 3 x every 30s, after 1m`."""
    parts = []
    for metric in template.spec.metrics:
        count = metric.count or 1
        text = (
            f"{metric.name}: {count} x every {metric.interval}" if metric.interval else f"{metric.name}: once"
        )
        parts.append(text + (f", after {metric.initial_delay}" if metric.initial_delay else ""))
    return ", ".join(parts)


def _pause(blue_green: BlueGreen) -> tuple[str, float | None]:
    if blue_green.needs_manual_promotion:
        return "pause until promoted (autoPromotionEnabled: false)", None
    seconds = blue_green.auto_promotion_delay_seconds
    if seconds > 0:
        return f"pause {short_duration(seconds)}, then promoted automatically (autoPromotionSeconds)", seconds
    return "no pause: promoted once the new version is ready (autoPromotionEnabled)", 0.0


def _abort(blue_green: BlueGreen) -> str:
    """What an abort (a failed analysis, or `abort()`) does: Argo's `abortScaleDownDelaySeconds`."""
    delay = blue_green.abort_scale_down_delay_seconds
    kept = "kept, never removed (abortScaleDownDelaySeconds 0)"
    if delay is not None:
        kept = f"removed after {short_duration(delay)} (abortScaleDownDelaySeconds)"
    where = " (still on the preview)" if blue_green.preview_service else ""
    return f"abort: active back to the old version at once; the new version{where} {kept}"


def _table(rows: list[Row]) -> list[str]:
    rows = [("#", "phase", "ends at"), *rows]
    widths = [max(len(row[column]) for row in rows) for column in range(2)]
    return [f"  {index:>{widths[0]}}  {label:<{widths[1]}}  {ends}".rstrip() for index, label, ends in rows]
