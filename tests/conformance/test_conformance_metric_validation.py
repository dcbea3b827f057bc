"""Argo's metric validation and template merging tests as vectors: what is refused, with Argo's words."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest
from conformance_templates import documents_text, load_template, rollout_document, template_document
from conformance_vectors import Vector, check_refused, params

from canarykit import Rollout
from canarykit.analysis import Phase
from canarykit.analysis.phases import is_worse
from canarykit.argo import load
from canarykit.errors import SpecError
from canarykit.testing import InMemoryRouter, InMemoryWorkload

UNASKED = "http://127.0.0.1:9"
"""The address every Prometheus metric is pointed at: these vectors build metrics, they never measure."""


@pytest.mark.parametrize("vector", params("metric_validation", "template"))
def test_template(vector: Vector) -> None:
    expect = vector.expect
    try:
        template = load_template(vector.data["template"])
        metrics = template.metrics(vector.data.get("args"), prometheus=UNASKED)
    except SpecError as refused:
        check_refused(refused, expect)
        return
    assert expect.get("ok"), f"accepted; Argo refuses it: {expect}"
    if "dry_run" in expect:
        assert sorted(metric.name for metric in metrics if metric.dry_run) == sorted(expect["dry_run"])
    for name, query in expect.get("queries", {}).items():
        assert next(metric for metric in metrics if metric.name == name).query == query


@pytest.mark.parametrize("vector", params("metric_validation", "rollout"))
def test_rollout_templates(vector: Vector) -> None:
    expect = vector.expect
    try:
        _runnable(vector.data["templates"], vector.data.get("args", []))
    except SpecError as refused:
        check_refused(refused, expect)
        return
    assert expect.get("ok"), f"accepted; Argo refuses it: {expect}"


def _runnable(templates: Mapping[str, Any], args: list[dict[str, str]]) -> Rollout:
    """A Rollout whose background analysis uses `templates`, loaded and made runnable."""
    references = [{"templateName": name} for name in templates]
    canary = {"steps": [{"setWeight": 20}], "analysis": {"templates": references, "args": args}}
    documents = [template_document(spec, name) for name, spec in templates.items()]
    spec = load(documents_text(rollout_document(canary), *documents))
    return Rollout.from_spec(spec, InMemoryRouter(), InMemoryWorkload(), prometheus=UNASKED)


@pytest.mark.parametrize("vector", params("metric_validation", "is_worse"))
def test_is_worse(vector: Vector) -> None:
    current, candidate = Phase(vector.data["current"]), Phase(vector.data["candidate"])
    assert is_worse(current, candidate) is vector.expect["value"]
