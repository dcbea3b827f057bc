"""The history-informed judge's drift monitor: is stable's live rate still what its history allows?

Two one-sided mixture e-processes (`WeightedDrift`) watch stable's LIVE counts, against the history's
upper bound `high` (rates above) and its lower bound `low` (rates below); inverted, they are an
anytime-valid confidence sequence for stable's live rate. Once either reaches `1/drift_alpha`, the live
rate has left what the history allows and `DriftMonitor.check` says why.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from canarykit.judges.sequential import SplitCounts, log_mean_exp

DRIFT_ALPHA = 0.5
"""The monitor's threshold: it switches once an e-value reaches `1/DRIFT_ALPHA` (2)."""
DRIFT_SCALES = (1.1, 1.25, 1.5, 2.0, 3.0)
"""The monitor's alternatives: stable's live rate this many times `high` (or `low` divided by them)."""


class WeightedDrift:
    """Is stable's live rate, weighted by the canary's exposure, above (or below) `boundary`? An e-process.

    Each interval adds stable's bad events weighted by `w = canary requests / stable requests`, so the sum
    estimates the canary's bad events at stable's live rate: exactly what inflates the one-sample test.
    Per scale `s`, `exp(log(s)·w·bad - boundary·n·(s^w - 1))` has expectation at most 1 while stable's rate
    is at most `boundary` (`s > 1`; at least, for `s < 1`): a Poisson exponential supermartingale.
    """

    def __init__(self, boundary: float, scales: Sequence[float]) -> None:
        self.boundary, self.scales = boundary, tuple(scales)
        self._logs = [0.0] * len(self.scales)

    def add(self, canary_requests: float, stable_requests: float, stable_bad: float) -> None:
        """One interval's counts; an interval without traffic on both sides says nothing."""
        if canary_requests <= 0 or stable_requests <= 0 or self.boundary <= 0:
            return
        weight = canary_requests / stable_requests
        for index, scale in enumerate(self.scales):
            step = math.log(scale)
            self._logs[index] += step * weight * stable_bad - self.boundary * stable_requests * math.expm1(
                step * weight
            )

    def log_e(self) -> float:
        return log_mean_exp(self._logs)


class DriftMonitor:
    """Stable's live rate against the history's bounds `[low, high]`, at threshold `1/drift_alpha`.

    `rose` (then `fell`) says why stable's live rate left the bounds upward (downward); once said, it stays.
    """

    def __init__(self, low: float, high: float, drift_alpha: float = DRIFT_ALPHA) -> None:
        self.low, self.high, self.drift_alpha = low, high, drift_alpha
        self.up = WeightedDrift(high, DRIFT_SCALES)
        self.down = WeightedDrift(low, [1 / scale for scale in DRIFT_SCALES])
        self.rose: str | None = None
        self.fell: str | None = None

    def add(self, new: SplitCounts, totals: SplitCounts) -> None:
        """Add one interval's counts (`totals`: since the canary's start, for the messages)."""
        for monitor in (self.up, self.down):
            monitor.add(new.canary_requests, new.stable_requests, new.stable_bad)
        limit = math.log(1 / self.drift_alpha)
        live = _rate(totals.stable_bad, totals.stable_requests)
        if self.rose is None and self.up.log_e() >= limit:
            self.rose = f"stable's live rate {live} rose above the history's {self.high:.4g}"
            self.rose += " (failing now needs the same-window test)"
        if self.fell is None and self.low > 0 and self.down.log_e() >= limit:
            self.fell = f"stable's live rate {live} fell below the history's {self.low:.4g}"
            self.fell += " (clearing now needs the same-window test)"


def _rate(bad: float, requests: float) -> str:
    return f"{bad / requests:.4g}" if requests else "n/a"
