"""Argo's analysis controller tests as vectors: metric and run assessment, scheduling, terminate, dry-run."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest
from conformance_metrics import TALLY_FIELDS, build_metric, measurements_of, scripted_metric, tally_of
from conformance_templates import load_template
from conformance_vectors import Vector, check_refused, check_text, params

from canarykit.analysis import AnalysisRun, Phase
from canarykit.analysis.assess import MetricState, assess_metric, assess_run, limit_breach
from canarykit.errors import SpecError
from canarykit.testing import FakeClock

START = 1_700_000_000.0
BLOCKING = ("Failed", "Error", "Inconclusive")


@pytest.mark.parametrize("vector", params("analysis", "metric_status"))
def test_assess_metric_status(vector: Vector) -> None:
    data = vector.data
    result = data["result"]
    metric = build_metric(data["metric"])
    phase = assess_metric(metric, tally_of(result), measurements_of(result), data["terminating"])
    assert phase.value == vector.expect["phase"]


@pytest.mark.parametrize("vector", params("analysis", "limits"))
def test_limit_breach(vector: Vector) -> None:
    breach = limit_breach(build_metric(vector.data["metric"]), tally_of(vector.data["result"]))
    assert breach is not None, f"no limit crossed; Argo: {vector.expect}"
    assert breach.phase.value == vector.expect["phase"]
    check_text(breach.message, vector.expect)


@pytest.mark.parametrize("vector", params("analysis", "run_status"))
def test_assess_run_status(vector: Vector) -> None:
    """What assessRunStatus does: re-assess unfinished metrics, then the run, from the Go fixture's state."""
    specs: list[dict[str, Any]] = vector.data["metrics"]
    terminate = bool(vector.data.get("terminate", False))
    terminating = terminate or any(s.get("phase") in BLOCKING and not s.get("dryRun") for s in specs)
    states = [_state(spec, terminating) for spec in specs]
    phase, message = assess_run(states, terminating, terminate)
    assert phase.value == vector.expect["phase"]
    check_text(message, vector.expect)
    for name, expected in vector.expect.get("metric_phases", {}).items():
        state = next(state for state in states if state.metric.name == name)
        assert state.phase.value == expected, name


def _state(spec: Mapping[str, Any], terminating: bool) -> MetricState:
    metric = build_metric(spec)
    result = spec.get("result", {})
    tally, measurements = tally_of(result), measurements_of(result)
    phase = Phase(spec.get("phase", "Pending"))
    if not phase.completed:
        phase = assess_metric(metric, tally, measurements, terminating)
    return MetricState(metric, phase, tally, spec.get("message", ""), "phase" in spec)


@pytest.mark.parametrize("vector", params("analysis", "run"))
def test_analysis_run(vector: Vector) -> None:
    clock = FakeClock(START)
    run = AnalysisRun([scripted_metric(spec) for spec in vector.data["metrics"]], clock=clock)
    for step in vector.data.get("steps", [{"at": 0}]):
        clock.set(START + step["at"])
        next_due = run.advance()
        _check_step(run, next_due, step.get("expect", {}), step["at"])
    if "terminate_at" in vector.data:
        clock.set(START + vector.data["terminate_at"])
        run.terminate()
    _check_run(run, vector.expect)


def _check_step(run: AnalysisRun, next_due: float | None, expect: Mapping[str, Any], at: float) -> None:
    result = run.result()
    for name, count in expect.get("measurements", {}).items():
        assert len(result.metric(name).measurements) == count, f"{name} at {at}s"
    if "next_due" in expect:
        due = None if next_due is None else next_due - START
        assert due == expect["next_due"], f"next measurement at {due}s (after {at}s)"


def _check_run(run: AnalysisRun, expect: Mapping[str, Any]) -> None:
    result = run.result()
    if "phase" in expect:
        assert result.phase.value == expect["phase"], result.message
    check_text(result.message, dict(expect))
    for name, phase in expect.get("metric_phases", {}).items():
        assert result.metric(name).phase.value == phase, name
    for name, message in expect.get("metric_messages", {}).items():
        assert result.metric(name).message == message, name
    for name, phases in expect.get("measurements", {}).items():
        assert [m.phase.value for m in result.metric(name).measurements] == phases, name
    for name, counters in expect.get("tally", {}).items():
        tally = result.metric(name).tally
        for counter, value in counters.items():
            assert getattr(tally, TALLY_FIELDS[counter]) == value, f"{name}.{counter}"


@pytest.mark.parametrize("vector", params("analysis", "template"))
def test_run_preconditions(vector: Vector) -> None:
    with pytest.raises(SpecError) as refused:
        load_template(vector.data["template"]).metrics(
            vector.data.get("args"), prometheus="http://127.0.0.1:9"
        )
    check_refused(refused.value, vector.expect)
