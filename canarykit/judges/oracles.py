"""Judges that know what a real one cannot, to measure what not knowing costs. For benchmarks; stdlib only.

- `sprt_judge`: Wald's SPRT with both rates known (stable's rate and the regression's size): the limit.
- `known_stable_judge`: the judge's own mixture over regression sizes, but with stable's rate known, so
  each canary request is a Bernoulli draw (a one-sample test). It measures the cost of not knowing the
  regression's size and of the tolerance.
- `KnownRateSPRT`: the same SPRT as a cumulative test (`update(SplitCounts) -> Decision`), to drive the
  evidence-gated simulation (`gated_simulation`): its lower boundary clears the canary.
- `split_oracle`: the judge's same-window split (stable's rate unknown), with simple hypotheses: ratio 1
  against the true ratio. It measures the cost of not knowing stable's rate, the floor of any judge that
  compares the canary with stable on the same window and needs no baseline.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import replace

from canarykit.judges.sequential import Decision, SequentialSplitTest, SplitCounts, Verdict, log_mean_exp
from canarykit.judges.simulation import Judge, Outcome, Scrape, promoted, rollback_at


def sprt_judge(stable_error: float, ratio: float, alpha: float = 0.01) -> Judge:
    """Wald's SPRT with both rates known (H0 ratio 1 against H1 `ratio`, beta = alpha): the limit."""
    upper, lower = math.log((1 - alpha) / alpha), math.log(alpha / (1 - alpha))
    per_error = math.log(ratio)
    per_success = math.log((1 - min(ratio * stable_error, 1 - 1e-12)) / (1 - stable_error))

    def judge(scrapes: Sequence[Scrape]) -> Outcome:
        total = 0.0
        for scrape in scrapes:
            bad = scrape.counts.canary_bad
            total += bad * per_error + (scrape.counts.canary_requests - bad) * per_success
            if total >= upper:
                return rollback_at(scrapes, scrape.time)
            if total <= lower:
                break
        return promoted(scrapes)

    return judge


class KnownRateSPRT:
    """Wald's SPRT (H0 ratio 1 against H1 `ratio`, both rates known, beta = alpha) as a cumulative test."""

    def __init__(self, stable_error: float, ratio: float, alpha: float = 0.01) -> None:
        self.upper, self.lower = math.log((1 - alpha) / alpha), math.log(alpha / (1 - alpha))
        self.per_error = math.log(ratio)
        self.per_success = math.log((1 - min(ratio * stable_error, 1 - 1e-12)) / (1 - stable_error))
        threshold = (1 - alpha) / alpha
        self._log = 0.0
        self._decision = Decision(Verdict.CONTINUE, 1.0, 1.0, threshold, threshold, SplitCounts())

    def update(self, new: SplitCounts) -> Decision:
        """Add the canary's new requests and errors (stable's are not needed); a verdict stays."""
        totals = self._decision.totals + new
        verdict = self._decision.verdict
        if verdict is Verdict.CONTINUE:
            bad = new.canary_bad
            self._log += bad * self.per_error + (new.canary_requests - bad) * self.per_success
            if self._log >= self.upper:
                verdict = Verdict.FAIL
            elif self._log <= self.lower:
                verdict = Verdict.PASS
        e_fail = math.exp(min(self._log, 690.0))
        e_pass = math.exp(min(-self._log, 690.0))
        self._decision = replace(self._decision, verdict=verdict, e_fail=e_fail, e_pass=e_pass, totals=totals)
        return self._decision


def known_stable_judge(stable_error: float, test: SequentialSplitTest | None = None) -> Judge:
    """The mixture of `test` (its boundary, alternatives, alpha, min_bad) with stable's rate known."""
    test = test or SequentialSplitTest()
    steps = [_bernoulli_steps(stable_error, ratio, test.max_ratio) for ratio in test.worse]
    threshold = math.log(1 / test.alpha)

    def judge(scrapes: Sequence[Scrape]) -> Outcome:
        logs, bad_so_far = [0.0] * len(steps), 0.0
        for scrape in scrapes:
            requests, bad = scrape.counts.canary_requests, scrape.counts.canary_bad
            bad_so_far += bad
            for index, (per_error, per_success) in enumerate(steps):
                logs[index] += bad * per_error + (requests - bad) * per_success
            if log_mean_exp(logs) >= threshold and bad_so_far >= test.min_bad:
                return rollback_at(scrapes, scrape.time)
        return promoted(scrapes)

    return judge


def split_oracle(ratio: float, alpha: float = 0.01) -> SequentialSplitTest:
    """The judge's split with simple hypotheses, ratio 1 against the true `ratio`; stable's rate unknown."""
    boundary = 1.000001
    return SequentialSplitTest(boundary, alpha, min_bad=0, grid_size=1, max_effect=ratio / boundary)


def _bernoulli_steps(stable_error: float, ratio: float, boundary: float) -> tuple[float, float]:
    """Log likelihood ratio of one canary error and of one success, `ratio` against `boundary`."""
    worse, edge = min(ratio * stable_error, 1 - 1e-12), boundary * stable_error
    return math.log(worse / edge), math.log((1 - worse) / (1 - edge))
