"""A rollout driven in its own process, for the signal and crash tests: real clock, file state store."""

from __future__ import annotations

import json
import sys
import time

from canarykit import FileStateStore, Metric, Rollout
from canarykit.providers import Observation
from canarykit.rollout import BackgroundAnalysis
from canarykit.rollout.events import Event, RolledBack
from canarykit.steps import Pause, SetWeight, Step
from canarykit.testing import InMemoryRouter, InMemoryWorkload


class PrintingRouter(InMemoryRouter):
    """Prints every weight it applies, so the parent test can follow along."""

    def set_weight(self, weight: int) -> None:
        super().set_weight(weight)
        print(f"weight {weight}", flush=True)


def announce_rollback(event: Event) -> None:
    """Tell the parent once the rollback is on record (saved), not merely sent to the router."""
    if isinstance(event, RolledBack):
        print("rolled back", flush=True)


class HungQuery:
    """A metric provider whose query never answers (a Prometheus that accepted the connection and hangs)."""

    def measure(self, query: str | None, at: float) -> Observation:
        print("querying", flush=True)
        time.sleep(3600)
        raise AssertionError("the hung query was not abandoned")


def main(state_dir: str, abort_delay: float, mode: str) -> None:
    router = PrintingRouter()
    steps: list[Step] = [SetWeight(20), Pause("1h"), SetWeight(50)]
    analysis = None
    if mode == "hung-query":
        analysis = BackgroundAnalysis([Metric("hung", HungQuery(), interval="10s")], starting_step=1)
    rollout = Rollout(
        "signalled",
        steps,
        router,
        InMemoryWorkload("blue"),
        analysis=analysis,
        state=FileStateStore(state_dir),
        abort_scale_down_delay=abort_delay,
        on_event=announce_rollback,
    )
    result = rollout.run("green")
    print(json.dumps({"phase": result.phase.value, "history": router.history}), flush=True)


if __name__ == "__main__":
    main(
        sys.argv[1],
        float(sys.argv[2]) if len(sys.argv) > 2 else 0.0,
        sys.argv[3] if len(sys.argv) > 3 else "",
    )
