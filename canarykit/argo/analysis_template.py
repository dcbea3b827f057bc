"""Argo AnalysisTemplate / ClusterAnalysisTemplate YAML -> canarykit metrics and analysis runs."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from canarykit.analysis import AnalysisRun, Metric
from canarykit.analysis.run import MeasurementListener
from canarykit.argo.documents import Source, read_documents, validate
from canarykit.argo.models import UNSUPPORTED_PROVIDERS, AnalysisTemplateDocument, MetricSpec, snake_case
from canarykit.argo.providers import build_provider
from canarykit.argo.templating import check_tags, merge_arguments, substitute
from canarykit.clock import Clock
from canarykit.errors import ConditionSyntaxError, SpecError, UnsupportedFeature
from canarykit.providers.base import PrometheusOverride

TEMPLATE_KINDS = ("AnalysisTemplate", "ClusterAnalysisTemplate")


class AnalysisTemplate:
    """A validated analysis template; `instantiate()` turns it into a runnable `AnalysisRun`."""

    def __init__(self, document: AnalysisTemplateDocument) -> None:
        self.document = document
        self.kind = document.kind
        self.name = document.metadata.name
        self.spec = document.spec
        _check_supported(document)

    @property
    def argument_names(self) -> tuple[str, ...]:
        return tuple(argument.name for argument in self.spec.args)

    def metrics(
        self, args: Mapping[str, str] | None = None, prometheus: PrometheusOverride = None
    ) -> list[Metric]:
        """The template's metrics with `args` substituted; raises `SpecError` before anything runs."""
        values = merge_arguments(self.spec.args, args)
        dry_run = _dry_run_names(self.document)
        return [
            _build_metric(index, spec, values, prometheus, spec.name in dry_run)
            for index, spec in enumerate(self.spec.metrics)
        ]

    def instantiate(
        self,
        args: Mapping[str, str] | None = None,
        prometheus: PrometheusOverride = None,
        clock: Clock | None = None,
        name: str | None = None,
        on_measurement: MeasurementListener | None = None,
    ) -> AnalysisRun:
        """An `AnalysisRun` of this template; `prometheus` (a URL or a provider) replaces its address."""
        metrics = self.metrics(args, prometheus)
        return AnalysisRun(metrics, clock=clock, name=name or self.name, on_measurement=on_measurement)


def load_analysis_template(source: Source) -> AnalysisTemplate:
    """Read one AnalysisTemplate or ClusterAnalysisTemplate from a file path or YAML text."""
    name, documents = read_documents(source)
    templates = [doc for doc in documents if doc.get("kind") in TEMPLATE_KINDS]
    if len(templates) != 1:
        found = ", ".join(str(doc.get("kind")) for doc in documents) or "nothing"
        raise SpecError(f"{name}: expected one AnalysisTemplate or ClusterAnalysisTemplate, found {found}")
    return AnalysisTemplate(validate(AnalysisTemplateDocument, templates[0], name))


def _check_supported(document: AnalysisTemplateDocument) -> None:
    spec = document.spec
    if spec.templates:
        raise UnsupportedFeature("nested templates are not supported", "spec.templates")
    if not spec.metrics:
        raise SpecError("Analysis spec invalid: no metrics specified", "spec.metrics")
    for index, metric in enumerate(spec.metrics):
        _check_metric_supported(metric, f"spec.metrics[{index}]")
        check_tags(
            metric.model_dump(by_alias=True, exclude_none=True), _names(document), f"spec.metrics[{index}]"
        )


def _names(document: AnalysisTemplateDocument) -> list[str]:
    return [argument.name for argument in document.spec.args]


def _check_metric_supported(metric: MetricSpec, path: str) -> None:
    provider = metric.provider
    for field in UNSUPPORTED_PROVIDERS:
        if getattr(provider, snake_case(field)) is not None:
            raise UnsupportedFeature(f"the {field} provider is not supported", f"{path}.provider.{field}")
    prometheus = provider.prometheus
    if prometheus is not None and prometheus.range_query is not None:
        raise UnsupportedFeature("rangeQuery is not supported", f"{path}.provider.prometheus.rangeQuery")
    for kind, holder in (("prometheus", prometheus), ("web", provider.web)):
        auth = getattr(holder, "authentication", None)
        for scheme in ("oauth2", "sigv4"):
            if auth is not None and getattr(auth, scheme) is not None:
                where = f"{path}.provider.{kind}.authentication.{scheme}"
                raise UnsupportedFeature(f"{scheme} authentication is not supported", where)


def _dry_run_names(document: AnalysisTemplateDocument) -> set[str]:
    """Metric names matched by the dryRun rules (unanchored regexes, each must match something)."""
    names = [metric.name for metric in document.spec.metrics]
    matched: set[str] = set()
    for index, rule in enumerate(document.spec.dry_run):
        hits = {name for name in names if re.search(rule.metric_name, name)}
        if not hits:
            raise SpecError(f"Analysis spec invalid: dryRun[{index}]: Rule didn't match any metric name(s)")
        matched |= hits
    return matched


def _build_metric(
    index: int, spec: MetricSpec, values: Mapping[str, str], prometheus: PrometheusOverride, dry_run: bool
) -> Metric:
    path = f"spec.metrics[{index}]"
    resolved = MetricSpec.model_validate(
        substitute(spec.model_dump(by_alias=True, exclude_none=True), values)
    )
    try:
        return Metric(
            name=resolved.name,
            provider=build_provider(resolved.provider, prometheus),
            query=resolved.provider.prometheus.query if resolved.provider.prometheus else None,
            interval=resolved.interval,
            initial_delay=resolved.initial_delay,
            count=_int(resolved.count, 0),
            success_condition=resolved.success_condition,
            failure_condition=resolved.failure_condition,
            failure_limit=_int(resolved.failure_limit, 0),
            inconclusive_limit=_int(resolved.inconclusive_limit, 0),
            consecutive_error_limit=_int(resolved.consecutive_error_limit, 4),
            consecutive_success_limit=_int(resolved.consecutive_success_limit, 0),
            dry_run=dry_run,
        )
    except ConditionSyntaxError as error:
        raise error.with_path(f"{path}.{error.path}") from error
    except SpecError as error:
        raise SpecError(f"Analysis spec invalid: metrics[{index}]: {error.reason}", path) from error


def _int(value: Any, default: int) -> int:
    """Argo's int-or-string: a number, a numeric string, or 0 for any other string."""
    if value is None:
        return default
    if isinstance(value, int):
        return value
    text = str(value).strip()
    return int(text) if re.fullmatch(r"[+-]?\d+", text) else 0
