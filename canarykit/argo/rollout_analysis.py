"""The analysis parts of a Rollout: template references, rollout args, and Argo's checks on them."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from types import MappingProxyType

from canarykit.argo.analysis_template import AnalysisTemplate
from canarykit.argo.metric_checks import flatten_args
from canarykit.argo.models import TemplateRef, snake_case
from canarykit.argo.rollout_models import (
    ArgumentValueFrom,
    RolloutAnalysis,
    RolloutArgument,
    RolloutMetadata,
)
from canarykit.argo.run_templates import check_rules
from canarykit.argo.templating import secret_needs_cluster
from canarykit.errors import ArgumentError, SpecError, UnsupportedFeature

VALUE_FROM_KINDS = ("secretKeyRef", "fieldRef", "podTemplateHashValue")
INVALID_ARGS = "Analyses arguments must refer to valid object metadata supported by downwardAPI"
_METADATA_KEY = re.compile(r"metadata\.(labels|annotations)\['(.*)'\]")


class TemplateIndex:
    """Loaded AnalysisTemplates and ClusterAnalysisTemplates, looked up as a Rollout references them."""

    def __init__(self, templates: Iterable[AnalysisTemplate]) -> None:
        self._by_kind: dict[tuple[str, str], AnalysisTemplate] = {}
        for template in templates:
            key = (template.kind, template.name)
            if key in self._by_kind:
                raise SpecError(f'{template.kind} "{template.name}" is defined more than once')
            self._by_kind[key] = template

    def by_name(self) -> Mapping[str, AnalysisTemplate]:
        """Every template by name (an AnalysisTemplate wins over a ClusterAnalysisTemplate of that name)."""
        ordered = sorted(self._by_kind.values(), key=lambda t: t.kind != "ClusterAnalysisTemplate")
        return MappingProxyType({template.name: template for template in ordered})

    def resolve(self, references: tuple[TemplateRef, ...], path: str) -> tuple[AnalysisTemplate, ...]:
        """The templates `references` name; one not loaded is a `SpecError` at its `templateName`."""
        found: list[AnalysisTemplate] = []
        for index, reference in enumerate(references):
            kind = "ClusterAnalysisTemplate" if reference.cluster_scope else "AnalysisTemplate"
            template = self._by_kind.get((kind, reference.template_name))
            if template is None:
                where = f"{path}.templates[{index}].templateName"
                raise SpecError(f'{kind} "{reference.template_name}" not found', where)
            found.append(template)
        return _flattened(found, f"{path}.templates")


def _flattened(templates: list[AnalysisTemplate], path: str) -> tuple[AnalysisTemplate, ...]:
    """The templates of one analysis sharing their args as Argo's run does (ClusterAnalysisTemplates last)."""
    ordered = sorted(templates, key=lambda template: template.kind == "ClusterAnalysisTemplate")
    merged = flatten_args([template.spec.args for template in ordered], path)
    return tuple(template.with_args(merged) for template in templates)


def resolve_args(args: tuple[RolloutArgument, ...], metadata: RolloutMetadata, path: str) -> dict[str, str]:
    """Rollout args by name: `value`s, and `valueFrom.fieldRef` on the Rollout's own metadata."""
    values: dict[str, str] = {}
    for index, argument in enumerate(args):
        where = f"{path}.args[{index}]"
        if argument.value is not None:
            values[argument.name] = argument.value
        elif argument.value_from is not None:
            values[argument.name] = _value_from(argument.value_from, metadata, f"{where}.valueFrom")
    return values


