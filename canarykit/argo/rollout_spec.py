"""What `canarykit.argo.load` returns: `RolloutSpec` (canary or blue-green), its routing and analyses."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Any

from canarykit.argo.analysis_template import AnalysisTemplate
from canarykit.argo.cluster import ClusterAccess
from canarykit.argo.gateway_routing import GatewayAPIRouting
from canarykit.argo.rollout_models import RolloutDocument
from canarykit.argo.run_templates import AnalysisTemplates, step_with_cluster
from canarykit.steps import Analysis, Plan
from canarykit.steps.bluegreen import BlueGreen

DEFAULT_ANNOTATION_PREFIX = "nginx.ingress.kubernetes.io"


def _empty() -> Mapping[str, str]:
    return MappingProxyType({})


@dataclass(frozen=True)
class NginxRouting:
    """`trafficRouting.nginx`. Annotation keys are as written; the router prepends the prefix as Argo does."""

    stable_ingresses: tuple[str, ...]
    annotation_prefix: str = DEFAULT_ANNOTATION_PREFIX
    additional_ingress_annotations: Mapping[str, str] = field(default_factory=_empty)
    canary_ingress_annotations: Mapping[str, str] = field(default_factory=_empty)
    max_weight: int | None = None


@dataclass(frozen=True)
class BackgroundSpec:
    """`strategy.canary.analysis`: starts at step `starting_step` (0-based) and runs to the end.

    `templates` carry the analysis's `dryRun` and `measurementRetention` rules (`AnalysisTemplates`).
    """

    templates: AnalysisTemplates
    args: Mapping[str, str] = field(default_factory=_empty)
    starting_step: int = 0


@dataclass(frozen=True)
class RolloutSpec:
    """A validated canary Rollout. Durations are seconds; `document` is the full parsed YAML."""

    name: str
    namespace: str | None
    replicas: int
    steps: Plan
    background: BackgroundSpec | None
    canary_service: str | None
    stable_service: str | None
    nginx: NginxRouting | None
    scale_down_delay: float
    abort_scale_down_delay: float
    progress_deadline: float
    pod_template: Mapping[str, Any]
    templates: Mapping[str, AnalysisTemplate]
    document: RolloutDocument | None = field(default=None, compare=False, repr=False)
    gateway_api: GatewayAPIRouting | None = None
    """`trafficRouting.plugins["argoproj-labs/gatewayAPI"]` (the other router, beside `nginx`)."""
    blue_green: BlueGreen | None = None
    """`strategy.blueGreen` (then `steps` is empty and the delays are the BlueGreen's)."""

    def with_cluster(self, cluster: ClusterAccess | None) -> RolloutSpec:
        """This spec with every analysis template reading Secrets and running Jobs in `cluster`."""
        background = self.background
        if background is not None:
            background = replace(background, templates=background.templates.with_cluster(cluster))
        steps = Plan(step_with_cluster(step, cluster) for step in self.steps)
        templates = {name: template.with_cluster(cluster) for name, template in self.templates.items()}
        blue_green = None if self.blue_green is None else blue_green_with_cluster(self.blue_green, cluster)
        return replace(
            self,
            steps=steps,
            background=background,
            templates=MappingProxyType(templates),
            blue_green=blue_green,
        )


def blue_green_with_cluster(blue_green: BlueGreen, cluster: ClusterAccess | None) -> BlueGreen:
    """`blue_green` with its analyses' templates reading Secrets and running Jobs in `cluster`."""
    return replace(
        blue_green,
        pre_promotion_analysis=_with_cluster(blue_green.pre_promotion_analysis, cluster),
        post_promotion_analysis=_with_cluster(blue_green.post_promotion_analysis, cluster),
    )


def _with_cluster(analysis: Analysis | None, cluster: ClusterAccess | None) -> Analysis | None:
    if analysis is None or not isinstance(analysis.source, AnalysisTemplates):
        return analysis
    return replace(analysis, source=analysis.source.with_cluster(cluster))
