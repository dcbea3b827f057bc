"""Pydantic models of an Argo `Rollout` (argoproj.io/v1alpha1): unknown fields are errors, names camelCase.

Parts canarykit does not read (the pod template, other traffic routers, experiments...) are kept loose;
whether they are supported is decided in `rollout_validate` and `rollout_steps`, which name the field.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field, JsonValue, PrivateAttr, StrictBool

from canarykit.argo.header_route import SetHeaderRouteModel
from canarykit.argo.models import (
    ArgoModel,
    DryRun,
    FieldRef,
    IntOrString,
    Loose,
    MeasurementRetention,
    TemplateRef,
)


class RolloutMetadata(Loose):
    name: str
    namespace: str | None = None
    labels: dict[str, str] = Field(default_factory=dict)
    annotations: dict[str, str] = Field(default_factory=dict)


class LabelSelector(ArgoModel):
    match_labels: dict[str, str] = Field(default_factory=dict)
    match_expressions: tuple[dict[str, Any], ...] = ()


class PodMetadata(ArgoModel):
    """`canaryMetadata` / `stableMetadata`: labels and annotations added to the pods of one side."""

    labels: dict[str, str] = Field(default_factory=dict)
    annotations: dict[str, str] = Field(default_factory=dict)


class ArgumentValueFrom(ArgoModel):
    """Argo's `ArgumentValueFrom`: a Rollout's args read pod template hashes or its own fields.

    `secretKeyRef` is not one of its fields (only an AnalysisTemplate's args read Secrets); it is read
    here so that the refusal can say where it belongs.
    """

    pod_template_hash_value: Literal["Latest", "Stable"] | None = None
    field_ref: FieldRef | None = None
    secret_key_ref: Loose | None = None


class RolloutArgument(ArgoModel):
    """An argument the Rollout passes to its analysis templates (overrides the template's by name)."""

    name: str
    value: str | None = None
    value_from: ArgumentValueFrom | None = None


class RolloutAnalysis(ArgoModel):
    """An analysis step (`steps[i].analysis`)."""

    templates: tuple[TemplateRef, ...] = ()
    args: tuple[RolloutArgument, ...] = ()
    dry_run: tuple[DryRun, ...] = ()
    measurement_retention: tuple[MeasurementRetention, ...] = ()
    analysis_run_metadata: Loose | None = None


class BackgroundAnalysisModel(RolloutAnalysis):
    """`strategy.canary.analysis`: runs from `startingStep` (0-based) to the end of the update."""

    starting_step: int | None = None


class PauseModel(ArgoModel):
    duration: IntOrString | None = None


class SetCanaryScaleModel(ArgoModel):
    weight: int | None = None
    replicas: int | None = None
    match_traffic_weight: bool = False


class CanaryStepModel(ArgoModel):
    """One step; Argo requires exactly one field to be set."""

    set_weight: int | None = None
    pause: PauseModel | None = None
    set_canary_scale: SetCanaryScaleModel | None = None
    analysis: RolloutAnalysis | None = None
    experiment: Loose | None = None
    set_header_route: SetHeaderRouteModel | None = None
    set_mirror_route: Loose | None = None
    plugin: Loose | None = None


class NginxModel(ArgoModel):
    stable_ingress: str = ""
    stable_ingresses: tuple[str, ...] = ()
    annotation_prefix: str = ""
    additional_ingress_annotations: dict[str, str] = Field(default_factory=dict)
    canary_ingress_annotations: dict[str, str] = Field(default_factory=dict)


class ManagedRoute(ArgoModel):
    name: str


class TrafficRoutingModel(ArgoModel):
    nginx: NginxModel | None = None
    max_traffic_weight: int | None = Field(default=None, ge=1)
    managed_routes: tuple[ManagedRoute, ...] | None = None
    istio: Loose | None = None
    alb: Loose | None = None
    smi: Loose | None = None
    ambassador: Loose | None = None
    app_mesh: Loose | None = None
    traefik: Loose | None = None
    apisix: Loose | None = None
    plugins: dict[str, Any] | None = None


# Routers Argo knows and canarykit does not implement: naming one is an UnsupportedFeature.
UNSUPPORTED_ROUTERS = ("istio", "alb", "smi", "ambassador", "appMesh", "traefik", "apisix")


class CanaryStrategyModel(ArgoModel):
    canary_service: str = ""
    stable_service: str = ""
    steps: tuple[CanaryStepModel, ...] = ()
    analysis: BackgroundAnalysisModel | None = None
    traffic_routing: TrafficRoutingModel | None = None
    scale_down_delay_seconds: int | None = Field(default=None, ge=0)
    scale_down_delay_revision_limit: int | None = Field(default=None, ge=0)
    abort_scale_down_delay_seconds: int | None = Field(default=None, ge=0)
    max_surge: IntOrString | None = None
    max_unavailable: IntOrString | None = None
    dynamic_stable_scale: bool = False
    min_pods_per_replica_set: int | None = Field(default=None, ge=0)
    canary_metadata: PodMetadata | None = None
    stable_metadata: PodMetadata | None = None
    anti_affinity: Loose | None = None
    ping_pong: Loose | None = None
    replica_progress_threshold: Loose | None = None


MAX_INT32 = 2**31 - 1
Int32 = Annotated[int, Field(strict=True, ge=0, le=MAX_INT32)]
"""Argo's `*int32` counts and seconds: a YAML integer (the API server refuses "30"), 0 to 2^31-1."""


class BlueGreenStrategyModel(ArgoModel):
    """`strategy.blueGreen` (types.go `BlueGreenStrategy`); what canarykit ignores is in docs/argo.md."""

    active_service: str | None = None
    """Required (by Argo's CRD): checked in `bluegreen.check_blue_green`, after "Multiple Strategies"."""
    preview_service: str = ""
    preview_replica_count: Int32 | None = None
    auto_promotion_enabled: StrictBool | None = None
    auto_promotion_seconds: Int32 = 0
    max_unavailable: IntOrString | None = None
    scale_down_delay_seconds: Int32 | None = None
    scale_down_delay_revision_limit: Int32 | None = None
    abort_scale_down_delay_seconds: Int32 | None = None
    pre_promotion_analysis: RolloutAnalysis | None = None
    post_promotion_analysis: RolloutAnalysis | None = None
    anti_affinity: Loose | None = None
    preview_metadata: PodMetadata | None = None
    active_metadata: PodMetadata | None = None


class StrategyModel(ArgoModel):
    canary: CanaryStrategyModel | None = None
    blue_green: BlueGreenStrategyModel | None = None


class RunHistoryLimits(ArgoModel):
    """`spec.analysis`: how many finished AnalysisRuns are kept."""

    successful_run_history_limit: int | None = Field(default=None, ge=0)
    unsuccessful_run_history_limit: int | None = Field(default=None, ge=0)


class RollbackWindow(ArgoModel):
    revisions: int | None = Field(default=None, ge=0)


class RolloutSpecModel(ArgoModel):
    replicas: int = Field(default=1, ge=0)
    selector: LabelSelector | None = None
    template: dict[str, JsonValue] | None = None
    workload_ref: Loose | None = None
    min_ready_seconds: int = Field(default=0, ge=0)
    strategy: StrategyModel = StrategyModel()
    revision_history_limit: int = Field(default=10, ge=0)
    paused: bool = False
    progress_deadline_seconds: int = Field(default=600, ge=0)
    progress_deadline_abort: bool = False
    restart_at: str | None = None
    analysis: RunHistoryLimits | None = None
    rollback_window: RollbackWindow | None = None


class RolloutDocument(ArgoModel):
    api_version: Literal["argoproj.io/v1alpha1"]
    kind: Literal["Rollout"]
    metadata: RolloutMetadata
    spec: RolloutSpecModel
    status: Loose | None = None
    _source: str = PrivateAttr(default="")  # the file it was read from, for messages (set by `validate`)
