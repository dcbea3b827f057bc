"""Argo `strategy.blueGreen` -> `canarykit.steps.bluegreen.BlueGreen`, with Argo's checks and messages.

Argo's `ValidateRolloutStrategyBlueGreen` (validation.go) names its fields under `spec.strategy` (no
`blueGreen`): its paths are kept. Fields canarykit cannot honour are treated as the canary loader treats
them: `antiAffinity` is refused (`UnsupportedFeature`); `previewMetadata`, `activeMetadata`,
`maxUnavailable` and `scaleDownDelayRevisionLimit` are checked and ignored (docs/argo.md).
"""

from __future__ import annotations

from types import MappingProxyType

from canarykit.argo.rollout_analysis import TemplateIndex, resolve_args
from canarykit.argo.rollout_models import (
    BlueGreenStrategyModel,
    RolloutAnalysis,
    RolloutDocument,
    RolloutMetadata,
)
from canarykit.argo.rollout_spec import RolloutSpec
from canarykit.argo.rollout_steps import inline_analysis
from canarykit.errors import SpecError, UnsupportedFeature
from canarykit.steps import Plan
from canarykit.steps.bluegreen import DEFAULT_SCALE_DOWN_DELAY, DUPLICATED_SERVICES, BlueGreen
from canarykit.steps.kinds import Analysis

STRATEGY = "spec.strategy"
BLUE_GREEN = f"{STRATEGY}.blueGreen"
REVISION_LIMIT = (
    "This rollout's revision history limit can not be smaller than the rollout's scale down limit"
)
"""Argo's `ScaleDownLimitLargerThanRevisionLimit`."""
REQUIRED = "required field is missing"
"""As `documents.validate` says it of any field the CRD requires."""


def check_blue_green(blue_green: BlueGreenStrategyModel, revision_history_limit: int) -> None:
    """Argo's `ValidateRolloutStrategyBlueGreen`, first problem wins; `antiAffinity` is not supported."""
    if blue_green.active_service is None:  # the CRD requires it
        raise SpecError(REQUIRED, f"{BLUE_GREEN}.activeService")
    if blue_green.active_service == blue_green.preview_service:
        raise SpecError(DUPLICATED_SERVICES, f"{STRATEGY}.activeService")
    if not blue_green.active_service.strip():  # Argo finds no Service "" when it runs
        raise SpecError("Required value", f"{BLUE_GREEN}.activeService")
    if blue_green.preview_service and not blue_green.preview_service.strip():
        raise SpecError("a Service name, or nothing for no preview", f"{BLUE_GREEN}.previewService")
    limit = blue_green.scale_down_delay_revision_limit
    if limit is not None and revision_history_limit < limit:
        raise SpecError(REVISION_LIMIT, f"{STRATEGY}.scaleDownDelayRevisionLimit")
    if blue_green.anti_affinity is not None:
        raise UnsupportedFeature("antiAffinity is not supported", f"{BLUE_GREEN}.antiAffinity")


def blue_green_spec(
    document: RolloutDocument, blue_green: BlueGreenStrategyModel, templates: TemplateIndex
) -> RolloutSpec:
    """A checked blue-green Rollout: no steps, no routing; the `BlueGreen` holds the rest."""
    spec, options = document.spec, blue_green_options(blue_green, templates, document.metadata)
    return RolloutSpec(
        name=document.metadata.name,
        namespace=document.metadata.namespace,
        replicas=spec.replicas,
        steps=Plan(),
        background=None,
        canary_service=None,
        stable_service=None,
        nginx=None,
        scale_down_delay=options.scale_down_delay_seconds,
        abort_scale_down_delay=options.abort_scale_down_delay_seconds or 0.0,
        progress_deadline=float(spec.progress_deadline_seconds),
        pod_template=MappingProxyType(dict(spec.template or {})),
        templates=templates.by_name(),
        document=document,
        blue_green=options,
    )


def blue_green_options(
    blue_green: BlueGreenStrategyModel, templates: TemplateIndex, metadata: RolloutMetadata
) -> BlueGreen:
    """The `BlueGreen` a checked `strategy.blueGreen` describes, its analyses' templates resolved."""
    abort_delay = blue_green.abort_scale_down_delay_seconds
    scale_down_delay = blue_green.scale_down_delay_seconds
    return BlueGreen(
        active_service=blue_green.active_service or "",
        preview_service=blue_green.preview_service or None,
        pre_promotion_analysis=_analysis(
            blue_green.pre_promotion_analysis, templates, metadata, f"{BLUE_GREEN}.prePromotionAnalysis"
        ),
        post_promotion_analysis=_analysis(
            blue_green.post_promotion_analysis, templates, metadata, f"{BLUE_GREEN}.postPromotionAnalysis"
        ),
        auto_promotion_enabled=blue_green.auto_promotion_enabled is not False,
        auto_promotion_seconds=blue_green.auto_promotion_seconds or None,
        scale_down_delay=DEFAULT_SCALE_DOWN_DELAY if scale_down_delay is None else scale_down_delay,
        preview_replica_count=blue_green.preview_replica_count,
        abort_scale_down_delay=DEFAULT_SCALE_DOWN_DELAY if abort_delay is None else abort_delay,
    )


def _analysis(
    analysis: RolloutAnalysis | None, templates: TemplateIndex, metadata: RolloutMetadata, path: str
) -> Analysis | None:
    """A pre/post-promotion analysis, checked as a canary step's is; none without templates (as in Argo)."""
    if analysis is None:
        return None
    args = resolve_args(analysis.args, metadata, path)  # Argo checks these with the Rollout spec
    if not analysis.templates:
        return None
    return inline_analysis(analysis, templates, args, path)
