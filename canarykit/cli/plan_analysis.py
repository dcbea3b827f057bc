"""What judges a Rollout's canary, for `canarykit plan`: its judges (and their settings), its thresholds."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from canarykit.analysis import Metric
from canarykit.argo import AnalysisTemplate, RolloutSpec
from canarykit.judges.low_traffic import LowTraffic
from canarykit.judges.sequential import SequentialSplitTest
from canarykit.judges.session import ComparisonSession
from canarykit.rollout.analyses import BackgroundAnalysis, resolve_metrics
from canarykit.steps import Analysis, Step

ARGO_PROVIDERS = ("prometheus", "web", "job", "datadog")


@dataclass(frozen=True)
class JudgeMetric:
    """A comparison judge's metric: its name, the judge's class, its test, low-traffic policy and interval,
    and the seconds of stable's history before the canary that inform its test (0: none)."""

    name: str
    kind: str
    test: SequentialSplitTest
    low_traffic: LowTraffic | None
    settle: bool
    interval: float
    min_difference: float = 0.0
    bad_events: str = "errors"
    history: float = 0.0


@dataclass(frozen=True)
class ThresholdMetric:
    """A metric judged by conditions on the values its provider returns."""

    name: str
    provider: str


@dataclass(frozen=True)
class Analyses:
    """One analysis of a Rollout: background (from `start` to the end) or inline (the step at `start`)."""

    background: bool
    start: int
    judges: tuple[JudgeMetric, ...]
    thresholds: tuple[ThresholdMetric, ...]

    def where(self) -> str:
        """`background from step 3` or `inline at step 5` (1-based, as a person counts)."""
        return (
            f"background from step {self.start + 1}"
            if self.background
            else f"inline at step {self.start + 1}"
        )


def of_spec(spec: RolloutSpec) -> list[Analyses]:
    """The analyses of an Argo Rollout: its templates hold threshold metrics only (no judge in Argo YAML)."""
    found = []
    if spec.background is not None:
        thresholds = _template_thresholds(spec.background.templates)
        found.append(Analyses(True, spec.background.starting_step, (), thresholds))
    for index, step in enumerate(spec.steps):
        if isinstance(step, Analysis):
            found.append(Analyses(False, index, (), _template_thresholds(step.source)))
    return found


def of_python(steps: Sequence[Step], background: BackgroundAnalysis | None) -> list[Analyses]:
    """The analyses of a plan and background analysis built in Python (a preset, a `Rollout`'s)."""
    found = []
    if background is not None:
        found.append(_classified(True, background.starting_step, background.metrics()))
    for index, step in enumerate(steps):
        if isinstance(step, Analysis):
            found.append(_classified(False, index, resolve_metrics(step.source, step.args)))
    return found


def judge_of(metric: Metric) -> JudgeMetric | None:
    """The judge behind a metric built by `SplitComparison.metric()`; None for any other metric."""
    session = metric.provider
    if not isinstance(session, ComparisonSession):
        return None
    judge: Any = session.judge
    test = judge.new_test()
    slower = getattr(judge, "slower_than", None)
    bad = "errors" if slower is None else f"requests slower than {slower:g}s"
    return JudgeMetric(
        metric.name,
        type(judge).__name__,
        test,
        judge.low_traffic,
        session.settle,
        session.interval,
        test.min_difference,
        bad,
        judge.history_seconds or 0.0,
    )


def _classified(background: bool, start: int, metrics: Iterable[Metric]) -> Analyses:
    judges, thresholds = [], []
    for metric in metrics:
        judge = judge_of(metric)
        if judge is not None:
            judges.append(judge)
        else:
            thresholds.append(ThresholdMetric(metric.name, type(metric.provider).__name__))
    return Analyses(background, start, tuple(judges), tuple(thresholds))


def _template_thresholds(templates: Iterable[AnalysisTemplate]) -> tuple[ThresholdMetric, ...]:
    return tuple(
        ThresholdMetric(metric.name, _provider(metric.provider))
        for template in templates
        for metric in template.spec.metrics
    )


def _provider(provider: Any) -> str:
    """The provider's field name in the template (`prometheus`, `web`, ...)."""
    return next((name for name in ARGO_PROVIDERS if getattr(provider, name, None) is not None), "provider")
