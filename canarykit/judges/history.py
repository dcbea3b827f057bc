"""A judge test that knows stable's bad-event rate from its history, and falls back when stable drifts.

Built from stable's counts over a window before the canary started (`StableHistory`), it has three parts:

1. **History interval.** Exact Poisson bounds `[low, high]` on stable's rate from the history:
   `P(stable's rate > high) <= alpha_h` and `P(stable's rate < low) <= beta_h`.
2. **One-sample test.** While stable's live rate is at most `high`, a healthy canary (rate at most
   `max_ratio` times stable's live rate) fails at most `max_ratio·high` of its requests. A mixture of
   Bernoulli likelihood ratios (alternatives above that boundary, the split test's grid) over the canary's
   cumulative counts is then a non-negative supermartingale: it reaches `1/alpha_1` with probability at most
   `alpha_1` (Ville). This is the known-rate SPRT with the rate's uncertainty paid for by `high`. The pass
   side is the mirror image, with boundary `max_ratio·low` and `beta_1`.
3. **Drift monitor and fallback.** Two one-sided mixture e-processes watch stable's LIVE counts, against
   `high` (rates above) and against `low` (rates below); inverted, they are an anytime-valid confidence
   sequence for stable's live rate. Once either reaches `1/drift_alpha`, the live rate has left what the
   history allows and the test falls back to the same-window split test (`SequentialSplitTest`), fed
   from the canary's first counts. The split test always runs (at `alpha_s`) and fails the canary on its
   own evidence too.

**Error accounting** (fail side; the pass side is the same with beta). `alpha = alpha_h + alpha_1 + alpha_s`,
split 5 % / 85 % / 10 %. A false rollback needs (a) the split test to reject a canary within the
tolerance: at most `alpha_s`, whatever stable does, since conditioning on the events makes it indifferent to
stable's rate; or (b) the one-sample test to reject before the fallback. If stable's rate, during the
history and live, stays at most `high`, (b) has probability at most `alpha_1`; `high` is below the
history's rate with probability at most `alpha_h`. So with stable steady, or drifting down,
`P(false rollback) <= alpha_s + alpha_h + alpha_1 = alpha`, at every look. If stable drifts UP beyond
`high`, (b) is guarded, not proven: the monitor weighs stable's live bad events by the canary's exposure
(what inflates the one-sample test) and switches at a low threshold (`drift_alpha` 0.5: an e-value of 2; a
false alarm only costs power, so it is not charged to alpha), and the one-sample test fails the canary only
while the split test's fail e-value is at least 5 (this only removes rejections). `history_simulation`
measures the result: at most 1 % false rollbacks with stable drifting ±50 % (linearly, or in a step).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from canarykit.errors import SpecError
from canarykit.judges.history_bounds import OneSample, WeightedDrift, capped_exp, rate_interval
from canarykit.judges.sequential import (
    GRID_SIZE,
    MAX_EFFECT,
    MAX_RATIO,
    Decision,
    SequentialSplitTest,
    SplitCounts,
    Verdict,
)
from canarykit.judges.split_math import tolerance_grids, zone_grids

HISTORY_SHARE, SPLIT_SHARE = 0.05, 0.1
"""Shares of alpha (and beta) for the history interval and the fallback split test; the rest (85 %) is the
one-sample test's."""
AGREEMENT = 5.0
"""The one-sample test fails the canary only while the same-window split's fail e-value is at least this."""
ZONE_GRID_SIZE, ZONE_MAX_EFFECT = 2, 16.0
"""With a zone, the one-sample test's alternatives: fail_ratio·{1, 4} (pass: pass_ratio·{1, 1/4})."""
DRIFT_ALPHA = 0.5
DRIFT_SCALES = (1.1, 1.25, 1.5, 2.0, 3.0)
"""The monitor's alternatives: stable's live rate this many times `high` (or `low` divided by them)."""


@dataclass(frozen=True)
class StableHistory:
    """Stable's requests and bad events over `seconds` before the canary started."""

    requests: float
    bad: float
    seconds: float = 0.0

    def __post_init__(self) -> None:
        values = (self.requests, self.bad, self.seconds)
        if not all(
            isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v) for v in values
        ):
            raise SpecError(f"stable history counts must be finite numbers, got {values}")
        if self.requests < 0 or self.bad < 0 or self.bad > self.requests or self.seconds < 0:
            raise SpecError(f"stable history needs 0 <= bad <= requests and seconds >= 0, got {values}")


