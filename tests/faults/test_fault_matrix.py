"""The fault matrix against a real nginx and a real Prometheus: every case must end with traffic where it
belongs (the include file, confirmed, and 100 real requests agree), the record in the right phase, and the
weights asked of the router in order (up through the plan, then only down to 0). See fault_matrix.py."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fault_lab import Lab
from fault_matrix import GROUPS
from fault_outcome import Case, check, run_case
from reference_history import ReferencePrometheus
from state_faults import CannotRunHere

from canarykit.local.demo_app import DemoApp


@pytest.fixture
def lab(tmp_path: Path, demo_apps: tuple[DemoApp, DemoApp], prometheus: ReferencePrometheus) -> Iterator[Lab]:
    """nginx in front of the demo apps, a state directory and a journal, in `tmp_path`."""
    with Lab(tmp_path, *demo_apps, prometheus.url) as world:
        yield world


def cases(group: str) -> pytest.MarkDecorator:
    return pytest.mark.parametrize("case", GROUPS[group], ids=lambda case: case.name)


def run_and_check(case: Case, lab: Lab) -> None:
    try:
        outcome = run_case(case, lab)
    except CannotRunHere as reason:
        pytest.skip(f"this machine cannot set the fault up: {reason}")
    check(outcome, case.expect)


@cases("prometheus")
def test_a_prometheus_fault_rolls_back_to_stable(case: Case, lab: Lab) -> None:
    run_and_check(case, lab)


@cases("nginx")
def test_an_nginx_fault_leaves_stable_on_disk_and_a_resume_confirms_it(case: Case, lab: Lab) -> None:
    run_and_check(case, lab)


@cases("sigkill")
def test_a_killed_driver_is_resumed_to_the_same_end_in_order(case: Case, lab: Lab) -> None:
    run_and_check(case, lab)


@cases("signals")
def test_a_signalled_driver_leaves_the_abort_on_record_and_traffic_on_stable(case: Case, lab: Lab) -> None:
    run_and_check(case, lab)


@cases("state")
def test_a_state_fault_never_strands_traffic_nor_acts_on_an_untrusted_record(case: Case, lab: Lab) -> None:
    run_and_check(case, lab)
