"""Recommended starting points: a plan and an analysis most users of ingress-nginx should begin with."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from canarykit.analysis import Metric
from canarykit.durations import Duration, parse_positive_duration
from canarykit.errors import SpecError
from canarykit.judges import ErrorRateComparison, LatencyComparison, LowTraffic
from canarykit.judges.comparison import as_provider
from canarykit.judges.queries import matchers
from canarykit.judges.sequential import FAIL_RATIO, MAX_RATIO, PASS_RATIO
from canarykit.local.ingress_metrics import REQUESTS
from canarykit.providers.base import MetricProvider
from canarykit.rollout.analyses import BackgroundAnalysis
from canarykit.rollout.orchestrator import Rollout
from canarykit.steps import Gate, Pause, Plan, SetWeight
from canarykit.steps.gates import OnTimeout
from canarykit.traffic import TrafficRouter
from canarykit.workload import Workload

GATED_FLOOR = 0.001
"""A gated preset's `min_difference` by default (0.1 percentage point): a canary with no errors or no slow
requests is cleared once its rate is credibly below it (about 8,000 canary requests with none)."""


@dataclass(frozen=True)
class Preset:
    """A plan and the background analysis that goes with it; `rollout()` puts them together."""

    plan: Plan
    analysis: BackgroundAnalysis

    def rollout(self, name: str, router: TrafficRouter, workload: Workload, **options: Any) -> Rollout:
        return Rollout(name, self.plan, router, workload, analysis=self.analysis, **options)


def nginx_canary(
    ingress: str,
    namespace: str | None = None,
    prometheus: str | MetricProvider = "http://127.0.0.1:9090",
    weights: Sequence[int] = (10, 25, 50, 75),
    pause: Duration = "2m",
    max_ratio: float = MAX_RATIO,
    alpha: float = 0.01,
    slower_than: float = 0.5,
    error_ceiling: float = 0.05,
    low_traffic: LowTraffic | None = None,
    gated: bool = False,
    gate_max: Duration | None = None,
    on_timeout: OnTimeout = "promote",
    pass_ratio: float | None = None,
    fail_ratio: float | None = None,
    min_difference: float | None = None,
    history: Duration | None = None,
) -> Preset:
    """Weights with pauses (or gates), judged from the canary's first request by three metrics, every 10 s:

    - `error-rate-comparison`: canary's 5xx rate against stable's on the same traffic; rolls back once it
      is credibly above `max_ratio` times stable's (false rollbacks ≤ `alpha`, however long it runs);
    - `latency-comparison`: the same for the share of requests slower than `slower_than` seconds;
    - `canary-error-ceiling`: an absolute ceiling, failing when the canary's own 5xx ratio over the last
      minute is above `error_ceiling` twice (a canary that fails outright, whatever stable does).

    A canary with fewer than 200 requests after 10 minutes pauses the rollout (`low_traffic`), so a silent
    canary neither passes by default nor fails on NaN.

    `gated=True` puts a `Gate(gate_max or pause, on_timeout=on_timeout)` in place of each pause: a weight
    goes on as soon as both judges clear the canary, and holds up to `gate_max` while they cannot tell.
    `pass_ratio`/`fail_ratio` give both judges an indifference zone (clearing a canary as good as stable
    needs one, or a looser `max_ratio`: with the default 1.05 a healthy canary is rarely cleared early);
    gated without them (and with the default `max_ratio`) takes the recommended zone, `PASS_RATIO` to
    `FAIL_RATIO` (1.0 to 2.0).

    `min_difference`: both judges fail a canary only if its rate is at least this much above stable's, and
    clear one whose rate is credibly below it (`GATED_FLOOR`, 0.001, when gated, so a service with no
    errors or no slow requests can be cleared; 0 otherwise). `history` (e.g. "1h"): both judges also
    judge against stable's rate over that window before the canary started (`HistoryInformedTest`).
    """
    if not 0.0 < error_ceiling < 1.0:
        raise SpecError(f"must be between 0 and 1 (exclusive), got {error_ceiling!r}", "error_ceiling")
    floor = _min_difference(min_difference, gated)
    if history is not None:
        parse_positive_duration(history, "history")
    provider = as_provider(prometheus)
    low_traffic = low_traffic or LowTraffic(min_requests=200, max_wait="10m", otherwise="pause")
    options: dict[str, Any] = {"max_ratio": max_ratio, "alpha": alpha, "low_traffic": low_traffic}
    options.update(min_difference=floor, history=history)
    if gated and pass_ratio is None and fail_ratio is None and max_ratio == MAX_RATIO:  # else rarely cleared
        pass_ratio, fail_ratio = PASS_RATIO, FAIL_RATIO
    if pass_ratio is not None or fail_ratio is not None:
        options.update(pass_ratio=pass_ratio, fail_ratio=fail_ratio)
    errors = ErrorRateComparison(provider, ingress, namespace, **options)
    latency = LatencyComparison(provider, ingress, namespace, slower_than=slower_than, **options)
    sources: list[Any] = [
        errors.template("error-rate-comparison"),
        latency.template("latency-comparison"),
        _ceiling(provider, ingress, namespace, error_ceiling),
    ]
    hold = Gate(pause if gate_max is None else gate_max, on_timeout=on_timeout) if gated else Pause(pause)
    plan = Plan(step for weight in weights for step in (SetWeight(weight), hold))
    return Preset(plan, BackgroundAnalysis(sources, starting_step=0))


def _min_difference(value: float | None, gated: bool) -> float:
    """The judges' `min_difference`: `value`, else `GATED_FLOOR` when gated and 0 when not."""
    if value is None:
        return GATED_FLOOR if gated else 0.0
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise SpecError(f"must be a number between 0 and 1, got {value!r}", "min_difference")
    if not 0.0 <= value < 1.0:
        raise SpecError(
            f"must be at least 0 and below 1 (a difference of rates), got {value!r}", "min_difference"
        )
    return float(value)


def _ceiling(provider: MetricProvider, ingress: str, namespace: str | None, ceiling: float) -> Metric:
    """The canary's own 5xx ratio over a minute; no data (a silent canary) is not a failure here."""
    errors = matchers(ingress, namespace, 'status=~"5.."', canary=True)
    requests = matchers(ingress, namespace, canary=True)
    query = f"sum(rate({REQUESTS}{{{errors}}}[60s])) / sum(rate({REQUESTS}{{{requests}}}[60s]))"
    return Metric(
        "canary-error-ceiling",
        provider,
        query=query,
        interval="10s",
        failure_condition=Above(ceiling),
        failure_limit=1,
    )


class Above:
    """A named failure condition: `result[0] > ceiling`, where no data and NaN are not above.

    Its `__name__` is what measurements and messages show for the condition (not `<lambda>`).
    """

    def __init__(self, ceiling: float) -> None:
        self.ceiling = ceiling
        self.__name__ = f"result[0] > {ceiling:g} (no data or NaN is not above)"

    def __call__(self, result: Any) -> bool:
        return bool(result) and float(result[0]) > self.ceiling  # NaN (no canary traffic) is not above

    def __repr__(self) -> str:
        return f"Above({self.ceiling!r})"
