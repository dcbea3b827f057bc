"""PromQL for the judges: each side's cumulative ingress-nginx counts, and reading them into `SplitCounts`.

ingress-nginx labels a request `canary="<ns>-<svc>-<port>"` when the canary backend served it and
`canary=""` otherwise; canary requests keep the **stable** Ingress's name (the canary Ingress only adds an
alternative backend to the stable one's locations). So `ingress="X",canary!=""` is the canary and
`ingress="X",canary=""` is stable, with no baseline deployment.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from canarykit.errors import ProviderError, SpecError
from canarykit.judges.sequential import SplitCounts
from canarykit.local.ingress_metrics import DURATION, REQUESTS, go_float
from canarykit.providers.base import MetricProvider


@dataclass(frozen=True)
class Series:
    """A metric and its label matchers; `over(seconds)` is the sum of their increases over a window."""

    metric: str
    matchers: str

    def over(self, seconds: float) -> str:
        return self.with_range(window(seconds))

    def with_range(self, text: str) -> str:
        return f"sum(increase({self.metric}{{{self.matchers}}}[{text}]))"


@dataclass(frozen=True)
class SplitQueries:
    """The four series a comparison reads; `marked` counts bad requests, or good ones if `marked_good`."""

    canary_requests: Series
    canary_marked: Series
    stable_requests: Series
    stable_marked: Series
    marked_good: bool = False

    def describe(self) -> str:
        """The canary's two series, with `$window` for the window (the stable side has `canary=""`)."""
        marked, requests = (
            self.canary_marked.with_range("$window"),
            self.canary_requests.with_range("$window"),
        )
        return f"{marked} of {requests}"

    def read(self, provider: MetricProvider, seconds: float, at: float) -> SplitCounts:
        """Each side's requests and bad events over the `seconds` before `at`, rounded to whole requests."""
        canary = _side(provider, self.canary_requests, self.canary_marked, self.marked_good, seconds, at)
        stable = _side(provider, self.stable_requests, self.stable_marked, self.marked_good, seconds, at)
        return SplitCounts(*canary, *stable)

    def read_stable(self, provider: MetricProvider, seconds: float, at: float) -> tuple[float, float]:
        """Stable's requests and bad events over the `seconds` before `at` (its history before a canary)."""
        return _side(provider, self.stable_requests, self.stable_marked, self.marked_good, seconds, at)


def error_queries(ingress: str, namespace: str | None, error_status: str) -> SplitQueries:
    """Requests and errors (`status=~error_status`) on `nginx_ingress_controller_requests`."""
    if not error_status:
        raise SpecError("error_status must be a non-empty regular expression, e.g. '5..'")
    errors = f"status=~{quote(error_status)}"
    return SplitQueries(
        Series(REQUESTS, matchers(ingress, namespace, canary=True)),
        Series(REQUESTS, matchers(ingress, namespace, errors, canary=True)),
        Series(REQUESTS, matchers(ingress, namespace, canary=False)),
        Series(REQUESTS, matchers(ingress, namespace, errors, canary=False)),
    )


def latency_queries(ingress: str, namespace: str | None, bound: float) -> SplitQueries:
    """Requests (`_count`) and requests within `bound` (`_bucket{le=...}`) of the duration histogram."""
    le = f"le={quote(go_float(bound))}"
    count, bucket = DURATION + "_count", DURATION + "_bucket"
    return SplitQueries(
        Series(count, matchers(ingress, namespace, canary=True)),
        Series(bucket, matchers(ingress, namespace, le, canary=True)),
        Series(count, matchers(ingress, namespace, canary=False)),
        Series(bucket, matchers(ingress, namespace, le, canary=False)),
        marked_good=True,
    )


def matchers(ingress: str, namespace: str | None, *extra: str, canary: bool) -> str:
    """`ingress="X",namespace="N",<extra>,canary!=""` (or `canary=""` for stable)."""
    if not ingress:
        raise SpecError(f"ingress must name the stable Ingress, got {ingress!r}")
    parts = [f"ingress={quote(ingress)}"]
    parts += [f"namespace={quote(namespace)}"] if namespace else []
    return ",".join([*parts, *extra, 'canary!=""' if canary else 'canary=""'])


def quote(value: str) -> str:
    """A PromQL double-quoted string."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def window(seconds: float) -> str:
    """A PromQL range: whole seconds as `90s`, else milliseconds (`1500ms`); at least 1 ms."""
    millis = max(round(seconds * 1000), 1)
    return f"{millis // 1000}s" if millis % 1000 == 0 else f"{millis}ms"


def _side(
    provider: MetricProvider, requests: Series, marked: Series, good: bool, seconds: float, at: float
) -> tuple[float, float]:
    total = _count(provider, requests.over(seconds), at)
    count = _count(provider, marked.over(seconds), at)
    return total, (max(total - count, 0.0) if good else min(count, total))


def _count(provider: MetricProvider, query: str, at: float) -> float:
    """The query's value as a whole count: no series (no traffic) is 0; NaN is a fault, never a verdict."""
    total = _sum(provider.measure(query, at).value)
    if not math.isfinite(total):
        raise ProviderError(f"query returned {total}, not a count: {query}")
    return float(round(max(total, 0.0)))


def _sum(value: Any) -> float:
    if isinstance(value, list | tuple):
        return float(sum(float(item) for item in value))
    if value is None:
        return 0.0
    return float(value)
