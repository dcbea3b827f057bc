"""Turning a loaded Argo Rollout (`canarykit.argo.load`) into a runnable `Rollout`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from canarykit.durations import Duration
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
    """Steps (or the `BlueGreen`), background analysis and delays from `spec`; `prometheus` replaces the
    templates' address, in step analyses and in blue-green pre/post-promotion analyses alike (the `Rollout`
    resolves them all with it).

    `analysis=` replaces the spec's background analysis (to judge the same plan differently).
    """
    from canarykit.rollout.orchestrator import Rollout

    strategy = strategy_of(spec)
    if spec.blue_green is None:
        _check_scale(spec, router)  # blue-green has no trafficRouting: active moves between 0 and full
    background = options.pop("analysis", None) or _background(spec, prometheus)
    for name, value in delays(spec).items():
        options.setdefault(name, value)
    return Rollout(
        spec.name, strategy, router, workload, analysis=background, prometheus=prometheus, **options
    )


def strategy_of(spec: RolloutSpec) -> Any:
    """What `Rollout` runs: the `BlueGreen` of a blue-green Rollout, else the canary steps."""
    return spec.steps if spec.blue_green is None else spec.blue_green


def delays(spec: RolloutSpec) -> dict[str, Duration]:
    """The `Rollout`'s delay options from `spec`. A blue-green Rollout's scale-down delays are its
    `BlueGreen`'s own (the `Rollout` takes them from there and refuses them as options)."""
    found: dict[str, Duration] = {"progress_deadline": spec.progress_deadline}
    if spec.blue_green is None:
        found["scale_down_delay"] = spec.scale_down_delay
        found["abort_scale_down_delay"] = spec.abort_scale_down_delay
    return found


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
