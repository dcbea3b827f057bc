"""A promotion interrupted after it was recorded, but before its scale-down time was, resumes to the end."""

from __future__ import annotations

import pytest

from canarykit import Rollout, RolloutPhase
from canarykit.errors import RoutingError
from canarykit.rollout import Backoff
from canarykit.steps import SetHeaderRoute, SetWeight, Step
from canarykit.testing import FakeClock, InMemoryRouter, InMemoryStateStore, InMemoryWorkload

STEPS: list[Step] = [SetHeaderRoute("x-canary", value="yes"), SetWeight(50)]


class FailingAfterFullWeight(InMemoryRouter):
    """Fails the one call after weight 100: the weight 0 that follows a promotion."""

    def set_weight(self, weight: int) -> None:
        if self.history[-1:] == [100] and self.weight == 100 and not getattr(self, "failed", False):
            self.failed = True
            self.fail_next(1)
        super().set_weight(weight)


def test_promotion_interrupted_before_weight_zero_resumes_healthy() -> None:
    clock, workload, store = FakeClock(), InMemoryWorkload(), InMemoryStateStore()
    router = FailingAfterFullWeight()
    first = Rollout("web", STEPS, router, workload, clock=clock, state=store, backoff=Backoff(attempts=1))
    with pytest.raises(RoutingError):
        first.run("v2", handle_signals=False)
    record = store.load("web")
    assert record is not None
    assert (record["promoted"], record["scale_down_at"], record["weight"]) == (True, None, 100)
    assert record["header_route"] == ["x-canary", "yes", None]

    resumed = Rollout("web", STEPS, router, workload, clock=clock, state=store)
    result = resumed.run("v2", handle_signals=False)

    assert result.phase is RolloutPhase.HEALTHY
    assert result.weight_history[-1] == 0 and router.weight == 0
    assert router.history == [50, 100, 0]
    assert router.header_route is None
    assert workload.events[-1] == "remove canary" and workload.canary_version is None
    final = store.load("web")
    assert final is not None and final["finished"] and final["weight"] == 0
    assert final["header_route"] is None
