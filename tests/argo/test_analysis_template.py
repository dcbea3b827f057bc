"""Loading Argo AnalysisTemplates: validation before anything runs, args, providers."""

from __future__ import annotations

from pathlib import Path

import pytest

from canarykit import (
    ArgumentError,
    ConditionSyntaxError,
    Phase,
    PrometheusProvider,
    SpecError,
    UnsupportedFeature,
)
from canarykit.argo import load_analysis_template
from canarykit.testing import FakeClock, ScriptedProvider

DATA = Path(__file__).parent.parent / "data"
REFERENCE = DATA / "analysis-template.yaml"

TEMPLATE = """
apiVersion: argoproj.io/v1alpha1
kind: AnalysisTemplate
metadata: {name: t}
spec:
  args: [{name: ingress}, {name: threshold, value: "0.9"}]
  metrics:
    - name: m
      interval: 10s
      failureLimit: 3
      successCondition: "result[0] > {{ args.threshold }}"
      provider:
        prometheus:
          address: http://prometheus.example:9090
          query: 'sum(rate(x{ingress="{{args.ingress}}"}[1m]))'
"""


def with_metric_field(extra: str) -> str:
    return TEMPLATE.replace("      interval: 10s\n", f"      interval: 10s\n      {extra}\n")


def test_reference_template_loads_and_substitutes_args() -> None:
    template = load_analysis_template(REFERENCE)
    assert (template.kind, template.name, template.argument_names) == (
        "AnalysisTemplate",
        "success-rate",
        ("ingress",),
    )
    [metric] = template.metrics({"ingress": "canary-demo"}, prometheus="http://127.0.0.1:9")
    assert metric.name == "success-rate"
    assert metric.interval == 10.0
    assert metric.failure_limit == 3
    assert metric.success_condition is not None and metric.success_condition.source == "result[0] > 0.90"
    assert metric.query is not None and 'ingress="canary-demo"' in metric.query and "{{" not in metric.query
    assert isinstance(metric.provider, PrometheusProvider)


def test_loads_from_text_and_path_alike(tmp_path: Path) -> None:
    path = tmp_path / "t.yaml"
    path.write_text(TEMPLATE)
    assert load_analysis_template(str(path)).name == load_analysis_template(TEMPLATE).name == "t"


def test_args_are_json_escaped_and_override_defaults() -> None:
    [metric] = load_analysis_template(TEMPLATE).metrics(
        {"ingress": 'a"b', "threshold": "0.5", "unknown": "x"}
    )
    assert metric.query == 'sum(rate(x{ingress="a"b"}[1m]))'
    assert metric.success_condition is not None and metric.success_condition.source == "result[0] > 0.5"


def test_missing_arg_is_refused() -> None:
    with pytest.raises(ArgumentError, match=r"args.ingress was not resolved"):
        load_analysis_template(TEMPLATE).metrics({})


def test_tag_naming_an_undeclared_arg_is_refused_at_load() -> None:
    with pytest.raises(ArgumentError, match=r"failed to resolve \{\{args.nope\}\}"):
        load_analysis_template(TEMPLATE.replace("args.ingress", "args.nope"))


def test_literal_braces_in_a_query_are_refused_at_load() -> None:
    with pytest.raises(ArgumentError, match=r"failed to resolve \{\{x\}\}"):
        load_analysis_template(TEMPLATE.replace("sum(rate(", "{{x}} + sum(rate("))


def test_instantiated_run_uses_the_given_provider_and_clock() -> None:
    provider = ScriptedProvider([[0.5]])
    run = load_analysis_template(TEMPLATE).instantiate(
        {"ingress": "i"}, prometheus=provider, clock=FakeClock(0)
    )
    result = run.run()
    assert result.phase is Phase.FAILED
    assert result.message == 'Metric "m" assessed Failed due to failed (4) > failureLimit (3)'
    assert provider.calls[0][0] == 'sum(rate(x{ingress="i"}[1m]))'


