"""The history-informed judge on the reference plan: false rollbacks with stable steady or drifting ±50 %,
and detection time of 2x and 10x regressions against the known-rate SPRT. Prints figures, never asserts.

    .venv/bin/python benchmarks/judgement_history.py [--runs 1000]
"""

from __future__ import annotations

import argparse

from canarykit.judges.history_simulation import (
    STEADY,
    Drift,
    history_test,
    paired_time_ratio,
    run_cell,
    share_rolled_back,
    split_test,
    sprt_test,
)
from canarykit.judges.simulation import Traffic

DRIFTS = [
    STEADY,
    Drift("linear", 0.5),
    Drift("linear", -0.5),
    Drift("step", 0.5, 0.0),
    Drift("step", 0.5, 120.0),
    Drift("step", -0.5, 120.0),
]


def false_rollbacks(runs: int) -> None:
    print(
        f"False rollbacks of healthy canaries (the canary follows stable's live rate), {runs} runs per cell"
    )
    print("| req/s | stable | history-informed | same-window split |")
    print("|---|---|---|---|")
    for rate in (10.0, 100.0):
        for drift in DRIFTS:
            informed, plain = run_cell(Traffic(rate=rate), drift, [history_test, split_test], runs, seed=17)
            shares = f"{share_rolled_back(informed):.1%} | {share_rolled_back(plain):.1%}"
            print(f"| {rate:g} | {drift.describe()} | {shares} |")


def detection(runs: int) -> None:
    print(
        f"\nRegressions, stable steady, {runs} runs per cell: share caught, mean time over the SPRT's"
        " (on runs both caught)"
    )
    print(
        "| req/s | regression | history caught | split caught | SPRT caught | history / SPRT time"
        " | split / SPRT time |"
    )
    print("|---|---|---|---|---|---|---|")
    for rate in (10.0, 100.0):
        for ratio in (2.0, 10.0):
            traffic = Traffic(rate=rate, ratio=ratio)
            factories = [history_test, split_test, sprt_test(traffic, ratio)]
            informed, plain, sprt = run_cell(traffic, STEADY, factories, runs, seed=29)
            (ours, pairs), (theirs, split_pairs) = (
                paired_time_ratio(informed, sprt),
                paired_time_ratio(plain, sprt),
            )
            caught = " | ".join(f"{share_rolled_back(times):.1%}" for times in (informed, plain, sprt))
            times = f"{ours:.2f} (n={pairs}) | {theirs:.2f} (n={split_pairs})"
            print(f"| {rate:g} | {ratio:g}x | {caught} | {times} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=1000)
    runs = parser.parse_args().runs
    false_rollbacks(runs)
    detection(runs)


if __name__ == "__main__":
    main()
