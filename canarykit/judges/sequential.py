"""A sequential test on how bad events (errors, slow requests) split between canary and stable. Pure math.

Given each side's new requests over an interval, a bad event comes from the canary with probability
`θ(ρ) = ρ·n_c / (ρ·n_c + n_s)`, where ρ is the canary's bad-event rate over stable's. Conditioning on the
events makes the test indifferent to stable's own rate, however it drifts.

- **Fail** tests H0 "ρ ≤ max_ratio" with a mixture likelihood ratio over ρ > max_ratio (a grid, equal
  weights). Under H0 the mixture is a non-negative supermartingale, so by Ville's inequality it ever
  reaches `1/alpha` with probability at most `alpha`, however often it is looked at.
- **Pass** tests H1 "ρ ≥ max_ratio" the same way over ρ < max_ratio, with `beta`. A regression beyond the
  tolerance is cleared with probability at most `beta`.
- The absolute floor (`min_bad` canary events, and a canary rate at least `min_difference` above
  stable's) only removes rejections, so the guarantee on false failures holds unchanged.

Defaults (measured with `canarykit.judges.simulation` on the reference plan, stable at 0.5 % errors):
`max_ratio=1.05`, 6 alternatives `max_ratio·10^(i/6)` (1.54x to 10.5x). A tolerance costs power: at 100
requests/s the plan holds too little evidence to tell 2x from 1.5x (even a single alternative at exactly 2x
catches under 30 % with `max_ratio=1.5`), while these defaults catch about 97 % of 2x regressions, all 10x
ones in about 12 s, and roll back about 0.2 % of healthy canaries (at most `alpha` for any ρ ≤ max_ratio).
With a tolerance this tight a healthy canary is rarely cleared early (that needs a canary clearly better
than stable); raise `max_ratio` to trade power on small regressions for early passes. A coarse grid on a
narrow range wastes less weight on alternatives far from plausible regressions; large effects are caught
at once by any of them.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from enum import Enum

from canarykit.errors import SpecError

MAX_RATIO = 1.05
GRID_SIZE = 6
MAX_EFFECT = 10.0


class Verdict(str, Enum):
    FAIL = "fail"
    PASS = "pass"
    CONTINUE = "continue"


@dataclass(frozen=True)
class SplitCounts:
    """Requests and bad events (errors, or slow requests) on each side."""

    canary_requests: float = 0.0
    canary_bad: float = 0.0
    stable_requests: float = 0.0
    stable_bad: float = 0.0

    def __add__(self, other: SplitCounts) -> SplitCounts:
        return SplitCounts(
            self.canary_requests + other.canary_requests,
            self.canary_bad + other.canary_bad,
            self.stable_requests + other.stable_requests,
            self.stable_bad + other.stable_bad,
        )

    def rates(self) -> tuple[float | None, float | None]:
        """(canary, stable) bad-event rates; None for a side without requests."""
        canary = self.canary_bad / self.canary_requests if self.canary_requests > 0 else None
        stable = self.stable_bad / self.stable_requests if self.stable_requests > 0 else None
        return canary, stable


@dataclass(frozen=True)
class Decision:
    """Where the test stands: its verdict, both e-values, their thresholds and the counts so far."""

    verdict: Verdict
    e_fail: float
    e_pass: float
    fail_threshold: float
    pass_threshold: float
    totals: SplitCounts

    def to_dict(self) -> dict[str, object]:
        canary, stable = self.totals.rates()
        return {
            "verdict": self.verdict.value,
            "eFail": self.e_fail,
            "ePass": self.e_pass,
            "failThreshold": self.fail_threshold,
            "passThreshold": self.pass_threshold,
            "canaryRequests": self.totals.canary_requests,
            "canaryBad": self.totals.canary_bad,
            "stableRequests": self.totals.stable_requests,
            "stableBad": self.totals.stable_bad,
            "canaryRate": canary,
            "stableRate": stable,
        }


class SequentialSplitTest:
    """Feed it each interval's new counts (`update`); it says fail, pass or continue, valid at every look."""

    def __init__(
        self,
        max_ratio: float = MAX_RATIO,
        alpha: float = 0.01,
        beta: float | None = None,
        min_bad: int = 3,
        min_difference: float = 0.0,
        grid_size: int = GRID_SIZE,
        max_effect: float = MAX_EFFECT,
    ) -> None:
        _check(max_ratio, alpha, beta if beta is not None else alpha, min_bad, min_difference, grid_size)
        if not max_effect > 1.0:
            raise SpecError(
                f"max_effect must be above 1 (alternatives beyond the boundary), got {max_effect}"
            )
        self.max_ratio, self.alpha = max_ratio, alpha
        self.beta = alpha if beta is None else beta
        self.min_bad, self.min_difference = min_bad, min_difference
        self.worse = [max_ratio * (max_effect ** ((i + 1) / grid_size)) for i in range(grid_size)]
        self.better = [max_ratio / (max_effect ** ((i + 1) / grid_size)) for i in range(grid_size)]
        self._log_fail = [0.0] * grid_size  # log likelihood ratio of each alternative against the boundary
        self._log_pass = [0.0] * grid_size
        self._decision = Decision(Verdict.CONTINUE, 1.0, 1.0, 1 / alpha, 1 / self.beta, SplitCounts())

    @property
    def decision(self) -> Decision:
        return self._decision

    def update(self, new: SplitCounts) -> Decision:
        """Add one interval's counts; once failed or passed, the verdict stays."""
        totals = self._decision.totals + new
        if self._decision.verdict is Verdict.CONTINUE:
            self._accumulate(new)
        e_fail, e_pass = _mean_exp(self._log_fail), _mean_exp(self._log_pass)
        verdict = self._decision.verdict
        if verdict is Verdict.CONTINUE:
            verdict = self._verdict(e_fail, e_pass, totals)
        self._decision = replace(self._decision, verdict=verdict, e_fail=e_fail, e_pass=e_pass, totals=totals)
        return self._decision

    def _accumulate(self, new: SplitCounts) -> None:
        """Each bad event is a Bernoulli draw 'canary or stable'; both sides need requests to say anything."""
        if new.canary_requests <= 0 or new.stable_requests <= 0:
            return
        canary_bad, stable_bad = round(new.canary_bad), round(new.stable_bad)
        if canary_bad + stable_bad == 0:
            return
        boundary = _share(self.max_ratio, new)
        for grid, logs in ((self.worse, self._log_fail), (self.better, self._log_pass)):
            for index, ratio in enumerate(grid):
                logs[index] += _log_ratio(_share(ratio, new), boundary, canary_bad, stable_bad)

    def _verdict(self, e_fail: float, e_pass: float, totals: SplitCounts) -> Verdict:
        if e_fail >= 1 / self.alpha and self._above_floor(totals):
            return Verdict.FAIL
        if e_pass >= 1 / self.beta:
            return Verdict.PASS
        return Verdict.CONTINUE

    def _above_floor(self, totals: SplitCounts) -> bool:
        canary, stable = totals.rates()
        if canary is None or totals.canary_bad < self.min_bad:
            return False
        return canary - (stable or 0.0) >= self.min_difference


