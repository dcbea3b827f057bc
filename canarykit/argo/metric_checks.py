"""An AnalysisTemplate's metrics checked when the YAML is loaded: everything argument values cannot change.

Argo finds these only when a run starts (`ValidateMetrics`, `GetDryRunMetrics`, `FlattenTemplates`);
canarykit refuses them at `load()`, with Argo's messages: a duplicate metric name, no or several providers in
one metric, dryRun/measurementRetention rules repeated or matching nothing, and, where the fields are literal
(no `{{args.x}}`), the count against the limits, the durations and the conditions, built as a run builds them.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

import re2

from canarykit.analysis import Metric
from canarykit.argo.models import AnalysisTemplateSpec, Argument, MetricSpec, ProviderSpec, snake_case
from canarykit.argo.templating import has_tags
from canarykit.durations import go_reason
from canarykit.errors import ArgumentError, ConditionSyntaxError, DurationError, ProviderError, SpecError
from canarykit.providers.base import Observation

# Argo's MetricProvider fields (`ValidateMetric` counts each; every `plugin` entry counts as one).
PROVIDERS = (
    "prometheus",
    "job",
    "web",
    "wavefront",
    "kayenta",
    "datadog",
    "newRelic",
    "cloudWatch",
    "graphite",
    "influxdb",
    "skywalking",
    "plugin",
)
LIMITS = (
    "count",
    "failure_limit",
    "inconclusive_limit",
    "consecutive_error_limit",
    "consecutive_success_limit",
)
LIMIT_FIELDS = ("interval", *LIMITS)
OTHER_FIELDS = ("initial_delay", "success_condition", "failure_condition")
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
DEFAULT_LIMITS = {"failure_limit": 0, "inconclusive_limit": 0, "consecutive_error_limit": 4}
RULE_NAMES = {"dryRun": "Dry-Run", "measurementRetention": "Measurement Retention"}


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
    except SpecError as error:  # the class stays (an UnsupportedFeature is still one)
        kind = type(error) if type(error).__init__ is SpecError.__init__ else SpecError
        reason = go_reason(error) if isinstance(error, DurationError) else error.reason  # Argo's exact words
        raise kind(invalid(index, reason), path) from None


def check_unique_name(metrics: Sequence[MetricSpec], index: int) -> None:
    """Argo's `ValidateMetrics`: metric `index` must not reuse an earlier metric's name."""
    name = metrics[index].name
    if any(metric.name == name for metric in metrics[:index]):
        raise SpecError(invalid(index, f"duplicate name '{name}'"), f"spec.metrics[{index}].name")


def count_providers(fields: Mapping[str, Any]) -> int:
    """Argo's `numProviders`: each provider set (not null), each entry of `plugin` one more."""
    count = sum(fields.get(name) is not None for name in PROVIDERS if name != "plugin")
    plugin = fields.get("plugin")
    return count + (len(plugin) if isinstance(plugin, Mapping) else 0)


def check_one_provider(provider: ProviderSpec, index: int) -> None:
    """Argo's `ValidateMetric`: exactly one provider."""
    fields: dict[str, Any] = {name: getattr(provider, snake_case(name), None) for name in PROVIDERS}
    fields["plugin"] = provider.plugin.model_extra if provider.plugin is not None else None
    _refuse_provider_count(count_providers(fields), index)


def check_raw_providers(document: Mapping[str, Any]) -> None:
    """Several providers in one metric of a raw template, refused before their own fields are checked."""
    spec = document.get("spec")
    metrics = spec.get("metrics") if isinstance(spec, Mapping) else None
    for index, metric in enumerate(metrics if isinstance(metrics, list) else ()):
        provider = metric.get("provider") if isinstance(metric, Mapping) else None
        if isinstance(provider, Mapping) and count_providers(provider) > 1:
            _refuse_provider_count(count_providers(provider), index)


def _refuse_provider_count(count: int, index: int) -> None:
    if count != 1:
        reason = "no provider specified" if count == 0 else "multiple providers specified"
        raise SpecError(invalid(index, reason), f"spec.metrics[{index}].provider")


def template_rules(spec: AnalysisTemplateSpec) -> dict[str, list[str]]:
    """The metric name patterns of a template's dryRun and measurementRetention rules."""
    dry_run = [rule.metric_name for rule in spec.dry_run]
    return {
        "dryRun": dry_run,
        "measurementRetention": [rule.metric_name for rule in spec.measurement_retention],
    }


def check_rule_names(spec: AnalysisTemplateSpec) -> None:
    """Argo's `FlattenTemplates`: no two dryRun (or measurementRetention) rules of one name."""
    for kind, patterns in template_rules(spec).items():
        check_unique_rules(patterns, kind, f"spec.{kind}")


def check_rules_match(spec: AnalysisTemplateSpec) -> None:
    """Argo's run: each rule matches a metric (with other templates, a rule may match theirs)."""
    for kind, patterns in template_rules(spec).items():
        matching_names(patterns, [metric.name for metric in spec.metrics], kind)


def check_unique_rules(patterns: Sequence[str], kind: str, path: str) -> None:
    """Argo's `validateDryRunMetrics` / `validateMeasurementRetentionMetrics`: each metricName once."""
    for index, pattern in enumerate(patterns):
        if pattern in patterns[:index]:
            raise SpecError(f"two {RULE_NAMES[kind]} metric rules have the same name '{pattern}'", path)


def matching_names(patterns: Sequence[str], names: Sequence[str], kind: str) -> set[str]:
    """Names matched by the rules (unanchored regexes); a rule matching none is Argo's error."""
    matched: set[str] = set()
    for index, pattern in enumerate(patterns):
        hits = {name for name in names if rule_matches(pattern, name)}
        if not hits:
            raise SpecError(f"Analysis spec invalid: {kind}[{index}]: Rule didn't match any metric name(s)")
        matched |= hits
    return matched


def rule_matches(pattern: str, name: str) -> bool:
    """Go's `regexp.MatchString`, in linear time (RE2); an invalid pattern matches nothing, as in Argo."""
    options = re2.Options()
    options.log_errors = False
    try:
        return re2.compile(pattern, options).search(name) is not None
    except re2.error:
        return False


def flatten_args(arg_lists: Sequence[Sequence[Argument]], path: str) -> dict[str, Argument]:
    """Argo's `flattenArgs`: the args of the templates of one analysis merged by name.

    The first declaration wins unless it has no value; two different values are Argo's error.
    """
    merged: dict[str, Argument] = {}
    for argument in (argument for arguments in arg_lists for argument in arguments):
        earlier = merged.get(argument.name)
        if earlier is None or earlier.value is None:
            merged[argument.name] = argument
        elif argument.value is not None and argument.value != earlier.value:
            message = (
                f"Argument `{argument.name}` specified multiple times with different values: "
                f"'{earlier.value}', '{argument.value}'"
            )
            raise ArgumentError(message, path)
    return merged


def check_literal_fields(metric: MetricSpec, index: int) -> None:
    """Build the metric from its literal fields (templated ones left out), as a run would, and discard it."""
    fields = {name: getattr(metric, name) for name in (*LIMIT_FIELDS, *OTHER_FIELDS)}
    literal = {name: value for name, value in fields.items() if not has_tags(value)}
    if not all(name in literal for name in LIMIT_FIELDS):  # the limits are checked together, or not at all
        literal = {name: value for name, value in literal.items() if name not in LIMITS}
    limits = {name: int_or_string(literal.get(name), DEFAULT_LIMITS.get(name, 0)) for name in LIMITS}
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
    text = str(value)  # no trimming: Go's strconv.Atoi refuses " 5"
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
