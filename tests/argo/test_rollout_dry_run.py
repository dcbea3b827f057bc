"""`dryRun` and `measurementRetention` on a Rollout's analysis (background and step), as Argo merges them with
the templates' own rules; rules checked at `load()` with Argo's messages."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from canarykit import AnalysisRun, Rollout, RolloutPhase, SpecError
from canarykit.analysis.progress import KEPT_MEASUREMENTS
from canarykit.argo import load
from canarykit.rollout.result import RolloutResult
from canarykit.testing import (
    FakeClock,
    InMemoryRouter,
    InMemoryStateStore,
    InMemoryWorkload,
    ScriptedProvider,
)

DATA = Path(__file__).parent.parent / "data"
ROLLOUT = yaml.safe_load((DATA / "rollout.yaml").read_text())
TEMPLATE = yaml.safe_load((DATA / "analysis-template.yaml").read_text())
T0 = 1_700_000_000.0
BACKGROUND = "spec.strategy.canary.analysis"

Edit = Callable[[dict[str, Any]], None]


def template(edit: Edit | None = None) -> str:
    """The reference template plus `strict-success-rate` (> 0.99, no failure allowed)."""
    document = copy.deepcopy(TEMPLATE)
    strict = copy.deepcopy(document["spec"]["metrics"][0])
    strict.update({"name": "strict-success-rate", "successCondition": "result[0] > 0.99", "failureLimit": 0})
    document["spec"]["metrics"].append(strict)
    if edit is not None:
        edit(document)
    return yaml.safe_dump(document)


def rollout(**analysis: Any) -> str:
    """The reference Rollout with `analysis` fields added to its background analysis."""
    document = copy.deepcopy(ROLLOUT)
    document["spec"]["strategy"]["canary"]["analysis"].update(analysis)
    return yaml.safe_dump(document)


def step_rollout(**analysis: Any) -> str:
    """Steps [setWeight 20, analysis (with `analysis` fields), setWeight 60] and no background analysis."""
    document = copy.deepcopy(ROLLOUT)
    canary = document["spec"]["strategy"]["canary"]
    step = {"templates": [{"templateName": "success-rate"}], "args": canary.pop("analysis")["args"]}
    canary["steps"] = [{"setWeight": 20}, {"analysis": {**step, **analysis}}, {"setWeight": 60}]
    return yaml.safe_dump(document)


def counted(document: dict[str, Any]) -> None:
    """Three measurements per metric, as a step analysis needs."""
    for metric in document["spec"]["metrics"]:
        metric["count"] = 3


def run(*sources: str, store: InMemoryStateStore | None = None, value: float = 0.95) -> RolloutResult:
    """The spec on in-memory edges, every Prometheus query answering `value` (0.95: only strict fails)."""
    spec = load(*sources)
    router, workload = InMemoryRouter(), InMemoryWorkload("blue")
    prometheus = ScriptedProvider([[value]])
    built = Rollout.from_spec(spec, router, workload, prometheus=prometheus, clock=FakeClock(T0), state=store)
    return built.run("green", handle_signals=False)


def refused(*sources: str) -> SpecError:
    with pytest.raises(SpecError) as caught:
        load(*sources)
    return caught.value


def test_without_a_dry_run_the_strict_metric_aborts_the_rollout() -> None:
    result = run(rollout(), template())
    assert result.phase is RolloutPhase.DEGRADED
    assert result.message.endswith(
        'Metric "strict-success-rate" assessed Failed due to failed (1) > failureLimit (0)'
    )


def test_a_dry_run_rule_on_the_background_analysis_keeps_the_failing_metric_from_aborting() -> None:
    result = run(rollout(dryRun=[{"metricName": "strict-success-rate"}]), template())
    assert result.phase is RolloutPhase.HEALTHY
    strict = result.analyses[0].metric("strict-success-rate")
    assert strict.dry_run and strict.phase.value == "Failed"
    assert strict.message == "Metric assessed Failed due to failed (1) > failureLimit (0)"
    assert not result.analyses[0].metric("success-rate").dry_run


def test_a_dry_run_rule_on_an_analysis_step_applies_to_that_run() -> None:
    assert run(step_rollout(), template(counted)).phase is RolloutPhase.DEGRADED
    result = run(step_rollout(dryRun=[{"metricName": "strict"}]), template(counted))  # a substring matches
    assert result.phase is RolloutPhase.HEALTHY
    assert result.analyses[0].metric("strict-success-rate").dry_run


def test_the_templates_dry_run_and_the_rollouts_add_up() -> None:
    def own_rule(document: dict[str, Any]) -> None:
        document["spec"]["dryRun"] = [{"metricName": "^success-rate$"}]

    spec = load(rollout(dryRun=[{"metricName": "strict.*"}]), template(own_rule))
    assert spec.background is not None
    metrics = spec.background.templates.metrics(spec.background.args, ScriptedProvider([[0.5]]))
    assert [(metric.name, metric.dry_run) for metric in metrics] == [
        ("success-rate", True),
        ("strict-success-rate", True),
    ]


@pytest.mark.parametrize(
    ("rules", "message", "path"),
    [
        (
            {"dryRun": [{"metricName": "strict"}, {"metricName": "latency"}]},
            "Analysis spec invalid: dryRun[1]: Rule didn't match any metric name(s)",
            f"{BACKGROUND}.dryRun[1].metricName",
        ),
        (
            {"dryRun": [{"metricName": "("}]},  # an invalid regex matches nothing, as Go's MatchString
            "Analysis spec invalid: dryRun[0]: Rule didn't match any metric name(s)",
            f"{BACKGROUND}.dryRun[0].metricName",
        ),
        (
            {"measurementRetention": [{"metricName": "latency", "limit": 5}]},
            "Analysis spec invalid: measurementRetention[0]: Rule didn't match any metric name(s)",
            f"{BACKGROUND}.measurementRetention[0].metricName",
        ),
        (
            {"dryRun": [{"metricName": ".*"}, {"metricName": ".*"}]},
            "two Dry-Run metric rules have the same name '.*'",
            f"{BACKGROUND}.dryRun",
        ),
    ],
)
def test_rules_are_checked_at_load_with_argos_messages(
    rules: dict[str, Any], message: str, path: str
) -> None:
    error = refused(rollout(**rules), template())
    assert (error.reason, error.path) == (message, path)


def test_a_rule_repeating_one_of_the_templates_is_refused_as_argo_refuses_the_merged_run() -> None:
    def own_rule(document: dict[str, Any]) -> None:
        document["spec"]["measurementRetention"] = [{"metricName": "strict.*", "limit": 2}]

    error = refused(
        rollout(measurementRetention=[{"metricName": "strict.*", "limit": 3}]), template(own_rule)
    )
    assert error.reason == "two Measurement Retention metric rules have the same name 'strict.*'"
    assert error.path == f"{BACKGROUND}.measurementRetention"


def test_a_step_rule_matching_nothing_names_the_step() -> None:
    error = refused(step_rollout(dryRun=[{"metricName": "latency"}]), template(counted))
    assert error.path == "spec.strategy.canary.steps[1].analysis.dryRun[0].metricName"


def test_a_rollout_arg_cannot_read_a_secret() -> None:
    args = [{"name": "ingress", "valueFrom": {"secretKeyRef": {"name": "s", "key": "k"}}}]
    error = refused(rollout(args=args), template())
    assert error.path == f"{BACKGROUND}.args[0].valueFrom.secretKeyRef"
    assert "declare the arg with valueFrom.secretKeyRef in the AnalysisTemplate" in error.reason


def recorded(store: InMemoryStateStore, metric: str) -> int:
    """How many measurements of `metric` the saved record of the background run holds."""
    record = store.load("canary-demo")
    assert record is not None
    [run] = record["analyses"].values()
    return len(run["metrics"][metric]["measurements"])


def test_measurement_retention_sets_what_the_record_keeps_and_the_result_keeps_all() -> None:
    store = InMemoryStateStore()
    rules = [{"metricName": "^success-rate", "limit": 3}]
    result = run(rollout(measurementRetention=rules), template(), store=store, value=0.995)
    assert result.phase is RolloutPhase.HEALTHY
    for name in ("success-rate", "strict-success-rate"):  # the result (the audit record) keeps them all
        assert len(result.analyses[0].metric(name).measurements) > KEPT_MEASUREMENTS
    assert recorded(store, "success-rate") == 3
    assert recorded(store, "strict-success-rate") == KEPT_MEASUREMENTS  # Argo's default, 10


def test_a_templates_retention_comes_after_the_rollouts_and_a_limit_of_zero_is_the_default() -> None:
    def own_rule(document: dict[str, Any]) -> None:
        document["spec"]["measurementRetention"] = [{"metricName": "^success-rate$", "limit": 5}]

    rules = [{"metricName": "success-rate", "limit": 2}, {"metricName": "strict", "limit": 0}]
    spec = load(rollout(measurementRetention=rules), template(own_rule))
    assert spec.background is not None
    metrics = spec.background.templates.metrics(spec.background.args, ScriptedProvider([[0.995]]))
    analysis = AnalysisRun(metrics, clock=FakeClock(T0))
    analysis.run(duration="5m")
    record = analysis.record()["metrics"]
    kept = {name: len(entry["measurements"]) for name, entry in record.items()}
    assert kept == {"success-rate": 5, "strict-success-rate": KEPT_MEASUREMENTS}
