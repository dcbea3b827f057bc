"""canarykit's own metrics, read from the registry of a `RolloutMetrics` watching rollouts on a fake clock."""

from __future__ import annotations

import math
import subprocess

import pytest
from prometheus_client.exposition import generate_latest
from prometheus_client.registry import CollectorRegistry

from canarykit import BackgroundAnalysis, Metric, Rollout
from canarykit.steps import Analysis, Pause, SetWeight, Step
from canarykit.system import find_program
from canarykit.telemetry import RolloutMetrics
from canarykit.telemetry.state import numeric_value
from canarykit.testing import FakeClock, InMemoryRouter, InMemoryWorkload, ScriptedProvider

T0 = 1_700_000_000.0
STEPS: list[Step] = [SetWeight(20), Pause("1m"), SetWeight(60), Pause()]
ROLLOUT = {"namespace": "", "name": "web"}


def _analysis(*values: object) -> BackgroundAnalysis:
    metric = Metric(
        "success-rate",
        ScriptedProvider(list(values)),
        query="q",
        interval="10s",
        failure_limit=1,
        success_condition="result[0] > 0.9",
    )
    return BackgroundAnalysis([metric], starting_step=1)


def _rollout(clock: FakeClock, analysis: BackgroundAnalysis | None, steps: list[Step] = STEPS) -> Rollout:
    return Rollout("web", steps, InMemoryRouter(), InMemoryWorkload(), analysis=analysis, clock=clock)


def _advance_until(rollout: Rollout, clock: FakeClock, done: object) -> None:
    """Advance on the fake clock until `done()` (a callable) holds or the rollout finishes."""
    while not done() and (wake := rollout.advance()) is not None:  # type: ignore[operator]
        clock.set(max(wake, clock.now()))


def _value(registry: CollectorRegistry, name: str, **labels: str) -> float | None:
    return registry.get_sample_value(name, {**ROLLOUT, **labels})


def test_phase_step_weight_and_measurements_while_paused() -> None:
    clock = FakeClock(T0)
    metrics = RolloutMetrics()
    rollout = _rollout(clock, _analysis([0.95]))
    metrics.watch(rollout)
    rollout.start("v2")
    _advance_until(rollout, clock, lambda: rollout.status is not None and rollout.status.step_index == 3)
    registry = metrics.registry
    assert _value(registry, "canarykit_rollout_info", phase="Paused", version="v2") == 1
    assert _value(registry, "canarykit_rollout_phase", phase="Paused") == 1
    assert _value(registry, "canarykit_rollout_phase", phase="Progressing") == 0
    assert _value(registry, "canarykit_rollout_step") == 4  # the indefinite pause, 1-based
    assert (
        _value(registry, "canarykit_rollout_steps"),
        _value(registry, "canarykit_rollout_steps_completed"),
    ) == (
        4,
        3,
    )
    assert _value(registry, "canarykit_rollout_canary_weight") == 60
    assert _value(registry, "canarykit_rollout_canary_weight_ratio") == pytest.approx(0.6)
    run = {"analysis": "web-2", "metric": "success-rate"}
    assert _value(registry, "canarykit_analysis_run_metric_value", **run) == pytest.approx(0.95)
    taken = _value(registry, "canarykit_analysis_run_measurements_total", **run, phase="Successful")
    assert taken == len(rollout.analysis_results()[0].metrics[0].measurements) >= 6
    assert _value(registry, "canarykit_analysis_run_phase", analysis="web-2", phase="Running") == 1
    metric_phase = {**run, "dry_run": "false"}
    assert _value(registry, "canarykit_analysis_run_metric_phase", **metric_phase, phase="Running") == 1
    assert _value(registry, "canarykit_analysis_run_metric_phase", **metric_phase, phase="Failed") == 0
    assert _value(registry, "canarykit_rollout_step_duration_seconds_count") == 3
    assert _value(registry, "canarykit_rollout_step_duration_seconds_bucket", le="60") == 3  # 0, 60, 0 s
    assert _value(registry, "canarykit_rollout_step_duration_seconds_sum") == 60


