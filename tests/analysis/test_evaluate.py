"""One measurement -> phase, Argo's table (§3.3) and messages."""

from __future__ import annotations

import math

import pytest

from canarykit import ConditionSyntaxError, Phase, evaluate_result

SUCCESS = "result[0] > 0.90"
FAILURE = "result[0] < 0.50"


@pytest.mark.parametrize(
    ("result", "success", "failure", "phase"),
    [
        ([0.95], None, None, Phase.SUCCESSFUL),
        ([0.95], SUCCESS, None, Phase.SUCCESSFUL),
        ([0.85], SUCCESS, None, Phase.FAILED),
        ([0.40], None, FAILURE, Phase.FAILED),
        ([0.85], None, FAILURE, Phase.SUCCESSFUL),
        ([0.40], SUCCESS, FAILURE, Phase.FAILED),
        ([0.95], SUCCESS, FAILURE, Phase.SUCCESSFUL),
        ([0.70], SUCCESS, FAILURE, Phase.INCONCLUSIVE),
        ([math.nan], SUCCESS, None, Phase.FAILED),
        ([math.nan], SUCCESS, FAILURE, Phase.INCONCLUSIVE),
        ([math.inf], "result[0] >= 0.9", None, Phase.SUCCESSFUL),
    ],
)
def test_phase_table(result: list[float], success: str | None, failure: str | None, phase: Phase) -> None:
    assert evaluate_result(result, success, failure).phase is phase


def test_empty_vector_is_an_error_with_argos_message() -> None:
    outcome = evaluate_result([], SUCCESS)
    assert outcome.phase is Phase.ERROR
    assert outcome.message == (
        'could not evaluate successCondition "result[0] > 0.90": metric result is nil or empty: '
        "no data returned from the metric provider"
    )


def test_nil_result_in_failure_condition_names_it() -> None:
    outcome = evaluate_result(None, None, "result > 1")
    assert outcome.phase is Phase.ERROR
    assert outcome.message.startswith(
        'could not evaluate failureCondition "result > 1": metric result is nil'
    )


def test_non_bool_condition_is_an_error() -> None:
    outcome = evaluate_result([0.95], "len(result)")
    assert outcome.phase is Phase.ERROR
    assert outcome.message == 'could not evaluate successCondition "len(result)": expected bool, but got int'


def test_python_callable_is_accepted() -> None:
    assert evaluate_result([0.95], lambda r: r[0] > 0.9).phase is Phase.SUCCESSFUL
    assert evaluate_result([0.85], lambda r: r[0] > 0.9).phase is Phase.FAILED


def test_syntax_error_is_raised_not_measured() -> None:
    with pytest.raises(ConditionSyntaxError) as caught:
        evaluate_result([0.95], "result[0] >")
    assert caught.value.path == "successCondition"
