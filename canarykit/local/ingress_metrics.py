"""ingress-nginx's request metrics for one Ingress, counted from access-log records, as Prometheus text.

Names, label sets, help texts and buckets follow kubernetes/ingress-nginx
`internal/ingress/metric/collectors/socket.go`; label values follow `rootfs/etc/nginx/lua/monitor.lua`:
- `ingress`, `namespace`, `service`, `path` are per nginx location (`$ingress_name`, `$namespace`,
  `$service_name`, `$location_path`, set in `nginx.tmpl` from `getIngressInformation`), i.e. from the Ingress
  that owns the location. A canary Ingress only adds its backend as an alternative of the stable one
  (`mergeAlternativeBackends` in `controller.go`), so canary requests carry the **stable** ingress, service
  and path. `path` is the Ingress rule path, never the request URI.
- `canary` is `$proxy_alternative_upstream_name`: "" unless `balancer.lua` routed the request to the canary
  backend, then its upstream name `<namespace>-<service>-<port>` (PR #7696).
- Requests nginx answered itself (`$upstream_addr` `-`) and requests served by an address missing from
  `upstreams` count as stable: the location's `service`, `canary=""`.
- `host` is added only when `host` is given (`--metrics-per-host`); the const labels
  `controller_class/namespace/pod` are always written. Labels are sorted by name, as client_golang does.
- `nginx_ingress_controller_request_duration_seconds` has the same labels; its buckets are `--time-buckets`,
  which defaults to `prometheus.DefBuckets`.

`IngressMetrics` is a prometheus_client collector (`canarykit[metrics]`): it yields the two families from its
counters at scrape time. `nginx_ingress_controller_requests` is an `UnknownMetricFamily` (written `untyped`),
not a counter: ingress-nginx's counter has no `_total` suffix (client_golang writes names as given), while
prometheus_client writes every counter's samples and TYPE line as `<name>_total`. Keeping the series name
every query uses (`rate(nginx_ingress_controller_requests[..])`, the reference AnalysisTemplate) matters more
than the TYPE word, and PromQL treats an untyped series as it treats a counter.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from decimal import Decimal
from types import MappingProxyType
from typing import TYPE_CHECKING

from canarykit.errors import SpecError
from canarykit.local.access_log import LogRecord
from canarykit.telemetry.dependency import require_prometheus_client
from canarykit.telemetry.state import Histogram
from canarykit.values import format_float

if TYPE_CHECKING:
    from prometheus_client.metrics_core import Metric
    from prometheus_client.registry import CollectorRegistry

__all__ = [
    "CONTENT_TYPE",
    "CONTROLLER_LABELS",
    "DURATION",
    "REQUESTS",
    "TIME_BUCKETS",
    "IngressMetrics",
    "Upstream",
    "go_float",
]

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
TIME_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)  # prometheus.DefBuckets
REQUESTS = "nginx_ingress_controller_requests"
DURATION = "nginx_ingress_controller_request_duration_seconds"
_HELP = {  # verbatim, "milliseconds" included (the values are seconds)
    REQUESTS: "The total number of client requests",
    DURATION: "The request processing time in milliseconds",
}
CONTROLLER_LABELS: Mapping[str, str] = MappingProxyType(
    {
        "controller_class": "k8s.io/ingress-nginx",  # --controller-class (>= 1.0; 0.x: the ingress class)
        "controller_namespace": "ingress-nginx",
        "controller_pod": "canarykit",
    }
)
_Key = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Upstream:
    """The Kubernetes Service (and port) an upstream address belongs to; `canary` marks the canary's."""

    service: str
    port: int | str
    canary: bool = False

    def name(self, namespace: str) -> str:
        """ingress-nginx's upstream name, `<namespace>-<service>-<port>`."""
        return f"{namespace}-{self.service}-{self.port}"


