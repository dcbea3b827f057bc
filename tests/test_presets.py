"""`canarykit.presets.nginx_canary`: the recommended plan and analysis, driven on a fake clock."""

from __future__ import annotations

from judge_support import T0, FakeIngress, rates

from canarykit import RolloutPhase
from canarykit.presets import nginx_canary
from canarykit.providers.base import Observation
from canarykit.steps import Pause, SetWeight
from canarykit.testing import FakeClock, InMemoryRouter, InMemoryWorkload

RPS = 100.0


class CeilingAwareIngress(FakeIngress):
    """Also answers the ceiling's ratio query (errors over requests on the canary side)."""

    def measure(self, query: str | None, at: float) -> Observation:
        assert query is not None
        if " / " not in query:
            return super().measure(query, at)
        errors, requests = query.split(" / ")
        bad = super().measure(errors, at).value
        total = super().measure(requests, at).value
        return Observation.of([bad[0] / total[0]] if bad and total else [])


def run(canary_error: float, stable_error: float = 0.005) -> tuple[RolloutPhase, str, list[int]]:
    traffic = CeilingAwareIngress((T0 - 600, rates(RPS * 0.2, canary_error, RPS * 0.8, stable_error)))
    preset = nginx_canary("canary-demo", prometheus=traffic)
    router = InMemoryRouter()
    result = preset.rollout("web", router, InMemoryWorkload(), clock=FakeClock(T0)).run(
        "v2", handle_signals=False
    )
    return result.phase, result.message, router.history


def test_the_preset_plan_is_four_weights_with_pauses_judged_from_the_first_request() -> None:
    preset = nginx_canary("canary-demo")
    assert tuple(preset.plan) == (
        SetWeight(10),
        Pause("2m"),
        SetWeight(25),
        Pause("2m"),
        SetWeight(50),
        Pause("2m"),
        SetWeight(75),
        Pause("2m"),
    )
    assert preset.analysis.starting_step == 0
    names = [metric.name for metric in preset.analysis.metrics()]
    assert names == ["error-rate-comparison", "latency-comparison", "canary-error-ceiling"]


def test_a_healthy_canary_is_promoted() -> None:
    phase, message, history = run(canary_error=0.005)
    assert phase is RolloutPhase.HEALTHY, message
    assert history == [10, 25, 50, 75, 100, 0]


def test_a_canary_failing_four_times_as_often_as_stable_is_rolled_back_by_the_comparison() -> None:
    phase, message, history = run(canary_error=0.02)
    assert phase is RolloutPhase.DEGRADED
    assert 'Metric "error-rate-comparison" assessed Failed' in message
    assert history[-1] == 0 and 100 not in history


def test_a_canary_failing_outright_is_caught_by_the_ceiling_or_the_comparison() -> None:
    phase, message, _ = run(canary_error=0.5)
    assert phase is RolloutPhase.DEGRADED
    assert "error-rate-comparison" in message or "canary-error-ceiling" in message
