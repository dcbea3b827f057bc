"""Refused where Argo refuses, accepted where it accepts, with its messages.

Cases carry the Go test they come from (`factory_test.go` is utils/analysis, `helpers_test.go` too,
`validation_test.go` and `validation_references_test.go` are pkg/apis/rollouts/validation).
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from canarykit import ArgumentError, SpecError
from canarykit.argo import load, load_analysis_template
from canarykit.argo.rollout_models import CanaryStepModel
from canarykit.argo.rollout_steps import step_starts
from canarykit.steps import HeaderMatch, Pause, SetCanaryScale, SetHeaderRoute, SetWeight

DATA = Path(__file__).parent.parent / "data"
ROLLOUT = yaml.safe_load((DATA / "rollout.yaml").read_text())
TEMPLATE = yaml.safe_load((DATA / "analysis-template.yaml").read_text())
INVALID_STEP = (
    "Step must have one of the following set: experiment, setWeight, setCanaryScale, plugin or pause"
)
PROMETHEUS = {"prometheus": {"address": "http://127.0.0.1:9", "query": "up"}}
DELETE = object()


def changed(mapping: dict[str, Any], fields: dict[str, Any]) -> None:
    """`mapping` with `fields` set (`DELETE` removes one; None stays, as YAML's null)."""
    for key, value in fields.items():
        mapping.pop(key) if value is DELETE else mapping.update({key: value})


def template(metric: dict[str, Any] | None = None, name: str = "t", **spec: Any) -> str:
    """The reference template named `name`, its metric's fields changed by `metric`, its spec's by `spec`."""
    document = copy.deepcopy(TEMPLATE)
    document["metadata"]["name"] = name
    changed(document["spec"]["metrics"][0], metric or {})
    changed(document["spec"], spec)
    return yaml.safe_dump(document)


def rollout(**canary: Any) -> str:
    """The reference Rollout with fields of `strategy.canary` changed."""
    document = copy.deepcopy(ROLLOUT)
    changed(document["spec"]["strategy"]["canary"], canary)
    return yaml.safe_dump(document)


def refused(*sources: str) -> SpecError:
    with pytest.raises(SpecError) as caught:
        load(*sources) if any("kind: Rollout" in text for text in sources) else load_analysis_template(
            sources[0]
        )
    return caught.value


def metric_case(test: str, fields: dict[str, Any], reason: str, index: int = 0) -> Any:
    return pytest.param(fields, f"Analysis spec invalid: metrics[{index}]: {reason}", id=test)


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        metric_case(
            "TestValidateMetrics/Ensure count >= failureLimit + consecutiveSuccessLimit",
            {"count": 1, "failureLimit": 2, "interval": DELETE},
            "count (1) must be >= failureLimit + consecutiveSuccessLimit (2 + 0) if both >= 0",
        ),
        metric_case(
            "TestValidateMetrics/Ensure count must be >= inconclusiveLimit",
            {"count": 1, "failureLimit": DELETE, "inconclusiveLimit": 2},
            "count must be >= inconclusiveLimit",
        ),
        metric_case(
            "TestValidateMetrics/Ensure valid internal string",
            {"count": 2, "failureLimit": 2, "interval": "60s-typo"},
            'invalid interval string: time: unknown unit "s-typo" in duration "60s-typo"',
        ),
        metric_case(
            "TestValidateMetrics/Ensure valid initialDelay string",
            {"count": 2, "failureLimit": 2, "interval": "60s", "initialDelay": "60s-typo"},
            'invalid startDelay string: time: unknown unit "s-typo" in duration "60s-typo"',
        ),
        metric_case(
            "TestValidateMetrics/Ensure interval set when count > 1",
            {"count": 2, "failureLimit": None, "interval": DELETE},
            "interval must be specified when count > 1",
        ),
        metric_case(
            "TestValidateMetrics/Ensure failureLimit >= -1",
            {"failureLimit": -2},
            "failureLimit must be >= 0, or -1 to be disabled",
        ),
        metric_case(
            "TestValidateMetrics/Ensure inconclusiveLimit >= 0",
            {"inconclusiveLimit": -1},
            "inconclusiveLimit must be >= 0",
        ),
        metric_case(
            "TestValidateMetrics/Ensure consecutiveErrorLimit >= 0",
            {"consecutiveErrorLimit": -1},
            "consecutiveErrorLimit must be >= 0",
        ),
        metric_case(
            "TestValidateMetrics/Ensure consecutiveSuccessLimit >= 0",
            {"consecutiveSuccessLimit": -1},
            "consecutiveSuccessLimit must be >= 0",
        ),
        metric_case(
            "TestValidateMetrics/Ensure consecutiveSuccessLimit and failureLimit are not both disabled",
            {"consecutiveSuccessLimit": 0, "failureLimit": -1},
            "failureLimit and consecutiveSuccessLimit cannot both be disabled",
        ),
        metric_case(  # ValidateMetric: failureLimit disabled, count is compared with the success limit alone
            "ValidateMetric count < consecutiveSuccessLimit",
            {"count": 2, "failureLimit": -1, "consecutiveSuccessLimit": 3},
            "count must be >= consecutiveSuccessLimit",
        ),
        metric_case(
            "TestValidateMetrics/Ensure metric has provider",
            {"count": 1, "failureLimit": DELETE, "provider": {}},
            "no provider specified",
        ),
        metric_case(  # Go's empty provider structs: web has no url, which is reported only after the count
            "TestValidateMetrics/Ensure metric does not have more than 1 provider",
            {
                "provider": {
                    name: {} for name in ("prometheus", "job", "web", "datadog", "newRelic", "graphite")
                }
            },
            "multiple providers specified",
        ),
    ],
)
def test_metric_validation_as_argo(fields: dict[str, Any], reason: str) -> None:
    assert refused(template(fields)).reason == reason


