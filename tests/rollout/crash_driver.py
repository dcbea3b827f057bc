"""A rollout that can be SIGKILLed mid-step: its router blocks after applying a weight until stdin says go."""

from __future__ import annotations

import sys

from canarykit import FileStateStore, Rollout
from canarykit.steps import Pause, SetWeight, Step
from canarykit.testing import FakeClock, InMemoryRouter, InMemoryWorkload


class BlockingRouter(InMemoryRouter):
    """Prints each weight, then waits for a line on stdin (the parent may kill the process meanwhile)."""

    def set_weight(self, weight: int) -> None:
        super().set_weight(weight)
        print(f"weight {weight}", flush=True)
        sys.stdin.readline()


def main(state_dir: str) -> None:
    steps: list[Step] = [SetWeight(20), Pause("2m"), SetWeight(50)]
    rollout = Rollout(
        "crashing",
        steps,
        BlockingRouter(),
        InMemoryWorkload("blue"),
        clock=FakeClock(0),
        state=FileStateStore(state_dir),
        scale_down_delay=0,
    )
    print(f"done {rollout.run('green', handle_signals=False).phase.value}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1])
