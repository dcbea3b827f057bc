"""The reference canary (20/40/60/80 %, 2-minute pauses, analysis from step 2) on a fake clock, both ways.

Run: python examples/scripted_rollout.py
"""

from __future__ import annotations

from typing import Any

from canarykit import BackgroundAnalysis, Metric, Rollout, RolloutResult
from canarykit.steps import explicit
from canarykit.testing import FakeClock, InMemoryRouter, InMemoryWorkload, ScriptedProvider


def reference_rollout(success_rates: list[Any], router: InMemoryRouter) -> Rollout:
    """The reference scenario with scripted success rates in place of Prometheus."""
    metric = Metric(
        "success-rate",
        ScriptedProvider(success_rates),
        interval="10s",
        failure_limit=3,
        success_condition="result[0] > 0.90",
    )
    return Rollout(
        "canary-demo",
        explicit([20, 40, 60, 80]).with_pause("2m"),
        router,
        InMemoryWorkload("blue"),
        analysis=BackgroundAnalysis([metric], starting_step=2),
        clock=FakeClock(),
    )


def show(label: str, result: RolloutResult, router: InMemoryRouter) -> None:
    print(f"{label}: {result.phase.value} weights={router.history}")
    if result.message:
        print(f"  {result.message}")


def main() -> None:
    for label, rates in (("green", [[0.97]]), ("red", [[0.97]] * 2 + [[0.70]])):
        router = InMemoryRouter()
        show(label, reference_rollout(rates, router).run(label, handle_signals=False), router)


if __name__ == "__main__":
    main()
