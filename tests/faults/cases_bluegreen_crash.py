"""Blue-green: SIGKILL of a driver in every phase, then a new driver resumes to the same end.

The phases of `bluegreen_setup.release`: preview, pre-promotion analysis, the BlueGreenPause, the active
switch, post-promotion analysis, promotion and the old version's removal; with a failing post-promotion
analysis, the abort and the switch back. The active side must only go 0 -> 100 (once) and 100 -> 0.
"""

from __future__ import annotations

from collections.abc import Callable

from bluegreen_setup import HEALTHY, ROLLED_BACK, release
from fault_lab import Lab
from fault_outcome import Case

PROMOTION_POINTS = (
    "before-preview:True",  # the preview not yet moved
    "after-preview:True",  # nginx serves the new version on the preview, the record does not say so
    "StepCompleted:0",  # the preview done
    "MeasurementTaken#1",  # during pre-promotion analysis
    "StepCompleted:1",  # pre-promotion analysis passed
    "Paused",  # in the BlueGreenPause
    "before-weight:100",  # the switch on record as pending, not yet sent
    "after-weight:100",  # right after the active switch's reload, not yet on record
    "StepCompleted:3",  # the switch on record
    "MeasurementTaken#3",  # during post-promotion analysis
    "Promoted",  # promoted, the old version awaiting removal (scale_down_delay)
    "after-weight:0",  # the active side on stable (now the new version), the preview not yet moved
    "before-preview:False",  # the preview's move back to stable
)
ROLLBACK_POINTS = (
    "MeasurementTaken#3",  # post-promotion analysis failing
    "Aborted",  # the abort saved, the active side still on the new version
    "before-weight:0",  # the switch back pending, not sent
    "check:0",  # the switch back written, nginx -t running
    "after-weight:0",  # the switch back reloaded, not yet confirmed
    "RolledBack",  # on stable, on record; the new version awaiting removal
    "before-preview:False",  # the new version removed, the preview not yet back on stable
)


def killed_at(point: str, post_passing: bool) -> Callable[[Lab], float]:
    """A case: the driver of a release whose post-promotion analysis passes (or fails) killed at `point`."""

    def scenario(lab: Lab) -> float:
        if point == "check:0":
            first = lab.start(
                **release(lab, post_passing), block_at="StepCompleted:3", check=lab.held_check(True)
            )
            first.wait_blocked()
            lab.arm_check()
            first.release()
            lab.wait_check_held(first)
        else:
            first = lab.start(**release(lab, post_passing), block_at=point)
            first.wait_blocked()
        killed = first.kill()
        assert lab.run(**release(lab, post_passing)) == 0, lab.drivers[-1].log()
        return killed

    return scenario


CASES = [
    *(Case(f"blue-green SIGKILL at {p}, resumed", killed_at(p, True), HEALTHY) for p in PROMOTION_POINTS),
    *(
        Case(f"blue-green SIGKILL at {p} of a switch back", killed_at(p, False), ROLLED_BACK)
        for p in ROLLBACK_POINTS
    ),
]
