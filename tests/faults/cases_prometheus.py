"""Prometheus faults: the real Prometheus killed mid-rollout, and a misbehaving server in its place.

Each fault must end the analysis safely (Error after consecutiveErrorLimit 1, that is two Errors in a row)
and the rollout rolled back, traffic on stable.
"""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Callable

from bad_prometheus import BadPrometheus
from driver_config import AnalysisConfig
from fault_lab import Lab
from fault_outcome import Case, Expect

from canarykit.testing.prometheus import PrometheusServer

TIMEOUTS = {
    **{"500": 2.0, "garbage": 2.0, "empty": 2.0, "hang": 1.0},
    **{"slow": 1.5, "slow-body": 1.5, "oversized": 5.0},
}
"""The provider timeout per fault: short where the fault is waiting for an answer that never comes."""
ROLLED_BACK = Expect("Degraded", 0)


def misbehaving(mode: str) -> Callable[[Lab], float]:
    """A case: the analysis queries a server answering `mode` from the start."""

    def scenario(lab: Lab) -> float:
        with BadPrometheus(mode) as bad:
            exit_code = lab.run(analysis=AnalysisConfig(bad.url, timeout=TIMEOUTS[mode]))
            queries = bad.requests
        assert exit_code == 0, lab.drivers[-1].log()
        assert queries == 2, f"{queries} queries reached the server; want 2 (two Errors in a row)"
        assert_ended_in_error(lab, 2)
        return float(lab.entries(event="applied")[0]["mono"])  # the canary took traffic, fault present

    return scenario


def prometheus_killed(lab: Lab) -> float:
    """A real Prometheus answers the first measurement, then is SIGKILLed."""
    with PrometheusServer() as server:
        first = lab.start(analysis=AnalysisConfig(server.url), block_at="MeasurementTaken#1")
        first.wait_blocked()
        assert [entry["phase"] for entry in lab.entries(event="MeasurementTaken")] == ["Successful"]
        process = server._process  # the harness stops Prometheus gracefully; this fault is a SIGKILL
        assert process is not None
        killed = time.monotonic()
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
        first.release()
        assert first.wait_exit() == 0, first.log()
    assert_ended_in_error(lab, 2)
    return killed


def assert_ended_in_error(lab: Lab, errors: int) -> None:
    """The analysis ended in Error after `errors` Error measurements, and that aborted the rollout."""
    phases = [entry["phase"] for entry in lab.entries(event="MeasurementTaken")]
    assert phases[-errors:] == ["Error"] * errors, phases
    record = lab.record()
    assert record is not None
    assert "assessed Error due to consecutiveErrors" in record["abort_message"], record["abort_message"]


CASES = [
    Case("prometheus killed mid-rollout", prometheus_killed, ROLLED_BACK),
    *(Case(f"prometheus {mode}", misbehaving(mode), ROLLED_BACK) for mode in TIMEOUTS),
]
