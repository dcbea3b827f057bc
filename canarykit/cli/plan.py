"""`canarykit plan`: an Argo Rollout's steps, when each ends, where analysis runs, how fast it judges."""

from __future__ import annotations

import argparse
from typing import Any

from canarykit.argo import AnalysisTemplate, RolloutSpec, load
from canarykit.argo.gateway_routing import RouteTarget
from canarykit.cli import plan_detection
from canarykit.durations import parse_duration
from canarykit.errors import DurationError
from canarykit.steps import Analysis, Pause, SetCanaryScale, SetHeaderRoute, SetWeight, Step

UNKNOWN = "+?"


def register(commands: Any) -> None:
    parser = commands.add_parser("plan", help="print the steps of an Argo Rollout and when each ends")
    parser.add_argument(
        "-f",
        "--filename",
        action="append",
        required=True,
        help="Rollout or AnalysisTemplate YAML (repeatable)",
    )
    plan_detection.add_arguments(parser)
    parser.set_defaults(handler=run_command)


def run_command(options: argparse.Namespace) -> int:
    detection = plan_detection.detection(options)
    spec = load(*options.filename)
    lines = render(spec)
    if detection is not None:
        lines += plan_detection.render(holds(spec), detection)
    for line in lines:
        print(line)
    return 0


def render(spec: RolloutSpec) -> list[str]:
    """The plan as text lines: a header, one aligned line per step, and the total."""
    rows = [("#", "step", "analysis", "ends at"), *_rows(spec)]
    widths = [max(len(row[column]) for row in rows) for column in range(3)]
    table = [
        f"  {index:>{widths[0]}}  {action:<{widths[1]}}  {analysis:<{widths[2]}}  {ends}".rstrip()
        for index, action, analysis, ends in rows
    ]
    return [_title(spec), _traffic(spec), *table, _total(spec)]


def holds(spec: RolloutSpec) -> list[plan_detection.Hold]:
    """The steps that hold the canary at a weight between 0 and 100 % for some time, or until promoted."""
    weight, found = 0.0, []
    for index, step in enumerate(spec.steps):
        weight = float(step.weight) if isinstance(step, SetWeight) else weight
        indefinite = isinstance(step, Pause) and step.indefinite
        seconds = None if indefinite else _seconds(step)
        if 0 < weight < 100 and (indefinite or seconds):
            found.append(plan_detection.Hold(index, _action(step), weight, seconds))
    return found


def _title(spec: RolloutSpec) -> str:
    name = f"{spec.namespace}/{spec.name}" if spec.namespace else spec.name
    text = f"Rollout {name}: {len(spec.steps)} steps, "
    if spec.background is None:
        return text + "no background analysis"
    names = _names(spec.background.templates)
    return text + f"background analysis {names} from step {spec.background.starting_step}"


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


def _rows(spec: RolloutSpec) -> list[tuple[str, str, str, str]]:
    rows: list[tuple[str, str, str, str]] = []
    elapsed, unknown = 0.0, False
    for index, step in enumerate(spec.steps):
        seconds = _seconds(step)
        if seconds is None:
            unknown = True
        else:
            elapsed += seconds
        ends = "until promoted" if isinstance(step, Pause) and step.indefinite else _clock(elapsed, unknown)
        rows.append((str(index), _action(step), _analysis(spec, index, step), ends))
    return rows


def _total(spec: RolloutSpec) -> str:
    elapsed = sum(_seconds(step) or 0.0 for step in spec.steps)
    unknown = any(_seconds(step) is None for step in spec.steps)
    waits = " plus the time until promoted" if unknown else ""
    return f"total: {_short(elapsed)}{waits}, then the canary is promoted to 100%"


def _action(step: Step) -> str:
    if isinstance(step, SetWeight):
        return f"setWeight {step.weight}"
    if isinstance(step, Pause):
        if step.duration is None:
            return "pause"
        return f"pause {step.duration if isinstance(step.duration, str) else _short(float(step.duration))}"
    if isinstance(step, SetCanaryScale):
        if step.match_traffic_weight:
            return "setCanaryScale matchTrafficWeight"
        return "setCanaryScale " + (
            f"{step.replicas} replicas" if step.replicas is not None else f"{step.weight}%"
        )
    if isinstance(step, SetHeaderRoute):
        return _header_route(step)
    return f"analysis {_names(tuple(step.source))}"


def _header_route(step: SetHeaderRoute) -> str:
    """`setHeaderRoute X-Canary`, `setHeaderRoute beta: X-Test, X-Region`, or `setHeaderRoute (remove)`."""
    if step.removes:
        return "setHeaderRoute (remove)"
    headers = step.header or ", ".join(match.header for match in step.matches)
    return f"setHeaderRoute {step.name}: {headers}" if step.name else f"setHeaderRoute {headers}"


def _analysis(spec: RolloutSpec, index: int, step: Step) -> str:
    where: list[str] = []
    background = spec.background
    if background is not None and index >= background.starting_step:
        where.append("background starts" if index == background.starting_step else "background")
    if isinstance(step, Analysis):
        where.append("inline")
    return " + ".join(where)


def _seconds(step: Step) -> float | None:
    """How long a step holds the rollout (scaling time not counted); None when it cannot be known."""
    if isinstance(step, Pause):
        return step.seconds
    if isinstance(step, Analysis):
        estimates = [_template_seconds(template) for template in step.source]
        return None if None in estimates else max((e for e in estimates if e is not None), default=0.0)
    return 0.0


def _template_seconds(template: AnalysisTemplate) -> float | None:
    """initialDelay + (count - 1) * interval of the slowest metric (measurement time not counted)."""
    longest = 0.0
    for metric in template.spec.metrics:
        try:
            delay = parse_duration(metric.initial_delay) if metric.initial_delay else 0.0
            interval = parse_duration(metric.interval) if metric.interval else 0.0
            count = max(int(metric.count or 1), 1)
        except (DurationError, ValueError):
            return None
        longest = max(longest, delay + (count - 1) * interval)
    return longest


def _names(templates: tuple[AnalysisTemplate, ...]) -> str:
    return ", ".join(template.name for template in templates)


def _clock(seconds: float, unknown: bool) -> str:
    return _short(seconds) + (UNKNOWN if unknown else "")


def _short(seconds: float) -> str:
    """120 -> `2m`, 5400 -> `1h30m`, 90 -> `1m30s`, 0 -> `0s`."""
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    parts = [
        f"{int(hours)}h" if hours else "",
        f"{int(minutes)}m" if minutes else "",
        f"{secs:g}s" if secs else "",
    ]
    return "".join(parts) or "0s"
