"""How long the sequential judge needs to catch a regression, or clear a healthy canary, at a given weight.

The estimate is Wald's first-order one, not a simulation: each bad event adds, on average, the
Kullback-Leibler drift `KL(θ_true ‖ θ_boundary) − KL(θ_true ‖ θ_k)` to the log-likelihood ratio of each
alternative `k` of the test's grid, and the estimate is the time at which the mixture of those expected
ratios reaches `1/alpha` (or `1/beta` to clear). With an alternative sitting exactly on the true ratio it
is `log(1/alpha) / (events per second × KL per event)`; the grid's spread adds its cost. A regression is
also not caught before the canary's expected bad events reach `min_bad`. With an indifference zone
catching is measured against `fail_boundary` (pass_ratio) and clearing against `pass_boundary` (fail_ratio).
It ignores noise and scrape intervals: on the simulation (`canarykit.judges.simulation`) the mean time to
catch is within about 20 % of it, plus up to one scrape (reference plan, 100 req/s, 2x: 3m29s estimated,
about 3m20s simulated); with the zone (1, 2) at 100 req/s, estimate against simulated mean (300 runs):
clear healthy at 20 % 255/260 s, at 50 % 191/189 s; catch 2x at 20 % 193/200 s, 3x at 50 % 39/46 s.
Means, not medians (the simulated medians are 10-20 % shorter), and no gates: `canarykit plan` simulates
gated plans (`canarykit.cli.plan_gated_model`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from canarykit.errors import SpecError
from canarykit.judges.low_traffic import LowTraffic
from canarykit.judges.sequential import MAX_RATIO, SequentialSplitTest, log_mean_exp

Segment = tuple[float, float]  # (canary weight in percent, seconds held)


@dataclass(frozen=True)
class Detection:
    """The traffic and regression to plan for, and the judge's settings."""

    traffic: float
    baseline_error: float
    ratio: float
    alpha: float = 0.01
    beta: float | None = None
    max_ratio: float = MAX_RATIO
    grid_size: int | None = None
    max_effect: float | None = None
    min_bad: int = 3
    pass_ratio: float | None = None
    fail_ratio: float | None = None

    def __post_init__(self) -> None:
        if not self.traffic > 0:
            raise SpecError(f"traffic must be above 0 requests per second, got {self.traffic}")
        if not 0 < self.baseline_error < 1:
            raise SpecError(f"the baseline error rate must be between 0 and 1, got {self.baseline_error}")
        if not self.ratio > 0 or self.ratio * self.baseline_error >= 1:
            raise SpecError(
                f"the regression ratio must be above 0 and keep the error rate below 1: {self.ratio}"
            )
        self.test()  # validates alpha, beta, max_ratio, the zone, grid_size, max_effect

    def test(self) -> SequentialSplitTest:
        """A test with these settings (its grids and boundaries are what the estimates use)."""
        return SequentialSplitTest(
            self.max_ratio,
            self.alpha,
            self.beta,
            self.min_bad,
            0.0,
            self.grid_size,
            self.max_effect,
            self.pass_ratio,
            self.fail_ratio,
        )


@dataclass(frozen=True)
class Estimate:
    """Expected seconds to catch the regression and to clear a healthy canary; None when never."""

    catch: float | None
    clear: float | None


def at_weight(detection: Detection, weight: float) -> Estimate:
    """The expected times for a canary held at `weight` percent from its first request."""
    return over_plan(detection, [(weight, math.inf)])


def over_plan(detection: Detection, segments: Sequence[Segment]) -> Estimate:
    """The expected times over a sequence of weights, evidence accumulating across them; None past the end."""
    test = detection.test()
    catch = _crossing(detection, segments, detection.ratio, test.worse, test.fail_boundary, test.alpha)
    clear = _crossing(detection, segments, 1.0, test.better, test.pass_boundary, test.beta)
    floor = _floor(detection, segments)
    return Estimate(None if catch is None or floor is None else max(catch, floor), clear)


def _crossing(
    detection: Detection,
    segments: Sequence[Segment],
    truth: float,
    grid: list[float],
    boundary: float,
    level: float,
) -> float | None:
    """When the mixture of expected likelihood ratios first reaches 1/level; None if not in the segments."""
    target, logs, start = math.log(1 / level), [0.0] * len(grid), 0.0
    for weight, seconds in segments:
        drifts = _drifts(detection, weight / 100, truth, grid, boundary)
        end = _first_reach(logs, drifts, target, seconds)
        if end is not None:
            return start + end
        logs = [log + drift * seconds for log, drift in zip(logs, drifts, strict=True)]
        start += seconds
    return None


