"""A signal that arrives during the last step's router call aborts: it is never lost to a promotion that
follows in the same `advance()` (reconciles chain there, and the run loop only looks between calls)."""

from __future__ import annotations

import os
import signal

from canarykit import Rollout, RolloutPhase
from canarykit.steps import BlueGreen, SetWeight
from canarykit.testing import FakeClock, InMemoryRouter, InMemoryWorkload


class SignalledRouter(InMemoryRouter):
    """Sends this process a SIGTERM while it moves traffic to `weight` (the signal lands mid-reconcile)."""

    def __init__(self, weight: int) -> None:
        super().__init__()
        self.signal_at = weight

    def set_weight(self, weight: int) -> None:
        super().set_weight(weight)
        if weight == self.signal_at:
            os.kill(os.getpid(), signal.SIGTERM)


def test_a_signal_during_the_last_canary_step_aborts_instead_of_promoting() -> None:
    router = SignalledRouter(20)
    rollout = Rollout(
        "web", [SetWeight(20)], router, InMemoryWorkload("v1"), clock=FakeClock(), scale_down_delay=0
    )
    result = rollout.run("v2")
    assert result.phase is RolloutPhase.DEGRADED and router.history == [20, 0]
    assert result.message.endswith("received SIGTERM")


def test_a_signal_during_the_active_switch_switches_back() -> None:
    router = SignalledRouter(100)
    strategy = BlueGreen("web-active", "web-preview", scale_down_delay=0)
    result = Rollout("web", strategy, router, InMemoryWorkload("v1"), clock=FakeClock()).run("v2")
    assert result.phase is RolloutPhase.DEGRADED and router.history == [100, 0]
