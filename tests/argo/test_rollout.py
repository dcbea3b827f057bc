"""Loading Argo Rollouts: the reference scenario, step conversion, every validation error with its path."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from canarykit import ArgumentError, SpecError, UnsupportedFeature
from canarykit.argo import BackgroundSpec, NginxRouting, RolloutSpec, load
from canarykit.steps import Analysis, HeaderMatch, Pause, SetCanaryScale, SetHeaderRoute, SetWeight

DATA = Path(__file__).parent.parent / "data"
ROLLOUT = DATA / "rollout.yaml"
TEMPLATE = DATA / "analysis-template.yaml"
SCENARIO = Path(__file__).parent.parent.parent / "examples" / "reference-scenario"
CANARY = "spec.strategy.canary"
INVALID_STEP = (
    "Step must have one of the following set: experiment, setWeight, setCanaryScale, plugin or pause"
)

Mutation = Callable[[dict[str, Any]], None]


def rollout_text(mutate: Mutation) -> str:
    """The reference Rollout as YAML text, changed by `mutate` (which edits the parsed document)."""
    document = yaml.safe_load(ROLLOUT.read_text())
    mutate(document)
    return yaml.safe_dump(document)


def canary(document: dict[str, Any]) -> dict[str, Any]:
    strategy: dict[str, Any] = document["spec"]["strategy"]["canary"]
    return strategy


def load_with(mutate: Mutation) -> RolloutSpec:
    return load(rollout_text(mutate), TEMPLATE)


def with_steps(*steps: dict[str, Any]) -> Mutation:
    def mutate(document: dict[str, Any]) -> None:
        canary(document)["steps"] = list(steps)
        canary(document)["analysis"].pop("startingStep")

    return mutate


def test_reference_rollout_loads_to_the_exact_plan() -> None:
    spec = load(ROLLOUT, TEMPLATE)
    assert list(spec.steps) == [
        SetWeight(20),
        Pause("2m"),
        SetWeight(40),
        Pause("2m"),
        SetWeight(60),
        Pause("2m"),
        SetWeight(80),
        Pause("2m"),
    ]
    assert [step.seconds for step in spec.steps if isinstance(step, Pause)] == [120.0] * 4
    assert (spec.name, spec.namespace, spec.replicas) == ("canary-demo", None, 1)


def test_reference_background_analysis_routing_and_defaults() -> None:
    spec = load(ROLLOUT, TEMPLATE)
    assert isinstance(spec.background, BackgroundSpec)
    assert spec.background.starting_step == 2
    assert dict(spec.background.args) == {"ingress": "canary-demo"}
    assert [template.name for template in spec.background.templates] == ["success-rate"]
    assert spec.background.templates[0] is spec.templates["success-rate"]
    assert (spec.canary_service, spec.stable_service) == ("canary-demo-canary", "canary-demo")
    assert spec.nginx == NginxRouting(stable_ingresses=("canary-demo",))
    assert spec.nginx.annotation_prefix == "nginx.ingress.kubernetes.io" and spec.nginx.max_weight is None
    assert (spec.scale_down_delay, spec.abort_scale_down_delay, spec.progress_deadline) == (30.0, 30.0, 600.0)
    assert spec.pod_template["spec"]["containers"][0]["image"] == "argoproj/rollouts-demo:blue"


def test_services_and_ingresses_in_the_same_file_are_ignored() -> None:
    texts = [(SCENARIO / name).read_text() for name in ("services.yaml", "rollout.yaml", "ingress.yaml")]
    combined = "\n---\n".join([*texts, TEMPLATE.read_text()])
    assert combined.count("kind:") == 5
    spec, separate = load(combined), load(ROLLOUT, TEMPLATE)
    assert (spec.steps, spec.nginx, spec.stable_service) == (
        separate.steps,
        separate.nginx,
        separate.stable_service,
    )
    assert list(spec.templates) == ["success-rate"]
    assert spec.background is not None and spec.background.templates == (spec.templates["success-rate"],)


def test_loads_from_text_paths_and_strings_alike() -> None:
    assert load(ROLLOUT.read_text(), str(TEMPLATE)).steps == load(ROLLOUT, TEMPLATE).steps


def test_spec_is_frozen() -> None:
    spec = load(ROLLOUT, TEMPLATE)
    with pytest.raises(dataclasses.FrozenInstanceError):
        spec.replicas = 3  # type: ignore[misc]


@pytest.mark.parametrize(
    ("duration", "expected", "seconds"),
    [
        (30, Pause(30), 30.0),
        ("10", Pause(10), 10.0),
        ("0", Pause(0), 0.0),
        ("1h30m", Pause("1h30m"), 5400.0),
        ("1.5m", Pause("1.5m"), 90.0),
        ("1500ms", Pause(1), 1.0),  # Argo truncates to whole seconds
    ],
)
def test_pause_durations_follow_argo(duration: Any, expected: Pause, seconds: float) -> None:
    [pause] = load_with(with_steps({"pause": {"duration": duration}})).steps
    assert pause == expected
    assert isinstance(pause, Pause) and pause.seconds == seconds


def test_pause_without_duration_is_indefinite() -> None:
    [pause] = load_with(with_steps({"pause": {}})).steps
    assert isinstance(pause, Pause) and pause.indefinite


def test_analysis_step_references_the_loaded_template() -> None:
    step = {
        "analysis": {
            "templates": [{"templateName": "success-rate"}],
            "args": [{"name": "ingress", "value": "x"}],
        }
    }
    document = yaml.safe_load(TEMPLATE.read_text())
    document["spec"]["metrics"][0]["count"] = 3
    spec = load(rollout_text(with_steps({"setWeight": 10}, step)), yaml.safe_dump(document))
    analysis = spec.steps[1]
    assert isinstance(analysis, Analysis)
    assert analysis.source == (spec.templates["success-rate"],)
    assert dict(analysis.args) == {"ingress": "x"}


@pytest.mark.parametrize(
    ("scale", "expected"),
    [
        ({"replicas": 2}, SetCanaryScale(replicas=2)),
        ({"weight": 25}, SetCanaryScale(weight=25)),
        ({"weight": 25, "replicas": 2}, SetCanaryScale(replicas=2)),  # Argo: replicas wins
        ({"matchTrafficWeight": True, "replicas": 2}, SetCanaryScale(match_traffic_weight=True)),
    ],
)
def test_set_canary_scale_follows_argo_precedence(scale: dict[str, Any], expected: SetCanaryScale) -> None:
    assert list(load_with(with_steps({"setCanaryScale": scale})).steps) == [expected]


def test_nginx_options_and_valuefrom_metadata_args() -> None:
    def mutate(document: dict[str, Any]) -> None:
        document["metadata"]["labels"] = {"team": "shop"}
        canary(document)["trafficRouting"] = {
            "maxTrafficWeight": 1000,
            "nginx": {
                "stableIngresses": ["a", "b"],
                "annotationPrefix": "custom.nginx",
                "additionalIngressAnnotations": {"canary-by-header": "X-Canary"},
                "canaryIngressAnnotations": {"custom.nginx/x": "1"},
            },
        }
        canary(document)["analysis"]["args"] = [
            {"name": "ingress", "valueFrom": {"fieldRef": {"fieldPath": "metadata.labels['team']"}}}
        ]

    spec = load_with(mutate)
    assert spec.nginx == NginxRouting(
        stable_ingresses=("a", "b"),
        annotation_prefix="custom.nginx",
        additional_ingress_annotations={"canary-by-header": "X-Canary"},
        canary_ingress_annotations={"custom.nginx/x": "1"},
        max_weight=1000,
    )
    assert spec.background is not None and dict(spec.background.args) == {"ingress": "shop"}


def test_no_background_analysis_without_templates() -> None:
    spec = load_with(lambda document: canary(document).pop("analysis"))
    assert spec.background is None


def set_in(path: str, value: Any) -> Mutation:
    """Set a dotted path (`spec.strategy.canary.steps[0].setWeight`) in the document."""

    def mutate(document: dict[str, Any]) -> None:
        *parents, last = path.replace("[", ".").replace("]", "").split(".")
        node: Any = document
        for part in parents:
            node = node[int(part)] if part.isdigit() else node[part]
        if value is DELETE:
            del node[int(last) if last.isdigit() else last]
        else:
            node[int(last) if last.isdigit() else last] = value

    return mutate


DELETE = object()
EXPERIMENT = {"templates": [{"name": "x", "specRef": "canary"}]}
STEP_ANALYSIS = {"templates": [{"templateName": "success-rate"}], "args": [{"name": "ingress", "value": "x"}]}
BOTH_INGRESSES = "Either StableIngress or StableIngresses must be configured. Both are configured."
NO_INGRESS = "Either StableIngress or StableIngresses must be configured. Neither are configured."
NO_SERVICE = "Canary service and Stable service must to be set to use Traffic Routing"


def at(path: str) -> str:
    """`.steps[0]` -> `spec.strategy.canary.steps[0]`; other paths unchanged."""
    return CANARY + path if path.startswith(".") else path


def update(**fields: Any) -> Mutation:
    """Set fields of `spec.strategy.canary`."""
    return lambda document: canary(document).update(fields)


def both(*mutations: Mutation) -> Mutation:
    def mutate(document: dict[str, Any]) -> None:
        for mutation in mutations:
            mutation(document)

    return mutate


def bad(
    path: str, value: Any, message: str, where: str | None = None, error: type[SpecError] = SpecError
) -> Any:
    """A case: setting `path` to `value` raises `error` with `message` at `where` (default: `path`)."""
    return pytest.param(set_in(at(path), value), error, message, at(where or path), id=f"{path}={value!r}")


def bad_change(mutate: Mutation, message: str, where: str, error: type[SpecError] = SpecError) -> Any:
    return pytest.param(mutate, error, message, at(where), id=message[:40])


HEADER_MATCH = {"headerName": "X-Canary", "headerValue": {"exact": "yes"}}

ERRORS = [
    bad(".steps[2].setWeight", 101, "SetWeight needs to be between 0 and 100"),
    bad(".steps[0].setWeight", -1, "SetWeight needs to be between 0 and 100"),
    bad(".steps[1].pause.duration", "soon", "Duration needs to be greater than 0"),
    bad(".steps[1].pause.duration", -5, "Duration needs to be greater than 0"),
    bad(".steps[3].pause.duration", "2d", "Duration needs to be greater than 0"),
    bad(".steps[0].pause", {}, INVALID_STEP, ".steps[0]"),
    bad(".steps[4]", {}, INVALID_STEP),
    bad(
        ".steps[3]", {"experiment": EXPERIMENT}, "experiment step", ".steps[3].experiment", UnsupportedFeature
    ),
    bad(
        ".steps[3]",
        {"setMirrorRoute": {"name": "m"}},
        "setMirrorRoute",
        ".steps[3].setMirrorRoute",
        UnsupportedFeature,
    ),
    bad(
        ".steps[3]",
        {"setHeaderRoute": {"name": "h", "match": [HEADER_MATCH, HEADER_MATCH]}},
        "ingress-nginx routes on a single header",
        ".steps[3].setHeaderRoute.match",
        UnsupportedFeature,
    ),
    bad(
        ".steps[3]",
        {"setHeaderRoute": {"name": "h", "match": [{"headerName": "X", "headerValue": {"regex": "("}}]}},
        "is not a valid regular expression",
        ".steps[3].setHeaderRoute.match[0]",
    ),
    bad(".steps[5]", {"plugin": {"name": "p"}}, "plugin step", ".steps[5].plugin", UnsupportedFeature),
    bad(
        ".steps[7]",
        {"analysis": STEP_ANALYSIS},
        "has metric success-rate which runs indefinitely. Invalid value for count: <nil>",
        ".steps[7].analysis.templates",
    ),
    bad(".canaryService", DELETE, NO_SERVICE),
    bad(".stableService", "", NO_SERVICE),
    bad(".canaryService", "canary-demo", "same service for the stable and canary", ".stableService"),
    bad(".trafficRouting.nginx.stableIngresses", ["a"], BOTH_INGRESSES, ".trafficRouting.nginx"),
    bad(".trafficRouting.nginx.stableIngress", DELETE, NO_INGRESS, ".trafficRouting.nginx"),
    bad(".trafficRouting.istio", {"virtualService": {"name": "v"}}, "istio", error=UnsupportedFeature),
    bad(".analysis.templates[0].templateName", "missing", 'AnalysisTemplate "missing" not found'),
    bad(
        ".analysis.templates[0].clusterScope",
        True,
        'ClusterAnalysisTemplate "success-rate" not found',
        ".analysis.templates[0].templateName",
    ),
    bad(".analysis.startingStep", 8, "startingStep 8 is out of range: the rollout has 8 steps"),
    bad(".analysis.startingStep", -1, "startingStep -1 is out of range"),
    bad(
        ".analysis.args",
        DELETE,
        "AnalysisTemplate success-rate: args.ingress was not resolved",
        error=ArgumentError,
    ),
    bad(
        ".analysis.args[0]",
        {"name": "ingress", "valueFrom": {"podTemplateHashValue": "Latest"}},
        "podTemplateHashValue",
        ".analysis.args[0].valueFrom.podTemplateHashValue",
        UnsupportedFeature,
    ),
    bad(
        ".analysis.args[0]",
        {"name": "ingress", "valueFrom": {"fieldRef": {"fieldPath": "metadata.uid"}}},
        "downwardAPI",
        ".analysis.args[0].valueFrom.fieldRef.fieldPath",
    ),
    bad("spec.workloadRef", {"kind": "Deployment", "name": "d"}, "workloadRef", error=UnsupportedFeature),
    bad(
        "spec.strategy",
        {"blueGreen": {}},
        "required field is missing",
        "spec.strategy.blueGreen.activeService",
    ),
    bad(
        "spec.strategy.blueGreen",
        {"activeService": "a"},
        "Multiple Strategies can not be listed",
        "spec.strategy",
    ),
    bad("spec.strategy", {}, "Rollout has missing field '.spec.strategy.canary or .spec.strategy.blueGreen'"),
    bad("spec.selector", DELETE, "Rollout has missing field '.spec.selector'"),
    bad(
        "spec.selector.matchLabels.app",
        "other",
        "`selector` does not match template `labels`",
        "spec.template.metadata.labels",
    ),
    bad_change(
        update(maxSurge=0, maxUnavailable="0%"),
        "MaxSurge and MaxUnavailable both can not be zero",
        ".maxSurge",
    ),
    bad_change(
        update(trafficRouting=None, steps=[{"setCanaryScale": {"replicas": 1}}], analysis=None),
        "SetCanaryScale requires TrafficRouting to be set",
        ".trafficRouting",
    ),
    bad_change(
        update(trafficRouting=None, scaleDownDelaySeconds=5),
        "Canary scaleDownDelaySeconds can only be used with traffic routing",
        ".scaleDownDelaySeconds",
    ),
    bad_change(
        update(dynamicStableScale=True, scaleDownDelaySeconds=5),
        "Canary dynamicStableScale cannot be used with scaleDownDelaySeconds",
        ".dynamicStableScale",
    ),
    bad_change(
        both(set_in(at(".trafficRouting.maxTrafficWeight"), 1000), set_in(at(".steps[2].setWeight"), 1001)),
        "SetWeight needs to be between 0 and 1000",
        ".steps[2].setWeight",
    ),
]


@pytest.mark.parametrize(("mutate", "error", "message", "path"), ERRORS)
def test_invalid_specs_fail_before_anything_runs(
    mutate: Mutation, error: type[SpecError], message: str, path: str
) -> None:
    """Each problem is a `SpecError` subclass naming its YAML path, raised by `load()` itself."""
    with pytest.raises(error) as raised:
        load_with(mutate)
    assert message in raised.value.reason
    assert raised.value.path == path


@pytest.mark.parametrize(
    ("path", "value"),
    [
        ("spec.strategy.canary.stepz", []),
        ("spec.strategy.canary.steps[2].setWieght", 40),
        ("spec.strategy.canary.trafficRouting.nginx.stableIngres", "x"),
        ("spec.strategy.canary.analysis.templates[0].name", "x"),
        ("spec.strategy.canary.analysis.args[0].valu", "x"),
        ("spec.replica", 3),
    ],
)
def test_unknown_fields_are_errors_with_their_path(path: str, value: Any) -> None:
    with pytest.raises(SpecError, match="unknown field") as raised:
        load_with(set_in(path, value))
    assert raised.value.path == path


def test_wrong_types_name_the_field() -> None:
    with pytest.raises(SpecError) as raised:
        load_with(set_in(at(".steps[0].setWeight"), "lots"))
    assert raised.value.path == f"{CANARY}.steps[0].setWeight"


def test_exactly_one_rollout_is_required() -> None:
    with pytest.raises(SpecError, match="expected exactly one Rollout, found 0"):
        load(TEMPLATE)
    with pytest.raises(SpecError, match="expected exactly one Rollout, found 2"):
        load(ROLLOUT, ROLLOUT, TEMPLATE)


def test_a_template_defined_twice_is_refused() -> None:
    with pytest.raises(SpecError, match='AnalysisTemplate "success-rate" is defined more than once'):
        load(ROLLOUT, TEMPLATE, TEMPLATE)


@pytest.mark.parametrize(
    ("header_value", "expected"),
    [
        ({"exact": "yes"}, HeaderMatch("X-Canary", exact="yes")),
        ({"regex": "^be.*"}, HeaderMatch("X-Canary", regex="^be.*")),
        ({"prefix": "beta."}, HeaderMatch("X-Canary", prefix="beta.")),
    ],
)
def test_set_header_route_steps_become_header_routes(
    header_value: dict[str, str], expected: HeaderMatch
) -> None:
    """The step keeps Argo's name and match kind; the router decides how to express it (see
    tests/rollout/test_header_routing.py for the ingress-nginx form of a prefix)."""
    match = {"headerName": "X-Canary", "headerValue": header_value}
    routes = with_steps(
        {"setHeaderRoute": {"name": "h", "match": [match]}}, {"setHeaderRoute": {"name": "h"}}
    )
    assert tuple(load_with(routes).steps) == (
        SetHeaderRoute(name="h", matches=(expected,)),
        SetHeaderRoute(name="h"),
    )


def test_starting_step_counts_argo_steps_when_a_step_combines_fields() -> None:
    """Argo's step 0 `{setWeight: 20, setCanaryScale: ...}` is two plan steps: startingStep 2 (Argo's
    `setWeight: 40`) is plan step 3."""

    def combine(document: dict[str, Any]) -> None:
        canary(document)["steps"][0]["setCanaryScale"] = {"replicas": 2}

    spec = load(rollout_text(combine), TEMPLATE)
    assert isinstance(spec.steps[3], SetWeight) and spec.steps[3].weight == 40
    assert spec.background is not None and spec.background.starting_step == 3


def test_a_rollout_error_names_the_file_and_the_rollout_once(tmp_path: Path) -> None:
    def break_steps(document: dict[str, Any]) -> None:
        canary(document)["steps"][1]["pause"]["duration"] = "2 minutes"

    path = tmp_path / "rollout.yaml"
    path.write_text(rollout_text(break_steps))
    with pytest.raises(SpecError) as caught:
        load(path, TEMPLATE)
    message = str(caught.value)
    assert message.startswith(f'{path}: Rollout "canary-demo": {CANARY}.steps[1].pause.duration: '), message
    assert message.count("steps[1]") == 1, message
