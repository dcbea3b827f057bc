"""What a fault-matrix driver rolls out: canary steps with background analysis, or a `BlueGreen` release
whose pre/post-promotion analyses query the same Prometheus (the driver config's `bluegreen`)."""

from __future__ import annotations

from typing import Any

from driver_config import AnalysisConfig, DriverConfig

from canarykit import BackgroundAnalysis, Metric, PrometheusProvider
from canarykit.steps import Analysis, Pause, SetWeight, Step
from canarykit.steps.bluegreen import BlueGreen

ACTIVE, PREVIEW = "web-active", "web-preview"


def metric_of(config: AnalysisConfig) -> Metric:
    """One metric every 10 s against the Prometheus at `config.address`."""
    return Metric(
        "success-rate",
        PrometheusProvider(config.address, timeout=config.timeout),
        query=config.query,
        interval="10s",
        count=config.count,
        success_condition=config.success,
        failure_limit=config.failure_limit,
        consecutive_error_limit=config.consecutive_error_limit,
    )


def steps_of(config: DriverConfig) -> list[Step]:
    return [SetWeight(value) if kind == "weight" else Pause(value) for kind, value in config.steps]


def analysis_of(config: AnalysisConfig | None) -> BackgroundAnalysis | None:
    if config is None:
        return None
    return BackgroundAnalysis([metric_of(config)], starting_step=config.starting_step)


def blue_green_of(config: DriverConfig) -> BlueGreen:
    """The driver config's blue-green release, its delays the config's."""
    options = config.bluegreen
    assert options is not None
    return BlueGreen(
        ACTIVE,
        PREVIEW,
        pre_promotion_analysis=Analysis([metric_of(options.pre)]) if options.pre else None,
        post_promotion_analysis=Analysis([metric_of(options.post)]) if options.post else None,
        auto_promotion_enabled=options.auto_promotion_enabled,
        auto_promotion_seconds=options.auto_promotion_seconds or None,
        scale_down_delay=config.scale_down_delay,
        abort_scale_down_delay=config.abort_scale_down_delay,
    )


def strategy_of(config: DriverConfig) -> tuple[list[Step] | BlueGreen, dict[str, Any]]:
    """What `Rollout` runs, and the options that go with it (a blue-green release takes its delays)."""
    if config.bluegreen is not None:
        return blue_green_of(config), {}
    options = {
        "analysis": analysis_of(config.analysis),
        "scale_down_delay": config.scale_down_delay,
        "abort_scale_down_delay": config.abort_scale_down_delay,
    }
    return steps_of(config), options
