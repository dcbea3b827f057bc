"""A spec error names its file, its document (`AnalysisTemplate "name"`) and its field path, each once."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from canarykit import ConditionSyntaxError, Rollout, SpecError
from canarykit.argo import load, load_analysis_template
from canarykit.argo.providers import ADDRESS_ENV
from canarykit.testing import InMemoryRouter, InMemoryWorkload

DATA = Path(__file__).parent.parent / "data"
ROLLOUT = DATA / "rollout.yaml"
TEMPLATE = yaml.safe_load((DATA / "analysis-template.yaml").read_text())
LABEL = 'AnalysisTemplate "success-rate"'


def template_file(tmp_path: Path, **fields: Any) -> Path:
    """The reference template with fields of its metric changed (None deletes one), written to a file."""
    document = copy.deepcopy(TEMPLATE)
    metric = document["spec"]["metrics"][0]
    for key, value in fields.items():
        metric.pop(key) if value is None else metric.update({key: value})
    path = tmp_path / "template.yaml"
    path.write_text(yaml.safe_dump(document))
    return path


def test_an_unknown_field_names_its_path_once(tmp_path: Path) -> None:
    path = template_file(tmp_path, intervall="5s")
    with pytest.raises(SpecError) as caught:
        load_analysis_template(path)
    error = caught.value
    assert str(error) == f"{path}: {LABEL}: spec.metrics[0].intervall: unknown field"
    assert (error.source, error.document, error.path, error.reason) == (
        str(path),
        LABEL,
        "spec.metrics[0].intervall",
        "unknown field",
    )


def test_a_rollout_field_error_names_the_text_and_the_rollout() -> None:
    text = ROLLOUT.read_text().replace("  replicas: 1", "  replica: 1")
    with pytest.raises(SpecError) as caught:
        load(text, DATA / "analysis-template.yaml")
    assert str(caught.value) == '<text>: Rollout "canary-demo": spec.replica: unknown field'


def test_a_template_loaded_with_a_rollout_names_itself_and_its_file(tmp_path: Path) -> None:
    path = template_file(tmp_path, count=2)
    with pytest.raises(SpecError) as caught:
        load(ROLLOUT, path)
    assert str(caught.value) == (
        f"{path}: {LABEL}: spec.metrics[0]: Analysis spec invalid: metrics[0]: "
        "count (2) must be >= failureLimit + consecutiveSuccessLimit (3 + 0) if both >= 0"
    )


def test_a_condition_error_keeps_its_location(tmp_path: Path) -> None:
    path = template_file(tmp_path, successCondition="result[0] >")
    with pytest.raises(ConditionSyntaxError) as caught:
        load(ROLLOUT, path)
    assert str(caught.value).startswith(f"{path}: {LABEL}: spec.metrics[0].successCondition: ")
    assert caught.value.path == "spec.metrics[0].successCondition"


def test_a_provider_error_building_a_rollouts_metrics_names_the_template_and_its_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The regression: the error said `spec.metrics[0]: ...` and named neither the template nor the file."""
    monkeypatch.delenv(ADDRESS_ENV, raising=False)
    document = copy.deepcopy(TEMPLATE)
    del document["spec"]["metrics"][0]["provider"]["prometheus"]["address"]
    path = tmp_path / "no-address.yaml"
    path.write_text(yaml.safe_dump(document))
    spec = load(ROLLOUT, path)
    with pytest.raises(SpecError) as caught:
        Rollout.from_spec(spec, InMemoryRouter(), InMemoryWorkload())
    assert str(caught.value).startswith(
        f"{path}: {LABEL}: spec.metrics[0]: Analysis spec invalid: metrics[0]: "
    )
    assert str(caught.value).count("spec.metrics[0]") == 1


def test_an_argument_error_building_metrics_names_the_template() -> None:
    template = load_analysis_template(DATA / "analysis-template.yaml")
    with pytest.raises(SpecError) as caught:
        template.metrics({})
    assert str(caught.value) == (
        f"{DATA / 'analysis-template.yaml'}: {LABEL}: spec.args[0]: args.ingress was not resolved"
    )


def test_the_first_location_stands() -> None:
    error = SpecError("bad", "spec.x").located("a.yaml", 'Rollout "r"').located("b.yaml")
    assert str(error) == 'a.yaml: Rollout "r": spec.x: bad'
    assert error.args == (str(error),)
    assert str(SpecError("bad")) == "bad" and str(SpecError("bad", "spec.x")) == "spec.x: bad"
