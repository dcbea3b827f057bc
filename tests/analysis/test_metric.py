"""Metric validation: Argo's rules and messages, raised when the metric is built."""

from __future__ import annotations

import pytest

from canarykit import ConditionSyntaxError, DurationError, Metric, SpecError
from canarykit.durations import go_reason
from canarykit.testing import ScriptedProvider


def metric(**fields: object) -> Metric:
    return Metric("m", ScriptedProvider([[1.0]]), **fields)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("value", "seconds"), [("10s", 10.0), ("2m", 120.0), ("1h30m", 5400.0), ("1.5m", 90.0), (15, 15.0)]
)
def test_interval_formats(value: str | int, seconds: float) -> None:
    assert metric(interval=value).interval == seconds


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"interval": "10"}, 'invalid interval string: time: missing unit in duration "10"'),
        ({"interval": "1d"}, 'invalid interval string: time: unknown unit "d" in duration "1d"'),
        ({"initial_delay": "soon"}, 'invalid startDelay string: time: invalid duration "soon"'),
        (
            {"count": 2, "failure_limit": 3, "interval": "1s"},
            "count (2) must be >= failureLimit + consecutiveSuccessLimit (3 + 0) if both >= 0",
        ),
        (
            {"count": 3, "failure_limit": 1, "consecutive_success_limit": 3, "interval": "1s"},
            "count (3) must be >= failureLimit + consecutiveSuccessLimit (1 + 3) if both >= 0",
        ),
        (
            {"count": 2, "failure_limit": -1, "consecutive_success_limit": 3, "interval": "1s"},
            "count must be >= consecutiveSuccessLimit",
        ),
        ({"count": 2, "inconclusive_limit": 3, "interval": "1s"}, "count must be >= inconclusiveLimit"),
        ({"count": 2}, "interval must be specified when count > 1"),
        ({"failure_limit": -2}, "failureLimit must be >= 0, or -1 to be disabled"),
        ({"failure_limit": -1}, "failureLimit and consecutiveSuccessLimit cannot both be disabled"),
        ({"consecutive_success_limit": -1}, "consecutiveSuccessLimit must be >= 0"),
        ({"inconclusive_limit": -1}, "inconclusiveLimit must be >= 0"),
        ({"consecutive_error_limit": -1}, "consecutiveErrorLimit must be >= 0"),
        ({"failure_limit": "3"}, "failureLimit must be an integer, got '3'"),
        # Argo's order: the limits first, then the count, then the durations
        ({"interval": "1d", "failure_limit": -2}, "failureLimit must be >= 0, or -1 to be disabled"),
        ({"count": 2, "interval": "1d"}, 'invalid interval string: time: unknown unit "d" in duration "1d"'),
    ],
)
def test_invalid_metrics(fields: dict[str, object], message: str) -> None:
    with pytest.raises(SpecError) as caught:
        metric(**fields)
    reason = go_reason(caught.value) if isinstance(caught.value, DurationError) else caught.value.reason
    assert reason == message and caught.value.path.startswith("metric 'm'")


def test_effective_count() -> None:
    assert metric().effective_count == 1
    assert metric(interval="10s").effective_count is None
    assert metric(interval="10s", count=5).effective_count == 5


@pytest.mark.parametrize(
    "fields",
    [
        {"count": -1},  # Argo checks no lower bound on count: one measurement completes it
        {"count": 1, "failure_limit": -1, "consecutive_success_limit": 1},
        {"count": 3, "failure_limit": 1, "consecutive_success_limit": 2, "interval": "1s"},
        {"count": 0, "failure_limit": 5},  # no count: the limits are not compared with it
    ],
)
def test_what_argo_accepts_builds(fields: dict[str, object]) -> None:
    assert metric(**fields).name == "m"


def test_condition_compiles_when_built() -> None:
    with pytest.raises(ConditionSyntaxError):
        metric(success_condition="result[0] >>> 1")


def test_provider_must_measure() -> None:
    with pytest.raises(SpecError, match="provider must have a measure"):
        Metric("m", object())  # type: ignore[arg-type]


def test_repr_names_the_conditions() -> None:
    text = repr(metric(interval="10s", success_condition="result[0] > 0.9"))
    assert text == "Metric(name='m', interval=10.0, success_condition='result[0] > 0.9', failure_limit=0)"
