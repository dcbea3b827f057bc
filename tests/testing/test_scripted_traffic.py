"""`ScriptedTraffic` drives judges in users' tests: a regression rolled back, a healthy canary promoted."""

from __future__ import annotations

import pytest

from canarykit import BackgroundAnalysis, ProviderError, Rollout, RolloutPhase, SpecError
from canarykit.judges import ErrorRateComparison, LatencyComparison
from canarykit.judges.queries import error_queries, latency_queries
from canarykit.steps import Pause, SetWeight, Step
from canarykit.testing import FakeClock, InMemoryRouter, InMemoryWorkload, ScriptedTraffic

T0 = 1_700_000_000.0
STEPS: list[Step] = [SetWeight(20), Pause("5m"), SetWeight(50), Pause("5m")]


def rollout_with(judge: ErrorRateComparison | LatencyComparison, clock: FakeClock) -> Rollout:
    analysis = BackgroundAnalysis([judge.metric()], starting_step=1)
    router = InMemoryRouter()
    return Rollout("web", STEPS, router, InMemoryWorkload("blue"), analysis=analysis, clock=clock)


def test_a_failing_canary_is_rolled_back_by_the_judge() -> None:
    clock = FakeClock(T0)
    traffic = ScriptedTraffic(clock).change(canary=20, stable=80, canary_errors=0.05, stable_errors=0.005)
    rollout = rollout_with(ErrorRateComparison(traffic, "web"), clock)
    result = rollout.run("green", handle_signals=False)
    assert result.phase is RolloutPhase.DEGRADED
    assert result.message.endswith(
        'Metric "error-rate-comparison" assessed Failed due to failed (1) > failureLimit (0)'
    )
    assert isinstance(rollout.router, InMemoryRouter) and rollout.router.history == [20, 0]
    assert traffic.calls and all(at >= T0 for _, at in traffic.calls)


def test_a_healthy_canary_is_promoted() -> None:
    clock = FakeClock(T0)
    traffic = ScriptedTraffic(clock).change(canary=20, stable=80, canary_errors=0.005, stable_errors=0.005)
    rollout = rollout_with(ErrorRateComparison(traffic, "web"), clock)
    result = rollout.run("green", handle_signals=False)
    assert result.phase is RolloutPhase.HEALTHY
    assert isinstance(rollout.router, InMemoryRouter) and rollout.router.history == [20, 50, 100, 0]


def test_a_change_in_the_middle_of_the_rollout_is_caught_after_it() -> None:
    clock = FakeClock(T0)
    traffic = ScriptedTraffic(clock).change(canary=20, stable=80, canary_errors=0.005, stable_errors=0.005)
    traffic.change(after="6m", canary_errors=0.2)  # the canary breaks during the second pause
    result = rollout_with(ErrorRateComparison(traffic, "web"), clock).run("green", handle_signals=False)
    assert result.phase is RolloutPhase.DEGRADED
    failed = result.analyses[0].metric("error-rate-comparison").measurements[-1]
    assert failed.started_at >= T0 + 360 and failed.value.startswith("fail: e-value ")


def test_a_slow_canary_fails_the_latency_judge() -> None:
    clock = FakeClock(T0)
    traffic = ScriptedTraffic(clock).change(canary=20, stable=80, canary_slow=0.3, stable_slow=0.01)
    result = rollout_with(LatencyComparison(traffic, "web"), clock).run("green", handle_signals=False)
    assert result.phase is RolloutPhase.DEGRADED


def test_counts_are_exact_integrals_of_the_scripted_rates() -> None:
    traffic = ScriptedTraffic(start=T0).change(canary=10, canary_errors=0.5).change(after=60, canary=0)
    queries = error_queries("web", None, "5..")
    requests = traffic.measure(queries.canary_requests.over(90), T0 + 90).value
    errors = traffic.measure(queries.canary_marked.over(90), T0 + 90).value
    assert (requests, errors) == ([600.0], [300.0])
    assert traffic.measure(queries.stable_requests.over(90), T0 + 90).value == []  # no series, as Prometheus
    assert traffic.measure(queries.canary_requests.over(30), T0 + 30).value == [300.0]
    latency = latency_queries("web", None, 0.5)
    slow = ScriptedTraffic(start=T0).change(stable=10, stable_slow=0.25)
    assert slow.measure(latency.stable_marked.over(10), T0 + 10).value == [75.0]  # within the bound


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"canary": -1}, "ScriptedTraffic canary: must be a number >= 0, got -1"),
        ({"canary_errors": 1.5}, "ScriptedTraffic canary_errors: is a share of requests, 0..1, got 1.5"),
        ({"canary_rps": 3}, "unknown rates ['canary_rps']"),
        ({"after": "5 min"}, 'after: time: unknown unit " min" in duration "5 min"'),
    ],
)
def test_bad_scripts_are_refused_naming_the_field(change: dict[str, object], message: str) -> None:
    with pytest.raises(SpecError) as refused:
        ScriptedTraffic(start=T0).change(**change)  # type: ignore[arg-type]
    assert message in str(refused.value)


def test_changes_out_of_order_and_other_queries_are_refused() -> None:
    traffic = ScriptedTraffic(start=T0).change(after="2m", canary=1)
    with pytest.raises(SpecError, match="time order"):
        traffic.change(after="1m", canary=2)
    with pytest.raises(ProviderError, match="only the judges' increase queries"):
        traffic.measure("up", T0)
