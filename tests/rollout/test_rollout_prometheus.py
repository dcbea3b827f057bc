"""Both reference experiments from the Argo YAML, against a real Prometheus replaying backfilled history."""

from __future__ import annotations

from pathlib import Path

from reference_history import ReferencePrometheus

from canarykit import Rollout, RolloutPhase, RolloutResult
from canarykit.argo import load
from canarykit.testing import FakeClock, InMemoryRouter, InMemoryWorkload

DATA = Path(__file__).parent.parent / "data"


def run_reference(prometheus: ReferencePrometheus, start: float) -> tuple[RolloutResult, InMemoryRouter]:
    spec = load(DATA / "rollout.yaml", DATA / "analysis-template.yaml")
    router = InMemoryRouter()
    rollout = Rollout.from_spec(
        spec, router, InMemoryWorkload("blue"), prometheus=prometheus.url, clock=FakeClock(start)
    )
    return rollout.run("green"), router


def test_experiment_1_healthy_history_promotes(prometheus: ReferencePrometheus) -> None:
    result, router = run_reference(prometheus, prometheus.healthy_start + 60)
    assert result.phase is RolloutPhase.HEALTHY
    assert router.history == [20, 40, 60, 80, 100, 0]
    values = {m.value for m in result.analyses[0].metrics[0].measurements}
    assert values == {"[0.95]"}
    assert len(result.analyses[0].metrics[0].measurements) == 37


def test_experiment_2_failing_history_rolls_back(prometheus: ReferencePrometheus) -> None:
    result, router = run_reference(prometheus, prometheus.failing_start + 60)
    assert result.phase is RolloutPhase.DEGRADED
    assert result.message == (
        "RolloutAborted: Rollout aborted update to revision 2: Background analysis phase error/failed: "
        'Metric "success-rate" assessed Failed due to failed (4) > failureLimit (3)'
    )
    assert router.history == [20, 40, 0]
    assert [m.value for m in result.analyses[0].metrics[0].measurements] == ["[0.8]"] * 4
