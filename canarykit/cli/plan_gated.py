"""`canarykit plan` for gated plans: per traffic level, when a healthy canary is promoted and a regression
caught, by seeded simulation (`plan_gated_model`), and plainly when the plan cannot decide within its max."""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from canarykit.cli.plan_analysis import Analyses, JudgeMetric
from canarykit.cli.plan_detection import TrafficModel, clock
from canarykit.cli.plan_gated_model import (
    LOW_TRAFFIC,
    RUNS,
    SEED,
    GatedPlan,
    Run,
    gated_plan,
    history_of,
    simulate,
)
from canarykit.cli.plan_text import judge_settings, no_prediction
from canarykit.durations import short_duration
from canarykit.judges.simulation import Traffic
from canarykit.steps import Gate, Step

FATES = {
    "promoted": "promoted on timeouts",
    "paused": "paused at a timed-out gate until promoted",
    "timed out": "rolled back by a timed-out gate, undecided",
    LOW_TRAFFIC: "paused by the low-traffic policy",
    "rolled back": "rolled back",
}


@dataclass(frozen=True)
class Tally:
    """Runs of one canary: shares of each ending (promoted ones split by whether the judges cleared them)
    and the median time to reach `goal` (runs that do not count as never; None when over half do not)."""

    runs: int
    shares: dict[str, float]
    median: float | None

    @staticmethod
    def of(runs: Sequence[Run], goal: str) -> Tally:
        shares: dict[str, float] = {}
        for run in runs:
            key = "cleared" if run.ending == "promoted" and run.cleared else run.ending
            shares[key] = shares.get(key, 0.0) + 1 / len(runs)
        times = [run.time if run.ending == goal else math.inf for run in runs]
        median = statistics.median(times)
        return Tally(len(runs), shares, median if math.isfinite(median) else None)

    def share(self, *keys: str) -> float:
        return sum(self.shares.get(key, 0.0) for key in keys)


def is_gated(steps: Sequence[Step]) -> bool:
    """A plan with at least one `Gate` step."""
    return any(isinstance(step, Gate) for step in steps)


def render(
    steps: Sequence[Step],
    analyses: Sequence[Analyses],
    models: Sequence[TrafficModel],
    extra: JudgeMetric | None = None,
    history: float = 0.0,
    runs: int = RUNS,
) -> list[str]:
    """The judges the gates wait for, then per traffic level: healthy promoted, regression caught."""
    background = next((analysis for analysis in analyses if analysis.background), None)
    judges = [*(background.judges if background else ()), *([extra] if extra else [])]
    notes = [no_prediction(metric, each.where()) for each in analyses for metric in each.thresholds]
    if not judges:
        return [*notes, "gated plan: no judge in the background analysis, so every gate runs to its max"]
    start = background.start if background else 0
    plan, where = gated_plan(steps, start), background.where() if background else "from step 1"
    lines = [*notes, _header(plan, models[0], judges, history, runs)]
    lines += [f"  {judge_settings(judge, where, simulated=True)}" for judge in judges]
    lines += [f"  note: {plan.note}"] if plan.note else []
    cells = [(model, _cell(plan, judges, model, history, runs)) for model in models]
    lines += _table(models[0].ratio, cells, plan)
    for model, (healthy, regressed) in cells:
        lines += _plainly(model, healthy, regressed, plan)
    return lines


def _cell(
    plan: GatedPlan, judges: Sequence[JudgeMetric], model: TrafficModel, history: float, runs: int
) -> tuple[Tally, Tally]:
    scrape = judges[0].interval
    healthy = Traffic(model.traffic, model.baseline_error, 1.0, scrape)
    regressed = Traffic(model.traffic, model.baseline_error, model.ratio, scrape)
    return (
        Tally.of(simulate(plan, judges, healthy, history, runs), "promoted"),
        Tally.of(simulate(plan, judges, regressed, history, runs), "rolled back"),
    )


def _header(
    plan: GatedPlan, model: TrafficModel, judges: Sequence[JudgeMetric], history: float, runs: int
) -> str:
    names = ", ".join(judge.name for judge in judges)
    others = "; the other judges see it healthy, with bad events of their own" if len(judges) > 1 else ""
    known, longest = _history_note(judges, history), short_duration(plan.longest)
    return (
        f"gated plan (at most {longest}, every gate at its max): the gates wait for {names}. "
        f"Seeded simulation, {runs} runs per cell (seed {SEED}): stable failing "
        f"{model.baseline_error * 100:g}% of requests, a regressed canary {model.ratio:g}x as often in "
        f"{judges[0].name}'s bad events{others}{known}"
    )


def _history_note(judges: Sequence[JudgeMetric], asked: float) -> str:
    """`; judged with stable's history over the 1h before the canary` (per judge when they differ)."""
    seconds = [history_of(judge, asked) for judge in judges]
    if not any(seconds):
        return ""
    if len(set(seconds)) == 1:
        return f"; judged with stable's history over the {short_duration(seconds[0])} before the canary"
    each = [
        f"{judge.name} over the {short_duration(value)}" if value else f"{judge.name} without"
        for judge, value in zip(judges, seconds, strict=True)
    ]
    return f"; judged with stable's history before the canary: {', '.join(each)}"


def _table(
    ratio: float, cells: Sequence[tuple[TrafficModel, tuple[Tally, Tally]]], plan: GatedPlan
) -> list[str]:
    head = (
        "req/s",
        "healthy: median promotion",
        "cleared",
        "rolled back",
        f"{ratio:g}x: caught",
        "median catch",
    )
    rows = [head]
    for model, (healthy, regressed) in cells:
        rows.append(
            (
                f"{model.traffic:g}",
                _median(healthy.median, plan),
                _percent(healthy.share("cleared")),
                _percent(healthy.share("rolled back")),
                _percent(regressed.share("rolled back")),
                _median(regressed.median, plan),
            )
        )
    widths = [max(len(row[column]) for row in rows) for column in range(len(head))]
    return ["  " + "  ".join(map(str.ljust, row, widths)).rstrip() for row in rows]


def _plainly(model: TrafficModel, healthy: Tally, regressed: Tally, plan: GatedPlan) -> list[str]:
    """Sentences for what the plan cannot decide within its max."""
    at, within, lines = f"at {model.traffic:g} req/s", short_duration(plan.longest), []
    if healthy.share("cleared") < 0.5:
        lines.append(f"  {at} a healthy canary is not cleared within the plan's {within}: {_fates(healthy)}")
    caught = regressed.share("rolled back")
    if caught < 0.95:
        rest = _fates(regressed, "rolled back")
        text = f"  {at} {model.ratio:g}x caught in {_percent(caught)} of runs within {within}"
        lines.append(text + (f"; the rest {rest}" if rest else ""))
    return lines


def _fates(tally: Tally, *skip: str) -> str:
    """`promoted on timeouts (98%), rolled back (0.5%)`: the endings other than `skip`, most common first."""
    shares = sorted(tally.shares.items(), key=lambda item: -item[1])
    named = [
        f"{'cleared and promoted' if key == 'cleared' else FATES[key]} ({_percent(share)})"
        for key, share in shares
        if key not in skip
    ]
    return ", ".join(named)


def _median(seconds: float | None, plan: GatedPlan) -> str:
    return f"not within {short_duration(plan.longest)}" if seconds is None else clock(seconds)


def _percent(share: float) -> str:
    return f"{share * 100:.1f}%" if 0 < share < 0.1 else f"{share * 100:.0f}%"
