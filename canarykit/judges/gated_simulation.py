"""Evidence-gated plans on the seeded traffic model: steps that end when the evidence does. Stdlib only.

A gate holds its weight until one cumulative test (from the canary's first traffic) has cleared the
canary and the gate has held `min` seconds, or until `max`, where it takes `on_timeout`: `promote` (go on),
`pause` (wait for a person: the run stops there) or `rollback`. A failed test rolls back at once. Once
cleared the verdict stays, so every later gate ends after its `min`. Traffic is drawn scrape by scrape at
the weight the run is at, so each run's traffic follows its own path; a gate with `min == max` is a fixed
pause, and a plan of those decides exactly as `simulation.run_judge` on the same draws.
"""

from __future__ import annotations

import random
import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

from canarykit.errors import SpecError
from canarykit.judges.history import StableHistory
from canarykit.judges.history_simulation import HISTORY_SECONDS, draw_history
from canarykit.judges.sequential import Verdict
from canarykit.judges.simulation import REFERENCE_PLAN, Plan, SplitTest, Traffic, draw_scrape

OnTimeout = Literal["promote", "pause", "rollback"]
Ending = Literal["promoted", "rolled back", "timed out", "paused"]
ON_TIMEOUT: tuple[OnTimeout, ...] = ("promote", "pause", "rollback")


@dataclass(frozen=True)
class GatedStep:
    """Hold `weight` percent until cleared and `min` s held, or until `max` s, then `on_timeout`."""

    weight: float
    max: float
    min: float = 0.0
    on_timeout: OnTimeout = "promote"

    def __post_init__(self) -> None:
        if not 0 <= self.weight <= 100:
            raise SpecError(f"a gate's weight must be between 0 and 100, got {self.weight}")
        if not 0 <= self.min <= self.max:
            raise SpecError(f"a gate needs 0 <= min <= max, got min={self.min}, max={self.max}")
        if self.on_timeout not in ON_TIMEOUT:
            raise SpecError(f"on_timeout must be one of {ON_TIMEOUT}, got {self.on_timeout!r}")


@dataclass(frozen=True)
class GatedOutcome:
    """How a run ended and when (seconds after the canary's first traffic), canary errors served,
    when the test cleared the canary (None: never) and the action of each gate that timed out."""

    ending: Ending
    time: float
    failed: float
    cleared_at: float | None
    timeouts: tuple[OnTimeout, ...]

    @property
    def rolled_back(self) -> bool:
        """Rolled back by the test's failure (a timed-out `rollback` gate is not a verdict)."""
        return self.ending == "rolled back"


def gates(plan: Plan = REFERENCE_PLAN, stretch: float = 1.0, hold: float = 10.0) -> tuple[GatedStep, ...]:
    """A fixed plan as gates: each weight held at least `hold` s and at most `stretch` times its pause."""
    return tuple(
        GatedStep(weight, seconds * stretch, min(hold, seconds * stretch)) for weight, seconds in plan.steps
    )


def run_gated(
    traffic: Traffic, steps: Sequence[GatedStep], test: SplitTest, rng: random.Random
) -> GatedOutcome:
    """One rollout through the gates, its traffic drawn scrape by scrape at the weight it holds."""
    now, failed, cleared_at, timeouts = 0.0, 0.0, None, []
    for step in steps:
        held = 0.0
        while cleared_at is None or held < step.min:
            if held >= step.max:
                timeouts.append(step.on_timeout)
                if step.on_timeout != "promote":
                    ending: Ending = "paused" if step.on_timeout == "pause" else "timed out"
                    return GatedOutcome(ending, now, failed, cleared_at, tuple(timeouts))
                break
            counts = draw_scrape(rng, traffic, step.weight)
            now, held, failed = now + traffic.scrape, held + traffic.scrape, failed + counts.canary_bad
            verdict = test.update(counts).verdict
            if verdict is Verdict.FAIL:
                return GatedOutcome("rolled back", now, failed, cleared_at, tuple(timeouts))
            if verdict is Verdict.PASS and cleared_at is None:
                cleared_at = now
    return GatedOutcome("promoted", now, failed, cleared_at, tuple(timeouts))


def run_many_gated(
    traffic: Traffic, steps: Sequence[GatedStep], new_test: Callable[[], SplitTest], runs: int, seed: int
) -> list[GatedOutcome]:
    """`runs` gated rollouts, each with a fresh test, seeded: the same seed gives the same outcomes."""
    rng = random.Random(seed)
    return [run_gated(traffic, steps, new_test(), rng) for _ in range(runs)]


@dataclass(frozen=True)
class GatedSummary:
    """Shares of runs by ending, the median time to promote, and the mean time to roll back."""

    runs: int
    promoted: float
    rolled_back: float
    timed_out: float
    paused: float
    median_promotion: float | None
    mean_rollback: float | None


def summarize_gated(outcomes: Sequence[GatedOutcome]) -> GatedSummary:
    """Shares and times over `outcomes`."""
    count = len(outcomes)
    promotions = [o.time for o in outcomes if o.ending == "promoted"]
    rollbacks = [o.time for o in outcomes if o.rolled_back]
    return GatedSummary(
        count,
        len(promotions) / count,
        len(rollbacks) / count,
        sum(o.ending == "timed out" for o in outcomes) / count,
        sum(o.ending == "paused" for o in outcomes) / count,
        statistics.median(promotions) if promotions else None,
        statistics.mean(rollbacks) if rollbacks else None,
    )


def run_many_gated_informed(
    traffic: Traffic,
    steps: Sequence[GatedStep],
    new_test: Callable[[StableHistory], SplitTest],
    runs: int,
    seed: int,
    history_seconds: float = HISTORY_SECONDS,
) -> list[GatedOutcome]:
    """Like `run_many_gated`, each run first drawing stable's history (at its base rate) for its test."""
    rng = random.Random(seed)
    outcomes = []
    for _ in range(runs):
        history = draw_history(traffic, rng, history_seconds)
        outcomes.append(run_gated(traffic, steps, new_test(history), rng))
    return outcomes
