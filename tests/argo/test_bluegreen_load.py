"""`strategy.blueGreen` loads into a `BlueGreen` (Argo's examples, every field), with Argo's checks."""

from __future__ import annotations

import copy
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import yaml

from canarykit import SpecError
from canarykit.argo import RolloutSpec, load
from canarykit.argo.bluegreen import REVISION_LIMIT
from canarykit.argo.run_templates import AnalysisTemplates
from canarykit.errors import ArgumentError, UnsupportedFeature
from canarykit.steps import Plan
from canarykit.steps.bluegreen import DUPLICATED_SERVICES, BlueGreen

DATA = Path(__file__).parent.parent / "data" / "argo" / "bluegreen"
SMOKE_TESTS = str(DATA / "smoke-tests.yaml")
PRE_PROMOTION = yaml.safe_load((DATA / "pre-promotion.yaml").read_text())
BLUE_GREEN = "spec.strategy.blueGreen"
ANALYSIS = {
    "templates": [{"templateName": "smoke-tests"}],
    "args": [{"name": "service-name", "value": "preview-svc"}],
}


def with_blue_green(**fields: Any) -> str:
    """The docs' pre-promotion Rollout with its `blueGreen` fields replaced (None removes one), as YAML."""
    document = copy.deepcopy(PRE_PROMOTION)
    strategy = document["spec"]["strategy"]["blueGreen"]
    for name, value in fields.items():
        if value is None:
            strategy.pop(name, None)
        else:
            strategy[name] = value
    return yaml.safe_dump(document)


def load_with(**fields: Any) -> RolloutSpec:
    return load(with_blue_green(**fields), SMOKE_TESTS)


def options(spec: RolloutSpec) -> BlueGreen:
    assert spec.blue_green is not None
    return spec.blue_green


def _without_analyses(blue_green: BlueGreen) -> BlueGreen:
    """The options but the analyses (templates loaded twice are two objects)."""
    return replace(blue_green, pre_promotion_analysis=None, post_promotion_analysis=None)


def test_argo_example_loads_with_a_manual_gate() -> None:
    spec = load(str(DATA / "rollout-bluegreen.yaml"))  # beside two Services, which load() ignores
    assert spec.name == "rollout-bluegreen" and spec.replicas == 2
    assert options(spec) == BlueGreen(
        "rollout-bluegreen-active", "rollout-bluegreen-preview", auto_promotion_enabled=False
    )
    assert options(spec).needs_manual_promotion
    assert spec.steps == Plan() and spec.background is None and spec.nginx is None
    assert (spec.scale_down_delay, spec.abort_scale_down_delay) == (30.0, 30.0)


def test_e2e_rollout_without_preview_loads() -> None:
    spec = load(str(DATA / "e2e-rollout-bluegreen.yaml"))
    assert options(spec) == BlueGreen("bluegreen", scale_down_delay=10)
    assert options(spec).preview_service is None and not options(spec).pauses_before_promotion


@pytest.mark.parametrize(
    ("name", "field", "delay"),
    [("pre-promotion", "pre_promotion_analysis", 30), ("post-promotion", "post_promotion_analysis", 600)],
)
def test_docs_promotion_analyses_load_with_their_templates(name: str, field: str, delay: int) -> None:
    spec = load(str(DATA / f"{name}.yaml"), SMOKE_TESTS)
    blue_green = options(spec)
    analysis = getattr(blue_green, field)
    assert isinstance(analysis.source, AnalysisTemplates)
    assert [template.name for template in analysis.source] == ["smoke-tests"]
    assert dict(analysis.args) == {"service-name": "preview-svc.default.svc.cluster.local"}
    other = "post_promotion_analysis" if field.startswith("pre") else "pre_promotion_analysis"
    assert getattr(blue_green, other) is None
    assert blue_green.scale_down_delay == delay and spec.scale_down_delay == delay
    assert (blue_green.active_service, blue_green.preview_service) == ("active-svc", "preview-svc")


def test_every_field_maps_to_blue_green() -> None:
    spec = load_with(
        prePromotionAnalysis=ANALYSIS,
        postPromotionAnalysis={**ANALYSIS, "args": [{"name": "service-name", "value": "active-svc"}]},
        autoPromotionEnabled=True,
        autoPromotionSeconds=45,
        previewReplicaCount=1,
        scaleDownDelaySeconds=0,
        abortScaleDownDelaySeconds=0,
    )
    blue_green = options(spec)
    assert blue_green.auto_promotion_delay_seconds == 45 and blue_green.pauses_before_promotion
    assert blue_green.preview_replica_count == 1
    assert blue_green.scale_down_delay_seconds == 0.0
    assert blue_green.abort_scale_down_delay_seconds is None  # Argo: 0 = the new version is never removed
    assert (spec.scale_down_delay, spec.abort_scale_down_delay) == (0.0, 0.0)
    assert blue_green.post_promotion_analysis is not None
    assert dict(blue_green.post_promotion_analysis.args) == {"service-name": "active-svc"}