def _value_from(source: ArgumentValueFrom, metadata: RolloutMetadata, path: str) -> str:
    if source.secret_key_ref is not None:
        message = (
            "a Rollout's analysis args cannot read Secrets (Argo's ArgumentValueFrom has no secretKeyRef): "
            "declare the arg with valueFrom.secretKeyRef in the AnalysisTemplate"
        )
        raise SpecError(message, f"{path}.secretKeyRef")
    if source.pod_template_hash_value is not None:
        raise UnsupportedFeature(
            "podTemplateHashValue args are not supported", f"{path}.podTemplateHashValue"
        )
    if source.field_ref is None:
        raise ArgumentError("valueFrom needs podTemplateHashValue or fieldRef", path)
    field_path = source.field_ref.field_path
    where = f"{path}.fieldRef.fieldPath"
    if not field_path.startswith("metadata"):
        raise UnsupportedFeature(f"fieldRef {field_path!r}: only metadata fields are supported", where)
    if field_path == "metadata.name":
        return metadata.name
    if field_path == "metadata.namespace":
        return metadata.namespace or ""
    match = _METADATA_KEY.fullmatch(field_path)
    if match is None:
        raise SpecError(INVALID_ARGS, where)
    labels = metadata.labels if match.group(1) == "labels" else metadata.annotations
    return labels.get(match.group(2), "")


def check_analysis(
    analysis: RolloutAnalysis,
    templates: tuple[AnalysisTemplate, ...],
    path: str,
    inline: bool,
) -> None:
    """Argo's checks on an analysis: unique metric names, every template arg resolvable; step analyses end."""
    _check_unique_metrics(templates, path)
    check_rules(analysis, templates, path)
    supplied = {argument.name for argument in analysis.args}
    for template in templates:
        for index, argument in enumerate(template.spec.args):
            if argument.value is not None or argument.name in supplied or _reads_secret(template, index):
                continue
            if argument.value_from is None:
                message = f"AnalysisTemplate {template.name}: args.{argument.name} was not resolved"
                raise ArgumentError(message, f"{path}.args")
            raise UnsupportedFeature(_value_from_message(template, index), f"{path}.args")
        if inline:
            _check_one_value(template, path)
            _check_finite(template, path)


def _check_unique_metrics(templates: tuple[AnalysisTemplate, ...], path: str) -> None:
    """Argo's `flattenMetrics`: the templates of one analysis run share one namespace of metric names."""
    seen: set[str] = set()
    for template in templates:
        for metric in template.spec.metrics:
            if metric.name in seen:
                raise SpecError(f"two metrics have the same name '{metric.name}'", f"{path}.templates")
            seen.add(metric.name)


def _reads_secret(template: AnalysisTemplate, index: int) -> bool:
    """Whether template arg `index` is a `secretKeyRef` and the template has a cluster to read it from."""
    source = template.spec.args[index].value_from
    return template.cluster is not None and source is not None and source.secret_key_ref is not None


def _value_from_message(template: AnalysisTemplate, index: int) -> str:
    """A template arg read from the cluster (a Secret, a field) that the Rollout does not give a value."""
    argument = template.spec.args[index]
    source = argument.value_from
    if source is not None and source.secret_key_ref is not None:
        return (
            f"AnalysisTemplate {template.name}: {secret_needs_cluster(argument.name, source.secret_key_ref)}"
        )
    kinds = [kind for kind in VALUE_FROM_KINDS if getattr(source, snake_case(kind), None) is not None]
    field = f"spec.args[{index}].valueFrom" + (f".{kinds[0]}" if kinds else "")
    return (
        f"AnalysisTemplate {template.name}: {field} is not supported (canarykit reads nothing from the "
        f"cluster): give args.{argument.name} a value in the Rollout's analysis args"
    )


def _check_one_value(template: AnalysisTemplate, path: str) -> None:
    """Argo's `validateAnalysisMetrics` for a step analysis: an arg has a value or a valueFrom, not both."""
    for argument in template.spec.args:
        if argument.value is not None and argument.value_from is not None:
            message = (
                f"AnalysisTemplate {template.name}: arg '{argument.name}' has both Value and ValueFrom fields"
            )
            raise ArgumentError(message, f"{path}.templates")


def _check_finite(template: AnalysisTemplate, path: str) -> None:
    """A step analysis must end: a metric with an interval needs a count (Argo's EffectiveCount)."""
    for metric in template.spec.metrics:
        count = metric.count
        if metric.interval and count in (None, 0, "0"):
            message = (
                f"AnalysisTemplate {template.name} has metric {metric.name} which runs indefinitely. "
                f"Invalid value for count: {'<nil>' if count is None else count}"
            )
            raise SpecError(message, f"{path}.templates")