@pytest.mark.parametrize(
    ("text", "path", "message"),
    [
        (with_metric_field("intervall: 5s"), "spec.metrics[0].intervall", "unknown field"),
        (TEMPLATE.replace("kind: AnalysisTemplate", "kind: Rollout"), "", "expected one AnalysisTemplate"),
        (TEMPLATE.replace("failureLimit: 3", "failureLimit: [3]"), "spec.metrics[0].failureLimit", ""),
        (TEMPLATE.replace("apiVersion: argoproj.io/v1alpha1", "apiVersion: v1"), "apiVersion", ""),
        (TEMPLATE + "  bogus: 1\n", "spec.bogus", "unknown field"),
    ],
)
def test_structural_errors_name_the_field(text: str, path: str, message: str) -> None:
    with pytest.raises(SpecError) as caught:
        load_analysis_template(text)
    assert caught.value.path == path
    assert message in str(caught.value)


def test_malformed_yaml() -> None:
    with pytest.raises(SpecError, match="malformed YAML"):
        load_analysis_template("apiVersion: [unclosed\n")


def test_missing_file() -> None:
    with pytest.raises(SpecError, match="cannot read"):
        load_analysis_template("no/such/template.yaml")


@pytest.mark.parametrize(
    ("field", "message"),
    [
        (
            'interval: "5"',
            'Analysis spec invalid: metrics[0]: invalid interval string: time: missing unit in duration "5"',
        ),
        (
            "count: 2\n      inconclusiveLimit: 3",
            "Analysis spec invalid: metrics[0]: "
            "count (2) must be >= failureLimit + consecutiveSuccessLimit (3 + 0) if both >= 0",
        ),
    ],
)
def test_semantic_errors_use_argos_messages(field: str, message: str) -> None:
    text = (
        TEMPLATE.replace("interval: 10s", field) if field.startswith("interval") else with_metric_field(field)
    )
    with pytest.raises(SpecError) as caught:
        load_analysis_template(text).metrics({"ingress": "i"})
    assert caught.value.reason == message
    assert caught.value.path == "spec.metrics[0]"


def test_bad_condition_names_its_path() -> None:
    text = TEMPLATE.replace("result[0] > {{ args.threshold }}", "result[0] >")
    with pytest.raises(ConditionSyntaxError) as caught:
        load_analysis_template(text).metrics({"ingress": "i"})
    assert caught.value.path == "spec.metrics[0].successCondition"


def test_address_without_scheme_is_refused_before_any_query() -> None:
    text = TEMPLATE.replace("http://prometheus.example:9090", "prometheus.example:9090")
    with pytest.raises(SpecError, match="prometheus address is not is url format"):
        load_analysis_template(text).metrics({"ingress": "i"})


@pytest.mark.parametrize(
    ("replacement", "path"),
    [
        ("newRelic:\n          query: x", "spec.metrics[0].provider.newRelic"),
        ("graphite:\n          query: x", "spec.metrics[0].provider.graphite"),
    ],
)
def test_unsupported_providers_name_the_yaml_path(replacement: str, path: str) -> None:
    start = TEMPLATE.index("prometheus:\n")
    text = TEMPLATE[:start] + replacement + "\n"
    with pytest.raises(UnsupportedFeature) as caught:
        load_analysis_template(text)
    assert caught.value.path == path


def test_web_provider_template() -> None:
    text = TEMPLATE[: TEMPLATE.index("prometheus:\n")] + (
        "web:\n          url: http://127.0.0.1:1/health\n          jsonPath: '{$.ok}'\n"
    )
    [metric] = load_analysis_template(text).metrics({"ingress": "i"})
    assert type(metric.provider).__name__ == "WebProvider"


def test_dry_run_rules() -> None:
    text = TEMPLATE + "  dryRun: [{metricName: '.*'}]\n"
    [metric] = load_analysis_template(text).metrics({"ingress": "i"})
    assert metric.dry_run
    with pytest.raises(SpecError, match=r"dryRun\[0\]: Rule didn't match any metric name"):
        load_analysis_template(TEMPLATE + "  dryRun: [{metricName: nomatch}]\n").metrics({"ingress": "i"})


def test_cluster_analysis_template() -> None:
    template = load_analysis_template(
        TEMPLATE.replace("kind: AnalysisTemplate", "kind: ClusterAnalysisTemplate")
    )
    assert template.kind == "ClusterAnalysisTemplate"


def test_templated_limits_follow_argo_int_or_string() -> None:
    text = TEMPLATE.replace("failureLimit: 3", 'failureLimit: "{{args.threshold}}"')
    [metric] = load_analysis_template(text).metrics({"ingress": "i", "threshold": "2"})
    assert metric.failure_limit == 2
