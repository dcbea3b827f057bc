"""Turning a loaded Argo Rollout (`canarykit.argo.load`) into a runnable `Rollout`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from canarykit.errors import SpecError
from canarykit.rollout.analyses import BackgroundAnalysis
from canarykit.rollout.completion import full_weight
from canarykit.steps.kinds import MAX_WEIGHT

if TYPE_CHECKING:
    from canarykit.argo.rollout import RolloutSpec
    from canarykit.rollout.orchestrator import Rollout
    from canarykit.traffic import TrafficRouter
    from canarykit.workload import Workload


def rollout_from_spec(
    spec: RolloutSpec, router: TrafficRouter, workload: Workload, prometheus: Any = None, **options: Any
) -> Rollout:
    """Steps, background analysis and delays from `spec`; `prometheus` replaces the templates' address.

    `analysis=` replaces the spec's background analysis (to judge the same plan differently).
    """
    from canarykit.rollout.orchestrator import Rollout

    _check_scale(spec, router)
    background = options.pop("analysis", None) or _background(spec, prometheus)
    options.setdefault("scale_down_delay", spec.scale_down_delay)
    options.setdefault("abort_scale_down_delay", spec.abort_scale_down_delay)
    options.setdefault("progress_deadline", spec.progress_deadline)
    return Rollout(
        spec.name, spec.steps, router, workload, analysis=background, prometheus=prometheus, **options
    )


def _background(spec: RolloutSpec, prometheus: Any) -> BackgroundAnalysis | None:
    if spec.background is None:
        return None
    return BackgroundAnalysis(
        spec.background.templates,
        args=dict(spec.background.args),
        starting_step=spec.background.starting_step,
        prometheus=prometheus,
    )


def _check_scale(spec: RolloutSpec, router: TrafficRouter) -> None:
    """The router's full weight must be the YAML's `maxTrafficWeight` (100 without it): `setWeight: 50` is
    50 of that total, and a router on another scale would send another share."""
    routing = spec.nginx or spec.gateway_api
    expected = (routing.max_weight if routing else None) or MAX_WEIGHT
    actual = full_weight(router)
    if actual != expected:
        raise SpecError(
            f"the router's max_weight is {actual}, the Rollout's trafficRouting.maxTrafficWeight {expected}: "
            "give the router the Rollout's",
            "spec.strategy.canary.trafficRouting.maxTrafficWeight",
        )
