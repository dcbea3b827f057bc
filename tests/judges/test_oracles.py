"""The benchmark's oracles: judges that know stable's rate, the regression's size, or both."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from functools import partial

import pytest

from canarykit.judges.oracles import known_stable_judge, split_oracle, sprt_judge
from canarykit.judges.simulation import Judge, Outcome, Traffic, run_judge, run_many


def test_every_judge_catches_a_large_regression_at_the_first_scrape() -> None:
    traffic = Traffic(rate=100.0, ratio=60.0)
    judges: list[Judge] = [
        run_judge,
        sprt_judge(traffic.stable_error, traffic.ratio),
        known_stable_judge(traffic.stable_error),
        partial(run_judge, test=split_oracle(traffic.ratio)),
    ]
    for judge in judges:
        outcomes: Sequence[Outcome] = run_many(judge, traffic, 50, 4)
        assert all(o.rolled_back and o.time == 10.0 for o in outcomes)
        assert statistics.mean(o.failed for o in outcomes) == pytest.approx(60, rel=0.1)


def test_the_sprt_accepts_a_healthy_canary() -> None:
    traffic = Traffic(rate=100.0)
    outcomes = run_many(sprt_judge(traffic.stable_error, 2.0), traffic, 200, 5)
    assert sum(o.rolled_back for o in outcomes) <= 6 and all(
        o.time is None for o in outcomes if not o.rolled_back
    )


def test_the_known_stable_judge_holds_alpha_on_healthy_canaries() -> None:
    outcomes = run_many(known_stable_judge(0.005), Traffic(rate=100.0), 400, 6)
    assert sum(o.rolled_back for o in outcomes) <= 8  # alpha 1 %: 4 expected at most, plus sampling error


def mean_time(judge: Judge, traffic: Traffic, runs: int = 300) -> float:
    times = [o.time for o in run_many(judge, traffic, runs, 7) if o.time is not None]
    assert len(times) >= 0.9 * runs
    return statistics.mean(times)


def test_knowing_more_decides_sooner_on_a_2x_regression() -> None:
    """The SPRT knows everything; the known-stable mixture not the size; the same-window judge neither."""
    traffic = Traffic(rate=100.0, ratio=2.0)
    sprt = mean_time(sprt_judge(traffic.stable_error, 2.0), traffic)
    known = mean_time(known_stable_judge(traffic.stable_error), traffic)
    same_window = mean_time(run_judge, traffic)
    assert sprt < known < same_window
