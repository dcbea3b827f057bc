"""The blue-green strategy's options (Argo's `spec.strategy.blueGreen`), validated before anything moves."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from canarykit.analysis.metric import Metric
from canarykit.durations import Duration, parse_duration, parse_optional_duration
from canarykit.errors import SpecError
from canarykit.steps.kinds import Analysis

DUPLICATED_SERVICES = (
    "This rollout uses the same service for the active and preview services, "
    "but two different services are required."
)
"""Argo's `DuplicatedServicesBlueGreenMessage` (pkg/apis/rollouts/validation/validation.go)."""
NEGATIVE = "must be greater than or equal to 0"
"""Kubernetes' `ValidateNonnegativeField` message, as Argo uses it for replica counts."""
MAX_INT32 = 2**31 - 1
DEFAULT_SCALE_DOWN_DELAY = 30
"""Argo's `DefaultScaleDownDelaySeconds` and `DefaultAbortScaleDownDelaySeconds`."""


@dataclass(frozen=True)
class BlueGreen:
    """A blue-green release: the new version comes up beside the active one, behind the preview only.

    Argo's order: preview switched to the new version, pre-promotion analysis on it, a `BlueGreenPause`
    when `auto_promotion_enabled` is False (until `promote()`) or for `auto_promotion_seconds`, the active
    switch, post-promotion analysis (a failure switches active back), the old version removed after
    `scale_down_delay` (docs/argo-semantics.md §18).

    The analyses are `Analysis` objects (a source and its args), as an `Analysis` step holds them: Argo's
    pre/post-promotion analysis is the same `RolloutAnalysis` as a canary step's, run to completion and
    gating what follows, so the runner resolves and runs it as it runs an `Analysis` step (with the
    rollout's `prometheus`); not a `BackgroundAnalysis`, whose `starting_step` means nothing here. Their
    metrics are resolved (templates, args) when the `Rollout` is built, as for steps.

    `auto_promotion_seconds` is ignored when `auto_promotion_enabled` is False, as in Argo. An
    `abort_scale_down_delay` of 0 means, as in Argo, that the new version is never removed after an abort
    (`abort_scale_down_delay_seconds` is then None); a `scale_down_delay` of 0 removes the old version at
    once (Argo's intent; its code keeps it running, argo-rollouts #1992).
    """

    active_service: str
    preview_service: str | None = None
    pre_promotion_analysis: Analysis | None = None
    post_promotion_analysis: Analysis | None = None
    auto_promotion_enabled: bool = True
    auto_promotion_seconds: Duration | None = None
    scale_down_delay: Duration = DEFAULT_SCALE_DOWN_DELAY
    preview_replica_count: int | None = None
    abort_scale_down_delay: Duration = DEFAULT_SCALE_DOWN_DELAY
    scale_down_delay_seconds: float = field(init=False, compare=False, repr=False, default=0.0)
    abort_scale_down_delay_seconds: float | None = field(init=False, compare=False, repr=False, default=None)
    auto_promotion_delay_seconds: float = field(init=False, compare=False, repr=False, default=0.0)

    def __post_init__(self) -> None:
        _check_service(self.active_service, "active_service")
        if self.preview_service is not None:
            _check_service(self.preview_service, "preview_service")
        if self.active_service == self.preview_service:
            raise SpecError(DUPLICATED_SERVICES, "BlueGreen.active_service")
        _check_analysis(self.pre_promotion_analysis, "pre_promotion_analysis")
        _check_analysis(self.post_promotion_analysis, "post_promotion_analysis")
        if not isinstance(self.auto_promotion_enabled, bool):
            raise SpecError(
                f"expected True or False, got {self.auto_promotion_enabled!r}",
                "BlueGreen.auto_promotion_enabled",
            )
        _check_replicas(self.preview_replica_count)
        delay = parse_optional_duration(self.auto_promotion_seconds, "BlueGreen.auto_promotion_seconds")
        abort_delay = parse_duration(self.abort_scale_down_delay, "BlueGreen.abort_scale_down_delay")
        self._set(
            "scale_down_delay_seconds", parse_duration(self.scale_down_delay, "BlueGreen.scale_down_delay")
        )
        self._set("abort_scale_down_delay_seconds", abort_delay or None)
        self._set("auto_promotion_delay_seconds", delay or 0.0)

    @property
    def pauses_before_promotion(self) -> bool:
        """Whether a `BlueGreenPause` holds the active switch (Argo's `needsBlueGreenControllerPause`)."""
        return not self.auto_promotion_enabled or self.auto_promotion_delay_seconds > 0

    @property
    def needs_manual_promotion(self) -> bool:
        """Whether only `promote()` ends the pause (Argo's `requiresManualAction` for `BlueGreenPause`)."""
        return not self.auto_promotion_enabled

    def _set(self, name: str, value: object) -> None:
        object.__setattr__(self, name, value)


def _check_service(name: object, field_name: str) -> None:
    """A non-empty service (or upstream) name."""
    if not isinstance(name, str):
        raise SpecError(f"expected a service name, got {name!r}", f"BlueGreen.{field_name}")
    if not name.strip():
        raise SpecError("Required value", f"BlueGreen.{field_name}")


def _check_analysis(analysis: object, field_name: str) -> None:
    """None, or an `Analysis` whose source can give metrics (a `Metric`, a template, or a list of them)."""
    path = f"BlueGreen.{field_name}"
    if analysis is None:
        return
    if not isinstance(analysis, Analysis):
        raise SpecError(
            f"expected an Analysis (e.g. Analysis(template, args)) or None, got {analysis!r}", path
        )
    _check_source(analysis.source, path)


def _check_source(source: Any, path: str) -> None:
    """What `resolve_metrics` accepts: a `Metric`, a template, or a non-empty sequence of them (nested)."""
    if isinstance(source, Metric) or callable(getattr(source, "metrics", None)):
        return
    if not isinstance(source, Sequence) or isinstance(source, str):
        raise SpecError(f"analysis needs Metrics or AnalysisTemplates, got {source!r}", path)
    if not source:
        raise SpecError("Analysis spec invalid: no metrics specified (None for no analysis)", path)
    for item in source:
        _check_source(item, path)


def _check_replicas(count: object) -> None:
    """None, or an int32 replica count >= 0."""
    path = "BlueGreen.preview_replica_count"
    if count is None:
        return
    if isinstance(count, bool) or not isinstance(count, int):
        raise SpecError(f"expected a whole number of replicas, got {count!r}", path)
    if count < 0:
        raise SpecError(f"{NEGATIVE}, got {count}", path)
    if count > MAX_INT32:
        raise SpecError(f"must be at most {MAX_INT32} (an int32), got {count}", path)
