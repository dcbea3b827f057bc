"""SIGTERM once; twice at short and long gaps; during router retries; during a hung metric query.

A first signal aborts; a second exits (128 + 15) only once `aborted: true` is on record, so a resumed driver
finishes the rollback. These drivers wait in real time (a one-hour pause) so a signal finds them waiting.
"""

from __future__ import annotations

import signal
import time
from collections.abc import Callable
from typing import Any

from bad_prometheus import BadPrometheus
from driver_config import AnalysisConfig
from driver_processes import Driver
from fault_lab import Lab
from fault_outcome import Case, Expect

PAUSED_PLAN = (("weight", 20), ("pause", "1h"), ("weight", 40))
RETRY_PLAN = (("weight", 20), ("weight", 40), ("pause", "1h"))
SECOND_SIGNAL = 128 + signal.SIGTERM
REAL_TIME: dict[str, Any] = {"clock": "system", "scale_down_delay": 0, "abort_scale_down_delay": 0}


def paused(lab: Lab, **changes: Any) -> Driver:
    """A driver in real time, waiting in the hour-long pause at weight 20."""
    driver = lab.start(**{"steps": PAUSED_PLAN, **REAL_TIME, **changes})
    driver.wait_event("Paused")
    return driver


def sigterm_once(lab: Lab) -> float:
    driver = paused(lab)
    sent = driver.signal(signal.SIGTERM)
    assert driver.wait_exit() == 0, driver.log()
    assert_aborted_by_signal(lab)
    return sent


def sigterm_twice(gap: float) -> Callable[[Lab], float]:
    """A case: two SIGTERMs `gap` seconds apart (the gap is the fault's shape, not a wait for anything)."""

    def scenario(lab: Lab) -> float:
        driver = paused(lab)
        sent = driver.signal(signal.SIGTERM)
        time.sleep(gap)
        driver.signal(signal.SIGTERM)
        exit_code = driver.wait_exit()
        assert exit_code in (0, SECOND_SIGNAL), driver.log()  # two signals may merge into one
        assert_aborted_by_signal(lab)
        if exit_code == SECOND_SIGNAL:
            assert lab.run(steps=PAUSED_PLAN) == 0, lab.drivers[-1].log()
        return sent

    return scenario


def sigterm_twice_after_rollback(lab: Lab) -> float:
    """The second SIGTERM comes once traffic is back on stable, while the canary awaits removal (2 min)."""
    driver = paused(lab, abort_scale_down_delay=120)
    sent = driver.signal(signal.SIGTERM)
    driver.wait_event("RolledBack")
    driver.signal(signal.SIGTERM)
    assert driver.wait_exit() == SECOND_SIGNAL, driver.log()
    record = assert_aborted_by_signal(lab)
    assert (record["weight"], record["finished"]) == (0, False), record
    assert lab.run(steps=PAUSED_PLAN, abort_scale_down_delay=120) == 0  # the fake clock skips the wait
    return sent


def sigterm_during_retries(recovers: bool) -> Callable[[Lab], float]:
    """A case: the router refuses weight 40 twice (then takes it), or for good; SIGTERM after the first."""

    def scenario(lab: Lab) -> float:
        changes = {"fail_weight": 40, "fail_times": 2 if recovers else 99, "backoff": (4, 0.3)}
        driver = lab.start(steps=RETRY_PLAN, **REAL_TIME, **changes)
        driver.wait_event("set-failed", weight=40)
        sent = driver.signal(signal.SIGTERM)
        if recovers:
            assert driver.wait_exit() == 0, driver.log()
        else:  # the RoutingError escapes run(), but the abort it carries is the signal's
            assert driver.wait_exit() == 1, driver.log()
            assert [entry["type"] for entry in lab.entries(event="raised")] == ["RoutingError"]
            assert lab.run(steps=RETRY_PLAN) == 0, lab.drivers[-1].log()
        assert_aborted_by_signal(lab)
        return sent

    return scenario


def sigterm_during_hung_query(lab: Lab) -> float:
    """The first measurement's query hangs (timeout 1 h); SIGTERM must abort at once, not after it."""
    with BadPrometheus("hang") as bad:
        driver = lab.start(analysis=AnalysisConfig(bad.url, timeout=3600.0))
        driver.wait_until(bad.first_request.is_set, "the query to reach the hanging server")
        sent = driver.signal(signal.SIGTERM)
        assert driver.wait_exit() == 0, driver.log()  # within the deadline: the hour was not waited out
    kinds = [entry["event"] for entry in lab.entries() if entry["event"] in ("MeasurementTaken", "Aborted")]
    assert kinds == ["Aborted"], kinds  # no measurement (no timeout Error) before the abort
    record = assert_aborted_by_signal(lab)
    assert record["analysis_counts"].get("web-2", {}).get("Error", 0) == 0, record["analysis_counts"]
    return sent


def assert_aborted_by_signal(lab: Lab) -> dict[str, Any]:
    record = lab.record()
    assert record is not None and record["aborted"], record
    assert record["abort_message"] == "received SIGTERM", record["abort_message"]
    return record


ROLLED_BACK = Expect("Degraded", 0)
CASES = [
    Case("SIGTERM once", sigterm_once, ROLLED_BACK),
    Case("SIGTERM twice, no gap", sigterm_twice(0.0), ROLLED_BACK),
    Case("SIGTERM twice, 50 ms apart", sigterm_twice(0.05), ROLLED_BACK),
    Case("SIGTERM twice, second after the rollback", sigterm_twice_after_rollback, ROLLED_BACK),
    Case("SIGTERM during router retries (recovers)", sigterm_during_retries(True), ROLLED_BACK),
    Case("SIGTERM during router retries (never)", sigterm_during_retries(False), ROLLED_BACK),
    Case("SIGTERM during a hung query", sigterm_during_hung_query, ROLLED_BACK),
]
