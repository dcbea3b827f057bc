"""Promotion sends all the traffic: 100, or the router's `max_weight` (Argo's maxTrafficWeight)."""

from __future__ import annotations

import pytest

from canarykit import Rollout, RolloutPhase, SpecError
from canarykit.argo import load
from canarykit.steps import SetWeight
from canarykit.testing import FakeClock, InMemoryRouter, InMemoryWorkload


class CappedRouter(InMemoryRouter):
    """A router whose weights run from 0 to 50 (ingress-nginx's canary-weight-total: 50)."""

    max_weight = 50

    def set_weight(self, weight: int) -> None:
        assert 0 <= weight <= self.max_weight, weight
        super().set_weight(weight)


def test_promotion_uses_the_routers_maximum_weight() -> None:
    router = CappedRouter()
    rollout = Rollout("web", [SetWeight(10), SetWeight(25)], router, InMemoryWorkload(), clock=FakeClock())
    result = rollout.run("v2", handle_signals=False)
    assert result.phase is RolloutPhase.HEALTHY
    assert router.history == [10, 25, 50, 0]


def test_promotion_sends_100_to_a_router_without_a_maximum() -> None:
    router = InMemoryRouter()
    Rollout("web", [SetWeight(10)], router, InMemoryWorkload(), clock=FakeClock()).run(
        "v2", handle_signals=False
    )
    assert router.history == [10, 100, 0]


ARGO_ROLLOUT = """
apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata: {name: web}
spec:
  replicas: 1
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: "web:1"}]}
  strategy:
    canary:
      canaryService: web-canary
      stableService: web
      trafficRouting:
        maxTrafficWeight: 50
        nginx: {stableIngress: web}
      steps: [{setWeight: 10}, {setWeight: 25}]
"""


def test_a_loaded_rollout_runs_on_a_router_of_its_scale() -> None:
    router = CappedRouter()
    spec = load(ARGO_ROLLOUT)
    result = Rollout.from_spec(spec, router, InMemoryWorkload(), clock=FakeClock()).run(
        "v2", handle_signals=False
    )
    assert result.phase is RolloutPhase.HEALTHY and router.history == [10, 25, 50, 0]


def test_a_router_of_another_scale_is_refused_before_any_weight() -> None:
    router = InMemoryRouter()  # 0..100, where the YAML's setWeight 10 means 10 of 50
    with pytest.raises(SpecError, match=r"the router.s max_weight is 100, the Rollout.s .* 50"):
        Rollout.from_spec(load(ARGO_ROLLOUT), router, InMemoryWorkload(), clock=FakeClock())
    assert router.history == []
