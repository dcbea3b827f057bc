"""Blue-green: SIGTERM/SIGINT in the BlueGreenPause and during post-promotion analysis, once and twice;
during the router's retries of the active switch; during a hung post-promotion query.

A first signal aborts: the active side back on stable, Degraded on record. A second one exits (128 + its
number) only once `aborted: true` is on record, so a resumed driver finishes the switch back. These drivers
wait in real time (a pause only `promote()` ends, or 30 measurements 10 s apart) so a signal finds them
waiting; the new version is removed 10 ms after an abort (0 would keep it, as Argo does).
"""

from __future__ import annotations

import signal
import time
from collections.abc import Callable
from typing import Any

from bad_prometheus import BadPrometheus
from bluegreen_setup import ROLLED_BACK, plain, with_post
from driver_config import AnalysisConfig
from driver_processes import Driver
from fault_lab import Lab
from fault_outcome import Case

REAL_TIME: dict[str, Any] = {"clock": "system", "scale_down_delay": 0, "abort_scale_down_delay": 0.01}
SIGNALS = {"SIGTERM": signal.SIGTERM, "SIGINT": signal.SIGINT}


def in_pause(lab: Lab) -> dict[str, Any]:
    """A release waiting in the BlueGreenPause until promoted: the preview on the new version."""
    return plain(auto_promotion_enabled=False)


def in_post_analysis(lab: Lab) -> dict[str, Any]:
    """A release switched to the new version, its post-promotion analysis measuring every 10 s."""
    return with_post(lab.analysis(passing=True, count=30))


WHERE: dict[str, tuple[Callable[[Lab], dict[str, Any]], str, list[int]]] = {
    "in the BlueGreenPause": (in_pause, "Paused", [0]),
    "during post-promotion analysis": (in_post_analysis, "MeasurementTaken", [100, 0]),
}
"""Where a signal finds the driver: its release, the event that says it is there, the weights it asks."""


def waiting(lab: Lab, where: str, **changes: Any) -> Driver:
    """A driver in real time, waiting `where`."""
    release, event, _ = WHERE[where]
    driver = lab.start(**{**release(lab), **REAL_TIME, **changes})
    driver.wait_event(event)
    return driver


def signalled_once(where: str, name: str) -> Callable[[Lab], float]:
    """A case: one signal `where`; the driver switches back and ends (exit 0)."""

    def scenario(lab: Lab) -> float:
        driver = waiting(lab, where)
        sent = driver.signal(SIGNALS[name])
        assert driver.wait_exit() == 0, driver.log()
        assert_aborted_by(lab, name)
        weights = [entry["weight"] for entry in lab.entries(event="set")]
        assert weights == WHERE[where][2], weights
        return sent

    return scenario


def signalled_twice(where: str, first: str, second: str, gap: float) -> Callable[[Lab], float]:
    """A case: two signals `gap` seconds apart (the fault's shape, not a wait); a resumed driver finishes."""

    def scenario(lab: Lab) -> float:
        driver = waiting(lab, where)
        sent = driver.signal(SIGNALS[first])
        time.sleep(gap)
        driver.signal(SIGNALS[second])
        exit_code = driver.wait_exit()
        codes = {0, 128 + SIGNALS[first], 128 + SIGNALS[second]}  # two equal signals may merge into one
        assert exit_code in codes, (exit_code, driver.log())
        record = assert_aborted_by(lab, first, second)
        if exit_code != 0:
            assert not record["finished"], record
            assert lab.run(**WHERE[where][0](lab)) == 0, lab.drivers[-1].log()
        return sent

    return scenario


def second_signal_after_switch_back(lab: Lab) -> float:
    """The second SIGTERM comes once the active side is back on stable, the new version awaiting removal."""
    driver = waiting(lab, "during post-promotion analysis", abort_scale_down_delay=120)
    sent = driver.signal(signal.SIGTERM)
    driver.wait_event("RolledBack")
    driver.signal(signal.SIGTERM)
    assert driver.wait_exit() == 128 + signal.SIGTERM, driver.log()
    record = assert_aborted_by(lab, "SIGTERM")
    assert (record["weight"], record["finished"]) == (0, False), record
    lab.assert_serves(0)
    assert lab.run(**in_post_analysis(lab), abort_scale_down_delay=120) == 0  # the fake clock skips it
    return sent


