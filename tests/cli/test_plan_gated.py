"""`canarykit plan` for gated plans: per traffic level, simulated promotion and catch, said plainly."""

from __future__ import annotations

import pytest

from canarykit.cli import plan_analysis, plan_gated
from canarykit.cli.main import EXIT_OK, EXIT_USAGE, main
from canarykit.cli.plan_detection import TrafficModel
from canarykit.judges import ErrorRateComparison
from canarykit.rollout.analyses import BackgroundAnalysis
from canarykit.steps import Gate, SetWeight
from canarykit.steps.gates import OnTimeout

UNUSED = "http://127.0.0.1:9"  # planning reads the judges' settings and never queries
MODEL = ["--baseline-error", "0.5%", "--detect", "2"]
GATED = [
    "plan",
    "--preset",
    "nginx-canary",
    "--gated",
    "--gate-max",
    "4m",
    "--pass-ratio",
    "1",
    "--fail-ratio",
    "2",
]


def test_the_gated_preset_at_two_traffic_levels(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*GATED, "--traffic", "10,100", *MODEL]) == EXIT_OK
    lines = capsys.readouterr().out.splitlines()
    assert "total: at most 16m (gates end once the judges clear the canary), then 100%" in lines
    header = next(line for line in lines if line.startswith("gated plan"))
    assert "400 runs per cell (seed 17)" in header and "error-rate-comparison, latency-comparison" in header
    start = lines.index(next(line for line in lines if line.startswith("  req/s")))
    slow, fast = lines[start + 1].split("  "), lines[start + 2]
    assert slow[1] == "10" and fast.startswith("  100")
    assert "not within 16m" in lines[start + 1]  # at 10 req/s under half of 2x regressions are caught
    plain = lines[start + 3 :]
    assert plain[0].startswith(
        "  at 10 req/s a healthy canary is not cleared within the plan's 16m: promoted on timeouts ("
    )
    assert plain[1].startswith("  at 10 req/s 2x caught in ") and "of runs within 16m; the rest " in plain[1]
    assert len(plain) == 2  # at 100 req/s the plan decides: nothing to say plainly


def tally_line(lines: list[str], traffic: str) -> list[str]:
    row = next(line for line in lines if line.strip().startswith(traffic + " "))
    return [cell for cell in row.split("  ") if cell.strip()]


def plan_lines(on_timeout: OnTimeout, runs: int = 200, **zone: float) -> list[str]:
    errors = ErrorRateComparison(UNUSED, "shop", **zone)  # type: ignore[arg-type]
    steps = (
        SetWeight(20),
        Gate("2m", on_timeout=on_timeout),
        SetWeight(50),
        Gate("2m", on_timeout=on_timeout),
    )
    analyses = plan_analysis.of_python(steps, BackgroundAnalysis([errors.template()]))
    models = [TrafficModel(100, 0.005, 2.0)]
    return plan_gated.render(steps, analyses, models, runs=runs)


def test_a_zone_clears_a_healthy_canary_early_and_catches_2x() -> None:
    row = tally_line(plan_lines("promote", pass_ratio=1.0, fail_ratio=2.0), "100")
    median, cleared, caught = row[1], float(row[2].rstrip("%")), float(row[4].rstrip("%"))
    assert median.startswith("3m") and cleared >= 50 and caught >= 80  # measured: 3m25s, 66 %, 80 %


def test_a_tight_tolerance_never_clears_and_a_pausing_gate_is_named() -> None:
    lines = plan_lines("pause")
    assert tally_line(lines, "100")[1] == "not within 4m"  # paused runs are never promoted by the plan
    assert lines[-2].startswith(
        "  at 100 req/s a healthy canary is not cleared within the plan's 4m: paused at a timed-out gate "
        "until promoted ("
    )


def test_the_simulation_is_seeded() -> None:
    assert plan_lines("rollback", runs=50) == plan_lines("rollback", runs=50)
    assert "rolled back by a timed-out gate, undecided" in " ".join(plan_lines("rollback", runs=50))


def test_a_gate_without_a_judge_runs_to_its_max() -> None:
    steps = (SetWeight(20), Gate("2m"))
    lines = plan_gated.render(steps, [], [TrafficModel(100, 0.005, 2.0)])
    assert lines == ["gated plan: no judge in the background analysis, so every gate runs to its max"]


def test_judges_that_start_late_leave_the_earlier_gates_to_time_out() -> None:
    errors = ErrorRateComparison(UNUSED, "shop", pass_ratio=1.0, fail_ratio=2.0)
    steps = (SetWeight(20), Gate("2m"), SetWeight(50), Gate("4m"))
    analyses = plan_analysis.of_python(steps, BackgroundAnalysis([errors.template()], starting_step=2))
    lines = plan_gated.render(steps, analyses, [TrafficModel(100, 0.005, 2.0)], runs=100)
    median = tally_line(lines, "100")[1]
    assert median.startswith("4m") or median.startswith("5m")  # 2m untouched, then cleared at 50 %


def test_several_traffic_levels_on_a_fixed_plan_give_one_block_each(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert (
        main(["plan", "--preset", "nginx-canary", "--traffic", "10", "--traffic", "100", *MODEL]) == EXIT_OK
    )
    out = capsys.readouterr().out
    assert out.count("detection model: 10 req/s") == 1 and out.count("detection model: 100 req/s") == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--gated", "-f", "x.yaml"], "--gated and --gate-max plan the preset with gates"),
        (
            ["--preset", "nginx-canary", "--gate-max", "4m"],
            "--gate-max sets the preset's gates' max: add --gated",
        ),
        (["--preset", "nginx-canary", "--pass-ratio", "1"], "pass_ratio and fail_ratio go together"),
        (
            ["-f", "x.yaml", "--pass-ratio", "1", "--fail-ratio", "2"],
            "--pass-ratio and --fail-ratio set the zone",
        ),
        (["--preset", "nginx-canary", "--history", "1h"], "--history models the judges' detection"),
        (["--preset", "nginx-canary", "--traffic", "10", *MODEL, "--history", "1h"], "gated plans only"),
        (["--preset", "nginx-canary", "--traffic", "10,x", *MODEL], "not a number or a comma-separated list"),
        (["--preset", "nginx-canary", "--gated", "--gate-max", "soon"], "Gate.max"),
    ],
)
def test_bad_flags_are_refused_before_anything_is_printed(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["plan", *args]) == EXIT_USAGE
    captured = capsys.readouterr()
    assert captured.out == "" and message in captured.err