def test_auto_promotion_seconds_is_ignored_when_auto_promotion_is_disabled() -> None:
    blue_green = options(load_with(autoPromotionEnabled=False, autoPromotionSeconds=45))
    assert blue_green.needs_manual_promotion and blue_green.auto_promotion_delay_seconds == 45


def test_fields_canarykit_cannot_honour_are_accepted_and_ignored() -> None:
    metadata = {"labels": {"role": "preview"}, "annotations": {"a": "b"}}
    spec = load_with(
        previewMetadata=metadata,
        activeMetadata={"labels": {"role": "active"}},
        maxUnavailable="10%",
        scaleDownDelayRevisionLimit=2,
    )
    assert _without_analyses(options(spec)) == _without_analyses(options(load_with()))


def test_no_templates_is_no_analysis_as_in_argo() -> None:
    assert options(load_with(prePromotionAnalysis={"templates": []})).pre_promotion_analysis is None


def test_with_cluster_rebinds_the_promotion_analyses() -> None:
    spec = load_with(postPromotionAnalysis=ANALYSIS)
    cluster = _Cluster()
    bound = options(spec.with_cluster(cluster))
    for analysis in (bound.pre_promotion_analysis, bound.post_promotion_analysis):
        assert analysis is not None
        assert [template.cluster for template in analysis.source] == [cluster]
    assert _without_analyses(bound) == _without_analyses(options(spec))  # the same options otherwise


def test_prometheus_override_reaches_the_promotion_analyses() -> None:
    blue_green = options(load_with(postPromotionAnalysis=ANALYSIS))
    for analysis in (blue_green.pre_promotion_analysis, blue_green.post_promotion_analysis):
        assert analysis is not None
        (metric,) = analysis.source.metrics(analysis.args, "http://127.0.0.1:9")
        assert metric.provider.address == "http://127.0.0.1:9"


def bad(field: str, value: Any, message: str, path: str, error: type[SpecError] = SpecError) -> Any:
    return pytest.param(field, value, message, path, error, id=f"{field}={value!r}")


@pytest.mark.parametrize(
    ("field", "value", "message", "path", "error"),
    [
        bad("previewService", "active-svc", DUPLICATED_SERVICES, "spec.strategy.activeService"),
        bad("scaleDownDelayRevisionLimit", 11, REVISION_LIMIT, "spec.strategy.scaleDownDelayRevisionLimit"),
        bad(
            "antiAffinity",
            {"requiredDuringSchedulingIgnoredDuringExecution": {}},
            "antiAffinity",
            "",
            UnsupportedFeature,
        ),
        bad("activeService", None, "required field is missing", ".activeService"),
        bad("activeService", ["a"], "string", ".activeService"),
        bad("activeService", " ", "Required value", ".activeService"),
        bad("previewService", "  ", "a Service name, or nothing for no preview", ".previewService"),
        bad("autoPromotionEnabled", "false", "boolean", ".autoPromotionEnabled"),
        bad("autoPromotionEnabled", 0, "boolean", ".autoPromotionEnabled"),
        bad("autoPromotionSeconds", -1, "greater than or equal to 0", ".autoPromotionSeconds"),
        bad("autoPromotionSeconds", "30", "integer", ".autoPromotionSeconds"),
        bad("autoPromotionSeconds", True, "integer", ".autoPromotionSeconds"),
        bad("autoPromotionSeconds", 1.5, "integer", ".autoPromotionSeconds"),
        bad("scaleDownDelaySeconds", -30, "greater than or equal to 0", ".scaleDownDelaySeconds"),
        bad("scaleDownDelaySeconds", 2**31, "less than or equal to 2147483647", ".scaleDownDelaySeconds"),
        bad("abortScaleDownDelaySeconds", -1, "greater than or equal to 0", ".abortScaleDownDelaySeconds"),
        bad("abortScaleDownDelaySeconds", 2**40, "less than or equal", ".abortScaleDownDelaySeconds"),
        bad("previewReplicaCount", -1, "greater than or equal to 0", ".previewReplicaCount"),
        bad("previewReplicaCount", "1", "integer", ".previewReplicaCount"),
        bad("scaleDownDelayRevisionLimit", -1, "greater than or equal to 0", ".scaleDownDelayRevisionLimit"),
        bad("maxUnavailable", [1], "", ".maxUnavailable"),
        bad("previewMetadata", {"labels": "oops"}, "", ".previewMetadata.labels"),
        bad("scaleDownDelay", 30, "", ".scaleDownDelay"),  # a typo of scaleDownDelaySeconds
        bad("prePromotionAnalysis", "smoke-tests", "", ".prePromotionAnalysis"),
    ],
)
def test_invalid_blue_green_is_a_spec_error_at_its_path(
    field: str, value: Any, message: str, path: str, error: type[SpecError]
) -> None:
    with pytest.raises(error) as caught:
        load_with(**{field: value})
    where = BLUE_GREEN + path if path.startswith(".") else path or f"{BLUE_GREEN}.{field}"
    assert caught.value.path == where
    assert message in caught.value.reason


