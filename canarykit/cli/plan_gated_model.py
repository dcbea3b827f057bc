"""The seeded simulation behind `canarykit plan` for gated plans: a plan's steps as gates, its judges as one.

Each run draws traffic scrape by scrape (`gated_simulation.run_gated`); the judges the gates wait for are
one composite test: it fails once any judge fails, passes once every judge has passed (each under its
low-traffic policy), and each judge after the first gets its own bad events, drawn at stable's rate.
"""

from __future__ import annotations

import copy
import random
from collections.abc import Sequence
from dataclasses import dataclass

from canarykit.cli.plan_analysis import JudgeMetric
from canarykit.cli.plan_steps import step_seconds
from canarykit.judges.gated_simulation import GatedOutcome, GatedStep, run_gated
from canarykit.judges.history import HistoryInformedTest
from canarykit.judges.history_simulation import draw_history
from canarykit.judges.low_traffic import CONTINUE, FAIL, INCONCLUSIVE, PASS, judge
from canarykit.judges.sequential import Decision, SequentialSplitTest, SplitCounts, Verdict
from canarykit.judges.simulation import Traffic, poisson
from canarykit.steps import Analysis, Gate, Pause, SetWeight, Step

RUNS = 400
SEED = 17
LOW_TRAFFIC = "low traffic"
"""The ending of a run the low-traffic policy paused (the analysis went Inconclusive)."""


@dataclass(frozen=True)
class GatedPlan:
    """The plan as gates (a fixed pause is a gate with min = max), the scrapes before the judges start,
    and what the model leaves out ("" when nothing)."""

    steps: tuple[GatedStep, ...]
    skipped: float
    note: str

    @property
    def longest(self) -> float:
        """Seconds when every gate runs to its max."""
        return sum(step.max for step in self.steps)


def gated_plan(steps: Sequence[Step], start: int) -> GatedPlan:
    """`steps` as gates, the judges starting at step `start`; up to a pause until promoted, if any."""
    weight, found, skipped, notes = 0.0, [], 0.0, []
    for index, step in enumerate(steps):
        weight = float(step.weight) if isinstance(step, SetWeight) else weight
        if isinstance(step, Pause) and step.indefinite:
            notes.append(f"simulated up to step {index + 1} (a pause until promoted), taken as the promotion")
            break
        held = _held(step, weight)
        if held is None:
            notes.append(f"step {index + 1} (an analysis built in Python) is not modelled: taken as 0s")
        elif held.max > 0:
            found.append(held)
            skipped += held.max if index < start else 0.0
    return GatedPlan(tuple(found), skipped, "; ".join(notes))


def _held(step: Step, weight: float) -> GatedStep | None:
    """The step as a gate at `weight` (a fixed hold: min = max); None when its length is unknown."""
    if isinstance(step, Gate):
        return GatedStep(weight, step.max_seconds, step.min_seconds, step.on_timeout)
    seconds = step_seconds(step)
    if seconds is None and isinstance(step, Analysis):
        return None
    return GatedStep(weight, seconds or 0.0, seconds or 0.0)


@dataclass(frozen=True)
class Run:
    """One simulated release: how it ended (`gated_simulation`'s endings or LOW_TRAFFIC), when, and whether
    the judges cleared the canary."""

    ending: str
    time: float
    cleared: bool


class GateJudges:
    """The judges a gate waits for, as one `update(SplitCounts) -> Decision` test."""

    def __init__(
        self, judges: Sequence[JudgeMetric], traffic: Traffic, rng: random.Random, skip: int, history: float
    ) -> None:
        self.judges, self.traffic, self.rng, self.skip = judges, traffic, rng, skip
        self.tests = [fresh_test(judge.test, traffic, rng, history_of(judge, history)) for judge in judges]
        self.outcomes = [CONTINUE] * len(judges)
        self.paused_at: float | None = None
        self.seen = 0

    def update(self, new: SplitCounts) -> Decision:
        """Feed each undecided judge; FAIL once any failed, PASS once all passed."""
        self.seen += 1
        if self.seen > self.skip and self.paused_at is None:
            elapsed = (self.seen - self.skip - 1) * self.traffic.scrape
            for index, metric in enumerate(self.judges):
                if self.outcomes[index] == CONTINUE:
                    decision = self.tests[index].update(new if index == 0 else self._healthy(new))
                    outcome = judge(decision, elapsed, metric.low_traffic, metric.settle).outcome
                    self.outcomes[index] = outcome
            if INCONCLUSIVE in self.outcomes and FAIL not in self.outcomes:
                self.paused_at = self.seen * self.traffic.scrape
        return _decision(self._verdict())

    def _verdict(self) -> Verdict:
        if self.paused_at is not None:
            return Verdict.CONTINUE
        if FAIL in self.outcomes:
            return Verdict.FAIL
        return Verdict.PASS if all(o == PASS for o in self.outcomes) else Verdict.CONTINUE

    def _healthy(self, new: SplitCounts) -> SplitCounts:
        """The same requests, with bad events of its own at stable's rate on both sides."""
        rate = self.traffic.stable_error
        canary = min(poisson(self.rng, new.canary_requests * rate), new.canary_requests)
        stable = min(poisson(self.rng, new.stable_requests * rate), new.stable_requests)
        return SplitCounts(new.canary_requests, canary, new.stable_requests, stable)


def history_of(judge: JudgeMetric, asked: float) -> float:
    """Seconds of stable's history the judge is modelled with: `--history` if given, else the judge's own."""
    return asked if asked > 0 else judge.history


def fresh_test(
    test: SequentialSplitTest, traffic: Traffic, rng: random.Random, history: float
) -> SequentialSplitTest | HistoryInformedTest:
    """A new test like `test`; history-informed when `history` seconds of stable traffic come before."""
    if history <= 0:
        return copy.deepcopy(test)
    return HistoryInformedTest(
        draw_history(traffic, rng, history),
        max_ratio=test.max_ratio,
        alpha=test.alpha,
        beta=test.beta,
        min_bad=test.min_bad,
        min_difference=test.min_difference,
        pass_ratio=test.pass_ratio,
        fail_ratio=test.fail_ratio,
    )


def _decision(verdict: Verdict) -> Decision:
    return Decision(verdict, 1.0, 1.0, 1.0, 1.0, SplitCounts())


def simulate(
    plan: GatedPlan,
    judges: Sequence[JudgeMetric],
    traffic: Traffic,
    history: float = 0.0,
    runs: int = RUNS,
    seed: int = SEED,
) -> list[Run]:
    """`runs` seeded releases through the plan: the same arguments give the same runs."""
    rng, found = random.Random(seed), []
    skip = round(plan.skipped / traffic.scrape)
    for _ in range(runs):
        test = GateJudges(judges, traffic, rng, skip, history)
        found.append(_run(run_gated(traffic, plan.steps, test, rng), test.paused_at))
    return found


def _run(outcome: GatedOutcome, paused_at: float | None) -> Run:
    cleared = outcome.cleared_at is not None
    if paused_at is not None and paused_at <= outcome.time:
        return Run(LOW_TRAFFIC, paused_at, cleared)
    return Run(outcome.ending, outcome.time, cleared)
