"""Argo AnalysisTemplate / ClusterAnalysisTemplate YAML -> canarykit metrics and analysis runs."""

from __future__ import annotations

from collections.abc import Mapping

from pydantic import ValidationError

from canarykit.analysis import AnalysisRun, Metric
from canarykit.analysis.run import MeasurementListener
from canarykit.argo.cluster import ClusterAccess
from canarykit.argo.documents import Source, errors_in, field_path, read_documents, source_of, validate
from canarykit.argo.metric_checks import (
    check_literal_fields,
    check_one_provider,
    check_rule_names,
    check_rules_match,
    check_unique_name,
    int_or_string,
    matching_names,
    metric_errors,
)
from canarykit.argo.models import (
    UNSUPPORTED_PROVIDERS,
    AnalysisTemplateDocument,
    Argument,
    MetricSpec,
    snake_case,
)
from canarykit.argo.providers import build_provider, check_provider_settings
from canarykit.argo.templating import check_tags, mask_secrets, merge_arguments, substitute
from canarykit.clock import Clock
from canarykit.errors import SpecError, UnsupportedFeature
from canarykit.providers.base import PrometheusOverride

TEMPLATE_KINDS = ("AnalysisTemplate", "ClusterAnalysisTemplate")


class AnalysisTemplate:
    """A validated analysis template; `instantiate()` turns it into a runnable `AnalysisRun`."""

    def __init__(self, document: AnalysisTemplateDocument, cluster: ClusterAccess | None = None) -> None:
        self.document = document
        self.cluster = cluster
        self.kind = document.kind
        self.name = document.metadata.name
        self.spec = document.spec
        self.source = source_of(document)  # the file it was read from (empty if built in Python)
        with errors_in(self.source, self.label):
            _check_supported(document)

    def __repr__(self) -> str:
        metrics = [metric.name for metric in self.spec.metrics]
        return f"AnalysisTemplate(kind={self.kind!r}, name={self.name!r}, metrics={metrics!r})"

    def with_cluster(self, cluster: ClusterAccess | None) -> AnalysisTemplate:
        """This template reading Secrets and running Jobs in `cluster`."""
        return AnalysisTemplate(self.document, cluster)

    def with_args(self, merged: Mapping[str, Argument]) -> AnalysisTemplate:
        """This template with its args replaced by `merged`'s of the same name (Argo's `flattenArgs`)."""
        args = tuple(merged.get(argument.name, argument) for argument in self.spec.args)
        if args == self.spec.args:
            return self
        spec = self.spec.model_copy(update={"args": args})
        return AnalysisTemplate(self.document.model_copy(update={"spec": spec}), self.cluster)

    @property
    def label(self) -> str:
        """`AnalysisTemplate "name"`, as messages name it."""
        return f'{self.kind} "{self.name}"'

    @property
    def argument_names(self) -> tuple[str, ...]:
        return tuple(argument.name for argument in self.spec.args)

    def metrics(
        self, args: Mapping[str, str] | None = None, prometheus: PrometheusOverride = None
    ) -> list[Metric]:
        """The template's metrics with `args` substituted; raises `SpecError` before anything runs."""
        with errors_in(self.source, self.label):
            values = merge_arguments(self.spec.args, args, cluster=self.cluster)
            dry_run = _dry_run_names(self.document)
            return [
                _build_metric(index, spec, values, prometheus, spec.name in dry_run, self.cluster)
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


def load_analysis_template(source: Source, cluster: ClusterAccess | None = None) -> AnalysisTemplate:
    """Read one AnalysisTemplate or ClusterAnalysisTemplate from a file path or YAML text.

    `cluster` (e.g. `canarykit.kube.KubeCluster`) resolves `secretKeyRef` args and runs job metrics.
    """
    name, documents = read_documents(source)
    templates = [doc for doc in documents if doc.get("kind") in TEMPLATE_KINDS]
    if len(templates) != 1:
        found = ", ".join(str(doc.get("kind")) for doc in documents) or "nothing"
        raise SpecError(f"{name}: expected one AnalysisTemplate or ClusterAnalysisTemplate, found {found}")
    template = AnalysisTemplate(validate(AnalysisTemplateDocument, templates[0], name), cluster)
    with errors_in(template.source, template.label):
        check_rules_match(template.spec)  # alone, its rules must match its own metrics
    return template


def _check_supported(document: AnalysisTemplateDocument) -> None:
    spec = document.spec
    if spec.templates:
        raise UnsupportedFeature("nested templates are not supported", "spec.templates")
    if not spec.metrics:
        raise SpecError("Analysis spec invalid: no metrics specified", "spec.metrics")
    for index, metric in enumerate(spec.metrics):
        check_unique_name(spec.metrics, index)
        check_one_provider(metric.provider, index)
        _check_metric_supported(metric, f"spec.metrics[{index}]")
        check_tags(
            metric.model_dump(by_alias=True, exclude_none=True), _names(document), f"spec.metrics[{index}]"
        )
        check_literal_fields(metric, index)
    check_rule_names(spec)


def _names(document: AnalysisTemplateDocument) -> list[str]:
    return [argument.name for argument in document.spec.args]


def _check_metric_supported(metric: MetricSpec, path: str) -> None:
    provider = metric.provider
    for field in UNSUPPORTED_PROVIDERS:
        if getattr(provider, snake_case(field)) is not None:
            raise UnsupportedFeature(f"the {field} provider is not supported", f"{path}.provider.{field}")
    for kind, holder in (("prometheus", provider.prometheus), ("web", provider.web)):
        auth = getattr(holder, "authentication", None)
        if auth is not None and auth.sigv4 is not None:
            where = f"{path}.provider.{kind}.authentication.sigv4"
            raise UnsupportedFeature("sigv4 authentication is not supported", where)
    check_provider_settings(provider, path)


def _dry_run_names(document: AnalysisTemplateDocument) -> set[str]:
    """Metric names matched by the dryRun rules (unanchored regexes, each must match something)."""
    patterns = [rule.metric_name for rule in document.spec.dry_run]
    return matching_names(patterns, [metric.name for metric in document.spec.metrics], "dryRun")


def _build_metric(
    index: int,
    spec: MetricSpec,
    values: Mapping[str, str],
    prometheus: PrometheusOverride,
    dry_run: bool,
    cluster: ClusterAccess | None,
) -> Metric:
    try:
        resolved = MetricSpec.model_validate(
            substitute(spec.model_dump(by_alias=True, exclude_none=True), values)
        )
    except ValidationError as error:  # from None: pydantic's error would print the substituted values
        where = f"spec.metrics[{index}].{field_path(error.errors()[0]['loc'])}"
        raise SpecError("invalid after argument substitution", where) from None
    with metric_errors(index):
        return Metric(
            name=resolved.name,
            provider=mask_secrets(
                build_provider(resolved.provider, prometheus, cluster, resolved.name), values
            ),
            query=resolved.provider.prometheus.query if resolved.provider.prometheus else None,
            interval=resolved.interval,
            initial_delay=resolved.initial_delay,
            count=int_or_string(resolved.count, 0),
            success_condition=resolved.success_condition,
            failure_condition=resolved.failure_condition,
            failure_limit=int_or_string(resolved.failure_limit, 0),
            inconclusive_limit=int_or_string(resolved.inconclusive_limit, 0),
            consecutive_error_limit=int_or_string(resolved.consecutive_error_limit, 4),
            consecutive_success_limit=int_or_string(resolved.consecutive_success_limit, 0),
            dry_run=dry_run,
        )
