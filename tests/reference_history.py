"""The reference request history every real-Prometheus test queries: healthy, failing, then no traffic.

`nginx_ingress_controller_requests{ingress="canary-demo",service="canary-demo",method="GET",status=...}`,
one sample every 10 s, each window 30 min long.
"""

from __future__ import annotations

from dataclasses import dataclass

from canarykit.testing.prometheus import Counter

METRIC = "nginx_ingress_controller_requests"
LABELS = {"ingress": "canary-demo", "service": "canary-demo", "method": "GET"}
STEP_SECONDS = 10.0
WINDOW_SECONDS = 1800.0
HEALTHY_START = 1_700_000_000.0  # status 200 at 19/s, 503 at 1/s: success ratio 0.95
FAILING_START = 1_700_010_000.0  # status 200 at 8/s, 500 at 2/s: success ratio 0.8
NO_TRAFFIC_START = 1_700_020_000.0  # no samples at all from here on
SUCCESS_RATE_QUERY = (
    'sum(rate(nginx_ingress_controller_requests{ingress="canary-demo",status!~"[4-5].*"}[60s]))'
    '/sum(rate(nginx_ingress_controller_requests{ingress="canary-demo"}[60s]))'
)


@dataclass(frozen=True)
class ReferencePrometheus:
    """A running Prometheus holding the reference history, and the history's landmarks."""

    url: str
    startup_seconds: float
    healthy_start: float = HEALTHY_START
    failing_start: float = FAILING_START
    no_traffic_start: float = NO_TRAFFIC_START
    window_seconds: float = WINDOW_SECONDS
    step_seconds: float = STEP_SECONDS
    success_rate_query: str = SUCCESS_RATE_QUERY


def reference_counters() -> list[Counter]:
    """The counters of both windows; the status="200" series continues from one window to the next."""
    healthy_200 = _counter("200", HEALTHY_START, rate=19.0)
    return [
        healthy_200,
        _counter("503", HEALTHY_START, rate=1.0),
        _counter("200", FAILING_START, rate=8.0, initial=healthy_200.samples()[-1][1]),
        _counter("500", FAILING_START, rate=2.0),
    ]


def _counter(status: str, start: float, rate: float, initial: float = 0.0) -> Counter:
    labels = {**LABELS, "status": status}
    return Counter(METRIC, labels, start, start + WINDOW_SECONDS, STEP_SECONDS, rate, initial)
