"""The fault matrix's canary cases repeated for blue-green, against a real nginx serving the active and the
preview upstreams and a real Prometheus: every case ends with the active side where it belongs (include
file, confirmed, 100 real requests), the preview back on stable, the record in the right phase, and the
active side moved only 0 -> 100 -> 0."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fault_lab import Lab
from fault_matrix import BLUE_GREEN_GROUPS
from fault_outcome import Case, check, run_case
from reference_history import ReferencePrometheus

from canarykit.local.demo_app import DemoApp


@pytest.fixture
def lab(tmp_path: Path, demo_apps: tuple[DemoApp, DemoApp], prometheus: ReferencePrometheus) -> Iterator[Lab]:
    """nginx with a preview listener in front of the demo apps, a state directory and a journal."""
    with Lab(tmp_path, *demo_apps, prometheus.url, preview=True) as world:
        yield world


def cases(group: str) -> pytest.MarkDecorator:
    return pytest.mark.parametrize("case", BLUE_GREEN_GROUPS[group], ids=lambda case: case.name)


def run_and_check(case: Case, lab: Lab) -> None:
    check(run_case(case, lab), case.expect)


@cases("sigkill")
def test_a_killed_blue_green_driver_is_resumed_to_the_same_end_in_order(case: Case, lab: Lab) -> None:
    run_and_check(case, lab)


@cases("signals")
def test_a_signalled_blue_green_driver_switches_back_with_the_abort_on_record(case: Case, lab: Lab) -> None:
    run_and_check(case, lab)


@cases("nginx")
def test_an_nginx_fault_never_moves_the_active_side_off_stable_for_good(case: Case, lab: Lab) -> None:
    run_and_check(case, lab)


@cases("prometheus")
def test_a_failing_post_promotion_analysis_switches_back_in_one_reload(case: Case, lab: Lab) -> None:
    run_and_check(case, lab)
