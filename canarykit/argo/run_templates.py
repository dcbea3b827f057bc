"""The AnalysisRun a Rollout builds from its templates, with its analysis's dryRun and measurementRetention.

Argo (`NewAnalysisRunFromTemplates`) appends the templates' rules to the Rollout's and applies them to the
flattened metrics: a metric any `dryRun` rule matches is a dry run (its failure never aborts); the last
`measurementRetention` rule matching a metric sets how many of its measurements the run's record keeps
(a limit of 0 keeps the default, 10). Rule names are unanchored regular expressions. Argo finds a rule that
matches nothing when the run starts (the run ends in Error) and two rules of one name when it creates the
run; canarykit refuses both at `load()`, with Argo's messages.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace

from canarykit.analysis import Metric
from canarykit.analysis.progress import retain_measurements
from canarykit.argo.analysis_template import AnalysisTemplate
from canarykit.argo.cluster import ClusterAccess
from canarykit.argo.metric_checks import check_unique_rules, rule_matches
from canarykit.argo.rollout_models import RolloutAnalysis
from canarykit.errors import SpecError
from canarykit.providers.base import PrometheusOverride
from canarykit.steps import Analysis, Step

Retention = tuple[str, int]
"""A `measurementRetention` rule: the metric name pattern and the limit."""


class AnalysisTemplates(tuple[AnalysisTemplate, ...]):
    """The templates of one Rollout analysis (background or step), and its `dryRun` and retention rules.

    A tuple of the templates, so it reads as before; `metrics(args, prometheus)` builds the run's metrics
    (as `canarykit.rollout.analyses.resolve_metrics` asks) with the rules applied.
    """

    dry_run: tuple[str, ...]
    retention: tuple[Retention, ...]

    def __new__(
        cls,
        templates: Iterable[AnalysisTemplate] = (),
        dry_run: Iterable[str] = (),
        retention: Iterable[Retention] = (),
    ) -> AnalysisTemplates:
        self = super().__new__(cls, templates)
        self.dry_run, self.retention = tuple(dry_run), tuple(retention)
        return self

    def __repr__(self) -> str:
        names = [template.name for template in self]
        rules = f", dry_run={list(self.dry_run)!r}" if self.dry_run else ""
        kept = f", retention={list(self.retention)!r}" if self.retention else ""
        return f"AnalysisTemplates({names!r}{rules}{kept})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, tuple):
            return NotImplemented
        rules = (getattr(other, "dry_run", ()), getattr(other, "retention", ()))
        return tuple(self) == tuple(other) and (self.dry_run, self.retention) == rules

    def __hash__(self) -> int:
        return hash((tuple(self), self.dry_run, self.retention))

    def metrics(self, args: Mapping[str, str], prometheus: PrometheusOverride = None) -> list[Metric]:
        """Every template's metrics with `args`, the Rollout's dry runs and every retention applied."""
        metrics = [metric for template in self for metric in template.metrics(args, prometheus)]
        retention = [*self.retention, *(rule for template in self for rule in template_retention(template))]
        for metric in metrics:
            if any(rule_matches(pattern, metric.name) for pattern in self.dry_run):
                metric.dry_run = True
            limits = [limit for pattern, limit in retention if rule_matches(pattern, metric.name)]
            if limits:
                retain_measurements(metric, limits[-1])
        return metrics

    def with_cluster(self, cluster: ClusterAccess | None) -> AnalysisTemplates:
        """The same templates and rules, reading Secrets and running Jobs in `cluster`."""
        return AnalysisTemplates(
            (template.with_cluster(cluster) for template in self), self.dry_run, self.retention
        )


def run_templates(analysis: RolloutAnalysis, templates: Sequence[AnalysisTemplate]) -> AnalysisTemplates:
    """The templates of `analysis` with its rules (checked by `check_rules` first)."""
    dry_run = (rule.metric_name for rule in analysis.dry_run)
    retention = ((rule.metric_name, rule.limit) for rule in analysis.measurement_retention)
    return AnalysisTemplates(templates, dry_run, retention)


def step_with_cluster(step: Step, cluster: ClusterAccess | None) -> Step:
    """An analysis step of a loaded Rollout reading Secrets and running Jobs in `cluster`; others as given."""
    if isinstance(step, Analysis) and isinstance(step.source, AnalysisTemplates):
        return replace(step, source=step.source.with_cluster(cluster))
    return step


def template_retention(template: AnalysisTemplate) -> list[Retention]:
    """A template's own `measurementRetention` rules."""
    return [(rule.metric_name, rule.limit) for rule in template.spec.measurement_retention]


def check_rules(analysis: RolloutAnalysis, templates: Sequence[AnalysisTemplate], path: str) -> None:
    """Argo's checks on the merged rules: no two of one name, each of the Rollout's matches a metric."""
    rules = {
        "dryRun": ([rule.metric_name for rule in analysis.dry_run], _template_rules(templates, "dry_run")),
        "measurementRetention": (
            [rule.metric_name for rule in analysis.measurement_retention],
            _template_rules(templates, "measurement_retention"),
        ),
    }
    for kind, (own, theirs) in rules.items():
        check_unique_rules([*own, *theirs], kind, f"{path}.{kind}")
    names = [metric.name for template in templates for metric in template.spec.metrics]
    for kind, (own, _) in rules.items():
        for index, pattern in enumerate(own):
            if not any(rule_matches(pattern, name) for name in names):
                message = f"Analysis spec invalid: {kind}[{index}]: Rule didn't match any metric name(s)"
                raise SpecError(message, f"{path}.{kind}[{index}].metricName")


def _template_rules(templates: Sequence[AnalysisTemplate], field: str) -> list[str]:
    return [rule.metric_name for template in templates for rule in getattr(template.spec, field)]
