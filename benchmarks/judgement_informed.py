"""The history-informed judge (issue #17), for `benchmarks/judgement.py`.

Stable's history: `HISTORY` s (1 h) before the canary at its base rate (0.5 %), and a day (`LONG_HISTORY`)
to show what a longer window buys. The judge is `HistoryInformedTest` with the recommended zone (pass 1,
fail 2); `tolerance` is the same test with the tight tolerance (`max_ratio` 1.05). False rollbacks of
healthy canaries (the canary follows stable's live rate) with stable steady or drifting ±50 %; detection
of 2x and 10x regressions against Wald's SPRT with both rates known, on the same runs; and the reference
plan as gates (up to twice the plan) with the history-informed test driving them.
"""

from __future__ import annotations

from dataclasses import dataclass

from canarykit.judges.gated_simulation import GatedSummary, gates, run_many_gated_informed, summarize_gated
from canarykit.judges.history_simulation import (
    HISTORY_SECONDS,
    STEADY,
    Drift,
    history_test,
    paired_time_ratio,
    run_cell,
    share_rolled_back,
    sprt_test,
    zone_history_test,
)
from canarykit.judges.simulation import REFERENCE_PLAN, Traffic

RATES = (10.0, 100.0)
LONG_HISTORY = 86_400.0
DRIFTS = (
    STEADY,
    Drift("linear", 0.5),
    Drift("linear", -0.5),
    Drift("step", 0.5, 0.0),
    Drift("step", 0.5, 120.0),
    Drift("step", -0.5, 120.0),
)
ALPHA = 0.01


@dataclass(frozen=True)
class Detection:
    """One regression, stable steady: shares caught and mean times over the SPRT's (runs both caught)."""

    zone: float
    tolerance: float
    sprt: float
    zone_ratio: float
    tolerance_ratio: float
    long_ratio: float
    pairs: int


@dataclass(frozen=True)
class Informed:
    """Everything measured, with the runs per cell."""

    runs: int
    false: dict[tuple[float, Drift], float]
    detection: dict[tuple[float, float], Detection]
    gated: dict[str, GatedSummary]


def detect(rate: float, ratio: float, runs: int) -> Detection:
    """The zone and tolerance tests and the SPRT on the same runs; the zone again with a day of history."""
    traffic = Traffic(rate=rate, ratio=ratio)
    factories = [zone_history_test, history_test, sprt_test(traffic, ratio)]
    zone, tolerance, sprt = run_cell(traffic, STEADY, factories, runs, seed=29)
    long_zone, long_sprt = run_cell(
        traffic, STEADY, factories[::2], runs, seed=29, history_seconds=LONG_HISTORY
    )
    zone_ratio, pairs = paired_time_ratio(zone, sprt)
    return Detection(
        share_rolled_back(zone),
        share_rolled_back(tolerance),
        share_rolled_back(sprt),
        zone_ratio,
        paired_time_ratio(tolerance, sprt)[0],
        paired_time_ratio(long_zone, long_sprt)[0],
        pairs,
    )


def gated(runs: int) -> dict[str, GatedSummary]:
    """The plan as gates driven by the zone history test: 2x and healthy at 10 req/s (2x plan), healthy
    at 100 req/s (max = the pause)."""
    cells = {"10 2x stretch 2": (10.0, 2.0, 2.0), "10 healthy stretch 2": (10.0, 1.0, 2.0)}
    cells |= {"100 healthy stretch 1": (100.0, 1.0, 1.0), "10 2x stretch 2, 1 day": (10.0, 2.0, 2.0)}
    found = {}
    for name, (rate, ratio, stretch) in cells.items():
        seconds = LONG_HISTORY if "day" in name else HISTORY_SECONDS
        outcomes = run_many_gated_informed(
            Traffic(rate=rate, ratio=ratio),
            gates(REFERENCE_PLAN, stretch),
            zone_history_test,
            runs,
            1,
            seconds,
        )
        found[name] = summarize_gated(outcomes)
    return found


def measure(runs: int) -> Informed:
    false = {
        (rate, drift): share_rolled_back(
            run_cell(Traffic(rate=rate), drift, [zone_history_test], runs, 17)[0]
        )
        for rate in RATES
        for drift in DRIFTS
    }
    detection = {(rate, ratio): detect(rate, ratio, runs) for rate in RATES for ratio in (2.0, 10.0)}
    return Informed(runs, false, detection, gated(runs))


def print_informed(found: Informed) -> None:
    print(f"\nstable's history (zone 1, 2; 1 h of history unless said), {found.runs} runs per cell")
    print("  false rollbacks of healthy canaries, stable during the canary:")
    for rate in RATES:
        cells = ", ".join(f"{d.describe()} {found.false[(rate, d)]:.1%}" for d in DRIFTS)
        print(f"    {rate:g} req/s: {cells}")
    print("  regressions, stable steady: caught zone / tolerance / SPRT; mean time over the SPRT's")
    for (rate, ratio), d in found.detection.items():
        print(
            f"    {rate:g} req/s {ratio:g}x: {d.zone:.1%} / {d.tolerance:.1%} / {d.sprt:.1%}; zone "
            f"{d.zone_ratio:.2f} (n={d.pairs}), tolerance {d.tolerance_ratio:.2f}, zone with 1 day "
            f"{d.long_ratio:.2f}"
        )
    print("  the plan as gates driven by the history-informed zone test:")
    for name, s in found.gated.items():
        median = "-" if s.median_promotion is None else f"{s.median_promotion:.0f} s"
        print(f"    {name}: promoted {s.promoted:.1%} (median {median}), rolled back {s.rolled_back:.2%}")


def informed_goals(found: Informed, sprt_extended: float) -> list[tuple[str, bool]]:
    """The history goals: detection time, false rollbacks steady and drifting, the extended-plan share."""
    runs = f"{found.runs} runs per cell"
    worst = max(d.zone_ratio for d in found.detection.values())
    false = max(found.false.values())
    caught = found.gated["10 2x stretch 2"].rolled_back
    share = caught / sprt_extended if sprt_extended else 0.0
    day = found.gated["10 2x stretch 2, 1 day"].rolled_back / sprt_extended if sprt_extended else 0.0
    return [
        (
            f"history-informed detection time within 1.3x of the SPRT, stable steady "
            f"(worst {worst:.2f}x; {runs})",
            worst <= 1.3,
        ),
        (
            f"history-informed false rollbacks <= 1 %, steady and drifting +-50 % "
            f"(worst {false:.1%}; {runs})",
            false <= ALPHA,
        ),
        (
            f"at 10 req/s, gates up to 2x the plan, history-informed: 2x caught {caught:.1%}, ratio to the "
            f"SPRT's {share:.2f} (aim >= 0.8; with a day of history {day:.2f}; {runs})",
            share >= 0.8,
        ),
    ]
