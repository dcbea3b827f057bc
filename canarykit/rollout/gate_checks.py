"""What a plan with `Gate` steps needs, checked before anything moves: a judge that can clear the canary."""

from __future__ import annotations

from canarykit.analysis import Metric
from canarykit.errors import SpecError
from canarykit.rollout.analyses import BackgroundAnalysis
from canarykit.steps import Gate, Plan


def is_judge(metric: Metric) -> bool:
    """A metric that can clear the canary early (a judge's `settled`) and decides (not a dry run)."""
    return metric.settled is not None and not metric.dry_run


def check_gates(plan: Plan, analysis: BackgroundAnalysis | None) -> None:
    """A plan with gates needs a judge in the background analysis, running from the first gate on."""
    gates = [index for index, step in enumerate(plan) if isinstance(step, Gate)]
    if not gates:
        return
    path = f"steps[{gates[0]}]"
    if analysis is None or not any(is_judge(metric) for metric in analysis.metrics()):
        raise SpecError(
            "a Gate needs a judge (e.g. ErrorRateComparison(...).template()) in the rollout's background "
            "analysis: nothing else can clear the canary",
            path,
        )
    if analysis.starting_step > gates[0]:
        raise SpecError(
            f"a Gate needs the background analysis running, but it starts at step {analysis.starting_step}",
            path,
        )