def test_a_failed_analysis_counts_its_verdict_and_a_degraded_rollout() -> None:
    clock = FakeClock(T0)
    metrics = RolloutMetrics()
    rollout = _rollout(clock, _analysis([0.95], [0.5]))
    metrics.watch(rollout, namespace="prod")
    rollout.start("v2")
    _advance_until(rollout, clock, lambda: False)
    labels = {"namespace": "prod", "name": "web"}
    read = metrics.registry.get_sample_value
    assert read("canarykit_rollout_phase", {**labels, "phase": "Degraded"}) == 1
    assert read("canarykit_rollout_canary_weight", labels) == 0
    assert read("canarykit_analysis_run_verdicts_total", {**labels, "phase": "Failed"}) == 1
    assert read("canarykit_rollouts_completed_total", {**labels, "phase": "Degraded"}) == 1
    assert read("canarykit_rollouts_completed_total", {**labels, "phase": "Healthy"}) is None
    run = {**labels, "analysis": "web-2", "metric": "success-rate"}
    assert read("canarykit_analysis_run_measurements_total", {**run, "phase": "Failed"}) == 2  # limit 1
    assert read("canarykit_analysis_run_metric_value", run) == pytest.approx(0.5)
    assert read("canarykit_analysis_run_info", {**labels, "analysis": "web-2", "phase": "Failed"}) == 1
    warnings = {**labels, "type": "Warning"}
    assert read("canarykit_rollout_events_total", {**warnings, "reason": "Aborted"}) == 1
    assert read("canarykit_rollout_events_total", {**warnings, "reason": "RolledBack"}) == 1


def test_a_promoted_rollout_is_healthy_and_two_rollouts_share_a_registry() -> None:
    clock, registry = FakeClock(T0), CollectorRegistry()
    metrics = RolloutMetrics(registry)
    first = _rollout(clock, _analysis([0.95]), [SetWeight(50)])
    second = Rollout("api", [SetWeight(10), Pause()], InMemoryRouter(), InMemoryWorkload(), clock=clock)
    metrics.watch(first)
    metrics.watch(second)
    first.start("v2")
    second.start("v7")
    _advance_until(first, clock, lambda: False)
    second.advance()
    assert registry.get_sample_value("canarykit_rollout_phase", {**ROLLOUT, "phase": "Healthy"}) == 1
    assert (
        registry.get_sample_value("canarykit_rollouts_completed_total", {**ROLLOUT, "phase": "Healthy"}) == 1
    )
    api = {"namespace": "", "name": "api"}
    assert (
        registry.get_sample_value("canarykit_rollout_info", {**api, "phase": "Paused", "version": "v7"}) == 1
    )
    assert registry.get_sample_value("canarykit_rollout_canary_weight", api) == 10


def test_an_analysis_step_gets_its_own_run_label() -> None:
    clock = FakeClock(T0)
    metric = Metric(
        "latency", ScriptedProvider([120.0]), count=2, interval="10s", success_condition="result < 500"
    )
    metrics = RolloutMetrics()
    rollout = _rollout(clock, None, [SetWeight(10), Analysis([metric])])
    metrics.watch(rollout)
    rollout.start("v2")
    _advance_until(rollout, clock, lambda: False)
    run = {**ROLLOUT, "analysis": "web-2-1", "metric": "latency"}
    read = metrics.registry.get_sample_value
    assert read("canarykit_analysis_run_metric_value", run) == 120
    assert read("canarykit_analysis_run_measurements_total", {**run, "phase": "Successful"}) == 2
    assert read("canarykit_analysis_run_verdicts_total", {**ROLLOUT, "phase": "Successful"}) == 1


@pytest.mark.parametrize(
    ("result", "value"),
    [
        (0.5, 0.5),
        (3, 3.0),
        ([0.9, 0.1], 0.9),
        ((7,), 7.0),
        ("0.25", 0.25),
        ([], None),
        (True, None),
        ({"a": 1}, None),
        ("high", None),
        (None, None),
        ([None], None),
    ],
)
def test_numeric_values(result: object, value: float | None) -> None:
    assert numeric_value(result) == value


def test_nan_is_a_value() -> None:
    found = numeric_value([float("nan")])
    assert found is not None and math.isnan(found)


def test_nothing_is_written_before_the_first_event() -> None:
    metrics = RolloutMetrics()
    metrics.watch(_rollout(FakeClock(T0), None))
    assert list(metrics.registry.collect()) == []


@pytest.mark.prometheus
def test_promtool_finds_nothing_to_lint_in_the_names() -> None:
    clock = FakeClock(T0)
    metrics = RolloutMetrics()
    rollout = _rollout(clock, _analysis([0.95], [0.5]))
    metrics.watch(rollout)
    rollout.start("v2")
    _advance_until(rollout, clock, lambda: False)
    text = generate_latest(metrics.registry).decode()
    assert "canarykit_rollout_step_duration_seconds_bucket" in text and "_total{" in text
    promtool = find_program("promtool")
    assert promtool is not None, "promtool is missing (Debian: apt-get install prometheus)"
    lint = subprocess.run(
        [promtool, "check", "metrics"], input=text, capture_output=True, text=True, timeout=60
    )
    assert (lint.returncode, lint.stdout + lint.stderr) == (0, "")