class IngressMetrics:
    """Counts requests to one Ingress as ingress-nginx does; `upstreams` maps `host:port` to its `Upstream`.

    `service` (the `service` label) defaults to the one Service of the non-canary upstreams; `controller`
    holds the const labels.
    """

    def __init__(
        self,
        ingress: str,
        namespace: str,
        upstreams: Mapping[str, Upstream],
        *,
        service: str | None = None,
        path: str = "/",
        host: str | None = None,
        controller: Mapping[str, str] = CONTROLLER_LABELS,
    ) -> None:
        self.ingress, self.namespace, self.path, self.host = ingress, namespace, path, host
        fixed = {"ingress": ingress, "namespace": namespace, "path": path, **controller}
        self._fixed = {**fixed, "host": host} if host is not None else fixed
        self._service = service
        self._series: dict[_Key, Histogram] = {}
        self._lock = threading.Lock()
        self.set_upstreams(upstreams)
        self.registry = _registry_of(self)

    def set_upstreams(self, upstreams: Mapping[str, Upstream]) -> None:
        """Attribute later requests with this address -> `Upstream` map."""
        service = self._service if self._service is not None else _stable_service(upstreams)
        with self._lock:
            self.upstreams, self.service = dict(upstreams), service

    def labels(self, record: LogRecord) -> dict[str, str]:
        """The labels ingress-nginx gives `record`, const labels included."""
        upstream = self.upstreams.get(record.upstream or "")
        canary = upstream.name(self.namespace) if upstream is not None and upstream.canary else ""
        variable = {"canary": canary, "method": record.method, "status": str(record.status)}
        return {**self._fixed, **variable, "service": self.service}

    def observe(self, record: LogRecord) -> None:
        """Count one request and its duration."""
        with self._lock:
            key = tuple(sorted(self.labels(record).items()))
            self._series.setdefault(key, Histogram(TIME_BUCKETS)).observe(record.request_time)

    def collect(self) -> Iterator[Metric]:
        """The two families, from the counters as they are now; like client_golang, none without series."""
        from prometheus_client.core import HistogramMetricFamily, UnknownMetricFamily

        with self._lock:
            snapshot = {key: replace(s, buckets=list(s.buckets)) for key, s in self._series.items()}
        items = sorted(snapshot.items())
        if not items:
            return
        names = [name for name, _ in items[0][0]]
        duration = HistogramMetricFamily(DURATION, _HELP[DURATION], labels=names)
        requests = UnknownMetricFamily(REQUESTS, _HELP[REQUESTS], labels=names)
        for key, series in items:
            values = [value for _, value in key]
            duration.add_metric(values, series.cumulative(go_float), series.total)
            requests.add_metric(values, series.count)
        yield duration
        yield requests

    def render(self) -> str:
        """Text exposition format 0.0.4, as prometheus_client writes it ("" before the first request)."""
        from prometheus_client.exposition import generate_latest

        return generate_latest(self.registry).decode("utf-8")


def _registry_of(metrics: IngressMetrics) -> CollectorRegistry:
    """A registry of its own holding `metrics`; `MissingDependency` without prometheus_client."""
    require_prometheus_client("the access-log exporter (ingress-nginx metrics)")
    from prometheus_client.registry import CollectorRegistry

    registry = CollectorRegistry(auto_describe=False)
    registry.register(metrics)
    return registry


def _stable_service(upstreams: Mapping[str, Upstream]) -> str:
    names = sorted({upstream.service for upstream in upstreams.values() if not upstream.canary})
    if len(names) != 1:
        raise SpecError(f"the non-canary upstreams must name exactly one Service, got {names}; pass service=")
    return names[0]


def go_float(value: float) -> str:
    """Go's `strconv.FormatFloat(v, 'g', -1, 64)`, as client_golang writes sample values and `le`."""
    if not math.isfinite(value):
        return format_float(value)
    number = Decimal(repr(abs(float(value)))).normalize()
    exponent = number.adjusted()
    if -4 <= exponent < 6 or value == 0:
        return format_float(value)
    digits = "".join(str(digit) for digit in number.as_tuple().digits)
    head = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
    return f"{'-' if value < 0 else ''}{head}e{'-' if exponent < 0 else '+'}{abs(exponent):02d}"
