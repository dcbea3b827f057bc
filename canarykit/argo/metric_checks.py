"""An AnalysisTemplate's metrics checked when the YAML is loaded: everything argument values cannot change.

Argo finds these only when a run starts (`ValidateMetrics`); canarykit refuses them at `load()`, with Argo's
messages: a duplicate metric name, no or several providers in one metric, and, where the fields are literal
(no `{{args.x}}`), the count against the limits, the durations and the conditions, built as a run builds
them.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from canarykit.analysis import Metric
from canarykit.argo.models import UNSUPPORTED_PROVIDERS, MetricSpec, ProviderSpec, snake_case
from canarykit.argo.templating import has_tags
from canarykit.errors import ConditionSyntaxError, ProviderError, SpecError
from canarykit.providers.base import Observation

PROVIDERS = ("prometheus", "web", *UNSUPPORTED_PROVIDERS)
LIMIT_FIELDS = (
    "interval",
    "count",
    "failure_limit",
    "inconclusive_limit",
    "consecutive_error_limit",
    "consecutive_success_limit",
)
OTHER_FIELDS = ("initial_delay", "success_condition", "failure_condition")
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
DEFAULT_LIMITS = {"failure_limit": 0, "inconclusive_limit": 0, "consecutive_error_limit": 4}


def invalid(index: int, reason: str) -> str:
    """Argo's wording for a metric the analysis refuses."""
    return f"Analysis spec invalid: metrics[{index}]: {reason}"


@contextmanager
def metric_errors(index: int) -> Iterator[None]:
    """Errors building metric `index` placed at its path, in Argo's wording."""
    path = f"spec.metrics[{index}]"
    try:
        yield
    except ConditionSyntaxError as error:
        raise error.with_path(f"{path}.{error.path}") from None
    except SpecError as error:
        raise SpecError(invalid(index, error.reason), path) from None


def check_unique_name(metrics: Sequence[MetricSpec], index: int) -> None:
    """Argo's `ValidateMetrics`: metric `index` must not reuse an earlier metric's name."""
    name = metrics[index].name
    if any(metric.name == name for metric in metrics[:index]):
        raise SpecError(invalid(index, f"duplicate name '{name}'"), f"spec.metrics[{index}].name")


def check_one_provider(provider: ProviderSpec, index: int) -> None:
    """Argo's `ValidateMetric`: exactly one provider (each plugin entry counts as one)."""
    count = sum(getattr(provider, snake_case(name)) is not None for name in PROVIDERS if name != "plugin")
    count += len(provider.plugin.model_extra or {}) if provider.plugin is not None else 0
    if count != 1:
        reason = "no provider specified" if count == 0 else "multiple providers specified"
        raise SpecError(invalid(index, reason), f"spec.metrics[{index}].provider")


def check_literal_fields(metric: MetricSpec, index: int) -> None:
    """Build the metric from its literal fields (templated ones left out), as a run would, and discard it."""
    fields = {name: getattr(metric, name) for name in (*LIMIT_FIELDS, *OTHER_FIELDS)}
    literal = {name: value for name, value in fields.items() if not has_tags(value)}
    if not all(name in literal for name in LIMIT_FIELDS):  # the limits are checked together, or not at all
        literal = {name: value for name, value in literal.items() if name not in LIMIT_FIELDS[1:]}
    limits = {
        name: int_or_string(literal.get(name), DEFAULT_LIMITS.get(name, 0)) for name in LIMIT_FIELDS[1:]
    }
    with metric_errors(index):
        Metric(
            name=metric.name,
            provider=UNMEASURED,
            interval=literal.get("interval"),
            initial_delay=literal.get("initial_delay"),
            count=limits["count"],
            success_condition=literal.get("success_condition"),
            failure_condition=literal.get("failure_condition"),
            failure_limit=limits["failure_limit"],
            inconclusive_limit=limits["inconclusive_limit"],
            consecutive_error_limit=limits["consecutive_error_limit"],
            consecutive_success_limit=limits["consecutive_success_limit"],
        )


def int_or_string(value: Any, default: int) -> int:
    """Argo's int-or-string: a number, a numeric string, or 0 for any other string."""
    if value is None:
        return default
    if isinstance(value, int):
        return value
    text = str(value).strip()
    digits = text[1:] if text[:1] in ("+", "-") else text
    if not (digits.isascii() and digits.isdigit() and len(digits) <= 20):
        return 0
    number = int(text)
    return number if INT64_MIN <= number <= INT64_MAX else 0  # Go's strconv.Atoi fails: IntValue() is 0


class _Unmeasured:
    """Stands in for a metric's provider while its literal fields are checked at load; never measured."""

    def measure(self, query: str | None, at: float) -> Observation:
        raise ProviderError("a load-time check is never measured")


UNMEASURED = _Unmeasured()
