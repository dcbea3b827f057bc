"""Argo's Rollout validation tests as vectors: a canary Rollout loads, or is refused with Argo's detail."""

from __future__ import annotations

from typing import Any

import pytest
from conformance_templates import documents_text, rollout_document
from conformance_vectors import Vector, check_refused, params

from canarykit.argo import load
from canarykit.errors import SpecError


def rollout_text(vector: Vector) -> str:
    """The vector's Rollout: the base document with its canary strategy and top-level spec overrides."""
    document = rollout_document(vector.data.get("canary", {}))
    spec: dict[str, Any] = document["spec"]
    for key, value in vector.data.get("spec", {}).items():
        if value is None:
            spec.pop(key, None)
        else:
            spec[key] = value
    return documents_text(document)


@pytest.mark.parametrize("vector", params("rollout_validation", "rollout"))
def test_rollout_validation(vector: Vector) -> None:
    expect = vector.expect
    try:
        load(rollout_text(vector))
    except SpecError as refused:
        check_refused(refused, expect)
        if "field" in expect:
            assert refused.path == expect["field"], f"field {refused.path!r}"
        return
    assert expect.get("ok"), f"loaded; Argo refuses it: {expect}"
