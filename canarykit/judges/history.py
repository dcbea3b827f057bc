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
3. **Drift monitor and fallback** (`history_drift.DriftMonitor`). Two one-sided mixture e-processes watch
   stable's LIVE counts, against `high` and against `low`. Once the upward one reaches `1/drift_alpha`,
   the canary fails only on the same-window split test (`SequentialSplitTest`, fed from the canary's first
   counts); once the downward one does, it passes only on the split test. Each one-sample test stays valid
   under a drift the other way (a lower live rate makes the fail test conservative, a higher one the pass
   test), so a false alarm costs one side's power. The split test always runs (at `alpha_s`) and decides.

**Error accounting** (fail side; the pass side is the same with beta). `alpha = alpha_h + alpha_1 + alpha_s`,
split 5 % / 85 % / 10 %. A false rollback needs (a) the split test to reject a canary within the
tolerance: at most `alpha_s`, whatever stable does (it conditions on the events); or (b) the one-sample
test to reject before the upward monitor switches. While stable's rate stays at most `high` (steady, or
drifting down), (b) has probability at most `alpha_1`, and `high` is wrong with probability at most
`alpha_h`: `P(false rollback) <= alpha` at every look. Stable drifting UP past `high` is guarded, not
proven: the monitor weighs stable's live bad events by the canary's exposure and switches at an e-value of
2 (`drift_alpha` 0.5; 0.2 or 0.3 rolled back 1.5-1.8 % at 100 req/s after a +50 % step), and it fails
the canary only while the split's fail e-value is at least 5 (`AGREEMENT`). `history_simulation` measures.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from canarykit.errors import SpecError
from canarykit.judges.history_bounds import OneSample, capped_exp, rate_interval
from canarykit.judges.history_drift import DRIFT_ALPHA, DriftMonitor
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
"""Shares of alpha (and beta) for the history interval and the split test; the one-sample test has 85 %."""
AGREEMENT = 5.0
"""The one-sample test fails the canary only while the same-window split's fail e-value is at least this."""
ZONE_GRID_SIZE, ZONE_MAX_EFFECT = 2, 16.0
"""With a zone, the one-sample test's alternatives: fail_ratio·{1, 4} (pass: pass_ratio·{1, 1/4})."""


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

    agreement = AGREEMENT

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
        self.drift = DriftMonitor(self.low, self.high, drift_alpha)
        self.no_history = None if history.requests > 0 else "no stable requests in the history"
        self._decision = Decision(
            Verdict.CONTINUE, 1.0, 1.0, 1 / self.alpha_one, 1 / self.beta_one, SplitCounts()
        )

    @property
    def decision(self) -> Decision:
        return self._decision

    @property
    def fallback_reason(self) -> str | None:
        """Why a verdict now needs the same-window test: no history, or stable's live rate left the bounds."""
        return "; ".join(why for why in (self.no_history, self.drift.rose, self.drift.fell) if why) or None

    @property
    def fell_back(self) -> bool:
        return self.fallback_reason is not None

    def update(self, new: SplitCounts) -> Decision:
        """Add one interval's counts; once failed or passed, the verdict stays."""
        totals = self._decision.totals + new
        split = self.split.update(new)
        if self._decision.verdict is not Verdict.CONTINUE:
            self._decision = replace(self._decision, totals=totals)
        else:
            self.drift.add(new, totals)
            self._decision = self._combined(totals, split)
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

    def _combined(self, totals: SplitCounts, split: Decision) -> Decision:
        """The one-sample test on each side stable's live rate keeps valid; the split test on the others."""
        to_fail = self.no_history is None and self.drift.rose is None
        to_pass = self.no_history is None and self.drift.fell is None
        if not (to_fail or to_pass):
            return split
        requests, bad = totals.canary_requests, totals.canary_bad
        fail = (capped_exp(self.fail_test.log_e(requests, bad)), 1 / self.alpha_one)
        passing = (capped_exp(self.pass_test.log_e(requests, bad)), 1 / self.beta_one)
        fail = fail if to_fail else (split.e_fail, split.fail_threshold)
        passing = passing if to_pass else (split.e_pass, split.pass_threshold)
        verdict = split.verdict
        agrees = split.e_fail >= self.agreement and self._above_floor(totals)
        if to_fail and fail[0] >= fail[1] and agrees:
            verdict = Verdict.FAIL
        elif verdict is Verdict.CONTINUE and to_pass and passing[0] >= passing[1]:
            verdict = Verdict.PASS
        if verdict is not Verdict.CONTINUE and split.verdict is verdict:
            return split
        return Decision(verdict, fail[0], passing[0], fail[1], passing[1], totals)

    def _above_floor(self, totals: SplitCounts) -> bool:
        canary, stable = totals.rates()
        if canary is None or totals.canary_bad < self.min_bad:
            return False
        if stable is None and self.history.requests > 0:
            stable = self.history.bad / self.history.requests
        return canary - (stable or 0.0) >= self.min_difference
