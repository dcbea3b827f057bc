"""Every case of the fault matrix, in the order the suite runs them (the benchmark runs them all)."""

from __future__ import annotations

import cases_bluegreen_analysis
import cases_bluegreen_crash
import cases_bluegreen_nginx
import cases_bluegreen_signals
import cases_crash
import cases_nginx
import cases_prometheus
import cases_signals
import cases_state
from fault_outcome import Case

GROUPS: dict[str, list[Case]] = {
    "prometheus": cases_prometheus.CASES,
    "nginx": cases_nginx.CASES,
    "sigkill": cases_crash.CASES,
    "signals": cases_signals.CASES,
    "state": cases_state.CASES,
}
BLUE_GREEN_GROUPS: dict[str, list[Case]] = {
    "sigkill": cases_bluegreen_crash.CASES,
    "signals": cases_bluegreen_signals.CASES,
    "nginx": cases_bluegreen_nginx.CASES,
    "prometheus": cases_bluegreen_analysis.CASES,
}
"""The canary groups' faults repeated for blue-green (a `Lab` with `preview=True`)."""
ALL: list[Case] = [case for cases in GROUPS.values() for case in cases]
