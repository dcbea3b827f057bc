"""FloorClearance: a canary credibly below `min_difference` is cleared without bad events; its bound."""

from __future__ import annotations

import bisect
import math
import random

import pytest

from canarykit.errors import SpecError
from canarykit.judges.floor import FloorClearance
from canarykit.judges.sequential import SequentialSplitTest

FLOOR = 0.001
CANARIES = 1000


def test_a_canary_with_no_bad_events_is_cleared_after_the_computed_request_count() -> None:
    # With no bad event in n requests each log ratio is n·(ln(1-q) - ln(1-d)); for d = 0.001 and q in
    # {0, d/4, d/2}: n·0.00100050, n·0.00075047, n·0.00050038. Clearing at beta 0.001 needs their mean of
    # exps to reach 1000. n = 7854: (2586.16 + 362.92 + 50.90)/3 = 999.995, short;
    #                    n = 7855: (2588.75 + 363.19 + 50.93)/3 = 1000.96, cleared.
    # (The q = 0 term alone would need (ln 1000 + ln 3)/0.0010005 = 8,002 requests; the others help.)
    test = FloorClearance(FLOOR, 0.001)
    test.update(7854, 0)
    assert not test.cleared and test.e_value == pytest.approx(999.995, abs=0.001)
    test.update(1, 0)
    assert test.cleared and (test.requests, test.bad) == (7855, 0)
    assert test.e_value == pytest.approx(1000.957, abs=0.001)


def test_bad_events_slow_clearing_and_a_canary_at_the_floor_is_not_cleared() -> None:
    one = FloorClearance(FLOOR, 0.001)
    one.update(12_401, 1)  # the q = 0 alternative is ruled out: d/4 and d/2 need 12,402 requests
    assert not one.cleared and math.isfinite(one.log_e())
    one.update(1, 0)
    assert one.cleared
    at_floor = FloorClearance(FLOOR, 0.001)
    at_floor.update(100_000, 100)
    assert at_floor.log_e() < 0 and not at_floor.cleared


def test_counts_are_rounded_per_interval_and_bad_events_never_exceed_requests() -> None:
    test = FloorClearance(FLOOR, 0.01)
    test.update(0.6, 0.4)
    test.update(2.4, 9)
    assert (test.requests, test.bad) == (3, 2)


@pytest.mark.parametrize(
    ("floor", "beta"), [(0.0, 0.01), (1.0, 0.01), (math.nan, 0.01), (True, 0.01), (FLOOR, 0.0), (FLOOR, 1.5)]
)
def test_a_floor_or_beta_outside_zero_to_one_is_refused(floor: float, beta: float) -> None:
    with pytest.raises(SpecError, match="between 0 and 1"):
        FloorClearance(floor, beta)


@pytest.mark.parametrize("difference", [1.0, math.nan])
def test_the_split_test_refuses_a_min_difference_no_floor_can_clear(difference: float) -> None:
    with pytest.raises(SpecError, match="min_difference"):
        SequentialSplitTest(min_difference=difference)


def bad_positions(rng: random.Random, rate: float, total: int) -> list[int]:
    """Which of `total` requests are bad, each independently with probability `rate` (geometric gaps)."""
    positions, at, log_keep = [], 0, math.log1p(-rate)
    while (at := at + int(math.log(1.0 - rng.random()) / log_keep) + 1) <= total:
        positions.append(at)
    return positions


@pytest.mark.parametrize(("rps", "seconds"), [(10, 1800), (100, 1200)])
def test_canaries_at_exactly_the_floor_are_cleared_at_most_beta_of_the_time(rps: int, seconds: int) -> None:
    # 1,000 canaries whose requests are each bad with probability exactly d, looked at every 10 s. Measured
    # (seed 17): 1 and 0 cleared at beta 0.001 (the floor's share of beta 0.01); 6.8 % and 8.4 % at 0.1.
    rng, per, looks = random.Random(17), rps * 10, seconds // 10
    strict, loose = math.log(1 / 0.001), math.log(1 / 0.1)
    cleared = {strict: 0, loose: 0}
    for _ in range(CANARIES):
        test, seen, best = FloorClearance(FLOOR, 0.1), 0, -math.inf
        positions = bad_positions(rng, FLOOR, per * looks)
        for look in range(1, looks + 1):
            upto = bisect.bisect_right(positions, look * per)
            test.update(per, upto - seen)
            seen, best = upto, max(best, test.log_e())
        cleared = {level: count + (best >= level) for level, count in cleared.items()}
    assert cleared[strict] / CANARIES <= 0.002  # bound 0.001: about 1 expected at most
    assert 0.02 < cleared[loose] / CANARIES <= 0.1  # Ville's bound, nearly reached
