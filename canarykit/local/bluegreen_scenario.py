"""The blue-green demo's strategy: Argo's blueGreen options and its two analyses, scaled to `--pause`.

Pre-promotion analysis asks Prometheus for the success rate of the preview's requests (the Ingress
`canary-demo-preview`), post-promotion analysis the success rate of the active side's (`canary-demo`,
all on the new version once switched). Each waits one rate window and a scrape before measuring, so
every measurement counts only requests the version being judged answered.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from canarykit.analysis import Metric
from canarykit.errors import SpecError
from canarykit.local.ingress_metrics import REQUESTS
from canarykit.local.stack import INGRESS, PREVIEW_INGRESS
from canarykit.providers import PrometheusProvider
from canarykit.steps import Analysis
from canarykit.steps.bluegreen import BlueGreen

MIN_PAUSE, MAX_PAUSE = 1.0, 120.0
MIN_WINDOW = 4.0
"""Shortest rate window, in seconds: four scrapes at the demo's 1 s scrape interval."""
SCRAPE = 1.0
MEASUREMENTS = 3
THRESHOLD = 0.95
ACTIVE_SERVICE, PREVIEW_SERVICE = INGRESS, PREVIEW_INGRESS


@dataclass(frozen=True)
class Timing:
    """The demo's durations for one `--pause`, in seconds."""

    pause: float
    window: float
    interval: float
    scale_down_delay: int

    @classmethod
    def of(cls, pause: float) -> Timing:
        """`pause` is the auto-promotion pause; the rest scales with it (windows of half a pause, >= 4 s)."""
        if not MIN_PAUSE <= pause <= MAX_PAUSE:
            raise SpecError(f"--pause must be between 1s and 2m, got {pause:g}s")
        return cls(pause, max(MIN_WINDOW, pause / 2), max(1.0, pause / 5), max(1, math.ceil(pause / 4)))


def success_rate_query(ingress: str, window: float) -> str:
    """ingress-nginx's success rate of `ingress` over `window` seconds (the reference query's form)."""
    labels, span = f'ingress="{ingress}"', f"[{window:g}s]"
    good = f'sum(rate({REQUESTS}{{{labels},status!~"[4-5].*"}}{span}))'
    return f"{good}/sum(rate({REQUESTS}{{{labels}}}{span}))"


def success_rate(prometheus: str, ingress: str, timing: Timing) -> Metric:
    """Three measurements of `ingress`'s success rate, the first once a whole window is the new version's."""
    return Metric(
        "success-rate",
        PrometheusProvider(prometheus),
        query=success_rate_query(ingress, timing.window),
        interval=timing.interval,
        initial_delay=timing.window + SCRAPE,
        count=MEASUREMENTS,
        success_condition=f"result[0] >= {THRESHOLD}",
        failure_limit=0,
    )


def blue_green(prometheus: str, timing: Timing) -> BlueGreen:
    """Preview checked by pre-promotion analysis, an auto-promotion pause, post-promotion analysis."""
    return BlueGreen(
        ACTIVE_SERVICE,
        PREVIEW_SERVICE,
        pre_promotion_analysis=Analysis([success_rate(prometheus, PREVIEW_INGRESS, timing)]),
        post_promotion_analysis=Analysis([success_rate(prometheus, INGRESS, timing)]),
        auto_promotion_seconds=timing.pause,
        scale_down_delay=timing.scale_down_delay,
        abort_scale_down_delay=timing.scale_down_delay,
    )


def describe(timing: Timing) -> str:
    """One line saying what the analyses measure, for the live view."""
    return (
        f"analysis: success rate >= {THRESHOLD} over {timing.window:g}s windows, {MEASUREMENTS} measurements "
        f"{timing.interval:g}s apart; auto-promotion after {timing.pause:g}s"
    )
