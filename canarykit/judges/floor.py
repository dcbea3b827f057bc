"""Clearing a canary whose bad-event rate is credibly below the judge's `min_difference`. Pure math.

A judge fails a canary only if its rate is at least `min_difference` (d) above stable's, so a canary whose
rate is credibly below d can never be failed. This one-sided test shows it without any bad events to split:
a mixture, equal weights, of Bernoulli likelihood ratios over the canary's cumulative (requests, bad), with
alternatives q in {0, d/4, d/2} against the boundary d. For any true rate >= d each ratio's expected step is
`p·q/d + (1-p)·(1-q)/(1-d) <= 1`: the mixture is a non-negative supermartingale, so by Ville's inequality it
ever reaches `1/beta` with probability at most `beta`, however often it is looked at.

With no bad events at all it clears after about `(ln(1/beta) + ln 3) / d` requests (the q = 0 term alone):
about 8,000 for d = 0.001 and beta = 0.001.
"""

from __future__ import annotations

import math

from canarykit.errors import SpecError
from canarykit.judges.split_math import log_mean_exp

FLOOR_SHARE = 0.1
"""The floor test's share of beta when `min_difference > 0` (the split's pass side gets the rest)."""
ALTERNATIVES = (0.0, 0.25, 0.5)
"""The alternatives' rates as fractions of the floor: q in {0, d/4, d/2}."""


class FloorClearance:
    """`update` with each interval's canary counts; `cleared` once its rate is credibly below `floor`."""

    def __init__(self, floor: float, beta: float) -> None:
        if isinstance(floor, bool) or not isinstance(floor, int | float) or not 0.0 < floor < 1.0:
            raise SpecError(f"min_difference must be between 0 and 1 for a floor to clear, got {floor!r}")
        if isinstance(beta, bool) or not isinstance(beta, int | float) or not 0.0 < beta < 1.0:
            raise SpecError(f"beta must be between 0 and 1, got {beta!r}")
        self.floor, self.beta = float(floor), float(beta)
        self.requests = 0
        self.bad = 0

    def update(self, canary_requests: float, canary_bad: float) -> None:
        """Add one interval's canary counts, rounded to whole requests and events (as the split test does)."""
        requests = max(round(canary_requests), 0)
        self.requests += requests
        self.bad += min(max(round(canary_bad), 0), requests)

    def log_e(self) -> float:
        """Log of the mixture's value over the counts so far (0 before any request)."""
        return log_mean_exp([self._log_ratio(share * self.floor) for share in ALTERNATIVES])

    @property
    def e_value(self) -> float:
        """The mixture's value, capped at 1e300."""
        return math.exp(min(self.log_e(), 690.0))

    @property
    def cleared(self) -> bool:
        """Whether the canary's rate is shown below the floor (wrongly, with probability <= beta)."""
        return self.log_e() >= math.log(1 / self.beta)

    def _log_ratio(self, rate: float) -> float:
        """Log likelihood ratio of the counts under `rate` against the floor (-inf: impossible under it)."""
        good = self.requests - self.bad
        stay = good * (math.log1p(-rate) - math.log1p(-self.floor))
        if self.bad == 0:
            return stay
        return -math.inf if rate == 0 else self.bad * math.log(rate / self.floor) + stay
