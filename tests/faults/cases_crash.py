"""SIGKILL of a driver at every step boundary and inside the rollback, then a new driver resumes; and a
crash loop: a failing canary's driver killed after every measurement or two, restarted until it ends."""

from __future__ import annotations

from collections.abc import Callable

from driver_config import LONG_PLAN
from fault_lab import Lab
from fault_outcome import Case, Expect
from fault_support import asked_weights

PROMOTION_POINTS = (
    "before-weight:20",  # the weight is on record as pending, not yet sent
    "after-weight:20",  # nginx serves it, the record still says pending
    "StepCompleted:0",
    "MeasurementTaken#1",  # inside the pause, analysis running
    "StepCompleted:1",
    "before-weight:40",
    "after-weight:40",
    "StepCompleted:2",
    "StepCompleted:3",  # every step done, before full weight
    "after-weight:100",  # full weight, before stable takes the version
    "Promoted",  # weight 0 after promotion, the canary not yet removed
)
ROLLBACK_POINTS = (
    "Aborted",  # the abort saved, traffic not yet moved
    "before-weight:0",
    "check:0",  # weight 0 written, nginx -t running
    "after-weight:0",  # nginx reloaded, not yet confirmed by get_weight
    "RolledBack",  # traffic on stable on record, the canary not yet removed
)


def killed_at(point: str, passing: bool) -> Callable[[Lab], float]:
    """A case: a driver of a passing (or failing) canary SIGKILLed at `point`, then a resume."""

    def scenario(lab: Lab) -> float:
        analysis = lab.analysis(passing=passing)
        if point == "check:0":
            first = lab.start(analysis=analysis, check=lab.held_check())
            lab.wait_check_held(first)
        else:
            first = lab.start(analysis=analysis, block_at=point)
            first.wait_blocked()
        killed = first.kill()
        assert lab.run(analysis=analysis) == 0, lab.drivers[-1].log()
        return killed

    return scenario


def crash_loop(lab: Lab) -> float:
    """Every measurement fails (failureLimit 3); the driver dies after every one or two measurements."""
    analysis = lab.analysis(passing=False, failure_limit=3)
    assert lab.run(name="uninterrupted", steps=LONG_PLAN, analysis=analysis) == 0
    limit = max(asked_weights(lab.entries(), "uninterrupted"))  # where an uninterrupted driver stopped
    kills: list[float] = []
    for life in range(30):
        driver = lab.start(steps=LONG_PLAN, analysis=analysis, block_at=f"MeasurementTaken#{1 + life % 2}")
        if not driver.wait_blocked_or_exit():
            assert driver.wait_exit() == 0, driver.log()
            break
        kills.append(driver.kill())
    else:
        raise AssertionError("the crash loop never ended")
    weights = asked_weights(lab.entries(), "web")
    assert len(kills) >= 2 and max(weights) <= limit, (len(kills), weights, limit)
    record = lab.record()
    assert record is not None and "failed (4) > failureLimit (3)" in record["abort_message"], record
    return kills[0]


def _resumed(point: str, passing: bool) -> Case:
    expect = Expect("Healthy" if passing else "Degraded", 0)
    return Case(f"SIGKILL at {point}, resumed", killed_at(point, passing), expect)


CASES = [
    *(_resumed(point, True) for point in PROMOTION_POINTS),
    *(_resumed(point, False) for point in ROLLBACK_POINTS),
    Case("crash loop of a failing canary", crash_loop, Expect("Degraded", 0, plan=(20, 40, 60, 80))),
]
