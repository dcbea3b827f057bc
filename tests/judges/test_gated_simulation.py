"""Evidence-gated plans simulated: how gates end (cleared, failed, timed out) and what each run reports."""

from __future__ import annotations

import math
import random

import pytest

from canarykit.errors import SpecError
from canarykit.judges.gated_simulation import (
    GatedOutcome,
    GatedStep,
    gates,
    run_gated,
    run_many_gated,
    run_many_gated_informed,
    summarize_gated,
)
from canarykit.judges.history_simulation import zone_history_test
from canarykit.judges.oracles import KnownRateSPRT, sprt_judge
from canarykit.judges.sequential import SequentialSplitTest
from canarykit.judges.simulation import REFERENCE_PLAN, Traffic, run_judge, simulate


def zone() -> SequentialSplitTest:
    return SequentialSplitTest(pass_ratio=1.0, fail_ratio=2.0)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"weight": 120, "max": 60}, "between 0 and 100"),
        ({"weight": 20, "max": 60, "min": 90}, "0 <= min <= max"),
        ({"weight": 20, "max": 60, "min": -1}, "0 <= min <= max"),
        ({"weight": 20, "max": 60, "on_timeout": "abort"}, "on_timeout must be one of"),
    ],
)
def test_bad_gates_are_refused(options: dict[str, object], message: str) -> None:
    with pytest.raises(SpecError, match=message):
        GatedStep(**options)  # type: ignore[arg-type]


def test_the_reference_plan_as_gates() -> None:
    assert gates() == tuple(GatedStep(w, 120.0, 10.0) for w in (20, 40, 60, 80))
    assert gates(stretch=2, hold=0) == tuple(GatedStep(w, 240.0, 0.0) for w in (20, 40, 60, 80))


@pytest.mark.parametrize(("ratio", "seed"), [(1.0, 1), (1.0, 2), (2.0, 3), (2.0, 4), (10.0, 5), (0.3, 6)])
def test_gates_held_their_whole_pause_decide_as_the_fixed_plan(ratio: float, seed: int) -> None:
    traffic = Traffic(rate=100.0, ratio=ratio)
    fixed = run_judge(simulate(traffic, REFERENCE_PLAN, random.Random(seed)), zone())
    pauses = tuple(GatedStep(w, s, s) for w, s in REFERENCE_PLAN.steps)
    gated = run_gated(traffic, pauses, zone(), random.Random(seed))
    assert gated.rolled_back == fixed.rolled_back and gated.failed == fixed.failed
    assert gated.time == (fixed.time if fixed.rolled_back else REFERENCE_PLAN.length)


def test_a_cleared_canary_ends_each_later_gate_after_its_min() -> None:
    outcomes = run_many_gated(Traffic(rate=100.0), gates(hold=30.0), zone, 200, 7)
    cleared = [o for o in outcomes if o.ending == "promoted" and o.cleared_at is not None]
    assert len(cleared) >= 180
    for outcome in cleared:
        assert outcome.cleared_at is not None
        gate = math.ceil(outcome.cleared_at / 120) - 1  # the gates before it timed out at 120 s each
        assert outcome.timeouts == ("promote",) * gate
        ends = max(outcome.cleared_at, 120 * gate + 30)  # cleared, and held its min
        assert outcome.time == ends + 30 * (3 - gate)  # each later gate: its min


def test_with_no_min_a_cleared_canary_is_promoted_at_once() -> None:
    outcomes = run_many_gated(Traffic(rate=100.0), gates(hold=0.0), zone, 100, 8)
    assert all(o.time == o.cleared_at for o in outcomes if o.ending == "promoted" and o.cleared_at)


def test_a_large_regression_is_rolled_back_at_the_first_scrape() -> None:
    outcomes = run_many_gated(Traffic(rate=100.0, ratio=60.0), gates(), zone, 50, 9)
    assert all(o.ending == "rolled back" and o.time == 10.0 and o.cleared_at is None for o in outcomes)


