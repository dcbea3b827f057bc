"""Argo's utils/evaluate tests as vectors: a condition and a result give Argo's phase, value or error."""

from __future__ import annotations

import pytest
from conformance_vectors import Vector, check_refusal, check_text, params

from canarykit.analysis import evaluate_result
from canarykit.conditions import compile_condition
from canarykit.errors import ConditionEvaluationError, SpecError


@pytest.mark.parametrize("vector", params("evaluate", "evaluate_result"))
def test_evaluate_result(vector: Vector) -> None:
    data = vector.data
    try:
        outcome = evaluate_result(data.get("result"), data.get("success"), data.get("failure"))
    except SpecError as refusal:
        check_refusal(vector, refusal)
        return
    assert outcome.phase.value == vector.expect["phase"], outcome
    check_text(outcome.message, vector.expect)


@pytest.mark.parametrize("vector", params("evaluate", "eval_condition"))
def test_eval_condition(vector: Vector) -> None:
    expect = vector.expect
    try:
        condition = compile_condition(vector.data["condition"])
    except SpecError as refusal:
        check_refusal(vector, refusal)
        return
    try:
        value = condition.evaluate(vector.data.get("result"))
    except ConditionEvaluationError as error:
        assert "value" not in expect, f"error {error}; Argo gives {expect['value']}"
        check_text(str(error), expect, "error")
        return
    assert "value" in expect, f"evaluated to {value}; Argo gives an error ({expect})"
    assert value is expect["value"]
