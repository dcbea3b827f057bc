"""One measurement -> phase, Argo's table (§3.3) and messages."""

from __future__ import annotations

import math
from typing import Any

import pytest

from canarykit import AnalysisRun, ConditionSyntaxError, Metric, Phase, evaluate_result
from canarykit.conditions.gotypes import Float64s
from canarykit.testing import FakeClock, ScriptedProvider

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


# expr-lang type-checks a condition against the Go type of `result` before it runs (Argo's EvalCondition
# compiles it with expr.Env(env)); a mismatch is an evaluation error, so the measurement is Error, not Failed.


def test_a_type_mismatch_is_an_error_with_argos_message() -> None:
    """Argo's TestEvaluateAsFloatError: `asFloat(result) == "1.1"` compares float64 with string."""
    outcome = evaluate_result("1.1", 'asFloat(result) == "1.1"')
    assert outcome.phase is Phase.ERROR
    assert outcome.message == (
        'could not evaluate successCondition "asFloat(result) == "1.1"": '
        "invalid operation: == (mismatched types float64 and string)"
    )


@pytest.mark.parametrize(
    ("condition", "message"),
    [
        ("result == 10", "invalid operation: == (mismatched types []float64 and int)"),
        ("result[0] == 'x'", "invalid operation: == (mismatched types float64 and string)"),
        ("'x' in result", "cannot use string as type float64 in array"),
        ("result.rate > 0.9", "array elements can only be selected using an integer (got string)"),
    ],
)
def test_type_errors_on_a_prometheus_vector_are_errors(condition: str, message: str) -> None:
    outcome = evaluate_result(Float64s([0.95]), condition, FAILURE)
    assert outcome.phase is Phase.ERROR
    assert outcome.message == f'could not evaluate successCondition "{condition}": {message}'


def test_a_type_error_in_the_failure_condition_names_it() -> None:
    outcome = evaluate_result(0.95, "result > 0.9", "result == 'down'")
    assert outcome.phase is Phase.ERROR
    assert outcome.message == (
        "could not evaluate failureCondition \"result == 'down'\": "
        "invalid operation: == (mismatched types float64 and string)"
    )


@pytest.mark.parametrize(
    "result",
    [
        pytest.param(None, id="TestEvaluateResultErrorMessageWithNilResult"),
        pytest.param(Float64s([]), id="...EmptySlice"),
    ],
)
def test_a_type_error_on_a_nil_or_empty_result_says_no_data(result: Any) -> None:
    """With nil, `result[0]` is a type error (`type unknown[int] is undefined`); Argo words it as no data."""
    outcome = evaluate_result(result, "result[0] >= 0.95")
    assert outcome.phase is Phase.ERROR
    assert outcome.message == (
        'could not evaluate successCondition "result[0] >= 0.95": metric result is nil or empty: '
        "no data returned from the metric provider"
    )


def test_a_json_array_leaves_element_types_to_run_time() -> None:
    """A web metric's JSON array is `[]interface {}`: comparing an element with a string is just false."""
    assert evaluate_result([0.95], "result[0] == 'x'").phase is Phase.FAILED


def test_five_type_errors_in_a_row_end_the_metric_in_error_not_failed() -> None:
    """Before, the mismatch gave false: one Failed measurement ended the run at once (failureLimit 0)."""
    provider = ScriptedProvider(["1.1"])
    metric = Metric("web", provider, query="q", interval="10s", success_condition='asFloat(result) == "1.1"')
    result = AnalysisRun([metric], clock=FakeClock(1_700_000_000.0)).run()
    assert result.phase is Phase.ERROR
    assert [m.phase for m in result.metric("web").measurements] == [Phase.ERROR] * 5
    assert result.message == (
        'Metric "web" assessed Error due to consecutiveErrors (5) > consecutiveErrorLimit (4): '
        '"Error Message: could not evaluate successCondition "asFloat(result) == "1.1"": '
        'invalid operation: == (mismatched types float64 and string)"'
    )