@pytest.mark.parametrize(
    ("action", "ending"), [("promote", "promoted"), ("pause", "paused"), ("rollback", "timed out")]
)
def test_an_undecided_gate_takes_its_timeout_action(action: str, ending: str) -> None:
    steps = tuple(GatedStep(w, 60.0, 10.0, action) for w in (20, 50))  # type: ignore[arg-type]
    outcome = run_gated(Traffic(rate=1.0), steps, zone(), random.Random(10))  # 1 req/s: never decided
    assert outcome.ending == ending and outcome.cleared_at is None and not outcome.rolled_back
    assert outcome.timeouts == ((action,) * 2 if action == "promote" else (action,))
    assert outcome.time == (120.0 if action == "promote" else 60.0)


def test_the_known_rate_sprt_as_a_cumulative_test_matches_the_oracle() -> None:
    for seed, ratio in ((11, 2.0), (12, 2.0), (13, 1.0), (14, 5.0)):
        scrapes = simulate(Traffic(rate=10.0, ratio=ratio), REFERENCE_PLAN, random.Random(seed))
        assert run_judge(scrapes, KnownRateSPRT(0.005, 2.0)) == sprt_judge(0.005, 2.0)(scrapes)


def test_the_known_rate_sprt_drives_gates_and_clears_healthy_canaries() -> None:
    outcomes = run_many_gated(Traffic(rate=100.0), gates(), lambda: KnownRateSPRT(0.005, 2.0), 200, 15)
    summary = summarize_gated(outcomes)
    assert summary.rolled_back <= 0.03 and summary.median_promotion is not None
    assert summary.median_promotion < 240  # it knows both rates: faster than the zone's 210 s


def test_summaries_share_every_run_once() -> None:
    outcomes = [
        GatedOutcome("promoted", 200.0, 1.0, 190.0, ()),
        GatedOutcome("promoted", 480.0, 3.0, None, ("promote",) * 4),
        GatedOutcome("rolled back", 50.0, 2.0, None, ()),
        GatedOutcome("timed out", 120.0, 0.0, None, ("rollback",)),
        GatedOutcome("paused", 120.0, 0.0, None, ("pause",)),
    ]
    summary = summarize_gated(outcomes)
    assert (summary.runs, summary.promoted, summary.rolled_back, summary.timed_out, summary.paused) == (
        5,
        0.4,
        0.2,
        0.2,
        0.2,
    )
    assert (summary.median_promotion, summary.mean_rollback) == (340.0, 50.0)


@pytest.mark.parametrize(("rate", "stretch"), [(10.0, 2.0), (100.0, 1.0)])
def test_gates_driven_by_stable_s_history_rarely_roll_back_a_healthy_canary(
    rate: float, stretch: float
) -> None:
    steps = gates(REFERENCE_PLAN, stretch)
    outcomes = run_many_gated_informed(Traffic(rate=rate), steps, zone_history_test, 1000, seed=1)
    summary = summarize_gated(outcomes)
    assert summary.runs == 1000 and summary.rolled_back <= 0.01
    if rate == 100.0:  # cleared early: 200 s measured, half the plan is 240 s
        assert summary.median_promotion is not None and summary.median_promotion < 240


def test_at_10_requests_per_second_the_history_catches_more_2x_regressions_through_extended_gates() -> None:
    traffic, steps = Traffic(rate=10.0, ratio=2.0), gates(REFERENCE_PLAN, 2.0)
    informed = summarize_gated(run_many_gated_informed(traffic, steps, zone_history_test, 300, seed=1))
    same_window = summarize_gated(run_many_gated(traffic, steps, zone, 300, seed=1))
    assert informed.rolled_back > same_window.rolled_back


def test_history_gated_runs_are_seeded() -> None:
    traffic, steps = Traffic(rate=100.0, ratio=2.0), gates(REFERENCE_PLAN)
    first = run_many_gated_informed(traffic, steps, zone_history_test, 20, seed=5, history_seconds=600)
    assert first == run_many_gated_informed(
        traffic, steps, zone_history_test, 20, seed=5, history_seconds=600
    )