def _drifts(
    detection: Detection, share: float, truth: float, grid: list[float], boundary: float
) -> list[float]:
    """Expected growth per second of each alternative's log-likelihood ratio against the boundary."""
    if not 0 < share < 1:
        return [0.0] * len(grid)
    events = detection.traffic * detection.baseline_error * (truth * share + 1 - share)
    actual, edge = _split(truth, share), _split(boundary, share)
    return [events * (_kl(actual, edge) - _kl(actual, _split(ratio, share))) for ratio in grid]


def _first_reach(logs: list[float], drifts: list[float], target: float, seconds: float) -> float | None:
    """The first s in [0, seconds] with log(mean(exp(logs + s·drifts))) >= target (the curve is convex)."""
    if _log_mean(logs, drifts, 0.0) >= target:
        return 0.0
    best = max(drifts)
    if best <= 0:
        return None
    high = min(seconds, (target - logs[drifts.index(best)] + math.log(len(logs))) / best)
    if _log_mean(logs, drifts, high) < target:
        return None
    low = 0.0
    for _ in range(60):
        middle = (low + high) / 2
        low, high = (low, middle) if _log_mean(logs, drifts, middle) >= target else (middle, high)
    return high


def _floor(detection: Detection, segments: Sequence[Segment]) -> float | None:
    """When the canary's expected bad events reach the test's floor (`min_bad`)."""
    needed, start = float(detection.min_bad), 0.0
    for weight, seconds in segments:
        per_second = detection.traffic * weight / 100 * detection.ratio * detection.baseline_error
        if per_second > 0 and needed <= per_second * seconds:
            return start + needed / per_second
        needed -= per_second * seconds
        start += seconds
    return None if needed > 0 else start


def _log_mean(logs: list[float], drifts: list[float], seconds: float) -> float:
    return log_mean_exp([log + drift * seconds for log, drift in zip(logs, drifts, strict=True)])


def _split(ratio: float, share: float) -> float:
    """Probability that a bad event comes from the canary, at this weight and ratio of rates."""
    return ratio * share / (ratio * share + 1 - share)


def _kl(p: float, q: float) -> float:
    """Kullback-Leibler divergence between Bernoulli(p) and Bernoulli(q), in nats."""
    return p * math.log(p / q) + (1 - p) * math.log((1 - p) / (1 - q))


def under_policy(
    detection: Detection, segments: Sequence[Segment], policy: LowTraffic | None, settle: bool = False
) -> tuple[Estimate, str]:
    """`over_plan` under a low-traffic policy: no verdict before `min_requests` canary requests, and the
    policy's own outcome at `max_wait` without them. Returns the estimate and what the policy did, or ""."""
    estimate = over_plan(detection, segments)
    if policy is None:
        return estimate, ""
    enough, wait = _requests_reached(detection, segments, policy.min_requests), policy.max_wait_seconds
    if enough is not None and enough <= wait:
        clear = enough if settle else _later(estimate.clear, enough)
        return Estimate(_later(estimate.catch, enough), clear), ""
    if wait > sum(seconds for _, seconds in segments):
        return Estimate(None, None), f"fewer than {policy.min_requests} canary requests within the plan"
    outcome = policy.otherwise
    note = f"fewer than {policy.min_requests} canary requests after {policy.max_wait}: {outcome}"
    caught = estimate.catch is not None and estimate.catch <= wait
    catch = wait if caught or outcome == "fail" else None
    return Estimate(catch, wait if outcome == "pass" else None), note


def _requests_reached(detection: Detection, segments: Sequence[Segment], needed: float) -> float | None:
    """When the canary has served `needed` requests, at the plan's weights; None if not within them."""
    start = 0.0
    for weight, seconds in segments:
        per_second = detection.traffic * weight / 100
        if per_second > 0 and needed <= per_second * seconds:
            return start + needed / per_second
        needed -= per_second * seconds
        start += seconds
    return None


def _later(seconds: float | None, floor: float) -> float | None:
    return None if seconds is None else max(seconds, floor)
