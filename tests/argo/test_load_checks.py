"""Everything checkable is refused at `load()`, before any Rollout is built or metric measured."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from canarykit import ConditionSyntaxError, SpecError
from canarykit.argo import load, load_analysis_template

DATA = Path(__file__).parent.parent / "data"
ROLLOUT = yaml.safe_load((DATA / "rollout.yaml").read_text())
TEMPLATE = yaml.safe_load((DATA / "analysis-template.yaml").read_text())
STEP_ANALYSIS = {"analysis": {"templates": [{"templateName": "success-rate"}, {"templateName": "other"}]}}

Edit = Callable[[dict[str, Any]], None]


def template(edit: Edit, name: str = "success-rate") -> str:
    document = copy.deepcopy(TEMPLATE)
    document["metadata"]["name"] = name
    edit(document)
    return yaml.safe_dump(document)


def rollout(edit: Edit) -> str:
    document = copy.deepcopy(ROLLOUT)
    edit(document)
    return yaml.safe_dump(document)


def metric(document: dict[str, Any]) -> dict[str, Any]:
    first: dict[str, Any] = document["spec"]["metrics"][0]
    return first


def analysis(document: dict[str, Any]) -> dict[str, Any]:
    background: dict[str, Any] = document["spec"]["strategy"]["canary"]["analysis"]
    return background


def unchanged(document: dict[str, Any]) -> None:
    """No edit."""


def refused_at_load(text: str, error: type[SpecError] = SpecError) -> SpecError:
    """`load_analysis_template` alone (no `metrics()`, no Rollout) raises."""
    with pytest.raises(error) as caught:
        load_analysis_template(text)
    return caught.value


def test_a_duplicate_metric_name_is_refused_at_load() -> None:
    def duplicate(document: dict[str, Any]) -> None:
        document["spec"]["metrics"].append(copy.deepcopy(metric(document)))

    error = refused_at_load(template(duplicate))
    assert error.reason == "Analysis spec invalid: metrics[1]: duplicate name 'success-rate'"
    assert error.path == "spec.metrics[1].name"
    with pytest.raises(SpecError, match="duplicate name 'success-rate'"):
        load(yaml.safe_dump(ROLLOUT), template(duplicate))


def test_templates_merged_into_one_analysis_must_not_share_a_metric_name() -> None:
    def two_templates(document: dict[str, Any]) -> None:
        analysis(document)["templates"].append({"templateName": "other"})

    with pytest.raises(SpecError) as caught:
        load(rollout(two_templates), template(unchanged), template(unchanged, name="other"))
    assert caught.value.reason == "two metrics have the same name 'success-rate'"
    assert caught.value.path == "spec.strategy.canary.analysis.templates"


def test_a_step_analysis_merging_two_templates_is_checked_too() -> None:
    def step(document: dict[str, Any]) -> None:
        document["spec"]["strategy"]["canary"]["steps"].insert(1, STEP_ANALYSIS)
        del analysis(document)["startingStep"]

    def finite(document: dict[str, Any]) -> None:
        metric(document)["count"] = 3

    with pytest.raises(SpecError) as caught:
        load(rollout(step), template(finite), template(finite, name="other"))
    assert caught.value.path == "spec.strategy.canary.steps[1].analysis.templates"


@pytest.mark.parametrize(
    ("provider", "reason"),
    [
        ({"prometheus": {"query": "up"}, "web": {"url": "http://x/"}}, "multiple providers specified"),
        ({"prometheus": {"query": "up"}, "datadog": {"query": "x"}}, "multiple providers specified"),
        ({"plugin": {"a/b": {}, "c/d": {}}}, "multiple providers specified"),
        ({}, "no provider specified"),
        ({"plugin": {}}, "no provider specified"),
    ],
)
def test_a_metric_needs_exactly_one_provider(provider: dict[str, Any], reason: str) -> None:
    def set_provider(document: dict[str, Any]) -> None:
        metric(document)["provider"] = provider

    error = refused_at_load(template(set_provider))
    assert (error.reason, error.path) == (
        f"Analysis spec invalid: metrics[0]: {reason}",
        "spec.metrics[0].provider",
    )


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        (
            {"count": 2, "failureLimit": 3},
            "count (2) must be >= failureLimit + consecutiveSuccessLimit (3 + 0) if both >= 0",
        ),
        (
            {"count": 1, "failureLimit": -1, "consecutiveSuccessLimit": 2},
            "count must be >= consecutiveSuccessLimit",
        ),
        ({"count": "2", "failureLimit": 0, "inconclusiveLimit": 3}, "count must be >= inconclusiveLimit"),
        ({"count": 3, "interval": None}, "interval must be specified when count > 1"),
        ({"interval": "5"}, 'invalid interval string: time: missing unit in duration "5"'),
        ({"failureLimit": -2}, "failureLimit must be >= 0, or -1 to be disabled"),
    ],
)
def test_literal_counts_limits_and_durations_are_checked_at_load(fields: dict[str, Any], reason: str) -> None:
    def set_fields(document: dict[str, Any]) -> None:
        for key, value in fields.items():
            metric(document).pop(key) if value is None else metric(document).update({key: value})

    error = refused_at_load(template(set_fields))
    assert (error.reason, error.path) == (f"Analysis spec invalid: metrics[0]: {reason}", "spec.metrics[0]")


def test_a_literal_condition_that_does_not_compile_is_refused_at_load() -> None:
    def bad_condition(document: dict[str, Any]) -> None:
        metric(document)["successCondition"] = "result[0] >"

    error = refused_at_load(template(bad_condition), ConditionSyntaxError)
    assert error.path == "spec.metrics[0].successCondition"


def test_templated_fields_wait_for_their_values() -> None:
    def templated(document: dict[str, Any]) -> None:
        document["spec"]["args"] += [{"name": "count"}, {"name": "limit"}]
        metric(document).update({"count": "{{args.count}}", "failureLimit": "{{args.limit}}"})
        metric(document)["successCondition"] = "result[0] > {{args.limit}}"

    loaded = load_analysis_template(template(templated))
    with pytest.raises(SpecError, match=r"count \(2\) must be >= failureLimit \+ consecutiveSuccessLimit"):
        loaded.metrics({"ingress": "i", "count": "2", "limit": "3"})
    [built] = loaded.metrics({"ingress": "i", "count": "5", "limit": "3"})
    assert (built.count, built.failure_limit) == (5, 3)


def test_an_invalid_dry_run_pattern_matches_nothing_as_in_argo() -> None:
    def dry_run(document: dict[str, Any]) -> None:
        document["spec"]["dryRun"] = [{"metricName": "("}]

    error = refused_at_load(template(dry_run))
    assert error.reason == "Analysis spec invalid: dryRun[0]: Rule didn't match any metric name(s)"


def secret_arg(document: dict[str, Any]) -> None:
    document["spec"]["args"].append(
        {"name": "token", "valueFrom": {"secretKeyRef": {"name": "s", "key": "k"}}}
    )


def test_a_secret_argument_the_rollout_does_not_give_is_refused_at_load_without_a_cluster() -> None:
    with pytest.raises(SpecError) as caught:
        load(yaml.safe_dump(ROLLOUT), template(secret_arg))
    assert caught.value.path == "spec.strategy.canary.analysis.args"
    assert caught.value.reason.startswith(
        'AnalysisTemplate success-rate: args.token reads key "k" of Secret "s", which needs a cluster'
    )


def test_a_secret_argument_the_rollout_gives_loads() -> None:
    def give_token(document: dict[str, Any]) -> None:
        analysis(document)["args"].append({"name": "token", "value": "t"})

    spec = load(rollout(give_token), template(secret_arg))
    assert spec.background is not None and spec.background.args["token"] == "t"