def test_an_integer_beyond_64_bits_is_refused_where_the_yaml_is_read() -> None:
    with pytest.raises(SpecError, match=r"integer out of the 64-bit range \(line \d+, column \d+\)"):
        load_with(abortScaleDownDelaySeconds=10**30)


def test_two_empty_service_names_are_argos_duplicate() -> None:
    with pytest.raises(SpecError) as caught:
        load_with(activeService="", previewService=None)
    assert (caught.value.reason, caught.value.path) == (DUPLICATED_SERVICES, "spec.strategy.activeService")


def test_revision_limit_may_equal_the_revision_history_limit() -> None:
    assert load_with(scaleDownDelayRevisionLimit=10).blue_green is not None  # Argo's default history: 10
    document = yaml.safe_load(with_blue_green(scaleDownDelayRevisionLimit=3))
    document["spec"]["revisionHistoryLimit"] = 2
    with pytest.raises(SpecError, match="scale down limit"):
        load(yaml.safe_dump(document), SMOKE_TESTS)


def test_canary_and_blue_green_together_stay_refused() -> None:
    document = yaml.safe_load(with_blue_green())
    document["spec"]["strategy"]["canary"] = {"steps": [{"setWeight": 50}]}
    with pytest.raises(SpecError) as caught:
        load(yaml.safe_dump(document), SMOKE_TESTS)
    assert (caught.value.reason, caught.value.path) == (
        "Multiple Strategies can not be listed",
        "spec.strategy",
    )


PRE = f"{BLUE_GREEN}.prePromotionAnalysis"


@pytest.mark.parametrize(
    ("analysis", "message", "path", "error"),
    [
        (
            {"templates": [{"templateName": "missing"}]},
            'AnalysisTemplate "missing" not found',
            f"{PRE}.templates[0].templateName",
            SpecError,
        ),
        (
            {**ANALYSIS, "templates": [{"templateName": "smoke-tests", "clusterScope": True}]},
            'ClusterAnalysisTemplate "smoke-tests" not found',
            f"{PRE}.templates[0].templateName",
            SpecError,
        ),
        (
            {"templates": [{"templateName": "smoke-tests"}]},
            "AnalysisTemplate smoke-tests: args.service-name was not resolved",
            f"{PRE}.args",
            ArgumentError,
        ),
        (
            {**ANALYSIS, "dryRun": [{"metricName": "nothing"}]},
            "dryRun[0]: Rule didn't match any metric name(s)",
            f"{PRE}.dryRun[0].metricName",
            SpecError,
        ),
        (
            {
                **ANALYSIS,
                "args": [{"name": "service-name", "valueFrom": {"fieldRef": {"fieldPath": "spec.x"}}}],
            },
            "only metadata fields are supported",
            f"{PRE}.args[0].valueFrom.fieldRef.fieldPath",
            UnsupportedFeature,
        ),
    ],
)
def test_promotion_analysis_templates_are_checked_as_step_analyses(
    analysis: dict[str, Any], message: str, path: str, error: type[SpecError]
) -> None:
    with pytest.raises(error) as caught:
        load_with(prePromotionAnalysis=analysis)
    assert message in caught.value.reason and caught.value.path == path


def test_a_promotion_analysis_must_end_as_argo_requires() -> None:
    template = yaml.safe_load((DATA / "smoke-tests.yaml").read_text())
    del template["spec"]["metrics"][0]["count"]
    with pytest.raises(SpecError) as caught:
        load(
            with_blue_green(prePromotionAnalysis=None, postPromotionAnalysis=ANALYSIS),
            yaml.safe_dump(template),
        )
    assert "has metric success-rate which runs indefinitely" in caught.value.reason
    assert caught.value.path == f"{BLUE_GREEN}.postPromotionAnalysis.templates"


class _Cluster:
    """A cluster the templates are bound to (nothing is read from it here)."""

    namespace = "default"

    def read_secret(self, name: str, key: str) -> str:
        raise AssertionError("no Secret is read")

    def job_provider(self, metric_name: str, job: Any) -> Any:
        raise AssertionError("no Job runs")
