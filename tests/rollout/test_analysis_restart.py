"""Analysis survives restarts: a driver that dies and comes back continues the same analysis runs."""

from __future__ import annotations

from canarykit import Metric, Rollout, RolloutPhase
from canarykit.rollout import BackgroundAnalysis
from canarykit.steps import Analysis, SetWeight, Step, explicit
from canarykit.testing import (
    FakeClock,
    InMemoryRouter,
    InMemoryStateStore,
    InMemoryWorkload,
    ScriptedProvider,
)

T0 = 1_700_000_000.0
REFERENCE = explicit([20, 40, 60, 80]).with_pause("2m")


def failing_metric(provider: ScriptedProvider) -> Metric:
    """The reference metric: every 10 s, failureLimit 3; this canary fails every measurement."""
    return Metric(
        "success-rate", provider, interval="10s", failure_limit=3, success_condition="result[0] > 0.90"
    )


def driver(store: InMemoryStateStore, clock: FakeClock, router: InMemoryRouter) -> Rollout:
    analysis = BackgroundAnalysis([failing_metric(ScriptedProvider([[0.5]]))], starting_step=2)
    return Rollout(
        "web", REFERENCE, router, InMemoryWorkload("blue"), analysis=analysis, clock=clock, state=store
    )


def crash_loop(measurements_per_life: int) -> tuple[InMemoryStateStore, InMemoryRouter, int]:
    """Drive with `advance()`, 'killing' the driver after every few measurements; returns the lives used."""
    store, clock, router = InMemoryStateStore(), FakeClock(T0), InMemoryRouter()
    for life in range(1, 100):
        rollout = driver(store, clock, router)
        rollout.start("green")
        taken = 0
        while (wake := rollout.advance()) is not None:
            record = store.load("web")
            assert record is not None
            taken = sum(sum(c.values()) for c in record["analysis_counts"].values())
            if taken >= measurements_per_life * life:
                break  # the driver dies here: nothing but the saved record survives
            clock.sleep(max(0.0, wake - clock.now()))
        else:
            return store, router, life
    raise AssertionError("the crash loop never ended")


def uninterrupted_weight_at_failure() -> int:
    store, clock, router = InMemoryStateStore(), FakeClock(T0), InMemoryRouter()
    result = driver(store, clock, router).run("green", handle_signals=False)
    assert result.phase is RolloutPhase.DEGRADED
    return max(router.history)


def test_a_crash_looping_driver_rolls_a_failing_canary_back_no_higher_than_once() -> None:
    limit_weight = uninterrupted_weight_at_failure()
    for per_life in (1, 2, 3):
        store, router, lives = crash_loop(per_life)
        record = store.load("web")
        assert record is not None
        assert record["phase"] == "Degraded" and record["aborted"] and record["weight"] == 0
        assert "failed (4) > failureLimit (3)" in record["abort_message"]
        assert lives > 1
        assert max(router.history) <= limit_weight  # never further than an uninterrupted driver
        assert router.history[-1] == 0
        counts = record["analysis_counts"]["web-2"]
        assert counts == {"Failed": 4}  # each measurement counted once, across every life


def test_a_restarted_driver_continues_the_tally_and_the_schedule() -> None:
    store, clock, router = InMemoryStateStore(), FakeClock(T0), InMemoryRouter()
    provider = ScriptedProvider([[0.95], [0.5], [0.95]])
    steps: list[Step] = [SetWeight(20), Analysis([failing_metric(provider)]), SetWeight(40)]
    first = Rollout("web", steps, router, InMemoryWorkload("blue"), clock=clock, state=store)
    first.start("green")
    wake = first.advance()  # weight 20, first measurement (Successful)
    assert wake is not None
    clock.sleep(wake - clock.now())
    first.advance()  # second measurement (Failed)
    record = store.load("web")
    assert record is not None
    run = record["analyses"]["web-2-1"]
    assert run["metrics"]["success-rate"]["tally"]["failed"] == 1

    clock.sleep(3.0)  # the driver is down for 3 s, then comes back
    second = Rollout("web", steps, router, InMemoryWorkload("blue"), clock=clock, state=store)
    second.start("green")
    wake = second.advance()
    assert wake == run["metrics"]["success-rate"]["measurements"][-1]["finishedAt"] + 10  # same schedule
    assert len(provider.calls) == 2  # nothing measured again on resume
    result = second.analysis_results()[0].metric("success-rate")
    assert (result.tally.successful, result.tally.failed) == (1, 1)
