"""`under_policy`: the low-traffic policy on the planner's estimates (min_requests, max_wait, otherwise)."""

from __future__ import annotations

import math

import pytest

from canarykit.judges import LowTraffic
from canarykit.judges.planning import Detection, over_plan, under_policy

DETECTION = Detection(100.0, 0.005, 2.0, max_ratio=1.5)
HELD = [(20.0, math.inf)]  # 20 req/s of canary traffic


def test_no_policy_is_the_plain_estimate() -> None:
    assert under_policy(DETECTION, HELD, None) == (over_plan(DETECTION, HELD), "")


def test_enough_requests_soon_leave_the_estimate_as_it_is() -> None:
    estimate, note = under_policy(DETECTION, HELD, LowTraffic(min_requests=200))  # 10 s of canary traffic
    assert (estimate, note) == (over_plan(DETECTION, HELD), "")


def test_a_verdict_waits_for_min_requests() -> None:
    plain = over_plan(DETECTION, HELD)
    assert plain.catch is not None and plain.catch < 40_000 / 20
    estimate, _ = under_policy(DETECTION, HELD, LowTraffic(min_requests=40_000, max_wait="1h"))
    assert estimate.catch == pytest.approx(2000.0)  # 40,000 canary requests at 20 req/s


def test_settling_clears_a_healthy_canary_at_min_requests() -> None:
    estimate, _ = under_policy(DETECTION, HELD, LowTraffic(min_requests=600), settle=True)
    assert estimate.clear == pytest.approx(30.0)


@pytest.mark.parametrize(
    ("otherwise", "catch", "clear"), [("pause", None, None), ("pass", None, 60.0), ("fail", 60.0, None)]
)
def test_too_few_requests_by_max_wait_take_the_policy_outcome(
    otherwise: str, catch: float | None, clear: float | None
) -> None:
    policy = LowTraffic(min_requests=100_000, max_wait="1m", otherwise=otherwise)  # type: ignore[arg-type]
    estimate, note = under_policy(Detection(100.0, 0.005, 2.0), HELD, policy)
    assert (estimate.catch, estimate.clear) == (catch, clear)
    assert note == f"fewer than 100000 canary requests after 1m: {otherwise}"


def test_a_plan_shorter_than_max_wait_never_reaches_the_policy() -> None:
    estimate, note = under_policy(DETECTION, [(20.0, 30.0)], LowTraffic(min_requests=100_000, max_wait="1m"))
    assert (estimate.catch, estimate.clear) == (None, None)
    assert note == "fewer than 100000 canary requests within the plan"
