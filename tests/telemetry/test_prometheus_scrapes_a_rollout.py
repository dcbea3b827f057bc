"""A real Prometheus scrapes `Rollout(metrics_port=0)` while the rollout runs, and sees what it does."""

from __future__ import annotations

import threading
import time

import pytest

from canarykit import BackgroundAnalysis, Metric, Rollout, RolloutResult
from canarykit.providers import PrometheusProvider
from canarykit.steps import Pause, SetWeight
from canarykit.testing import InMemoryRouter, InMemoryWorkload, ScriptedProvider
from canarykit.testing.prometheus import PrometheusServer

DEADLINE_SECONDS = 60  # Prometheus 2.42 first scrapes a new target after ~5 s; a busy machine takes longer
SELECT = 'namespace="",name="checkout"'


def _rollout() -> Rollout:
    """Weight 20, then an indefinite pause; background analysis measures 0.95 every second (real time)."""
    metric = Metric(
        "success-rate",
        ScriptedProvider([[0.95]]),
        query="q",
        interval="1s",
        success_condition="result[0] > 0.9",
    )
    return Rollout(
        "checkout",
        [SetWeight(20), Pause()],
        InMemoryRouter(),
        InMemoryWorkload(),
        analysis=BackgroundAnalysis([metric]),
        scale_down_delay=0,
        metrics_port=0,
    )


def _poll(prometheus: PrometheusProvider, query: str, deadline: float) -> list[float]:
    """The query's values once it has any, polled until `deadline` (monotonic); [] if it never has."""
    while True:
        values = list(prometheus.measure(query, time.time()).value)
        if values or time.monotonic() > deadline:
            return values
        time.sleep(0.2)


def _wait_until_started(rollout: Rollout, deadline: float) -> None:
    """`run()` has started the rollout (so `promote()` applies), polled until `deadline`."""
    while rollout.status is None:
        assert time.monotonic() < deadline, "run() did not start the rollout"
        time.sleep(0.01)


@pytest.mark.prometheus
def test_prometheus_sees_phase_step_weight_and_measurements() -> None:
    rollout = _rollout()
    results: list[RolloutResult] = []
    runner = threading.Thread(
        target=lambda: results.append(rollout.run("v2", handle_signals=False)), daemon=True
    )
    with PrometheusServer(
        scrape_targets=[f"127.0.0.1:{rollout.metrics_port}"], scrape_interval="500ms"
    ) as server:
        deadline = time.monotonic() + DEADLINE_SECONDS
        runner.start()
        _wait_until_started(rollout, deadline)
        try:
            prometheus = PrometheusProvider(server.url, timeout=5)
            paused = f'canarykit_rollout_phase{{{SELECT},phase="Paused"}} == 1'
            assert _poll(prometheus, paused, deadline) == [1], server.log_tail()
            assert _poll(prometheus, f"canarykit_rollout_step{{{SELECT}}}", deadline) == [2]
            assert _poll(prometheus, f"canarykit_rollout_canary_weight{{{SELECT}}}", deadline) == [20]
            value = f'canarykit_analysis_run_metric_value{{{SELECT},metric="success-rate"}}'
            assert _poll(prometheus, value, deadline) == [pytest.approx(0.95)]
            taken = f'canarykit_analysis_run_measurements_total{{{SELECT},phase="Successful"}} >= 2'
            assert len(_poll(prometheus, taken, deadline)) == 1
            info = f'canarykit_rollout_info{{{SELECT},phase="Paused",version="v2"}}'
            assert _poll(prometheus, info, deadline) == [1]
        finally:
            rollout.promote()
            runner.join(timeout=DEADLINE_SECONDS)
    assert not runner.is_alive() and results[0].healthy
    assert rollout.metrics_server is not None and not rollout.metrics_server.running
