"""Unit-test an analysis as plain code: a fake clock and scripted metric values, no real time or services.

Run: python examples/scripted_analysis.py
"""

from __future__ import annotations

from canarykit import AnalysisResult, AnalysisRun, Metric
from canarykit.testing import FakeClock, ScriptedProvider


def judge(values: list[list[float]]) -> AnalysisResult:
    """The reference success-rate metric (every 10 s, failureLimit 3) over scripted values."""
    metric = Metric(
        "success-rate",
        ScriptedProvider(values),
        interval="10s",
        failure_limit=3,
        success_condition="result[0] > 0.90",
    )
    return AnalysisRun([metric], clock=FakeClock()).run(duration="2m")


def main() -> None:
    healthy = judge([[0.97]])
    failing = judge([[0.97], [0.85]])
    print(f"healthy: {healthy.phase.value}: {healthy.message}")
    print(f"failing: {failing.phase.value}: {failing.message}")


if __name__ == "__main__":
    main()