def _share(ratio: float, counts: SplitCounts) -> float:
    """Probability that a bad event comes from the canary when its rate is `ratio` times stable's."""
    weighted = ratio * counts.canary_requests
    return weighted / (weighted + counts.stable_requests)


def _log_ratio(alternative: float, boundary: float, canary_bad: int, stable_bad: int) -> float:
    return canary_bad * math.log(alternative / boundary) + stable_bad * math.log(
        (1 - alternative) / (1 - boundary)
    )


def log_mean_exp(logs: Sequence[float]) -> float:
    """log(mean(exp(logs))), without overflow: the log of a mixture of likelihood ratios."""
    top = max(logs)
    return top + math.log(sum(math.exp(value - top) for value in logs) / len(logs))


def _mean_exp(logs: list[float]) -> float:
    """The mixture's value, mean(exp(logs)), capped at 1e300."""
    return math.exp(min(log_mean_exp(logs), 690.0))


def _check(max_ratio: float, alpha: float, beta: float, min_bad: int, difference: float, grid: int) -> None:
    if not max_ratio > 1.0:
        raise SpecError(f"max_ratio must be above 1 (a tolerance on the ratio of rates), got {max_ratio}")
    for name, value in (("alpha", alpha), ("beta", beta)):
        if not 0.0 < value < 1.0:
            raise SpecError(f"{name} must be between 0 and 1, got {value}")
    if min_bad < 0 or difference < 0 or grid < 1:
        given = f"min_bad={min_bad}, min_difference={difference}, grid_size={grid}"
        raise SpecError(f"min_bad and min_difference must be >= 0, grid_size >= 1, got {given}")
