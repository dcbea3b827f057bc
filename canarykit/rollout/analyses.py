"""Analyses a rollout runs: background analysis from a step on, and the metrics sources both kinds accept."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from canarykit.analysis import Metric
from canarykit.analysis.run import validate_metrics
from canarykit.errors import SpecError
from canarykit.providers.base import PrometheusOverride
from canarykit.steps import Analysis, Plan


def resolve_metrics(
    source: Any, args: Mapping[str, str], prometheus: PrometheusOverride = None
) -> list[Metric]:
    """Metrics from a `Metric`, a template (with `metrics(args, prometheus)`), or a sequence of them."""
    if isinstance(source, Metric):
        return [source]
    if callable(getattr(source, "metrics", None)):
        metrics: list[Metric] = source.metrics(args, prometheus)
        return metrics
    if isinstance(source, Sequence) and not isinstance(source, str):
        return [metric for item in source for metric in resolve_metrics(item, args, prometheus)]
    raise SpecError(f"analysis needs Metrics or AnalysisTemplates, got {source!r}")


@dataclass(frozen=True)
class BackgroundAnalysis:
    """Analysis that starts when the step index reaches `starting_step` and runs until promotion or abort."""

    source: Any
    args: Mapping[str, str] = field(default_factory=dict)
    starting_step: int = 0
    prometheus: PrometheusOverride = None

    def __post_init__(self) -> None:
        if self.starting_step < 0:
            raise SpecError(f"starting_step must be >= 0, got {self.starting_step}")
        validate_metrics(self.metrics())  # the source, its args and its metrics, before anything runs

    def metrics(self) -> list[Metric]:
        return resolve_metrics(self.source, self.args, self.prometheus)


def check_analyses(
    plan: Plan, background: BackgroundAnalysis | None, prometheus: PrometheusOverride = None
) -> None:
    """Background analysis within the plan, and every analysis step's metrics resolved once, so bad
    templates or args fail before traffic moves."""
    if background is not None and background.starting_step > len(plan):
        raise SpecError(f"starting_step {background.starting_step} is past the last step ({len(plan)})")
    for index, step in enumerate(plan):
        if isinstance(step, Analysis):
            check_analysis(step, prometheus, f"steps[{index}]")


def check_analysis(analysis: Analysis, prometheus: PrometheusOverride, path: str) -> None:
    """The analysis' metrics resolved and valid; an error that does not say where is placed at `path`."""
    try:
        validate_metrics(resolve_metrics(analysis.source, analysis.args, prometheus))
    except SpecError as error:
        if error.path or error.source:
            raise
        raise SpecError(error.reason, path) from None
