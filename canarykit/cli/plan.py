"""`canarykit plan`: a Rollout's steps, when each ends, where analysis runs, and when its judges would decide.

Steps are numbered from 1, as a person counts; `startingStep` (0-based in Argo's YAML) is shown beside.
"""

from __future__ import annotations

import argparse
from typing import Any

from canarykit.argo import RolloutSpec, load
from canarykit.argo.gateway_routing import RouteTarget
from canarykit.cli import plan_analysis, plan_detection, plan_gated, plan_options
from canarykit.cli.exit_codes import EXIT_OK
from canarykit.cli.plan_bluegreen import render_blue_green
from canarykit.cli.plan_steps import action, holds, names, step_seconds
from canarykit.cli.spec_options import add_spec_files
from canarykit.durations import short_duration
from canarykit.errors import SpecError
from canarykit.steps import Analysis, Pause, Step

UNKNOWN = "+?"
BLUE_GREEN_DETECTION = (
    "--traffic, --baseline-error and --detect model a canary held at a weight: a blue-green Rollout "
    "sends the new version all traffic or none, so there is nothing to model"
)


PRESETS = ("nginx-canary",)

__all__ = ["PRESETS", "holds", "register", "render", "run_command"]


def register(commands: Any) -> None:
    parser = commands.add_parser(
        "plan", help="print a Rollout's steps, when each ends, and when its judges would decide"
    )
    add_spec_files(parser, required=False)
    parser.add_argument(
        "--preset", choices=PRESETS, help="plan canarykit.presets.nginx_canary (defaults) instead of a file"
    )
    plan_options.add_arguments(parser)
    parser.set_defaults(handler=run_command)


def run_command(options: argparse.Namespace) -> int:
    asked = plan_options.traffic_model(options)
    preset_options = plan_options.preset_options(options)
    if bool(options.filename) == bool(options.preset):
        raise SpecError("plan needs either -f FILE (repeatable) or --preset nginx-canary")
    if options.preset:
        lines, steps, analyses = _preset_plan(preset_options)
    else:
        spec = load(*options.filename)
        if spec.blue_green is not None and asked is not None:
            raise SpecError(BLUE_GREEN_DETECTION)
        lines, steps, analyses = render(spec), spec.steps, plan_analysis.of_spec(spec)
    if asked is not None:
        lines += _detection(steps, analyses, asked)
    for line in lines:
        print(line)
    return EXIT_OK


def _detection(
    steps: tuple[Step, ...], analyses: list[plan_analysis.Analyses], asked: plan_options.Asked
) -> list[str]:
    """Gated plans: the simulated table; others: the first-order estimates at each traffic level."""
    if plan_gated.is_gated(steps):
        return plan_gated.render(steps, analyses, asked.models, asked.extra, asked.history)
    if asked.history:
        raise SpecError("--history is modelled for gated plans only (--gated, or a plan with Gate steps)")
    found: list[str] = []
    for model in asked.models:
        found += plan_detection.render(holds(steps), analyses, model, asked.extra)
    return found


def _preset_plan(
    options: dict[str, Any],
) -> tuple[list[str], tuple[Step, ...], list[plan_analysis.Analyses]]:
    """`nginx_canary`'s plan with its defaults and `options` (no query is sent: planning reads settings)."""
    from canarykit.presets import nginx_canary

    preset = nginx_canary("planned", **options)
    steps, background = tuple(preset.plan), preset.analysis
    metrics = ", ".join(metric.name for metric in background.metrics())
    given = ", ".join(f"{key}={value}" for key, value in options.items() if value is not None)
    title = (
        f"Preset nginx-canary{f' ({given})' if given else ''}: {len(steps)} steps, background analysis "
        f"{metrics} {_from_step(background.starting_step)}"
    )
    table = _table(_rows(steps, background.starting_step))
    lines = [title, "traffic: nginx ingress (any, with a canary Ingress)", *table, _total(steps)]
    return lines, steps, plan_analysis.of_python(steps, background)


def render(spec: RolloutSpec) -> list[str]:
    """The plan as text lines: a header, one aligned line per step (or blue-green phase), and the total."""
    if spec.blue_green is not None:
        return render_blue_green(spec, spec.blue_green)
    starting = None if spec.background is None else spec.background.starting_step
    return [_title(spec), _traffic(spec), *_table(_rows(spec.steps, starting)), _total(spec.steps)]


def _table(rows: list[tuple[str, str, str, str]]) -> list[str]:
    rows = [("#", "step", "analysis", "ends at"), *rows]
    widths = [max(len(row[column]) for row in rows) for column in range(3)]
    return [
        f"  {index:>{widths[0]}}  {label:<{widths[1]}}  {analysis:<{widths[2]}}  {ends}".rstrip()
        for index, label, analysis, ends in rows
    ]


def _from_step(starting_step: int) -> str:
    return f"from step {starting_step + 1} (startingStep {starting_step})"


def _title(spec: RolloutSpec) -> str:
    name = f"{spec.namespace}/{spec.name}" if spec.namespace else spec.name
    text = f"Rollout {name}: {len(spec.steps)} steps, "
    if spec.background is None:
        return text + "no background analysis"
    templates = names(spec.background.templates)
    return text + f"background analysis {templates} {_from_step(spec.background.starting_step)}"


def _traffic(spec: RolloutSpec) -> str:
    services = f"stable {spec.stable_service}, canary {spec.canary_service}"
    if spec.gateway_api is not None:
        routes = ", ".join(_route(route) for route in spec.gateway_api.routes)
        return f"traffic: Gateway API {routes}; {services}; {_replicas(spec.replicas)}"
    if spec.nginx is None:
        return f"traffic: by replica count ({_replicas(spec.replicas)}, no trafficRouting)"
    ingresses = ", ".join(spec.nginx.stable_ingresses)
    return f"traffic: nginx ingress {ingresses}; {services}; {_replicas(spec.replicas)}"


def _route(route: RouteTarget) -> str:
    """`HTTPRoute web`, or `HTTPRoute selector app=web`."""
    return f"{route.kind} {route.name}" if route.name else f"{route.kind} selector {route.selector}"


def _replicas(count: int) -> str:
    return f"{count} replica" + ("" if count == 1 else "s")


def _rows(steps: tuple[Step, ...], starting: int | None) -> list[tuple[str, str, str, str]]:
    rows: list[tuple[str, str, str, str]] = []
    elapsed, unknown = 0.0, False
    for index, step in enumerate(steps):
        seconds = step_seconds(step)
        if seconds is None:
            unknown = True
        else:
            elapsed += seconds
        ends = "until promoted" if isinstance(step, Pause) and step.indefinite else _clock(elapsed, unknown)
        rows.append((str(index + 1), action(step), _analysis(starting, index, step), ends))
    return rows


def _total(steps: tuple[Step, ...]) -> str:
    elapsed = sum(step_seconds(step) or 0.0 for step in steps)
    unknown = any(step_seconds(step) is None for step in steps)
    waits = " plus the time until promoted" if unknown else ""
    if plan_gated.is_gated(steps):
        most = short_duration(elapsed)
        return f"total: at most {most}{waits} (gates end once the judges clear the canary), then 100%"
    return f"total: {short_duration(elapsed)}{waits}, then the canary is promoted to 100%"


def _analysis(starting: int | None, index: int, step: Step) -> str:
    where: list[str] = []
    if starting is not None and index >= starting:
        where.append("background starts" if index == starting else "background")
    if isinstance(step, Analysis):
        where.append("inline")
    return " + ".join(where)


def _clock(seconds: float, unknown: bool) -> str:
    return short_duration(seconds) + (UNKNOWN if unknown else "")
