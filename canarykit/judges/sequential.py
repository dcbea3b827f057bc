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
- **Floor clearance** (`min_difference` d > 0): a canary whose own rate is credibly below d can never be
  failed, so pass also clears on that (`floor.FloorClearance`, no bad events needed) at 10 % of beta, the
  split's pass side at 90 %; `e_pass` is the larger of the two times its share (`pass_threshold` stays
  1/beta). P(pass | ρ ≥ the pass boundary and canary rate ≥ d) <= beta. With d = 0 nothing changes.

Defaults (measured with `canarykit.judges.simulation` on the reference plan, stable at 0.5 % errors):
`max_ratio=1.05`, 6 alternatives `max_ratio·10^(i/6)` (1.54x to 10.5x). A tolerance costs power: at 100
requests/s the plan holds too little evidence to tell 2x from 1.5x (even a single alternative at exactly 2x
catches under 30 % with `max_ratio=1.5`), while these defaults catch about 97 % of 2x regressions, all 10x
ones in about 12 s, and roll back about 0.2 % of healthy canaries (at most `alpha` for any ρ ≤ max_ratio).
With a tolerance this tight a healthy canary is rarely cleared early (that needs a canary clearly better
than stable); raise `max_ratio` to trade power on small regressions for early passes.

**Indifference zone** (`pass_ratio`, `fail_ratio`, both or neither, 1 <= pass <= fail, replacing
`max_ratio`): fail mixes ρ >= fail_ratio against the boundary pass_ratio (P(fail | ρ <= pass_ratio) <=
alpha at every look), pass mixes ρ <= pass_ratio against fail_ratio (P(pass | ρ >= fail_ratio) <= beta).
`pass_ratio` may be 1 (the fail bound then covers exactly "no worse than stable"), not below: a canary as
good as stable would have no false-rollback bound. Recommended for evidence-gated steps: 1 and 2, grids
of 3 (`ZONE_*`): on the reference plan as gates at 100 req/s a healthy canary is cleared in a median of
about 210 s (of 480), 98 % of 2x regressions are caught, and ratios between the two are decided either
way (1.5x: about 40 % caught). See docs/judges.md.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import Enum

from canarykit.judges.floor import FLOOR_SHARE, FloorClearance
from canarykit.judges.split_math import check_options, check_zone, log_ratio, mean_exp, share, zone_grids
from canarykit.judges.split_math import log_mean_exp as log_mean_exp
from canarykit.judges.split_math import tolerance_grids as tolerance_grids

MAX_RATIO = 1.05
GRID_SIZE = 6
MAX_EFFECT = 10.0
PASS_RATIO = 1.0  # the recommended indifference zone, for evidence-gated steps
FAIL_RATIO = 2.0
ZONE_GRID_SIZE = 3  # the zone's grids: fail_ratio·{1, 1.59, 2.52}, pass_ratio·{1, 0.63, 0.40}
ZONE_MAX_EFFECT = 4.0


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
        grid_size: int | None = None,
        max_effect: float | None = None,
        pass_ratio: float | None = None,
        fail_ratio: float | None = None,
    ) -> None:
        self.beta = alpha if beta is None else beta
        zone = pass_ratio is not None or fail_ratio is not None
        if grid_size is None:
            grid_size = ZONE_GRID_SIZE if zone else GRID_SIZE
        if max_effect is None:
            max_effect = ZONE_MAX_EFFECT if zone else MAX_EFFECT
        check_options(max_ratio, alpha, self.beta, min_bad, min_difference, grid_size, max_effect)
        check_zone(pass_ratio, fail_ratio, max_ratio, MAX_RATIO)
        self.max_ratio, self.alpha = max_ratio, alpha
        self.min_bad, self.min_difference = min_bad, min_difference
        self.pass_ratio, self.fail_ratio = pass_ratio, fail_ratio
        if pass_ratio is None or fail_ratio is None:
            self.fail_boundary = self.pass_boundary = max_ratio
            self.worse, self.better = tolerance_grids(max_ratio, grid_size, max_effect)
        else:  # fail: alternatives >= fail_ratio against pass_ratio; pass: <= pass_ratio against fail_ratio
            self.fail_boundary, self.pass_boundary = pass_ratio, fail_ratio
            self.worse, self.better = zone_grids(pass_ratio, fail_ratio, grid_size, max_effect)
        self._log_fail = [0.0] * grid_size  # log likelihood ratio of each alternative against its boundary
        self._log_pass = [0.0] * grid_size
        self._floor = FloorClearance(min_difference, self.beta * FLOOR_SHARE) if min_difference != 0 else None
        self._decision = Decision(Verdict.CONTINUE, 1.0, 1.0, 1 / alpha, 1 / self.beta, SplitCounts())

    @property
    def decision(self) -> Decision:
        return self._decision

    def update(self, new: SplitCounts) -> Decision:
        """Add one interval's counts; once failed or passed, the verdict stays."""
        totals = self._decision.totals + new
        if self._decision.verdict is Verdict.CONTINUE:
            self._accumulate(new)
        e_fail, e_pass = mean_exp(self._log_fail), mean_exp(self._log_pass)
        if self._floor is not None:  # each e-value times its share of beta, so the threshold stays 1/beta
            e_pass = max((1 - FLOOR_SHARE) * e_pass, FLOOR_SHARE * self._floor.e_value)
        verdict = self._decision.verdict
        if verdict is Verdict.CONTINUE:
            verdict = self._verdict(e_fail, e_pass, totals)
        self._decision = replace(self._decision, verdict=verdict, e_fail=e_fail, e_pass=e_pass, totals=totals)
        return self._decision

    def _accumulate(self, new: SplitCounts) -> None:
        """Each bad event is a Bernoulli draw 'canary or stable'; both sides need requests to say anything."""
        if self._floor is not None:  # the canary's own rate against the floor needs no stable requests
            self._floor.update(new.canary_requests, new.canary_bad)
        if new.canary_requests <= 0 or new.stable_requests <= 0:
            return
        canary_bad, stable_bad = round(new.canary_bad), round(new.stable_bad)
        if canary_bad + stable_bad == 0:
            return
        sides = (
            (self.worse, self.fail_boundary, self._log_fail),
            (self.better, self.pass_boundary, self._log_pass),
        )
        for grid, boundary, logs in sides:
            edge = share(boundary, new)
            for index, ratio in enumerate(grid):
                logs[index] += log_ratio(share(ratio, new), edge, canary_bad, stable_bad)

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
