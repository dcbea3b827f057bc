"""The latency judge: the canary's share of slow requests against stable's, from the duration histogram."""

from __future__ import annotations

import math
from collections.abc import Sequence

from canarykit.durations import Duration
from canarykit.errors import SpecError
from canarykit.judges.comparison import SplitComparison, split_test_options
from canarykit.judges.low_traffic import LowTraffic
from canarykit.judges.queries import latency_queries
from canarykit.judges.sequential import MAX_RATIO
from canarykit.local.ingress_metrics import TIME_BUCKETS
from canarykit.providers.base import MetricProvider


class LatencyComparison(SplitComparison):
    """Fails once the canary's share of requests slower than `slower_than` s is credibly above stable's.

    Slow requests per side are the increase of `nginx_ingress_controller_request_duration_seconds_count`
    minus that of its `_bucket{le="<slower_than>"}`, so `slower_than` must be a bucket bound: one of
    `buckets`, ingress-nginx's defaults (`prometheus.DefBuckets`) unless its `--time-buckets` differ.
    """

    default_name = "latency-comparison"

    def __init__(
        self,
        prometheus: str | MetricProvider,
        ingress: str,
        namespace: str | None = None,
        slower_than: float = 0.5,
        max_ratio: float = MAX_RATIO,
        alpha: float = 0.01,
        beta: float | None = None,
        min_slow: int = 3,
        min_difference: float = 0.0,
        low_traffic: LowTraffic | None = None,
        buckets: Sequence[float] = TIME_BUCKETS,
        pass_ratio: float | None = None,
        fail_ratio: float | None = None,
        history: Duration | None = None,
    ) -> None:
        bound = check_bound(slower_than, buckets)
        options = split_test_options(max_ratio, alpha, beta, min_slow, min_difference, pass_ratio, fail_ratio)
        queries = latency_queries(ingress, namespace, bound)
        super().__init__(prometheus, queries, options, low_traffic, history)
        self.ingress, self.namespace, self.slower_than = ingress, namespace, bound


def check_bound(bound: float, buckets: Sequence[float]) -> float:
    """`bound` if it is one of `buckets`; a bound between buckets has no series to subtract."""
    if (
        isinstance(bound, bool)
        or not isinstance(bound, int | float)
        or not math.isfinite(bound)
        or bound <= 0
    ):
        raise SpecError(f"slower_than must be a positive number of seconds, got {bound!r}")
    if not any(math.isclose(bound, bucket, rel_tol=1e-9) for bucket in buckets):
        listed = ", ".join(f"{bucket:g}" for bucket in buckets)
        raise SpecError(
            f"slower_than={bound:g} is not a histogram bucket bound ({listed}); pick one, or pass buckets= "
            "when ingress-nginx runs with --time-buckets"
        )
    return float(bound)
