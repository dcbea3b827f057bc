"""The reference scenario (Argo Rollout + AnalysisTemplate), with its clock scaled down for a local demo.

The files are the reference ones, unchanged on disk. `scaled_scenario(pause)` shortens every pause to
`pause` seconds and scales the rest by the same factor (2 minutes -> `pause`): the analysis interval, the
`[60s]` rate windows of the queries and the scale-down delays, so the analysis judges as many
measurements over as much traffic, relatively, as the real scenario does.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from importlib import resources
from typing import Any

import yaml

from canarykit.argo import RolloutSpec, load
from canarykit.durations import parse_duration
from canarykit.errors import SpecError

REFERENCE_PAUSE = 120.0
MIN_INTERVAL = 1.0
MIN_WINDOW = 4.0
"""Shortest rate window, in seconds: four scrapes at the demo's 1 s scrape interval."""
_WINDOW = re.compile(r"\[(\d+[smh])\]")


@dataclass(frozen=True)
class Scenario:
    """A loaded, scaled scenario and the factor applied to its durations."""

    spec: RolloutSpec
    factor: float
    rollout_yaml: str
    template_yaml: str
    interval: float
    """Seconds between two measurements of the (first) metric, after scaling."""
    window: float
    """Seconds of its queries' rate windows, after scaling."""
    failure_limit: int


def reference_text(name: str) -> str:
    """`rollout.yaml` or `analysis-template.yaml` of the reference scenario, as shipped with canarykit."""
    return resources.files("canarykit.local").joinpath("scenario").joinpath(name).read_text(encoding="utf-8")


def scaled_scenario(pause: float) -> Scenario:
    """The reference scenario with 2-minute pauses turned into `pause` seconds, everything else in step."""
    if not 1.0 <= pause <= REFERENCE_PAUSE:
        raise SpecError(f"--pause must be between 1s and 2m, got {pause:g}s")
    factor = pause / REFERENCE_PAUSE
    rollout = yaml.safe_load(reference_text("rollout.yaml"))
    template = yaml.safe_load(reference_text("analysis-template.yaml"))
    _scale_rollout(rollout, factor)
    _scale_template(template, factor)
    rollout_text, template_text = yaml.safe_dump(rollout), yaml.safe_dump(template)
    metric = template["spec"]["metrics"][0]
    window = _WINDOW.search(metric["provider"]["prometheus"]["query"])
    return Scenario(
        load(rollout_text, template_text),
        factor,
        rollout_text,
        template_text,
        interval=parse_duration(metric["interval"]),
        window=parse_duration(window.group(1)) if window else 0.0,
        failure_limit=int(metric.get("failureLimit", 0)),
    )


def _scale_rollout(rollout: dict[str, Any], factor: float) -> None:
    canary = rollout["spec"]["strategy"]["canary"]
    for step in canary["steps"]:
        if "pause" in step and step["pause"].get("duration") is not None:
            step["pause"]["duration"] = _seconds_text(parse_duration(step["pause"]["duration"]) * factor)
    for field in ("scaleDownDelaySeconds", "abortScaleDownDelaySeconds"):
        canary[field] = max(1, math.ceil(float(canary.get(field, 30)) * factor))


def _scale_template(template: dict[str, Any], factor: float) -> None:
    for metric in template["spec"]["metrics"]:
        if metric.get("interval"):
            metric["interval"] = _seconds_text(max(MIN_INTERVAL, parse_duration(metric["interval"]) * factor))
        prometheus = metric.get("provider", {}).get("prometheus")
        if prometheus and prometheus.get("query"):
            prometheus["query"] = _WINDOW.sub(
                lambda m: _scaled_window(m.group(1), factor), prometheus["query"]
            )


def _scaled_window(window: str, factor: float) -> str:
    return f"[{_seconds_text(max(MIN_WINDOW, parse_duration(window) * factor))}]"


def _seconds_text(seconds: float) -> str:
    """Whole seconds as a Go duration (`5s`); Prometheus and Argo both read it."""
    return f"{max(1, round(seconds))}s"
