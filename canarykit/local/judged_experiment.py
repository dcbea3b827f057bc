"""The demo's third experiment: the comparison judge against the reference threshold, on the same traffic.

The canary fails 2 % of its requests, four times stable's 0.5 %. The reference analysis (the whole
ingress' success ratio above 0.90) runs beside the judge as a dry run: it is measured and recorded but
decides nothing, so the summary can show what it would have done.

The fourth experiment is gated (`gated_scenario`, `gated_analysis`): a `Gate` in place of each pause, so a
version as good as stable is promoted as soon as the judge clears it; `promotion_summary` says how early.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from canarykit.analysis import Metric, Phase
from canarykit.durations import short_duration
from canarykit.judges import ErrorRateComparison
from canarykit.local.scenario import Scenario
from canarykit.local.stack import INGRESS
from canarykit.rollout import events as ev
from canarykit.rollout.analyses import BackgroundAnalysis
from canarykit.rollout.gate_actions import CLEARED
from canarykit.rollout.result import RolloutResult
from canarykit.steps import Gate, Pause, Plan

JUDGE = "error-rate-comparison"
JUDGE_PAUSE = 30.0
"""Shortest pause for this experiment: a 4x regression on 0.5 % errors needs a few hundred canary requests."""
GATE_MAX = 60.0
"""Shortest gate for the gated experiment at `GATE_RATE` requests/s: the plan it can beat is four of them."""
GATE_RATE = 100.0
"""Below this traffic the gates grow in proportion, so the evidence they can hold stays the same."""
ZONE = (1.0, 3.0)
"""The gated judge's indifference zone (pass_ratio, fail_ratio): clears a canary credibly no worse than
stable, fails one credibly above 3x. At the demo's 100 requests/s and 0.5 % errors it clears a healthy
canary in about 85 s on expected counts; the recommended zone (1.0 to 2.0) needs about 3.5 minutes there."""


class DryRunReference:
    """The scenario's own metrics, rebuilt for each run with `dry_run` set."""

    def __init__(self, scenario: Scenario) -> None:
        background = scenario.spec.background
        if background is None:
            raise ValueError("the scenario has no background analysis")
        self.templates, self.args = background.templates, dict(background.args)

    def metrics(self, args: Mapping[str, str], prometheus: Any = None) -> list[Metric]:
        found = [m for t in self.templates for m in t.metrics({**self.args, **args}, prometheus=prometheus)]
        for metric in found:
            metric.dry_run = True
        return found


def judged_analysis(scenario: Scenario, prometheus: str) -> BackgroundAnalysis:
    """The judge from the canary's first request, and the reference analysis as a dry run beside it."""
    judge = ErrorRateComparison(prometheus, INGRESS)
    interval = f"{max(scenario.interval, 2.0):g}s"
    sources = [judge.template(JUDGE, interval=interval), DryRunReference(scenario)]
    return BackgroundAnalysis(sources, prometheus=prometheus)


def both_verdicts(result: RolloutResult) -> list[str]:
    """What the judge decided, and what the reference threshold would have decided on the same traffic."""
    lines = []
    for analysis in result.analyses:
        for metric in analysis.metrics:
            failed = sum(1 for m in metric.measurements if m.phase is Phase.FAILED)
            if metric.name == JUDGE:
                lines.append(
                    f"comparison judge: {metric.phase.value} after {len(metric.measurements)} measurements"
                )
            else:
                would = "would have rolled back" if metric.phase is Phase.FAILED else "would have promoted"
                count = len(metric.measurements)
                lines.append(
                    f"reference threshold (dry run): {failed} of {count} measurements failed: {would}"
                )
    return lines


def reference_would_promote(result: RolloutResult) -> bool:
    """True when the dry-run reference metrics never went past their limits."""
    dry = [m for a in result.analyses for m in a.metrics if m.name != JUDGE]
    return bool(dry) and all(metric.phase is not Phase.FAILED for metric in dry)


def gated_scenario(scenario: Scenario, gate_max: float | None = None) -> Scenario:
    """`scenario` with a `Gate` in place of each timed pause, at most `gate_max` s (default: the pause)."""
    steps = Plan(
        Gate(step.seconds if gate_max is None else gate_max)
        if isinstance(step, Pause) and step.seconds
        else step
        for step in scenario.spec.steps
    )
    return replace(scenario, spec=replace(scenario.spec, steps=steps))


def gate_length(pause: float, rate: float) -> float:
    """The gated experiment's gate `max`: at least the pause, and `GATE_MAX` scaled up for low traffic."""
    return max(pause, GATE_MAX * max(1.0, GATE_RATE / rate))


def gated_analysis(
    prometheus: Any, scenario: Scenario, zone: tuple[float, float] = ZONE
) -> BackgroundAnalysis:
    """The judge alone, with an indifference zone so a version as good as stable can be cleared."""
    judge = ErrorRateComparison(prometheus, INGRESS, pass_ratio=zone[0], fail_ratio=zone[1])
    interval = f"{max(scenario.interval, 2.0):g}s"
    return BackgroundAnalysis([judge.template(JUDGE, interval=interval)])


def plan_seconds(scenario: Scenario) -> float:
    """How long the scenario's plan holds the canary at most: its timed pauses and its gates' `max`."""
    total = 0.0
    for step in scenario.spec.steps:
        if isinstance(step, Gate):
            total += step.max_seconds
        elif isinstance(step, Pause):
            total += step.seconds or 0.0
    return total


def promoted_early(result: RolloutResult) -> bool:
    """True when the rollout was promoted and a judge clearance, not a timer, ended one of its gates."""
    cleared = any(isinstance(e, ev.StepCompleted) and e.reason == CLEARED for e in result.events)
    return cleared and any(isinstance(e, ev.Promoted) for e in result.events)


def promotion_summary(result: RolloutResult, planned: float) -> str:
    """E.g. `promoted after 2m10s of the plan's 8m: cleared by the judges`, from the rollout's events."""
    started = next((e.time for e in result.events if isinstance(e, ev.StepStarted)), None)
    promoted = next((e.time for e in result.events if isinstance(e, ev.Promoted)), None)
    if started is None or promoted is None:
        return f"not promoted: {result.phase.value}"
    took = f"promoted after {short_duration(promoted - started)} of the plan's {short_duration(planned)}"
    gates = [e for e in result.events if isinstance(e, ev.StepCompleted) and e.reason]
    if promoted_early(result):
        return f"{took}: cleared by the judges"
    return f"{took}: the judges could not tell within the gates ({len(gates)} timed out)"
