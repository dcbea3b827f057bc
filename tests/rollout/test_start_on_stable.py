"""A new rollout starts with no traffic on the canary (Argo sets weight 0 on every reconcile from the start).

A router may hold another weight before the first step: a Gateway API route as written has the CRD's default
weight 1 on both backendRefs, half the traffic to a canary Service with no pods yet. A resumed rollout keeps
the weight on record instead.
"""

from __future__ import annotations

from canarykit import Rollout, RoutingError
from canarykit.steps import Pause, SetWeight, Step
from canarykit.testing import FakeClock, InMemoryRouter, InMemoryStateStore, InMemoryWorkload

T0 = 1_700_000_000.0
STEPS: list[Step] = [Pause(None), SetWeight(20), Pause(None)]


class UnreadableRouter(InMemoryRouter):
    """A router that cannot tell its weight (an nginx change it could not confirm)."""

    def get_weight(self) -> int:
        raise RoutingError("unconfirmed")


def test_a_router_holding_another_weight_is_set_to_0_before_anything_else() -> None:
    router = InMemoryRouter(weight=50)
    workload = InMemoryWorkload()
    rollout = Rollout("web", STEPS, router, workload, clock=FakeClock(T0))
    messages: list[str] = []
    rollout.add_listener(lambda event: messages.append(event.message))
    rollout.start("v2")
    rollout.advance()
    assert router.history == [0]
    assert workload.events == []  # the first step is a pause: no canary yet, and no traffic to it
    assert "canary weight 50 set to 0 before the rollout" in messages


def test_a_router_at_0_is_left_alone() -> None:
    router = InMemoryRouter()
    Rollout("web", STEPS, router, InMemoryWorkload(), clock=FakeClock(T0)).start("v2")
    assert router.history == []


def test_a_router_that_cannot_tell_is_set_to_0() -> None:
    router = UnreadableRouter()
    Rollout("web", STEPS, router, InMemoryWorkload(), clock=FakeClock(T0)).start("v2")
    assert router.history == [0]


def test_a_resumed_rollout_keeps_its_weight() -> None:
    store = InMemoryStateStore()
    first = Rollout("web", STEPS[1:], InMemoryRouter(), InMemoryWorkload(), clock=FakeClock(T0), state=store)
    first.start("v2")
    first.advance()  # weight 20, paused: then the process dies
    fresh = InMemoryRouter(weight=20)
    resumed = Rollout("web", STEPS[1:], fresh, InMemoryWorkload(), clock=FakeClock(T0 + 5), state=store)
    resumed.start("v2")
    resumed.advance()
    assert fresh.history == [] and fresh.weight == 20
