"""The demo's third experiment: the comparison judge against the reference threshold, on the same traffic.

The canary fails 2 % of its requests, four times stable's 0.5 %. The reference analysis (the whole
ingress' success ratio above 0.90) runs beside the judge as a dry run: it is measured and recorded but
decides nothing, so the summary can show what it would have done.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from canarykit.analysis import Metric, Phase
from canarykit.judges import ErrorRateComparison
from canarykit.local.scenario import Scenario
from canarykit.local.stack import INGRESS
from canarykit.rollout.analyses import BackgroundAnalysis
from canarykit.rollout.result import RolloutResult

JUDGE = "error-rate-comparison"
JUDGE_PAUSE = 30.0
"""Shortest pause for this experiment: a 4x regression on 0.5 % errors needs a few hundred canary requests."""


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
