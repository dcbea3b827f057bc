"""Argo `Rollout` YAML -> `RolloutSpec`: the canary plan or blue-green options, analyses, routing, checked.

`load()` reads files or YAML text (multi-document allowed), keeps the Rollout, AnalysisTemplates and
ClusterAnalysisTemplates, ignores everything else (Services, Ingresses...) and raises every problem as a
`SpecError` (with `.path`) before anything runs.
"""

from __future__ import annotations

from types import MappingProxyType

from canarykit.argo.analysis_template import TEMPLATE_KINDS, AnalysisTemplate
from canarykit.argo.bluegreen import blue_green_spec
from canarykit.argo.cluster import ClusterAccess
from canarykit.argo.documents import Source, errors_in, read_documents, source_of, validate
from canarykit.argo.gateway_routing import gateway_api_routing
from canarykit.argo.models import AnalysisTemplateDocument
from canarykit.argo.rollout_analysis import TemplateIndex, check_analysis, resolve_args
from canarykit.argo.rollout_models import (
    BackgroundAnalysisModel,
    BlueGreenStrategyModel,
    CanaryStrategyModel,
    RolloutDocument,
    RolloutMetadata,
)
from canarykit.argo.rollout_spec import DEFAULT_ANNOTATION_PREFIX, BackgroundSpec, NginxRouting, RolloutSpec
from canarykit.argo.rollout_steps import StepConverter, step_starts
from canarykit.argo.rollout_validate import CANARY, validate_spec
from canarykit.argo.run_templates import run_templates
from canarykit.errors import SpecError
from canarykit.steps.kinds import MAX_WEIGHT

DEFAULT_SCALE_DOWN_DELAY = 30.0
__all__ = ["BackgroundSpec", "NginxRouting", "RolloutSpec", "build", "load"]


def load(*sources: Source, cluster: ClusterAccess | None = None) -> RolloutSpec:
    """The one Rollout in `sources` (paths or YAML text), with analysis templates from the same sources.

    `cluster` (e.g. `canarykit.kube.KubeCluster(api, namespace)`) resolves `secretKeyRef` args and runs job
    metrics; without one, a template arg read from a Secret needs a value in the Rollout's analysis args.
    """
    if not sources:
        raise SpecError("load() needs at least one file or YAML text")
    rollouts: list[RolloutDocument] = []
    templates: list[AnalysisTemplate] = []
    for source in sources:
        name, documents = read_documents(source)
        for document in documents:
            kind = document.get("kind")
            if kind == "Rollout":
                rollouts.append(validate(RolloutDocument, document, name))
            elif kind in TEMPLATE_KINDS:
                templates.append(
                    AnalysisTemplate(validate(AnalysisTemplateDocument, document, name), cluster)
                )
    if len(rollouts) != 1:
        raise SpecError(f"expected exactly one Rollout, found {len(rollouts)}")
    rollout = rollouts[0]
    with errors_in(source_of(rollout), f'Rollout "{rollout.metadata.name}"'):
        return build(rollout, TemplateIndex(templates))


def build(document: RolloutDocument, templates: TemplateIndex) -> RolloutSpec:
    """A `RolloutSpec` from a parsed Rollout and the templates it may reference."""
    spec = document.spec
    canary = validate_spec(spec)
    if isinstance(canary, BlueGreenStrategyModel):
        return blue_green_spec(document, canary, templates)
    routing = canary.traffic_routing
    max_weight = (routing.max_traffic_weight if routing else None) or MAX_WEIGHT
    steps = StepConverter(templates, document.metadata, max_weight).plan(canary.steps, f"{CANARY}.steps")
    starts = step_starts(canary.steps or ())
    return RolloutSpec(
        name=document.metadata.name,
        namespace=document.metadata.namespace,
        replicas=spec.replicas,
        steps=steps,
        background=_background(canary.analysis, starts, templates, document.metadata),
        canary_service=canary.canary_service or None,
        stable_service=canary.stable_service or None,
        nginx=_nginx(canary),
        gateway_api=gateway_api_routing(routing, f"{CANARY}.trafficRouting"),
        scale_down_delay=_seconds(canary.scale_down_delay_seconds),
        abort_scale_down_delay=_seconds(canary.abort_scale_down_delay_seconds),
        progress_deadline=float(spec.progress_deadline_seconds),
        pod_template=MappingProxyType(dict(spec.template or {})),
        templates=templates.by_name(),
        document=document,
    )


def _background(
    analysis: BackgroundAnalysisModel | None,
    starts: tuple[int, ...],
    templates: TemplateIndex,
    metadata: RolloutMetadata,
) -> BackgroundSpec | None:
    """`startingStep` is an index into Argo's steps; `starts` maps it into the plan (see `step_starts`)."""
    path = f"{CANARY}.analysis"
    if analysis is None or not analysis.templates:
        return None
    starting_step, step_count = analysis.starting_step or 0, len(starts)
    if not 0 <= starting_step < max(step_count, 1):
        message = f"startingStep {starting_step} is out of range: the rollout has {step_count} steps"
        raise SpecError(message, f"{path}.startingStep")
    resolved = templates.resolve(analysis.templates, path)
    args = resolve_args(analysis.args, metadata, path)
    check_analysis(analysis, resolved, path, inline=False)
    return BackgroundSpec(
        templates=run_templates(analysis, resolved),
        args=MappingProxyType(args),
        starting_step=starts[starting_step] if starts else 0,
    )


def _nginx(canary: CanaryStrategyModel) -> NginxRouting | None:
    routing = canary.traffic_routing
    if routing is None or routing.nginx is None:
        return None
    nginx = routing.nginx
    return NginxRouting(
        stable_ingresses=(nginx.stable_ingress,) if nginx.stable_ingress else nginx.stable_ingresses,
        annotation_prefix=nginx.annotation_prefix or DEFAULT_ANNOTATION_PREFIX,
        additional_ingress_annotations=MappingProxyType(dict(nginx.additional_ingress_annotations)),
        canary_ingress_annotations=MappingProxyType(dict(nginx.canary_ingress_annotations)),
        max_weight=routing.max_traffic_weight,
    )


def _seconds(value: int | None) -> float:
    return DEFAULT_SCALE_DOWN_DELAY if value is None else float(value)
