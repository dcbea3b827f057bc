"""Saved records are validated before anything acts on them; a rejected version stays rejected."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from canarykit import FileStateStore, Metric, Rollout, RolloutPhase, StateError
from canarykit.rollout import BackgroundAnalysis
from canarykit.steps import Pause, SetWeight, Step
from canarykit.testing import (
    FakeClock,
    InMemoryRouter,
    InMemoryStateStore,
    InMemoryWorkload,
    ScriptedProvider,
)

T0 = 1_700_000_000.0
STEPS: list[Step] = [SetWeight(20), Pause("1m"), SetWeight(40), Pause("1m")]


def paused_record(tmp_path: Path) -> tuple[FileStateStore, dict[str, Any]]:
    """A real record of a rollout paused at weight 20, as a driver that died there left it."""
    store = FileStateStore(tmp_path)
    first = Rollout("web", STEPS, InMemoryRouter(), InMemoryWorkload(), clock=FakeClock(T0), state=store)
    first.start("v2")
    first.advance()
    record = store.load("web")
    assert record is not None and record["weight"] == 20
    return store, record


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"step_index": 99}, "step_index: 99 is past step_count 4"),
        ({"step_index": -1}, "step_index: -1 is below 0"),
        ({"weight": 150}, "weight: weight 150 is outside 0..100"),
        ({"weight_history": [20, -5]}, r"weight_history\[1\]: weight -5 is outside 0..100"),
        ({"weight": "20"}, "weight: Input should be a valid integer"),
        ({"name": "other"}, "name: the record belongs to rollout 'other', not 'web'"),
        ({"surprise": True}, "surprise: unknown field"),
        ({"schema": 7}, "schema: expected 1, got 7"),
        ({"step_count": 3}, "plan: the record was made for other steps"),
        ({"plan": "0123456789abcdef"}, "plan: the record was made for other steps"),
        ({"analyses": {"web-2": {"startedAt": "x"}}}, "analyses.web-2"),
    ],
)
def test_an_invalid_or_foreign_record_is_refused_naming_file_and_field(
    tmp_path: Path, change: dict[str, Any], message: str
) -> None:
    store, record = paused_record(tmp_path)
    store.save("web", {**record, **change})
    router = InMemoryRouter()
    subject = Rollout("web", STEPS, router, InMemoryWorkload(), clock=FakeClock(T0), state=store)
    with pytest.raises(StateError, match=message) as refused:
        subject.run("v2", handle_signals=False)
    assert str(store.path("web")) in str(refused.value)
    assert router.history == []  # nothing acted on


def test_a_record_missing_a_field_is_refused(tmp_path: Path) -> None:
    store, record = paused_record(tmp_path)
    del record["weight_history"]
    store.save("web", record)
    with pytest.raises(StateError, match="weight_history: required field missing"):
        subject = Rollout("web", STEPS, InMemoryRouter(), InMemoryWorkload(), state=store)
        subject.run("v2", handle_signals=False)


def failing() -> BackgroundAnalysis:
    metric = Metric("m", ScriptedProvider([0.5]), interval="10s", success_condition="result > 0.9")
    return BackgroundAnalysis([metric], starting_step=1)


def test_a_rolled_back_version_stays_rejected_until_retried() -> None:
    store, router = InMemoryStateStore(), InMemoryRouter()

    def subject(analysis: BackgroundAnalysis | None = None) -> Rollout:
        return Rollout(
            "web", STEPS, router, InMemoryWorkload(), analysis=analysis, clock=FakeClock(T0), state=store
        )

    assert subject(failing()).run("green", handle_signals=False).phase is RolloutPhase.DEGRADED
    assert router.history == [20, 0]
    with pytest.raises(StateError, match=r"version 'green' was rolled back .* retry=True"):
        subject().run("green", handle_signals=False)
    assert subject().run("blue", handle_signals=False).healthy  # another version goes ahead
    with pytest.raises(StateError, match="version 'green' was rolled back"):
        subject().run("green", handle_signals=False)  # and green is still rejected after it
    assert router.history == [20, 0, 20, 40, 100, 0]

    retried = subject().run("green", handle_signals=False, retry=True)
    assert retried.healthy
    assert subject().run("green", handle_signals=False).healthy  # promoted now: no longer rejected


def test_canarykit_retry_on_record_lets_the_rejected_version_run_once(tmp_path: Path) -> None:
    store = FileStateStore(tmp_path)

    def make(analysis: BackgroundAnalysis | None) -> Rollout:
        router, workload = InMemoryRouter(), InMemoryWorkload()
        return Rollout("web", STEPS, router, workload, analysis=analysis, clock=FakeClock(T0), state=store)

    make(failing()).run("green", handle_signals=False)
    record = store.load("web")
    assert record is not None
    store.save("web", {**record, "retry_requested": True})  # what `canarykit retry web` writes
    assert make(None).run("green", handle_signals=False).healthy