class HistoryInformedTest:
    """`update(SplitCounts) -> Decision` like `SequentialSplitTest`, with stable's rate known from history."""

    def __init__(
        self,
        history: StableHistory,
        max_ratio: float = MAX_RATIO,
        alpha: float = 0.01,
        beta: float | None = None,
        min_bad: int = 3,
        min_difference: float = 0.0,
        pass_ratio: float | None = None,
        fail_ratio: float | None = None,
        drift_alpha: float = DRIFT_ALPHA,
        grid_size: int | None = None,
        max_effect: float | None = None,
    ) -> None:
        beta = alpha if beta is None else beta
        for name, value in (("alpha", alpha), ("beta", beta), ("drift_alpha", drift_alpha)):
            if isinstance(value, bool) or not isinstance(value, int | float) or not 0.0 < value < 1.0:
                raise SpecError(f"{name} must be between 0 and 1, got {value!r}")
        zone = (
            {}
            if pass_ratio is None and fail_ratio is None
            else {"pass_ratio": pass_ratio, "fail_ratio": fail_ratio}
        )
        self.split = SequentialSplitTest(
            max_ratio,
            alpha * SPLIT_SHARE,
            beta * SPLIT_SHARE,
            min_bad,
            min_difference,
            grid_size,
            max_effect,
            **zone,
        )
        self.history, self.max_ratio, self.alpha, self.beta = history, max_ratio, alpha, beta
        self.min_bad, self.min_difference, self.drift_alpha = min_bad, min_difference, drift_alpha
        share = 1 - HISTORY_SHARE - SPLIT_SHARE
        self.alpha_one, self.beta_one = alpha * share, beta * share
        self.low = rate_interval(history.bad, history.requests, beta * HISTORY_SHARE)[0]
        self.high = rate_interval(history.bad, history.requests, alpha * HISTORY_SHARE)[1]
        self.fail_test, self.pass_test = self._one_sample(grid_size, max_effect)
        self.drift_up = WeightedDrift(self.high, DRIFT_SCALES)
        self.drift_down = WeightedDrift(self.low, [1 / scale for scale in DRIFT_SCALES])
        self.fallback_reason: str | None = (
            None if history.requests > 0 else "no stable requests in the history"
        )
        self._decision = Decision(
            Verdict.CONTINUE, 1.0, 1.0, 1 / self.alpha_one, 1 / self.beta_one, SplitCounts()
        )

    @property
    def decision(self) -> Decision:
        return self._decision

    @property
    def fell_back(self) -> bool:
        return self.fallback_reason is not None

    def update(self, new: SplitCounts) -> Decision:
        """Add one interval's counts; once failed or passed, the verdict stays."""
        totals = self._decision.totals + new
        split = self.split.update(new)
        if self._decision.verdict is not Verdict.CONTINUE:
            self._decision = replace(self._decision, totals=totals)
        elif self.fell_back or self._drifted(new, totals):
            self._decision = split
        else:
            self._decision = self._one_sample_decision(totals, split)
        return self._decision

    def describe_history(self) -> str:
        """E.g. `stable 180/36000 over 1h: rate in [0.0041, 0.0061]`."""
        rate = self.history.bad / self.history.requests if self.history.requests else 0.0
        return (
            f"stable {self.history.bad:g}/{self.history.requests:g} before the canary (rate {rate:.4g},"
            f" bounds [{self.low:.4g}, {self.high:.4g}])"
        )

    def _one_sample(self, grid_size: int | None, max_effect: float | None) -> tuple[OneSample, OneSample]:
        split = self.split
        if split.pass_ratio is not None and split.fail_ratio is not None:
            size, effect = grid_size or ZONE_GRID_SIZE, max_effect or ZONE_MAX_EFFECT
            worse, better = zone_grids(split.pass_ratio, split.fail_ratio, size, effect)
        else:
            size, effect = grid_size or GRID_SIZE, max_effect or MAX_EFFECT
            worse, better = tolerance_grids(self.max_ratio, size, effect)
        fail_edge, pass_edge = split.fail_boundary, split.pass_boundary
        fail = OneSample(fail_edge * self.high, tuple(ratio / fail_edge for ratio in worse))
        passing = OneSample(pass_edge * self.low, tuple(ratio / pass_edge for ratio in better))
        return fail, passing

    def _drifted(self, new: SplitCounts, totals: SplitCounts) -> bool:
        for monitor in (self.drift_up, self.drift_down):
            monitor.add(new.canary_requests, new.stable_requests, new.stable_bad)
        requests, bad = totals.stable_requests, totals.stable_bad
        limit = math.log(1 / self.drift_alpha)
        if self.drift_up.log_e() >= limit:
            self.fallback_reason = (
                f"stable's live rate {_rate(bad, requests)} rose above the history's {self.high:.4g}"
            )
        elif self.low > 0 and self.drift_down.log_e() >= limit:
            self.fallback_reason = (
                f"stable's live rate {_rate(bad, requests)} fell below the history's {self.low:.4g}"
            )
        return self.fell_back

    def _one_sample_decision(self, totals: SplitCounts, split: Decision) -> Decision:
        requests, bad = totals.canary_requests, totals.canary_bad
        log_fail, log_pass = self.fail_test.log_e(requests, bad), self.pass_test.log_e(requests, bad)
        verdict = split.verdict
        agrees = split.e_fail >= AGREEMENT
        if log_fail >= math.log(1 / self.alpha_one) and agrees and self._above_floor(totals):
            verdict = Verdict.FAIL
        elif verdict is Verdict.CONTINUE and log_pass >= math.log(1 / self.beta_one):
            verdict = Verdict.PASS
        if verdict is not Verdict.CONTINUE and split.verdict is verdict:
            return split
        return replace(
            self._decision,
            verdict=verdict,
            e_fail=capped_exp(log_fail),
            e_pass=capped_exp(log_pass),
            totals=totals,
        )

    def _above_floor(self, totals: SplitCounts) -> bool:
        canary, stable = totals.rates()
        if canary is None or totals.canary_bad < self.min_bad:
            return False
        if stable is None and self.history.requests > 0:
            stable = self.history.bad / self.history.requests
        return canary - (stable or 0.0) >= self.min_difference


def _rate(bad: float, requests: float) -> str:
    return f"{bad / requests:.4g}" if requests else "n/a"
