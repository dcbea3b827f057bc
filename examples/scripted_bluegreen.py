"""A blue-green release on a fake clock, both ways: green passes its analyses and is promoted; red passes
pre-promotion analysis on the preview, then fails post-promotion analysis and is switched back.

Run: python examples/scripted_bluegreen.py
"""

from __future__ import annotations

from typing import Any

from canarykit import Metric, Rollout
from canarykit.rollout import events as ev
from canarykit.steps import Analysis, BlueGreen
from canarykit.testing import FakeClock, InMemoryRouter, InMemoryWorkload, ScriptedProvider


def success_rate(values: list[Any]) -> Analysis:
    """Three measurements of a scripted success rate, 10 s apart; one failure fails the run."""
    provider = ScriptedProvider(values)
    metric = Metric("success-rate", provider, interval="10s", count=3, success_condition="result[0] > 0.90")
    return Analysis([metric])


def release(version: str, preview_rates: list[Any], active_rates: list[Any]) -> None:
    router = InMemoryRouter()
    strategy = BlueGreen(
        "web-active",
        "web-preview",
        pre_promotion_analysis=success_rate(preview_rates),
        post_promotion_analysis=success_rate(active_rates),
        auto_promotion_seconds="30s",
        scale_down_delay="30s",
    )
    switches: list[str] = []

    def on_event(event: ev.Event) -> None:
        if isinstance(event, ev.ServiceSwitched):
            switches.append(event.message)

    rollout = Rollout("web", strategy, router, InMemoryWorkload("blue"), clock=FakeClock(), on_event=on_event)
    result = rollout.run(version, handle_signals=False)
    print(f"{version}: {result.phase.value} active weights={router.history}")
    for line in switches:
        print(f"  {line}")
    if result.message:
        print(f"  {result.message}")


def main() -> None:
    release("green", [[0.99]], [[0.98]])
    release("red", [[0.99]], [[0.97], [0.60]])


if __name__ == "__main__":
    main()
