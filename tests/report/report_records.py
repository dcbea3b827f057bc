"""Real audit records: rollouts run with canarykit.testing (in-memory router and workload, fake clock)."""

from __future__ import annotations

from typing import Any

from judge_support import T0, FakeIngress, rates

from canarykit import BackgroundAnalysis, Metric, ProviderError, Rollout
from canarykit.judges import ErrorRateComparison
from canarykit.rollout.result import RolloutResult
from canarykit.steps import Pause, SetWeight, Step
from canarykit.testing import FakeClock, InMemoryRouter, InMemoryWorkload, ScriptedProvider

STEPS: list[Step] = [SetWeight(20), Pause("1m"), SetWeight(60), Pause("1m")]
HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'
"""A name as hostile YAML could give it: it must reach the page as text, never as markup."""


def run(
    metrics: list[Metric], name: str = "web", version: str = "green", steps: list[Step] | None = None
) -> RolloutResult:
    """Run a rollout over `steps` with `metrics` as background analysis from step 2."""
    analysis = BackgroundAnalysis(metrics, starting_step=1)
    router, workload = InMemoryRouter(), InMemoryWorkload("blue")
    rollout = Rollout(name, steps or STEPS, router, workload, analysis=analysis, clock=FakeClock(T0))
    return rollout.run(version, handle_signals=False)


def threshold_metric(values: list[Any], name: str = "success-rate", **options: Any) -> Metric:
    options.setdefault("success_condition", "result[0] > 0.90")
    return Metric(name, ScriptedProvider(values), "q", "10s", **options)


def rolled_back() -> RolloutResult:
    """Two good measurements, then two below 0.90: rolled back at 30 s (failureLimit 1)."""
    return run([threshold_metric([[0.99], [0.97], [0.85]], failure_limit=1)])


def healthy() -> RolloutResult:
    """Every measurement at 0.99 against `>= 0.95`: promoted after two 1 m pauses."""
    return run([threshold_metric([[0.99]], success_condition="result[0] >= 0.95")])


def judged() -> RolloutResult:
    """The comparison judge on a canary failing 4 % against stable's 0.5 %, beside a dry-run threshold."""
    judge = ErrorRateComparison(FakeIngress((T0, rates(100, 0.04, 900, 0.005))), "web")
    return run([judge.metric(), threshold_metric([[0.97]], name="reference", dry_run=True)])


def erroring() -> RolloutResult:
    """A provider that fails every time: Error measurements have no number to plot."""
    return run([threshold_metric([ProviderError("connection refused")], name="latency")])


def hostile() -> RolloutResult:
    """Rollout, version and metric named with markup, so their words reach every part of the page."""
    metric = threshold_metric([[0.5]], name=HOSTILE, failure_limit=0)
    return run([metric], name=f"web{HOSTILE}", version=f"v{HOSTILE}")
