"""What each Rollout step does, as `canarykit plan` writes it, and how long it holds the rollout."""

from __future__ import annotations

from typing import Any

from canarykit.argo import AnalysisTemplate
from canarykit.cli.plan_detection import Hold
from canarykit.durations import parse_duration, short_duration
from canarykit.errors import DurationError
from canarykit.steps import Analysis, Gate, Pause, SetCanaryScale, SetHeaderRoute, SetWeight, Step


def holds(steps: tuple[Step, ...]) -> list[Hold]:
    """The steps that hold the canary at a weight between 0 and 100 % for some time, or until promoted."""
    weight, found = 0.0, []
    for index, step in enumerate(steps):
        weight = float(step.weight) if isinstance(step, SetWeight) else weight
        indefinite = isinstance(step, Pause) and step.indefinite
        seconds = None if indefinite else step_seconds(step)
        if 0 < weight < 100 and (indefinite or seconds or isinstance(step, Analysis)):
            found.append(Hold(index, action(step), weight, seconds))
    return found


def action(step: Step) -> str:
    """`setWeight 20`, `pause 5m`, `setCanaryScale 2 replicas`, `analysis errors`, ..."""
    if isinstance(step, SetWeight):
        return f"setWeight {step.weight}"
    if isinstance(step, Pause):
        if step.duration is None:
            return "pause"
        given = step.duration
        return f"pause {given if isinstance(given, str) else short_duration(float(given))}"
    if isinstance(step, SetCanaryScale):
        if step.match_traffic_weight:
            return "setCanaryScale matchTrafficWeight"
        return "setCanaryScale " + (
            f"{step.replicas} replicas" if step.replicas is not None else f"{step.weight}%"
        )
    if isinstance(step, SetHeaderRoute):
        return _header_route(step)
    if isinstance(step, Gate):
        return f"gate: until the judges clear it, at most {short_duration(step.max_seconds)}"
    return f"analysis {names(tuple(step.source))}"


def _header_route(step: SetHeaderRoute) -> str:
    """`setHeaderRoute X-Canary`, `setHeaderRoute beta: X-Test, X-Region`, or `setHeaderRoute (remove)`."""
    if step.removes:
        return "setHeaderRoute (remove)"
    headers = step.header or ", ".join(match.header for match in step.matches)
    return f"setHeaderRoute {step.name}: {headers}" if step.name else f"setHeaderRoute {headers}"


def step_seconds(step: Step) -> float | None:
    """How long a step holds the rollout (scaling time not counted); None when it cannot be known."""
    if isinstance(step, Pause):
        return step.seconds
    if isinstance(step, Gate):
        return step.max_seconds  # the longest it can hold
    if isinstance(step, Analysis):
        if not all(isinstance(template, AnalysisTemplate) for template in step.source):
            return None  # metrics built in Python (a judge runs until it decides)
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


def names(templates: tuple[Any, ...]) -> str:
    """The templates' names, comma-separated (`metrics` for metrics built in Python)."""
    return ", ".join(str(getattr(template, "name", "metrics")) for template in templates)
