"""Promotion sends all the traffic: 100, or the router's `max_weight` (Argo's maxTrafficWeight)."""

from __future__ import annotations

from canarykit import Rollout, RolloutPhase
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
