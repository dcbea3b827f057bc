"""Argo Rollouts behaviour (argo-semantics §4): the reference condition, NaN/Inf, isNil and default."""

from __future__ import annotations

import math
from typing import Any

import pytest

from canarykit.conditions import compile_condition
from canarykit.errors import ConditionEvaluationError, ConditionSyntaxError

SUCCESS = compile_condition("result[0] > 0.90")


def holds(expression: str, result: Any) -> bool:
    return compile_condition(expression).evaluate(result)


@pytest.mark.parametrize(
    ("result", "expected"),
    [
        ([0.95], True),
        ([0.85], False),
        ([0.90], False),
        ([math.nan], False),
        ([math.inf], True),
        ([0.95, 0.1], True),
    ],
)
def test_reference_success_condition(result: list[float], expected: bool) -> None:
    assert SUCCESS.evaluate(result) is expected


def test_infinity_passes_a_threshold() -> None:
    assert holds("result[0] >= 0.9", [math.inf]) is True
    assert holds("result[0] >= 0.9", [-math.inf]) is False


def test_empty_vector_is_an_evaluation_error_not_false() -> None:
    with pytest.raises(ConditionEvaluationError) as caught:
        SUCCESS.evaluate([])
    assert str(caught.value) == "index out of range: 0 (array length is 0)"


def test_nil_result_element_is_an_error() -> None:
    with pytest.raises(ConditionEvaluationError) as caught:
        SUCCESS.evaluate([None])
    assert str(caught.value) == "invalid operation: <nil> > float64"


def test_empty_guard_idiom() -> None:
    guarded = compile_condition("len(result) == 0 || result[0] > 0.90")
    assert guarded.evaluate([]) is True
    assert guarded.evaluate([0.5]) is False


def test_nan_guard_idiom() -> None:
    condition = compile_condition("isNaN(result[0]) || result[0] >= 0.95")
    assert condition.evaluate([math.nan]) is True
    assert condition.evaluate([0.9]) is False


def test_scalar_result() -> None:
    assert holds("result > 0.5", 0.75) is True
    assert holds("asFloat(result) > 0.5", "0.75") is True
    assert holds("asInt(result) == 3", "3") is True


@pytest.mark.parametrize(
    ("expression", "gotype"),
    [
        ("len(result)", "int"),
        ("result[0]", "float64"),
        ("string(result[0])", "string"),
        ("nil", "<nil>"),
        ("result", "[]interface {}"),
        ("{'a': 1}", "map[string]interface {}"),
        ("filter(result, true)", "[]interface {}"),
    ],
)
def test_non_bool_result_names_the_go_type(expression: str, gotype: str) -> None:
    with pytest.raises(ConditionEvaluationError) as caught:
        holds(expression, [0.95])
    assert str(caught.value) == f"expected bool, but got {gotype}"


class TestIsNilIgnoresItsArgument:
    def test_true_only_when_the_whole_result_is_nil(self) -> None:
        assert holds("isNil(result)", None) is True
        assert holds("isNil(result)", [0.95]) is False

    def test_the_argument_does_not_matter(self) -> None:
        assert holds("isNil(1)", None) is True
        assert holds("isNil(nil)", [0.95]) is False
        assert holds("isNil(result.missing)", {"a": 1}) is False  # the member is nil, the result is not

    def test_the_argument_is_still_evaluated(self) -> None:
        # expr's checker refuses indexing nil before anything runs
        # (Argo's TestEvaluateResultErrorMessageWithNilResult)
        with pytest.raises(ConditionEvaluationError, match=r"^type unknown\[int\] is undefined$"):
            holds("isNil(result[0])", None)
        with pytest.raises(ConditionEvaluationError, match="cannot fetch y from <nil>"):
            holds("isNil(result.x.y)", {"a": 1})


class TestDefaultIgnoresItsFirstArgument:
    def test_fallback_when_the_whole_result_is_nil(self) -> None:
        assert holds("default(result, 0.5) == 0.5", None) is True
        assert holds("default(nil, 1) > 0", None) is True

    def test_the_whole_result_otherwise(self) -> None:
        assert holds("default(result, 0.5) == 0.8", 0.8) is True
        assert holds("default(nil, 0.5) == 0.8", 0.8) is True  # not 0.5: the first argument is ignored
        assert holds("default(result.missing, 5) == 5", {"a": 1}) is False  # it returns the map itself
        assert holds("default(result.missing, 5) == {'a': 1}", {"a": 1}) is True

    def test_wrong_argument_count_is_a_compile_error(self) -> None:
        with pytest.raises(ConditionSyntaxError, match="not enough arguments to call default"):
            compile_condition("default(result)")
