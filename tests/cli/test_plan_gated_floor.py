"""`canarykit plan` on gated steps simulates a judge's own test, `min_difference` (its floor) included."""

from __future__ import annotations

from canarykit.cli import plan_analysis, plan_gated
from canarykit.cli.plan_detection import TrafficModel
from canarykit.judges import ErrorRateComparison
from canarykit.rollout.analyses import BackgroundAnalysis
from canarykit.steps import Gate, SetWeight

UNUSED = "http://127.0.0.1:9"  # planning reads the judges' settings and never queries
STEPS = (SetWeight(50), Gate("4m"), SetWeight(80), Gate("4m"))
NO_ERRORS = [TrafficModel(100, 0.0, 2.0)]  # a service with no errors at all


def plan(min_difference: float) -> list[str]:
    errors = ErrorRateComparison(
        UNUSED, "shop", pass_ratio=1.0, fail_ratio=2.0, min_difference=min_difference
    )
    analyses = plan_analysis.of_python(STEPS, BackgroundAnalysis([errors.template()]))
    return plan_gated.render(STEPS, analyses, NO_ERRORS, runs=50)


def healthy_cells(lines: list[str]) -> list[str]:
    row = next(line for line in lines if line.strip().startswith("100 "))
    return [cell.strip() for cell in row.split("  ") if cell.strip()][1:3]


def test_the_floor_is_simulated_so_a_service_without_errors_is_shown_cleared() -> None:
    floored, unfloored = plan(0.001), plan(0.0)
    assert floored[1].endswith(", every 10s, min difference 0.001")  # no "not modelled" note
    # 7,855 error-free canary requests clear the floor: at 50 req/s, the look at 160 s of the first 4m gate
    assert healthy_cells(floored) == ["2m40s", "100%"]
    assert healthy_cells(unfloored) == ["8m", "0%"]  # nothing to split: every gate ends at its max
