"""Turning a loaded Argo Rollout (`canarykit.argo.load`) into a runnable `Rollout`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from canarykit.rollout.analyses import BackgroundAnalysis

if TYPE_CHECKING:
    from canarykit.argo.rollout import RolloutSpec
    from canarykit.rollout.orchestrator import Rollout
    from canarykit.traffic import TrafficRouter
    from canarykit.workload import Workload


def rollout_from_spec(
    spec: RolloutSpec, router: TrafficRouter, workload: Workload, prometheus: Any = None, **options: Any
) -> Rollout:
    """Steps, background analysis and delays from `spec`; `prometheus` replaces the templates' address."""
    from canarykit.rollout.orchestrator import Rollout

    background = None
    if spec.background is not None:
        background = BackgroundAnalysis(
            spec.background.templates,
            args=dict(spec.background.args),
            starting_step=spec.background.starting_step,
            prometheus=prometheus,
        )
    options.setdefault("scale_down_delay", spec.scale_down_delay)
    options.setdefault("abort_scale_down_delay", spec.abort_scale_down_delay)
    options.setdefault("progress_deadline", spec.progress_deadline)
    return Rollout(
        spec.name, spec.steps, router, workload, analysis=background, prometheus=prometheus, **options
    )
