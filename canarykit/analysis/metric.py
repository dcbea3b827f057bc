"""A metric: what to query, how often, and how to judge the answers (Argo's `Metric`)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from canarykit.analysis.evaluate import ConditionLike, compile_optional
from canarykit.durations import Duration, parse_duration
from canarykit.errors import DurationError, SpecError
from canarykit.providers.base import MetricProvider

if TYPE_CHECKING:
    from canarykit.analysis.measurement import Measurement


class Metric:
    """One metric of an analysis, validated when built (Argo's field names and defaults).

    `interval`/`initial_delay` take `"10s"`, `"2m"`, `"1h30m"`, `"1.5m"` or seconds. With no `count`, a metric
    with an interval runs until the analysis is terminated, and one without runs once.
    """

    def __init__(
        self,
        name: str,
        provider: MetricProvider,
        query: str | None = None,
        interval: Duration | None = None,
        initial_delay: Duration | None = None,
        count: int | None = None,
        success_condition: ConditionLike | None = None,
        failure_condition: ConditionLike | None = None,
        failure_limit: int = 0,
        inconclusive_limit: int = 0,
        consecutive_error_limit: int = 4,
        consecutive_success_limit: int = 0,
        dry_run: bool = False,
        settled: Callable[[Sequence[Measurement]], bool] | None = None,
    ) -> None:
        if not name:
            raise SpecError("metric name must not be empty")
        if not callable(getattr(provider, "measure", None)):
            raise SpecError(f"metric {name!r}: provider must have a measure(query, at) method")
        self.name = name
        self.provider = provider
        self.query = query
        self.interval = _seconds(interval, "invalid interval string")
        self.initial_delay = _seconds(initial_delay, "invalid startDelay string")
        self.count = count
        self.success_condition = compile_optional(success_condition, "successCondition")
        self.failure_condition = compile_optional(failure_condition, "failureCondition")
        self.failure_limit = failure_limit
        self.inconclusive_limit = inconclusive_limit
        self.consecutive_error_limit = consecutive_error_limit
        self.consecutive_success_limit = consecutive_success_limit
        self.dry_run = dry_run
        self.settled = settled
        """canarykit's: the metric completes Successful as soon as `settled(measurements)` is true (a
        sequential judge clearing the canary early); the limits are checked first."""
        _validate_limits(self)

    @property
    def effective_count(self) -> int | None:
        """How many non-error measurements complete the metric; None means until terminated."""
        if self.count:
            return self.count
        return None if self.interval is not None else 1

    def __repr__(self) -> str:
        fields: dict[str, Any] = {"name": self.name, "query": self.query, "interval": self.interval}
        fields["count"] = self.count
        if self.success_condition is not None:
            fields["success_condition"] = self.success_condition.source
        if self.failure_condition is not None:
            fields["failure_condition"] = self.failure_condition.source
        fields["failure_limit"] = self.failure_limit
        body = ", ".join(f"{key}={value!r}" for key, value in fields.items() if value is not None)
        return f"Metric({body})"


def _seconds(value: Duration | None, prefix: str) -> float | None:
    if value is None or value == "":
        return None
    try:
        return parse_duration(value)
    except DurationError as error:
        raise SpecError(f"{prefix}: {error.reason}") from error


def _validate_limits(metric: Metric) -> None:
    """Argo's `ValidateMetric` rules and messages."""
    for field, value in _integer_fields(metric):
        if isinstance(value, bool) or not isinstance(value, int):
            raise SpecError(f"{field} must be an integer, got {value!r}")
    count = metric.count or 0
    csl = metric.consecutive_success_limit
    if count < 0:
        raise SpecError("count must be >= 0")
    if count > 0 and metric.failure_limit >= 0 and count < metric.failure_limit + csl:
        raise SpecError("count must be >= failureLimit" + (" + consecutiveSuccessLimit" if csl else ""))
    if count > 0 and count < metric.inconclusive_limit:
        raise SpecError("count must be >= inconclusiveLimit")
    if count > 1 and metric.interval is None:
        raise SpecError("interval must be specified when count > 1")
    if metric.failure_limit < -1:
        raise SpecError("failureLimit must be >= -1")
    if metric.failure_limit == -1 and csl <= 0:
        raise SpecError("failureLimit can be -1 only when consecutiveSuccessLimit > 0")
    for field, value in _integer_fields(metric)[2:]:
        if value < 0:
            raise SpecError(f"{field} must be >= 0")


def _integer_fields(metric: Metric) -> list[tuple[str, Any]]:
    return [
        ("count", metric.count or 0),
        ("failureLimit", metric.failure_limit),
        ("inconclusiveLimit", metric.inconclusive_limit),
        ("consecutiveErrorLimit", metric.consecutive_error_limit),
        ("consecutiveSuccessLimit", metric.consecutive_success_limit),
    ]