def during_switch_retries(recovers: bool, then: str = "nothing") -> Callable[[Lab], float]:
    """A case: the router refuses the active switch twice (then takes it), or for good; SIGTERM then.
    After the switch comes post-promotion analysis (`then="analysis"`), or nothing: the switch and the
    promotion then happen in one `advance()`, and the signal must still abort before the promotion."""

    def scenario(lab: Lab) -> float:
        changes = {"fail_weight": 100, "fail_times": 2 if recovers else 99, "backoff": (4, 0.3)}
        release = in_post_analysis(lab) if then == "analysis" else plain()
        driver = lab.start(**release, **REAL_TIME, **changes)
        driver.wait_event("set-failed", weight=100)
        sent = driver.signal(signal.SIGTERM)
        if recovers:
            assert driver.wait_exit() == 0, driver.log()
        else:  # the RoutingError escapes run(), but the abort it carries is the signal's
            assert driver.wait_exit() == 1, driver.log()
            assert [entry["type"] for entry in lab.entries(event="raised")] == ["RoutingError"]
            lab.assert_serves(0)  # the switch never happened
            assert lab.run(**release) == 0, lab.drivers[-1].log()
        assert_aborted_by(lab, "SIGTERM")
        return sent

    return scenario


def during_hung_post_query(lab: Lab) -> float:
    """The first post-promotion query hangs (timeout 1 h); SIGTERM switches back at once, not after it."""
    with BadPrometheus("hang") as bad:
        driver = lab.start(**with_post(AnalysisConfig(bad.url, timeout=3600.0, count=3)), **REAL_TIME)
        driver.wait_until(bad.first_request.is_set, "the query to reach the hanging server")
        sent = driver.signal(signal.SIGTERM)
        assert driver.wait_exit() == 0, driver.log()  # within the deadline: the hour was not waited out
    kinds = [entry["event"] for entry in lab.entries() if entry["event"] in ("MeasurementTaken", "Aborted")]
    assert kinds == ["Aborted"], kinds  # no measurement (no timeout Error) before the abort
    assert [entry["weight"] for entry in lab.entries(event="set")] == [100, 0]
    assert_aborted_by(lab, "SIGTERM")
    return sent


def assert_aborted_by(lab: Lab, *names: str) -> dict[str, Any]:
    """The record is aborted by the first of `names` to arrive (any of them)."""
    record = lab.record()
    assert record is not None and record["aborted"], record
    assert record["abort_message"] in [f"received {name}" for name in names], record["abort_message"]
    return record


def _signal_cases() -> list[Case]:
    cases = []
    for where in WHERE:
        for name in SIGNALS:
            cases.append(Case(f"blue-green {name} {where}", signalled_once(where, name), ROLLED_BACK))
        for first, second, gap in (
            ("SIGTERM", "SIGTERM", 0.0),
            ("SIGINT", "SIGTERM", 0.0),
            ("SIGTERM", "SIGTERM", 0.05),
        ):
            name = f"blue-green {first} then {second} {gap * 1000:g} ms apart {where}"
            cases.append(Case(name, signalled_twice(where, first, second, gap), ROLLED_BACK))
    return cases


CASES = [
    *_signal_cases(),
    Case("blue-green second SIGTERM after the switch back", second_signal_after_switch_back, ROLLED_BACK),
    Case(
        "blue-green SIGTERM during switch retries (recovers), post-promotion analysis follows",
        during_switch_retries(True, then="analysis"),
        ROLLED_BACK,
    ),
    Case(
        "blue-green SIGTERM during switch retries (recovers), promotion would follow in the same advance",
        during_switch_retries(True),
        ROLLED_BACK,
    ),
    Case("blue-green SIGTERM during switch retries (never)", during_switch_retries(False), ROLLED_BACK),
    Case("blue-green SIGTERM during a hung post-promotion query", during_hung_post_query, ROLLED_BACK),
]
