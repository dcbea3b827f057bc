"""The sequence a blue-green release walks through, as the plan a `Rollout` runs (Argo's blue-green order).

Blue-green has no steps of its own; canarykit gives it a fixed plan of phases so that everything a canary
has works the same: the step index in the record (resume), `promote(full=True)` (skip to the end), events,
the audit record and `canarykit status`. Phases whose option is absent (no pre-promotion analysis, no pause)
are left out, as Argo skips them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from canarykit.steps.bluegreen import BlueGreen
from canarykit.steps.kinds import Analysis
from canarykit.steps.plans import Plan

PREVIEW = "Preview"
PRE_PROMOTION = "PrePromotionAnalysis"
PAUSE = "BlueGreenPause"
SWITCH = "ActiveSwitch"
POST_PROMOTION = "PostPromotionAnalysis"
ANALYSIS_KINDS = {PRE_PROMOTION: "PrePromotion", POST_PROMOTION: "PostPromotion"}
"""Each analysis phase's kind, as Argo names its runs' events (`PrePromotion Analysis Run ...`)."""


@dataclass(frozen=True)
class BlueGreenPhase:
    """One phase of a blue-green release: `kind` is one of the names above; analysis phases carry theirs."""

    kind: str
    detail: str = ""
    analysis: Analysis | None = None

    def __repr__(self) -> str:
        return f"{self.kind}({self.detail})" if self.detail else self.kind


class BlueGreenPlan(Plan):
    """A plan of `BlueGreenPhase`s (not canary steps: it is built here, never from user steps)."""

    def __new__(cls, phases: Iterable[BlueGreenPhase] = ()) -> BlueGreenPlan:
        return tuple.__new__(cls, phases)


def blue_green_plan(strategy: BlueGreen) -> BlueGreenPlan:
    """Preview, [pre-promotion analysis], [pause], active switch, [post-promotion analysis]."""
    preview = strategy.preview_replica_count
    phases = [BlueGreenPhase(PREVIEW, "full size" if preview is None else f"{preview} replicas")]
    if strategy.pre_promotion_analysis is not None:
        analysis = strategy.pre_promotion_analysis
        phases.append(BlueGreenPhase(PRE_PROMOTION, _analysis_name(analysis), analysis))
    if strategy.pauses_before_promotion:
        phases.append(BlueGreenPhase(PAUSE, _pause_detail(strategy)))
    phases.append(BlueGreenPhase(SWITCH, strategy.active_service))
    if strategy.post_promotion_analysis is not None:
        analysis = strategy.post_promotion_analysis
        phases.append(BlueGreenPhase(POST_PROMOTION, _analysis_name(analysis), analysis))
    return BlueGreenPlan(phases)


def _analysis_name(analysis: Analysis) -> str:
    """The template's or metrics' names (`smoke-tests`, `success-rate, latency`)."""
    source = analysis.source
    items = source if isinstance(source, Sequence) and not isinstance(source, str) else [source]
    return ", ".join(str(getattr(item, "name", None) or type(item).__name__) for item in items)


def _pause_detail(strategy: BlueGreen) -> str:
    if strategy.needs_manual_promotion:
        return "until promoted"
    return f"auto after {strategy.auto_promotion_delay_seconds:g}s"
