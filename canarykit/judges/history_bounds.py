"""The math under the history-informed judge: a confidence interval on stable's rate, one-sample e-processes.

- `rate_interval`: exact (Clopper-Pearson style, Poisson) bounds on a rate from `bad` events in `requests`:
  `P(upper < true rate) <= alpha` and `P(lower > true rate) <= alpha`. The Poisson model is conservative for
  the binomial counts of bad requests (its variance is larger).
- `OneSample`: a mixture of Bernoulli likelihood ratios, alternatives `boundary·s` against `boundary`, over
  cumulative counts. When the true rate is at most the boundary (at least, for alternatives below it) it is
  a non-negative supermartingale, so it ever reaches `1/alpha` with probability at most `alpha` (Ville).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from canarykit.judges.sequential import log_mean_exp

_ITERATIONS = 200
_TINY = 1e-300


def rate_interval(bad: float, requests: float, alpha: float) -> tuple[float, float]:
    """(lower, upper) one-sided bounds on the bad-event rate, each wrong with probability at most `alpha`."""
    if requests <= 0:
        return 0.0, 1.0
    count = round(bad)
    upper = _solve(lambda mean: poisson_cdf(count, mean) - alpha, count, decreasing=True)
    lower = 0.0 if count == 0 else _solve(lambda mean: poisson_sf(count, mean) - alpha, count, False)
    return lower / requests, min(upper / requests, 1.0)


def poisson_cdf(count: int, mean: float) -> float:
    """P(X <= count) for X ~ Poisson(mean): the regularized upper incomplete gamma Q(count + 1, mean)."""
    return 1.0 - _lower_gamma(count + 1, mean) if mean > 0 else 1.0


def poisson_sf(count: int, mean: float) -> float:
    """P(X >= count) for X ~ Poisson(mean): the regularized lower incomplete gamma P(count, mean)."""
    return _lower_gamma(count, mean) if count > 0 else 1.0


def _lower_gamma(shape: int, x: float) -> float:
    """P(shape, x): a series below `shape + 1`, Lentz's continued fraction for Q above (Numerical Recipes)."""
    if x <= 0:
        return 0.0
    log_front = shape * math.log(x) - x - math.lgamma(shape)
    if x < shape + 1:
        term = total = 1.0 / shape
        for step in range(1, 100_000):
            term *= x / (shape + step)
            total += term
            if abs(term) < abs(total) * 1e-15:
                break
        return min(total * math.exp(log_front), 1.0)
    b, c, d = x + 1 - shape, 1 / _TINY, 1 / (x + 1 - shape)
    fraction = d
    for step in range(1, 100_000):
        a = -step * (step - shape)
        b += 2
        d = 1 / (a * d + b if abs(a * d + b) > _TINY else _TINY)
        c = b + a / c if abs(b + a / c) > _TINY else _TINY
        fraction *= d * c
        if abs(d * c - 1) < 1e-15:
            break
    return max(1.0 - math.exp(log_front) * fraction, 0.0)


def _solve(gap: Callable[[float], float], count: int, decreasing: bool) -> float:
    """The mean where `gap(mean)` crosses 0, by bisection on [0, a generous upper end]."""
    low, high = 0.0, count + 20 * math.sqrt(count + 1) + 50
    for _ in range(_ITERATIONS):
        middle = (low + high) / 2
        if (gap(middle) > 0) == decreasing:
            low = middle
        else:
            high = middle
        if high - low <= 1e-12 * max(high, 1.0):
            break
    return high if decreasing else low


@dataclass(frozen=True)
class OneSample:
    """Bernoulli mixture e-process over cumulative counts: alternatives `boundary·s` against `boundary`."""

    boundary: float
    scales: tuple[float, ...]

    @classmethod
    def geometric(cls, boundary: float, first: float, last: float, size: int) -> OneSample:
        """`size` alternatives from `first` to `last` times the boundary, evenly spaced in log."""
        if size == 1:
            return cls(boundary, (first,))
        step = (last / first) ** (1 / (size - 1))
        return cls(boundary, tuple(first * step**index for index in range(size)))

    def log_e(self, requests: float, bad: float) -> float:
        """log of the mixture's value after `bad` events in `requests`; 0 when it cannot say anything."""
        if requests <= 0 or not self._steps:
            return 0.0
        return log_mean_exp(
            [bad * per_bad + (requests - bad) * per_good for per_bad, per_good in self._steps]
        )

    @property
    def _steps(self) -> tuple[tuple[float, float], ...]:
        """Per alternative, the log likelihood ratio of one bad event and of one good one (cached)."""
        cached: tuple[tuple[float, float], ...] | None = self.__dict__.get("_cache")
        if cached is None:
            cached = (
                tuple(_steps(self.boundary, scale) for scale in self.scales) if 0 < self.boundary < 1 else ()
            )
            object.__setattr__(self, "_cache", cached)
        return cached


def _steps(boundary: float, scale: float) -> tuple[float, float]:
    alternative = min(boundary * scale, 1 - 1e-12)
    return math.log(alternative / boundary), math.log((1 - alternative) / (1 - boundary))


def capped_exp(log_value: float) -> float:
    """exp, capped at about 1e300 (an e-value for display)."""
    return math.exp(min(log_value, 690.0))
