"""Rollout benchmarks: the reference scenario on a fake clock, alone and as 1,000 rollouts in one loop.

Run: python benchmarks/orchestrator.py

The reference scenario is tests/rollout/test_reference_scenario.py's healthy canary: explicit([20, 40, 60,
80]).with_pause("2m"), background `success-rate` analysis every 10 s (failureLimit 3) from step index 2.
Goals: <= 20 ms CPU time per rollout and <= 200 KiB peak memory per running rollout when 1,000 rollouts
are driven through `advance()` from a single loop on one shared FakeClock.
"""

from __future__ import annotations

import time
import tracemalloc

from canarykit import BackgroundAnalysis, Metric, Rollout, RolloutPhase
from canarykit.steps import explicit
from canarykit.testing import FakeClock, InMemoryRouter, InMemoryWorkload, ScriptedProvider

T0 = 1_700_000_000.0
SINGLE_RUNS = 200
FLEET = 1_000
CPU_GOAL_MS = 20.0
MEMORY_GOAL_KIB = 200.0
HISTORY = [20, 40, 60, 80, 100, 0]


def reference(clock: FakeClock, name: str = "canary-demo") -> tuple[Rollout, InMemoryRouter]:
    """The healthy reference rollout on `clock`, with its own router, workload, provider and metric."""
    router, workload = InMemoryRouter(), InMemoryWorkload("blue")
    metric = Metric(
        "success-rate",
        ScriptedProvider([[0.95]]),
        query="q",
        interval="10s",
        failure_limit=3,
        success_condition="result[0] > 0.90",
    )
    rollout = Rollout(
        name,
        explicit([20, 40, 60, 80]).with_pause("2m"),
        router,
        workload,
        analysis=BackgroundAnalysis([metric], starting_step=2),
        clock=clock,
    )
    return rollout, router


def verdict(ok: bool) -> str:
    return "ok" if ok else "MISSED"


def single_figures() -> None:
    clock = FakeClock(T0)
    rollout, router = reference(clock)
    result = rollout.run("green")
    measurements = sum(len(metric.measurements) for run in result.analyses for metric in run.metrics)
    print(
        f"reference scenario via run(): {result.phase.value}, router history {router.history}, "
        f"{measurements} measurements, {(clock.now() - T0) / 60:.1f} simulated minutes"
    )
    start = time.process_time()
    for _ in range(SINGLE_RUNS):
        reference(FakeClock(T0))[0].run("green")
    per_run = (time.process_time() - start) / SINGLE_RUNS
    print(f"run() CPU time:               {per_run * 1e3:.3f} ms per rollout (mean of {SINGLE_RUNS})")


def drive(rollouts: list[Rollout], clock: FakeClock) -> int:
    """Advance every unfinished rollout, jump the clock to the earliest wake; return the loop count."""
    running, loops = list(rollouts), 0
    while running:
        loops += 1
        waiting: list[Rollout] = []
        earliest = float("inf")
        for rollout in running:
            wake = rollout.advance()
            if wake is not None:
                waiting.append(rollout)
                earliest = min(earliest, wake)
        running = waiting
        if running:
            clock.set(max(earliest, clock.now()))
    return loops


def fleet(clock: FakeClock) -> tuple[list[Rollout], list[InMemoryRouter]]:
    pairs = [reference(clock, f"canary-{i}") for i in range(FLEET)]
    for rollout, _ in pairs:
        rollout.start("green")
    return [rollout for rollout, _ in pairs], [router for _, router in pairs]


def fleet_figures() -> None:
    # CPU time, without tracemalloc (which slows allocation-heavy code several-fold).
    clock = FakeClock(T0)
    start = time.process_time()
    rollouts, routers = fleet(clock)
    loops = drive(rollouts, clock)
    cpu = time.process_time() - start
    healthy = sum(r.result().phase is RolloutPhase.HEALTHY for r in rollouts)
    histories = sum(router.history == HISTORY for router in routers)
    print(
        f"fleet of {FLEET} via advance(): {loops} loop passes, "
        f"{(clock.now() - T0) / 60:.1f} simulated minutes"
    )
    print(
        f"check: {healthy}/{FLEET} Healthy, {histories}/{FLEET} router history {HISTORY}: "
        f"{verdict(healthy == histories == FLEET)}"
    )
    per_rollout_ms = cpu / FLEET * 1e3
    print(f"fleet CPU time total:         {cpu:.3f} s")
    print(
        f"fleet CPU time per rollout:   {per_rollout_ms:.3f} ms "
        f"(goal <= {CPU_GOAL_MS:.0f} ms) {verdict(per_rollout_ms <= CPU_GOAL_MS)}"
    )
    del rollouts, routers

    # Memory: a second, identical fleet under tracemalloc.
    tracemalloc.start()
    clock = FakeClock(T0)
    baseline = tracemalloc.get_traced_memory()[0]
    tracemalloc.reset_peak()
    rollouts, _ = fleet(clock)
    started = tracemalloc.get_traced_memory()[0] - baseline
    drive(rollouts, clock)
    peak = tracemalloc.get_traced_memory()[1] - baseline
    tracemalloc.stop()
    ok = all(r.result().phase is RolloutPhase.HEALTHY for r in rollouts)
    per_rollout_kib = peak / FLEET / 1024
    print(f"memory after start(), before the first advance(): {started / FLEET / 1024:.1f} KiB per rollout")
    print(
        f"peak memory per running rollout: {per_rollout_kib:.1f} KiB "
        f"(goal <= {MEMORY_GOAL_KIB:.0f} KiB) {verdict(per_rollout_kib <= MEMORY_GOAL_KIB)}"
        + ("" if ok else " (traced fleet not all Healthy!)")
    )


def main() -> None:
    single_figures()
    fleet_figures()


if __name__ == "__main__":
    main()
