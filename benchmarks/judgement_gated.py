"""Evidence-gated steps and the indifference zone (issue #17), for `benchmarks/judgement.py`.

The reference plan (20/40/60/80 %, 2 min each, stable at 0.5 % errors, 10 s scrapes) becomes gates: each
weight holds at least `HOLD` s (one scrape), and at most its pause (`max = the pause`, so an undecided
canary takes the fixed plan's 8 minutes) or twice it (`stretch 2`, 16 minutes); an undecided gate then
goes on (`on_timeout="promote"`). One cumulative test drives the gates from the canary's first traffic:
`SequentialSplitTest` with the recommended zone (pass 1, fail 2), or Wald's SPRT with both rates known
(`KnownRateSPRT`, ratio 1 against 2) as the limit. Each run draws its own traffic along its own path.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from canarykit.judges.gated_simulation import GatedSummary, gates, run_many_gated, summarize_gated
from canarykit.judges.oracles import KnownRateSPRT, split_oracle
from canarykit.judges.sequential import FAIL_RATIO, PASS_RATIO, SequentialSplitTest
from canarykit.judges.simulation import REFERENCE_PLAN, SplitTest, Traffic

HOLD = 10.0
STABLE_ERROR = 0.005
ALPHA = 0.01


@dataclass(frozen=True)
class Cell:
    """One simulated configuration: traffic, regression, how far gates may extend, the test."""

    rate: float
    ratio: float
    stretch: float
    method: str


def zone() -> SplitTest:
    return SequentialSplitTest(alpha=ALPHA, pass_ratio=PASS_RATIO, fail_ratio=FAIL_RATIO)


def sprt() -> SplitTest:
    return KnownRateSPRT(STABLE_ERROR, FAIL_RATIO, ALPHA)


def split() -> SplitTest:
    return split_oracle(FAIL_RATIO, ALPHA)


METHODS: dict[str, Callable[[], SplitTest]] = {"zone": zone, "sprt": sprt, "split": split}
CELLS = (
    Cell(100.0, 1.0, 1, "zone"),
    Cell(100.0, 1.0, 2, "zone"),
    Cell(10.0, 1.0, 1, "zone"),
    Cell(10.0, 1.0, 2, "zone"),
    Cell(100.0, 1.5, 1, "zone"),
    Cell(100.0, 2.0, 1, "zone"),
    Cell(100.0, 2.0, 1, "sprt"),
    Cell(10.0, 2.0, 1, "zone"),
    Cell(10.0, 2.0, 2, "zone"),
    Cell(10.0, 2.0, 2, "split"),
    Cell(10.0, 2.0, 2, "sprt"),
)


def run_cells(runs: int, seed: int) -> dict[Cell, GatedSummary]:
    """Every cell over `runs` gated rollouts (the same seed for every cell)."""
    results: dict[Cell, GatedSummary] = {}
    for cell in CELLS:
        traffic = Traffic(rate=cell.rate, stable_error=STABLE_ERROR, ratio=cell.ratio)
        steps = gates(REFERENCE_PLAN, cell.stretch, HOLD)
        results[cell] = summarize_gated(run_many_gated(traffic, steps, METHODS[cell.method], runs, seed))
    return results


def print_cells(results: dict[Cell, GatedSummary]) -> None:
    print(
        f"\nevidence-gated steps: reference plan as gates (min {HOLD:g} s, max = pause x stretch, then "
        f"promote)\n  zone: pass {PASS_RATIO:g}, fail {FAIL_RATIO:g}, alpha = beta = {ALPHA:g}; sprt: both "
        "rates known; split: the same-window split told the size (ratio 1 against 2)"
    )
    print("  req/s  case     stretch  method   runs  promoted  rolled back  median promotion  mean rollback")
    for cell, s in results.items():
        label = "healthy" if cell.ratio == 1 else f"{cell.ratio:g}x"
        promote = "-" if s.median_promotion is None else f"{s.median_promotion:.0f} s"
        rollback = "-" if s.mean_rollback is None else f"{s.mean_rollback:.0f} s"
        print(
            f"  {cell.rate:5g}  {label:<8} {cell.stretch:7g}  {cell.method:<6} {s.runs:5d}  "
            f"{s.promoted:8.1%}  {s.rolled_back:11.2%}  {promote:>16}  {rollback:>13}"
        )


def gated_goals(results: dict[Cell, GatedSummary]) -> list[tuple[str, bool]]:
    """The issue's goals for gates and the zone, with the measured figures."""
    plan = REFERENCE_PLAN.length
    median = results[Cell(100.0, 1.0, 1, "zone")].median_promotion or plan
    false = max(
        results[Cell(rate, 1.0, stretch, "zone")].rolled_back for rate in (10.0, 100.0) for stretch in (1, 2)
    )
    power = results[Cell(100.0, 2.0, 1, "zone")].rolled_back
    low, limit = (
        results[Cell(10.0, 2.0, 2, "zone")].rolled_back,
        results[Cell(10.0, 2.0, 2, "sprt")].rolled_back,
    )
    share = low / limit if limit else 0.0
    floor = results[Cell(10.0, 2.0, 2, "split")].rolled_back / limit if limit else 0.0
    return [
        (
            f"healthy at 100 req/s promoted in a median <= 50 % of the plan "
            f"({median:.0f} s = {median / plan:.0%})",
            median <= plan / 2,
        ),
        (
            f"false rollbacks <= 1 % at 10 and 100 req/s, max = pause and 2x pause (worst {false:.2%})",
            false <= ALPHA,
        ),
        (f">= 95 % of 2x regressions caught at 100 req/s through gates ({power:.1%})", power >= 0.95),
        (
            f"at 10 req/s, gates up to 2x the plan: 2x caught {low:.1%}, known-rate SPRT {limit:.1%}, "
            f"ratio {share:.2f} (aim >= 0.8; the same-window split oracle's: {floor:.2f})",
            share >= 0.8,
        ),
    ]