@pytest.mark.parametrize(
    "fields",
    [
        pytest.param({"count": 0, "failureLimit": 2}, id="TestValidateMetrics/count 0 is no count"),
        pytest.param(
            {"count": 2, "failureLimit": 2, "interval": "60s"}, id="TestValidateMetrics/Validate metric"
        ),
        pytest.param({"count": -1, "interval": DELETE}, id="ValidateMetric: no lower bound on count"),
        pytest.param({"failureLimit": -1, "consecutiveSuccessLimit": 2}, id="failureLimit disabled"),
        pytest.param({"provider": {**PROMETHEUS, "web": None}}, id="a null provider is no provider"),
    ],
)
def test_what_argo_accepts_loads(fields: dict[str, Any]) -> None:
    assert load_analysis_template(template(fields)).name == "t"


def test_null_fields_are_absent_as_the_api_server_prunes_them() -> None:
    spec = load(rollout(steps=None, analysis=None))
    assert (list(spec.steps), spec.background) == ([], None)
    [metric] = load_analysis_template(template({"count": None, "failureLimit": None})).metrics(
        {"ingress": "i"}
    )
    assert (metric.count, metric.failure_limit) == (0, 0)


@pytest.mark.parametrize(
    ("step", "expected"),
    [
        ({"setWeight": 20, "setCanaryScale": {"replicas": 2}}, [SetCanaryScale(replicas=2), SetWeight(20)]),
        (
            {"pause": {"duration": 10}, "setCanaryScale": {"weight": 50}},
            [SetCanaryScale(weight=50), Pause(10)],
        ),
        (
            {
                "setCanaryScale": {"replicas": 1},
                "setHeaderRoute": {
                    "name": "h",
                    "match": [{"headerName": "X", "headerValue": {"exact": "a"}}],
                },
            },
            [SetCanaryScale(replicas=1), SetHeaderRoute(name="h", matches=(HeaderMatch("X", exact="a"),))],
        ),
    ],
)
def test_a_step_may_combine_fields_as_in_argo(step: dict[str, Any], expected: list[object]) -> None:
    """validation.go `hasMultipleStepsType` counts only setWeight, pause, experiment and analysis."""
    steps: list[dict[str, Any]] = [step, {"pause": {}}]
    spec = load(rollout(steps=steps, analysis=DELETE), template())
    assert list(spec.steps) == [*expected, Pause()]
    assert step_starts(tuple(CanaryStepModel.model_validate(one) for one in steps)) == (0, 2)


@pytest.mark.parametrize(
    "step",
    [
        pytest.param({"setWeight": 1, "pause": {"duration": 1}}, id="TestHasMultipleStepsType"),
        pytest.param({}, id="TestValidateRolloutStrategyCanary/invalid canary step"),
    ],
)
def test_a_step_needs_one_main_field(step: dict[str, Any]) -> None:
    error = refused(rollout(steps=[{"setWeight": 10}, step], analysis=DELETE), template())
    assert (error.reason, error.path) == (INVALID_STEP, "spec.strategy.canary.steps[1]")


