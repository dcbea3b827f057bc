"""`BlueGreen`: Argo's blueGreen fields, defaults and validation messages, durations, immutability."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest

from canarykit import Metric
from canarykit.argo import load_analysis_template
from canarykit.errors import DurationError, SpecError
from canarykit.rollout.analyses import resolve_metrics
from canarykit.steps import Analysis
from canarykit.steps.bluegreen import DUPLICATED_SERVICES, BlueGreen
from canarykit.testing import ScriptedProvider

DATA = Path(__file__).parent.parent / "data"
ARGO_DUPLICATED = (
    "This rollout uses the same service for the active and preview services, "
    "but two different services are required."
)


def _metric(name: str = "success-rate") -> Metric:
    return Metric(name, ScriptedProvider([[0.99]]), "q", "10s", success_condition="result[0] > 0.9")


def test_defaults_are_argos() -> None:
    options = BlueGreen("active")
    assert options.preview_service is None
    assert options.pre_promotion_analysis is None and options.post_promotion_analysis is None
    assert options.auto_promotion_enabled is True
    assert options.auto_promotion_seconds is None and options.auto_promotion_delay_seconds == 0.0
    assert options.scale_down_delay == 30 and options.scale_down_delay_seconds == 30.0
    assert options.abort_scale_down_delay == 30 and options.abort_scale_down_delay_seconds == 30.0
    assert options.preview_replica_count is None
    assert options.pauses_before_promotion is False  # auto-promotion at once: no BlueGreenPause
    assert options.needs_manual_promotion is False


def test_active_and_preview_must_differ_with_argos_message() -> None:
    assert DUPLICATED_SERVICES == ARGO_DUPLICATED
    with pytest.raises(SpecError) as refused:
        BlueGreen("web", "web")
    assert refused.value.path == "BlueGreen.active_service"
    assert refused.value.reason == ARGO_DUPLICATED


@pytest.mark.parametrize(
    ("fields", "path", "reason"),
    [
        ({"active_service": ""}, "BlueGreen.active_service", "Required value"),
        ({"active_service": "  "}, "BlueGreen.active_service", "Required value"),
        ({"active_service": None}, "BlueGreen.active_service", "expected a service name, got None"),
        ({"active_service": "a", "preview_service": ""}, "BlueGreen.preview_service", "Required value"),
        (
            {"active_service": "a", "preview_service": 7},
            "BlueGreen.preview_service",
            "expected a service name, got 7",
        ),
    ],
)
def test_service_names_are_required(fields: dict[str, Any], path: str, reason: str) -> None:
    with pytest.raises(SpecError) as refused:
        BlueGreen(**fields)
    assert (refused.value.path, refused.value.reason) == (path, reason)


@pytest.mark.parametrize(
    ("count", "reason"),
    [
        (-1, "must be greater than or equal to 0, got -1"),
        (2**31, "must be at most 2147483647 (an int32), got 2147483648"),
        (1.5, "expected a whole number of replicas, got 1.5"),
        (True, "expected a whole number of replicas, got True"),
    ],
)
def test_preview_replica_count_is_an_int32_at_least_0(count: Any, reason: str) -> None:
    with pytest.raises(SpecError) as refused:
        BlueGreen("active", preview_replica_count=count)
    assert (refused.value.path, refused.value.reason) == ("BlueGreen.preview_replica_count", reason)


def test_preview_replica_count_keeps_zero_and_positive_values() -> None:
    assert BlueGreen("active", preview_replica_count=0).preview_replica_count == 0
    assert BlueGreen("active", preview_replica_count=2).preview_replica_count == 2


def test_auto_promotion_enabled_must_be_a_bool() -> None:
    with pytest.raises(SpecError) as refused:
        BlueGreen("active", auto_promotion_enabled="false")  # type: ignore[arg-type]
    assert refused.value.path == "BlueGreen.auto_promotion_enabled"
    assert refused.value.reason == "expected True or False, got 'false'"


@pytest.mark.parametrize(
    ("field", "value", "seconds_field", "seconds"),
    [
        ("scale_down_delay", "1m", "scale_down_delay_seconds", 60.0),
        ("scale_down_delay", 0, "scale_down_delay_seconds", 0.0),
        ("abort_scale_down_delay", "1m30s", "abort_scale_down_delay_seconds", 90.0),
        ("abort_scale_down_delay", 0, "abort_scale_down_delay_seconds", None),  # Argo: never scaled down
        ("auto_promotion_seconds", "10s", "auto_promotion_delay_seconds", 10.0),
        ("auto_promotion_seconds", 2.5, "auto_promotion_delay_seconds", 2.5),
        ("auto_promotion_seconds", 0, "auto_promotion_delay_seconds", 0.0),
    ],
)
def test_durations_are_parsed_once(field: str, value: Any, seconds_field: str, seconds: float | None) -> None:
    options = BlueGreen("active", **{field: value})
    assert getattr(options, field) == value  # as given
    assert getattr(options, seconds_field) == seconds


@pytest.mark.parametrize("field", ["scale_down_delay", "abort_scale_down_delay", "auto_promotion_seconds"])
@pytest.mark.parametrize(
    ("value", "reason_start"),
    [
        ("5x", 'time: unknown unit "x" in duration "5x"'),
        ("30", 'time: missing unit in duration "30"; did you mean "30s"?'),
        (-1, "duration must be >= 0, got -1"),
    ],
)
def test_bad_durations_name_the_field(field: str, value: Any, reason_start: str) -> None:
    with pytest.raises(DurationError) as refused:
        BlueGreen("active", **{field: value})
    assert refused.value.path == f"BlueGreen.{field}"
    assert refused.value.reason.startswith(reason_start)


def test_auto_promotion_seconds_pauses_then_promotes_by_itself() -> None:
    options = BlueGreen("active", "preview", auto_promotion_seconds="30s")
    assert options.pauses_before_promotion is True
    assert options.needs_manual_promotion is False


def test_auto_promotion_disabled_waits_for_promote_and_ignores_seconds_as_argo_does() -> None:
    options = BlueGreen("active", "preview", auto_promotion_enabled=False, auto_promotion_seconds=30)
    assert options.pauses_before_promotion is True
    assert options.needs_manual_promotion is True
    assert options.auto_promotion_seconds == 30  # kept, as Argo keeps the field it ignores


def test_analyses_take_what_an_analysis_step_takes_and_resolve_as_steps_do() -> None:
    template = load_analysis_template(DATA / "analysis-template.yaml")
    pre = Analysis(template, {"ingress": "web-preview"})
    post = Analysis([_metric("errors"), [_metric("latency")]])
    options = BlueGreen("active", "preview", pre_promotion_analysis=pre, post_promotion_analysis=post)
    assert options.pre_promotion_analysis is pre and options.post_promotion_analysis is post
    pre_metrics = resolve_metrics(pre.source, pre.args)  # what the runner will call
    assert [metric.name for metric in pre_metrics] == ["success-rate"]
    assert 'ingress="web-preview"' in str(pre_metrics[0].query)
    assert [metric.name for metric in resolve_metrics(post.source, post.args)] == ["errors", "latency"]
    assert BlueGreen("active", pre_promotion_analysis=Analysis(_metric())).pre_promotion_analysis is not None


@pytest.mark.parametrize("field", ["pre_promotion_analysis", "post_promotion_analysis"])
@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ([_metric()], "expected an Analysis (e.g. Analysis(template, args)) or None, got [Metric("),
        (Analysis([]), "Analysis spec invalid: no metrics specified (None for no analysis)"),
        (Analysis("success-rate"), "analysis needs Metrics or AnalysisTemplates, got 'success-rate'"),
        (Analysis([_metric(), 3]), "analysis needs Metrics or AnalysisTemplates, got 3"),
    ],
)
def test_bad_analyses_are_refused_at_their_field(field: str, value: Any, reason: str) -> None:
    with pytest.raises(SpecError) as refused:
        BlueGreen("active", **{field: value})
    assert refused.value.path == f"BlueGreen.{field}"
    assert refused.value.reason.startswith(reason)


def test_options_are_immutable_and_compare_by_their_fields() -> None:
    options = BlueGreen("active", "preview", scale_down_delay="1m")
    with pytest.raises(dataclasses.FrozenInstanceError):
        options.active_service = "other"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        options.scale_down_delay_seconds = 0  # type: ignore[misc]
    assert options == BlueGreen("active", "preview", scale_down_delay="1m")
    assert options != BlueGreen("active", "preview", scale_down_delay=60)  # fields as given, as Pause does
    assert dataclasses.replace(options, preview_service="next").scale_down_delay_seconds == 60.0
    with pytest.raises(SpecError):
        dataclasses.replace(options, preview_service="active")  # a replacement is validated too
    assert "scale_down_delay_seconds" not in repr(options)
