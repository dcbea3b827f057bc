"""What a `Rollout` runs: canary steps or a blue-green release (`BlueGreen`), checked before it moves."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from canarykit.durations import Duration, parse_duration
from canarykit.errors import SpecError
from canarykit.providers.base import PrometheusOverride
from canarykit.rollout.analyses import BackgroundAnalysis, check_analysis
from canarykit.steps import Plan, Step
from canarykit.steps.bluegreen import DEFAULT_SCALE_DOWN_DELAY, BlueGreen
from canarykit.steps.bluegreen_phases import blue_green_plan
from canarykit.traffic.base import PreviewRouter

Delays = tuple[float, float | None]
"""Seconds before the old version goes after a promotion, and the new one after an abort (None: never)."""


def plan_of(steps: Sequence[Step] | BlueGreen) -> tuple[Plan, BlueGreen | None]:
    """The plan to walk: the steps, or a blue-green release's phases, with its options."""
    if isinstance(steps, BlueGreen):
        return blue_green_plan(steps), steps
    return Plan(steps), None


def scale_down_delays(
    strategy: BlueGreen | None, scale_down_delay: Duration | None, abort_scale_down_delay: Duration | None
) -> Delays:
    """A canary's delays from the Rollout's options (30 s each by default); blue-green's from `BlueGreen`."""
    if strategy is None:
        return (
            parse_duration(_or_default(scale_down_delay), "scale_down_delay"),
            parse_duration(_or_default(abort_scale_down_delay), "abort_scale_down_delay"),
        )
    given = {"scale_down_delay": scale_down_delay, "abort_scale_down_delay": abort_scale_down_delay}
    for name, value in given.items():
        if value is not None:
            raise SpecError(f"a blue-green rollout takes {name} from BlueGreen({name}=...), not from Rollout")
    return strategy.scale_down_delay_seconds, strategy.abort_scale_down_delay_seconds


def check_blue_green(
    strategy: BlueGreen | None,
    router: Any,
    background: BackgroundAnalysis | None,
    prometheus: PrometheusOverride,
) -> None:
    """A preview needs a router that serves one; blue-green has no background analysis; the pre- and
    post-promotion analyses resolve (templates, args) before anything moves."""
    if strategy is None:
        return
    if strategy.preview_service is not None and not serves_preview(router):
        raise SpecError(
            f"{type(router).__name__} cannot serve a preview: a BlueGreen with preview_service needs a "
            "router with set_preview() and get_preview() (e.g. NginxUpstreamRouter(preview_upstream=...))",
            "BlueGreen.preview_service",
        )
    if background is not None:
        raise SpecError(
            "a blue-green rollout has no background analysis: use BlueGreen(pre_promotion_analysis=..., "
            "post_promotion_analysis=...)",
            "analysis",
        )
    for name in ("pre_promotion_analysis", "post_promotion_analysis"):
        analysis = getattr(strategy, name)
        if analysis is not None:
            check_analysis(analysis, prometheus, f"BlueGreen.{name}")


def serves_preview(router: object) -> bool:
    """A `PreviewRouter` that does not say it was configured without a preview (`serves_preview`)."""
    return isinstance(router, PreviewRouter) and getattr(router, "serves_preview", True) is True


def _or_default(delay: Duration | None) -> Duration:
    return DEFAULT_SCALE_DOWN_DELAY if delay is None else delay
