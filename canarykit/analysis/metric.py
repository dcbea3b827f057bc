"""A metric: what to query, how often, and how to judge the answers (Argo's `Metric`)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from canarykit.analysis.evaluate import ConditionLike, compile_optional
from canarykit.durations import Duration, duration_error, go_reason, parse_duration
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
        self.count = count
        self.failure_limit = failure_limit
        self.inconclusive_limit = inconclusive_limit
        self.consecutive_error_limit = consecutive_error_limit
        self.consecutive_success_limit = consecutive_success_limit
        try:
            _check_limits(self, has_interval=interval is not None and interval != "")
        except SpecError as error:  # Argo's words, placed at the metric
            raise SpecError(error.reason, f"metric {name!r}") from None
        self.interval = _seconds(interval, "invalid interval string", f"metric {name!r}: interval")
        self.initial_delay = _seconds(
            initial_delay, "invalid startDelay string", f"metric {name!r}: initial_delay"
        )
        self.success_condition = compile_optional(success_condition, "successCondition")
        self.failure_condition = compile_optional(failure_condition, "failureCondition")
        self.dry_run = dry_run
        self.settled = settled
        """canarykit's: the metric completes Successful as soon as `settled(measurements)` is true (a
        sequential judge clearing the canary early); the limits are checked first."""

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


def _seconds(value: Duration | None, prefix: str, field: str) -> float | None:
    """Seconds in `value`; a bad one is a `DurationError` at `field`, in Argo's words then the units."""
    if value is None or value == "":
        return None
    try:
        return parse_duration(value)
    except DurationError as error:
        raise duration_error(f"{prefix}: {go_reason(error)}", field, value) from None


def _check_limits(metric: Metric, has_interval: bool) -> None:
    """Argo's `ValidateMetric` (utils/analysis/factory.go): its rules, in its order, with its messages."""
    for field, value in _integer_fields(metric):
        if isinstance(value, bool) or not isinstance(value, int):
            raise SpecError(f"{field} must be an integer, got {value!r}")
    count, failures = metric.count or 0, metric.failure_limit
    successes, inconclusives = metric.consecutive_success_limit, metric.inconclusive_limit
    if successes < 0:
        raise SpecError("consecutiveSuccessLimit must be >= 0")
    if failures < -1:
        raise SpecError("failureLimit must be >= 0, or -1 to be disabled")
    if successes == 0 and failures == -1:
        raise SpecError("failureLimit and consecutiveSuccessLimit cannot both be disabled")
    if inconclusives < 0:
        raise SpecError("inconclusiveLimit must be >= 0")
    if metric.consecutive_error_limit < 0:
        raise SpecError("consecutiveErrorLimit must be >= 0")
    if count > 0:
        _check_count(count, failures, successes, inconclusives)
    if count > 1 and not has_interval:
        raise SpecError("interval must be specified when count > 1")


def _check_count(count: int, failures: int, successes: int, inconclusives: int) -> None:
    """A positive count against the limits (consecutiveSuccessLimit is >= 0 here)."""
    if failures >= 0 and count < failures + successes:
        raise SpecError(
            f"count ({count}) must be >= failureLimit + consecutiveSuccessLimit "
            f"({failures} + {successes}) if both >= 0"
        )
    if failures < 0 and count < successes:
        raise SpecError("count must be >= consecutiveSuccessLimit")
    if count < inconclusives:
        raise SpecError("count must be >= inconclusiveLimit")


def _integer_fields(metric: Metric) -> list[tuple[str, Any]]:
    return [
        ("count", metric.count or 0),
        ("failureLimit", metric.failure_limit),
        ("inconclusiveLimit", metric.inconclusive_limit),
        ("consecutiveErrorLimit", metric.consecutive_error_limit),
        ("consecutiveSuccessLimit", metric.consecutive_success_limit),
    ]