def test_set_header_route_needs_traffic_routing() -> None:
    """TestValidateRolloutStrategyCanarySetHeaderRoute/using SetHeaderRoute step without traffic routing"""
    step = {
        "setHeaderRoute": {"name": "h", "match": [{"headerName": "agent", "headerValue": {"exact": "x"}}]}
    }
    error = refused(rollout(steps=[step], trafficRouting=DELETE, analysis=DELETE), template())
    assert error.reason == "SetHeaderRoute requires TrafficRouting, supports Istio and ALB and Apisix"
    assert error.path == "spec.strategy.canary.steps[0].setHeaderRoute"


def test_services_are_checked_before_the_ingresses() -> None:
    """TestValidateRolloutStrategyCanaryMissingServiceNames (NGINX): the spec's rules, then the Ingresses."""
    error = refused(rollout(canaryService=DELETE, trafficRouting={"nginx": {}}), template())
    assert error.reason == "Canary service and Stable service must to be set to use Traffic Routing"


def test_step_args_are_checked_before_the_templates() -> None:
    """TestValidateRolloutStrategyCanary/invalid metadata references in analysis step"""
    arg = {"name": "x", "valueFrom": {"fieldRef": {"fieldPath": "metadata.label['app']"}}}
    error = refused(rollout(steps=[{"analysis": {"args": [arg]}}], analysis=DELETE), template())
    assert error.reason == "Analyses arguments must refer to valid object metadata supported by downwardAPI"


def two_templates(first: list[dict[str, Any]], second: list[dict[str, Any]]) -> tuple[str, ...]:
    """A Rollout whose background analysis merges templates `a` and `b` with these args."""
    references = [{"templateName": "a"}, {"templateName": "b"}]
    analysis = {"templates": references, "args": [{"name": "ingress", "value": "i"}]}
    second_metric = {"successCondition": "result[0] > {{args.threshold}}"}
    return (
        rollout(analysis=analysis),
        template(name="a", args=[{"name": "ingress"}, *first]),
        template(second_metric, name="b", args=[{"name": "ingress"}, *second]).replace(
            "name: success-rate\n", "name: other-rate\n"
        ),
    )


def test_templates_of_one_analysis_share_their_args() -> None:
    """helpers_test.go TestFlattenTemplates/Merge args with same name but only one has value"""
    spec = load(*two_templates([{"name": "threshold", "value": "0.5"}], [{"name": "threshold"}]))
    assert spec.background is not None
    metrics = [
        m for t in spec.background.templates for m in t.metrics({"ingress": "i"}, "http://127.0.0.1:9")
    ]
    condition = metrics[1].success_condition
    assert condition is not None and condition.source == "result[0] > 0.5"


def test_templates_of_one_analysis_must_agree_on_arg_values() -> None:
    """helpers_test.go TestFlattenTemplates/Error: merge args with same name and both have values"""
    threshold = [{"name": "threshold", "value": "true"}], [{"name": "threshold", "value": "false"}]
    with pytest.raises(ArgumentError) as caught:
        load(*two_templates(*threshold))
    assert (
        caught.value.reason
        == "Argument `threshold` specified multiple times with different values: 'true', 'false'"
    )
    assert caught.value.path == "spec.strategy.canary.analysis.templates"


def test_a_step_analysis_arg_has_a_value_or_a_value_from() -> None:
    """validation_references_test.go TestValidateAnalysisMetrics/Error: arg has both Value and ValueFrom"""
    args = [{"name": "ingress", "value": "i", "valueFrom": {"secretKeyRef": {"name": "s", "key": "k"}}}]
    step = {"analysis": {"templates": [{"templateName": "t"}]}}
    error = refused(rollout(steps=[step], analysis=DELETE), template({"count": 4}, args=args))
    assert error.reason == "AnalysisTemplate t: arg 'ingress' has both Value and ValueFrom fields"


@pytest.mark.parametrize(
    ("rules", "reason"),
    [
        (
            {"dryRun": [{"metricName": "x"}, {"metricName": "x"}]},
            "two Dry-Run metric rules have the same name 'x'",
        ),
        (
            {"measurementRetention": [{"metricName": "x", "limit": 1}, {"metricName": "x", "limit": 2}]},
            "two Measurement Retention metric rules have the same name 'x'",
        ),
        (
            {"measurementRetention": [{"metricName": "nomatch", "limit": 1}]},
            "Analysis spec invalid: measurementRetention[0]: Rule didn't match any metric name(s)",
        ),
    ],
    ids=[
        "FlattenTemplates dryRun",
        "FlattenTemplates measurementRetention",
        "TestGetMeasurementRetentionMetrics",
    ],
)
def test_a_templates_rules_are_checked(rules: dict[str, Any], reason: str) -> None:
    assert refused(template(**rules)).reason == reason
